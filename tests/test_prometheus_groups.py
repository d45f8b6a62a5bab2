"""procfs.prometheus.process_groups against process-exporter itself, run on the same config."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("prometheus_client")
pytest.importorskip("yaml")

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from procfs.prometheus.process_groups import ProcessGroupCollector, _go_time, _template

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from prometheus_client.metrics_core import Metric

EXPORTER = shutil.which("prometheus-process-exporter") or shutil.which("process-exporter")
PROMTOOL = shutil.which("promtool")

CONFIG = """\
process_names:
  - comm: [pgtestcomm]
    name: "{{.Comm}}:{{.ExeBase}}"
  - name: "app:{{.Matches.app}}"
    cmdline: ['pgtest-b-(?P<app>[a-z]+)', 'threads']
  - name: "{{.ExeBase}}-exe"
    exe: [pgtestexe]
  - name: "{{.Comm}}"
    comm: [bash, sshd, systemd, cron]
"""
# The groups of the processes the test starts, and how many processes each has.
OURS = {"pgtestcomm:pgtestcomm": 2, "app:alpha": 3, "pgtestexe-exe": 1}
# Scraped and compared at the same moment, but not the same instant: a counter
# or memory size of a process we do not control may move in between.
COUNTER_MOVEMENT = 0.05  # of the value, or at least...
COUNTER_FLOOR = {"cpu_seconds": 0.5, "context_switches": 200, "page_faults": 5000, "bytes": 1 << 20}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


PARENT = """
import subprocess, sys, threading, time
kids = [subprocess.Popen(["sleep", "300"]) for _ in range(2)]
for _ in range(2):
    threading.Thread(target=time.sleep, args=(300,), daemon=True).start()
print("ready", flush=True)
time.sleep(300)
"""


@pytest.fixture(scope="module")
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes of known groups: two by comm, a parent of three threads matched by its
    cmdline with two children that match nothing (so join it), one by exe."""
    sleep = shutil.which("sleep")
    assert sleep is not None
    tmp = tmp_path_factory.mktemp("bin")
    started: list[subprocess.Popen[bytes]] = []
    try:
        for name in ("pgtestcomm", "pgtestexe"):
            shutil.copy(sleep, tmp / name)
        started += [subprocess.Popen([str(tmp / "pgtestcomm"), "300"]) for _ in range(2)]
        started.append(subprocess.Popen([str(tmp / "pgtestexe"), "300"]))
        parent = subprocess.Popen(
            [sys.executable, "-c", PARENT, "pgtest-b-alpha", "threads"], stdout=subprocess.PIPE
        )
        started.append(parent)
        assert parent.stdout is not None and parent.stdout.readline() == b"ready\n"
        yield started
    finally:
        for process in started:
            with contextlib.suppress(OSError):
                if process.pid == started[-1].pid:  # the parent: its children too
                    for child in _children(process.pid):
                        os.kill(child, 9)
                process.kill()
            process.wait()


def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{pid}/children") as file:
        return [int(child) for child in file.read().split()]
    return []


def families(text: str) -> dict[str, Metric]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def samples(family: Metric) -> dict[tuple[tuple[str, str], ...], float]:
    return {tuple(sorted(s.labels.items())): s.value for s in family.samples}


@pytest.fixture(scope="module")
def both(
    processes: list[subprocess.Popen[bytes]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    """(process-exporter's text, ours), scraped one right after the other."""
    if EXPORTER is None:
        pytest.skip("process-exporter is not installed (Debian prometheus-process-exporter)")
    config = tmp_path_factory.mktemp("config") / "config.yaml"
    config.write_text(CONFIG)
    port = free_port()
    exporter = subprocess.Popen(
        [EXPORTER, "-config.path", str(config), "-web.listen-address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ours = ProcessGroupCollector.from_file(config)
        registry = CollectorRegistry()
        registry.register(ours)
        url = f"http://127.0.0.1:{port}/metrics"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    response.read()
                break
            except OSError:
                if time.monotonic() > deadline or exporter.poll() is not None:
                    pytest.fail("process-exporter did not start")
                time.sleep(0.1)
        text = generate_latest(registry).decode()
        with urllib.request.urlopen(url, timeout=10) as response:
            theirs: str = response.read().decode()
        return theirs, text
    finally:
        exporter.kill()
        exporter.wait()


def test_same_families_labels_types_and_help(both: tuple[str, str]) -> None:
    theirs = {k: v for k, v in families(both[0]).items() if k.startswith("namedprocess_")}
    ours = families(both[1])
    assert set(ours) == set(theirs)
    for name, family in ours.items():
        if name.startswith("namedprocess_scrape_"):
            # prometheus_client writes a counter as NAME_total: these keep their names untyped
            assert (family.type, theirs[name].type) == ("unknown", "counter")
        else:
            assert family.type == theirs[name].type, name
        assert family.documentation == theirs[name].documentation, name
        assert {tuple(sorted(s.labels)) for s in family.samples} == {
            tuple(sorted(s.labels)) for s in theirs[name].samples
        }, name


def test_same_groups(both: tuple[str, str]) -> None:
    theirs = families(both[0])["namedprocess_namegroup_num_procs"]
    ours = families(both[1])["namedprocess_namegroup_num_procs"]
    assert {s.labels["groupname"] for s in ours.samples} == {
        s.labels["groupname"] for s in theirs.samples
    }
    mine = {s.labels["groupname"]: s.value for s in ours.samples}
    assert {name: mine[name] for name in OURS} == OURS


def test_same_values_for_the_groups_we_control(both: tuple[str, str]) -> None:
    theirs, ours = families(both[0]), families(both[1])
    exact = ["num_procs", "num_threads", "states", "open_filedesc", "worst_fd_ratio"]
    exact += ["oldest_start_time_seconds", "thread_count"]
    for suffix in exact:
        name = "namedprocess_namegroup_" + suffix
        a, b = samples(theirs[name]), samples(ours[name])
        for labels, value in b.items():
            if dict(labels)["groupname"] in OURS:
                assert value == pytest.approx(a[labels]), (name, labels)
    # sleeping processes: their memory holds still, their counters hardly move
    memory = "namedprocess_namegroup_memory_bytes"
    a, b = samples(theirs[memory]), samples(ours[memory])
    for labels, value in b.items():
        if dict(labels)["groupname"] in OURS:
            assert value == pytest.approx(a[labels], rel=0.1, abs=1 << 20), labels


def test_counters_within_movement(both: tuple[str, str]) -> None:
    theirs, ours = families(both[0]), families(both[1])
    for name, family in ours.items():
        if family.type != "counter":
            continue
        floor = next(v for k, v in COUNTER_FLOOR.items() if k in name)
        a = samples(theirs[name])
        for labels, value in samples(family).items():
            # (another group's counts depend on which processes began between the
            # two collectors' first scrapes, which count from there)
            if dict(labels)["groupname"] in OURS:
                assert abs(value - a[labels]) <= max(floor, COUNTER_MOVEMENT * a[labels]), (
                    name,
                    labels,
                )


def test_our_text_parses_and_passes_promtool(both: tuple[str, str]) -> None:
    assert families(both[1])
    if PROMTOOL is None:
        pytest.skip("promtool is not installed (Debian prometheus)")
    checked = subprocess.run(
        [PROMTOOL, "check", "metrics"], input=both[1].encode(), capture_output=True
    )
    # only the lint of process-exporter's own name for it
    lines = (checked.stdout + checked.stderr).decode().splitlines()
    assert all("namedprocess_namegroup_thread_count" in line for line in lines), lines


# -- without process-exporter: the tracker's semantics ---------------------------


BURN = "x = 0\nfor i in range(3_000_000): x += i"


def test_counters_keep_the_counts_of_exited_members(tmp_path: Path) -> None:
    collector = ProcessGroupCollector(
        {"process_names": [{"name": "burn", "cmdline": ["pgtest-burn"]}]}, threads=False
    )
    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nx = 0\nfor i in range(3_000_000): x += i",
            "pgtest-burn",
        ]
    )
    burner.wait()
    # it exited before any scrape saw it: nothing to count
    assert "burn" not in collector.update()
    sleeper = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nx = 0\nfor i in range(3_000_000): x += i\ntime.sleep(30)",
            "pgtest-burn",
        ]
    )
    try:
        deadline = time.monotonic() + 30
        cpu = 0.0
        while time.monotonic() < deadline:
            groups = collector.update()
            if "burn" in groups:
                cpu = groups["burn"].counts[0] + groups["burn"].counts[1]
                if cpu > 0.05:
                    break
            time.sleep(0.1)
        assert cpu > 0.05  # started after the first scrape: all its CPU counts
        assert groups["burn"].procs == 1
    finally:
        sleeper.kill()
        sleeper.wait()
    after = collector.update()["burn"]
    assert after.procs == 0 and after.num_threads == 0
    assert after.counts[0] + after.counts[1] >= cpu  # kept: counters never go down
    assert after.oldest_start == -62135596800.0  # Go's zero time, as process-exporter shows


@pytest.mark.parametrize("remove", [False, True])
def test_remove_empty_groups_forgets_them(remove: bool) -> None:
    collector = ProcessGroupCollector(
        [{"name": "gone", "cmdline": ["pgtest-gone"]}], remove_empty_groups=remove
    )
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "pgtest-gone"])
    try:
        deadline = time.monotonic() + 10
        while "gone" not in (groups := collector.update()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert groups["gone"].procs == 1
    finally:
        child.kill()
        child.wait()
    groups = collector.update()
    if remove:
        assert "gone" not in groups
    else:
        assert groups["gone"].procs == 0


def test_name_templates() -> None:
    from procfs.prometheus.process_groups import _Attributes

    process = _Attributes(
        "nginx", ["/usr/sbin/nginx", "-g", "x"], "www", 42, 1700000000.25, ["/a", "/b"]
    )
    render = _template("{{.Comm}}|{{.ExeBase}}|{{.ExeFull}}|{{.Username}}|{{.PID}}|{{.Cgroups}}")
    assert render(process, {}) == "nginx|nginx|/usr/sbin/nginx|www|42|[/a /b]"
    assert _template("{{ .Matches.x }}-{{.Matches.y}}")(process, {"x": "1"}) == "1-<no value>"
    assert _template("a {{- .PID -}} b")(process, {}) == "a42b"
    assert _go_time(1700000000.25) == "2023-11-14 22:13:20.25 +0000 UTC"
    assert _go_time(1700000000.0) == "2023-11-14 22:13:20 +0000 UTC"
    with pytest.raises(ValueError, match="not one of"):
        _template("{{.Nope}}")
    with pytest.raises(ValueError, match="unclosed"):
        _template("{{.Comm")


def test_bad_configurations_are_refused() -> None:
    with pytest.raises(ValueError, match="process_names"):
        ProcessGroupCollector.from_yaml("foo: 1")
    with pytest.raises(ValueError, match="no matchers"):
        ProcessGroupCollector.from_yaml("process_names:\n  - name: x\n")
    with pytest.raises(ValueError, match="bad cmdline regex"):
        ProcessGroupCollector.from_yaml("process_names:\n  - cmdline: ['(']\n")
    with pytest.raises(ValueError, match="bad YAML"):
        ProcessGroupCollector.from_yaml("process_names: [")


# -- a hand-made tree: every value worked out from its files ---------------------------

VIM_STAT = (
    "26231 (vim) R 5392 7446 5392 34835 7446 4218880 32533 309516 26 82 1677 44 158 99 20 0"
    " 1 0 82375 56274944 1981 18446744073709551615 4194304 6294284 140736914091744"
    " 140736914087944 139965136429984 0 0 12288 1870679807 0 0 0 17 0 0 0 31 0 0 8391624"
    " 8481048 16420864 140736914093252 140736914093279 140736914093279 140736914096107 0\n"
)


def _fake_process(tree: Path, pid: int, ppid: int, utime: int, cmdline: bytes, fds: int) -> None:
    from tests.conftest import SAMPLES

    source = SAMPLES / "prometheus-fixtures" / "proc" / "26231"
    directory = tree / str(pid)
    (directory / "fd").mkdir(parents=True, exist_ok=True)
    for name in ("status", "io", "limits", "wchan", "smaps_rollup"):
        (directory / name).write_bytes((source / name).read_bytes())
    fields = VIM_STAT.split(" ")
    fields[0], fields[3], fields[13] = str(pid), str(ppid), str(utime)
    (directory / "stat").write_text(" ".join(fields))
    (directory / "cmdline").write_bytes(cmdline)
    for fd in range(fds):
        link = directory / "fd" / str(fd)
        if not link.is_symlink():
            link.symlink_to("/dev/null")


def test_a_captured_tree_by_hand(tmp_path: Path) -> None:
    import shutil as sh

    tree = tmp_path / "proc"
    tree.mkdir()
    (tree / "stat").write_text("cpu  1 2 3 4\nbtime 1000000000\n")
    # vim (matched by its cmdline) and its child (matched by nothing: joins vim's group)
    _fake_process(tree, 26231, 1, 1677, b"vim\0test.go\0+10\0", 3)
    _fake_process(tree, 26232, 26231, 100, b"cat\0", 1024)
    config = [{"name": "{{.Comm}}:{{.Matches.file}}", "cmdline": [r"(?P<file>\S+\.go)"]}]
    collector = ProcessGroupCollector(config, root=str(tree))
    group = collector.update()["vim:test.go"]
    assert group.procs == 2
    assert group.num_threads == 2  # num_threads of each stat line: 1
    assert group.open_fds == 3 + 1024
    assert group.worst_fd_ratio == 1024 / 2048  # the soft limit of open files
    assert group.resident == 2 * 1981 * os.sysconf("SC_PAGE_SIZE")
    assert group.virtual == 2 * 56274944
    assert group.swapped == 2 * 660 * 1024
    assert group.proportional_resident == 2 * 29944 * 1024
    assert group.proportional_swapped == 2 * 1940 * 1024
    assert group.oldest_start == 1000000000 + 82375 // 100
    assert group.states == [2, 0, 0, 0, 0]  # R, R
    assert group.wchans == {"poll_schedule_timeout": 2}
    assert group.counts == [0.0] * 8  # both were running before the first scrape
    # vim uses 2.5 s of CPU and 100 context switches; its child exits
    _fake_process(tree, 26231, 1, 1677 + 250, b"vim\0test.go\0+10\0", 3)
    status = (tree / "26231" / "status").read_text()
    (tree / "26231" / "status").write_text(
        status.replace("voluntary_ctxt_switches:\t4742839", "voluntary_ctxt_switches:\t4742939")
    )
    sh.rmtree(tree / "26232")
    group = collector.update()["vim:test.go"]
    assert group.procs == 1 and group.open_fds == 3
    assert group.counts[0] == pytest.approx(2.5)
    assert group.counts[6] == 100
    # vim exits too: the group stays, its counters kept, its gauges zero
    sh.rmtree(tree / "26231")
    group = collector.update()["vim:test.go"]
    assert group.procs == 0 and group.counts[0] == pytest.approx(2.5)
    # a new process with the same name counts all it did (it started after the first scrape)
    fields_start = 100 * (int(time.time()) + 2 - 1000000000)  # (after the first scrape)
    _fake_process(tree, 30000, 1, 40, b"vim\0other/test.go\0", 0)
    stat = (tree / "30000" / "stat").read_text().split(" ")
    stat[21] = str(fields_start)
    (tree / "30000" / "stat").write_text(" ".join(stat))
    groups = collector.update()
    assert groups["vim:other/test.go"].counts[0] == pytest.approx(0.4)
    assert groups["vim:test.go"].counts[0] == pytest.approx(2.5)


def test_a_process_that_did_not_run_keeps_its_io_and_wchan(tmp_path: Path) -> None:
    """A sleeping process's io and wchan are not read again until it has run (its
    context switches moved): on a hand-made tree told it is a procfs, io and wchan
    changed alone are not seen, and are once status shows a context switch."""
    tree = tmp_path / "proc"
    tree.mkdir()
    (tree / "stat").write_text("cpu  1 2 3 4\nbtime 1000000000\n")
    _fake_process(tree, 26231, 1, 1677, b"vim\0test.go\0", 3)
    stat = tree / "26231" / "stat"
    stat.write_text(stat.read_text().replace(" R ", " S ", 1))  # asleep
    collector = ProcessGroupCollector(
        [{"name": "vim", "cmdline": ["vim"]}], root=str(tree), children=False
    )
    collector._asleep = True  # (what a procfs gets: the kernel moves io only as it runs)
    assert collector.update()["vim"].wchans == {"poll_schedule_timeout": 1}
    io, status = tree / "26231" / "io", tree / "26231" / "status"
    written = "write_bytes: 2048"
    assert written in io.read_text()
    io.write_text(io.read_text().replace(written, "write_bytes: 6144"))
    (tree / "26231" / "wchan").write_text("do_select")
    group = collector.update()["vim"]  # stat and status as they were: not run
    assert group.counts[3] == 0 and group.wchans == {"poll_schedule_timeout": 1}
    switches = "voluntary_ctxt_switches:\t4742839"
    assert switches in status.read_text()
    status.write_text(status.read_text().replace(switches, "voluntary_ctxt_switches:\t4742840"))
    group = collector.update()["vim"]  # it ran: both read again
    assert group.counts[3] == 4096 and group.counts[6] == 1
    assert group.wchans == {"do_select": 1}


WAKER = """
import os, sys, time
os.read(int(sys.argv[1]), 1)  # asleep in a pipe read until told
with open(sys.argv[2], "wb") as file:
    file.write(b"x" * (1 << 20))
    file.flush()
    os.fsync(file.fileno())
print("wrote", flush=True)
time.sleep(60)  # asleep elsewhere
"""


def _asleep(pid: int, deadline: float) -> tuple[str, int]:
    """The wchan and write_bytes of the process ``pid`` once it sleeps (state S, the same
    wchan and written bytes twice 50 ms apart)."""

    def look() -> tuple[str, str, int]:
        with open(f"/proc/{pid}/stat") as file:
            state = file.read().rsplit(")", 1)[1].split()[0]
        with open(f"/proc/{pid}/wchan") as file:
            wchan = file.read().strip()
        with open(f"/proc/{pid}/io") as file:
            written = next(int(line.split()[1]) for line in file if line.startswith("write_b"))
        return state, wchan, written

    seen = look()
    while True:
        time.sleep(0.05)
        now = look()
        if now == seen and now[0] == "S" and now[1] not in ("", "0"):
            return now[1], now[2]
        assert time.monotonic() < deadline, now
        seen = now


def test_a_sleeper_that_wakes_is_read_again(tmp_path: Path) -> None:
    """Live: a process asleep at two scrapes (its io and wchan then not read) wakes,
    writes 1 MiB and sleeps elsewhere; the next scrape has the wchan and the written
    bytes its /proc files show."""
    r, w = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-c", WAKER, str(r), str(tmp_path / "out"), "pgtest-waker"],
        pass_fds=(r,),
        stdout=subprocess.PIPE,
    )
    os.close(r)
    try:
        deadline = time.monotonic() + 30
        first_wchan, first_written = _asleep(child.pid, deadline)
        collector = ProcessGroupCollector([{"name": "waker", "cmdline": ["pgtest-waker"]}])
        collector.update()
        before = collector.update()["waker"]
        assert collector._procs[str(child.pid)].idle  # (read without io and wchan next)
        assert before.wchans == {first_wchan: 1}
        os.write(w, b"x")
        assert child.stdout is not None and child.stdout.readline() == b"wrote\n"
        wchan, written = _asleep(child.pid, deadline)
        after = collector.update()["waker"]
        assert wchan != first_wchan
        assert after.wchans == {wchan: 1}
        assert after.counts[3] - before.counts[3] == written - first_written
        assert after.counts[6] > before.counts[6]  # voluntary context switches
    finally:
        os.close(w)
        child.kill()
        child.wait()


def test_the_fd_limit_of_another_users_process(tmp_path: Path) -> None:
    """The limit of open files of a process of another user (prlimit(2) may refuse it:
    then its limits file): the worst ratio is its open descriptors over its soft limit."""
    import ctypes
    import resource

    libc = ctypes.CDLL(None)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a name of its own, a soft limit of 123, then nobody
        try:
            libc.prctl(15, b"pgtestnobody", 0, 0, 0)  # PR_SET_NAME
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (123, hard))
            os.setgid(65534)
            os.setuid(65534)
            os.write(ready_w, b"x")
            time.sleep(60)
        finally:
            os._exit(0)
    os.close(ready_w)
    try:
        assert os.read(ready_r, 1) == b"x"
        with open(f"/proc/{pid}/limits") as file:
            row = next(line for line in file if line.startswith("Max open files"))
        assert row.split()[3] == "123"
        collector = ProcessGroupCollector([{"name": "nobody", "comm": ["pgtestnobody"]}])
        group = collector.update()["nobody"]
        assert group.procs == 1
        open_fds = len(os.listdir(f"/proc/{pid}/fd"))
        assert group.open_fds == open_fds
        assert group.worst_fd_ratio == open_fds / 123
    finally:
        os.close(ready_r)
        os.kill(pid, 9)
        os.waitpid(pid, 0)


@pytest.mark.parametrize("recheck", [False, True])
def test_recheck_names_again_a_process_no_rule_took(tmp_path: Path, recheck: bool) -> None:
    """A process no rule names is ignored for good, unless ``recheck``: then a cmdline
    that changes later (an exec, a program renaming itself) puts it in a group."""
    tree = tmp_path / "proc"
    tree.mkdir()
    (tree / "stat").write_text("cpu  1 2 3 4\nbtime 1000000000\n")
    _fake_process(tree, 26231, 1, 1677, b"cat\0", 3)
    collector = ProcessGroupCollector(
        [{"name": "vim", "cmdline": ["vim"]}], root=str(tree), recheck=recheck
    )
    assert "vim" not in collector.update()
    (tree / "26231" / "cmdline").write_bytes(b"vim\0test.go\0")
    groups = collector.update()
    assert ("vim" in groups) is recheck
    if recheck:
        assert groups["vim"].procs == 1 and groups["vim"].counts == [0.0] * 8


def test_a_reused_pid_is_another_process(tmp_path: Path) -> None:
    """A pid whose start time changed is a new process: named again by its own cmdline,
    and (started after the first scrape) counting all it did; the old one's counts stay
    in its group."""
    tree = tmp_path / "proc"
    tree.mkdir()
    (tree / "stat").write_text("cpu  1 2 3 4\nbtime 1000000000\n")
    _fake_process(tree, 26231, 1, 1677, b"vim\0test.go\0", 3)
    config = [{"name": "{{.Comm}}:{{.Matches.file}}", "cmdline": [r"(?P<file>\S+\.go)"]}]
    collector = ProcessGroupCollector(config, root=str(tree))
    _fake_process(tree, 26231, 1, 1677 + 100, b"vim\0test.go\0", 3)
    assert collector.update()["vim:test.go"].counts[0] == pytest.approx(1.0)
    started = 100 * (int(time.time()) + 2 - 1000000000)  # (after the first scrape)
    _fake_process(tree, 26231, 1, 30, b"vim\0other.go\0", 3)
    stat = (tree / "26231" / "stat").read_text().split(" ")
    stat[21] = str(started)
    (tree / "26231" / "stat").write_text(" ".join(stat))
    groups = collector.update()
    assert groups["vim:test.go"].procs == 0
    assert groups["vim:test.go"].counts[0] == pytest.approx(1.0)
    assert groups["vim:other.go"].procs == 1
    assert groups["vim:other.go"].counts[0] == pytest.approx(0.3)
