"""One pass over every process, reading only the files the caller names: the path of a monitor.

``scan_processes(("stat", "status", "statm", "io"))`` yields one
:class:`ScannedProcess` per process: its pid and the parsed files, read
through one descriptor of the process's directory (so every file comes from
the same process, even if its pid is reused meanwhile) that is closed again
before the next process. There are no handles to pin, pool or check, which
is what makes this the cheapest way to read a few files of every process
(``top``, a metrics agent); use :class:`~procfs.process.Process` to follow
one process over time (:meth:`ScannedProcess.process` gives one).

Nothing is lost to an error: a process whose directory is gone when the scan
reaches it is left out, and any other failure (a file the kernel lacks, a
permission denied, a process that exited between two of its files, a file
that does not parse) is kept with that file and raised, typed, when the
file's attribute is read.
"""

from __future__ import annotations

import os as _os

from procfs._fs import _GONE, _O_DIR, _O_RDONLY, ProcFS, load_parser, read_fd
from procfs.errors import ParseError, ProcError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from procfs.core.io import Io
    from procfs.core.limits import Limits
    from procfs.core.process_cgroup import ProcessCgroup
    from procfs.core.sched import SchedStat
    from procfs.core.smaps import SmapsRollup
    from procfs.core.stat import Stat
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.process import Process

__all__ = ["SCAN_FILES", "ScannedProcess", "scan_processes"]

#: The files a scan can read: name -> (parser module, parser, read in one call).
SCAN_FILES: dict[str, tuple[str, str, bool]] = {
    "stat": ("stat", "parse_stat", True),
    "status": ("status", "parse_status", True),
    "statm": ("statm", "parse_statm", True),
    "io": ("io", "parse_io", True),
    "cmdline": ("cmdline", "parse_cmdline", False),
    "comm": ("pid_values", "parse_comm", True),
    "wchan": ("pid_values", "parse_wchan", True),
    "oom_score": ("pid_values", "parse_oom_score", True),
    "schedstat": ("sched", "parse_schedstat", True),
    "smaps_rollup": ("smaps", "parse_smaps_rollup", False),
    "limits": ("limits", "parse_limits", False),
    "cgroup": ("process_cgroup", "parse_process_cgroups", False),
}

#: The attribute of each file (the file ``cgroup`` is ``cgroups``), and back.
_ATTRIBUTES = {name: "cgroups" if name == "cgroup" else name for name in SCAN_FILES}
_FILES = {attribute: name for name, attribute in _ATTRIBUTES.items()}

_open = _os.open
_close = _os.close
#: The errors of a process with none (shared; replaced by its own dict at the first).
_NO_ERRORS: dict[str, ProcError] = {}


class ScannedProcess:
    """The files of one process read by :func:`scan_processes`, parsed.

    Each file is an attribute (``stat``, ``status``, ``io``, ...; the file
    ``cgroup`` is :attr:`cgroups`). Reading one raises the
    :class:`~procfs.errors.ProcError` its read or parse met, or
    :class:`LookupError` if the scan was not asked for it.

    Attributes:
        pid: The process ID.
        stat: ``stat`` (see :meth:`procfs.process.Process.stat`).
        status: ``status`` (see :meth:`procfs.process.Process.status`).
        statm: ``statm``: memory sizes in pages.
        io: ``io``: I/O counters (root or the process's owner only).
        cmdline: ``cmdline``: the arguments (empty for a kernel thread or a zombie).
        comm: ``comm``: the command name.
        wchan: ``wchan``: the kernel function the task sleeps in (``""`` if running).
        oom_score: ``oom_score``: the OOM killer's current score of the process.
        schedstat: ``schedstat``: time on the CPU and waiting for it, nanoseconds.
        smaps_rollup: ``smaps_rollup``: memory counters summed over all mappings, bytes.
        limits: ``limits``: the resource limits.
        cgroups: ``cgroup``: the control groups of the process, one per hierarchy.
    """

    # A file read is stored in its slot; a failed one only in _errors, so that
    # reading the empty slot reaches __getattr__, which raises its error.
    __slots__ = ("_errors", "_fs", "pid", *(_ATTRIBUTES[name] for name in SCAN_FILES))

    pid: int
    stat: Stat
    status: Status
    statm: StatM
    io: Io
    cmdline: list[str]
    comm: str
    wchan: str
    oom_score: int
    schedstat: SchedStat
    smaps_rollup: SmapsRollup
    limits: Limits
    cgroups: list[ProcessCgroup]
    _errors: dict[str, ProcError]
    _fs: ProcFS

    def __init__(self, pid: int, fs: ProcFS) -> None:
        self.pid = pid
        self._fs = fs
        self._errors = _NO_ERRORS

    def _keep(self, name: str, error: ProcError) -> None:
        if self._errors is _NO_ERRORS:
            self._errors = {}
        self._errors[name] = error

    def __getattr__(self, attribute: str) -> object:
        name = _FILES.get(attribute)
        if name is None:
            raise AttributeError(f"'ScannedProcess' object has no attribute {attribute!r}")
        error = self._errors.get(name)
        if error is not None:
            raise error
        raise LookupError(f"the scan did not read {name!r}: pass it in files")

    def __repr__(self) -> str:
        read = [name for name in SCAN_FILES if _has(self, _ATTRIBUTES[name])]
        return f"ScannedProcess(pid={self.pid}, read={read}, errors={sorted(self._errors)})"

    def get(self, name: str) -> object:
        """The parsed file ``name`` (a key of :data:`SCAN_FILES`); raises as the attributes do."""
        attribute = _ATTRIBUTES.get(name)
        if attribute is None:
            raise LookupError(f"no such scan file {name!r}; see procfs.scan.SCAN_FILES")
        return getattr(self, attribute)

    @property
    def errors(self) -> dict[str, ProcError]:
        """The files that could not be read or parsed, with their errors."""
        return dict(self._errors)

    def process(self) -> Process:
        """A handle on this process, bound to it by the start time the scan read.

        Needs ``stat`` in the scan (raises :class:`LookupError` otherwise).
        The handle raises :class:`~procfs.errors.NotFoundError` at its first
        read if the process has exited and its pid was reused.
        """
        from procfs.process import Process

        handle = Process(self.pid, self._fs, _check=False)
        handle._start_time = self.stat.starttime
        return handle


def _has(process: ScannedProcess, attribute: str) -> bool:
    """Whether the slot is set (``hasattr`` would raise the file's stored error)."""
    try:
        object.__getattribute__(process, attribute)
    except AttributeError:
        return False
    return True


def _parsers(
    files: Iterable[str],
) -> list[tuple[str, str, Callable[[bytes, str], object], bool]]:
    out = []
    for name in files:
        try:
            module, function, single = SCAN_FILES[name]
        except KeyError:
            raise ValueError(
                f"cannot scan {name!r}; the files a scan reads are: {', '.join(SCAN_FILES)}"
            ) from None
        parse = load_parser(module, function)
        out.append((name, _ATTRIBUTES[name], parse, single))
    return out


def scan_processes(
    files: Iterable[str] = ("stat",), fs: ProcFS | None = None
) -> Iterator[ScannedProcess]:
    """Every process under a procfs root, with the files ``files`` read and parsed.

    ``files`` are names of :data:`SCAN_FILES`. Processes come in the order
    the kernel lists them; one that is gone before the scan reaches it is
    left out. See the module notes for errors.
    """
    if fs is None:
        from procfs.process import _default_fs

        fs = _default_fs()
    parsers = _parsers(files)
    prefix = fs.path("")
    root_fd = fs.open_dir("")
    try:
        for name in _os.listdir(root_fd):
            if not name.isdigit():
                continue
            try:
                dir_fd = _open(name, _O_DIR, dir_fd=root_fd)
            except OSError as exc:
                if exc.errno in _GONE:
                    continue
                process = ScannedProcess(int(name), fs)
                error = from_oserror(exc, prefix + name)
                for file, _, _, _ in parsers:
                    process._keep(file, error)
                yield process
                continue
            base = f"{prefix}{name}/"
            process = ScannedProcess(int(name), fs)
            try:
                for file, attribute, parse, single in parsers:
                    try:
                        fd = _open(file, _O_RDONLY, dir_fd=dir_fd)
                        try:
                            data = read_fd(fd, single)
                        finally:
                            _close(fd)
                        setattr(process, attribute, parse(data, base + file))
                    except OSError as exc:
                        process._keep(file, from_oserror(exc, base + file))
                    except ParseError as exc:
                        process._keep(file, exc)
            finally:
                _close(dir_fd)
            yield process
    finally:
        _close(root_fd)
