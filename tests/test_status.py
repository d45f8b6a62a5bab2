"""Tests for procfs.core.status: /proc/[pid]/status."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading

import pytest

import procfs.core._parse
from procfs.core.procstate import ProcState
from procfs.core.stat import parse_stat
from procfs.core.status import Status, parse_status, parse_task_status
from procfs.errors import ParseError
from tests.conftest import PROMETHEUS_PROC, corpus_path, sample

KB = 1024

# --- samples with expected values worked out by hand ---


def test_prometheus_sample() -> None:
    status = parse_status(sample("prometheus-fixtures/proc/26231/status"))
    assert (status.name, status.umask, status.state) == ("prometheus", 0o022, "S")
    assert status.proc_state is ProcState.Sleeping
    assert (status.tgid, status.ngid, status.pid, status.ppid, status.tracerpid) == (
        26231,
        0,
        26231,
        1,
        0,
    )
    assert (status.ruid, status.euid, status.suid, status.fuid) == (1000, 1000, 1000, 0)
    assert (status.rgid, status.egid, status.sgid, status.fgid) == (1001, 1001, 1001, 0)
    assert status.fdsize == 128
    assert status.groups == ()
    assert (status.nstgid, status.nspid, status.nspgid, status.nssid) == ((1,), (1,), (1,), (1,))
    assert status.kthread is None
    # kB -> bytes
    assert status.vmpeak == 58472 * KB
    assert status.vmsize == 58440 * KB
    assert (status.vmlck, status.vmpin) == (0, 0)
    assert (status.vmhwm, status.vmrss) == (8028 * KB, 6716 * KB)
    assert (status.rssanon, status.rssfile, status.rssshmem) == (2092 * KB, 4624 * KB, 0)
    assert (status.vmdata, status.vmstk, status.vmexe, status.vmlib) == (
        2580 * KB,
        136 * KB,
        948 * KB,
        6816 * KB,
    )
    assert (status.vmpte, status.vmpmd, status.vmswap, status.hugetlbpages) == (
        128 * KB,
        12 * KB,
        660 * KB,
        0,
    )
    assert status.threads == 1
    assert status.sigq == (8, 63965)
    assert (status.sigpnd, status.shdpnd) == (0, 0)
    assert status.sigblk == 0x7BE3C0FE28014A03
    assert status.sigign == 0x1000  # bit 12: signal 13, SIGPIPE
    assert status.sigcgt == 0x1800004EC
    assert (status.capinh, status.capprm, status.capeff, status.capbnd, status.capamb) == (
        0,
        2**38 - 1,
        2**38 - 1,
        2**38 - 1,
        0,
    )
    assert status.nonewprivs is None
    assert status.seccomp == 0
    assert status.speculation_store_bypass is None
    assert status.cpus_allowed == 0xFF
    assert status.cpus_allowed_list == tuple(range(8))
    assert status.mems_allowed == 1  # "00000000,00000001"
    assert status.mems_allowed_list == (0,)
    assert (status.voluntary_ctxt_switches, status.nonvoluntary_ctxt_switches) == (
        4742839,
        1727500,
    )
    assert status.core_dumping is None
    assert status.extra == {}


def test_prometheus_sample_with_spaces_instead_of_tabs() -> None:
    status = parse_status(sample("prometheus-fixtures/proc/26235/status"))
    assert status.name == "kube-proxy"
    assert (status.ngid, status.ppid, status.fdsize) == (12345, 1234, 64)
    assert status.nstgid == (26235, 1)
    assert status.nssid == (26235, 1)
    assert (status.vmrss, status.rssanon, status.rssfile) == (42652 * KB, 24852 * KB, 17800 * KB)
    assert status.threads == 51
    assert status.sigq == (9, 511324)
    assert status.sigcgt == 0xFFFFFFFC7FC1FEFF
    assert status.capinh == 0x3FFFFFFFFF


def test_dev_machine_shell() -> None:
    status = parse_status(sample("dev-machine/proc/8417/status"))
    assert (status.name, status.umask, status.state, status.pid, status.ppid) == (
        "sh",
        0o22,
        "S",
        8417,
        8399,
    )
    assert status.groups == ()  # the line is "Groups:\t \n"
    assert (status.nstgid, status.nspgid, status.nssid) == ((8417,), (8399,), (3544,))
    assert status.kthread is False
    assert (status.vmpeak, status.vmhwm, status.vmpte) == (2592 * KB, 1724 * KB, 52 * KB)
    assert status.vmpmd is None
    assert (status.core_dumping, status.thp_enabled) == (False, True)
    assert status.untag_mask == 2**64 - 1
    assert status.sigq == (0, 96365)
    assert status.sigcgt == (1 << (2 - 1)) | (1 << (17 - 1))  # SIGINT and SIGCHLD
    assert status.capprm == 0x1FFFEFFFFFF
    assert (status.nonewprivs, status.seccomp, status.seccomp_filters) == (0, 0, 0)
    assert status.speculation_store_bypass == "vulnerable"
    assert status.speculation_indirect_branch == "always enabled"
    assert (status.cpus_allowed, status.cpus_allowed_list) == (3, (0, 1))
    assert (status.mems_allowed, status.mems_allowed_list) == (1, (0,))
    assert status.voluntary_ctxt_switches == 10
    assert status.extra == {}


def test_dev_machine_kernel_thread() -> None:
    status = parse_status(sample("dev-machine/proc/2/status"))
    assert (status.name, status.pid, status.ppid, status.kthread) == ("kthreadd", 2, 0, True)
    # A kernel thread has no mm: none of the Vm*/Rss* lines.
    assert status.vmsize is None
    assert status.vmrss is None
    assert status.rssanon is None
    assert status.hugetlbpages is None
    assert status.core_dumping is None
    assert status.sigign == 2**64 - 1
    assert status.threads == 1


def test_linux_2_6_9() -> None:
    status = parse_status(sample("handmade/status.linux-2.6.9.txt"))
    assert (status.name, status.state, status.tgid, status.pid, status.ppid) == (
        "bash",
        "S",
        2896,
        2896,
        2894,
    )
    assert (status.umask, status.ngid, status.nstgid, status.kthread) == (None, None, None, None)
    assert (status.ruid, status.euid, status.suid, status.fuid) == (500, 500, 500, 500)
    assert (status.rgid, status.egid, status.sgid, status.fgid) == (501, 501, 501, 501)
    assert status.groups == (501, 10)  # that kernel left a trailing space
    assert status.vmpeak is None
    assert (status.vmsize, status.vmlck, status.vmrss) == (66080 * KB, 0, 1608 * KB)
    assert (status.vmdata, status.vmstk, status.vmexe, status.vmlib) == (
        444 * KB,
        88 * KB,
        616 * KB,
        1492 * KB,
    )
    assert (status.vmpte, status.vmswap, status.rssanon) == (None, None, None)
    assert status.threads == 1
    assert status.sigq is None
    assert status.sigblk == 1 << (17 - 1)  # SIGCHLD
    assert status.sigign == 0x384004
    assert status.sigcgt == 0x4B813EFB
    assert (status.capinh, status.capprm, status.capeff) == (0, 0, 0)
    assert (status.capbnd, status.capamb, status.seccomp) == (None, None, None)
    assert (status.cpus_allowed, status.cpus_allowed_list, status.mems_allowed_list) == (
        None,
        None,
        None,
    )
    assert status.voluntary_ctxt_switches is None
    assert status.extra == {
        "SleepAVG": "98%",
        "StaBrk": "0ad9d000 kB",
        "Brk": "0adc1000 kB",
        "StaStk": "7fbffff6b0 kB",
    }


def test_name_with_colon_spaces_and_escapes() -> None:
    # The kernel wrote comm b" a:b\\c\nd" as "Name:\t a:b\\\\c\\nd".
    status = parse_status(sample("handmade/status.name-colon-escapes.txt"))
    assert status.name == " a:b\\c\nd"
    assert status.pid == 8417


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (b"\\\\n", "\\n"),  # an escaped backslash, then a plain n
        (b"\\n\\\\", "\n\\"),
        (b"\\\\\\n", "\\\n"),
        (b"a\\nb\\nc", "a\nb\nc"),
        (b"x\xffy", "x\udcffy"),
        (b"", ""),
        (b"  ", "  "),
    ],
)
def test_name_unescaping(written: bytes, expected: str) -> None:
    data = sample("dev-machine/proc/8417/status").replace(
        b"Name:\tsh\n", b"Name:\t" + written + b"\n"
    )
    assert parse_status(data).name == expected


def test_cpu_list_ranges() -> None:
    data = sample("dev-machine/proc/8417/status").replace(
        b"Cpus_allowed_list:\t0-1\n", b"Cpus_allowed_list:\t0-2,5,8-9\n"
    )
    assert parse_status(data).cpus_allowed_list == (0, 1, 2, 5, 8, 9)
    mask = sample("dev-machine/proc/8417/status").replace(
        b"Cpus_allowed:\t3\n", b"Cpus_allowed:\t80000000,00000001\n"
    )
    assert parse_status(mask).cpus_allowed == (1 << 63) | 1


def test_x86_thread_features_and_unknown_keys() -> None:
    data = sample("dev-machine/proc/8417/status") + (
        b"x86_Thread_features:\tshstk wrss \nx86_Thread_features_locked:\tshstk \n"
        b"Mems_foo:\t  some text  \n"
    )
    status = parse_status(data)
    assert status.x86_thread_features == ("shstk", "wrss")
    assert status.x86_thread_features_locked == ("shstk",)
    assert status.extra == {"Mems_foo": "some text"}


def test_same_capture_agrees_with_statm() -> None:
    # status and statm of one process, captured together: VmSize = size,
    # VmRSS = resident, RssFile + RssShmem = shared, VmExe = text,
    # VmData + VmStk = data (statm counts pages of 4096 bytes here).
    from procfs.core.statm import parse_statm

    status = parse_status(sample("dev-machine/proc/8417/status"))
    statm = parse_statm(sample("dev-machine/proc/8417/statm")).in_bytes(4096)
    assert status.vmsize == statm.size
    assert status.vmrss == statm.resident
    assert status.rssfile is not None and status.rssshmem is not None
    assert status.rssfile + status.rssshmem == statm.shared
    assert status.vmexe == statm.text
    assert status.vmdata is not None and status.vmstk is not None
    assert status.vmdata + status.vmstk == statm.data


def test_to_dict() -> None:
    plain = parse_status(sample("handmade/status.linux-2.6.9.txt")).to_dict()
    assert plain["groups"] == [501, 10]
    assert plain["sigq"] is None
    assert plain["extra"]["SleepAVG"] == "98%"
    assert list(plain) == list(Status._fields)


# --- bad input: only ParseError escapes ---

GOOD = "dev-machine/proc/8417/status"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"Uid:\t0\t0\t0\t0\n", b"Uid:\t0\t0\t0\n"),
        (b"Uid:\t0\t0\t0\t0\n", b""),
        (b"Pid:\t8417\n", b"Pid:\tx\n"),
        (b"Threads:\t1\n", b""),
        (b"VmRSS:\t    1724 kB\n", b"VmRSS:\t    1724 MB\n"),
        (b"SigQ:\t0/96365\n", b"SigQ:\t0\n"),
        (b"SigCgt:\t0000000000010002\n", b"SigCgt:\tnothex\n"),
        (b"Cpus_allowed_list:\t0-1\n", b"Cpus_allowed_list:\t5-2\n"),
        (b"Cpus_allowed_list:\t0-1\n", b"Cpus_allowed_list:\t0-99999999999\n"),
        (b"State:\tS (sleeping)\n", b"State:\t\n"),
        (b"State:\tS (sleeping)\n", b"State:\tSleeping\n"),
        (b"Umask:\t0022\n", b"Umask:\t0099\n"),
        (b"Groups:\t \n", b"Groups:\t0 x\n"),
        (b"NoNewPrivs:\t0\n", b"no colon here\n"),
    ],
)
def test_bad_input_raises_parse_error(old: bytes, new: bytes) -> None:
    data = sample(GOOD)
    assert old in data
    # a bad value is found when the record is parsed or when its field is read
    with pytest.raises(ParseError) as info:
        parse_status(data.replace(old, new), "/proc/8417/status").to_dict()
    assert info.value.path == "/proc/8417/status"


@pytest.mark.parametrize("data", [b"", b"\n", b"Name:\tx\n", b"\xff\xfe", b"Name"])
def test_garbage_raises_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_status(data)


def test_error_names_the_line() -> None:
    data = sample(GOOD).replace(b"Pid:\t8417\n", b"Pid:\tx\n")
    status = parse_status(data, "/proc/8417/status")
    assert status.name == "sh"  # the good fields read as ever
    with pytest.raises(ParseError) as info:
        status.pid  # noqa: B018
    assert info.value.path == "/proc/8417/status"
    assert info.value.lineno == 6
    assert "Pid" in str(info.value)


def test_registered_paths() -> None:
    registry = procfs.core._parse.REGISTRY
    assert registry["[pid]/status"] is parse_status
    assert registry["[pid]/task/[tid]/status"] is parse_task_status


# --- the live system, checked against the os module ---


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_live_self() -> None:
    status = parse_status(_read("/proc/self/status"))
    assert status.pid == status.tgid == os.getpid()
    assert status.ppid == os.getppid()
    assert (status.ruid, status.euid, status.suid) == os.getresuid()
    assert (status.rgid, status.egid, status.sgid) == os.getresgid()
    assert status.fuid == os.geteuid()
    assert set(status.groups) == set(os.getgroups())
    assert status.state == "R"
    assert status.threads == len(os.listdir("/proc/self/task"))
    assert status.name == parse_stat(_read("/proc/self/stat")).comm
    assert status.sigq is not None
    assert status.sigq[1] == resource.getrlimit(resource.RLIMIT_SIGPENDING)[0]
    cpus = sorted(os.sched_getaffinity(0))
    assert status.cpus_allowed_list == tuple(cpus)
    assert status.cpus_allowed == sum(1 << cpu for cpu in cpus)
    assert status.vmrss is not None and status.vmrss > 0
    assert status.nspid is not None and status.nspid[0] == os.getpid()


def test_live_umask() -> None:
    old = os.umask(0o027)
    try:
        status = parse_status(_read("/proc/self/status"))
    finally:
        os.umask(old)
    assert status.umask == 0o027


def test_live_ignored_signal() -> None:
    previous = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
    try:
        ignoring = parse_status(_read("/proc/self/status"))
    finally:
        signal.signal(signal.SIGUSR2, previous)
    assert ignoring.sigign & (1 << (signal.SIGUSR2 - 1))


def test_live_thread_blocked_signal_and_name() -> None:
    # A thread blocks SIGUSR1 and renames itself, then reads its own status.
    name = b"w:\\x\ny"
    result: dict[str, object] = {}

    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        with open("/proc/thread-self/comm", "wb") as handle:
            handle.write(name)
        result["tid"] = threading.get_native_id()
        result["status"] = parse_task_status(_read("/proc/thread-self/status"))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    status = result["status"]
    assert isinstance(status, Status)
    assert status.pid == result["tid"] != status.tgid == os.getpid()
    assert status.sigblk & (1 << (signal.SIGUSR1 - 1))
    assert os.fsencode(status.name) == name


def test_live_other_user() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to start a process as another user")
    child = subprocess.Popen(["sleep", "30"], user=65534, group=65534, extra_groups=[])
    try:
        status = parse_status(_read(f"/proc/{child.pid}/status"))
    finally:
        child.kill()
        child.wait()
    assert (status.ruid, status.euid, status.suid, status.fuid) == (65534,) * 4
    assert (status.rgid, status.egid, status.sgid, status.fgid) == (65534,) * 4
    assert status.groups == ()
    assert status.ppid == os.getpid()


def test_corpus_status_files_parse() -> None:
    root = corpus_path(PROMETHEUS_PROC)
    found = 0
    for path in sorted(root.glob("[0-9]*/status")):
        status = parse_status(path.read_bytes(), str(path))
        assert status.pid == int(path.parent.name)
        found += 1
    assert found >= 2
