"""``/proc/[pid]/fd/N``: what an open file descriptor refers to.

The input is the target of the ``fd/N`` symbolic link (``readlink``), which
the kernel writes as one of::

    /path/to/file                  a file or directory (" (deleted)" once unlinked)
    socket:[12345]                 a socket, by inode number
    pipe:[12345]                   a pipe or FIFO, by inode number
    net:[4026531840]               a network namespace, by inode number
    anon_inode:[eventfd]           an anonymous inode: eventfd, eventpoll, timerfd,
    anon_inode:inotify             signalfd, pidfd, io_uring, bpf-map, ...
    /memfd:NAME (deleted)          a memfd_create(2) file
    TYPE:[12345] or TYPE:anything  any other pseudo file (e.g. onload:[udp:1:2032])
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Descriptor", "Fd", "FdTarget", "file_path", "parse_fd_count", "parse_fd_target"]

_INODE_KINDS = {"socket", "net", "pipe"}


class FdTarget(Record):
    """What a file descriptor refers to, from the target of ``/proc/[pid]/fd/N``.

    Attributes:
        kind: ``"path"`` (a file, directory or device), ``"socket"``,
            ``"net"`` (a network namespace), ``"pipe"``, ``"anon_inode"``,
            ``"memfd"`` or ``"other"`` (any other ``TYPE:...`` target).
        raw: The link target exactly as read (decoded with ``os.fsdecode``).
        path: The path of a ``"path"`` target, without a ``" (deleted)"``
            suffix; ``None`` for the other kinds. Usually absolute; a captured
            tree may hold relative targets, which are kept as they are.
        inode: The inode number of a ``"socket"``, ``"net"`` or ``"pipe"``
            target, or of an ``"other"`` target written ``TYPE:[inode]``;
            else ``None``.
        name: For ``"anon_inode"`` the kind of anonymous inode as written
            (``"[eventfd]"``, ``"[eventpoll]"``, ``"inotify"``); for
            ``"memfd"`` the name given to ``memfd_create(2)``; for
            ``"other"`` the type before the first colon (``"onload"``).
            ``None`` otherwise.
        deleted: True when the file was unlinked (the kernel appended
            ``" (deleted)"``). Always true for a memfd.
    """

    kind: str
    raw: str
    path: str | None = None
    inode: int | None = None
    name: str | None = None
    deleted: bool = False

    @property
    def socket_inode(self) -> int | None:
        """The inode of a socket target (what ``/proc/net/tcp`` lists), else ``None``."""
        return self.inode if self.kind == "socket" else None

    @property
    def pipe_inode(self) -> int | None:
        """The inode of a pipe target, else ``None``."""
        return self.inode if self.kind == "pipe" else None

    @property
    def rest(self) -> str:
        """The text after ``TYPE:`` (the whole target when there is no type)."""
        if self.kind == "path":
            return self.raw
        return self.raw.partition(":")[2]

    def __str__(self) -> str:
        return self.raw


class Fd(Record):
    """One open file descriptor of a process.

    Attributes:
        fd: The descriptor number.
        target: What it refers to, see :class:`FdTarget`.
    """

    fd: int
    target: FdTarget

    @property
    def kind(self) -> str:
        """The kind of target (``target.kind``)."""
        return self.target.kind

    @property
    def path(self) -> str | None:
        """The file path, for a descriptor of a file (``target.path``)."""
        return self.target.path


class Descriptor(Record):
    """An open file descriptor with what ``stat`` and ``fdinfo`` say of it (a row of ``lsof``).

    Attributes:
        fd: The descriptor number.
        target: What it refers to, see :class:`FdTarget`.
        mode: ``st_mode`` of the open file (type and permission bits; 0 for an
            anonymous inode), or ``None`` if it was closed before ``stat``.
        device: ``st_dev``: the device of the file system holding it.
        inode: ``st_ino``: its inode number.
        size: ``st_size``, bytes (the file's length, for a regular file).
        rdev: ``st_rdev``: the device a device file stands for (else 0).
        position: The file offset, bytes (``pos`` of ``fdinfo``), or ``None``.
        flags: The open flags (``flags`` of ``fdinfo``: ``O_ACCMODE`` bits,
            ``O_APPEND``, ``O_CLOEXEC``...), or ``None``.
    """

    fd: int
    target: FdTarget
    mode: int | None
    device: int | None
    inode: int | None
    size: int | None
    rdev: int | None
    position: int | None
    flags: int | None


def _bracketed_inode(rest: str) -> int | None:
    if len(rest) > 2 and rest[0] == "[" and rest[-1] == "]":
        digits = rest[1:-1]
        if digits.isdigit() and digits.isascii():
            return int(digits)
    return None


@parser("[pid]/fd", read="single", since="2.6", register=False)
def parse_fd_count(data: bytes) -> int:
    """The number of open descriptors of a process, as a scan reads its ``fd`` directory.

    ``fd`` is a directory, not a file (so this parser is not in the
    registry of files): a scan (``scan_fields(["fd"])``) counts its entries
    (on Linux 6.2 and later its size is that count) and hands the number
    here in decimal.
    """
    value = data.strip()
    if not value.isdigit():
        raise ParseError("a descriptor count is not a number", line=data[:200])
    return int(value)


def _without_deleted(raw: str) -> tuple[str, bool]:
    """A path target without the kernel's ``" (deleted)"`` suffix, and whether it had it."""
    if raw.endswith(" (deleted)"):
        return raw[:-10], True
    return raw, False


def file_path(target: str) -> tuple[str, bool] | None:
    """``(path, deleted)`` of a link target that names a file by its path (as
    :func:`parse_fd_target` gives it for a ``"path"`` target starting with ``/``), from
    the target as ``os.readlink`` gives it; None for any other target (a memfd, a
    socket...). What ``open_files`` asks of each descriptor, without a record."""
    if target[:1] != "/":
        return None
    found = _without_deleted(target)
    return None if found[0].startswith("/memfd:") else found


@parser("[pid]/fd/[fd]", since="2.6")
def parse_fd_target(link: bytes) -> FdTarget:
    """Classify the target of a ``/proc/[pid]/fd/N`` link (its bytes, as ``readlink`` gives).

    Any non-empty target is accepted; one that fits no known form is an
    ``"other"`` target (or a ``"path"`` target when it has no ``TYPE:``
    prefix). Only an empty target is a ParseError.
    """
    if not link:
        raise ParseError("empty link target")
    raw = decode(link)
    if raw[0] == "/":
        text, deleted = _without_deleted(raw)
        if text.startswith("/memfd:"):
            return FdTarget("memfd", raw, None, None, text[7:], deleted)
        return FdTarget("path", raw, text, None, None, deleted)
    kind, colon, rest = raw.partition(":")
    if not colon or "/" in kind:
        # Not TYPE:...: a relative target, as found in captured trees.
        return FdTarget("path", raw, raw)
    if kind in _INODE_KINDS:
        inode = _bracketed_inode(rest)
        if inode is not None:
            return FdTarget(kind, raw, None, inode)
    elif kind == "anon_inode" and rest:
        return FdTarget("anon_inode", raw, None, None, rest)
    return FdTarget("other", raw, None, _bracketed_inode(rest), kind)
