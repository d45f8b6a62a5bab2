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

Everything a scrape needs is read in one :meth:`~procfs.ProcFS.scan_fields`
pass (``stat``, ``status``, ``io``, ``limits``, ``wchan``, the ``fd`` count,
and ``smaps_rollup`` with ``gather_smaps``), plus the ``task`` directory of
each process of several threads; what only names a process (``cmdline``, and
``cgroup`` when a name uses ``{{.Cgroups}}``) is read once, for a process
the scan sees for the first time.
"""

from __future__ import annotations

import os
import re
import time

from procfs._fs import default_root, new_root
from procfs.errors import ProcError
from procfs.users import user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from typing import Any

    from prometheus_client.metrics_core import Metric

    from procfs.root import ProcFS

__all__ = ["Group", "ProcessGroupCollector", "load_config"]

#: process-exporter's clock ticks per second (it assumes 100, as the kernel's USER_HZ is).
_USER_HZ = 100.0
#: Unix time of Go's zero time.Time, which process-exporter reports for an empty group.
_GO_ZERO_TIME = -62135596800.0
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

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


class _Tracked:
    """A process being tracked: its group, last counters and the growth at the last scrape."""

    __slots__ = ("counts", "group", "latest", "metrics", "seen", "start", "threads")

    def __init__(self, group: str, start: float, counts: list[float], metrics: _Metrics) -> None:
        self.group = group
        self.start = start
        self.counts = counts
        self.latest = [0.0] * 8
        self.metrics = metrics
        self.seen = 0
        # thread (tid, starttime) -> (name, counts, growth at the last scrape, wchan, seen)
        self.threads: dict[tuple[int, int], list[Any]] = {}


class _Metrics:
    """The gauges of a process at a scrape."""

    __slots__ = (
        "fd_limit",
        "num_threads",
        "open_fds",
        "pss",
        "resident",
        "states",
        "swap_pss",
        "swapped",
        "threads",
        "virtual",
        "wchans",
    )

    def __init__(self) -> None:
        self.resident = self.virtual = self.swapped = self.pss = self.swap_pss = 0
        self.open_fds = -1
        self.fd_limit = 0
        self.num_threads = 0
        self.states = [0] * 5
        self.wchans: list[str] = []
        # (tid, starttime, name, counts, wchan) of each thread, for a process of several
        self.threads: list[tuple[int, int, str, list[float], str]] = []


_PROCESS_FIELDS = (
    "pid",
    "stat.comm",
    "stat.state",
    "stat.ppid",
    "stat.minflt",
    "stat.majflt",
    "stat.utime",
    "stat.stime",
    "stat.num_threads",
    "stat.starttime",
    "stat.vsize",
    "stat.rss",
    "status.euid",
    "status.vmswap",
    "status.voluntary_ctxt_switches",
    "status.nonvoluntary_ctxt_switches",
    "io.read_bytes",
    "io.write_bytes",
    "limits.max_open_files",
    "fd",
    "wchan",
)
_THREAD_FIELDS = (
    "pid",
    "stat.comm",
    "stat.state",
    "stat.minflt",
    "stat.majflt",
    "stat.utime",
    "stat.stime",
    "stat.starttime",
    "status.voluntary_ctxt_switches",
    "status.nonvoluntary_ctxt_switches",
    "io.read_bytes",
    "io.write_bytes",
    "wchan",
)


def _delta(new: list[float], old: list[float]) -> list[float]:
    """What each counter grew by (nothing for one that went down)."""
    return [n - o if n > o else 0.0 for n, o in zip(new, old, strict=True)]


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
        self._rules = load_config(config)
        self._fs = new_root(root) if isinstance(root, str) else default_root(root)
        self._children = children
        self._threads = threads
        self._smaps = gather_smaps
        self._recheck = recheck
        self._remove_empty = remove_empty_groups
        fields = list(_PROCESS_FIELDS)
        if gather_smaps:
            fields.append("smaps_rollup.usage")
        self._cgroups = any(rule.uses_cgroups for rule in self._rules)
        self._fields = tuple(fields)
        self._tracked: dict[tuple[int, int], _Tracked | None] = {}
        self._pid_ids: dict[int, tuple[int, int]] = {}
        self._group_accum: dict[str, list[float]] = {}
        self._thread_accum: dict[str, dict[str, list[float]]] = {}
        self._boot = float(self._fs.boot_time_secs())
        self._first_update = 0.0
        self._round = 0
        self.scrape_errors = 0
        self.procread_errors = 0
        self.partial_errors = 0
        import threading

        self._lock = threading.Lock()  # (prometheus_client's HTTP server scrapes in threads)
        self.update()

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

    # -- reading -------------------------------------------------------------

    def _read_threads(self, pid: int, metrics: _Metrics) -> bool:
        """Fill the threads of a process of several; False if they could not be read."""
        errors: list[ProcError] = []
        try:
            task = new_root(self._fs.path(f"{pid}/task"))
            rows = list(task.scan_fields(_THREAD_FIELDS, default=None, errors=errors))
        except (OSError, ProcError):  # the process is gone, or its tasks refused
            return False
        threads = metrics.threads
        states: list[str] = []
        for tid, name, state, minflt, majflt, utime, stime, start, vol, nonvol, rd, wr, wc in rows:
            if name is None:
                continue
            counts = [
                utime / _USER_HZ,
                stime / _USER_HZ,
                float(rd or 0),
                float(wr or 0),
                float(majflt),
                float(minflt),
                float(vol or 0),
                float(nonvol or 0),
            ]
            threads.append((tid, start, name, counts, "" if wc in (None, "0") else wc))
            states.append(state)
        if len(threads) < 2:
            return False
        for state in states:
            metrics.states[_STATE_INDEX.get(state, 4)] += 1
        return True

    def _scan(self) -> Iterator[tuple[tuple[int, int], Any, list[float], _Metrics, int]]:
        """Each readable process: its id, its row, its counters, its gauges, and 1 if
        part of it could not be read."""
        errors: list[ProcError] = []
        smaps = self._smaps
        for row in self._fs.scan_fields(self._fields, default=None, errors=errors):
            (pid, _, state, _, minflt, majflt, utime, stime, num_threads, start) = row[:10]
            if start is None or row[12] is None or row[18] is None:
                # stat, status or limits unreadable: no metrics for it at all
                self.procread_errors += 1
                continue
            vsize, rss, _, vmswap, vol, nonvol, rd, wr, limit, fds, wchan = row[10:21]
            partial = 0
            if rd is None:
                partial = 1
            metrics = _Metrics()
            metrics.resident = rss * _PAGE_SIZE
            metrics.virtual = vsize
            metrics.swapped = vmswap or 0
            if fds is None:
                partial = 1
            else:
                metrics.open_fds = fds
            metrics.fd_limit = limit.soft if limit is not None and limit.soft is not None else 0
            metrics.num_threads = num_threads
            metrics.states[_STATE_INDEX.get(state, 4)] += 1
            if wchan is None:
                partial = 1
            elif wchan != "0":
                metrics.wchans.append(wchan)
            if smaps:
                usage = row[21]
                if usage is None:
                    partial = 1
                else:
                    metrics.pss = usage.pss or 0
                    metrics.swap_pss = usage.swap_pss or 0
            counts = [
                utime / _USER_HZ,
                stime / _USER_HZ,
                float(rd or 0),
                float(wr or 0),
                float(majflt),
                float(minflt),
                float(vol or 0),
                float(nonvol or 0),
            ]
            if num_threads > 1:
                if self._read_threads(pid, metrics):
                    counts[_VOLUNTARY] = sum(t[3][_VOLUNTARY] for t in metrics.threads)
                    counts[_NONVOLUNTARY] = sum(t[3][_NONVOLUNTARY] for t in metrics.threads)
                    metrics.wchans += [t[4] for t in metrics.threads if t[4]]
                else:
                    metrics.threads = []
                    partial = 1
            yield (pid, start), row, counts, metrics, partial

    # -- the tracker, as process-exporter's ----------------------------------

    def _attributes(self, row: Any) -> _Attributes:
        """What the rules see of a new process; its ``cmdline`` (and ``cgroup``) read now,
        as they are only needed once."""
        from procfs.core.cmdline import parse_cmdline
        from procfs.core.process_cgroup import parse_process_cgroups

        pid = row[0]
        try:
            cmdline = self._fs.parse(f"{pid}/cmdline", parse_cmdline)
        except ProcError:  # gone (it leaves at the next scrape), or refused
            cmdline = []
        while cmdline and not cmdline[-1]:  # (Go trims the trailing NULs before splitting)
            cmdline = cmdline[:-1]
        cgroups: list[str] = []
        if self._cgroups:
            try:
                found = self._fs.parse(f"{pid}/cgroup", parse_process_cgroups)
            except ProcError:
                found = []
            cgroups = [group.pathname for group in found]
        return _Attributes(
            row[1],
            cmdline,
            user_name(row[12]),
            pid,
            self._boot + row[9] / _USER_HZ,
            cgroups,
        )

    def _name(self, attributes: _Attributes) -> str | None:
        for rule in self._rules:
            name = rule.name_of(attributes)
            if name is not None:
                return name
        return None

    def _track(self, name: str, new: tuple[Any, list[float], _Metrics]) -> None:
        row, counts, metrics = new
        start = self._boot + row[9] / _USER_HZ
        tracked = _Tracked(name, start, counts, metrics)
        tracked.seen = self._round
        if start > self._first_update:  # started since the first scrape: all its counts
            tracked.latest = list(counts)
        for tid, tstart, tname, tcounts, wchan in metrics.threads:
            tracked.threads[(tid, tstart)] = [tname, tcounts, [0.0] * 8, wchan, self._round]
        self._tracked[(row[0], row[9])] = tracked

    def _ignore(self, key: tuple[int, int]) -> None:
        if not self._recheck:
            self._tracked[key] = None

    def _ancestry(
        self, key: tuple[int, int], new: dict[tuple[int, int], tuple[Any, list[float], _Metrics]]
    ) -> str | None:
        parent = self._pid_ids.get(new[key][0][3])
        if parent is None:
            self._ignore(key)
            return None
        if parent in self._tracked:
            tracked = self._tracked[parent]
            if tracked is not None:
                self._track(tracked.group, new[key])
                return tracked.group
            self._ignore(key)
            return None
        if parent in new:
            name = self._ancestry(parent, new)
            if name is not None:
                self._track(name, new[key])
                return name
        self._ignore(key)
        return None

    def update(self) -> dict[str, Group]:
        """Scan, update the tracker, and give every group's metrics by name."""
        self._round += 1
        now = time.time()
        if not self._first_update:
            self._first_update = now
        this = self._round
        tracked_map = self._tracked
        new: dict[tuple[int, int], tuple[Any, list[float], _Metrics]] = {}
        try:
            for key, row, counts, metrics, partial in self._scan():
                self.partial_errors += partial
                if key in tracked_map:
                    tracked = tracked_map[key]
                    if tracked is None and not self._recheck:
                        continue
                else:
                    tracked = None
                if tracked is None:  # new, or ignored but rechecked
                    old = self._pid_ids.get(key[0])
                    if old is not None and old != key:
                        tracked_map.pop(old, None)
                    self._pid_ids[key[0]] = key
                    new[key] = (row, counts, metrics)
                    continue
                tracked.latest = _delta(counts, tracked.counts)
                tracked.counts = counts
                tracked.metrics = metrics
                tracked.seen = this
                old_threads = tracked.threads
                if metrics.threads:
                    for tid, tstart, tname, tcounts, wchan in metrics.threads:
                        previous = old_threads.get((tid, tstart))
                        growth = [0.0] * 8 if previous is None else _delta(tcounts, previous[1])
                        old_threads[(tid, tstart)] = [tname, tcounts, growth, wchan, this]
                    for thread in [t for t, v in old_threads.items() if v[4] != this]:
                        del old_threads[thread]
                else:
                    old_threads.clear()
        except (OSError, ProcError):  # the root itself could not be listed
            self.scrape_errors += 1
            raise
        for key in [k for k, v in tracked_map.items() if v is not None and v.seen != this]:
            del tracked_map[key]
            if self._pid_ids.get(key[0]) == key:
                del self._pid_ids[key[0]]
        untracked: dict[tuple[int, int], tuple[Any, list[float], _Metrics]] = {}
        for key, value in new.items():
            name = self._name(self._attributes(value[0]))
            if name is not None:
                self._track(name, value)
            else:
                untracked[key] = value
        if self._children:
            for key in untracked:
                if key not in tracked_map:
                    self._ancestry(key, untracked)
        elif not self._recheck:
            for key in untracked:
                tracked_map[key] = None
        return self._groups()

    def _groups(self) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        thread_updates: dict[str, list[list[Any]]] = {}
        for tracked in self._tracked.values():
            if tracked is None:
                continue
            group = groups.get(tracked.group)
            if group is None:
                group = groups[tracked.group] = Group()
                group.oldest_start = tracked.start
            metrics = tracked.metrics
            group.procs += 1
            group.resident += metrics.resident
            group.virtual += metrics.virtual
            group.swapped += metrics.swapped
            group.proportional_resident += metrics.pss
            group.proportional_swapped += metrics.swap_pss
            if metrics.open_fds != -1:
                group.open_fds += metrics.open_fds
            if metrics.fd_limit:
                ratio = metrics.open_fds / metrics.fd_limit
                if ratio > group.worst_fd_ratio:
                    group.worst_fd_ratio = ratio
            group.num_threads += metrics.num_threads
            _add(group.counts, tracked.latest)
            for index, count in enumerate(metrics.states):
                group.states[index] += count
            group.oldest_start = min(group.oldest_start, tracked.start)
            for wchan in metrics.wchans:
                group.wchans[wchan] = group.wchans.get(wchan, 0) + 1
            if len(tracked.threads) > 1:
                thread_updates.setdefault(tracked.group, []).extend(tracked.threads.values())
        for name, group in groups.items():
            old = self._group_accum.get(name)
            if old is not None:
                _add(group.counts, old)
            self._group_accum[name] = list(group.counts)
            group.oldest_start = float(int(group.oldest_start // 1))
            group.threads = self._thread_groups(name, thread_updates.get(name, []))
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
