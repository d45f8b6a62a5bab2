"""``/proc/[pid]/stat`` and ``/proc/[pid]/task/[tid]/stat``: one line per task.

The line is ``pid (comm) state`` followed by numbers. ``comm`` is copied
unescaped by the kernel, so it may hold spaces, parentheses, newlines and
bytes that are not UTF-8; it is taken from the first ``(`` to the last ``)``
(no later field can contain ``)``). Kernels older than 3.5 print fewer
fields; those missing read as ``None``. Numbers after field 52 (none today)
are kept in ``Stat.extra``; lines after the stat line (which the kernel never
writes, but captured files sometimes hold) are ignored.

This parser is on the hot path of ``ps`` and ``top`` (one call per
process). For the usual line it checks, with one ``translate``, that the
numbers are digits, signs and single spaces, 49 of them, and a newline, and
keeps the text; the numbers are split at the first read of one of them (the
first 21, ``ppid`` through ``rss``, on their own, which is what ``ps`` and
``top`` read) and converted on each access. Any other line is parsed in full
at once. A line whose check passes but that holds an empty field (two
spaces) is read as the full parse reads it, which joins the blanks; if
fewer than 37 fields are left, reading a number raises
:class:`~procfs.errors.ParseError` (only damaged files do that).
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import fields_reader_of, parser
from procfs.core._record import Lazy, Record, compile_function, fields_getter
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from datetime import datetime
    from typing import Any

    from procfs.core.procstate import ProcState

__all__ = ["Stat", "fields_reader", "lifetime_cpu_percent", "parse_stat", "parse_task_stat"]

#: Fields 1..52 of the line; the first three are pid, comm and state.
_NFIELDS = 52
#: The fields every kernel since Linux 2.0 prints (through ``cnswap``, field 37).
_MIN_FIELDS = 37


#: The numbers after the state: fields 4..52.
_NUMBERS = _NFIELDS - 3
#: The fields every kernel prints after the state (through ``cnswap``).
_MIN_NUMBERS = _MIN_FIELDS - 3
#: The numbers split on their own at a first read: ``ppid`` through ``rss``.
_HEAD = 21
#: ``None`` padding for the fields an older kernel does not print, by count.
_PAD = tuple([None] * k for k in range(_NUMBERS - _MIN_NUMBERS + 1))
#: What is left of the numbers of a usual line once the digits and signs are deleted.
_SEPARATORS = b" " * (_NUMBERS - 1) + b"\n"
#: The bytes of the numbers besides the spaces and the newline.
_DIGITS = b"0123456789-"
#: The longest text after the comm the quick path takes: the state and 49
#: numbers of up to 40 digits and a sign (a 64-bit number has 20). A longer
#: number is read by the full parse, which converts it (or fails) at once.
_LONGEST = 3 + _NUMBERS * 42
#: What is left of a usual line after the comm without its numbers (`` S `` and the
#: separators) -> the state.
_SHAPES = {
    b" %c " % byte + _SEPARATORS: chr(byte)
    for byte in range(33, 127)
    if not chr(byte).isdigit() and byte != ord("-")
}
_ENCODING = _sys.getfilesystemencoding()
_ERRORS = _sys.getfilesystemencodeerrors()

# A Stat stores (pid, comm, state, text, numbers, extra, path): the 49 numbers
# are either a list of values (ints, or None for a field the kernel did not
# print) or, for a line parse_stat took in its quick path, an empty list and
# the text after the comm (" S 1 2 ...\n"), split at the first read of a number.
_TEXT, _LIST, _EXTRA, _PATH = 3, 4, 5, 6


def _numbers(tokens: list[bytes], path: str | None, line: bytes) -> list[int | None]:
    """The 49 number fields from the tokens after the state (padded with None)."""
    if len(tokens) < _MIN_NUMBERS:
        raise ParseError(
            f"expected at least {_MIN_FIELDS} fields, found {len(tokens) + 3}", path, line[:200]
        )
    values: list[int | None] = [int(token) for token in tokens[:_NUMBERS]]
    return values + _PAD[max(0, _NUMBERS - len(values))]


def _split(stored: tuple[Any, ...]) -> list[Any]:
    """Split all the numbers of a quick-path record (later reads find the list filled)."""
    text: bytes = stored[_TEXT]
    numbers: list[Any] = text.split()
    del numbers[0]  # the state
    if len(numbers) != _NUMBERS:
        # An empty field (two spaces) escaped the quick check: read the line as
        # the full parse does, which joins the blanks.
        numbers = _numbers(numbers, stored[_PATH], text)
    stored[_LIST][:] = numbers
    return numbers


def _split_head(stored: tuple[Any, ...]) -> list[Any]:
    """Split only the first :data:`_HEAD` numbers, which most readers want (ps, top)."""
    text: bytes = stored[_TEXT]
    parts = text.split(None, _HEAD + 1)
    # The rest holds the spaces of the others, unless a blank (two spaces)
    # in the head moved a field; then everything is split as _split does.
    if parts[-1].count(b" ") != _NUMBERS - 1 - _HEAD:
        return _split(stored)
    del parts[0]  # the state
    stored[_LIST][:] = parts
    return parts


def _number_field(index: int) -> Callable[[Stat], Any]:
    """The getter of number ``index`` (0 is ``ppid``), split from the text at a first read."""
    if index < _HEAD:

        def get(self: Stat) -> Any:
            stored = self._values
            value = (stored[_LIST] or _split_head(stored))[index]
            return int(value) if value.__class__ is bytes else value

    else:

        def get(self: Stat) -> Any:
            stored = self._values
            numbers = stored[_LIST]
            if len(numbers) != _NUMBERS:
                numbers = _split(stored)
            value = numbers[index]
            return int(value) if value.__class__ is bytes else value

    return get


def _extra(self: Stat) -> tuple[int, ...]:
    return self._values[_EXTRA]  # type: ignore[no-any-return]


def _getter(name: str, index: int) -> Callable[[Stat], Any] | None:
    """The getter of field ``name`` (``pid``, ``comm`` and ``state`` are stored as they are)."""
    if name == "extra":
        return _extra
    return _number_field(index - 3) if index >= 3 else None


def _stored(values: Iterable[Any]) -> tuple[Any, ...]:
    """What a Stat stores for its field values (a full line's values: no text)."""
    fields = tuple(values)
    return (*fields[:3], None, list(fields[3:-1]), fields[-1], None)


class Stat(Record):
    """One task's status line from ``/proc/[pid]/stat`` (what ``ps`` shows).

    Times are in clock ticks (divide by ``ticks_per_second()``, the
    ``SC_CLK_TCK`` sysconf value); the fields marked [PT] read as 0 unless the
    reader may ptrace the task.

    Attributes:
        pid: The process ID (the thread ID for ``task/[tid]/stat``).
        comm: The command name (executable file name, at most 15 bytes; 63
            for workqueue kernel threads), decoded with ``os.fsdecode``.
        state: The state letter (``R``, ``S``, ``D``, ``Z``, ``T``, ``t``,
            ``X``, ``I``, …); see :attr:`proc_state`.
        ppid: The parent's process ID.
        pgrp: The process group ID.
        session: The session ID.
        tty_nr: The controlling terminal as an encoded device number (0 if
            none); see :attr:`tty`.
        tpgid: The foreground process group of the controlling terminal (-1 if
            none).
        flags: The kernel's ``PF_*`` flags word for the task.
        minflt: Minor page faults (served without disk I/O), count.
        cminflt: Minor faults of the waited-for children, count.
        majflt: Major page faults (that loaded a page from disk), count.
        cmajflt: Major faults of the waited-for children, count.
        utime: Time scheduled in user mode (includes guest_time), ticks.
        stime: Time scheduled in kernel mode, ticks.
        cutime: User time of the waited-for children (includes cguest_time),
            ticks (signed).
        cstime: Kernel time of the waited-for children, ticks (signed).
        priority: For real-time policies the negated priority minus one (-2 to
            -100); otherwise the kernel's nice value 0..39 (signed).
        nice: The nice value, -20 (high priority) to 19 (low).
        num_threads: Number of threads in the process.
        itrealvalue: Jiffies before the next ``SIGALRM`` from an interval
            timer; always 0 since Linux 2.6.17.
        starttime: When the process started, in ticks after system boot; see
            :meth:`starttime_datetime`.
        vsize: Virtual memory size, bytes.
        rss: Resident set size, in pages (see :meth:`rss_bytes`).
        rsslim: Soft limit on the resident set size, bytes
            (18446744073709551615 when unlimited).
        startcode: Address above which program text can run [PT].
        endcode: Address below which program text can run [PT].
        startstack: Address of the start (bottom) of the stack [PT].
        kstkesp: The saved stack pointer (ESP) [PT].
        kstkeip: The saved instruction pointer (EIP) [PT].
        signal: Pending signals bitmap (first 31 signals only; obsolete, see
            ``status``).
        blocked: Blocked signals bitmap (obsolete, as ``signal``).
        sigignore: Ignored signals bitmap (obsolete, as ``signal``).
        sigcatch: Caught signals bitmap (obsolete, as ``signal``).
        wchan: The kernel address where the task sleeps (0 or 1 on recent
            kernels; see ``/proc/[pid]/wchan``) [PT].
        nswap: Pages swapped; not maintained (0).
        cnswap: ``nswap`` of the children; not maintained (0).
        exit_signal: Signal sent to the parent when the task dies (since Linux
            2.1.22; -1 for threads).
        processor: The CPU the task last ran on (since Linux 2.2.8).
        rt_priority: Real-time priority, 1..99, or 0 for normal policies (since
            Linux 2.5.19).
        policy: Scheduling policy, a ``SCHED_*`` number (since Linux 2.5.19).
        delayacct_blkio_ticks: Aggregated block I/O delays, ticks (since Linux
            2.6.18).
        guest_time: Time spent running a virtual CPU for a guest, ticks (since
            Linux 2.6.24).
        cguest_time: ``guest_time`` of the children, ticks (since Linux 2.6.24).
        start_data: Address above which initialized and BSS data are placed
            (since Linux 3.3) [PT].
        end_data: Address below which initialized and BSS data are placed
            (since Linux 3.3) [PT].
        start_brk: Address above which the heap can grow with brk(2) (since
            Linux 3.3) [PT].
        arg_start: Address above which the command-line arguments are placed
            (since Linux 3.5) [PT].
        arg_end: Address below which the command-line arguments are placed
            (since Linux 3.5) [PT].
        env_start: Address above which the environment is placed (since Linux
            3.5) [PT].
        env_end: Address below which the environment is placed (since Linux
            3.5) [PT].
        exit_code: The exit status in waitpid(2) form (since Linux 3.5) [PT].
        extra: Numbers after field 52, which a future kernel may add (empty
            today), kept rather than dropped.
    """

    pid: int
    comm: str
    state: str
    ppid: int
    pgrp: int
    session: int
    tty_nr: int
    tpgid: int
    flags: int
    minflt: int
    cminflt: int
    majflt: int
    cmajflt: int
    utime: int
    stime: int
    cutime: int
    cstime: int
    priority: int
    nice: int
    num_threads: int
    itrealvalue: int
    starttime: int
    vsize: int
    rss: int
    rsslim: int
    startcode: int
    endcode: int
    startstack: int
    kstkesp: int
    kstkeip: int
    signal: int
    blocked: int
    sigignore: int
    sigcatch: int
    wchan: int
    nswap: int
    cnswap: int
    exit_signal: int | None = None
    processor: int | None = None
    rt_priority: int | None = None
    policy: int | None = None
    delayacct_blkio_ticks: int | None = None
    guest_time: int | None = None
    cguest_time: int | None = None
    start_data: int | None = None
    end_data: int | None = None
    start_brk: int | None = None
    arg_start: int | None = None
    arg_end: int | None = None
    env_start: int | None = None
    env_end: int | None = None
    exit_code: int | None = None
    extra: tuple[int, ...] = ()

    __lazy__ = Lazy(getter=_getter, make=_stored)

    @classmethod
    def fields_getter(cls, names: Sequence[str]) -> Callable[[Stat], tuple[Any, ...]]:
        """:meth:`Record.fields_getter` for Stat: a quick-path line is split once, up to
        the last number asked for, and only the numbers asked for are converted."""
        return _fields_getter(names)

    @property
    def proc_state(self) -> ProcState:
        """The :attr:`state` letter as a :class:`~procfs.core.procstate.ProcState`.

        Raises :class:`~procfs.errors.ParseError` for a letter it does not know.
        """
        from procfs.core.procstate import ProcState

        return ProcState(self.state)

    @property
    def tty_major(self) -> int:
        """Major device number of the controlling terminal (0 if none)."""
        return (self.tty_nr >> 8) & 0xFFF

    @property
    def tty_minor(self) -> int:
        """Minor device number of the controlling terminal."""
        tty = self.tty_nr & 0xFFFFFFFF
        return (tty & 0xFF) | ((tty >> 12) & 0xFFF00)

    @property
    def tty(self) -> tuple[int, int]:
        """``(major, minor)`` of the controlling terminal; ``(0, 0)`` if none."""
        return self.tty_major, self.tty_minor

    def rss_bytes(self, page_size: int) -> int:
        """The resident set size in bytes, given the page size (``procfs.page_size()``)."""
        return self.rss * page_size

    def starttime_datetime(self, boot_time_secs: float, ticks_per_second: int) -> datetime:
        """When the process started, as an aware UTC datetime.

        ``boot_time_secs`` is the ``btime`` of ``/proc/stat`` (seconds since
        the epoch, ``procfs.boot_time_secs()``) and ``ticks_per_second`` the
        clock tick rate (``procfs.ticks_per_second()``).
        """
        from datetime import datetime, timedelta, timezone

        if ticks_per_second <= 0:
            raise ValueError("ticks_per_second must be positive")
        micros = self.starttime * 1_000_000 // ticks_per_second
        boot = datetime.fromtimestamp(boot_time_secs, timezone.utc)
        return boot + timedelta(microseconds=micros)


#: Field name -> its place: 0 pid, 1 comm, 2 state, 3 + k the k-th number.
_PLACES = {name: place for place, name in enumerate(Stat._fields[:-1])}


def _fields_getter(names: Sequence[str]) -> Callable[[Stat], tuple[Any, ...]]:
    """:meth:`Stat.fields_getter`, compiled for the fields (as ``namedtuple`` compiles its
    constructor): ``("tty_nr", "comm")`` reads ``(int(p[6]), v[1])`` of the split text
    ``p`` and the stored tuple ``v``."""
    generic = fields_getter(names)
    if not names or not set(names) <= _PLACES.keys():
        return generic
    places = [_PLACES[name] for name in names]
    last = max(places)
    if last < 3:
        return generic
    # The text is " S n0 n1 ...\n": split on spaces, number k is part k + 2.
    values = ", ".join(f"v[{place}]" if place < 3 else f"int(p[{place - 1}])" for place in places)
    # (an empty field, two spaces or one before the newline: read as the full parse does)
    source = (
        "def get(r):\n"
        "    v = r._values\n"
        "    t = v[3]\n"
        "    if t is None or t.find(b'  ') >= 0 or t[-2] == 32:\n"
        "        return generic(r)\n"
        f"    p = t.split(b' ', {last})\n"
        f"    return ({values},)\n"
    )
    return compile_function(source, {"generic": generic}, "get")  # type: ignore[no-any-return]


def _usual_state(tail: bytes) -> str | None:
    """The state letter if ``tail`` (what follows the comm) is the usual line, else None.

    The usual line (Linux 3.5 onward) is " S", 49 numbers, one newline at the
    end, checked with one ``translate``; each '-' must be a sign: after a
    space and before a digit.
    """
    if len(tail) > _LONGEST:
        return None
    state = _SHAPES.get(tail.translate(None, _DIGITS))
    # The shape holds no digits: check that none is glued to the state (" S "
    # starts the text) and that the newline is last.
    if state is None or tail[0] != 32 or tail[2] != 32 or tail[-1] != 10:
        return None
    minus = tail.find(b"-")
    while minus >= 0:
        if tail[minus - 1] != 32 or not 48 <= tail[minus + 1] <= 57:
            return None
        minus = tail.find(b"-", minus + 1)
    return state


@parser(
    "[pid]/stat",
    "[pid]/task/[tid]/stat",
    takes_path=True,
    read="single",
    record=Stat,
    since="2.6 (fields up to 3.5)",
)
def parse_stat(data: bytes, path: str) -> Stat:
    """Parse ``/proc/[pid]/stat`` (also ``task/[tid]/stat``) into a :class:`Stat`."""
    head, found, tail = data.rpartition(b")")
    pid, found_open, comm = head.partition(b"(")
    state = _usual_state(tail) if found_open else None
    if state is not None:
        # comm is decoded as os.fsdecode does, without its two extra calls.
        return _from_stored((int(pid), comm.decode(_ENCODING, _ERRORS), state, tail, [], (), path))
    if not found or not found_open:
        raise ParseError("no '(comm)' in the stat line", line=data[:200])
    rest = tail.split()
    line_end = tail.find(b"\n")
    if line_end >= 0 and tail[line_end:].strip():
        # The kernel writes one line; a captured file may have more after it
        # (prometheus's fixture 584/stat does). The fields end with the line.
        rest = tail[:line_end].split()
    if not rest:
        raise ParseError(f"expected at least {_MIN_FIELDS} fields, found 2", line=data[:200])
    state = rest[0].decode()
    if len(state) != 1:
        raise ParseError("the state is not one letter", line=rest[0])
    numbers_list = _numbers(rest[1:], path, data)
    extra = tuple(int(token) for token in rest[1 + _NUMBERS :])
    return _from_stored(
        (int(pid), comm.decode(_ENCODING, _ERRORS), state, None, numbers_list, extra, path)
    )


_from_stored = Stat._from_stored

#: The same parser, under the name of the per-thread file it also reads.
parse_task_stat = parse_stat


@fields_reader_of(parse_stat)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the fields ``names`` of a stat file's bytes, as a tuple.

    What :func:`procfs.scan.scan_fields` uses: the values of
    ``parse_stat(data, path)``'s attributes (and its errors). The usual line
    is checked as the parser checks it, split once up to the last number asked
    for, and only the numbers asked for are converted; no record is made.
    The function is compiled for the fields, as :meth:`Stat.fields_getter`'s.

    From its second pass over the processes on (a scan calls its ``new_pass()``
    first), it keeps the last line it read of each path, with its values (of
    :data:`_LINES_KEPT` paths at most): a line found unchanged is not read again. A
    monitor's next pass finds most lines unchanged (a process that did not run
    since has the very same line), and comparing one costs a tenth of reading it.
    A program that reads every process once (``ps``) keeps nothing: the memory
    (about 0.6 MB for 1000 processes) would never be used.
    """
    get = Stat.fields_getter(names)
    parse = parse_stat.__wrapped__  # type: ignore[attr-defined]
    if not names or not set(names) <= _PLACES.keys():
        return lambda data, path: get(parse(data, path))
    places = [_PLACES[name] for name in names]
    heads = ("number", "comm.decode(encoding, errors)", "state")
    values = ", ".join(heads[place] if place < 3 else f"int(p[{place - 1}])" for place in places)
    source = (
        "def read(data, path):\n"
        "    last = seen.get(path)\n"
        "    if last is not None and last[0] == data:\n"
        "        return last[1]\n"
        "    h, _, t = data.rpartition(b')')\n"
        "    pid, found_open, comm = h.partition(b'(')\n"
        "    state = usual(t) if found_open else None\n"
        "    if state is None or t.find(b'  ') >= 0 or t[-2] == 32:\n"
        "        return get(parse(data, path))\n"
        "    number = int(pid)\n"  # (converted even if not asked for: the parser checks it)
        f"    p = t.split(b' ', {max(places)})\n"
        f"    found = ({values},)\n"
        "    if keeping[0]:\n"
        "        if len(seen) >= kept:\n"
        "            seen.clear()\n"
        "        seen[path] = (data, found)\n"
        "    return found\n"
    )
    passes = [0]
    keeping = [False]

    def new_pass() -> None:
        passes[0] += 1
        keeping[0] = passes[0] >= 2

    env: dict[str, Any] = {
        "get": get,
        "parse": parse,
        "usual": _usual_state,
        "encoding": _ENCODING,
        "errors": _ERRORS,
        "seen": {},
        "kept": _LINES_KEPT,
        "keeping": keeping,
    }
    read = compile_function(source, env, "read")
    read.new_pass = new_pass
    return read  # type: ignore[no-any-return]


#: The most paths a fields reader keeps the last line of (it forgets them all beyond).
_LINES_KEPT = 1 << 13


def lifetime_cpu_percent(cpu_ticks: int, start_ticks: int, uptime_ticks: int) -> float:
    """Share of one CPU a process used over its whole life, in percent, to 0.1.

    ``cpu_ticks`` is its user + system time (``utime + stime``),
    ``start_ticks`` its start (``starttime``) and ``uptime_ticks`` the time
    since boot (``/proc/uptime`` times the clock tick), all in clock ticks.
    This is procps ``ps``'s ``%CPU``: not a recent rate, as ``top`` shows,
    but the CPU time over the time since the process started, rounded down to
    a tenth of a percent; 0 for a process that started in this tick.
    """
    elapsed = uptime_ticks - start_ticks
    if elapsed <= 0:
        return 0.0
    return (cpu_ticks * 1000 // elapsed) / 10
