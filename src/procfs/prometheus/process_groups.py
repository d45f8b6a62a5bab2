"""Process groups for Prometheus, as process-exporter names and counts them.

:class:`ProcessGroupCollector` reads a process-exporter configuration (the
YAML of its ``-config.path``, unchanged) and gives the
``namedprocess_namegroup_*`` metrics that ``process-exporter`` 0.7/0.8 gives
for it, with the same names, help texts, labels and types, so that its
dashboards and alerts keep working::

    process_names:
      - comm: [bash]                        # comm (stat's name) is one of these
      - exe: [/usr/sbin/sshd, nginx]        # argv[0] is this path, or has this base name
      - name: "{{.Matches.app}}:{{.Comm}}"  # the group's name (default "{{.ExeBase}}")
        cmdline: ['-jar (?P<app>\\S+)\\.jar']  # every regex must match the joined argv

The first rule that matches a process names its group; with ``children``
(process-exporter's ``-children``, on by default) a process no rule matches
joins the group of its nearest grouped ancestor. A process is named once, the
first time a scrape sees it (``recheck`` names a process no rule took again
at every scrape, as ``-recheck`` does).

Counters (CPU, I/O, page faults, context switches) follow process-exporter's
tracker: each process, known by its pid and start time, contributes what its
counters grew by since the previous scrape (a process started after the
collector's first scrape contributes all its counts, one that was already
running only what it did since), and a group's totals only grow: the counts
of a member that exited stay in them. The totals thus count from the
collector's first scrape (made when it is created, as process-exporter does
at start). A group whose processes are all gone keeps its counters (its
gauges read 0, its ``oldest_start_time_seconds`` Go's zero time,
-62135596800) unless ``remove_empty_groups``.

The values follow process-exporter's reading of ``/proc`` too:
``context_switches_total`` sums the threads' counts when a process has
several; ``states`` counts the process's state plus, for a process of
several threads, each thread's (a multi-threaded process counts once more
than its threads); ``threads_wchan`` likewise counts the process's ``wchan``
and each thread's. Differences, each deliberate: a counter that goes down
(a thread's context switches leave the sum when it exits) adds nothing
rather than wrapping around; ``namedprocess_scrape_procread_errors`` counts
the read failures of every scrape (process-exporter counts only its first);
and the three ``namedprocess_scrape_*`` counters are ``untyped``, because
prometheus_client writes a counter's name with ``_total`` and these have
none (the names are kept).

A scrape reads each process through one descriptor of its directory, in
one pass: ``stat``, ``status`` and the ``fd`` count (and ``smaps_rollup``
with ``gather_smaps``), its limit of open files by prlimit(2) (``limits``
when that is refused, or for a root that is not this system's ``/proc``),
and ``io`` and ``wchan``; plus the ``task`` directory of each process of
several threads. What only names a process (``cmdline``, and ``cgroup``
when a name uses ``{{.Cgroups}}``) is read once, for a process seen for the
first time; of a process no rule names (ignored), only ``stat``, to tell
whether it is still the same process (as process-exporter does).

Most processes sleep from one scrape to the next, and a process that has
not run keeps its counters, its state, its io counters and its wchan (only
the process itself moves them): on a procfs, a process whose ``stat`` and
``status`` are byte for byte those of the last scrape is not parsed again,
and one that has not run since (not running then nor now, the same context
switches and CPU times) keeps the ``io`` and ``wchan`` it had; they are read
again as soon as it has run. Its memory sizes, descriptors and limit, which
others can move, are read at every scrape.
"""

from __future__ import annotations

import os
import re
import resource as _resource
import time

from procfs._fs import DEFAULT_ROOT, Root, default_root, new_root
from procfs.errors import NotFoundError, ParseError, ProcError
from procfs.users import user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from prometheus_client.metrics_core import Metric

    from procfs.core._parse import Parser
    from procfs.root import ProcFS

__all__ = ["Group", "ProcessGroupCollector", "load_config"]

#: process-exporter's clock ticks per second (it assumes 100, as the kernel's USER_HZ is).
_USER_HZ = 100.0
#: Unix time of Go's zero time.Time, which process-exporter reports for an empty group.
_GO_ZERO_TIME = -62135596800.0
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_NOFILE = _resource.RLIMIT_NOFILE

# The counters, in this order in every counts list.
_CPU_USER, _CPU_SYSTEM, _READ, _WRITE, _MAJFLT, _MINFLT, _VOLUNTARY, _NONVOLUNTARY = range(8)
_STATES = ("Running", "Sleeping", "Waiting", "Zombie", "Other")
_STATE_INDEX = {"R": 0, "S": 1, "D": 2, "Z": 3}

# -- configuration ------------------------------------------------------------

_FIELDS = ("Comm", "ExeBase", "ExeFull", "Username", "PID", "StartTime", "Cgroups")
_ACTION = re.compile(r"{{(-\s)?\s*(.*?)\s*(\s-)?}}", re.S)


class _Attributes:
    """What a name template and the matchers see of a process (process-exporter's
    ``ProcAttributes``)."""

    __slots__ = ("cgroups", "cmdline", "comm", "pid", "start", "username")

    def __init__(
        self,
        comm: str,
        cmdline: list[str],
        username: str,
        pid: int,
        start: float,
        cgroups: list[str],
    ) -> None:
        self.comm = comm
        self.cmdline = cmdline
        self.username = username
        self.pid = pid
        self.start = start
        self.cgroups = cgroups


def _base(path: str) -> str:
    """Go's ``filepath.Base``."""
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else "."
    return stripped.rsplit("/", 1)[-1]


def _go_time(seconds: float) -> str:
    """A Go ``time.Time`` in UTC as its ``String()`` writes it."""
    whole = int(seconds // 1)
    text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(whole))
    nanos = round((seconds - whole) * 1e9)
    if nanos:
        text += "." + f"{nanos:09d}".rstrip("0")
    return text + " +0000 UTC"


def _template(text: str) -> Callable[[_Attributes, dict[str, str]], str]:
    """A Go text/template of the fields process-exporter gives a name (``{{.Comm}}``,
    ``{{.Matches.NAME}}`` ...), as a function of a process and its regex captures."""
    parts: list[Callable[[_Attributes, dict[str, str]], str] | str] = []
    position = 0
    for action in _ACTION.finditer(text):
        literal = text[position : action.start()]
        if action.group(1):
            literal = literal.rstrip()
        parts.append(literal)
        position = action.end()
        if action.group(3):
            rest = text[position:]
            position += len(rest) - len(rest.lstrip())
        parts.append(_field(action.group(2), text))
    parts.append(text[position:])
    if "{{" in "".join(part for part in parts if isinstance(part, str)):
        raise ValueError(f"bad name template {text!r}: an unclosed action")
    pieces = [part for part in parts if part != ""]

    def render(process: _Attributes, matches: dict[str, str]) -> str:
        return "".join(part if isinstance(part, str) else part(process, matches) for part in pieces)

    return render


def _field(expression: str, text: str) -> Callable[[_Attributes, dict[str, str]], str]:
    if expression.startswith(".Matches.") and expression[9:].isidentifier():
        key = expression[9:]
        return lambda process, matches: matches.get(key, "<no value>")
    getters: dict[str, Callable[[_Attributes, dict[str, str]], str]] = {
        ".Comm": lambda process, matches: process.comm,
        ".ExeFull": lambda process, matches: (
            process.cmdline[0] if process.cmdline else process.comm
        ),
        ".ExeBase": lambda process, matches: (
            _base(process.cmdline[0]) if process.cmdline else process.comm
        ),
        ".Username": lambda process, matches: process.username,
        ".PID": lambda process, matches: str(process.pid),
        ".StartTime": lambda process, matches: _go_time(process.start),
        ".Cgroups": lambda process, matches: "[" + " ".join(process.cgroups) + "]",
    }
    getter = getters.get(expression)
    if getter is None:
        raise ValueError(
            f"bad name template {text!r}: {{{{{expression}}}}} is not one of"
            f" {', '.join('.' + f for f in _FIELDS)} or .Matches.NAME"
        )
    return getter


class _Rule:
    """One entry of ``process_names``: its matchers (all must match) and its name template."""

    __slots__ = ("comms", "exes", "name", "regexes", "uses_cgroups")

    def __init__(self, entry: Mapping[str, Any]) -> None:
        if not isinstance(entry, dict):
            raise ValueError(f"a process_names entry must be a mapping, not {entry!r}")
        unknown = set(entry) - {"name", "comm", "exe", "cmdline"}
        if unknown:
            raise ValueError(f"unknown keys in a process_names entry: {', '.join(sorted(unknown))}")
        comm, exe, cmdline = (_strings(entry, key) for key in ("comm", "exe", "cmdline"))
        if comm is None and exe is None and cmdline is None:
            raise ValueError(
                "no matchers provided (a process_names entry needs comm, exe or cmdline)"
            )
        self.comms = None if comm is None else frozenset(comm)
        self.exes: dict[str, str] | None = None
        if exe is not None:
            self.exes = {(_base(e) if "/" in e else e): (e if "/" in e else "") for e in exe}
        self.regexes: list[re.Pattern[str]] | None = None
        if cmdline is not None:
            self.regexes = []
            for pattern in cmdline:
                try:
                    self.regexes.append(re.compile(pattern))
                except re.error as exc:
                    raise ValueError(f"bad cmdline regex {pattern!r}: {exc}") from None
        template = entry.get("name") or "{{.ExeBase}}"
        if not isinstance(template, str):
            raise ValueError(f"a name template must be a string, not {template!r}")
        self.name = _template(template)
        self.uses_cgroups = ".Cgroups" in template

    def name_of(self, process: _Attributes) -> str | None:
        """The group's name if this rule matches ``process``, else None."""
        if self.comms is not None and process.comm not in self.comms:
            return None
        if self.exes is not None:
            if not process.cmdline:
                return None
            full = self.exes.get(_base(process.cmdline[0]))
            if full is None or (full and full != process.cmdline[0]):
                return None
        matches: dict[str, str] = {}
        if self.regexes is not None:
            joined = " ".join(process.cmdline)
            for regex in self.regexes:
                found = regex.search(joined)
                if found is None:
                    return None
                matches[""] = found.group(0)
                for index, value in enumerate(found.groups(), 1):
                    if index not in regex.groupindex.values():
                        matches[""] = value or ""
                for key, value in found.groupdict().items():
                    matches[key] = value or ""
        return self.name(process, matches)


def _strings(entry: Mapping[str, Any], key: str) -> list[str] | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key!r} must be a list of strings, not {value!r}")
    return value


def load_config(config: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> list[_Rule]:
    """The rules of a process-exporter configuration: the mapping YAML gives (with
    ``process_names``) or that list itself. Raises :class:`ValueError` for a bad one."""
    entries: Any = config
    if isinstance(config, dict):
        entries = config.get("process_names")
    if not isinstance(entries, list):
        raise ValueError("the configuration needs a process_names list")
    return [_Rule(entry) for entry in entries]


# -- the tracker ----------------------------------------------------------------


class Group:
    """One group's metrics at a scrape (process-exporter's ``Group``).

    Attributes:
        procs: Processes in the group now.
        counts: The eight counters: CPU user and system seconds, bytes read and
            written, major and minor page faults, voluntary and involuntary
            context switches; totals since the collector's first scrape.
        states: Running, Sleeping, Waiting, Zombie, Other (see the module notes).
        wchans: Threads waiting in each kernel function.
        resident: Resident memory of the members, bytes.
        virtual: Virtual memory of the members, bytes.
        swapped: Swapped-out memory (``VmSwap``), bytes.
        proportional_resident: Proportional set size (``Pss``), bytes.
        proportional_swapped: Proportional swap (``SwapPss``), bytes.
        open_fds: Open file descriptors of the members.
        worst_fd_ratio: The highest open descriptors / soft limit among members.
        oldest_start: Start of the oldest member, Unix seconds (whole).
        num_threads: Threads of the members.
        threads: Per thread name: (threads, the eight counters).
    """

    __slots__ = (
        "counts",
        "num_threads",
        "oldest_start",
        "open_fds",
        "procs",
        "proportional_resident",
        "proportional_swapped",
        "resident",
        "states",
        "swapped",
        "threads",
        "virtual",
        "wchans",
        "worst_fd_ratio",
    )

    def __init__(self, counts: list[float] | None = None) -> None:
        self.procs = 0
        self.counts = counts if counts is not None else [0.0] * 8
        self.states = [0] * 5
        self.wchans: dict[str, int] = {}
        self.resident = self.virtual = self.swapped = 0
        self.proportional_resident = self.proportional_swapped = 0
        self.open_fds = 0
        self.worst_fd_ratio = 0.0
        self.oldest_start = _GO_ZERO_TIME
        self.num_threads = 0
        self.threads: dict[str, tuple[int, list[float]]] = {}


class _Proc:
    """A process the collector knows: its group (process-exporter's tracked proc), what
    it read of it at the last scrape, and the bytes of the files that tell whether
    anything moved since."""

    __slots__ = (
        "comm",
        "counts",
        "euid",
        "fd_limit",
        "group",
        "idle",
        "ignored",
        "io",
        "latest",
        "num_threads",
        "open_fds",
        "partial",
        "pid",
        "ppid",
        "prlimit",
        "pss",
        "resident",
        "seen",
        "smaps",
        "start",
        "starttime",
        "stat",
        "state",
        "states",
        "status",
        "swap_pss",
        "swapped",
        "switches",
        "task",
        "threads",
        "virtual",
        "wchan",
        "wchans",
    )

    def __init__(self, pid: int, starttime: int, start: float) -> None:
        self.pid = pid
        self.starttime = starttime
        self.start = start
        self.group: str | None = None
        self.ignored = False
        self.seen = 0
        self.stat = self.status = self.smaps = b""
        self.comm = self.state = ""
        self.ppid = self.euid = self.num_threads = 0
        self.resident = self.virtual = self.swapped = self.pss = self.swap_pss = 0
        self.open_fds = -1
        self.fd_limit = 0
        #: whether prlimit(2) may read its limit of open files (else its limits file)
        self.prlimit = True
        self.counts: list[float] = []
        #: what the counters grew by at this scrape (None: nothing)
        self.latest: list[float] | None = None
        #: voluntary and nonvoluntary context switches of the process (its main thread)
        self.switches: tuple[int, int] = (0, 0)
        self.io: tuple[int, int] | None = None
        self.wchan: str | None = ""
        #: 1 if io or wchan could not be read (kept with them while the process sleeps)
        self.partial = 0
        #: whether it had not run since the scrape before (its io and wchan not read first)
        self.idle = False
        #: for a process of several threads: the states and wchans of it and its threads
        self.states: list[int] | None = None
        self.wchans: list[str] = []
        # thread (tid, starttime) -> [name, counts, growth at the last scrape, wchan, seen]
        self.threads: dict[tuple[int, int], list[Any]] = {}
        #: its threads as the last scrape read them, by the names of their directories
        self.task: dict[str, _Thread] = {}


class _Thread:
    """A thread of a process of several, as the last scrape read it (see _Proc)."""

    __slots__ = (
        "counts",
        "idle",
        "io",
        "moved",
        "name",
        "seen",
        "starttime",
        "stat",
        "state",
        "status",
        "wchan",
    )

    def __init__(self, starttime: int) -> None:
        self.starttime = starttime
        self.stat = self.status = b""
        self.name = self.state = self.wchan = ""
        self.counts: list[float] = []
        #: what moves when it runs: state, context switches, CPU times, page faults
        self.moved: tuple[Any, ...] = ()
        self.io: tuple[int, int] | None = None
        self.idle = False
        self.seen = 0


_STAT_FIELDS = (
    "comm",
    "state",
    "ppid",
    "minflt",
    "majflt",
    "utime",
    "stime",
    "num_threads",
    "starttime",
    "vsize",
    "rss",
)
_STATUS_FIELDS = ("euid", "vmswap", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
# Where each file is in what a scrape reads of a process (see ProcessGroupCollector._plan).
_STAT, _STATUS, _FD = 0, 1, 2


def _fields_reader(
    parse: Parser[Any], names: Sequence[str]
) -> Callable[[bytes, str], tuple[Any, ...]]:
    """The fast reader of the fields ``names`` of the file ``parse`` parses."""
    if parse.__fields__ is None:
        raise TypeError(f"{parse.__proc_path__} has no fields reader")
    return parse.__fields__(names)


def _delta(new: list[float], old: list[float]) -> list[float] | None:
    """What each counter grew by (nothing for one that went down); None if none grew."""
    growth = [n - o if n > o else 0.0 for n, o in zip(new, old, strict=True)]
    return growth if any(growth) else None


def _add(total: list[float], more: list[float]) -> None:
    for index, value in enumerate(more):
        total[index] += value


class ProcessGroupCollector:
    """process-exporter's ``namedprocess_*`` metrics for the groups a configuration names.

    ``config`` is the parsed YAML (a mapping with ``process_names``) or the
    rules list. ``children``, ``threads``, ``gather_smaps``, ``recheck`` and
    ``remove_empty_groups`` are process-exporter's ``-children``,
    ``-threads``, ``-gather-smaps``, ``-recheck`` and
    ``-remove-empty-groups`` flags, with their defaults. ``root`` is a
    :class:`procfs.ProcFS` or a path (the live ``/proc`` by default).

    Creating the collector scans once (the start of its counters, see the
    module notes); :meth:`collect` scans again and yields the metric
    families (needs ``prometheus_client``); :meth:`update` scans and gives the
    groups themselves. :meth:`collect` takes one scrape at a time (a lock);
    :meth:`update` must not run in two threads at once.
    """

    def __init__(
        self,
        config: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        root: ProcFS | str | None = None,
        children: bool = True,
        threads: bool = True,
        gather_smaps: bool = True,
        recheck: bool = False,
        remove_empty_groups: bool = False,
    ) -> None:
        from procfs.core.cmdline import parse_cmdline
        from procfs.core.fd import parse_fd_count
        from procfs.core.io import parse_io
        from procfs.core.limits import parse_limits
        from procfs.core.pid_values import parse_wchan
        from procfs.core.process_cgroup import parse_process_cgroups
        from procfs.core.smaps import parse_smaps_rollup
        from procfs.core.stat import parse_stat
        from procfs.core.status import parse_status

        self._rules = load_config(config)
        self._fs = new_root(root) if isinstance(root, str) else default_root(root)
        self._children = children
        self._threads = threads
        self._smaps = gather_smaps
        self._recheck = recheck
        self._remove_empty = remove_empty_groups
        self._cgroups = any(rule.uses_cgroups for rule in self._rules)
        self._read_stat = _fields_reader(parse_stat, _STAT_FIELDS)
        self._read_start = _fields_reader(parse_stat, ("starttime",))
        self._read_status = _fields_reader(parse_status, _STATUS_FIELDS)
        self._read_io = _fields_reader(parse_io, ("read_bytes", "write_bytes"))
        self._read_limit = _fields_reader(parse_limits, ("max_open_files",))
        self._parse_wchan = parse_wchan
        self._parse_smaps = parse_smaps_rollup
        self._parse_cmdline = parse_cmdline
        self._parse_cgroups = parse_process_cgroups
        self._single = {
            name: parse.__read__ == "single"
            for name, parse in (
                ("stat", parse_stat),
                ("status", parse_status),
                ("io", parse_io),
                ("wchan", parse_wchan),
                ("limits", parse_limits),
                ("smaps_rollup", parse_smaps_rollup),
                ("cmdline", parse_cmdline),
                ("cgroup", parse_process_cgroups),
                ("fd", parse_fd_count),
            )
        }
        fs = self._fs
        # The soft limit of open files by prlimit(2) (one system call, where reading
        # ``limits`` costs four and the kernel writes its sixteen rows): only for the
        # processes of this system, the same pids as the root's.
        self._prlimit = fs.root == DEFAULT_ROOT or (fs.trusted and fs.self_pid() == os.getpid())
        # On a procfs, a process that has not run since the last scrape has the same io
        # counters and wchan (see _refresh): they are then not read again.
        self._asleep = fs.trusted
        self._plan()
        self._procs: dict[str, _Proc] = {}
        self._group_accum: dict[str, list[float]] = {}
        self._thread_accum: dict[str, dict[str, list[float]]] = {}
        self._boot = float(fs.boot_time_secs())
        self._first_update = 0.0
        self._round = 0
        self.scrape_errors = 0
        self.procread_errors = 0
        self.partial_errors = 0
        import threading

        self._lock = threading.Lock()  # (prometheus_client's HTTP server scrapes in threads)
        self.update()

    def _plan(self) -> None:
        """The files each kind of process is read for, ``(file, read in one call)``:
        ``stat``, ``status`` and the ``fd`` count first (then ``smaps_rollup``, and
        ``limits`` without prlimit); ``io`` and ``wchan`` after ``status``, so that
        the context switches it shows were counted before they were read."""

        def files(*names: str) -> list[tuple[str, bool]]:
            return [(name, self._single[name]) for name in names]

        base = ["stat", "status", "fd"]
        if self._smaps:
            base.append("smaps_rollup")
        if not self._prlimit:
            base.append("limits")
        self._smaps_at = base.index("smaps_rollup") if self._smaps else -1
        self._limits_at = -1 if self._prlimit else base.index("limits")
        self._io_at = len(base)
        self._short = files(*base)  # a process that did not run since the scrape before
        self._full = files(*base, "io", "wchan")
        self._first = files(*base, "io", "wchan", "cmdline", *(["cgroup"] if self._cgroups else []))
        self._task = files("stat", "status", "io", "wchan")  # (a thread)
        self._short_task = files("stat", "status")  # (a thread that did not run)
        self._again = files("stat", "io", "wchan")  # (io and wchan of one that ran after all)
        self._identity = files("stat")  # (a process ignored: is it still the same one?)

    @classmethod
    def from_yaml(cls, text: str, **options: Any) -> ProcessGroupCollector:
        """The collector of a process-exporter YAML configuration (needs PyYAML)."""
        import yaml

        try:
            config = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"bad YAML configuration: {exc}") from None
        if not isinstance(config, dict):
            raise ValueError("the configuration needs a process_names list")
        return cls(config, **options)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], **options: Any) -> ProcessGroupCollector:
        """The collector of a process-exporter configuration file (its ``-config.path``)."""
        with open(path, encoding="utf-8") as file:
            return cls.from_yaml(file.read(), **options)

    # -- the scrape ------------------------------------------------------------

    def update(self) -> dict[str, Group]:
        """Scan, update the tracker, and give every group's metrics by name."""
        self._round += 1
        this = self._round
        if not self._first_update:
            self._first_update = time.time()
        fs = self._fs
        try:
            names = fs.pid_names()
            root_fd = fs.open_dir()
        except (OSError, ProcError):  # the root itself could not be listed
            self.scrape_errors += 1
            raise
        procs = self._procs
        groups: dict[str, Group] = {}
        threads: dict[str, list[list[Any]]] = {}
        pending: list[tuple[_Proc, list[bytes | OSError]]] = []
        read_files = fs.read_files
        short, full, first, identity = self._short, self._full, self._first, self._identity
        asleep = self._asleep
        try:
            for name in names:
                proc = procs.get(name)
                if proc is None:
                    files = first
                elif proc.group is not None:
                    files = short if proc.idle else full
                elif proc.ignored:
                    files = identity
                else:  # (rechecked)
                    files = first
                contents = read_files(root_fd, name, files)
                if contents is None:  # gone
                    continue
                if contents.__class__ is not list:  # its directory refused
                    self.procread_errors += 1
                    continue
                if proc is not None:
                    if files is identity:  # ignored: only whether it is still the same
                        if self._same(proc, contents[_STAT]):
                            proc.seen = this
                            continue
                        proc = None
                        contents = read_files(root_fd, name, first)
                        if contents.__class__ is not list:
                            continue
                    elif (
                        asleep
                        and contents[_STAT] == proc.stat
                        and contents[_STATUS] == proc.status
                        and proc.num_threads == 1
                        and proc.state != "R"
                    ):
                        # Nothing of stat or status moved: the same process, which has
                        # not run (its counters, state, io and wchan are those it had).
                        partial = self._gauges(proc, name, contents)
                        if partial < 0:
                            continue
                        self.partial_errors += partial
                        proc.latest = None
                        proc.idle = True
                        proc.seen = this
                        if proc.group is not None:
                            self._count(groups, threads, proc)
                        elif not proc.ignored:  # (rechecked)
                            pending.append((proc, contents))
                        continue
                found = self._refresh(root_fd, name, proc, contents, files)
                if found is None:
                    continue
                proc, contents = found
                proc.seen = this
                if proc.group is not None:
                    self._count(groups, threads, proc)
                else:
                    pending.append((proc, contents))
        finally:
            fs.close_fd(root_fd)
        for name in [name for name, proc in procs.items() if proc.seen != this]:
            del procs[name]
        self._name_new(pending, groups, threads)
        return self._totals(groups, threads)

    def _same(self, proc: _Proc | _Thread, data: bytes | OSError) -> bool:
        """Whether ``data`` (a ``stat`` just read) is the process (thread) ``proc`` still."""
        if data == proc.stat:
            return True
        if data.__class__ is not bytes:
            return False
        try:
            (starttime,) = self._read_start(data, "")
        except Exception:  # (read again in full, and counted there)
            return False
        if starttime != proc.starttime:
            return False
        proc.stat = data
        return True

    def _gauges(self, proc: _Proc, name: str, contents: list[bytes | OSError]) -> int:
        """Read the gauges that move while a process sleeps, from ``contents``: its
        open descriptors, their limit, and its ``smaps_rollup``. Gives 1 if one
        could not be read (0 if all were), -1 if the process is gone."""
        partial = proc.partial
        count = contents[_FD]
        if count.__class__ is bytes:
            proc.open_fds = int(count)
        else:
            proc.open_fds = -1
            partial = 1
        data: bytes | OSError | None = None
        if not self._prlimit:
            data = contents[self._limits_at]
        elif proc.prlimit:
            try:
                soft = _resource.prlimit(proc.pid, _NOFILE)[0]
                proc.fd_limit = 0 if soft == _resource.RLIM_INFINITY else soft
            except ProcessLookupError:
                return -1
            except OSError:  # another user's, without CAP_SYS_RESOURCE: read its limits
                proc.prlimit = False
        if self._prlimit and not proc.prlimit:
            try:
                data = self._fs.read(f"{name}/limits", self._single["limits"])
            except NotFoundError:
                return -1
            except ProcError as exc:
                data = OSError(str(exc))
        if data is not None:
            soft = self._limit(name, data)
            if soft < 0:
                return -1
            proc.fd_limit = soft
        if self._smaps:
            rollup = contents[self._smaps_at]
            if rollup != proc.smaps:
                usage = None
                if rollup.__class__ is bytes:
                    try:
                        usage = self._parse_smaps(rollup, "").usage
                    except ProcError:
                        pass
                if usage is None:
                    proc.smaps = b""
                    proc.pss = proc.swap_pss = 0
                    partial = 1
                else:
                    proc.smaps = rollup  # type: ignore[assignment]
                    proc.pss = usage.pss or 0
                    proc.swap_pss = usage.swap_pss or 0
        return partial

    def _limit(self, name: str, data: bytes | OSError) -> int:
        """The soft limit of open files in ``limits`` (0: none); -1 (counted as a read
        error, as process-exporter does) if it could not be read."""
        try:
            if data.__class__ is not bytes:
                raise ParseError("unreadable")
            (limit,) = self._read_limit(data, f"{name}/limits")
        except Exception:  # (failed: the process is left out of this scrape)
            self.procread_errors += 1
            return -1
        return 0 if limit is None or limit.soft is None else int(limit.soft)

    def _refresh(
        self,
        root_fd: int,
        name: str,
        proc: _Proc | None,
        contents: list[bytes | OSError],
        files: list[tuple[str, bool]],
    ) -> tuple[_Proc, list[bytes | OSError]] | None:
        """Read a process from ``contents`` (its files ``files``): ``proc`` updated, or a
        new :class:`_Proc` for a process not known yet, with the files read; None if
        it is gone or could not be read.

        A process that has not run since the last scrape (not running then nor now,
        the same context switches and CPU times) has the io counters and the
        wchan it had: only the process itself moves them. A process that was
        asleep at the scrape before is first read without them, and read again
        if it ran after all.
        """
        stat, status = contents[_STAT], contents[_STATUS]
        try:
            if stat.__class__ is not bytes or status.__class__ is not bytes:
                raise ParseError("unreadable")
            (
                comm,
                state,
                ppid,
                minflt,
                majflt,
                utime,
                stime,
                num_threads,
                starttime,
                vsize,
                rss,
            ) = self._read_stat(stat, name)
            euid, vmswap, vol, nonvol = self._read_status(status, name)
        except Exception:  # stat or status unreadable: no metrics for it at all
            self.procread_errors += 1
            return None
        this = self._round
        new = proc is None or proc.starttime != starttime
        if new:
            if files is not self._first:  # its pid was reused: read what names it too
                contents = self._fs.read_files(root_fd, name, self._first)  # type: ignore[assignment]
                if contents.__class__ is not list:
                    return None
                return self._refresh(root_fd, name, None, contents, self._first)
            proc = _Proc(int(name), starttime, self._boot + starttime / _USER_HZ)
            self._procs[name] = proc
        assert proc is not None
        ticks = [utime / _USER_HZ, stime / _USER_HZ, float(majflt), float(minflt)]
        ran = (
            new
            or not self._asleep
            or num_threads != 1
            or proc.num_threads != 1
            or state == "R"
            or proc.state == "R"
            or (vol, nonvol) != proc.switches
            or ticks != [proc.counts[0], proc.counts[1], proc.counts[4], proc.counts[5]]
        )
        if ran:
            if files is self._short:  # (asleep at the scrape before, but it ran)
                more = self._fs.read_files(root_fd, name, self._again)
                if more.__class__ is not list or not self._same(proc, more[0]):
                    return None  # gone, or another process since (next scrape)
                io, wchan = more[1], more[2]
            else:
                io, wchan = contents[self._io_at], contents[self._io_at + 1]
            self._io_wchan(proc, io, wchan)
        proc.stat, proc.status = stat, status
        proc.comm, proc.state, proc.ppid, proc.euid = comm, state, ppid, euid
        proc.num_threads = num_threads
        proc.resident = rss * _PAGE_SIZE
        proc.virtual = vsize
        proc.swapped = vmswap or 0
        proc.switches = (vol, nonvol)
        partial = self._gauges(proc, name, contents)
        if partial < 0:
            return None
        read, written = proc.io or (0, 0)
        counts = [
            ticks[0],
            ticks[1],
            float(read or 0),
            float(written or 0),
            ticks[2],
            ticks[3],
            float(vol or 0),
            float(nonvol or 0),
        ]
        proc.states = None
        known = proc.threads
        found = self._read_threads(proc) if num_threads > 1 else None
        if found is None:
            if num_threads > 1:
                partial = 1
            known.clear()
            proc.task.clear()
        else:
            rows, states = found
            counts[_VOLUNTARY] = sum(row[3][_VOLUNTARY] for row in rows)
            counts[_NONVOLUNTARY] = sum(row[3][_NONVOLUNTARY] for row in rows)
            proc.states = [0] * 5
            proc.states[_STATE_INDEX.get(state, 4)] += 1
            for thread_state in states:
                proc.states[_STATE_INDEX.get(thread_state, 4)] += 1
            proc.wchans = ([proc.wchan] if proc.wchan else []) + [row[4] for row in rows if row[4]]
            for tid, tstart, tname, tcounts, twchan in rows:
                previous = known.get((tid, tstart))
                growth = None if previous is None or new else _delta(tcounts, previous[1])
                known[(tid, tstart)] = [tname, tcounts, growth or [0.0] * 8, twchan, this]
            for thread in [key for key, value in known.items() if value[4] != this]:
                del known[thread]
        self.partial_errors += partial
        if not new:
            proc.latest = _delta(counts, proc.counts)
        proc.counts = counts
        proc.idle = not ran
        return proc, contents

    def _io_wchan(self, proc: _Proc, io: bytes | OSError, wchan: bytes | OSError) -> None:
        """Keep the io counters and the wchan read (None for one that could not be)."""
        proc.partial = 0
        proc.io = None
        if io.__class__ is bytes:
            try:
                proc.io = self._read_io(io, "")
            except Exception:  # (unreadable: partial, as process-exporter counts it)
                pass
        proc.wchan = None
        if wchan.__class__ is bytes:
            try:
                symbol = self._parse_wchan(wchan, "")
                proc.wchan = "" if symbol == "0" else symbol
            except ProcError:
                pass
        if proc.io is None or proc.wchan is None:
            proc.partial = 1

    def _read_threads(
        self, proc: _Proc
    ) -> tuple[list[tuple[int, int, str, list[float], str]], list[str]] | None:
        """The threads of a process of several (tid, start, name, counts, wchan), and
        their states; None if they could not be read (or only one could).

        Read as processes are: ``stat`` and ``status`` at every scrape, ``io`` and
        ``wchan`` again only for a thread that has run since the last one.
        """
        try:
            task = new_root(self._fs.path(f"{proc.pid}/task"))
            names = task.pid_names()
            task_fd = task.open_dir()
        except (OSError, ProcError):  # the process is gone, or its tasks refused
            return None
        known, this, asleep = proc.task, self._round, self._asleep
        rows: list[tuple[int, int, str, list[float], str]] = []
        states: list[str] = []
        try:
            for name in names:
                thread = known.get(name)
                idle = thread is not None and thread.idle
                contents = task.read_files(task_fd, name, self._short_task if idle else self._task)
                if contents.__class__ is not list:  # gone, or refused
                    continue
                stat, status = contents[_STAT], contents[_STATUS]
                if not (
                    asleep
                    and thread
                    and stat == thread.stat
                    and status == thread.status
                    and thread.state != "R"
                ):
                    thread = self._read_thread(task, task_fd, name, thread, contents, idle)
                    if thread is None:
                        continue
                    known[name] = thread
                else:
                    thread.idle = True
                thread.seen = this
                rows.append((int(name), thread.starttime, thread.name, thread.counts, thread.wchan))
                states.append(thread.state)
        finally:
            task.close_fd(task_fd)
        for name in [name for name, thread in known.items() if thread.seen != this]:
            del known[name]
        if len(rows) < 2:
            return None
        return rows, states

    def _read_thread(
        self,
        task: Root,
        task_fd: int,
        name: str,
        thread: _Thread | None,
        contents: list[bytes | OSError],
        idle: bool,
    ) -> _Thread | None:
        """A thread whose stat or status moved, from ``contents`` (``io`` and ``wchan``
        read again if it ran and they are not there); None if it could not be read."""
        stat, status = contents[_STAT], contents[_STATUS]
        try:
            if stat.__class__ is not bytes or status.__class__ is not bytes:
                raise ParseError("unreadable")
            comm, state, _, minflt, majflt, utime, stime, _, starttime, _, _ = self._read_stat(
                stat, name
            )
            _, _, vol, nonvol = self._read_status(status, name)
        except Exception:  # (process-exporter leaves such a thread out too)
            return None
        if thread is None or thread.starttime != starttime:
            thread = _Thread(starttime)
        moved = (state, vol, nonvol, utime, stime, minflt, majflt)
        if not self._asleep or "R" in (state, thread.state) or moved != thread.moved:
            if idle:
                more = task.read_files(task_fd, name, self._again)
                if not isinstance(more, list) or not self._same(thread, more[0]):
                    return None  # gone, or another thread since (next scrape)
                contents = [stat, status, more[1], more[2]]
            io, wchan = contents[2], contents[3]
            thread.io = None
            if io.__class__ is bytes:
                try:
                    thread.io = self._read_io(io, name)
                except Exception:  # (as process-exporter, its io counts as 0)
                    pass
            thread.wchan = ""
            if wchan.__class__ is bytes:
                try:
                    symbol = self._parse_wchan(wchan, name)
                    thread.wchan = "" if symbol == "0" else symbol
                except ProcError:
                    pass
            thread.idle = False
        else:
            thread.idle = True
        read, written = thread.io or (0, 0)
        thread.counts = [
            utime / _USER_HZ,
            stime / _USER_HZ,
            float(read or 0),
            float(written or 0),
            float(majflt),
            float(minflt),
            float(vol or 0),
            float(nonvol or 0),
        ]
        thread.stat, thread.status = stat, status
        thread.name, thread.state, thread.moved = comm, state, moved
        return thread

    # -- the tracker, as process-exporter's ----------------------------------

    def _attributes(self, proc: _Proc, contents: list[bytes | OSError]) -> _Attributes:
        """What the rules see of a process (its ``cmdline`` and ``cgroup`` were read with
        its first files: they are only needed to name it)."""
        at = self._io_at + 2
        cmdline: list[str] = []
        data = contents[at]
        if data.__class__ is bytes:
            try:
                cmdline = self._parse_cmdline(data, "")
            except ProcError:
                pass
        while cmdline and not cmdline[-1]:  # (Go trims the trailing NULs before splitting)
            cmdline = cmdline[:-1]
        cgroups: list[str] = []
        if self._cgroups and contents[at + 1].__class__ is bytes:
            try:
                found = self._parse_cgroups(contents[at + 1], "")  # type: ignore[arg-type]
            except ProcError:
                found = []
            cgroups = [group.pathname for group in found]
        return _Attributes(proc.comm, cmdline, user_name(proc.euid), proc.pid, proc.start, cgroups)

    def _name(self, attributes: _Attributes) -> str | None:
        for rule in self._rules:
            name = rule.name_of(attributes)
            if name is not None:
                return name
        return None

    def _name_new(
        self,
        pending: list[tuple[_Proc, list[bytes | OSError]]],
        groups: dict[str, Group],
        threads: dict[str, list[list[Any]]],
    ) -> None:
        """Name the processes seen for the first time (and, with ``recheck``, those no rule
        named yet): by the rules, else (``children``) by their nearest named ancestor."""
        untracked: list[_Proc] = []
        for proc, contents in pending:
            name = self._name(self._attributes(proc, contents))
            if name is not None:
                self._track(proc, name, groups, threads)
            else:
                untracked.append(proc)
        if self._children:
            for proc in untracked:
                if proc.group is None and not proc.ignored:
                    self._ancestry(proc, groups, threads)
        elif not self._recheck:
            for proc in untracked:
                proc.ignored = True

    def _track(
        self, proc: _Proc, name: str, groups: dict[str, Group], threads: dict[str, list[list[Any]]]
    ) -> None:
        proc.group = name
        # started since the first scrape: all its counts; else what it does from now
        proc.latest = list(proc.counts) if proc.start > self._first_update else None
        for thread in proc.threads.values():
            thread[2] = [0.0] * 8
        self._count(groups, threads, proc)

    def _ancestry(
        self, proc: _Proc, groups: dict[str, Group], threads: dict[str, list[list[Any]]]
    ) -> None:
        """Put ``proc`` (named by no rule) in its nearest named ancestor's group, with the
        ancestors between them; ignore them all if that ancestor is ignored or missing."""
        chain = [proc]
        name = None
        while True:
            parent = self._procs.get(str(chain[-1].ppid))
            if parent is None or parent.ignored or parent in chain:
                break
            if parent.group is not None:
                name = parent.group
                break
            chain.append(parent)
        for member in chain:
            if name is not None:
                self._track(member, name, groups, threads)
            elif not self._recheck:
                member.ignored = True

    def _count(
        self, groups: dict[str, Group], threads: dict[str, list[list[Any]]], proc: _Proc
    ) -> None:
        """Add a tracked process to its group."""
        name: str = proc.group  # type: ignore[assignment]
        group = groups.get(name)
        if group is None:
            group = groups[name] = Group()
            group.oldest_start = proc.start
        group.procs += 1
        group.resident += proc.resident
        group.virtual += proc.virtual
        group.swapped += proc.swapped
        group.proportional_resident += proc.pss
        group.proportional_swapped += proc.swap_pss
        fds = proc.open_fds
        if fds != -1:
            group.open_fds += fds
        if proc.fd_limit:
            ratio = fds / proc.fd_limit
            if ratio > group.worst_fd_ratio:
                group.worst_fd_ratio = ratio
        group.num_threads += proc.num_threads
        if proc.latest is not None:
            _add(group.counts, proc.latest)
        wchans = group.wchans
        if proc.states is None:
            group.states[_STATE_INDEX.get(proc.state, 4)] += 1
            if proc.wchan:
                wchans[proc.wchan] = wchans.get(proc.wchan, 0) + 1
        else:
            _add(group.states, proc.states)  # type: ignore[arg-type]
            for wchan in proc.wchans:
                wchans[wchan] = wchans.get(wchan, 0) + 1
        if proc.start < group.oldest_start:
            group.oldest_start = proc.start
        if len(proc.threads) > 1:
            threads.setdefault(name, []).extend(proc.threads.values())

    def _totals(
        self, groups: dict[str, Group], threads: dict[str, list[list[Any]]]
    ) -> dict[str, Group]:
        """The groups with their counters since the first scrape (and the groups left
        empty, unless ``remove_empty_groups``)."""
        for name, group in groups.items():
            old = self._group_accum.get(name)
            if old is not None:
                _add(group.counts, old)
            self._group_accum[name] = list(group.counts)
            group.oldest_start = float(int(group.oldest_start // 1))
            group.threads = self._thread_groups(name, threads.get(name, []))
        for name in list(self._group_accum):
            if name not in groups:
                if self._remove_empty:
                    del self._group_accum[name]
                    self._thread_accum.pop(name, None)
                else:
                    groups[name] = Group(list(self._group_accum[name]))
        return groups

    def _thread_groups(
        self, name: str, updates: list[list[Any]]
    ) -> dict[str, tuple[int, list[float]]]:
        if not updates:
            self._thread_accum.pop(name, None)
            return {}
        by_name: dict[str, tuple[int, list[float]]] = {}
        for tname, _, growth, _, _ in updates:
            count, counts = by_name.get(tname, (0, [0.0] * 8))
            _add(counts, growth)
            by_name[tname] = (count + 1, counts)
        history = self._thread_accum.get(name, {})
        for tname, (_, counts) in by_name.items():
            old = history.get(tname)
            if old is not None:
                _add(counts, old)
        self._thread_accum[name] = {tname: list(v[1]) for tname, v in by_name.items()}
        return by_name

    # -- Prometheus ----------------------------------------------------------

    def describe(self) -> list[Metric]:
        """No description: the registry then collects to learn the names (they vary)."""
        return []

    def collect(self) -> Iterable[Metric]:
        """Scan and yield process-exporter's metric families (a prometheus_client collector)."""
        with self._lock:
            try:
                groups: dict[str, Group] | None = self.update()
            except (OSError, ProcError):
                groups = None
            return self.families(groups)

    def families(self, groups: Mapping[str, Group] | None) -> list[Metric]:
        """The metric families of ``groups`` (None: a failed scrape, errors only)."""
        from prometheus_client.metrics_core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            Metric,
        )

        def gauge(name: str, help: str, labels: Sequence[str]) -> GaugeMetricFamily:
            return GaugeMetricFamily(name, help, labels=["groupname", *labels])

        def counter(name: str, help: str, labels: Sequence[str]) -> CounterMetricFamily:
            return CounterMetricFamily(name, help, labels=["groupname", *labels])

        p = "namedprocess_namegroup_"
        num_procs = gauge(p + "num_procs", "number of processes in this group", ())
        cpu = counter(p + "cpu_seconds_total", "Cpu user usage in seconds", ("mode",))
        read = counter(p + "read_bytes_total", "number of bytes read by this group", ())
        write = counter(p + "write_bytes_total", "number of bytes written by this group", ())
        major = counter(p + "major_page_faults_total", "Major page faults", ())
        minor = counter(p + "minor_page_faults_total", "Minor page faults", ())
        switches = counter(p + "context_switches_total", "Context switches", ("ctxswitchtype",))
        memory = gauge(p + "memory_bytes", "number of bytes of memory in use", ("memtype",))
        open_fds = gauge(p + "open_filedesc", "number of open file descriptors for this group", ())
        worst = gauge(
            p + "worst_fd_ratio",
            "the worst (closest to 1) ratio between open fds and max fds among all procs in"
            " this group",
            (),
        )
        oldest = gauge(
            p + "oldest_start_time_seconds",
            "start time in seconds since 1970/01/01 of oldest process in group",
            (),
        )
        num_threads = gauge(p + "num_threads", "Number of threads", ())
        states = gauge(
            p + "states",
            "Number of processes in states Running, Sleeping, Waiting, Zombie, or Other",
            ("state",),
        )
        wchans = gauge(
            p + "threads_wchan", "Number of threads in this group waiting on each wchan", ("wchan",)
        )
        families: list[Metric] = []
        if groups is not None:
            for name, group in groups.items():
                c = group.counts
                num_procs.add_metric([name], group.procs)
                memory.add_metric([name, "resident"], group.resident)
                memory.add_metric([name, "virtual"], group.virtual)
                memory.add_metric([name, "swapped"], group.swapped)
                if self._smaps:
                    memory.add_metric([name, "proportionalResident"], group.proportional_resident)
                    memory.add_metric([name, "proportionalSwapped"], group.proportional_swapped)
                oldest.add_metric([name], group.oldest_start)
                open_fds.add_metric([name], group.open_fds)
                worst.add_metric([name], group.worst_fd_ratio)
                cpu.add_metric([name, "user"], c[_CPU_USER])
                cpu.add_metric([name, "system"], c[_CPU_SYSTEM])
                read.add_metric([name], c[_READ])
                write.add_metric([name], c[_WRITE])
                major.add_metric([name], c[_MAJFLT])
                minor.add_metric([name], c[_MINFLT])
                switches.add_metric([name, "voluntary"], c[_VOLUNTARY])
                switches.add_metric([name, "nonvoluntary"], c[_NONVOLUNTARY])
                num_threads.add_metric([name], group.num_threads)
                for state, count in zip(_STATES, group.states, strict=True):
                    states.add_metric([name, state], count)
                for wchan, count in group.wchans.items():
                    wchans.add_metric([name, wchan], count)
            families += [num_procs, cpu, read, write, major, minor, switches, memory]
            families += [open_fds, worst, oldest, num_threads, states, wchans]
            if self._threads:
                families += _thread_families(groups, gauge, counter)
        for name, help, value in (
            (
                "namedprocess_scrape_errors",
                "general scrape errors: no proc metrics collected during a cycle",
                self.scrape_errors,
            ),
            (
                "namedprocess_scrape_procread_errors",
                "incremented each time a proc's metrics collection fails",
                self.procread_errors,
            ),
            (
                "namedprocess_scrape_partial_errors",
                "incremented each time a tracked proc's metrics collection fails partially,"
                " e.g. unreadable I/O stats",
                self.partial_errors,
            ),
        ):
            family = Metric(name, help, "unknown")
            family.add_sample(name, {}, float(value))
            families.append(family)
        return families


def _thread_families(
    groups: Mapping[str, Group],
    gauge: Callable[[str, str, Sequence[str]], Any],
    counter: Callable[[str, str, Sequence[str]], Any],
) -> list[Metric]:
    p = "namedprocess_namegroup_thread_"
    count = gauge(
        p + "count", "Number of threads in this group with same threadname", ("threadname",)
    )
    cpu = counter(
        p + "cpu_seconds_total", "Cpu user/system usage in seconds", ("threadname", "mode")
    )
    io = counter(
        p + "io_bytes_total",
        "number of bytes read/written by these threads",
        ("threadname", "iomode"),
    )
    major = counter(
        p + "major_page_faults_total", "Major page faults for these threads", ("threadname",)
    )
    minor = counter(
        p + "minor_page_faults_total", "Minor page faults for these threads", ("threadname",)
    )
    switches = counter(
        p + "context_switches_total",
        "Context switches for these threads",
        ("threadname", "ctxswitchtype"),
    )
    for name, group in groups.items():
        for thread, (threads, c) in group.threads.items():
            count.add_metric([name, thread], threads)
            cpu.add_metric([name, thread, "user"], c[_CPU_USER])
            cpu.add_metric([name, thread, "system"], c[_CPU_SYSTEM])
            io.add_metric([name, thread, "read"], c[_READ])
            io.add_metric([name, thread, "write"], c[_WRITE])
            major.add_metric([name, thread], c[_MAJFLT])
            minor.add_metric([name, thread], c[_MINFLT])
            switches.add_metric([name, thread, "voluntary"], c[_VOLUNTARY])
            switches.add_metric([name, thread, "nonvoluntary"], c[_NONVOLUNTARY])
    return [count, cpu, io, major, minor, switches]
