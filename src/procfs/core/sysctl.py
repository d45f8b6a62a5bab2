"""``/proc/sys/...``: sysctl values, generic and typed.

A sysctl file holds one value: a number (``kernel/pid_max``: ``32768``), a
vector of numbers separated by tabs or spaces (``kernel/sem``:
``32000\\t1024000000\\t500\\t32000``), or text (``kernel/ostype``:
``Linux``). :func:`parse_sysctl_value` reads any of them into an ``int``, a
``list[int]`` or a ``str``.

The files with a known meaning have typed parsers, registered under their
paths (``"sys/kernel/pid_max"``, ``"sys/fs/file-nr"``, ...):

* numbers (``int``): ``kernel/{pid_max, threads-max, shmall, shmmax,
  shmmni}``, ``kernel/random/{entropy_avail, poolsize,
  urandom_min_reseed_secs, write_wakeup_threshold, read_wakeup_threshold}``,
  ``kernel/keys/*``, ``vm/{admin_reserve_kbytes, max_map_count,
  drop_caches}``, ``fs/{file-max, epoll/max_user_watches}``;
* text (``str``): ``kernel/{ostype, hostname, domainname}``,
  ``kernel/random/{boot_id, uuid}`` (checked to be UUIDs);
* records: ``kernel/version`` (:class:`BuildInfo`), ``kernel/sem``
  (:class:`SemaphoreLimits`), ``kernel/sysrq`` (:class:`SysRq`),
  ``fs/file-nr`` (:class:`FileState`), ``fs/dentry-state``
  (:class:`DentryState`), ``fs/binfmt_misc/status`` (``bool``).

``kernel/osrelease`` is parsed by :mod:`procfs.core.kernel`.

The entries of ``fs/binfmt_misc`` have names chosen by whoever registered
them, so no registry key can name them (the registry maps fixed paths, and
:func:`procfs.core.key_for` maps only pids, tids and fds to placeholders):
:func:`parse_binfmt_entry` is not registered; :func:`procfs.sysctl.sysctl`
and ``procfs show`` apply it to any file of that directory other than
``status`` and ``register``.

Values are the kernel's, in the kernel's units: ``admin_reserve_kbytes`` is
in kB, as its name says.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record, to_plain
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo
    from typing import Any

__all__ = [
    "SYSRQ_FUNCTIONS",
    "BinfmtEntry",
    "BuildInfo",
    "DentryState",
    "FileState",
    "SemaphoreLimits",
    "SysRq",
    "parse_binfmt_entry",
    "parse_binfmt_status",
    "parse_build_info",
    "parse_dentry_state",
    "parse_file_nr",
    "parse_semaphore_limits",
    "parse_sysctl_int",
    "parse_sysctl_text",
    "parse_sysctl_uuid",
    "parse_sysctl_value",
    "parse_sysrq",
]

_ERRORS = (ValueError, IndexError, KeyError, UnicodeError, OverflowError, TypeError, AttributeError)


# -- generic values -----------------------------------------------------------


def _is_int(token: bytes) -> bool:
    digits = token[1:] if token[:1] == b"-" else token
    return digits.isdigit()


def _int(token: bytes, what: str) -> int:
    # int() also takes "+1", "1_000" and surrounding spaces; the kernel prints none of them
    if not _is_int(token):
        raise ParseError(f"{what} is not an integer", line=token)
    return int(token)


def _one_line(data: bytes) -> bytes:
    """The content without its final newline; a ParseError if more lines follow."""
    if data.endswith(b"\n"):
        data = data[:-1]
    if b"\n" in data:
        raise ParseError("expected one line", line=data)
    return data


def parse_sysctl_value(data: bytes, path: str | None = None) -> int | list[int] | str:
    """Any sysctl file: an ``int``, a ``list[int]`` or a ``str``.

    A single line of one integer is an ``int``; a single line of several
    integers separated by tabs or spaces is a ``list[int]``; anything else
    (words, hexadecimal, several lines, an empty file) is the text without
    its final newline, decoded with ``os.fsdecode``. It never fails.
    """
    text = data[:-1] if data.endswith(b"\n") else data
    if b"\n" not in text:
        tokens = text.split()
        if tokens and all(_is_int(t) for t in tokens):
            if len(tokens) == 1:
                return int(tokens[0])
            return [int(t) for t in tokens]
    return decode(text)


@parser(
    "sys/kernel/pid_max",
    "sys/kernel/threads-max",
    "sys/kernel/shmall",
    "sys/kernel/shmmax",
    "sys/kernel/shmmni",
    "sys/kernel/random/entropy_avail",
    "sys/kernel/random/poolsize",
    "sys/kernel/random/urandom_min_reseed_secs",
    "sys/kernel/random/write_wakeup_threshold",
    "sys/kernel/random/read_wakeup_threshold",
    "sys/kernel/keys/maxkeys",
    "sys/kernel/keys/maxbytes",
    "sys/kernel/keys/root_maxkeys",
    "sys/kernel/keys/root_maxbytes",
    "sys/kernel/keys/gc_delay",
    "sys/kernel/keys/persistent_keyring_expiry",
    "sys/vm/admin_reserve_kbytes",
    "sys/vm/max_map_count",
    "sys/vm/drop_caches",
    "sys/fs/file-max",
    "sys/fs/epoll/max_user_watches",
    read="single",
    since="2.6",
)
def parse_sysctl_int(data: bytes) -> int:
    """A sysctl file holding one integer (``kernel/pid_max``, ``fs/file-max``, ...).

    Units are the file's: ``keys/gc_delay`` and
    ``keys/persistent_keyring_expiry`` are in seconds, ``keys/maxbytes``
    and ``keys/root_maxbytes`` in bytes, ``vm/admin_reserve_kbytes`` in kB,
    ``kernel/shmall`` in pages, ``kernel/shmmax`` in bytes,
    ``random/entropy_avail`` and ``random/poolsize`` in bits.
    """
    return _single_int(data)


def _single_int(data: bytes) -> int:
    tokens = _one_line(data).split()
    if len(tokens) != 1:
        raise ParseError(f"expected one integer, found {len(tokens)} fields", line=data)
    return _int(tokens[0], "value")


@parser(
    "sys/kernel/ostype", "sys/kernel/hostname", "sys/kernel/domainname", read="single", since="2.6"
)
def parse_sysctl_text(data: bytes) -> str:
    """A sysctl file holding one line of text (``kernel/ostype``: ``"Linux"``).

    The final newline is removed; the rest is kept as it is (decoded with
    ``os.fsdecode``). An unset NIS domain name reads ``"(none)"``.
    """
    return decode(_one_line(data))


_HEX = frozenset(b"0123456789abcdefABCDEF")


@parser("sys/kernel/random/boot_id", "sys/kernel/random/uuid", read="single", since="2.6")
def parse_sysctl_uuid(data: bytes) -> str:
    """``random/boot_id`` or ``random/uuid``: a UUID in its 36-character text form.

    ``boot_id`` is drawn once per boot and stays the same until the next
    one; ``uuid`` is a new random UUID on every read.
    """
    text = _one_line(data).strip()
    groups = text.split(b"-")
    if [len(g) for g in groups] != [8, 4, 4, 4, 12] or not _HEX.issuperset(text.replace(b"-", b"")):
        raise ParseError("not a UUID", line=data)
    return text.decode("ascii").lower()


# -- kernel/version -----------------------------------------------------------


class BuildInfo(Record):
    """``/proc/sys/kernel/version``: how the running kernel was built (``uname -v``).

    The kernel writes ``#<build> [SMP] [PREEMPT|PREEMPT_DYNAMIC|PREEMPT_RT]
    <timestamp>``, cut to 64 characters: ``#1 SMP PREEMPT_DYNAMIC Thu Sep 30
    15:29:01 UTC 2021``. The timestamp is ``date``'s output at build time
    unless the build set ``KBUILD_BUILD_TIMESTAMP`` to something else
    (``Debian 5.10.46-4 (2021-08-03)``, ``@0``).

    Attributes:
        build: the build tag with its ``#`` (``"#1"``, ``"#21~22.04.1-Ubuntu"``):
            how many times this tree was built, or the distribution's tag.
        flags: the configuration words after it, in order: every word made
            of capitals, digits and ``_`` (``SMP``, ``PREEMPT``,
            ``PREEMPT_DYNAMIC``, ``PREEMPT_RT``; old real-time kernels wrote
            ``PREEMPT RT``).
        extra: the rest of the line, as written: normally the build timestamp.
        date: ``extra`` read as a date when it is one, else ``None``: the
            forms of ``date`` (``Thu Sep 30 15:29:01 UTC 2021``) and of RFC
            2822 (``Fri, 12 Nov 2021 19:22:10 +0000``). Aware when the zone
            is known (``UTC``, ``GMT``, a numeric offset), naive when it is
            another abbreviation (``CEST``: its offset cannot be known) or
            missing.
    """

    build: str
    flags: tuple[str, ...]
    extra: str
    date: datetime | None

    @property
    def build_number(self) -> int | None:
        """The digits that start ``build`` (``21`` for ``#21~22.04.1-Ubuntu``), if any."""
        digits = ""
        for char in self.build[1:]:
            if not "0" <= char <= "9":
                break
            digits += char
        return int(digits) if digits else None

    @property
    def smp(self) -> bool:
        """Built for several processors (``CONFIG_SMP``)."""
        return "SMP" in self.flags

    @property
    def preempt(self) -> bool:
        """Built fully preemptible (``CONFIG_PREEMPT``: the ``PREEMPT`` word)."""
        return "PREEMPT" in self.flags

    @property
    def preempt_dynamic(self) -> bool:
        """Preemption model chosen at boot (``CONFIG_PREEMPT_DYNAMIC``)."""
        return "PREEMPT_DYNAMIC" in self.flags

    @property
    def preempt_rt(self) -> bool:
        """A real-time kernel (``CONFIG_PREEMPT_RT``: ``PREEMPT_RT``, formerly ``PREEMPT RT``)."""
        return "PREEMPT_RT" in self.flags or "RT" in self.flags


def _is_flag(word: str) -> bool:
    return (
        "A" <= word[:1] <= "Z"
        and word.isascii()
        and all(c == "_" or "A" <= c <= "Z" or "0" <= c <= "9" for c in word)
    )


@parser("sys/kernel/version", read="single", since="2.6")
def parse_build_info(data: bytes) -> BuildInfo:
    """Parse ``/proc/sys/kernel/version`` (see :class:`BuildInfo`)."""
    text = decode(_one_line(data)).strip()
    build, _, rest = text.partition(" ")
    if not build.startswith("#"):
        raise ParseError("the build tag does not start with '#'", line=data)
    flags = []
    while True:
        rest = rest.lstrip(" ")
        word, _, after = rest.partition(" ")
        if not word or not _is_flag(word):
            break
        flags.append(word)
        rest = after
    extra = rest.strip()
    return BuildInfo(build, tuple(flags), extra, _build_date(extra))


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_WEEKDAYS = frozenset(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
_UTC_NAMES = frozenset(("UTC", "GMT", "UT", "Z"))
_NAIVE = "naive"


def _digits(text: str, low: int, high: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    value = int(text)
    if not low <= value <= high:
        raise ValueError(text)
    return value


def _clock(text: str) -> tuple[int, int, int]:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(text)
    second = _digits(parts[2], 0, 60) if len(parts) == 3 else 0
    return _digits(parts[0], 0, 23), _digits(parts[1], 0, 59), min(second, 59)


def _zone(text: str) -> tzinfo | str:
    """The tzinfo of a zone word, or ``_NAIVE`` for an abbreviation of unknown offset."""
    from datetime import timedelta, timezone

    if text in _UTC_NAMES:
        return timezone.utc
    if text[:1] in ("+", "-") and len(text) in (3, 5):
        hours = _digits(text[1:3], 0, 23)
        minutes = _digits(text[3:5], 0, 59) if len(text) == 5 else 0
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if text[0] == "-" else offset)
    if text.isascii() and text.isalpha() and text.isupper() and 2 <= len(text) <= 6:
        return _NAIVE
    raise ValueError(text)


def _build_date(text: str) -> datetime | None:
    """``text`` as a datetime if it is a ``date``-style or RFC 2822 timestamp, else None."""
    words = text.split()
    if not words or (words[0].rstrip(",") not in _WEEKDAYS and not words[0].isdigit()):
        return None
    from datetime import datetime

    try:
        if words[0].endswith(",") or words[0].isdigit():
            # RFC 2822: [Fri,] 12 Nov 2021 19:22:10 +0000
            if words[0].endswith(","):
                words = words[1:]
            if len(words) != 5:
                return None
            day, month, year, clock, zone = words
        elif len(words) in (5, 6):
            # date(1): Thu Sep 30 15:29:01 UTC 2021 (the zone may be missing)
            month, day, clock = words[1], words[2], words[3]
            zone = words[4] if len(words) == 6 else ""
            year = words[-1]
        else:
            return None
        if len(year) != 4:  # "UTC 2": the line was cut at 64 characters
            return None
        hour, minute, second = _clock(clock)
        tz = _zone(zone) if zone else _NAIVE
        moment = datetime(
            _digits(year, 1, 9999), _MONTHS[month], _digits(day, 1, 31), hour, minute, second
        )
    except (ValueError, KeyError, OverflowError):
        return None
    if isinstance(tz, str):
        return moment
    return moment.replace(tzinfo=tz)


# -- kernel/sem, kernel/sysrq ---------------------------------------------------


class SemaphoreLimits(Record):
    """``/proc/sys/kernel/sem``: the System V semaphore limits (four tab-separated numbers).

    Attributes:
        semmsl: the most semaphores in one semaphore set.
        semmns: the most semaphores in all sets of the system together.
        semopm: the most operations one ``semop(2)`` call may ask for.
        semmni: the most semaphore sets (identifiers) on the system.
    """

    semmsl: int
    semmns: int
    semopm: int
    semmni: int


def _ints(data: bytes, count: int, what: str) -> list[int]:
    tokens = _one_line(data).split()
    if len(tokens) != count:
        raise ParseError(f"expected {count} numbers in {what}, found {len(tokens)}", line=data)
    return [_int(t, what) for t in tokens]


@parser("sys/kernel/sem", read="single", since="2.6")
def parse_semaphore_limits(data: bytes) -> SemaphoreLimits:
    """Parse ``/proc/sys/kernel/sem``: ``SEMMSL SEMMNS SEMOPM SEMMNI``."""
    return SemaphoreLimits._make(_ints(data, 4, "sem"))


#: The functions of the SysRq key that ``kernel/sysrq`` can allow, by bit
#: (Documentation/admin-guide/sysrq.rst).
SYSRQ_FUNCTIONS = {
    0x2: "control_log_level",
    0x4: "control_keyboard",
    0x8: "debugging_dumps",
    0x10: "sync_command",
    0x20: "remount_read_only",
    0x40: "signal_processes",
    0x80: "reboot_poweroff",
    0x100: "nice_real_time_tasks",
}
_SYSRQ_ALL = 0x1FE


class SysRq(Record):
    """``/proc/sys/kernel/sysrq``: which functions the magic SysRq key may invoke.

    ``0`` disables the key, ``1`` allows every function; any other value is
    a bitmask of :data:`SYSRQ_FUNCTIONS` (``2`` console log level, ``4``
    keyboard control (SAK, unraw), ``8`` debugging dumps, ``16`` sync,
    ``32`` remount read-only, ``64`` signalling processes (term, kill,
    oom-kill), ``128`` reboot and power-off, ``256`` nicing real-time tasks).
    Writes to ``/proc/sysrq-trigger`` are allowed whatever this says.

    Attributes:
        value: the number in the file.
        functions: the names of the allowed functions (every one when
            ``value`` is 1), in bit order.
    """

    value: int
    functions: tuple[str, ...]

    @property
    def enabled(self) -> bool:
        """Whether the key does anything at all."""
        return bool(self.functions)

    @property
    def unknown_bits(self) -> int:
        """Bits set in ``value`` that name no function known here (bit 0 included)."""
        return 0 if self.value == 1 else self.value & ~_SYSRQ_ALL


@parser("sys/kernel/sysrq", read="single", since="2.6")
def parse_sysrq(data: bytes) -> SysRq:
    """Parse ``/proc/sys/kernel/sysrq`` (see :class:`SysRq`)."""
    value = _single_int(data)
    mask = _SYSRQ_ALL if value == 1 else value
    return SysRq(value, tuple(name for bit, name in SYSRQ_FUNCTIONS.items() if mask & bit))


# -- fs/file-nr, fs/dentry-state ------------------------------------------------


class FileState(Record):
    """``/proc/sys/fs/file-nr``: file handles of the whole system (three numbers).

    Attributes:
        allocated: file handles allocated now (roughly, files open now).
        free: allocated handles not in use; always 0 since Linux 2.6, which
            frees unused handles at once.
        max: the most file handles the kernel will allocate (``fs/file-max``).
    """

    allocated: int
    free: int
    max: int


@parser("sys/fs/file-nr", read="single", since="2.6")
def parse_file_nr(data: bytes) -> FileState:
    """Parse ``/proc/sys/fs/file-nr``: ``allocated free max``."""
    return FileState._make(_ints(data, 3, "file-nr"))


class DentryState(Record):
    """``/proc/sys/fs/dentry-state``: the directory-entry cache (dcache), six numbers.

    Attributes:
        nr_dentry: dentries allocated.
        nr_unused: dentries in the cache but not in use (reclaimable).
        age_limit: age in seconds after which dentries may be reclaimed
            when memory is short.
        want_pages: non-zero when the kernel asked to shrink the dcache and
            it has not been pruned yet.
        nr_negative: unused dentries that are negative (cache a name that
            does not exist); an unused slot, 0, before Linux 5.0.
        dummy: an unused slot (0).
    """

    nr_dentry: int
    nr_unused: int
    age_limit: int
    want_pages: int
    nr_negative: int
    dummy: int


@parser("sys/fs/dentry-state", read="single", since="2.6")
def parse_dentry_state(data: bytes) -> DentryState:
    """Parse ``/proc/sys/fs/dentry-state``."""
    return DentryState._make(_ints(data, 6, "dentry-state"))


# -- fs/binfmt_misc -------------------------------------------------------------


@parser("sys/fs/binfmt_misc/status", read="single", since="2.6")
def parse_binfmt_status(data: bytes) -> bool:
    """``/proc/sys/fs/binfmt_misc/status``: ``True`` for ``enabled``, ``False`` for ``disabled``."""
    word = _one_line(data).strip()
    if word == b"enabled":
        return True
    if word == b"disabled":
        return False
    raise ParseError("expected 'enabled' or 'disabled'", line=data)


#: The flag letters of a binfmt_misc entry (Documentation/admin-guide/binfmt-misc.rst).
BINFMT_FLAGS = {
    "P": "preserve_argv0",
    "O": "open_binary",
    "C": "credentials",
    "F": "fix_binary",
}


class BinfmtEntry(Record):
    """One registered format of ``/proc/sys/fs/binfmt_misc/<name>``.

    An entry matches files by extension or by magic bytes at an offset
    (``:name:type:offset:magic:mask:interpreter:flags`` as registered) and
    runs them with an interpreter.

    Attributes:
        enabled: whether the entry is in use (``enabled``/``disabled``).
        interpreter: the program that runs the matching files.
        flags: the flag letters as the kernel prints them (``"OCF"``; empty
            when none; see :data:`BINFMT_FLAGS`); ``P`` preserves
            ``argv[0]``, ``O`` passes an open descriptor of the binary,
            ``C`` takes credentials from the binary (implies ``O``), ``F``
            opens the interpreter at registration. Kernels before 2.6.11
            print no flags line (empty here too).
        extension: the file name extension matched, without its dot, for an
            extension entry; ``None`` for a magic entry.
        offset: where in the file the magic starts, in bytes; ``None`` for
            an extension entry.
        magic: the bytes matched (``None`` for an extension entry).
        mask: the bits of the file compared with ``magic`` (``None``: all).
        name: the entry's file name, when the caller gave it.
        extra: lines this parser does not know, kept as they are.
    """

    enabled: bool
    interpreter: str
    flags: str
    extension: str | None
    offset: int | None
    magic: bytes | None
    mask: bytes | None
    name: str = ""
    extra: tuple[str, ...] = ()

    @property
    def flag_names(self) -> tuple[str, ...]:
        """The flags spelled out (``("open_binary", "credentials", "fix_binary")``)."""
        return tuple(BINFMT_FLAGS.get(letter, letter) for letter in self.flags)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; ``magic`` and ``mask`` as hexadecimal text, as the kernel shows them."""
        out: dict[str, Any] = {}
        for field in self._fields:
            value = getattr(self, field)
            out[field] = value.hex() if isinstance(value, bytes) else to_plain(value)
        return out


def _hex(value: bytes, what: str) -> bytes:
    if len(value) % 2 or not _HEX.issuperset(value):
        raise ParseError(f"{what} is not hexadecimal", line=value)
    return bytes.fromhex(value.decode("ascii"))


def _binfmt_entry(data: bytes, name: str) -> BinfmtEntry:
    rows = data.split(b"\n")
    if rows and not rows[-1]:
        rows.pop()
    if not rows or rows[0] not in (b"enabled", b"disabled"):
        raise ParseError("the entry does not start with 'enabled' or 'disabled'", line=data[:80])
    enabled = rows[0] == b"enabled"
    interpreter: str | None = None
    flags = ""
    extension: str | None = None
    offset: int | None = None
    magic: bytes | None = None
    mask: bytes | None = None
    extra: list[str] = []
    for lineno, row in enumerate(rows[1:], 2):
        key, _, value = row.partition(b" ")
        if key == b"interpreter":
            interpreter = decode(value)
        elif key == b"flags:":
            flags = decode(value.strip())
        elif key == b"extension":
            if not value.startswith(b"."):
                raise ParseError("extension without its '.'", line=row, lineno=lineno)
            extension = decode(value[1:])
        elif key == b"offset":
            offset = _int(value, "offset")
        elif key == b"magic":
            magic = _hex(value, "magic")
        elif key == b"mask":
            mask = _hex(value, "mask")
        else:
            extra.append(decode(row))
    if interpreter is None:
        # a kernel without VERBOSE_STATUS prints only the first line; none does today
        if len(rows) > 1:
            raise ParseError("no interpreter line", line=data[:80])
        interpreter = ""
    if extension is None and len(rows) > 1 and magic is None:
        raise ParseError("neither an extension nor a magic", line=data[:80])
    if magic is not None and offset is None:
        raise ParseError("magic without offset", line=data[:80])
    if mask is not None and (magic is None or len(mask) != len(magic)):
        raise ParseError("mask and magic differ in length", line=data[:80])
    return BinfmtEntry(
        enabled, interpreter, flags, extension, offset, magic, mask, name, tuple(extra)
    )


def parse_binfmt_entry(data: bytes, name: str = "", path: str | None = None) -> BinfmtEntry:
    """Parse one entry of ``/proc/sys/fs/binfmt_misc/`` (see :class:`BinfmtEntry`).

    Not in the parser registry (entry names are arbitrary); like a
    registered parser it raises only :class:`~procfs.errors.ParseError`,
    whose ``path`` is ``path``.
    """
    where = path or f"sys/fs/binfmt_misc/{name or '<entry>'}"
    try:
        return _binfmt_entry(data, name)
    except ParseError as exc:
        if exc.path is None:
            exc.path = where
        raise
    except _ERRORS as exc:
        raise ParseError(f"unexpected content ({type(exc).__name__}: {exc})", where) from exc
