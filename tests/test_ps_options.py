"""``procfs ps`` with procps's options against procps ``ps`` itself, on the same machine.

Each comparison runs procps, then ours, then procps again with the same
options: a line procps printed the same both times (a process whose values
did not move meanwhile) must be exactly ours. A machine this busy moves
some values even then, so a comparison is repeated a few times and a line
must match in one of the runs it was steady in.
"""

from __future__ import annotations

import io
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import redirect_stdout

import pytest

import procfs
from procfs.cli import main
from procfs.cli.ps_format import format_elapsed, parse_format
from procfs.core.stat import lifetime_cpu_percent as cpu_percent
from tests.helpers import NOBODY, child, run_as, wait_for

pytestmark = pytest.mark.skipif(shutil.which("ps") is None, reason="procps ps is not installed")

PS = shutil.which("ps") or "ps"

Table = tuple[str | None, dict[tuple[str, ...], str], list[tuple[str, ...]]]


def procps(args: list[str]) -> str:
    # A small environment: procps 4.0.2 lays out 80 columns into a pipe when its
    # environment is as large as pytest's (whatever the variables).
    env = {
        name: os.environ[name]
        for name in ("PATH", "LANG", "TZ", "COLUMNS", "PS_FORMAT")
        if name in os.environ
    }
    return subprocess.run(
        [PS, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env
    ).stdout


def ours(args: list[str]) -> tuple[int, str]:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        status = main(["ps", *args])
    return status, buffer.getvalue()


def table(text: str, keys: tuple[str, ...] = ("PID", "LWP", "SPID", "TID")) -> Table:
    """(header, key -> line, keys in order); the key is the PID (and LWP) column's text."""
    lines = text.splitlines()
    header = None
    places = [0]
    if lines and "PID" in lines[0].split():
        header = lines.pop(0)
        names = header.split()
        places = [names.index(name) for name in keys if name in names]
    rows: dict[tuple[str, ...], str] = {}
    order = []
    for line in lines:
        tokens = line.split()
        key = tuple(tokens[place] for place in places)
        rows[key] = line
        order.append(key)
    return header, rows, order


def own_tree() -> set[str]:
    """This process's pid and its descendants' (they come and go during a test)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            ppid = int(data[data.rindex(b")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(name))
    found, todo = set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        found.add(str(pid))
        todo.extend(children.get(pid, []))
    return found


def cpu_ticks() -> dict[str, int]:
    """pid -> how long it has run: nanoseconds on a CPU from ``schedstat`` (a process
    that ran for less than a clock tick, or moved to another CPU, changes it too),
    else its user + system CPU time in clock ticks."""
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/schedstat", "rb") as handle:
                    out[name] = int(handle.read().split()[0])
                continue
            except (OSError, ValueError, IndexError):
                pass
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            fields = data[data.rindex(b")") + 2 :].split()
            out[name] = int(fields[11]) + int(fields[12])
    return out


#: What a value that moves looks like: a number, a time, a state, a kernel function.
_MOVING = re.compile(r"^([\d:.\-]+|[RSDZTtWXIPK][<NLsl+]*|[a-z_][\w.]*)$")


def loosely_equal(a: str, b: str, busy: bool) -> bool:
    """Whether two lines differ only in values that move: a kernel worker's name
    (its current work item) always, numbers, states and wchan of a ``busy`` one."""
    tokens_a, tokens_b = a.split(), b.split()
    return len(tokens_a) == len(tokens_b) and all(
        x == y
        or (busy and _MOVING.match(x) and _MOVING.match(y))
        or (x.lstrip("[").startswith("kworker/") and y.lstrip("[").startswith("kworker/"))
        for x, y in zip(tokens_a, tokens_b, strict=True)
    )


def compare(
    args: list[str],
    attempts: int = 4,
    minimum: int = 3,
    order: bool = False,
    keep: frozenset[str] = frozenset(),
) -> None:
    """Run procps, ours and procps again; steady lines must be ours (see the module notes).

    A process that used CPU meanwhile may differ in the values that move
    with it (its %CPU, times, size, state); a line that differs otherwise, in
    two runs and never matches, fails.
    """
    wrong_runs: dict[tuple[str, ...], int] = {}
    matched: set[tuple[str, ...]] = set()
    examples: dict[tuple[str, ...], tuple[str, str]] = {}
    enough = False
    for _ in range(attempts):
        ticks = cpu_ticks()
        before = procps(args)
        status, mine = ours(args)
        after = procps(args)
        busy = {pid for pid, value in cpu_ticks().items() if ticks.get(pid) != value}
        head_a, rows_a, order_a = table(before)
        head_o, rows_o, order_o = table(mine)
        head_b, rows_b, _ = table(after)
        assert head_o == head_a == head_b
        assert status == (0 if rows_o else 1)  # (as procps: 1 when nothing was selected)
        skip = own_tree() - keep
        steady = {
            key
            for key in rows_a.keys() & rows_b.keys()
            if rows_a[key] == rows_b[key] and key[0] not in skip
        }
        if len(steady) < minimum:  # (young processes' %CPU moves: try again)
            continue
        enough = True
        missing = steady - rows_o.keys()
        assert not missing, f"procps shows {sorted(missing)} but procfs ps does not"
        wrong = {
            key: (rows_a[key], rows_o[key])
            for key in steady
            if rows_o[key] != rows_a[key]
            and not loosely_equal(rows_a[key], rows_o[key], key[0] in busy)
        }
        if order:
            wrong.update(_order_differences(order_a, order_o, steady, rows_a, rows_o))
        matched.update(steady - wrong.keys())
        for key, example in wrong.items():
            wrong_runs[key] = wrong_runs.get(key, 0) + 1
            examples[key] = example
        failing = {key for key, count in wrong_runs.items() if count >= 2} - matched
        if failing or not set(wrong_runs) - matched:
            break
    assert enough, f"fewer than {minimum} lines steady in {attempts} runs of ps {args}"
    failing = {key for key, count in wrong_runs.items() if count >= 2} - matched
    assert not failing, "\n".join(
        f"procps: {examples[key][0]!r}\nours:   {examples[key][1]!r}" for key in sorted(failing)
    )


def _order_differences(
    order_a: list[tuple[str, ...]],
    order_o: list[tuple[str, ...]],
    steady: set[tuple[str, ...]],
    rows_a: dict[tuple[str, ...], str],
    rows_o: dict[tuple[str, ...], str],
) -> dict[tuple[str, ...], tuple[str, str]]:
    mine = [key for key in order_o if key in steady]
    theirs = [key for key in order_a if key in steady]
    return {
        a: (f"#{place} {rows_a[a]}", f"#{place} {rows_o[b]}")
        for place, (a, b) in enumerate(zip(theirs, mine, strict=True))
        if a != b
    }


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.mark.parametrize(
    "args",
    [
        ["-ef"],
        ["aux"],
        ["-eo", "pid,ppid,user,stat,ni,pri,rss,vsz,comm,args"],
        ["-eo", "pid,pgid,sid,tpgid,uid,group,gid,tty,tname,s,state,psr,nlwp,sz,f,c,opri,cls"],
        ["-eo", "pid,lstart,start,stime,start_time,bsdstart,etimes,time,bsdtime"],
        ["-eo", "pid,rtprio,cls,policy,class,pri,opri,priority,ni"],
        ["-ec"],
        ["-ejc"],
        ["-eo", "pid,pcpu,pmem,rss,vsz,comm"],
        ["-l"],
        ["-el"],
        ["-ely"],
        ["-eF"],
        ["-efj"],
        ["-u", "root"],
        ["-U", "root", "-o", "pid,ruser,euser,comm"],
        ["-N", "-p", "1", "-o", "pid,comm"],
        ["x"],
        ["ax"],
        ["axu"],
        ["axj"],
        ["axl"],
        ["axv"],
        ["axs"],
        ["-eo", "pid,maj_flt,majflt,min_flt,minflt,pagein,trs,drs,m_trs,m_drs,vsz,comm"],
        ["-e", "--no-headers"],
        ["-eo", "pid=,comm="],
        ["-eo", "pid,comm=NAME,user=WHO"],
        ["-eo", "pid,user:4,args:12,rss"],
        ["-O", "rss,nlwp"],
        ["-ewwo", "pid,args"],
    ],
    ids=lambda args: " ".join(args),
)
def test_matches_procps(args: list[str]) -> None:
    compare(args)


@pytest.mark.parametrize(
    "args", [["-ejH"], ["axf"], ["-ef", "--forest"]], ids=lambda args: " ".join(args)
)
def test_forest_matches_procps(args: list[str]) -> None:
    compare(args, order=True)


@pytest.mark.parametrize(
    "args",
    [
        ["-eLf"],
        ["-eL", "-o", "pid,lwp,nlwp,stat,time,comm"],
        ["-eT"],
        ["-p", "1", "-L", "-o", "pid,tid,psr,comm,args"],
    ],
    ids=lambda args: " ".join(args),
)
def test_threads_match_procps(args: list[str]) -> None:
    compare(args)


def test_sorted_as_procps() -> None:
    compare(["-e", "--sort=-ppid,pid", "-o", "pid,ppid,comm"], order=True)
    compare(["-e", "--sort", "comm,-pid", "-o", "pid,comm"], order=True)
    compare(["-eo", "pid,rss,comm", "--sort=-rss"])
    status, text = ours(["-eo", "rss=,pid=", "--sort=-rss,pid"])
    pairs = [tuple(map(int, line.split())) for line in text.splitlines()]
    assert status == 0 and len(pairs) > 1
    assert pairs == sorted(pairs, key=lambda pair: (-pair[0], pair[1]))


def test_selections_match_procps() -> None:
    # In a session of its own: the test's session may be 0 (started by a
    # container's init), which ps refuses as out of range.
    sleeper = subprocess.Popen(["sleep", "30"], start_new_session=True)
    mine = frozenset([str(sleeper.pid)])
    try:
        compare(["-C", "sleep", "-o", "pid,comm"], minimum=1, keep=mine)
        compare(["-p", f"1,{sleeper.pid}", "-o", "pid,ppid,args"], minimum=2, keep=mine)
        compare(["-q", f"{sleeper.pid},1", "-o", "pid"], minimum=2, order=True, keep=mine)
        compare(["--ppid", str(os.getpid()), "-o", "pid,comm"], minimum=0)
        compare(["-s", str(sleeper.pid), "-o", "pid,sid,comm"], minimum=1, keep=mine)
        compare(["-g", "root", "-o", "pid,group"], minimum=1)
        compare(["-G", "0", "-o", "pid,rgroup"], minimum=1)
        compare(["-a", "-o", "pid,tty"], minimum=0)
        compare(["-d", "-o", "pid"])
        compare(["r", "-o", "pid,stat"], minimum=0)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_long_command_lines_whole() -> None:
    """Arguments longer than a first read (8 KiB) and than a page come whole, as procps's."""
    words = [b"word%d" % number for number in range(3000)]  # about 26 KiB
    with child(b"", words) as proc:
        pid = str(proc.pid)
        status, text = ours(["-p", pid, "-o", "args="])
        assert status == 0
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            raw = handle.read().rstrip(b"\0")
        expected = raw.replace(b"\0", b" ").replace(b"\n", b" ").decode()
        assert text == expected + "\n"
        assert text.rstrip("\n").endswith("word2999")
        assert text == procps(["-p", pid, "-o", "args="])


def test_no_process_matched() -> None:
    status, text = ours(["-p", "999999999"])
    assert status == 1  # as procps: its header, and status 1
    procps_run = subprocess.run([PS, "-p", "999999999"], capture_output=True, text=True)
    assert procps_run.returncode == 1
    assert text == procps_run.stdout


def test_terminal_width_cuts_as_procps(monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in ("40", "60", "100"):
        monkeypatch.setenv("COLUMNS", columns)
        compare(["-eo", "pid,args"])
        compare(["-eo", "args,pid"])
        compare(["-ef"])
        compare(["-wf", "-e"])
        compare(["-eo", "pid,user,comm"])


@pytest.fixture
def long_named() -> object:
    """A ``sleep`` run by a user whose name is longer than 8 characters."""
    user = next((entry for entry in pwd.getpwall() if len(entry.pw_name) > 8), None)
    if user is None:
        pytest.skip("no user with a name longer than 8 characters")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.execv("/bin/sleep", ["sleep", "30"])
        finally:
            os._exit(1)
    for _ in range(500):
        with open(f"/proc/{pid}/comm") as handle:
            if handle.read() == "sleep\n":
                break
        time.sleep(0.01)
    time.sleep(1)  # (its %CPU and C settle)
    yield pid
    os.kill(pid, 9)
    os.waitpid(pid, 0)


def test_long_user_names_as_procps(long_named: int) -> None:
    pid = str(long_named)
    for args in (["-o", "user,pid,comm"], ["-o", "pid,user"], ["-f"], ["u"], ["-o", "user:5,pid"]):
        compare([*args, "-p", pid], minimum=1, keep=frozenset([pid]))


def test_as_an_ordinary_user() -> None:
    """wchan of others reads as 0 (shown as ``-``), their environ is closed: the same as procps."""
    args = ["-eo", "pid,user,stat,wchan,args"]
    ours(args)  # (imports everything the child needs)
    ours(["-ef"])

    def both() -> list[str]:
        out = []
        for each in (args, ["-ef"]):
            out += [procps(each), ours(each)[1], procps(each)]
        return out

    result = run_as(NOBODY, NOBODY, both)
    assert isinstance(result, list)
    for before, mine, after in (result[0:3], result[3:6]):
        head_a, rows_a, _ = table(before)
        head_o, rows_o, _ = table(mine)
        _, rows_b, _ = table(after)
        assert head_a == head_o
        steady = {key for key in rows_a.keys() & rows_b.keys() if rows_a[key] == rows_b[key]}
        assert len(steady) > 3
        wrong = [(rows_a[key], rows_o.get(key)) for key in steady if rows_o.get(key) != rows_a[key]]
        assert len(wrong) <= 2, wrong  # (a process may change between the runs)


def test_json_has_typed_values() -> None:
    status, text = ours(
        ["-eo", "pid,user,pcpu,pmem,rss,vsz,stat,tty,time,etimes,lstart,args", "--json"]
    )
    assert status == 0
    data = json.loads(text)
    me = next(row for row in data if row["pid"] == os.getpid())
    assert list(me) == [
        "pid", "user", "pcpu", "pmem", "rss", "vsz", "stat", "tty", "time", "etimes", "lstart",
        "args",
    ]  # fmt: skip
    assert me["user"] == pwd.getpwuid(os.geteuid()).pw_name
    assert isinstance(me["pcpu"], float) and isinstance(me["pmem"], float)
    with open(f"/proc/{os.getpid()}/status") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS"))
    assert abs(me["rss"] - rss) < rss / 2
    assert me["args"].startswith(sys.executable) or "pytest" in me["args"]
    assert isinstance(me["time"], float) and me["time"] > 0
    assert isinstance(me["etimes"], int)
    assert abs(me["lstart"] + me["etimes"] - time.time()) < 5
    kernel = next(row for row in data if row["pid"] == 2)
    assert kernel["tty"] is None and kernel["args"] == "[kthreadd]"
    _, text = ours(["-p", "1", "-o", "pid,ni", "--json"])
    assert json.loads(text) == [{"pid": 1, "ni": json.loads(ours(["-p", "1", "-o", "ni="])[1])}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "unknown option --bogus"),
        (["-o", "nosuch"], 'unknown user-defined format specifier "nosuch"'),
        (["-o", "pid,,comm"], "improper format list"),
        (["-o", "pid:0"], "column widths must be unsigned decimal numbers"),
        (["-p", "x"], "process IDs list syntax error"),
        (["-p", "0"], "process ID out of range"),
        (["-s", "0"], "process ID out of range"),
        (["--ppid", "0"], "process ID out of range"),
        (["-u", "no-such-user-here"], "user name does not exist"),
        (["--sort=bogus"], 'unknown sort specifier "bogus"'),
        (["-f", "-o", "pid"], "conflicting format options"),
        (["-L", "-H"], "thread display conflicts with forest display"),
        (["-y"], "modifier -y without format -l makes no sense"),
        (["-p"], "option -p needs a value"),
        (["-Z"], "unsupported SysV option -Z"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "procfs", "ps", *args], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert message in run.stderr
    assert "usage: procfs ps" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout == ""


def test_help() -> None:
    for flag in ("--help", "-h"):
        run = subprocess.run(
            [sys.executable, "-m", "procfs", "ps", flag], capture_output=True, text=True
        )
        assert run.returncode == 0
        assert run.stdout.startswith("usage: procfs ps")
        assert run.stderr == ""


def test_arithmetic() -> None:
    # 250 ticks of CPU over 1000 ticks of life: 25.0 %; rounded down to a tenth
    assert cpu_percent(250, 1000, 2000) == 25.0
    assert cpu_percent(1, 0, 3000) == 0.0
    assert cpu_percent(2, 0, 3000) == 0.0  # 0.066 %
    assert cpu_percent(4, 0, 3000) == 0.1
    assert cpu_percent(5, 100, 100) == 0.0  # started this tick
    assert format_elapsed(59) == "00:59"
    assert format_elapsed(3600) == "01:00:00"
    assert format_elapsed(86400 + 61) == "1-00:01:01"
    with pytest.raises(ValueError, match='specifier "Here"'):
        parse_format("pid,comm=Name Here")  # (a header ends at a blank, as procps's)
    assert parse_format("pid:9,user=") == [("pid", None, 9), ("user", "", None)]
    assert parse_format("pid args") == [("pid", None, None), ("args", None, None)]


def test_the_declared_options_are_those_parse_ps_takes() -> None:
    # procfs.cli.ps.OPTIONS (what completion offers, all in the usage text) against
    # the parser: each declared spelling is accepted, each accepted dash option declared
    import string

    from procfs.cli.ps import OPTIONS, USAGE
    from procfs.cli.ps_options import _GNU_VALUES, _SYSV_VALUES, PsUsageError, parse_ps

    values = {"LIST": "1", "FMT": "pid", "KEY": "pid", "N": "100", "DIR": "/proc"}
    declared = {name: option for option in OPTIONS for name in option.names}
    for name, option in declared.items():
        assert name in USAGE
        argv = [name, values[option.value]] if option.value else [name]
        parse_ps(["-l", *argv] if name in ("-y", "-c") else argv)
    for letter in string.ascii_letters:
        argv = [f"-{letter}", "1"] if letter in _SYSV_VALUES else [f"-{letter}"]
        try:
            parse_ps(argv)
        except PsUsageError as exc:
            if "unsupported" in str(exc):
                continue
        assert f"-{letter}" in declared
    assert set(_GNU_VALUES) <= set(declared)


@pytest.mark.parametrize(
    ("argv", "only"),
    [
        (["-p", "9,3", "-p", "5"], [3, 5, 9]),
        (["-q", "7,2"], [2, 7]),
        (["p", "4"], [4]),
        (["-e", "-p", "1"], None),  # every process anyway
        (["-p", "1", "-u", "0"], None),  # -u adds others
        (["-p", "1", "-N"], None),  # all but
        (["-p", "1", "x"], None),  # a simple selection adds others
        (["-C", "sleep"], None),
    ],
)
def test_only_the_processes_asked_for_are_read(argv: list[str], only: list[int] | None) -> None:
    from procfs.cli.ps_options import parse_ps
    from procfs.cli.ps_run import _only_pids

    assert _only_pids(parse_ps(argv)) == only


def test_pid_selections_read_only_those_and_match_procps() -> None:
    """``ps -p``: what procps shows, though only those processes are read."""
    with child(b"pidsel") as proc:
        compare(["-p", f"{proc.pid},1", "-o", "pid,ppid,user,comm"], minimum=1)
        compare(["-q", f"{proc.pid},1", "-o", "pid,comm"], minimum=1, order=True)


def test_signal_masks_match_procps() -> None:
    """``ps s`` of a child that blocks SIGUSR1 and SIGUSR2, ignores SIGHUP, catches
    SIGTERM, and has a SIGUSR1 pending for the whole process and a SIGUSR2 for its
    thread: each mask where procps shows it (worked out: 0x200, 0xa00, 0x1, 0x4000)."""
    code = (
        "import os, signal, sys\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2})\n"
        "signal.signal(signal.SIGHUP, signal.SIG_IGN)\n"
        "signal.signal(signal.SIGTERM, lambda *a: None)\n"
        "os.kill(os.getpid(), signal.SIGUSR1)\n"
        "signal.pthread_kill(__import__('threading').main_thread().ident, signal.SIGUSR2)\n"
        "sys.stdout.write('ready\\n'); sys.stdout.flush(); sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        # (until it sleeps in its read, its state moves)
        wait_for(lambda: procfs.Process(proc.pid).stat().state == "S")
        args = ["s", "-p", str(proc.pid)]
        status, mine = ours(args)
        assert status == 0 and mine == procps(args)
        fields = ["-o", "pid,pending,tsig,blocked,ignored,caught", "-p", str(proc.pid)]
        row = ours(fields)[1].splitlines()[1].split()
        assert int(row[1], 16) == 1 << (signal.SIGUSR1 - 1)  # pending for the process
        assert int(row[2], 16) == 1 << (signal.SIGUSR2 - 1)  # for the thread
        assert int(row[3], 16) & 0xA00 == 0xA00
        assert int(row[4], 16) & 1 == 1  # SIGHUP
        assert int(row[5], 16) & 0x4000 == 0x4000  # SIGTERM
        assert ours(["-o", "pid,pending", "-p", str(proc.pid)])[1] == procps(
            ["-o", "pid,pending", "-p", str(proc.pid)]
        )
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("value", ["pid,ppid,user,comm", "pid comm=NAME", "DefBSD", "OL_u"])
@pytest.mark.parametrize("args", [["-e"], ["-ej"], ["-ef"], ["ax"]], ids=" ".join)
def test_ps_format_as_procps_takes_it(
    monkeypatch: pytest.MonkeyPatch, value: str, args: list[str]
) -> None:
    """PS_FORMAT: the columns when no option chooses them (-f, -j, u... win)."""
    monkeypatch.setenv("PS_FORMAT", value)
    compare(args, minimum=1)


def test_a_bad_ps_format_is_ignored_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PS_FORMAT", "pid,bogus")
    run = subprocess.run(
        [sys.executable, "-m", "procfs", "ps", "-p", "1"], capture_output=True, text=True
    )
    theirs = subprocess.run([PS, "-p", "1"], capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, theirs.stdout, theirs.stderr)
    assert run.stderr.startswith("warning: $PS_FORMAT ignored.")


_THREADED = """\
import sys, threading
for _ in range(3):
    threading.Thread(target=sys.stdin.read, daemon=True).start()
sys.stdout.write("ready\\n"); sys.stdout.flush(); sys.stdin.read()
"""


@pytest.mark.parametrize(
    "args",
    [
        ["m"],
        ["-m", "-o", "pid,tid,user,comm,nlwp,stat,ni"],  # (procps 4.0.2 crashes on wchan here)
        ["-m", "-o", "pid,tid,lwp,spid,ppid,tty,args"],
        ["m", "-o", "pid,tid,vsz,rss,blocked,pending"],
        ["-m", "--sort=-pid", "-o", "pid,tid,comm"],  # (sorted: procps shows no thread)
    ],
    ids=" ".join,
)
def test_threads_after_their_process_as_procps_shows_them(args: list[str]) -> None:
    """``ps m``/``-m``: a line for the process, then one for each thread, each column
    on the lines procps shows it on (``-`` on the others)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _THREADED], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        tids = sorted(int(tid) for tid in os.listdir(f"/proc/{proc.pid}/task"))
        wait_for(lambda: all(procfs.Process(proc.pid).task(t).stat().state == "S" for t in tids))
        argv = [*args, "-p", str(proc.pid)]
        status, mine = ours(argv)
        assert status == 0
        assert mine == procps(argv)
        threads = 0 if "--sort=-pid" in args else len(tids)
        assert len(mine.splitlines()) == 1 + 1 + threads  # header, process, its threads
    finally:
        proc.kill()
        proc.wait()
