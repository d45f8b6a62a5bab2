"""Benchmark procfs against psutil, procps, iproute2 and raw-read floors, side by side.

Usage::

    python bench/run.py [--runs N] [--quick]
                        [--only ps,netstat,top,system,import,parse,pstree,free,pgrep,
                                lsof,top-b,iter,cpu_percent,groups]
                        [--json out.json] [--markdown] [--no-load] [--timer auto|hyperfine|internal]

What it does, in one run on one machine:

1. Sets up the load (:mod:`load`): 1000 extra idle processes and 2000
   established loopback TCP connections (4000 sockets), and removes it at the
   end (``--quick`` and ``--no-load`` skip it).
2. Times whole programs, interpreter start included: our ``procfs`` command
   in three forms (the console script, which the targets use; ``python -m
   procfs``; ``python -c "from procfs.cli import main; ..."``), procps ``ps``,
   ``ss -tanp``, psutil scripts (``bench/workloads.py``) and the floors
   (``bench/floors.py``). With hyperfine installed it does the timing
   (``-N``, one command after the other, half the runs in the reverse
   order so that a drift in the machine's load cancels); our own loop (fork, exec,
   ``wait4``, commands interleaved round-robin, each round starting one
   command later) always runs too, for the
   memory, and its medians are the "loop ms" column: on a noisy machine the
   interleaved ratios are the steadier ones. Peak memory is the
   ``ru_maxrss`` that ``wait4`` reports for each separately spawned run,
   measured from a minimal interpreter (``python -S -I``), whose own size
   sets a floor under the figures (printed as "measurer floor"; a native
   tool's value at that floor is an upper bound).
3. Times the same work in-process (``bench/workloads.py``), all
   implementations interleaved round-robin, ``gc.collect()`` before each
   call; peak memory in-process is the Python heap peak (tracemalloc) of one
   call.
4. Scrapes process groups over HTTP (``groups``): process-exporter and
   ``bench/groups_server.py`` (our ``ProcessGroupCollector``) serve the same
   configuration (one group per ``comm``, both with process-exporter's
   default ``-threads`` and ``-gather-smaps``); the scrapes alternate, and
   each is timed (wall, at the client) and its CPU counted (the server's
   ``utime + stime`` before and after, 10 ms ticks); the RSS is the
   server's ``VmRSS`` after the scrapes. Floor (g) reads the files
   process-exporter reads in-process between them (timed in wall and, as
   ``floor (g) CPU``, in CPU time); floor (h) (CPU) reads what a scrape
   reads at least, when no process ran since the last one (``stat``,
   ``status``, ``smaps_rollup``, the ``fd`` count, prlimit(2)): a target
   above it cannot be met by any reader of these files.
5. Measures the cost of parsing ``[pid]/stat`` and ``[pid]/status`` against
   the cost of reading them, per call over all processes, and the import
   cost with ``python -X importtime``.

It prints one table (median wall time, peak memory, ratio to each
reference), then the targets, met or missed. Medians only, of ``--runs``
runs (default 10; in-process: three times as many). Children run with the
``PYTHON*`` environment variables removed, after byte-compiling procfs and
bench (a stale ``.pyc`` would add a compile to every start).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import floors  # noqa: E402
import workloads  # noqa: E402
from load import Load  # noqa: E402

PY = sys.executable
#: ``procfs ps`` with procps's options, each timed against procps ``ps`` with the same.
PS_OPTIONS = {
    "ps-ef": ["-ef"],
    "ps-aux": ["aux"],
    "ps-o": ["-eo", "pid,user,pcpu,pmem,rss,args"],
}
WORKLOAD_NAMES = (
    "import",
    "system",
    "ps",
    *PS_OPTIONS,
    "top",
    "netstat",
    "parse",
    "pstree",
    "free",
    "pgrep",
    "lsof",
    "top-b",
    "iter",
    "cpu_percent",
    "groups",
)
LOADED = (
    "ps",
    *PS_OPTIONS,
    "top",
    "netstat",
    "pstree",
    "free",
    "pgrep",
    "lsof",
    "top-b",
    "iter",
    "cpu_percent",
    "groups",
)

# kinds of row: ours, floor, native (procps/iproute2), psutil, info (not a reference)
REFERENCE_KINDS = ("floor", "native", "psutil")

# The measurer: a minimal interpreter (python -S -I) that forks, execs and
# wait4()s each command, round-robin, and prints "index wall maxrss status".
# Being small matters: a forked child reports at least its parent's peak RSS.
MEASURER = r"""
import os, sys
from time import perf_counter
spec = eval(sys.stdin.read())
null_w = os.open('/dev/null', os.O_WRONLY)
null_r = os.open('/dev/null', os.O_RDONLY)
env = spec['env']
lines = []
commands = list(enumerate(spec['commands']))
for r in range(spec['warmup'] + spec['runs']):
    # each round starts one command later: every command follows each other equally often
    shift = r % len(commands)
    for i, argv in commands[shift:] + commands[:shift]:
        t = perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(null_r, 0)
                os.dup2(null_w, 1)
                os.dup2(null_w, 2)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        _, status, ru = os.wait4(pid, 0)
        wall = perf_counter() - t
        if r >= spec['warmup']:
            lines.append('%d %r %d %d' % (i, wall, ru.ru_maxrss, status))
sys.stdout.write('\n'.join(lines) + '\n')
"""


# -- results ---------------------------------------------------------------------------


class Row:
    """One line of the table."""

    def __init__(self, workload: str, mode: str, name: str, kind: str, key: str) -> None:
        self.workload = workload
        self.mode = mode
        self.name = name
        self.kind = kind
        self.key = key
        self.times: list[float] = []
        self.loop_times: list[float] = []  # whole-process: our interleaved loop's wall times
        self.peaks_kb: list[int] = []
        self.out: int | None = None
        self.note = ""
        self.error = ""
        self.per_call = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def loop_median(self) -> float | None:
        return statistics.median(self.loop_times) if self.loop_times else None

    @property
    def peak_mb(self) -> float | None:
        return statistics.median(self.peaks_kb) / 1024 if self.peaks_kb else None

    def to_dict(self) -> dict[str, object]:
        return {
            "workload": self.workload,
            "mode": self.mode,
            "name": self.name,
            "kind": self.kind,
            "key": self.key,
            "median_s": self.median,
            "times_s": self.times,
            "loop_median_s": self.loop_median,
            "loop_times_s": self.loop_times,
            "peak_mb": self.peak_mb,
            "peaks_kb": self.peaks_kb,
            "out": self.out,
            "note": self.note,
            "error": self.error,
        }


class Bench:
    """Collects rows; knows the references of each (workload, mode) group."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.facts: dict[str, object] = {}
        self.floor_mb = 0.0

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def get(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    def reference(self, row: Row, kind: str) -> Row | None:
        return next(
            (
                r
                for r in self.rows
                if r.workload == row.workload
                and r.mode == row.mode
                and r.kind == kind
                and r.median is not None
                and ".ref" in r.key
            ),
            None,
        )


def row_key(workload: str, mode: str, key: str, kind: str) -> str:
    """``ps.whole.script``; a reference other than the floor: ``ps.whole.ref.psutil``."""
    if key == "ref" and kind != "floor":
        key = f"ref.{kind}"
    return f"{workload}.{mode}.{key}"


# -- environment -----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment of measured programs: ours without ``PYTHON*`` variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def tool_version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "?"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith(("model name", "Processor", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def count_processes() -> int:
    return sum(1 for name in os.listdir("/proc") if name.isdigit())


def count_tcp() -> int:
    total = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            total += floors.read_whole(table).count(b"\n") - 1
        except OSError:
            pass
    return total


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "?"


def compile_sources() -> None:
    """Byte-compile procfs and bench so that no measured start compiles anything."""
    import compileall

    import procfs

    for directory in (os.path.dirname(procfs.__file__), HERE):
        compileall.compile_dir(directory, quiet=1)


# -- whole-process timing --------------------------------------------------------------


def measure(
    commands: list[list[str]], runs: int, warmup: int
) -> list[list[tuple[float, int, int]]]:
    """Run each command ``runs`` times (round-robin) from the measurer: (wall, maxrss, status)."""
    spec = {"commands": commands, "runs": runs, "warmup": warmup, "env": child_env()}
    done = subprocess.run(
        [PY, "-S", "-I", "-c", MEASURER],
        input=repr(spec),
        capture_output=True,
        text=True,
        check=True,
    )
    out: list[list[tuple[float, int, int]]] = [[] for _ in commands]
    for line in done.stdout.split("\n"):
        if line:
            index, wall, rss, status = line.split()
            out[int(index)].append((float(wall), int(rss), int(status)))
    return out


def hyperfine(commands: list[list[str]], runs: int, warmup: int) -> list[list[float]]:
    """Wall times of each command from ``hyperfine -N``, run in both orders and pooled.

    hyperfine runs one command's runs, then the next command's: a machine
    whose load drifts meanwhile (the benchmark's own load settling, a
    neighbour) favours one end of the list. Half the runs go in the given
    order and half in the reverse order, so a steady drift cancels out.
    """
    first = (runs + 1) // 2
    forward = _hyperfine_once(commands, first, warmup)
    backward = _hyperfine_once(commands[::-1], max(1, runs - first), warmup)[::-1]
    return [a + b for a, b in zip(forward, backward, strict=True)]


def _hyperfine_once(commands: list[list[str]], runs: int, warmup: int) -> list[list[float]]:
    exe = shutil.which("hyperfine")
    assert exe is not None
    with tempfile.TemporaryDirectory() as tmp:
        export = os.path.join(tmp, "hyperfine.json")
        argv = [
            exe,
            "-N",
            "--ignore-failure",  # our own loop reports failed runs
            "--style",
            "none",
            "--warmup",
            str(warmup),
            "--runs",
            str(runs),
            "--export-json",
            export,
            *(shlex.join(command) for command in commands),
        ]
        subprocess.run(argv, env=child_env(), capture_output=True, text=True, check=True)
        with open(export) as handle:
            results = json.load(handle)["results"]
    return [list(result["times"]) for result in results]


def measurer_floor(runs: int) -> float:
    """The peak RSS (MB) the measurer reports for a program that does nothing."""
    true = shutil.which("true") or "/bin/true"
    peaks = [rss for _, rss, _ in measure([[true]], max(3, runs // 2), 1)[0]]
    return statistics.median(peaks) / 1024


def whole_process(
    bench: Bench, workload: str, specs: list[tuple[str, str, str, list[str] | None, str]], o: Opts
) -> None:
    """Time and size one workload's commands: (key, kind, name, argv or None, why n/a)."""
    rows: list[Row] = []
    commands: list[list[str]] = []
    for key, kind, name, argv, missing in specs:
        row = bench.add(Row(workload, "whole", name, kind, row_key(workload, "whole", key, kind)))
        if argv is None:
            row.error = missing
            continue
        done = subprocess.run(argv, capture_output=True, env=child_env(), timeout=600)
        row.out = done.stdout.count(b"\n")
        if done.returncode != 0:
            row.error = f"exit {done.returncode}: {done.stderr.decode(errors='replace')[-200:]}"
            continue
        rows.append(row)
        commands.append(argv)
    if not commands:
        return
    measured = measure(commands, o.runs, o.warmup)
    for row, results in zip(rows, measured, strict=True):
        row.peaks_kb = [rss for _, rss, _ in results]
        row.loop_times = [wall for wall, _, _ in results]
        if any(status for _, _, status in results):
            row.error = "a measured run failed"
    if o.timer == "hyperfine":
        for row, times in zip(rows, hyperfine(commands, o.runs, o.warmup), strict=True):
            row.times = times
    else:
        for row in rows:
            row.times = row.loop_times


def script(name: str) -> str | None:
    """The console script ``name`` installed beside this interpreter, else on PATH."""
    beside = os.path.join(os.path.dirname(PY), name)
    if os.access(beside, os.X_OK):
        return beside
    return shutil.which(name)


def ours(command: list[str]) -> list[tuple[str, str, str, list[str] | None, str]]:
    """Our command in its three forms; the console script is the one the targets use."""
    exe = script("procfs")
    code = f"from procfs.cli import main; raise SystemExit(main({command!r}))".replace("'", '"')
    text = " ".join(command)
    return [
        (
            "script",
            "ours",
            f"procfs {text} (console script)",
            [exe, *command] if exe else None,
            "console script not installed",
        ),
        ("m", "ours", f"python -m procfs {text}", [PY, "-m", "procfs", *command], ""),
        ("c", "ours", f'python -c "...main({command!r})"', [PY, "-c", code], ""),
    ]


def psutil_spec(workload: str, have: bool) -> tuple[str, str, str, list[str] | None, str]:
    return (
        "ref",
        "psutil",
        f"psutil {workload} script",
        [PY, os.path.join(HERE, "workloads.py"), "psutil", workload] if have else None,
        "psutil not installed",
    )


def floor_spec(letter: str, what: str) -> tuple[str, str, str, list[str] | None, str]:
    return (
        "ref",
        "floor",
        f"floor ({letter}): {what}",
        [PY, os.path.join(HERE, "floors.py"), letter],
        "",
    )


def native_spec(name: str, argv: list[str]) -> tuple[str, str, str, list[str] | None, str]:
    exe = shutil.which(argv[0])
    return (
        "ref",
        "native",
        " ".join(argv),
        [exe, *argv[1:]] if exe else None,
        f"{argv[0]} not installed",
    )


# -- in-process timing -----------------------------------------------------------------


def in_process(
    bench: Bench,
    workload: str,
    impls: list[tuple[str, str, str, Callable[[], Any] | None, str]],
    o: Opts,
) -> None:
    """Interleaved in-process runs: (key, kind, name, function or None, why n/a)."""
    live: list[tuple[Row, Callable[[], Any]]] = []
    for key, kind, name, function, missing in impls:
        row = bench.add(Row(workload, "in-process", name, kind, row_key(workload, "in", key, kind)))
        if function is None:
            row.error = missing
            continue
        try:
            result = function()  # a warm-up, and the size of what it found
        except Exception as exc:  # report it in the table, go on with the others
            row.error = f"{type(exc).__name__}: {exc}"
            continue
        if isinstance(result, int):
            row.out = result
        elif isinstance(result, (list, dict)):
            row.out = len(result)
        live.append((row, function))
    for _ in range(o.warmup):
        for _, function in live:
            function()
    for _ in range(o.inproc_runs):
        for row, function in live:
            gc.collect()
            start = time.perf_counter()
            function()
            row.times.append(time.perf_counter() - start)
    import tracemalloc

    for row, function in live:
        gc.collect()
        tracemalloc.start()
        try:
            function()
            row.peaks_kb = [tracemalloc.get_traced_memory()[1] // 1024]
        finally:
            tracemalloc.stop()


# -- the workloads ---------------------------------------------------------------------


def run_import(bench: Bench, o: Opts) -> None:
    specs: list[tuple[str, str, str, list[str] | None, str]] = [
        ("ref", "floor", "python -c pass", [PY, "-c", "pass"], ""),
        ("procfs", "ours", 'python -c "import procfs"', [PY, "-c", "import procfs"], ""),
        (
            "psutil",
            "info",
            'python -c "import psutil"',
            [PY, "-c", "import psutil"] if o.psutil else None,
            "psutil not installed",
        ),
    ]
    whole_process(bench, "import", specs, o)
    # -X importtime: what `import procfs` costs by itself, and what it pulls in
    row = bench.add(
        Row("import", "importtime", "import procfs: cumulative", "ours", "import.x.procfs")
    )
    pulled: set[str] = set()
    for _ in range(o.runs):
        tree = importtime([PY, "-X", "importtime", "-c", "import procfs"])
        cumulative, modules = subtree(tree, "procfs")
        row.times.append(cumulative)
        pulled.update(m for m in modules if m != "procfs" and not m.startswith("procfs."))
    row.note = "pulls in: " + (", ".join(sorted(pulled)) or "nothing else")
    exe = script("procfs")
    if exe is None:
        return
    row = bench.add(
        Row("import", "importtime", "console script: its `import re`", "info", "import.x.re")
    )
    for _ in range(o.runs):
        tree = importtime([PY, "-X", "importtime", exe, "--version"])
        cumulative, modules = subtree(tree, "re")
        row.times.append(cumulative)
    row.note = "pip's generated script runs `import re` before `from procfs.cli import main`"


def importtime(argv: list[str]) -> list[tuple[int, int, str]]:
    """The ``-X importtime`` report: (level, self µs, module) in the order printed."""
    done = subprocess.run(argv, capture_output=True, text=True, env=child_env(), check=True)
    out = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = line[len("import time:") :].split("|", 2)
        name = name.rstrip()
        level = (len(name) - len(name.lstrip()) - 1) // 2
        out.append((level, int(self_us), name.strip()))
    return out


def subtree(tree: list[tuple[int, int, str]], top: str) -> tuple[float, list[str]]:
    """Seconds and modules of the last top-level import of ``top`` (its own and its children)."""
    for index in range(len(tree) - 1, -1, -1):
        level, _, name = tree[index]
        if level == 0 and name == top:
            start = index
            while start > 0 and tree[start - 1][0] > 0:
                start -= 1
            part = tree[start : index + 1]
            return sum(s for _, s, _ in part) / 1e6, [n for _, _, n in part]
    return 0.0, []


def run_system(bench: Bench, o: Opts) -> None:
    whole_process(
        bench,
        "system",
        [
            (
                "procfs",
                "ours",
                "procfs system script",
                [PY, os.path.join(HERE, "workloads.py"), "procfs", "system"],
                "",
            ),
            psutil_spec("system", o.psutil),
            floor_spec("d", "read the 6 files"),
        ],
        o,
    )
    ours_parts = workloads.system_parts("procfs")
    theirs = workloads.system_parts("psutil") if o.psutil else {}
    floor_parts = workloads.system_parts("floor")
    have = [name for name in workloads.SYSTEM_FILES if ours_parts.get(name) is not None]
    for name in workloads.SYSTEM_FILES:
        in_process(
            bench,
            f"system: {name}",
            [
                ("procfs", "ours", "procfs", ours_parts.get(name), "n/a (no procfs parser yet)"),
                ("ref", "psutil", "psutil", theirs.get(name), "psutil not installed"),
                ("ref", "floor", "floor: read whole", floor_parts.get(name), ""),
            ],
            o,
        )

    def together(parts: dict[str, Callable[[], object] | None]) -> Callable[[], list[object]]:
        chosen = [parts[name] for name in have if parts.get(name) is not None]
        return lambda: [part() for part in chosen]  # type: ignore[misc]

    label = f"({len(have)} of {len(workloads.SYSTEM_FILES)} files)"
    in_process(
        bench,
        "system",
        [
            ("procfs", "ours", f"procfs {label}", together(ours_parts), ""),
            (
                "ref",
                "psutil",
                "psutil, the same files",
                together(theirs) if theirs else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (d), the same files", together(floor_parts), ""),
        ],
        o,
    )


def run_ps(bench: Bench, o: Opts) -> None:
    ps = native_spec("ps", ["ps", "-e", "-o", "pid,tty,time,comm"])
    whole_process(
        bench,
        "ps",
        [
            *ours(["ps", "-e"]),
            ps,
            psutil_spec("ps", o.psutil),
            floor_spec("a", "read every [pid]/stat"),
        ],
        o,
    )
    in_process(
        bench,
        "ps",
        [
            ("procfs", "ours", "procfs.cli.ps.rows()", workloads.procfs_ps, ""),
            (
                "ref",
                "psutil",
                "psutil.process_iter([pid, terminal, cpu_times, name])",
                workloads.psutil_ps if o.psutil else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (a)", floors.floor_a, ""),
        ],
        o,
    )


def run_pstree(bench: Bench, o: Opts) -> None:
    """``procfs pstree -p`` against psmisc ``pstree -p`` (every process and thread)."""
    whole_process(
        bench,
        "pstree",
        [*ours(["pstree", "-p"]), native_spec("pstree", ["pstree", "-p"])],
        o,
    )


def run_free(bench: Bench, o: Opts) -> None:
    """``procfs free`` against procps ``free`` (one meminfo read)."""
    whole_process(bench, "free", [*ours(["free"]), native_spec("free", ["free"])], o)


def run_pgrep(bench: Bench, o: Opts) -> None:
    """``procfs pgrep -f python`` against procps ``pgrep -f python`` (every command line)."""
    argv = ["pgrep", "-f", "python"]
    whole_process(bench, "pgrep", [*ours(argv), native_spec("pgrep", argv)], o)


def run_lsof(bench: Bench, o: Opts) -> None:
    """``procfs lsof -i`` against ``lsof -n -P -i`` (ours is always numeric: lsof's -n -P)."""
    whole_process(
        bench,
        "lsof",
        [*ours(["lsof", "-i"]), native_spec("lsof", ["lsof", "-n", "-P", "-i"])],
        o,
    )


def run_top_batch(bench: Bench, o: Opts) -> None:
    """``procfs top -b -n 1`` against procps ``top -b -n 1``: one frame each, measured over a
    priming wait of 150 ms (procps-ng 4.0.2's LIB_USLEEP, and ours)."""
    argv = ["top", "-b", "-n", "1"]
    whole_process(bench, "top-b", [*ours(argv), native_spec("top", argv)], o)


def run_ps_options(name: str) -> Callable[[Bench, Opts], None]:
    """``procfs ps`` with procps options against procps ``ps`` with the same ones."""
    options = PS_OPTIONS[name]

    def run(bench: Bench, o: Opts) -> None:
        whole_process(
            bench,
            name,
            [ours(["ps", *options])[0], native_spec("ps", ["ps", *options])],
            o,
        )

    return run


def run_netstat(bench: Bench, o: Opts) -> None:
    ss = native_spec("ss", ["ss", "-tanp"])
    whole_process(
        bench,
        "netstat",
        [
            *ours(["netstat"]),
            ss,
            psutil_spec("netstat", o.psutil),
            floor_spec("b", "fd links + tcp, tcp6"),
        ],
        o,
    )
    in_process(
        bench,
        "netstat",
        [
            ("procfs", "ours", "procfs.tcp_with_owners()", workloads.procfs_netstat, ""),
            (
                "fields",
                "ours",
                "procfs.table_fields(6 fields) + socket_owners",
                workloads.procfs_netstat_fields,
                "",
            ),
            (
                "ref",
                "psutil",
                "psutil.net_connections('tcp') + names",
                workloads.psutil_netstat if o.psutil else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (b)", floors.floor_b, ""),
        ],
        o,
    )


def run_top(bench: Bench, o: Opts) -> None:
    whole_process(
        bench,
        "top",
        [
            (
                "procfs",
                "ours",
                "procfs top script",
                [PY, os.path.join(HERE, "workloads.py"), "procfs", "top"],
                "",
            ),
            psutil_spec("top", o.psutil),
            floor_spec("c", "read stat, status, statm, io"),
        ],
        o,
    )
    in_process(
        bench,
        "top",
        [
            (
                "procfs",
                "ours",
                "procfs.scan_fields(the 15 values)",
                workloads.procfs_top,
                "",
            ),
            (
                "scanned",
                "ours",
                "procfs.scan_processes([stat, status, statm, io])",
                workloads.procfs_top_scanned,
                "",
            ),
            (
                "handles",
                "ours",
                "Process.stat()+status()+statm()+io()",
                workloads.procfs_top_handles,
                "",
            ),
            (
                "ref",
                "psutil",
                "psutil oneshot() x6",
                workloads.psutil_top if o.psutil else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (c)", floors.floor_c, ""),
        ],
        o,
    )


def run_iter(bench: Bench, o: Opts) -> None:
    in_process(
        bench,
        "iter",
        [
            (
                "procfs",
                "ours",
                "procfs.process_iter_info(pid, name, username, cpu_times, memory_info)",
                workloads.procfs_iter,
                "",
            ),
            (
                "ref",
                "psutil",
                "psutil.process_iter(the same attrs)",
                workloads.psutil_iter if o.psutil else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (e)", floors.floor_e, ""),
        ],
        o,
    )


def run_cpu_percent(bench: Bench, o: Opts) -> None:
    in_process(
        bench,
        "cpu_percent",
        [
            (
                "procfs",
                "ours",
                "procfs.process_iter_info([cpu_percent]) x2",
                workloads.procfs_cpu_percent,
                "",
            ),
            (
                "ref",
                "psutil",
                "for p in psutil.process_iter(): p.cpu_percent(None) x2",
                workloads.psutil_cpu_percent if o.psutil else None,
                "psutil not installed",
            ),
            ("ref", "floor", "floor (f)", floors.floor_f, ""),
        ],
        o,
    )


GROUPS_CONFIG = """\
process_names:
  - name: "{{.Comm}}"
    cmdline:
    - '.+'
"""


def _cpu_seconds(pid: int) -> float:
    """utime + stime of the process ``pid`` (all its threads), seconds."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        fields = handle.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", "rb") as handle:
        for line in handle:
            if line.startswith(b"VmRSS:"):
                return int(line.split()[1])
    return 0


def _self_cpu() -> float:
    """User + system CPU time of this process so far, seconds."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _scrape_floor(smaps: bool = True) -> int:
    """Floor (h): what a process-groups scrape reads at least when no process has run
    since the last one (then ``io`` and ``wchan`` are not read again): through a
    descriptor of each process's directory, ``stat`` and ``status`` (and
    ``smaps_rollup``) read once, the size of ``fd`` (its descriptor count) and the
    limit of open files by prlimit(2). Returns the number of files read."""
    import resource

    names = ("stat", "status", "smaps_rollup") if smaps else ("stat", "status")
    flags = os.O_RDONLY | os.O_CLOEXEC
    done = 0
    proc = os.open("/proc", flags | os.O_DIRECTORY)
    try:
        for pid in os.listdir(proc):
            if not pid.isdigit():
                continue
            try:
                directory = os.open(pid, flags | os.O_DIRECTORY, dir_fd=proc)
            except OSError:
                continue
            try:
                for name in names:
                    try:
                        fd = os.open(name, flags, dir_fd=directory)
                    except OSError:
                        continue
                    try:
                        os.read(fd, 8192)
                        done += 1
                    except OSError:
                        pass
                    finally:
                        os.close(fd)
                try:
                    os.stat("fd", dir_fd=directory)
                    resource.prlimit(int(pid), resource.RLIMIT_NOFILE)
                except OSError:
                    pass
            finally:
                os.close(directory)
    finally:
        os.close(proc)
    return done


def run_groups(bench: Bench, o: Opts) -> None:
    """process-exporter against our process groups, scraped alternately over HTTP: with
    process-exporter's defaults, then with ``-gather-smaps=false``."""
    for smaps in (True, False):
        _run_groups(bench, o, smaps)


def _run_groups(bench: Bench, o: Opts, smaps: bool) -> None:
    import socket
    import urllib.request

    def port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            number: int = s.getsockname()[1]
            return number

    wall_mode = "scrape" if smaps else "scrape-nosmaps"
    cpu_mode = wall_mode + "-cpu"
    rows = {
        (mode, key): bench.add(Row("groups", mode, name, kind, row_key("groups", mode, key, kind)))
        for mode, what in ((wall_mode, "wall"), (cpu_mode, "CPU"))
        for key, kind, name in (
            ("procfs", "ours", f"ProcessGroupCollector scrape ({what})"),
            ("ref", "native", f"process-exporter scrape ({what})"),
        )
    }
    floor = bench.add(
        Row("groups", wall_mode, "floor (g)", "floor", row_key("groups", wall_mode, "ref", "floor"))
    )
    # CPU floors, in this process (getrusage): what any scrape must read (h), and the
    # files process-exporter reads (g), each read raw
    least = bench.add(
        Row(
            "groups",
            cpu_mode,
            "floor (h) CPU: the reads of a scrape where no process ran",
            "floor",
            row_key("groups", cpu_mode, "ref", "floor"),
        )
    )
    theirs = bench.add(
        Row("groups", cpu_mode, "floor (g) CPU", "info", row_key("groups", cpu_mode, "g", "info"))
    )
    exe = shutil.which("prometheus-process-exporter") or shutil.which("process-exporter")
    try:
        import prometheus_client  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        exe = None
    if exe is None:
        for row in rows.values():
            row.error = "process-exporter or prometheus_client/PyYAML not installed"
        return
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as config:
        config.write(GROUPS_CONFIG)
    servers: list[subprocess.Popen[bytes]] = []
    try:
        ports = [port(), port()]
        servers.append(
            subprocess.Popen(
                [PY, os.path.join(HERE, "groups_server.py"), config.name, str(ports[0]), "900"]
                + ([] if smaps else ["--no-smaps"]),
                stdout=subprocess.PIPE,
                env=child_env(),
            )
        )
        servers.append(
            subprocess.Popen(
                [exe, "-config.path", config.name, "-web.listen-address", f"127.0.0.1:{ports[1]}"]
                + ([] if smaps else ["-gather-smaps=false"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        assert servers[0].stdout is not None
        servers[0].stdout.readline()
        urls = [f"http://127.0.0.1:{p}/metrics" for p in ports]
        for url in urls:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(url, timeout=60).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

        def scrape(index: int) -> tuple[float, float, int]:
            pid = servers[index].pid
            cpu = _cpu_seconds(pid)
            start = time.perf_counter()
            with urllib.request.urlopen(urls[index], timeout=60) as response:
                body = response.read()
            wall = time.perf_counter() - start
            groups = body.count(b"namedprocess_namegroup_num_procs{")
            return wall, _cpu_seconds(pid) - cpu, groups

        for _ in range(o.warmup):
            for index in (0, 1):
                scrape(index)
        keys = ("procfs", "ref")
        for run in range(o.inproc_runs):
            order = (0, 1) if run % 2 == 0 else (1, 0)
            for index in order:
                wall, cpu, groups = scrape(index)
                rows[(wall_mode, keys[index])].times.append(wall)
                rows[(cpu_mode, keys[index])].times.append(cpu)
                rows[(wall_mode, keys[index])].out = groups
            gc.collect()
            start = time.perf_counter()
            floor.out = floors.floor_g(smaps=smaps)
            floor.times.append(time.perf_counter() - start)
            for row, read in (
                ((least, _scrape_floor), (theirs, floors.floor_g))
                if run % 2 == 0
                else ((theirs, floors.floor_g), (least, _scrape_floor))
            ):
                before = _self_cpu()
                row.out = read(smaps=smaps)
                row.times.append(_self_cpu() - before)
        for index, key in enumerate(keys):
            rss = _rss_kb(servers[index].pid)
            for mode in (wall_mode, cpu_mode):
                rows[(mode, key)].peaks_kb = [rss]
            rows[(wall_mode, key)].note = f"RSS {rss / 1024:.1f} MB after the scrapes"
        files = 7 if smaps else 6
        floor.note = f"in-process, {files} files read per process (+ the fd count for ours)"
        theirs.note = f"in-process, the same {files} files"
        least.note = (
            "in-process: stat, status"
            + (", smaps_rollup" if smaps else "")
            + " through a descriptor of each process's directory, the size of fd, prlimit(2)"
        )
    finally:
        for server in servers:
            server.kill()
            server.wait()
        os.unlink(config.name)


def run_parse(bench: Bench, o: Opts) -> None:
    """Per call over all processes: reading ``[pid]/stat`` / ``status`` vs parsing what was read."""
    from procfs import ProcFS
    from procfs.core import PARSERS
    from procfs.errors import ProcError

    fs = ProcFS()

    def read_all(name: str) -> list[bytes]:
        out = []
        proc = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for pid in os.listdir(proc):
                if not pid.isdigit():
                    continue
                try:
                    fd = os.open(f"{pid}/{name}", os.O_RDONLY | os.O_CLOEXEC, dir_fd=proc)
                except OSError:
                    continue
                try:
                    out.append(os.read(fd, 8192))
                except OSError:
                    pass
                finally:
                    os.close(fd)
        finally:
            os.close(proc)
        return out

    # Both records read fields on first access: the rows with "fields" add the
    # reading of three (what ps takes from stat; a monitor's pick of status).
    picks = {"stat": ("tty_nr", "utime", "stime"), "status": ("euid", "vmrss", "threads")}
    for name, accessor in (("stat", "stat"), ("status", "status")):
        parse = PARSERS[f"[pid]/{name}"]
        blobs = read_all(name)
        fields = picks[name]

        def parse_fields(
            parse: Callable[[bytes], object] = parse,
            blobs: list[bytes] = blobs,
            fields: tuple[str, ...] = fields,
        ) -> list[object]:
            out: list[object] = []
            for blob in blobs:
                record = parse(blob)
                out.append([getattr(record, field) for field in fields])
            return out

        def parse_all(
            parse: Callable[[bytes], object] = parse, blobs: list[bytes] = blobs
        ) -> list[object]:
            return [parse(blob) for blob in blobs]

        def read_parse(name: str = name, parse: Callable[[bytes], object] = parse) -> list[object]:
            return [parse(blob) for blob in read_all(name)]

        def through_api(accessor: str = accessor) -> list[object]:
            out = []
            for process in fs.all_processes():
                try:
                    out.append(getattr(process, accessor)())
                except ProcError:
                    pass
            return out

        def read_only(name: str = name) -> list[bytes]:
            return read_all(name)

        group = f"parse [pid]/{name}"
        in_process(
            bench,
            group,
            [
                ("ref", "floor", f"read every [pid]/{name} (open, read, close)", read_only, ""),
                (
                    "parse",
                    "ours",
                    f"parse only: PARSERS['[pid]/{name}'] on those bytes",
                    parse_all,
                    "",
                ),
                (
                    "fields",
                    "info",
                    f"parse and read {', '.join(fields)}",
                    parse_fields,
                    "",
                ),
                ("both", "ours", "read + parse", read_parse, ""),
                ("api", "info", f"Process.{accessor}() on fresh handles", through_api, ""),
            ],
            o,
        )
        for row in bench.rows:
            if row.workload == group and row.out:
                row.per_call = row.out


# -- output ----------------------------------------------------------------------------


def ratio(row: Row, ref: Row | None) -> str:
    if ref is None or row.median is None or ref.median is None or ref.median == 0:
        return ""
    return f"{row.median / ref.median:.2f}"


def table(bench: Bench, markdown: bool) -> str:
    header = [
        "workload",
        "mode",
        "program",
        "median ms",
        "loop ms",
        "peak mem",
        "x floor",
        "x native",
        "x psutil",
        "items",
        "note",
    ]
    body: list[list[str]] = []
    for row in bench.rows:
        median = row.median
        if row.error:
            cells = [row.workload, row.mode, row.name, "n/a", "", "", "", "", "", "", row.error]
        else:
            ms = f"{median * 1e3:.2f}" if median is not None else ""
            loop = row.loop_median
            loop_ms = (
                f"{loop * 1e3:.2f}" if loop is not None and row.loop_times is not row.times else ""
            )
            peak = row.peak_mb
            mem = ""
            if peak is not None and row.mode == "whole":
                mem = f"{peak:.1f} MB"
                if peak <= bench.floor_mb + 0.2:
                    mem = "≤" + mem
            elif peak is not None:
                mem = f"{peak * 1024:.0f} KB"
            note = row.note
            if row.per_call and median is not None:
                note = (
                    note + "; " if note else ""
                ) + f"{median / row.per_call * 1e6:.2f} µs per file"
            if row.key in TARGET_ROWS:
                note = (note + "; " if note else "") + "targets use this row"
            cells = [
                row.workload,
                row.mode,
                row.name,
                ms,
                loop_ms,
                mem,
                *(ratio(row, bench.reference(row, kind)) for kind in REFERENCE_KINDS),
                "" if row.out is None else str(row.out),
                note,
            ]
        body.append(cells)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines.extend(
            "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |" for cells in body
        )
        return "\n".join(lines) + "\n"
    widths = [max(len(h), *(len(cells[i]) for cells in body)) for i, h in enumerate(header[:-1])]
    right = {3, 4, 5, 6, 7, 8, 9}

    def fmt(cells: list[str]) -> str:
        parts = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i])
            for i, c in enumerate(cells[:-1])
        ]
        return "  ".join(parts) + "  " + cells[-1]

    return "\n".join([fmt(header), *(fmt(cells) for cells in body)]) + "\n"


TARGET_ROWS = ("ps.whole.script", "netstat.whole.script", "top.in.procfs", "system.in.procfs")


def targets(bench: Bench) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for each target of the issue."""
    out: list[tuple[str, str, str]] = []

    def median(key: str) -> float | None:
        row = bench.get(key)
        return None if row is None or row.error else row.median

    def check(
        name: str, ours: str, ref: str, limit: float, peak: bool = False, show: str = "x"
    ) -> None:
        a, b = bench.get(ours), bench.get(ref)
        if a is None and b is None:
            return
        if peak:
            x = a.peak_mb if a is not None and not a.error else None
            y = b.peak_mb if b is not None and not b.error else None
        else:
            x, y = median(ours), median(ref)
        if x is None or y is None or y == 0:
            out.append((name, "n/a", "n/a"))
            return
        value = x / y
        measured = f"{value:.3f}x" if show == "x" else f"{1 / value:.2f}x faster"
        if not peak and a is not None and b is not None and a.loop_times is not a.times:
            lx, ly = a.loop_median, b.loop_median
            if lx is not None and ly:
                loop = lx / ly
                measured += f" (loop {loop:.2f}x)" if show == "x" else f" (loop {1 / loop:.2f}x)"
        out.append((name, measured, "MET" if value <= limit else "MISSED"))

    check("ps whole-process <= 1.3x floor (a)", "ps.whole.script", "ps.whole.ref", 1.3)
    check("ps faster than procps ps", "ps.whole.script", "ps.whole.ref.native", 1.0 - 1e-9)
    check(
        "ps >= 2.5x faster than psutil",
        "ps.whole.script",
        "ps.whole.ref.psutil",
        1 / 2.5,
        show="faster",
    )
    check(
        "pstree -p faster than psmisc pstree -p",
        "pstree.whole.script",
        "pstree.whole.ref.native",
        1.0 - 1e-9,
    )
    check("free faster than procps free", "free.whole.script", "free.whole.ref.native", 1.0 - 1e-9)
    check(
        "pgrep -f python faster than procps pgrep -f python",
        "pgrep.whole.script",
        "pgrep.whole.ref.native",
        1.0 - 1e-9,
    )
    check(
        "lsof -i faster than lsof -n -P -i",
        "lsof.whole.script",
        "lsof.whole.ref.native",
        1.0 - 1e-9,
    )
    check(
        "top -b -n 1 faster than procps top -b -n 1",
        "top-b.whole.script",
        "top-b.whole.ref.native",
        1.0 - 1e-9,
    )
    for name in PS_OPTIONS:
        check(
            f"ps {' '.join(PS_OPTIONS[name])} faster than procps",
            f"{name}.whole.script",
            f"{name}.whole.ref.native",
            1.0 - 1e-9,
        )
    check("ps peak memory <= 1.2x floor (a)", "ps.whole.script", "ps.whole.ref", 1.2, peak=True)
    check(
        "netstat whole-process <= 1.3x floor (b)", "netstat.whole.script", "netstat.whole.ref", 1.3
    )
    check(
        "netstat >= 2x faster than psutil",
        "netstat.whole.script",
        "netstat.whole.ref.psutil",
        0.5,
        show="faster",
    )
    check(
        "top in-process >= 2x faster than psutil",
        "top.in.procfs",
        "top.in.ref.psutil",
        0.5,
        show="faster",
    )
    check(
        "system in-process >= 2x faster than psutil",
        "system.in.procfs",
        "system.in.ref.psutil",
        0.5,
        show="faster",
    )
    check(
        "process_iter (usual attrs) in-process >= 2.5x faster than psutil",
        "iter.in.procfs",
        "iter.in.ref.psutil",
        1 / 2.5,
        show="faster",
    )
    check(
        "cpu_percent of every process >= 2x faster than psutil",
        "cpu_percent.in.procfs",
        "cpu_percent.in.ref.psutil",
        0.5,
        show="faster",
    )
    for what, mode in (
        ("wall", "scrape"),
        ("CPU", "scrape-cpu"),
        ("wall, no smaps", "scrape-nosmaps"),
        ("CPU, no smaps", "scrape-nosmaps-cpu"),
    ):
        check(
            f"process groups >= 5x faster than process-exporter ({what})",
            f"groups.{mode}.procfs",
            f"groups.{mode}.ref.native",
            0.2,
            show="faster",
        )
    for what, mode in (("CPU", "scrape-cpu"), ("CPU, no smaps", "scrape-nosmaps-cpu")):
        check(
            f"floor (h), the least a scrape reads, >= 5x below process-exporter ({what})",
            f"groups.{mode}.ref",
            f"groups.{mode}.ref.native",
            0.2,
            show="faster",
        )
    base, imp = median("import.whole.ref"), median("import.whole.procfs")
    if base is not None and imp is not None:
        added = (imp - base) * 1e3
        measured = f"{added:+.2f} ms"
        loop_base, loop_imp = bench.get("import.whole.ref"), bench.get("import.whole.procfs")
        if (
            loop_base is not None
            and loop_imp is not None
            and loop_imp.loop_times is not loop_imp.times
        ):
            lb, li = loop_base.loop_median, loop_imp.loop_median
            if lb is not None and li is not None:
                measured += f" (loop {(li - lb) * 1e3:+.2f} ms)"
        out.append(("import procfs adds <= 5 ms", measured, "MET" if added <= 5 else "MISSED"))
    for name in ("stat", "status"):
        read, parse = median(f"parse [pid]/{name}.in.ref"), median(f"parse [pid]/{name}.in.parse")
        if read is not None and parse is not None:
            share = parse / read
            out.append(
                (
                    f"parsing [pid]/{name} adds <= 30% to reading it",
                    f"+{share:.0%}",
                    "MET" if share <= 0.30 else "MISSED",
                )
            )
    return out


# -- main ------------------------------------------------------------------------------


class Opts:
    runs = 10
    inproc_runs = 30
    warmup = 2
    timer = "internal"
    psutil = False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, help="runs per measurement (default 10; --quick: 3)")
    parser.add_argument("--quick", action="store_true", help="no load, 1 warm-up, 3 runs")
    parser.add_argument("--only", help="comma-separated: " + ",".join(WORKLOAD_NAMES))
    parser.add_argument("--json", metavar="FILE", help="write every row and timing to FILE")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-load", action="store_true", help="do not set up the load")
    parser.add_argument("--procs", type=int, default=1000, help="idle processes of the load")
    parser.add_argument("--conns", type=int, default=2000, help="TCP connections of the load")
    parser.add_argument(
        "--load-seconds", type=float, default=1800, help="the load's lifetime bound"
    )
    parser.add_argument("--timer", choices=("auto", "hyperfine", "internal"), default="auto")
    args = parser.parse_args(argv)

    o = Opts()
    o.runs = args.runs or (3 if args.quick else 10)
    if o.runs < 1:
        parser.error("--runs must be at least 1")
    o.inproc_runs = o.runs if args.quick else 3 * o.runs
    o.warmup = 1 if args.quick else 2
    o.psutil = workloads.have_psutil()
    if args.timer == "auto":
        o.timer = "hyperfine" if shutil.which("hyperfine") else "internal"
    else:
        o.timer = args.timer
        if o.timer == "hyperfine" and not shutil.which("hyperfine"):
            parser.error("hyperfine is not installed")
    chosen = WORKLOAD_NAMES if not args.only else tuple(args.only.split(","))
    unknown = [name for name in chosen if name not in WORKLOAD_NAMES]
    if unknown:
        parser.error(
            f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOAD_NAMES)}"
        )
    with_load = not (args.quick or args.no_load) and any(name in LOADED for name in chosen)

    compile_sources()
    bench = Bench()
    facts = bench.facts
    facts["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    facts["machine"] = (
        f"{cpu_model()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()} ({os.path.realpath(sys.executable)})"
    )
    tools = [f"psutil {_psutil_version()}" if o.psutil else "psutil: not installed"]
    for tool, flag in (("ps", "--version"), ("ss", "--version"), ("hyperfine", "--version")):
        if shutil.which(tool):
            tools.append(tool_version([tool, flag]))
    facts["tools"] = ", ".join(tools)
    facts["loadavg_start"] = loadavg()
    bench.floor_mb = measurer_floor(o.runs)
    if o.timer == "hyperfine":
        whole = (
            f"hyperfine -N, {o.warmup} warm-up + {o.runs} runs per command, one command after"
            " the other (half the runs in the reverse order)"
            f"; 'loop ms': our own loop, {o.runs} runs, commands interleaved"
        )
    else:
        whole = f"our own loop, {o.warmup} warm-up + {o.runs} runs, commands interleaved"
    facts["timing"] = (
        f"whole-process: {whole}; peak RSS: our own loop (measurer floor {bench.floor_mb:.1f} MB);"
        f" in-process: {o.inproc_runs} runs, interleaved, gc.collect() before each"
    )
    load = Load(args.procs, args.conns, args.load_seconds) if with_load else None
    runners: dict[str, Callable[[Bench, Opts], None]] = {
        "import": run_import,
        "system": run_system,
        "ps": run_ps,
        **{name: run_ps_options(name) for name in PS_OPTIONS},
        "top": run_top,
        "netstat": run_netstat,
        "parse": run_parse,
        "pstree": run_pstree,
        "free": run_free,
        "pgrep": run_pgrep,
        "lsof": run_lsof,
        "top-b": run_top_batch,
        "iter": run_iter,
        "cpu_percent": run_cpu_percent,
        "groups": run_groups,
    }
    try:
        if load is not None:
            load.start()
            facts["load"] = load.describe()
            time.sleep(3)  # let the machine settle after starting 1000 processes
        else:
            facts["load"] = "none"
        facts["processes"] = count_processes()
        facts["tcp_sockets"] = count_tcp()
        for name in WORKLOAD_NAMES:
            if name in chosen:
                runners[name](bench, o)
                if load is not None and any(h.poll() is not None for h in load.helpers):
                    bench.notes.append(
                        f"the load ended early (during {name}): raise --load-seconds"
                    )
        facts["loadavg_end"] = loadavg()
    finally:
        if load is not None:
            load.stop()
    report(bench, args.markdown)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(
                {
                    "facts": facts,
                    "rows": [row.to_dict() for row in bench.rows],
                    "targets": targets(bench),
                    "notes": bench.notes,
                },
                handle,
                indent=1,
            )
    return 0


def _psutil_version() -> str:
    import importlib

    return str(getattr(importlib.import_module("psutil"), "__version__", "?"))


def report(bench: Bench, markdown: bool) -> None:
    facts = bench.facts
    write = sys.stdout.write
    write(f"pyprocfs benchmarks, {facts['date']}\n")
    write(f"machine: {facts['machine']}\n")
    write(f"tools: {facts['tools']}\n")
    write(
        f"load: {facts['load']}; {facts.get('processes', '?')} processes, "
        f"{facts.get('tcp_sockets', '?')} TCP sockets; load average at start "
        f"{facts['loadavg_start']}, at end {facts.get('loadavg_end', '?')}\n"
    )
    write(f"timing: {facts['timing']}\n")
    write(
        "peak mem: whole-process, max RSS; in-process, Python heap peak (tracemalloc) of one call;"
        " items: lines printed (whole-process) or items returned (in-process)\n"
    )
    write(
        "ratios (x ...): median / the reference median, same workload and mode; lower is better\n\n"
    )
    write(table(bench, markdown))
    found = targets(bench)
    if found:
        write("\ntargets (medians, this run):\n")
        width = max(len(name) for name, _, _ in found)
        for name, measured, verdict in found:
            write(f"  {name:<{width}}  {measured:>28}  {verdict}\n")
    for note in bench.notes:
        write(f"note: {note}\n")


if __name__ == "__main__":
    raise SystemExit(main())
