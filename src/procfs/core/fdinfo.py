"""``/proc/[pid]/fdinfo/[fd]``: the state of one open file descriptor.

Every file starts with the same lines (see proc_pid_fdinfo(5))::

    pos:    0
    flags:  02004002
    mnt_id: 13
    ino:    1038

``flags`` is octal (the ``O_*`` open flags, with ``O_CLOEXEC`` for the
close-on-exec descriptor flag); ``mnt_id`` appeared in Linux 3.15, ``ino``
in 5.14. Some kinds of files add lines of their own, parsed here:

* eventfd: ``eventfd-count:  1a`` (the counter, in hex), ``eventfd-id: 1``
  and ``eventfd-semaphore: 0`` (Linux 6.x);
* epoll: one line per watched descriptor,
  ``tfd: 5 events: 19 data: 5  pos:0 ino:34ea7 sdev:f`` (``events`` and
  ``data`` hex; ``pos``, ``ino`` and ``sdev`` since Linux 3.8, hex but pos);
* inotify: one line per watch,
  ``inotify wd:1 ino:3f7e8 sdev:fe00000 mask:100 ignored_mask:0
  fhandle-bytes:8 fhandle-type:1 f_handle:e8f7030000000000`` (all hex; the
  file handle only where the filesystem can export one);
* signalfd: ``sigmask: 0000000000000201`` (hex bit mask, bit N-1 for signal N);
* timerfd: ``clockid: 1``, ``ticks: 0``, ``settime flags: 00`` (octal),
  ``it_value: (99, 999735201)``, ``it_interval: (2, 500)``
  (seconds, nanoseconds).

Every other line (fanotify marks, file locks, a pidfd's ``Pid:``, DRM
statistics, ...) is kept as text in :attr:`FdInfo.extra`. ``sdev`` values
are the kernel's internal device numbers (``major << 20 | minor``).
"""

from __future__ import annotations

import os as _os

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = [
    "EpollTarget",
    "EventFdInfo",
    "FdInfo",
    "InotifyWatch",
    "TimerFdInfo",
    "parse_fdinfo",
    "position_and_flags",
]


class EventFdInfo(Record):
    """The extra lines of an eventfd.

    Attributes:
        count: The counter's current value.
        id: The eventfd's number in the kernel (``eventfd-id``, Linux 5.x).
        semaphore: Whether it was created with ``EFD_SEMAPHORE`` (Linux 6.x).
    """

    count: int
    id: int | None = None
    semaphore: bool | None = None


class EpollTarget(Record):
    """One descriptor watched by an epoll instance (a ``tfd:`` line).

    Attributes:
        tfd: The watched descriptor's number (in the process that added it).
        events: The event mask asked for (``EPOLLIN`` 0x1, ``EPOLLOUT``
            0x4, ...; the kernel adds ``EPOLLERR | EPOLLHUP``).
        data: The user data registered with it (``epoll_data``).
        pos: The watched file's position (Linux 3.8), else ``None``.
        ino: The watched file's inode number (Linux 3.8), else ``None``.
        sdev: The watched file's device, kernel encoding (Linux 3.8), else ``None``.
    """

    tfd: int
    events: int
    data: int
    pos: int | None = None
    ino: int | None = None
    sdev: int | None = None


class InotifyWatch(Record):
    """One watch of an inotify instance (an ``inotify`` line).

    Attributes:
        wd: The watch descriptor.
        ino: The inode number of the watched file.
        sdev: The device of the watched file, kernel encoding.
        mask: The events watched (``IN_*`` mask).
        ignored_mask: The events ignored.
        fhandle_bytes: Length of the file handle, when shown.
        fhandle_type: Type of the file handle, when shown.
        f_handle: The file handle, in hex, when shown.
    """

    wd: int
    ino: int
    sdev: int
    mask: int
    ignored_mask: int
    fhandle_bytes: int | None = None
    fhandle_type: int | None = None
    f_handle: str | None = None


class TimerFdInfo(Record):
    """The extra lines of a timerfd.

    Attributes:
        clockid: The clock the timer counts on (0 ``CLOCK_REALTIME``, 1
            ``CLOCK_MONOTONIC``, 7 ``CLOCK_BOOTTIME``, ...).
        ticks: Expirations not yet read.
        settime_flags: The flags of the last ``timerfd_settime``
            (1 ``TFD_TIMER_ABSTIME``, 2 ``TFD_TIMER_CANCEL_ON_SET``).
        it_value: Time until the next expiration, ``(seconds, nanoseconds)``.
        it_interval: The period, ``(seconds, nanoseconds)``; ``(0, 0)`` for a
            one-shot timer.
    """

    clockid: int
    ticks: int
    settime_flags: int
    it_value: tuple[int, int]
    it_interval: tuple[int, int]


class FdInfo(Record):
    """One ``/proc/[pid]/fdinfo/[fd]`` file.

    Attributes:
        pos: The file offset, bytes.
        flags: The open flags (``O_ACCMODE`` bits, ``O_APPEND``,
            ``O_NONBLOCK``, ... and ``O_CLOEXEC``), as a number.
        mnt_id: The id of the mount the file is on (as in ``mountinfo``);
            ``None`` before Linux 3.15.
        ino: The file's inode number; ``None`` before Linux 5.14.
        eventfd: The eventfd lines, for an eventfd.
        epoll: The watched descriptors, for an epoll instance (else empty).
        inotify: The watches, for an inotify instance (else empty).
        sigmask: The signals accepted, for a signalfd (bit N-1 for signal N).
        timerfd: The timer's state, for a timerfd.
        extra: The lines of any other kind, as text.
    """

    pos: int
    flags: int
    mnt_id: int | None
    ino: int | None
    eventfd: EventFdInfo | None
    epoll: list[EpollTarget]
    inotify: list[InotifyWatch]
    sigmask: int | None
    timerfd: TimerFdInfo | None
    extra: list[str]

    @property
    def access_mode(self) -> str:
        """``"r"``, ``"w"`` or ``"rw"``, from the ``O_ACCMODE`` bits of :attr:`flags`."""
        mode = self.flags & 3
        return "r" if mode == 0 else "w" if mode == 1 else "rw"

    @property
    def append(self) -> bool:
        """Whether the file is open with ``O_APPEND``."""
        return bool(self.flags & _os.O_APPEND)

    @property
    def nonblock(self) -> bool:
        """Whether the file is open with ``O_NONBLOCK``."""
        return bool(self.flags & _os.O_NONBLOCK)

    @property
    def cloexec(self) -> bool:
        """Whether the descriptor closes on ``exec`` (``O_CLOEXEC``)."""
        return bool(self.flags & _os.O_CLOEXEC)

    @property
    def kind(self) -> str | None:
        """``"eventfd"``, ``"epoll"``, ``"inotify"``, ``"signalfd"`` or ``"timerfd"``
        when the extra lines tell; else ``None`` (an epoll or inotify
        instance watching nothing shows no extra line)."""
        if self.eventfd is not None:
            return "eventfd"
        if self.epoll:
            return "epoll"
        if self.inotify:
            return "inotify"
        if self.sigmask is not None:
            return "signalfd"
        if self.timerfd is not None:
            return "timerfd"
        return None


def _pairs(tokens: list[bytes]) -> dict[bytes, bytes]:
    """``key:value`` and ``key: value`` tokens of one line as a mapping."""
    out: dict[bytes, bytes] = {}
    index = 0
    count = len(tokens)
    while index < count:
        token = tokens[index]
        key, colon, value = token.partition(b":")
        if not colon:
            raise ValueError(f"no ':' in {token!r}")
        if not value:
            index += 1
            if index == count:
                raise ValueError(f"no value after {token!r}")
            value = tokens[index]
        out[key] = value
        index += 1
    return out


def _epoll(line: bytes) -> EpollTarget:
    pairs = _pairs(line.split())
    pos = pairs.get(b"pos")
    ino = pairs.get(b"ino")
    sdev = pairs.get(b"sdev")
    return EpollTarget(
        int(pairs[b"tfd"]),
        int(pairs[b"events"], 16),
        int(pairs[b"data"], 16),
        int(pos) if pos is not None else None,
        int(ino, 16) if ino is not None else None,
        int(sdev, 16) if sdev is not None else None,
    )


def _inotify(line: bytes) -> InotifyWatch:
    pairs = _pairs(line.split()[1:])
    fh_bytes = pairs.get(b"fhandle-bytes")
    fh_type = pairs.get(b"fhandle-type")
    handle = pairs.get(b"f_handle")
    return InotifyWatch(
        int(pairs[b"wd"], 16),
        int(pairs[b"ino"], 16),
        int(pairs[b"sdev"], 16),
        int(pairs[b"mask"], 16),
        int(pairs[b"ignored_mask"], 16),
        int(fh_bytes, 16) if fh_bytes is not None else None,
        int(fh_type, 16) if fh_type is not None else None,
        decode(handle) if handle is not None else None,
    )


def _timespec(value: bytes) -> tuple[int, int]:
    inner = value.strip()
    if not (inner.startswith(b"(") and inner.endswith(b")")):
        raise ValueError(f"expected '(seconds, nanoseconds)', found {value!r}")
    seconds, comma, nanos = inner[1:-1].partition(b",")
    if not comma:
        raise ValueError(f"expected '(seconds, nanoseconds)', found {value!r}")
    return int(seconds), int(nanos)


_EVENTFD_KEYS = (b"eventfd-count", b"eventfd-id", b"eventfd-semaphore")
_TIMERFD_KEYS = (b"clockid", b"ticks", b"settime flags", b"it_value", b"it_interval")


def _usual(data: bytes) -> tuple[int, int, int, int] | None:
    """pos, flags, mnt_id and ino of the usual file of a regular file (Linux 5.14 on):
    the four common lines alone, read at once (a third of the loop's time); None for
    any other file (the loop reads it, or says what is wrong)."""
    found = data.split(b"\n")
    if len(found) != 5 or found[4]:
        return None
    line_pos, line_flags, line_mnt, line_ino, _ = found
    if (
        line_pos[:4] != b"pos:"
        or line_flags[:6] != b"flags:"
        or line_mnt[:7] != b"mnt_id:"
        or line_ino[:4] != b"ino:"
    ):
        return None
    try:
        return (
            int(line_pos[4:]),
            int(line_flags[6:], 8),
            int(line_mnt[7:]),
            int(line_ino[4:]),
        )
    except ValueError:
        return None


def position_and_flags(data: bytes, path: str | None = None) -> tuple[int, int]:
    """``(pos, flags)`` of an fdinfo file, as :func:`parse_fdinfo` reads them (and its
    errors, ``path`` in them), without a record for the usual file of a regular file:
    what ``open_files`` asks of each."""
    numbers = _usual(data)
    if numbers is not None:
        return numbers[0], numbers[1]
    info = parse_fdinfo(data, path)
    return info.pos, info.flags


# One record (single_open since 3.8; one buffer copied out before): the first short read
# is all of it.
@parser(
    "[pid]/fdinfo/[fd]",
    "[pid]/task/[tid]/fdinfo/[fd]",
    read="single",
    since="2.6.22 (mnt_id 3.15, ino 5.14)",
)
def parse_fdinfo(data: bytes) -> FdInfo:
    """Parse one ``/proc/[pid]/fdinfo/[fd]`` file (see the module notes)."""
    numbers = _usual(data)
    if numbers is not None:
        return FdInfo(*numbers, None, [], [], None, None, [])
    pos: int | None = None
    flags: int | None = None
    mnt_id: int | None = None
    ino: int | None = None
    epoll: list[EpollTarget] = []
    inotify: list[InotifyWatch] = []
    sigmask: int | None = None
    eventfd: dict[bytes, bytes] = {}
    timerfd: dict[bytes, bytes] = {}
    extra: list[str] = []
    for lineno, line in enumerate(lines(data), 1):
        try:
            if line.startswith(b"tfd:"):
                epoll.append(_epoll(line))
                continue
            if line.startswith(b"inotify "):
                inotify.append(_inotify(line))
                continue
            key, colon, value = line.partition(b":")
            value = value.strip()
            if not colon:
                if line.strip():
                    extra.append(decode(line))
                continue
            if key == b"pos":
                pos = int(value)
            elif key == b"flags":
                flags = int(value, 8)
            elif key == b"mnt_id":
                mnt_id = int(value)
            elif key == b"ino":
                ino = int(value)
            elif key == b"sigmask":
                sigmask = int(value, 16)
            elif key in _EVENTFD_KEYS:
                eventfd[key[8:]] = value
            elif key in _TIMERFD_KEYS:
                timerfd[key] = value
            else:
                extra.append(decode(line))
        except (ValueError, KeyError) as exc:
            raise ParseError(f"malformed fdinfo line ({exc})", line=line, lineno=lineno) from None
    if pos is None or flags is None:
        raise ParseError("missing 'pos' or 'flags' line", line=data[:200])
    eventfd_info: EventFdInfo | None = None
    if eventfd:
        if b"count" not in eventfd:
            raise ParseError("eventfd lines without 'eventfd-count'", line=data[:200])
        ident = eventfd.get(b"id")
        semaphore = eventfd.get(b"semaphore")
        eventfd_info = EventFdInfo(
            int(eventfd[b"count"], 16),
            int(ident) if ident is not None else None,
            bool(int(semaphore)) if semaphore is not None else None,
        )
    timerfd_info: TimerFdInfo | None = None
    if timerfd:
        if len(timerfd) != len(_TIMERFD_KEYS):
            raise ParseError("incomplete timerfd lines", line=data[:200])
        timerfd_info = TimerFdInfo(
            int(timerfd[b"clockid"]),
            int(timerfd[b"ticks"]),
            int(timerfd[b"settime flags"], 8),
            _timespec(timerfd[b"it_value"]),
            _timespec(timerfd[b"it_interval"]),
        )
    return FdInfo(
        pos, flags, mnt_id, ino, eventfd_info, epoll, inotify, sigmask, timerfd_info, extra
    )
