r"""``/proc/[pid]/status`` and ``/proc/[pid]/task/[tid]/status``: ``Key:\tvalue`` lines.

Most of ``stat`` and ``statm`` again, in a form meant for people, plus
credentials, signal masks, capabilities and CPU affinity. Which lines appear
depends on the kernel version, its configuration and the task (kernel
threads and zombies have no ``Vm*`` lines); a line the kernel does not print
reads as ``None``, and a line this module does not know is kept in
:attr:`Status.extra`.

The ``Name:`` line holds the command name with two escapes: a newline is
written ``\n`` and a backslash ``\\`` (older kernels did this by hand, newer
ones with ``string_escape_str(..., ESCAPE_SPACE | ESCAPE_SPECIAL, "\n\\")``).
The parser undoes them, so ``Status.name`` equals ``Stat.comm``.
"""

from __future__ import annotations

# (the C module: operator, its Python wrapper, is 0.2 ms of import)
from _operator import itemgetter as _itemgetter

from procfs.core._parse import INT_DIGITS, decode, fields_reader_of, long_number_at, parser
from procfs.core._record import Lazy, Record, compile_function, fields_getter
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from procfs.core.procstate import ProcState

__all__ = ["Status", "fields_reader", "parse_status", "parse_task_status"]


# --- value converters: bytes (stripped) -> value; ValueError on bad input ---


def _kb(value: bytes) -> int:
    parts = value.split()
    if len(parts) == 2 and parts[1] == b"kB":
        return int(parts[0]) * 1024
    if len(parts) == 1:
        return int(parts[0])
    raise ValueError("expected a number of kB")


def _hex(value: bytes) -> int:
    return int(value, 16)


def _octal(value: bytes) -> int:
    return int(value, 8)


def _flag(value: bytes) -> bool:
    return int(value) != 0


def _ints(value: bytes) -> tuple[int, ...]:
    return tuple(map(int, value.split()))


def _state(value: bytes) -> str:
    letter = decode(value.split(None, 1)[0])
    if len(letter) != 1:
        raise ValueError("the state is not one letter")
    return letter


def _sigq(value: bytes) -> tuple[int, int]:
    queued, limit = value.split(b"/")
    return int(queued), int(limit)


def _mask(value: bytes) -> int:
    # Comma-separated 32-bit words, most significant first.
    return int(value.replace(b",", b""), 16)


#: Longest range accepted in a list ("0-8191"): far above NR_CPUS and
#: MAX_NUMNODES, low enough that garbage cannot exhaust memory.
_MAX_RANGE = 1 << 16


def _cpu_list(value: bytes) -> tuple[int, ...]:
    out: list[int] = []
    for part in value.strip().split(b","):
        if not part:
            continue
        first, dash, last = part.partition(b"-")
        if not dash:
            out.append(int(part))
            continue
        low, high = int(first), int(last)
        if low < 0 or high < low or high - low > _MAX_RANGE:
            raise ValueError(f"bad range {decode(part)!r}")
        out.extend(range(low, high + 1))
    return tuple(out)


def _text(value: bytes) -> str:
    return decode(value.strip())


def _words(value: bytes) -> tuple[str, ...]:
    return tuple(decode(word) for word in value.split())


def _name(value: bytes) -> str:
    # The whole value after "Name:\t", spaces included: a comm may begin or
    # end with spaces. (Some captures use spaces instead of the tab.)
    value = value[1:] if value[:1] == b"\t" else value.lstrip(b" ")
    if b"\\" in value:
        # "\\" is a backslash, "\n" a newline; no other escape is produced.
        value = b"\\".join(part.replace(b"\\n", b"\n") for part in value.split(b"\\\\"))
    return decode(value)


_CONVERTERS: dict[str, tuple[str, Callable[[bytes], object]]] = {
    "Name": ("name", _name),
    "Umask": ("umask", _octal),
    "State": ("state", _state),
    "Tgid": ("tgid", int),
    "Ngid": ("ngid", int),
    "Pid": ("pid", int),
    "PPid": ("ppid", int),
    "TracerPid": ("tracerpid", int),
    "Uid": ("ruid", _ints),
    "Gid": ("rgid", _ints),
    "FDSize": ("fdsize", int),
    "Groups": ("groups", _ints),
    "NStgid": ("nstgid", _ints),
    "NSpid": ("nspid", _ints),
    "NSpgid": ("nspgid", _ints),
    "NSsid": ("nssid", _ints),
    "Kthread": ("kthread", _flag),
    "VmPeak": ("vmpeak", _kb),
    "VmSize": ("vmsize", _kb),
    "VmLck": ("vmlck", _kb),
    "VmPin": ("vmpin", _kb),
    "VmHWM": ("vmhwm", _kb),
    "VmRSS": ("vmrss", _kb),
    "RssAnon": ("rssanon", _kb),
    "RssFile": ("rssfile", _kb),
    "RssShmem": ("rssshmem", _kb),
    "VmData": ("vmdata", _kb),
    "VmStk": ("vmstk", _kb),
    "VmExe": ("vmexe", _kb),
    "VmLib": ("vmlib", _kb),
    "VmPTE": ("vmpte", _kb),
    "VmPMD": ("vmpmd", _kb),
    "VmSwap": ("vmswap", _kb),
    "HugetlbPages": ("hugetlbpages", _kb),
    "CoreDumping": ("core_dumping", _flag),
    "THP_enabled": ("thp_enabled", _flag),
    "untag_mask": ("untag_mask", _hex),
    "x86_Thread_features": ("x86_thread_features", _words),
    "x86_Thread_features_locked": ("x86_thread_features_locked", _words),
    "Threads": ("threads", int),
    "SigQ": ("sigq", _sigq),
    "SigPnd": ("sigpnd", _hex),
    "ShdPnd": ("shdpnd", _hex),
    "SigBlk": ("sigblk", _hex),
    "SigIgn": ("sigign", _hex),
    "SigCgt": ("sigcgt", _hex),
    "CapInh": ("capinh", _hex),
    "CapPrm": ("capprm", _hex),
    "CapEff": ("capeff", _hex),
    "CapBnd": ("capbnd", _hex),
    "CapAmb": ("capamb", _hex),
    "NoNewPrivs": ("nonewprivs", int),
    "Seccomp": ("seccomp", int),
    "Seccomp_filters": ("seccomp_filters", int),
    "Speculation_Store_Bypass": ("speculation_store_bypass", _text),
    "SpeculationIndirectBranch": ("speculation_indirect_branch", _text),
    "Cpus_allowed": ("cpus_allowed", _mask),
    "Cpus_allowed_list": ("cpus_allowed_list", _cpu_list),
    "Mems_allowed": ("mems_allowed", _mask),
    "Mems_allowed_list": ("mems_allowed_list", _cpu_list),
    "voluntary_ctxt_switches": ("voluntary_ctxt_switches", int),
    "nonvoluntary_ctxt_switches": ("nonvoluntary_ctxt_switches", int),
}

#: The lines every kernel since 2.6.0 prints.
_REQUIRED_KEYS = (
    *("Name", "State", "Tgid", "Pid", "PPid", "TracerPid", "Uid", "Gid", "FDSize", "Groups"),
    *("Threads", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff"),
)
#: The fields of the ``Uid:`` and ``Gid:`` lines, by their place on the line.
_ID_FIELDS = {
    "Uid": (("ruid", 0), ("euid", 1), ("suid", 2), ("fuid", 3)),
    "Gid": (("rgid", 0), ("egid", 1), ("sgid", 2), ("fgid", 3)),
}


def _lazy_field(
    index: int, key: str, convert: Callable[[bytes], object], part: int
) -> Callable[[Status], object]:
    """The getter of a field read from the text on access, or stored (a record built
    field by field).

    ``part`` picks one id of a ``Uid:``/``Gid:`` line (-1: the whole value).
    """
    needle = b"\n" + key.encode() + b":"
    skip = len(needle)
    required = key in _REQUIRED_KEYS
    if part >= 0:
        convert = _id_converter(part)

    def get(self: Status) -> object:
        stored = self._values
        if len(stored) != 2:
            return stored[index]
        text: bytes = stored[0]
        start = text.find(needle)
        if start < 0:
            if required:
                raise ParseError(f"no {key} line", stored[1])
            return None
        end = text.find(b"\n", start + skip)
        value = text[start + skip : end] if end >= 0 else text[start + skip :]
        try:
            return convert(value)
        except (ValueError, IndexError) as exc:
            lineno = text.count(b"\n", 0, start + 1)
            raise ParseError(
                f"bad {key} value ({exc})", stored[1], key.encode() + b":" + value, lineno
            ) from None

    return get


#: ``Uid:``/``Gid:`` values seen, converted: most processes share a few.
_ID_LINES: dict[bytes, tuple[int, ...]] = {}


def _ids(value: bytes) -> tuple[int, ...]:
    """The four ids of a ``Uid:``/``Gid:`` line: real, effective, saved, filesystem."""
    ids = _ID_LINES.get(value)
    if ids is None:
        ids = tuple(map(int, value.split()))
        if len(ids) != 4:
            raise ValueError("expected 4 ids (real, effective, saved, filesystem)")
        if len(_ID_LINES) >= 4096:
            _ID_LINES.clear()
        _ID_LINES[value] = ids
    return ids


def _id_converter(part: int) -> Callable[[bytes], int]:
    """One id of a ``Uid:``/``Gid:`` line (real, effective, saved, filesystem), by place."""
    return lambda value: _ids(value)[part]


def _extra(self: Status) -> dict[str, str]:
    stored = self._values
    if len(stored) != 2:
        return stored[-1]  # type: ignore[no-any-return]
    text: bytes = stored[0]
    path: str = stored[1]
    out: dict[str, str] = {}
    for lineno, line in enumerate(text.split(b"\n")):
        key, found, value = line.partition(b":")
        if not found:
            if line.strip():
                raise ParseError("no ':' separator", path, line, lineno)
        elif key.strip() not in _KEYS:
            out[decode(key.strip())] = decode(value.strip())
    return out


#: Field -> (its line's key, the converter of the line's value, the place of an id or -1).
_LINE_OF: dict[str, tuple[str, Callable[[bytes], Any], int]] = {
    id_field: (key, convert, part)
    for key, (field, convert) in _CONVERTERS.items()
    for id_field, part in _ID_FIELDS.get(key, ((field, -1),))
}


def _getter(name: str, index: int) -> Callable[[Status], object]:
    """The getter of field ``name``: read from the text of a parsed record, or stored."""
    if name == "extra":
        return _extra
    key, convert, part = _LINE_OF[name]
    return _lazy_field(index, key, convert, part)


class Status(Record):
    """A task's ``/proc/[pid]/status``, typed.

    Sizes the kernel gives in kB are in BYTES here. Signal and capability
    masks are integers (bit ``n - 1`` is signal ``n``; bit ``n`` capability
    ``n``). Fields marked "optional" are ``None`` when the line is absent.

    Attributes:
        name: The command name (as ``Stat.comm``), escapes undone.
        umask: The file mode creation mask (optional, Linux 4.7+).
        state: The state letter (``R``, ``S``, ``D``, …); the kernel's words
            after it (``(sleeping)``) follow from it. See :attr:`proc_state`.
        tgid: Thread group ID, i.e. the process ID.
        ngid: NUMA group ID, 0 if none (optional, Linux 3.13+).
        pid: Thread ID (gettid(2)).
        ppid: Parent's process ID.
        tracerpid: ID of the process tracing this one, 0 if none.
        ruid: Real user ID.
        euid: Effective user ID.
        suid: Saved set-user-ID.
        fuid: Filesystem user ID.
        rgid: Real group ID.
        egid: Effective group ID.
        sgid: Saved set-group-ID.
        fgid: Filesystem group ID.
        fdsize: Number of file descriptor slots currently allocated.
        groups: Supplementary group IDs.
        nstgid: Thread group ID in each PID namespace the task is in, from
            the one of the procfs mount inwards (optional, Linux 4.1+).
        nspid: Thread ID in each PID namespace, ordered as ``nstgid``
            (optional, Linux 4.1+).
        nspgid: Process group ID in each PID namespace (optional, Linux 4.1+).
        nssid: Session ID in each PID namespace (optional, Linux 4.1+).
        kthread: Whether the task is a kernel thread (optional, Linux 6.x).
        vmpeak: Peak virtual memory size, bytes (optional).
        vmsize: Virtual memory size, bytes (optional).
        vmlck: Locked memory size (mlock(2)), bytes (optional).
        vmpin: Pinned memory size (pages that cannot move), bytes (optional,
            Linux 3.2+).
        vmhwm: Peak resident set size ("high water mark"), bytes (optional).
        vmrss: Resident set size, ``rssanon + rssfile + rssshmem``, bytes
            (optional).
        rssanon: Resident anonymous memory, bytes (optional, Linux 4.5+).
        rssfile: Resident file mappings, bytes (optional, Linux 4.5+).
        rssshmem: Resident shared memory (System V shm, tmpfs, shared
            anonymous mappings), bytes (optional, Linux 4.5+).
        vmdata: Data segment size, bytes (optional).
        vmstk: Stack size, bytes (optional).
        vmexe: Text (code) size, bytes (optional).
        vmlib: Shared library code size, bytes (optional).
        vmpte: Page table entries size, bytes (optional, Linux 2.6.10+).
        vmpmd: Second-level page tables size, bytes (optional, Linux 4.0 to
            4.14 only).
        vmswap: Swapped-out anonymous private memory, bytes (optional, Linux
            2.6.34+).
        hugetlbpages: Size of hugetlb memory, bytes (optional, Linux 4.4+).
        core_dumping: Whether the process is dumping core (optional, Linux
            4.15+).
        thp_enabled: Whether transparent huge pages are allowed (optional,
            Linux 5.0+).
        untag_mask: The address tagging mask (x86 LAM; optional, Linux 6.4+).
        x86_thread_features: Enabled x86 thread features such as ``shstk``
            (optional, Linux 6.6+, x86).
        x86_thread_features_locked: Locked x86 thread features (optional).
        threads: Number of threads in the process.
        sigq: ``(queued, limit)``: signals queued for the real user ID, and
            the ``RLIMIT_SIGPENDING`` limit (optional: absent on early 2.6).
        sigpnd: Signals pending for the thread, mask.
        shdpnd: Signals pending for the process as a whole, mask.
        sigblk: Blocked signals, mask.
        sigign: Ignored signals, mask.
        sigcgt: Caught signals, mask.
        capinh: Inheritable capabilities, mask.
        capprm: Permitted capabilities, mask.
        capeff: Effective capabilities, mask.
        capbnd: Capability bounding set, mask (optional, Linux 2.6.26+).
        capamb: Ambient capabilities, mask (optional, Linux 4.3+).
        nonewprivs: The no_new_privs bit, 0 or 1 (optional, Linux 4.10+).
        seccomp: Seccomp mode: 0 disabled, 1 strict, 2 filter (optional,
            Linux 3.8+, ``CONFIG_SECCOMP``).
        seccomp_filters: Number of seccomp filters attached (optional, Linux
            5.9+).
        speculation_store_bypass: Speculative store bypass mitigation state,
            as the kernel words it (optional, Linux 4.17+).
        speculation_indirect_branch: Indirect branch speculation mitigation
            state, as the kernel words it (optional, Linux 4.20+).
        cpus_allowed: CPUs the task may run on, as a bit mask (bit n = CPU n;
            optional, Linux 2.6.24+).
        cpus_allowed_list: The same CPUs as a sorted tuple of numbers
            (optional, Linux 2.6.26+).
        mems_allowed: Memory nodes the task may use, as a bit mask (optional,
            Linux 2.6.24+).
        mems_allowed_list: The same nodes as a sorted tuple of numbers
            (optional, Linux 2.6.26+).
        voluntary_ctxt_switches: Voluntary context switches, count (optional,
            Linux 2.6.23+).
        nonvoluntary_ctxt_switches: Involuntary context switches, count
            (optional, Linux 2.6.23+).
        extra: Every other line, by key, value text as printed (stripped).
    """

    name: str
    umask: int | None
    state: str
    tgid: int
    ngid: int | None
    pid: int
    ppid: int
    tracerpid: int
    ruid: int
    euid: int
    suid: int
    fuid: int
    rgid: int
    egid: int
    sgid: int
    fgid: int
    fdsize: int
    groups: tuple[int, ...]
    nstgid: tuple[int, ...] | None
    nspid: tuple[int, ...] | None
    nspgid: tuple[int, ...] | None
    nssid: tuple[int, ...] | None
    kthread: bool | None
    vmpeak: int | None
    vmsize: int | None
    vmlck: int | None
    vmpin: int | None
    vmhwm: int | None
    vmrss: int | None
    rssanon: int | None
    rssfile: int | None
    rssshmem: int | None
    vmdata: int | None
    vmstk: int | None
    vmexe: int | None
    vmlib: int | None
    vmpte: int | None
    vmpmd: int | None
    vmswap: int | None
    hugetlbpages: int | None
    core_dumping: bool | None
    thp_enabled: bool | None
    untag_mask: int | None
    x86_thread_features: tuple[str, ...] | None
    x86_thread_features_locked: tuple[str, ...] | None
    threads: int
    sigq: tuple[int, int] | None
    sigpnd: int
    shdpnd: int
    sigblk: int
    sigign: int
    sigcgt: int
    capinh: int
    capprm: int
    capeff: int
    capbnd: int | None
    capamb: int | None
    nonewprivs: int | None
    seccomp: int | None
    seccomp_filters: int | None
    speculation_store_bypass: str | None
    speculation_indirect_branch: str | None
    cpus_allowed: int | None
    cpus_allowed_list: tuple[int, ...] | None
    mems_allowed: int | None
    mems_allowed_list: tuple[int, ...] | None
    voluntary_ctxt_switches: int | None
    nonvoluntary_ctxt_switches: int | None
    extra: dict[str, str]

    # A parsed record stores (text, path) and reads each field from the text;
    # one built from values stores them all.
    __lazy__ = Lazy(getter=_getter)

    @classmethod
    def fields_getter(cls, names: Sequence[str]) -> Callable[[Status], tuple[Any, ...]]:
        """:meth:`Record.fields_getter` for Status: each line asked for is found and
        converted once (the three ids of ``Uid:`` with one search). A line that is
        missing or does not convert is read as the attributes read it (None, or
        their error)."""
        return _fields_getter(names)

    @property
    def proc_state(self) -> ProcState:
        """The :attr:`state` letter as a :class:`~procfs.core.procstate.ProcState`."""
        from procfs.core.procstate import ProcState

        return ProcState(self.state)


_FIELDS = Status._fields
#: Key as printed -> (field index, converter).
_KEYS = {
    key.encode(): (_FIELDS.index(field), convert) for key, (field, convert) in _CONVERTERS.items()
}
#: Field index -> key, for the required lines.
_REQUIRED = {_FIELDS.index(_CONVERTERS[key][0]): key for key in _REQUIRED_KEYS}
_required = _itemgetter(*_REQUIRED)
_RUID = _FIELDS.index("ruid")
_RGID = _FIELDS.index("rgid")

#: Field -> (``\nKey:``, the converter of the line's value, the place of an id or -1).
_LINES: dict[str, tuple[bytes, Callable[[bytes], Any], int]] = {
    field: (b"\n" + key.encode() + b":", _ids if part >= 0 else convert, part)
    for field, (key, convert, part) in _LINE_OF.items()
}


def _line_reader(
    names: Sequence[str],
) -> tuple[list[tuple[bytes, Callable[[bytes], Any]]], Callable[[bytes], tuple[Any, ...] | None]]:
    """The lines that hold the fields ``names`` (``_LINES`` has them all), and a
    function that reads the fields from a text (``b"\\n"`` + the file) searching
    each line once, or gives None if a line is missing or does not convert."""
    lines: dict[bytes, Callable[[bytes], Any]] = {}
    for name in names:
        needle, convert, _ = _LINES[name]
        lines[needle] = convert
    searches = list(lines.items())
    needles = list(lines)
    places = [(needles.index(_LINES[name][0]), _LINES[name][2]) for name in names]

    def read(text: bytes) -> tuple[Any, ...] | None:
        values = []
        for needle, convert in searches:
            start = text.find(needle)
            if start < 0:
                return None
            start += len(needle)
            end = text.find(b"\n", start)
            try:
                values.append(convert(text[start:end] if end >= 0 else text[start:]))
            except (ValueError, IndexError):
                return None
        return tuple([values[line] if part < 0 else values[line][part] for line, part in places])

    return searches, read


def _fields_getter(names: Sequence[str]) -> Callable[[Status], tuple[Any, ...]]:
    """:meth:`Status.fields_getter`."""
    generic = fields_getter(names)
    if not set(names) <= _LINES.keys():
        return generic
    _, read = _line_reader(names)

    def get(record: Status) -> tuple[Any, ...]:
        stored = record._values
        if len(stored) != 2:
            return generic(record)
        found = read(stored[0])
        return generic(record) if found is None else found

    return get


@parser(
    "[pid]/status",
    "[pid]/task/[tid]/status",
    takes_path=True,
    read="single",
    record=Status,
    since="2.6",
)
def parse_status(data: bytes, path: str) -> Status:
    """Parse ``/proc/[pid]/status`` (also ``task/[tid]/status``) into a :class:`Status`.

    The record keeps the text and reads each field from it when it is first
    asked for: a monitor that wants three fields of every process does not
    pay for sixty. The text must hold ``Name:``, ``Pid:`` and ``Uid:``
    lines, and no number of more than INT_DIGITS digits (checked here); a
    malformed value, or a missing line every kernel prints, raises
    :class:`~procfs.errors.ParseError` when its field is read.
    """
    text = b"\n" + data
    if text.find(b"\nName:") < 0 or text.find(b"\nPid:") < 0 or text.find(b"\nUid:") < 0:
        raise ParseError("no Name, Pid or Uid line", line=data[:80])
    if _too_long(text):
        raise ParseError(f"a number of more than {INT_DIGITS} digits", line=data[:80])
    return _new_status((text, path))


def _too_long(text: bytes) -> bool:
    """Whether a number of ``text`` has more digits than ``int()`` converts (only a text
    longer than that can hold one: a few KB of groups or CPU masks)."""
    return len(text) > INT_DIGITS and long_number_at(text, INT_DIGITS) >= 0


_new_status = Status._from_stored


#: The same parser, under the name of the per-thread file it also reads.
parse_task_status = parse_status


@fields_reader_of(parse_status)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the fields ``names`` of a status file's bytes, as a tuple.

    What :func:`procfs.scan.scan_fields` uses: the values of
    ``parse_status(data, path)``'s attributes (and their errors), each line
    asked for searched once, with no record made.
    """
    get = Status.fields_getter(names)
    parse = parse_status.__wrapped__  # type: ignore[attr-defined]
    if not set(names) <= _LINES.keys():
        return lambda data, path: get(parse(data, path))
    searches, _ = _line_reader(names)
    needles = [needle for needle, _ in searches]
    # The lines parse_status requires, unless a field asked for is on one.
    checks = "".join(
        f" and data.find({needle!r}) >= 0"
        for needle in (b"\nPid:", b"\nUid:")
        if needle not in needles
    )
    # Compiled for the fields: _line_reader's loop unrolled (interleaved in one process
    # over 1087 live files: euid 2.30 -> 1.26 us, ps aux's four fields 6.5 -> 5.0 us).
    # The file starts with its Name line (checked first), so every other line is found
    # as ``\nKey:`` in the file itself, and the Name's value starts at byte 5.
    env: dict[str, Any] = {"get": get, "parse": parse, "too_long": _too_long, "digits": INT_DIGITS}
    body = []
    for line, (needle, convert) in enumerate(searches):
        env[f"c{line}"] = convert
        if needle == b"\nName:":
            body.append("        s = 5")
        else:
            body += [
                f"        s = data.find({needle!r})",
                "        if s < 0:",
                "            return get(parse(data, path))",
                f"        s += {len(needle)}",
            ]
        body += [
            "        e = data.find(b'\\n', s)",
            f"        v{line} = c{line}(data[s:e] if e >= 0 else data[s:])",
        ]
    values = []
    for name in names:
        needle, _, part = _LINES[name]
        line = needles.index(needle)
        values.append(f"v{line}" if part < 0 else f"v{line}[{part}]")
    source = "\n".join(
        [
            "def read(data, path):",
            # (a number longer than int() converts anywhere: as the parser judges it)
            "    if data[:5] != b'Name:' or (len(data) > digits and too_long(data))"
            + (checks.replace(" and data.find", " or data.find").replace(">= 0", "< 0"))
            + ":",
            "        return get(parse(data, path))",  # raises its ParseError
            "    try:",
            *body,
            f"        return ({''.join(value + ', ' for value in values)})",
            "    except (ValueError, IndexError):",
            "        return get(parse(data, path))",
            "",
        ]
    )
    return compile_function(source, env, "read")  # type: ignore[no-any-return]
