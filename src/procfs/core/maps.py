"""``/proc/[pid]/maps``: the memory regions a process has mapped.

One line per region (see proc_pid_maps(5))::

    55bdd1b97000-55bdd1b99000 r--p 00000000 fe:00 260131      /usr/bin/cat
    7f3254436000-7f32544fa000 rw-p 00000000 00:00 0
    7ffc7c590000-7ffc7c5b1000 rw-p 00000000 00:00 0           [stack]

The kernel pads the line with spaces before the pathname, and the pathname
keeps every space it contains (it runs to the end of the line). The only
character the kernel escapes in it is the newline, written ``\\012``
(``seq_path(m, path, "\\n")`` in fs/proc/task_mmu.c); a backslash is not
escaped, so only ``\\012`` is decoded here. A file unlinked after it was
mapped gets a ``" (deleted)"`` suffix, reported as :attr:`MMapPath.deleted`.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["MMapPath", "MemoryMap", "parse_maps", "parse_maps_line"]

_DELETED = b" (deleted)"


class MMapPath(Record):
    """What a memory region maps: the pathname column of ``maps``.

    Attributes:
        kind: One of ``"path"`` (a file), ``"heap"`` (``[heap]``, the program
            break area), ``"stack"`` (``[stack]``, the main thread's stack),
            ``"tstack"`` (``[stack:TID]``, a thread's stack, kernels 3.4 to
            4.4), ``"vdso"``, ``"vvar"``, ``"vsyscall"`` (the kernel's
            virtual system call pages), ``"anonymous"`` (no name at all) or
            ``"other"`` (any other bracketed name, such as ``[vvar_vclock]``,
            ``[anon:NAME]``, ``[uprobes]``).
        value: The file path (``str``) for ``"path"``, the thread id (``int``)
            for ``"tstack"``, the whole bracketed name (``str``, brackets
            included) for ``"other"``; ``None`` for the other kinds.
        deleted: True when the mapped file was unlinked (the kernel appended
            ``" (deleted)"``, which is not part of :attr:`value`).
    """

    kind: str
    value: str | int | None = None
    deleted: bool = False

    @property
    def path(self) -> str | None:
        """The file path, for a ``"path"`` mapping (else ``None``)."""
        return self.value if self.kind == "path" else None  # type: ignore[return-value]

    def __str__(self) -> str:
        """The pathname column as the kernel wrote it (without escapes)."""
        kind = self.kind
        if kind == "path":
            return f"{self.value}{' (deleted)' if self.deleted else ''}"
        if kind == "tstack":
            return f"[stack:{self.value}]"
        if kind == "other":
            return str(self.value)
        if kind == "anonymous":
            return ""
        return f"[{kind}]"


class MemoryMap(Record):
    """One mapped memory region of a process (one line of ``/proc/[pid]/maps``).

    Attributes:
        address: ``(start, end)`` virtual addresses of the region; ``end`` is
            exclusive.
        perms: The permission string, e.g. ``"r-xp"``: read, write, execute,
            then ``s`` (shared) or ``p`` (private, copy-on-write).
        offset: Offset into the mapped file, in bytes (0 for anonymous memory).
        dev: ``(major, minor)`` device number of the mapped file (``(0, 0)``
            when there is none).
        inode: Inode number of the mapped file on that device (0 when none).
        pathname: What is mapped, see :class:`MMapPath`.
    """

    address: tuple[int, int]
    perms: str
    offset: int
    dev: tuple[int, int]
    inode: int
    pathname: MMapPath

    @property
    def start(self) -> int:
        """The first address of the region."""
        return self.address[0]

    @property
    def end(self) -> int:
        """The address just past the region."""
        return self.address[1]

    @property
    def size(self) -> int:
        """The size of the region, in bytes."""
        return self.address[1] - self.address[0]

    @property
    def readable(self) -> bool:
        """Whether the region can be read."""
        return self.perms[0:1] == "r"

    @property
    def writable(self) -> bool:
        """Whether the region can be written."""
        return self.perms[1:2] == "w"

    @property
    def executable(self) -> bool:
        """Whether code in the region can be executed."""
        return self.perms[2:3] == "x"

    @property
    def shared(self) -> bool:
        """Whether the region is shared (writes reach the file and other mappers)."""
        return self.perms[3:4] == "s"

    @property
    def private(self) -> bool:
        """Whether the region is private (copy-on-write)."""
        return self.perms[3:4] == "p"


_ANONYMOUS = MMapPath("anonymous")
_SPECIAL = {
    b"[heap]": MMapPath("heap"),
    b"[stack]": MMapPath("stack"),
    b"[vdso]": MMapPath("vdso"),
    b"[vvar]": MMapPath("vvar"),
    b"[vsyscall]": MMapPath("vsyscall"),
}
_PERMS: dict[bytes, str] = {}


def _pathname(raw: bytes) -> MMapPath:
    if not raw:
        return _ANONYMOUS
    if raw[0] == 0x5B and raw[-1] == 0x5D:  # "[...]"
        special = _SPECIAL.get(raw)
        if special is not None:
            return special
        if raw.startswith(b"[stack:"):
            tid = raw[7:-1]
            if tid.isdigit():
                return MMapPath("tstack", int(tid))
        return MMapPath("other", decode(raw))
    deleted = raw.endswith(_DELETED)
    if deleted:
        raw = raw[:-10]
    if b"\\012" in raw:
        raw = raw.replace(b"\\012", b"\n")
    return MMapPath("path", decode(raw), deleted)


def _parse_line(line: bytes, paths: dict[bytes, MMapPath]) -> MemoryMap:
    fields = line.split(None, 5)
    if len(fields) < 5:
        raise ParseError(f"expected at least 5 fields, found {len(fields)}", line=line)
    start, dash, end = fields[0].partition(b"-")
    major, colon, minor = fields[3].partition(b":")
    if not dash or not colon:
        raise ParseError("malformed address range or device number", line=line)
    raw_perms = fields[1]
    perms = _PERMS.get(raw_perms)
    if perms is None:
        if len(raw_perms) != 4:
            raise ParseError("the permissions field is not 4 characters long", line=line)
        perms = _PERMS.setdefault(raw_perms, decode(raw_perms))
    raw_path = fields[5] if len(fields) == 6 else b""
    pathname = paths.get(raw_path)
    if pathname is None:
        pathname = paths[raw_path] = _pathname(raw_path)
    return MemoryMap(
        (int(start, 16), int(end, 16)),
        perms,
        int(fields[2], 16),
        (int(major, 16), int(minor, 16)),
        int(fields[4]),
        pathname,
    )


def parse_maps_line(line: bytes) -> MemoryMap:
    """Parse one line of ``/proc/[pid]/maps`` (without its newline).

    Raises :class:`~procfs.errors.ParseError` for a line it cannot understand.
    """
    try:
        return _parse_line(line, {})
    except ParseError:
        raise
    except (ValueError, IndexError, UnicodeError) as exc:
        raise ParseError(f"malformed maps line ({exc})", line=line) from None


@parser("[pid]/maps", since="2.6")
def parse_maps(data: bytes) -> list[MemoryMap]:
    """Every mapped region of ``/proc/[pid]/maps``, in address order.

    An empty file (a kernel thread, a zombie) gives an empty list.
    """
    out: list[MemoryMap] = []
    paths: dict[bytes, MMapPath] = {}  # lines of one file share few pathnames
    for lineno, line in enumerate(lines(data), 1):
        try:
            out.append(_parse_line(line, paths))
        except ParseError as exc:
            exc.lineno = lineno
            raise
        except (ValueError, IndexError) as exc:
            raise ParseError(f"malformed maps line ({exc})", line=line, lineno=lineno) from None
    return out
