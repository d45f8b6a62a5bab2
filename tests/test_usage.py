"""The psutil-style system API of procfs.usage, against psutil, procps, coreutils and
util-linux read at the same moment, and on hand-made trees of old or odd kernels."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from procfs import NotFoundError, ParseError, ProcError
from procfs._fs import Root
from procfs.core.meminfo import parse_meminfo
from procfs.memory import VirtualMemory, memory_of, paging_of, percent
from procfs.root import ProcFS
from procfs.usage import (
    CpuCounts,
    CpuFreq,
    CpuTimes,
    DiskIoCounters,
    DiskPartition,
    NetIoCounters,
    _cpu_list,
    _topology,
    sysfs_freqs,
)
from tests.conftest import PROMETHEUS_PROC, corpus_path

psutil: Any = pytest.importorskip("psutil")

FS = ProcFS("/proc")
MIB = 1 << 20
#: How far a memory gauge may move while another tool reads it (a fork and exec of
#: ``free`` alone maps a few MB; other tests run meanwhile).
MEMORY_SLACK = 256 * MIB


def between(low: float, value: float, high: float, slack: float = 0.0) -> bool:
    """Whether ``value`` lies between ``low`` and ``high`` (in either order), give or take
    ``slack``."""
    return min(low, high) - slack <= value <= max(low, high) + slack


def run(*argv: str) -> str:
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed")
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


# -- CPU ------------------------------------------------------------------------

#: One clock tick in seconds, and float noise: the least a CPU time can differ by.
TICK = 1.0 / os.sysconf("SC_CLK_TCK") + 1e-6


def test_cpu_times_match_psutil_read_between_two_of_ours() -> None:
    first = FS.cpu_times()
    theirs = psutil.cpu_times()
    second = FS.cpu_times()
    for field in CpuTimes._fields:
        ours_before, ours_after = getattr(first, field), getattr(second, field)
        assert ours_before is not None and ours_after is not None, field
        assert between(ours_before, getattr(theirs, field), ours_after, TICK), field


def test_per_cpu_times_match_psutil() -> None:
    first = FS.cpu_times(percpu=True)
    theirs = psutil.cpu_times(percpu=True)
    second = FS.cpu_times(percpu=True)
    assert len(first) == len(theirs) == len(second)
    for before, their, after in zip(first, theirs, second, strict=True):
        assert between(before.user, their.user, after.user, TICK)
        assert between(before.idle, their.idle, after.idle, TICK)
        assert between(before.system, their.system, after.system, TICK)


def test_cpu_times_user_includes_guest_as_psutil_and_the_kernel_say() -> None:
    stat = FS.kernel_stats().total
    times = FS.cpu_times()
    ticks = FS.ticks_per_second()
    # user is the stat column divided by USER_HZ, nothing subtracted (guest is in it)
    assert abs(times.user * ticks - stat.user) <= TICK * ticks * 2 + 100
    assert times.guest is not None and times.guest <= times.user + TICK


def test_cpu_stats_match_psutil() -> None:
    first = FS.cpu_stats()
    theirs = psutil.cpu_stats()
    second = FS.cpu_stats()
    assert between(first.ctx_switches, theirs.ctx_switches, second.ctx_switches)
    assert between(first.interrupts, theirs.interrupts, second.interrupts)
    assert between(first.soft_interrupts, theirs.soft_interrupts, second.soft_interrupts)
    assert first.syscalls == theirs.syscalls == 0


def test_cpu_count_matches_os_nproc_and_psutil() -> None:
    assert FS.cpu_count() == os.cpu_count() == psutil.cpu_count()
    assert FS.cpu_count() == int(run("nproc"))
    assert FS.cpu_count(logical=False) == psutil.cpu_count(logical=False)


def test_cpu_counts_match_lscpu_and_sysfs() -> None:
    counts = FS.cpu_counts()
    assert counts.online == os.cpu_count()
    # lscpu -p lists the online CPUs: one line each, with its core and socket
    rows = [
        line.split(",")
        for line in run("lscpu", "-p=cpu,core,socket").splitlines()
        if line[:1] != "#"
    ]
    assert len(rows) == counts.online
    assert counts.cores == len({(socket, core) for _, core, socket in rows})
    assert counts.sockets == len({socket for _, _, socket in rows})
    assert counts.present is not None and counts.possible is not None
    assert counts.online <= counts.present <= counts.possible


def test_cpu_freq_matches_psutil() -> None:
    ours = FS.cpu_freq(percpu=True)
    theirs = psutil.cpu_freq(percpu=True)
    assert len(ours) == len(theirs)
    for mine, their in zip(ours, theirs, strict=True):
        # psutil gives 0.0 where no minimum or maximum is known; we give None
        assert (mine.min or 0.0) == their.min and (mine.max or 0.0) == their.max
        # the current frequency moves; a CPU's stays within its range
        assert mine.current > 0 and their.current > 0
    total = FS.cpu_freq()
    assert total is not None
    assert min(f.current for f in ours) * 0.5 <= total.current <= max(f.current for f in ours) * 2


def test_cpu_percent_matches_psutil_over_the_same_interval() -> None:
    """Both measure from their previous call: called side by side, the intervals differ
    by microseconds; on a 100 Hz clock 2 CPUs make 200 ticks a second, so a tick or
    two apart is one percentage point. Tolerance: 5 points."""
    fs = ProcFS("/proc")
    fs.cpu_percent()
    psutil.cpu_percent()
    fs.cpu_times_percent()
    psutil.cpu_times_percent()
    time.sleep(1.0)
    ours = fs.cpu_percent()
    theirs = psutil.cpu_percent()
    ours_times = fs.cpu_times_percent()
    theirs_times = psutil.cpu_times_percent()
    assert abs(ours - theirs) <= 5.0
    for field in ("user", "system", "idle"):
        assert abs(getattr(ours_times, field) - getattr(theirs_times, field)) <= 5.0, field
    assert 0.0 <= ours <= 100.0


def test_cpu_percent_with_an_interval_and_per_cpu() -> None:
    fs = ProcFS("/proc")
    values = fs.cpu_percent(0.2, percpu=True)
    assert len(values) == os.cpu_count()
    assert all(0.0 <= value <= 100.0 for value in values)
    times = fs.cpu_times_percent(0.2, percpu=True)
    assert len(times) == os.cpu_count()
    for each in times:
        # the modes but the guest ones (inside user and nice) add up to 100
        modes = [each.user, each.nice, each.system, each.idle, each.iowait, each.irq]
        modes += [each.softirq, each.steal]
        assert abs(sum(mode or 0.0 for mode in modes) - 100.0) <= 1.0
    with pytest.raises(ValueError, match="negative"):
        fs.cpu_percent(-1)


def test_cpu_percent_state_is_the_roots_own_and_each_threads() -> None:
    """A first call compares with a reading taken at once: 0.0; the state belongs to
    the root object and the thread, not to the module."""
    one, two = ProcFS("/proc"), ProcFS("/proc")
    assert one.cpu_percent() == 0.0
    time.sleep(0.05)
    assert two.cpu_percent() == 0.0  # not one's state
    results: list[float] = []
    thread = threading.Thread(target=lambda: results.append(one.cpu_percent()))
    thread.start()
    thread.join()
    assert results == [0.0]  # the other thread starts afresh too


# -- memory -----------------------------------------------------------------------


def _free() -> dict[str, list[int]]:
    """``free -b -w``: {"Mem:": [total, used, free, shared, buffers, cache, available],
    "Swap:": [total, used, free]}."""
    rows = run("free", "-b", "-w").splitlines()[1:]
    return {row.split()[0]: [int(v) for v in row.split()[1:]] for row in rows}


def test_virtual_memory_matches_free() -> None:
    first = FS.virtual_memory()
    mem = _free()["Mem:"]
    second = FS.virtual_memory()
    total, used, free, shared, buffers, cache, available = mem
    assert first.total == total == second.total
    for name, theirs in (
        ("used", used),
        ("free", free),
        ("shared", shared),
        ("buffers", buffers),
        ("cached", cache),
        ("available", available),
    ):
        assert between(getattr(first, name), theirs, getattr(second, name), MEMORY_SLACK), name


def test_virtual_memory_matches_psutil() -> None:
    first = FS.virtual_memory()
    theirs = psutil.virtual_memory()
    second = FS.virtual_memory()
    for name in VirtualMemory._fields:
        slack = 2.0 if name == "percent" else MEMORY_SLACK
        assert between(getattr(first, name), getattr(theirs, name), getattr(second, name), slack)


def test_virtual_memory_used_is_total_less_available() -> None:
    memory = FS.virtual_memory()
    assert memory.used == memory.total - memory.available
    assert memory.percent == round((memory.total - memory.available) * 100 / memory.total, 1)


def test_swap_memory_matches_free_and_psutil() -> None:
    first = FS.swap_memory()
    swap = _free()["Swap:"]
    theirs = psutil.swap_memory()
    second = FS.swap_memory()
    assert first.total == swap[0] == theirs.total
    assert between(first.used, swap[1], second.used, MEMORY_SLACK)
    assert between(first.free, theirs.free, second.free, MEMORY_SLACK)
    assert between(first.sin, theirs.sin, second.sin)
    assert between(first.sout, theirs.sout, second.sout)
    assert first.used == first.total - first.free


# meminfo of a kernel before 3.14 (no MemAvailable), cut down.
OLD_MEMINFO = b"""MemTotal:        1000000 kB
MemFree:          200000 kB
Buffers:           10000 kB
Cached:           300000 kB
SwapCached:            0 kB
Active:           400000 kB
Inactive:         250000 kB
SwapTotal:        500000 kB
SwapFree:         400000 kB
Shmem:              5000 kB
Slab:              40000 kB
SReclaimable:      30000 kB
"""


def test_virtual_memory_without_memavailable_takes_memfree_as_procps() -> None:
    memory = memory_of(parse_meminfo(OLD_MEMINFO))
    assert memory == VirtualMemory(
        total=1000000 * 1024,
        available=200000 * 1024,
        percent=80.0,
        used=800000 * 1024,
        free=200000 * 1024,
        active=400000 * 1024,
        inactive=250000 * 1024,
        buffers=10000 * 1024,
        cached=330000 * 1024,
        shared=5000 * 1024,
        slab=40000 * 1024,
    )


def test_virtual_memory_of_a_bare_meminfo_and_a_container_view() -> None:
    bare = memory_of(parse_meminfo(b"MemTotal: 100 kB\nMemFree: 40 kB\n"))
    assert (bare.available, bare.used, bare.cached, bare.slab) == (40 * 1024, 60 * 1024, 0, 0)
    # MemAvailable above MemTotal (lxcfs): MemFree instead, as procps
    odd = memory_of(parse_meminfo(b"MemTotal: 100 kB\nMemFree: 40 kB\nMemAvailable: 500 kB\n"))
    assert odd.available == 40 * 1024


def test_meminfo_by_the_kernels_key() -> None:
    info = parse_meminfo(OLD_MEMINFO + b"Mystery:             7 kB\nHugePages_Total:   3\n")
    assert info["MemTotal"] == info.mem_total == 1000000 * 1024
    assert info["SReclaimable"] == info.s_reclaimable
    assert info["Mystery"] == 7 * 1024  # an unknown key, from extra
    assert info["HugePages_Total"] == 3  # a count stays a count
    assert info.get("MemAvailable") is None and "MemAvailable" not in info
    assert "Active" in info and "Mystery" in info
    with pytest.raises(KeyError):
        info["MemAvailable"]
    with pytest.raises(TypeError):
        info[0]  # type: ignore[index]
    live = FS.meminfo()
    assert live["Active(anon)"] == live.active_anon
    assert live["Inactive(file)"] == live.inactive_file


# -- disks ---------------------------------------------------------------------------


def test_disk_usage_matches_statvfs_df_and_psutil() -> None:
    ours = FS.disk_usage("/")
    st = os.statvfs("/")
    theirs = psutil.disk_usage("/")
    size, used, avail, pcent = run("df", "-B1", "--output=size,used,avail,pcent", "/").split()[4:]
    assert ours.total == st.f_blocks * st.f_frsize == theirs.total == int(size)
    slack = 64 * MIB  # the filesystem is in use meanwhile
    assert abs(ours.used - int(used)) <= slack and abs(ours.used - theirs.used) <= slack
    assert abs(ours.free - int(avail)) <= slack and abs(ours.free - theirs.free) <= slack
    # df rounds the same share up to a whole percent
    assert math.ceil(ours.percent) - 1 <= int(pcent.rstrip("%")) <= math.ceil(ours.percent) + 1
    assert abs(ours.percent - theirs.percent) <= 0.2


def test_disk_usage_of_a_missing_path() -> None:
    with pytest.raises(NotFoundError):
        FS.disk_usage("/no/such/path/here")


def _partitions(all: bool) -> tuple[list[DiskPartition], list[Any]]:
    """Ours and psutil's, retried until a mount table read twice is the same."""
    for _ in range(5):
        first = FS.disk_partitions(all=all)
        theirs = psutil.disk_partitions(all=all)
        if FS.disk_partitions(all=all) == first:
            return first, theirs
    pytest.skip("the mount table keeps changing")


@pytest.mark.parametrize("all", [False, True])
def test_disk_partitions_match_psutil(all: bool) -> None:
    ours, theirs = _partitions(all)
    assert [(p.device, p.mountpoint, p.fstype, p.opts) for p in ours] == [
        (p.device, p.mountpoint, p.fstype, p.opts) for p in theirs
    ]
    if not all:
        assert any(p.mountpoint == "/" for p in ours)


def test_disk_partitions_all_include_the_virtual_ones() -> None:
    mounts = {p.mountpoint: p for p in FS.disk_partitions(all=True)}
    assert mounts["/proc"].fstype == "proc"
    assert "/proc" not in {p.mountpoint for p in FS.disk_partitions()}


def test_disk_io_counters_match_psutil() -> None:
    first = FS.disk_io_counters()
    theirs = psutil.disk_io_counters()
    second = FS.disk_io_counters()
    for name in DiskIoCounters._fields:
        assert between(getattr(first, name), getattr(theirs, name), getattr(second, name)), name


def test_disk_io_counters_per_disk_match_psutil() -> None:
    first = FS.disk_io_counters(perdisk=True)
    theirs = psutil.disk_io_counters(perdisk=True, nowrap=False)
    second = FS.disk_io_counters(perdisk=True)
    assert set(first) == set(theirs)
    for disk, counters in theirs.items():
        for name in ("read_count", "write_bytes", "busy_time", "write_merged_count"):
            assert between(
                getattr(first[disk], name), getattr(counters, name), getattr(second[disk], name)
            ), (disk, name)


# -- network and processes ------------------------------------------------------------


def test_net_io_counters_match_psutil() -> None:
    first = FS.net_io_counters()
    theirs = psutil.net_io_counters(nowrap=False)
    second = FS.net_io_counters()
    for name in NetIoCounters._fields:
        assert between(getattr(first, name), getattr(theirs, name), getattr(second, name)), name
    first_nics = FS.net_io_counters(pernic=True)
    their_nics = psutil.net_io_counters(pernic=True, nowrap=False)
    second_nics = FS.net_io_counters(pernic=True)
    assert set(first_nics) >= set(their_nics) or set(second_nics) >= set(their_nics)
    for nic in set(first_nics) & set(second_nics) & set(their_nics):
        assert between(
            first_nics[nic].bytes_recv, their_nics[nic].bytes_recv, second_nics[nic].bytes_recv
        )


def test_pid_exists_as_psutil() -> None:
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        tid = thread.native_id
        assert tid is not None and tid != os.getpid()
        dead = subprocess.Popen(["true"])
        dead.wait()
        for pid in (os.getpid(), 1, 0, tid, dead.pid):
            assert FS.pid_exists(pid) == psutil.pid_exists(pid), pid
        assert FS.pid_exists(os.getpid()) and not FS.pid_exists(0)  # no /proc/0
        assert not FS.pid_exists(tid)  # a thread is not a process
    finally:
        done.set()
        thread.join()
    with pytest.raises(ValueError, match="negative"):
        FS.pid_exists(-1)


# -- other roots: a capture, and hand-made trees of old kernels --------------------------


def test_every_function_on_the_prometheus_capture() -> None:
    fs = ProcFS(corpus_path(PROMETHEUS_PROC))
    assert fs.cpu_times().user == 301854 / fs.ticks_per_second()
    assert len(fs.cpu_times(percpu=True)) == len(fs.kernel_stats().cpus)
    assert fs.cpu_count() == len(fs.kernel_stats().cpus)
    counts = fs.cpu_counts()
    assert counts.online == fs.cpu_count() and counts.present is None
    memory = fs.virtual_memory()
    assert memory.total == fs.meminfo().mem_total
    disks = fs.disk_io_counters(perdisk=True)
    total = fs.disk_io_counters()
    # the partitions are left out of the total, whole devices (loop, dm, ram too) are in
    partitions = {"mmcblk0p1", "mmcblk0p2", "nvme0n1p1", "nvme0n1p2", "vda1", "vda2"}
    partitions |= {"sda1", "sda2", "sda3", "sda4", "sdb1", "sdb2", "sdc1", "sdc2"}
    assert partitions < set(disks) and {"sda", "nvme0n1", "mmcblk0", "dm-0"} < set(disks)
    wholes = [counters for name, counters in disks.items() if name not in partitions]
    assert total.read_count == sum(c.read_count for c in wholes)
    assert fs.net_io_counters().bytes_recv == sum(
        status.recv_bytes for status in fs.net_dev().values()
    )
    assert fs.cpu_stats().ctx_switches == fs.kernel_stats().ctxt
    freq = fs.cpu_freq()
    assert freq is None or freq.min is None  # from cpuinfo: no range
    for call in (fs.swap_memory, fs.disk_partitions, lambda: fs.pid_exists(26231)):
        try:
            call()
        except ProcError:
            pass  # a file the capture lacks: a typed error, nothing else


OLD_STAT = b"""cpu  100 2 30 400 5 6 7 8
cpu0 60 1 20 200 3 3 4 4
cpu1 40 1 10 200 2 3 3 4
intr 1000 10 20
ctxt 5000
btime 1100000000
processes 300
procs_running 1
procs_blocked 0
"""
OLD_CPUINFO = b"""processor\t: 0
cpu MHz\t\t: 1000.000
physical id\t: 0
core id\t\t: 0

processor\t: 1
cpu MHz\t\t: 3000.000
physical id\t: 0
core id\t\t: 0

"""
OLD_DISKSTATS = b"""   8    0 sda 10 1 80 5 20 2 160 6 0 11 11
   8    1 sda1 4 40 8 64
   8   16 sdb 1 0 8 1 2 0 16 1 0 2 2
"""
NET_DEV = (
    b"Inter-|   Receive                                                |  Transmit\n"
    b" face |bytes    packets errs drop fifo frame compressed multicast"
    b"|bytes    packets errs drop fifo colls carrier compressed\n"
    b"    lo:     100       1    0    0    0     0          0         0"
    b"      100       1    0    0    0     0       0          0\n"
    b"  eth0:    1000      10    1    2    0     0          0         0"
    b"     2000      20    3    4    0     0       0          0\n"
)


@pytest.fixture
def old_kernel(tmp_path: Path) -> ProcFS:
    """A hand-made tree of a 2.6.18-era kernel: 8 CPU columns, no softirq line, no
    MemAvailable, no pswpin in vmstat, 4-field partition lines in diskstats."""
    files = {
        "stat": OLD_STAT,
        "meminfo": OLD_MEMINFO,
        "vmstat": b"nr_free_pages 50000\npgpgin 10\n",
        "cpuinfo": OLD_CPUINFO,
        "diskstats": OLD_DISKSTATS,
        "net/dev": NET_DEV,
        "filesystems": b"nodev\tproc\n\text3\n",
        "self/mountinfo": b"15 1 8:1 / / rw,noatime - ext3 /dev/sda1 rw,data=ordered\n"
        b"16 15 0:3 / /proc rw - proc proc rw\n",
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return ProcFS(tmp_path)


def test_an_old_kernel_gives_none_and_zeros_where_it_counts_nothing(old_kernel: ProcFS) -> None:
    fs = old_kernel
    ticks = fs.ticks_per_second()
    times = fs.cpu_times()
    assert (times.user, times.steal) == (100 / ticks, 8 / ticks)
    assert times.guest is None and times.guest_nice is None
    assert fs.cpu_stats().soft_interrupts == 0 and fs.cpu_stats().interrupts == 1000
    assert fs.cpu_count() == 2 and fs.cpu_count(logical=False) == 1
    assert fs.cpu_counts() == CpuCounts(online=2, present=None, possible=None, cores=1, sockets=1)
    assert fs.cpu_freq() == CpuFreq(2000.0, None, None)
    assert fs.cpu_freq(percpu=True) == [CpuFreq(1000.0, None, None), CpuFreq(3000.0, None, None)]
    swap = fs.swap_memory()
    assert (swap.total, swap.used, swap.percent, swap.sin, swap.sout) == (
        500000 * 1024,
        100000 * 1024,
        20.0,
        0,
        0,
    )
    assert fs.virtual_memory().available == 200000 * 1024
    # the partition sda1 is left out of the total; its short line counts no time
    assert fs.disk_io_counters(perdisk=True)["sda1"] == DiskIoCounters(
        4, 8, 40 * 512, 64 * 512, 0, 0, 0, 0, 0
    )
    total = fs.disk_io_counters()
    assert (total.read_count, total.write_bytes, total.busy_time) == (11, 176 * 512, 13)
    net = fs.net_io_counters()
    assert net == NetIoCounters(2100, 1100, 21, 11, 1, 3, 2, 4)
    assert fs.disk_partitions() == [
        DiskPartition("/dev/sda1", "/", "ext3", "rw,noatime,data=ordered")
    ]
    assert len(fs.disk_partitions(all=True)) == 2


def test_a_cpu_percent_over_a_tree_that_does_not_move(old_kernel: ProcFS) -> None:
    assert old_kernel.cpu_percent() == 0.0
    assert old_kernel.cpu_percent(percpu=True) == [0.0, 0.0]
    idle = old_kernel.cpu_times_percent()
    assert idle.user == 0.0 and idle.guest is None


def test_percent_of_nothing_is_zero() -> None:
    assert percent(5, 0) == 0.0
    assert percent(1, 3) == 33.3


def _tree(root: Path, files: dict[str, str]) -> Root:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return Root(root)


def test_cpufreq_policies_of_a_hand_made_sysfs(tmp_path: Path) -> None:
    sysfs = _tree(
        tmp_path,
        {
            "cpufreq/policy0/scaling_cur_freq": "1200000\n",
            "cpufreq/policy0/scaling_min_freq": "800000\n",
            "cpufreq/policy0/scaling_max_freq": "3600000\n",
            # an old RedHat: no scaling_cur_freq, the hardware's cpuinfo_cur_freq
            "cpufreq/policy10/cpuinfo_cur_freq": "2000000\n",
            "cpufreq/policy10/scaling_min_freq": "800000\n",
            "cpufreq/policy10/scaling_max_freq": "3000000\n",
            "cpufreq/policy2/scaling_min_freq": "800000\n",  # offline: no current
            "cpufreq/policy2/scaling_max_freq": "3000000\n",
        },
    )
    assert sysfs_freqs(sysfs) == [
        CpuFreq(1200.0, 800.0, 3600.0),
        CpuFreq(0.0, 800.0, 3000.0),
        CpuFreq(2000.0, 800.0, 3000.0),
    ]


def test_cpufreq_per_cpu_before_policies_and_none_without(tmp_path: Path) -> None:
    sysfs = _tree(
        tmp_path / "a",
        {
            "cpu0/cpufreq/scaling_cur_freq": "1000000\n",
            "cpu0/cpufreq/scaling_min_freq": "1000000\n",
            "cpu0/cpufreq/scaling_max_freq": "2000000\n",
            "cpu1/topology/core_cpus_list": "1\n",
        },
    )
    assert sysfs_freqs(sysfs) == [CpuFreq(1000.0, 1000.0, 2000.0)]
    assert sysfs_freqs(_tree(tmp_path / "b", {"cpu0/topology/core_cpus_list": "0\n"})) is None


def test_topology_of_a_hand_made_sysfs(tmp_path: Path) -> None:
    files = {}
    for cpu, (siblings, package) in enumerate([("0,4", 0), ("1,5", 0), ("2,6", 1), ("3,7", 1)] * 2):
        files[f"cpu{cpu}/topology/core_cpus_list"] = siblings + "\n"
        files[f"cpu{cpu}/topology/physical_package_id"] = f"{package}\n"
    # a kernel before 5.3 names the list thread_siblings_list
    files["cpu8/topology/thread_siblings_list"] = "8\n"
    files["cpu8/topology/physical_package_id"] = "1\n"
    assert _topology(_tree(tmp_path, files)) == (5, 2)


def test_cpu_lists() -> None:
    assert _cpu_list("0-3,8,10-11\n", "x") == [0, 1, 2, 3, 8, 10, 11]
    assert _cpu_list("\n", "x") == []
    with pytest.raises(ParseError):
        _cpu_list("0-a", "x")


def test_mount_options_in_the_order_of_proc_mounts(tmp_path: Path) -> None:
    """mounts prints: ro or rw (either flag), the superblock flags, the per-mount options,
    then the filesystem's own (fs/proc_namespace.c)."""
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "mountinfo").write_bytes(
        b"20 1 8:1 / / rw,nosuid,relatime - ext4 /dev/sda1 rw,sync,lazytime,errors=remount-ro\n"
        b"21 20 8:2 / /ro ro,noatime - xfs /dev/sda2 rw,attr2\n"
        b"22 20 8:3 / /sb-ro rw - vfat /dev/sda3 ro,fmask=0022\n"
        b"23 20 0:40 / /mnt/a\\040b rw - tmpfs none rw\n"
    )
    fs = ProcFS(tmp_path)
    assert [(p.device, p.mountpoint, p.opts) for p in fs.disk_partitions(all=True)] == [
        ("/dev/sda1", "/", "rw,sync,lazytime,nosuid,relatime,errors=remount-ro"),
        ("/dev/sda2", "/ro", "ro,noatime,attr2"),
        ("/dev/sda3", "/sb-ro", "ro,fmask=0022"),
        ("", "/mnt/a b", "rw"),
    ]


def test_paging_matches_the_vmstat_record() -> None:
    first = FS.vmstat()
    paging = paging_of(FS)
    second = FS.vmstat()
    page = FS.page_size()
    assert first.pgpgin is not None and second.pgpgin is not None
    assert first.pgpgin * 1024 <= paging.paged_in <= second.pgpgin * 1024
    assert first.pswpout is not None and second.pswpout is not None
    assert first.pswpout * page <= paging.swapped_out <= second.pswpout * page
