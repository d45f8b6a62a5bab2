"""``procfs top``: batch mode against procps ``top -b``, the live screen in tmux."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from procfs.cli import main
from procfs.cli.top import scale_kib, scale_time

TOP = shutil.which("top")
TMUX = shutil.which("tmux")
PROCFS = Path(sys.executable).parent / "procfs"


def ours(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["top", *argv]) == 0
    return out.getvalue()


def theirs(*argv: str) -> str:
    return subprocess.run(["top", *argv], capture_output=True, text=True, check=True).stdout


def test_scaling_as_top_does() -> None:
    assert scale_kib(123456, 7) == "123456"
    assert scale_kib(12345678, 8) == "12345678"
    assert scale_kib(12345678, 7) == "11.8g"  # 12056.3m is 8 wide: one more step
    assert scale_kib(1024**3, 6) == "1.0t"  # 1024.0g is 7 wide
    assert scale_time(100 * 61 + 25, 100) == "1:01.25"  # 61.25 s
    assert scale_time(100 * 3600 * 200, 100, 9) == "12000:00"  # 200 h: no room for hundredths
    assert scale_time(100 * 3600 * 20000, 100, 9) == "20000,00"  # hours,minutes


def _words(line: str) -> list[str]:
    """The words of a header line, without its numbers and punctuation."""
    return re.findall(r"[^\d\s.,:]+", line)


def _table(text: str) -> tuple[list[str], dict[int, list[str]]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("PID"))
    rows = {}
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        fields = line.split(None, 11)
        rows[int(fields[0])] = fields
    return lines[:start], rows


@pytest.mark.skipif(TOP is None, reason="procps top is not installed")
def test_batch_frame_as_top_prints_it() -> None:
    first = ours("-b", "-n", "1")
    reference = theirs("-b", "-n", "1", "-w", "512")
    second = ours("-b", "-n", "1")
    head, rows = _table(first)
    their_head, their_rows = _table(reference)
    _, later = _table(second)
    # the same header lines, in the same places, with the same words
    assert len(head) == len(their_head) == 6
    for mine, other in zip(head, their_head, strict=True):
        assert _words(mine) == _words(other), (mine, other)
    assert head[3].split(",")[0] == their_head[3].split(",")[0]  # MiB Mem total
    assert head[4].split(",")[0] == their_head[4].split(",")[0]  # MiB Swap total
    assert _table(first)[0][5] == ""
    title = first.splitlines()[6]
    assert title.split() == reference.splitlines()[6].split()
    common = set(rows) & set(their_rows) & set(later)
    assert len(common) > 10

    def shown(fields: list[str]) -> list[str]:
        # (a kworker's name ends with the work queue it serves: it changes all the time)
        command = fields[11]
        if command.startswith("kworker/"):
            command = command.partition("-")[0]
        return [fields[1], fields[2], fields[3], command]

    for pid in common:
        # USER PR NI and COMMAND as top shows them (unless they changed meanwhile)
        assert shown(their_rows[pid]) in (shown(rows[pid]), shown(later[pid])), pid


def test_batch_options() -> None:
    me = str(os.getpid())
    text = ours("-b", "-n", "2", "-d", "0.1", "-p", me, "-1")
    frames = text.split("\n\ntop - ")
    assert len(frames) == 2
    cpu_lines = [line for line in frames[0].splitlines() if line.startswith("%Cpu")]
    assert len(cpu_lines) == os.sysconf("SC_NPROCESSORS_ONLN")  # /proc/stat lists online CPUs
    _, rows = _table(frames[1])
    assert list(rows) == [int(me)]
    assert main(["top", "-b", "-n", "x"]) == 2
    assert main(["top", "-o", "nosuch"]) == 2


def _nobody() -> int:
    """A child that became ``nobody`` (which makes it not dumpable) and sleeps until
    killed; returns its pid once it has."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            os.write(write_end, b"ready")
            while True:
                time.sleep(60)
        finally:
            os._exit(1)
    os.close(write_end)
    assert os.read(read_end, 5) == b"ready"
    os.close(read_end)
    return pid


@pytest.mark.skipif(TOP is None or os.geteuid() != 0, reason="needs procps top, and root")
def test_the_user_is_the_owner_of_the_process_directory() -> None:
    # procps top's USER is the owner of /proc/PID, which the kernel keeps the effective
    # user (for procps's sake) even when the process's files are root's, as here
    pid = _nobody()
    try:
        argv = ("-b", "-n", "1", "-p", str(pid))
        _, rows = _table(ours(*argv))
        _, their_rows = _table(theirs(*argv))
        import pwd

        owner = pwd.getpwuid(os.stat(f"/proc/{pid}").st_uid).pw_name
        assert rows[pid][1] == their_rows[pid][1] == owner == "nobody"
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


#: A process's stat with its pid, comm, state, utime and stime to fill in (priority 20,
#: nice 0, started 400 ticks after boot).
_STAT = (
    "{pid} ({comm}) {state} 1 {pid} {pid} 0 -1 4194304 90 0 0 0 {utime} {stime} 0 0 20 0 1 0 "
    "400 8192 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
)
_STATUS = "Name:\t{comm}\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t{pid}\nPid:\t{pid}\n"


def _captured(root: Path, processes: dict[int, tuple[str, str, int, int, str, int]]) -> None:
    """A captured tree under ``root``: this machine's system files, and ``processes``
    by pid: (comm, state, utime, stime, statm, effective uid)."""
    for name in ("stat", "meminfo", "loadavg", "uptime"):
        (root / name).write_bytes(Path("/proc", name).read_bytes())
    (root / "sys" / "kernel").mkdir(parents=True, exist_ok=True)
    (root / "sys" / "kernel" / "pid_max").write_text("32768\n")
    for pid, (comm, state, utime, stime, statm, euid) in processes.items():
        directory = root / str(pid)
        directory.mkdir(exist_ok=True)
        values = {"pid": pid, "comm": comm, "state": state, "utime": utime, "stime": stime}
        (directory / "stat").write_text(_STAT.format(**values))
        (directory / "statm").write_text(statm + "\n")
        (directory / "status").write_text(
            _STATUS.format(**values) + f"Uid:\t0\t{euid}\t0\t0\nGid:\t0\t0\t0\t0\n"
        )


@pytest.mark.parametrize("busy", [False, True], ids=["quiet", "busy"])
def test_a_captured_tree(tmp_path: Path, busy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A root that is not a procfs: the user from status (its directories are the
    capturer's), the sizes from statm in KiB, the time from stat. On a busy machine
    (no time left in the priming wait), the frame reads all of it."""
    if busy:
        monkeypatch.setattr("procfs.cli.top.PRIMING_SECONDS", 0.0)
    _captured(
        tmp_path,
        {
            5: ("sleep", "S", 250, 50, "2048 512 256 1 0 100 0", 65534),
            7: ("yes", "R", 3, 1, "4 2 1 1 0 1 0", 0),
        },
    )
    kib = os.sysconf("SC_PAGE_SIZE") // 1024
    hertz = os.sysconf("SC_CLK_TCK")
    total = int(Path("/proc/meminfo").read_text().split()[1])  # MemTotal, kB
    text = ours("-b", "-n", "1", "--root", str(tmp_path))
    lines = text.splitlines()
    assert lines[1] == "Tasks:   2 total,   1 running,   1 sleeping,   0 stopped,   0 zombie"
    title = " ".join(lines[6].split())
    assert title == "PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND"

    def row(
        pid: int, user: str, state: str, pages: tuple[int, int, int], ticks: int, comm: str
    ) -> str:
        virt, res, shared = (count * kib for count in pages)
        seconds, hundredths = divmod(ticks * 100 // hertz, 100)
        return (
            f"{pid:5d} {user:<8s}  20   0 {virt:7d} {res:6d} {shared:6d} {state}   0.0 "
            f"{res * 100 / total:5.1f}   0:{seconds:02d}.{hundredths:02d} {comm}"
        )

    # by %CPU (0.0 for both: their stat did not change), then by pid
    assert lines[7:] == [
        row(5, "nobody", "S", (2048, 512, 256), 300, "sleep"),
        row(7, "root", "R", (4, 2, 1), 4, "yes"),
    ]


def test_the_cpu_used_between_two_readings(tmp_path: Path) -> None:
    """%CPU: the ticks a process gained between its two readings over the time between
    them (bounded by the clock read around each reading)."""
    from procfs._fs import Root
    from procfs.cli.top import Priming, Viewer
    from procfs.system import SystemFiles

    _captured(
        tmp_path,
        {
            5: ("busy", "R", 100, 0, "10 5 2 1 0 1 0", 0),
            6: ("idle", "S", 7, 3, "10 5 2 1 0 1 0", 0),
        },
    )
    start = time.monotonic()
    priming = Priming(Root(tmp_path))
    primed = time.monotonic()
    viewer = Viewer(SystemFiles(str(tmp_path)), priming, None, None, False)
    # 50 more ticks for the busy one, whose statm changed with its stat
    _captured(tmp_path, {5: ("busy", "R", 130, 20, "10 9 2 1 0 1 0", 0)})
    before = time.monotonic()
    frame = viewer.frame()
    after = time.monotonic()
    tasks = {task.pid: task for task in frame.tasks}
    hertz = os.sysconf("SC_CLK_TCK")
    assert 5000 / hertz / (after - start) <= tasks[5].cpu <= 5000 / hertz / (before - primed)
    assert (tasks[5].ticks, tasks[5].rss) == (150, 9 * os.sysconf("SC_PAGE_SIZE") // 1024)
    assert (tasks[6].cpu, tasks[6].ticks) == (0.0, 10)


def test_what_a_frame_reads_again(tmp_path: Path) -> None:
    """A process whose stat did not change keeps its sizes (statm is not read again:
    they cannot have changed) but not a user who changed, nor a %CPU it had."""
    from procfs._fs import Root
    from procfs.cli.top import Priming, Viewer
    from procfs.system import SystemFiles

    idle, user, busy = 5, 6, 7  # (the one whose user changes)
    _captured(
        tmp_path,
        {
            idle: ("a", "S", 1, 1, "10 5 2 1 0 1 0", 0),
            user: ("b", "S", 1, 1, "4 2 1 1 0 1 0", 0),
            busy: ("c", "R", 1, 0, "8 4 2 1 0 1 0", 0),
        },
    )
    viewer = Viewer(SystemFiles(str(tmp_path)), Priming(Root(tmp_path)), None, None, False)
    _captured(
        tmp_path,
        {
            user: ("b", "S", 1, 1, "4 2 1 1 0 1 0", 65534),
            busy: ("c", "R", 9, 0, "8 4 2 1 0 1 0", 0),
        },
    )
    # (a statm changed behind an unchanged stat, which a kernel cannot do: not read again)
    (tmp_path / str(idle) / "statm").write_text("99 99 99 1 0 1 0\n")
    first = {task.pid: task for task in viewer.frame().tasks}
    _captured(tmp_path, {busy: ("c", "R", 9, 0, "8 4 2 1 0 1 0", 0)})
    second = {task.pid: task for task in viewer.frame().tasks}
    kib = os.sysconf("SC_PAGE_SIZE") // 1024
    assert (first[idle].size, second[idle].size) == (10 * kib, 10 * kib)
    assert (first[user].user, second[user].user) == ("nobody", "nobody")
    assert first[busy].cpu > 0 and second[busy].cpu == 0.0
    assert second[idle] is first[idle]  # (kept whole, and its row with it)


# -- the live screen, in tmux --------------------------------------------------------


class Pane:
    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def text(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def wait_for(self, predicate: object, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if predicate(text):  # type: ignore[operator]
                return text
            time.sleep(0.1)
        raise AssertionError(f"the screen never matched; it shows:\n{text}")

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "list-panes", "-t", self.name, "-F", "#{pane_dead}"],
            capture_output=True,
            text=True,
        )
        return result.returncode == 0 and result.stdout.strip() == "0"


@pytest.fixture
def pane() -> Iterator[Pane]:
    name = f"procfs-top-{os.getpid()}"
    command = f"{PROCFS} top -d 0.5; sleep 30"  # (the shell keeps the pane to look at after q)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", "132", "-y", "40", command],
        check=True,
        env={**os.environ, "TERM": "xterm"},
    )
    try:
        yield Pane(name)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def _rows(text: str) -> list[list[str]]:
    return list(_table(text)[1].values())


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_the_live_screen(pane: Pane) -> None:
    sleeper = subprocess.Popen(["sleep", "300"])
    try:
        text = pane.wait_for(lambda t: "PID USER" in t and "MiB Swap" in t)
        assert text.startswith("top - ")
        pane.keys("1")
        text = pane.wait_for(lambda t: "%Cpu0" in t)
        assert "%Cpu(s)" not in text
        cpus = [line for line in text.splitlines() if line.startswith("%Cpu")]
        assert len(cpus) == os.sysconf("SC_NPROCESSORS_ONLN")
        pane.keys("M")  # by resident memory: RES never grows down the table
        text = pane.wait_for(lambda t: len(_rows(t)) > 3)
        time.sleep(0.6)
        text = pane.text()
        resident = [_kib(row[5]) for row in _rows(text)]
        assert resident == sorted(resident, reverse=True)
        pane.keys("o")
        pane.keys("sleep", "Enter")
        text = pane.wait_for(lambda t: {row[11] for row in _rows(t)} == {"sleep"})
        pane.keys("k")
        pane.wait_for(lambda t: "PID to signal" in t)
        pane.keys(str(sleeper.pid), "Enter")
        pane.wait_for(lambda t: "signal [15/sigterm]" in t)
        pane.keys("9", "Enter")
        assert sleeper.wait(10) == -9
        subprocess.run(["tmux", "resize-window", "-t", pane.name, "-x", "80", "-y", "20"])
        text = pane.wait_for(lambda t: "PID USER" in t and max(map(len, t.splitlines())) <= 80)
        pane.keys("q")
        pane.wait_for(lambda t: "PID USER" not in t)  # back to the shell: the screen is restored
    finally:
        sleeper.kill()
        sleeper.wait()


def _kib(text: str) -> float:
    units = {"m": 1024, "g": 1024**2, "t": 1024**3}
    if text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def test_bash_completion_offers_the_options_of_top() -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    from tests.test_cli import _bash_complete

    assert {"-b", "-n", "-d", "-p", "-u", "-o", "-1", "-w", "--root"} <= set(
        _bash_complete("procfs", "top", "-")
    )
    assert _bash_complete("procfs", "top", "--r") == ["--root"]


# -- the screen on a pseudo-terminal: how it ends ------------------------------------


def _on_a_terminal(columns: int, end: str) -> tuple[int, bytes, int]:
    """Run ``procfs top`` on a ``columns``-wide pseudo-terminal until its first
    frame, end it by ``end`` (``q``, ``ctrl-c`` or ``sigterm``); returns its wait
    status, what it wrote and the terminal's local modes afterwards."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    env = {**os.environ, "TERM": "xterm"}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    pid, master = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            os.execve(str(PROCFS), [str(PROCFS), "top", "-d", "0.3"], env)
        finally:
            os._exit(127)
    out = b""
    ended = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            out += chunk
            if not ended and b"PID" in out and b"MiB Swap" in out:
                ended = True
                if end == "q":
                    os.write(master, b"q")
                elif end == "ctrl-c":
                    os.write(master, b"\x03")  # the terminal sends SIGINT, as a keyboard does
                else:
                    os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        modes = termios.tcgetattr(master)[3]
    finally:
        os.close(master)
    return status, out, modes


@pytest.mark.parametrize("end", ["q", "ctrl-c", "sigterm"])
def test_the_screen_restores_the_terminal(end: str) -> None:
    import signal
    import termios

    status, out, modes = _on_a_terminal(40, end)
    assert b"Traceback" not in out, out[-2000:]
    if end == "q":
        assert os.waitstatus_to_exitcode(status) == 0
    elif end == "ctrl-c":
        assert os.waitstatus_to_exitcode(status) == 130
    else:  # ended by the signal, as without a screen, but after restoring it
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM
    # the alternate screen left after it was entered, echo and line editing back on
    assert out.rfind(b"\x1b[?1049l") > out.rfind(b"\x1b[?1049h") >= 0
    assert modes & termios.ECHO and modes & termios.ICANON


def test_batch_lines_are_cut_to_the_width() -> None:
    frame = ours("-b", "-n", "1", "-w", "40")
    assert max(map(len, frame.splitlines())) == 40
    assert "PID USER" in frame


@pytest.mark.parametrize(
    "argv",
    [
        ["pgrep", "-f", "python"],
        ["pkill", "-0", "-c", "-f", "python"],
        ["lsof", "-i"],
        ["top", "-b", "-n", "1"],
    ],
    ids=" ".join,
)
def test_output_that_cannot_be_written(argv: list[str]) -> None:
    """pgrep, pkill, lsof and top into /dev/full, a closed output and ``| head -1``."""
    import socket

    # (something for ``lsof -i`` to list on a machine with no other internet socket)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        _cannot_write(argv)


def _cannot_write(argv: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [str(PROCFS), *argv], stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    assert result.returncode == 1
    assert result.stderr == b"procfs: cannot write the output: [Errno 28] No space left on device\n"
    closed = subprocess.run(
        [str(PROCFS), *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=60,
    )
    assert closed.returncode == 1 and b"Traceback" not in closed.stderr
    reader = subprocess.Popen([str(PROCFS), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()  # (the reader goes away, as head -1 does)
    assert reader.wait(60) == 0
    assert b"Traceback" not in reader.stderr.read()
    reader.stderr.close()


def test_endless_batch_into_a_reader_that_goes_away() -> None:
    reader = subprocess.Popen(
        [str(PROCFS), "top", "-b", "-d", "0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(60) == 0
    assert reader.stderr.read() == b""
    reader.stderr.close()
