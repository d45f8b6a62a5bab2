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

from procfs._fs import Root
from procfs.core._parse import _ERRORS, REGISTRY, unexpected
from procfs.core._record import compile_function, fields_getter, items_getter
from procfs.errors import ParseError, ProcError, ResourceLimitError, from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any

    from procfs.core._parse import Parser
    from procfs.core.io import Io
    from procfs.core.limits import Limits
    from procfs.core.owner import Owner
    from procfs.core.process_cgroup import ProcessCgroup
    from procfs.core.sched import SchedStat
    from procfs.core.smaps import SmapsRollup
    from procfs.core.stat import Stat
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.process import Process
    from procfs.root import ProcFS

__all__ = ["SCAN_FILES", "ScanFiles", "ScannedProcess"]

#: The files a scan can read: name -> the core module of its parser. Everything
#: else (how it is read, its record, its fields reader) is on the parser's
#: ``@parser`` line.
SCAN_FILES: dict[str, str] = {
    "stat": "stat",
    "status": "status",
    "statm": "statm",
    "io": "io",
    "cmdline": "cmdline",
    "comm": "pid_values",
    "wchan": "pid_values",
    "oom_score": "pid_values",
    "schedstat": "sched",
    "smaps_rollup": "smaps",
    "limits": "limits",
    "cgroup": "process_cgroup",
    "fd": "fd",
    "owner": "owner",
}
#: The scan files that are directories, and their parsers: ``fd`` counted, the process
#: directory itself for its owner.
_DIRECTORIES = {"fd": "parse_fd_count", "owner": "parse_owner"}
#: ``default`` of a field scan when none is given: errors raise.
_RAISE: Any = object()

#: The attribute of each file (the file ``cgroup`` is ``cgroups``, the directory ``fd``
#: ``fd_count``), and back.
_RENAMED = {"cgroup": "cgroups", "fd": "fd_count"}
_ATTRIBUTES = {name: _RENAMED.get(name, name) for name in SCAN_FILES}
_FILES = {attribute: name for name, attribute in _ATTRIBUTES.items()}

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
        fd_count: ``fd``: the number of open file descriptors (the entries of the
            directory ``fd``, root or the process's owner only).
        owner: the process directory's owner: the effective user and group IDs
            (see :mod:`procfs.core.owner`), with no file read on a procfs.
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
    fd_count: int
    owner: Owner
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

        return Process.bound(self.pid, self.stat.starttime, self._fs)


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
    out: list[tuple[str, str, Callable[[bytes, str], object], bool]] = []
    for name in files:
        try:
            parse = _parser(name)
        except KeyError:
            raise ValueError(
                f"cannot scan {name!r}; the files a scan reads are: {', '.join(SCAN_FILES)}"
            ) from None
        out.append((name, _ATTRIBUTES[name], parse, parse.__read__ == "single"))
    return out


# One file of a field scan: (name, its fields reader, read in one call, number of fields).
_FileFields = tuple[str, "Callable[[bytes, str], tuple[Any, ...]]", bool, int]


#: The plans made, by the fields asked: a monitor asks for the same fields at every
#: pass, and a plan compiles its readers (cached: PLANS_KEPT at most).
_PLANS: dict[tuple[str, ...], tuple[list[_FileFields], Callable[[Any], tuple[Any, ...]] | None]]
_PLANS = {}
_PLANS_KEPT = 256
#: The row makers compiled, by the files and readers of their plan.
_MAKERS: dict[tuple[tuple[str, object], ...], Callable[[int, list[Any], str], Any]] = {}


def _field_plan(
    fields: Iterable[str],
) -> tuple[list[_FileFields], Callable[[Any], tuple[Any, ...]] | None]:
    """The files to read for ``fields`` and how to put a row in their order.

    A row is first made as ``[pid, *values of the first file, *of the second, ...]``;
    the second result picks the fields from it in the order asked (None: the
    row is in that order).
    """
    if isinstance(fields, str):
        raise TypeError(f"fields must be a sequence of names, not the string {fields!r}")
    asked = tuple(fields)
    found = _PLANS.get(asked)
    if found is None:
        found = _new_plan(asked)
        if len(_PLANS) < _PLANS_KEPT:
            _PLANS[asked] = found
    return found


def _new_plan(
    asked: tuple[str, ...],
) -> tuple[list[_FileFields], Callable[[Any], tuple[Any, ...]] | None]:
    """:func:`_field_plan`, made anew."""
    if not asked:
        raise ValueError("scan_fields needs at least one field")
    wanted: dict[str, list[str]] = {}  # file -> its attributes, in the order asked
    places: list[tuple[str, int]] = []  # each field: its file ("" for pid) and place there
    for field in asked:
        if field == "pid":
            places.append(("", 0))
            continue
        file, _, attribute = field.partition(".")
        if file not in SCAN_FILES:
            raise ValueError(
                f"cannot scan {field!r}: its file {file!r} is not one of {', '.join(SCAN_FILES)}"
            )
        if attribute:
            cls = _parser(file).__record__
            if cls is None or not cls.has_field(attribute):
                what = f"{cls.__name__} has no field {attribute!r}" if cls else "it has no fields"
                raise ValueError(f"cannot scan {field!r}: {what} (ask for {file!r} whole)")
        names = wanted.setdefault(file, [])
        places.append((file, len(names)))
        names.append(attribute)
    plan: list[_FileFields] = []
    starts = {"": 0}
    start = 1
    for file, names in wanted.items():
        parse = _parser(file)
        single = parse.__read__ == "single"
        whole = not all(names)  # a file asked for whole: its value, not fields of a record
        if parse.__fields__ is not None and not whole:
            reader = parse.__fields__(names)
        else:
            cls = None if whole else parse.__record__
            getter = cls.fields_getter(names) if cls is not None else fields_getter(names)
            reader = _reader(parse, getter)
        plan.append((file, reader, single, len(names)))
        starts[file] = start
        start += len(names)
    indexes = [starts[file] + place for file, place in places]
    if indexes == list(range(start)):
        return plan, None  # the row as made: the pid, then each file's fields in order
    if indexes == list(range(1, start)):
        return plan, _without_pid  # each file's fields in order, no pid
    return plan, items_getter(indexes)


def _without_pid(row: list[Any]) -> tuple[Any, ...]:
    return tuple(row[1:])


def _reader(
    parse: Any, getter: Callable[[Any], tuple[Any, ...]]
) -> Callable[[bytes, str], tuple[Any, ...]]:
    """The fields ``getter`` takes of what ``parse`` makes of a file's bytes.

    The parser is called without its wrapper: the scan sets the path of a
    ParseError and turns the other errors into one itself.
    """
    function = parse.__wrapped__
    if parse.__takes_path__:
        return lambda data, path: getter(function(data, path))
    return lambda data, path: getter(function(data))


def _parser(file: str) -> Parser[Any]:
    """The parser of the scan file ``file`` (a key of :data:`SCAN_FILES`), imported: the one
    registered for ``[pid]/<file>``, which also says how to read the file, the record it
    makes and its fast fields reader."""
    module = __import__(f"procfs.core.{SCAN_FILES[file]}", fromlist=["_"])
    if file in _DIRECTORIES:  # a directory: its parser is not registered for a file
        parse: Parser[Any] = getattr(module, _DIRECTORIES[file])
        return parse
    return REGISTRY[f"[pid]/{file}"]


class ScanFiles(Root):
    """One pass over every process of a procfs root (see the module notes)."""

    __slots__ = ()

    def scan_processes(self, files: Iterable[str] = ("stat",)) -> Iterator[ScannedProcess]:
        """Every process under this root, with the files ``files`` read and parsed.

        ``files`` are names of :data:`SCAN_FILES`. Processes come in pid order;
        one that is gone before the scan reaches it is left out. See the
        module notes for errors.
        """
        parsers = _parsers(files)
        return self._scan_processes(parsers)

    def _scan_processes(
        self, parsers: list[tuple[str, str, Callable[[bytes, str], object], bool]]
    ) -> Iterator[ScannedProcess]:
        fs: ProcFS = self  # type: ignore[assignment]
        names = self.pid_names()
        root_fd = self.open_dir()
        try:
            wanted = [(file, single) for file, _, _, single in parsers]
            for name in names:
                contents = self.read_files(root_fd, name, wanted)
                if contents is None:  # gone
                    continue
                process = ScannedProcess(int(name), fs)
                if isinstance(contents, OSError):  # the process's directory
                    error = from_oserror(contents, self.path(name))
                    for file, _, _, _ in parsers:
                        process._keep(file, error)
                    yield process
                    continue
                base = self.path(name) + "/"
                for (file, attribute, parse, _), data in zip(parsers, contents, strict=True):
                    if isinstance(data, OSError):
                        process._keep(file, from_oserror(data, base + file))
                        continue
                    try:
                        setattr(process, attribute, parse(data, base + file))
                    except ParseError as exc:
                        process._keep(file, exc)
                yield process
        finally:
            self.close_fd(root_fd)

    def scan_fields(
        self,
        fields: Iterable[str],
        *,
        default: object = _RAISE,
        errors: list[ProcError] | None = None,
        pids: Iterable[int] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """A tuple of the values ``fields`` of every process: the cheapest way to read a few.

        ``fields`` are ``"pid"`` and ``"<file>.<field>"`` names, ``<file>`` one
        of :data:`SCAN_FILES` and ``<field>`` an attribute of its record
        (``"stat.utime"``, ``"status.euid"``, ``"statm.resident"``,
        ``"io.read_bytes"``), or a file's name alone for its whole parsed value
        (``"cmdline"``, ``"stat"``). Each tuple holds the values in that order::

            for pid, comm, utime, stime in procfs.scan_fields(
                ("pid", "stat.comm", "stat.utime", "stat.stime")
            ):
                ...

        The values are those the records give (``Stat.utime`` and so on), but
        no record is kept and the numbers of ``stat``, ``statm`` and ``io`` that
        are not asked for are not converted. Each file is read once per
        process, all of them through one descriptor of the process's directory
        (one process's values, even if its pid is reused meanwhile); the files of
        32 processes are read before they are converted. Processes come in the
        order the kernel lists them; one that is gone before the scan reaches
        it, or that exits between two of its files, is left out.

        Any other failure (a permission denied, a file the kernel lacks, a file
        that does not parse) raises its :class:`~procfs.errors.ProcError`, which
        ends the scan, unless a ``default`` is given: then the fields of that
        file read as ``default`` and the error is appended to ``errors`` (if a
        list is given); running out of file descriptors
        (:class:`~procfs.errors.ResourceLimitError`) raises even then. An unknown
        field raises :class:`ValueError` at once.

        With ``pids``, only those processes are read, in that order (one that
        does not exist is left out, as one gone is).
        """
        plan, order = _field_plan(fields)
        if pids is None:
            names = self.pid_names()
        else:
            names = [str(int(pid)) for pid in pids]
            if not plan:  # (nothing read to tell which exist)
                listed = set(self.pid_names())
                names = [name for name in names if name in listed]
        return _scan_fields(self, plan, order, default, errors, names)


#: Processes whose files a field scan reads before converting them (see _scan_fields).
_BATCH = 32


def _scan_fields(
    fs: ScanFiles,
    plan: list[_FileFields],
    order: Callable[[Any], tuple[Any, ...]] | None,
    default: object,
    errors: list[ProcError] | None,
    names: list[str],
) -> Iterator[tuple[Any, ...]]:
    # The files of a batch of processes are read first and converted after:
    # the readers then run back to back rather than each between two system
    # calls (a few % faster).
    def failed(error: BaseException, count: int, path: str) -> tuple[object, ...]:
        """The values of a file that could not be read (an OSError) or converted."""
        if isinstance(error, OSError):
            error = from_oserror(error, path)
        elif isinstance(error, ParseError):
            error = _with_path(error, path)
        elif isinstance(error, _ERRORS):
            error = unexpected(error, path)
        if default is _RAISE or not isinstance(error, ProcError):
            raise error
        if isinstance(error, ResourceLimitError):  # not about this process: every next one fails
            raise error
        if errors is not None:
            errors.append(error)
        return (default,) * count

    prefix = fs.path("")
    for _, read, _, _ in plan:
        new_pass = getattr(read, "new_pass", None)  # (a reader that remembers lines)
        if new_pass is not None:
            new_pass()
    root_fd = fs.open_dir()
    try:
        if not plan:  # pids alone: nothing to read
            for name in names:
                yield (int(name),) if order is None else order((int(name),))
            return
        if len(plan) == 1 and plan[0][0] not in _DIRECTORIES:
            # One file: opened by its path, no directory descriptor needed.
            ((file, read, single, count),) = plan
            suffix = "/" + file
            for first in range(0, len(names), _BATCH):
                for name, data in fs.read_one_each(
                    root_fd, names[first : first + _BATCH], suffix, single
                ):
                    path = prefix + name + suffix
                    if isinstance(data, OSError):
                        values = failed(data, count, path)
                    else:
                        try:
                            values = read(data, path)
                        except Exception as exc:  # (failed() sorts it out)
                            values = failed(exc, count, path)
                    if order is _without_pid:
                        yield values
                    else:
                        found = (int(name), *values)
                        yield found if order is None else order(found)
            return
        wanted = [(file, single) for file, _, single, _ in plan]
        key = tuple((file, read) for file, read, _, _ in plan)
        make = _MAKERS.get(key)
        if make is None:
            make = _row_maker(plan)
            if len(_MAKERS) < _PLANS_KEPT:
                _MAKERS[key] = make
        for first in range(0, len(names), _BATCH):
            batch = [
                (name, fs.read_files(root_fd, name, wanted))
                for name in names[first : first + _BATCH]
            ]
            for name, contents in batch:
                if contents is None:  # gone
                    continue
                if contents.__class__ is list:
                    made = make(int(name), contents, prefix + name)
                    if made is not None:
                        yield made if order is None else order(made)
                        continue
                row: list[object] = [int(name)]
                if isinstance(contents, OSError):  # the process's directory
                    for entry in plan:
                        row += failed(contents, entry[3], prefix + name)
                else:
                    base = f"{prefix}{name}/"
                    for (file, read, _, count), data in zip(plan, contents, strict=True):
                        error: BaseException
                        if isinstance(data, OSError):
                            error = data
                        else:
                            try:
                                row += read(data, base + file)
                                continue
                            except Exception as exc:  # (failed() sorts it out)
                                error = exc
                        row += failed(error, count, base + file)
                yield tuple(row) if order is None else order(row)
    finally:
        fs.close_fd(root_fd)


def _row_maker(plan: list[_FileFields]) -> Callable[[int, list[Any], str], tuple[Any, ...] | None]:
    """A function making the row of a process from its files' bytes: ``make(pid,
    contents, base)``, ``base`` the path of its directory; None when a file could not
    be read or converted (the general loop of :func:`_scan_fields` then sorts it out,
    calling the readers again: they are pure).

    Compiled for the plan: the readers as globals, the row made as one tuple
    instead of a list grown file by file: 6 to 8% of the conversion (ps -ef's
    rows of 1087 processes from bytes already read: 7.8 -> 7.2 ms, interleaved
    A/B; bench/RESULTS.md, 2026-12-07 04:30).
    """
    env: dict[str, Any] = {"bytes": bytes}
    datas = ", ".join(f"d{place}" for place in range(len(plan))) + ","
    checks = " and ".join(f"d{place}.__class__ is bytes" for place in range(len(plan)))
    values = []
    for place, (file, read, _, _) in enumerate(plan):
        env[f"r{place}"] = read
        values.append(f"*r{place}(d{place}, base + {'/' + file!r})")
    source = (
        "def make(pid, contents, base):\n"
        f"    {datas} = contents\n"
        f"    if {checks}:\n"
        "        try:\n"
        f"            return (pid, {', '.join(values)})\n"
        "        except Exception:\n"
        "            return None\n"
        "    return None\n"
    )
    return compile_function(source, env, "make")  # type: ignore[no-any-return]


def _with_path(error: ParseError, path: str) -> ParseError:
    if error.path is None:
        error.path = path
    return error
