"""``/proc/[pid]/mountinfo``: the mounts of a process's mount namespace.

One line per mount (see proc_pid_mountinfo(5))::

    36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)    (10)         (11)

Fields are separated by single spaces; the optional fields (7) end at a lone
``-``. The kernel writes space, tab, newline and backslash in the root, mount
point, filesystem type and mount source as octal escapes (``\\040``,
``\\011``, ``\\012``, ``\\134``); they are decoded here. Filesystems that
print options with ``seq_show_option`` escape commas and ``=`` in option
names and values the same way, so options are split on commas first and each
name and value is decoded after.

The mount source may be empty (podman/pasta mounts): the line then has two
spaces after the filesystem type, and :attr:`MountInfo.mount_source` is
``None``.
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import decode, guard, parse_lines, parser, unescape_octal
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "MountInfo",
    "MountOptionalField",
    "parse_mount_options",
    "parse_mountinfo",
    "parse_mountinfo_where",
]

_ENCODING = _sys.getfilesystemencoding()
_DECODE_ERRORS = _sys.getfilesystemencodeerrors()
_PATH = "[pid]/mountinfo"


class MountOptionalField(Record):
    """One optional field of a mountinfo line (field 7): a propagation tag.

    Attributes:
        tag: ``"shared"`` (the mount is in peer group ``value``), ``"master"``
            (it is a slave of peer group ``value``), ``"propagate_from"`` (it
            receives propagation from peer group ``value``, the closest
            dominant group under the process's root) or ``"unbindable"``
            (no value). A tag from a newer kernel is kept as written; one
            whose value is not a number is kept whole in ``tag``.
        value: The peer group id, or ``None`` for a tag without one.
    """

    tag: str
    value: int | None = None

    def __str__(self) -> str:
        return self.tag if self.value is None else f"{self.tag}:{self.value}"


class MountInfo(Record):
    """One mount, from one line of ``/proc/[pid]/mountinfo``.

    Attributes:
        mount_id: Unique id of the mount (may be reused after an unmount).
        parent_id: Id of the parent mount (the mount itself for the root of
            the namespace's tree; a mount outside the process's root shows
            a parent that is not listed).
        major: Major device number of ``st_dev`` for files on this filesystem.
        minor: Minor device number of ``st_dev``.
        root: The directory of the filesystem that forms the root of this
            mount (``"/"`` unless this is a bind mount of a subdirectory).
        mount_point: Where it is mounted, relative to the process's root.
        mount_options: Per-mount options (``{"rw": None, "relatime": None}``).
        optional_fields: Propagation tags, see :class:`MountOptionalField`.
        fs_type: Filesystem type, ``type`` or ``type.subtype`` (``"fuse.sshfs"``).
        mount_source: Filesystem-specific source (``"/dev/sda1"``,
            ``"tmpfs"``, ``"server:/export"``), or ``None`` when empty.
        super_options: Per-superblock options (``{"rw": None, "size": "0k"}``).
    """

    mount_id: int
    parent_id: int
    major: int
    minor: int
    root: str
    mount_point: str
    mount_options: dict[str, str | None]
    optional_fields: list[MountOptionalField]
    fs_type: str
    mount_source: str | None
    super_options: dict[str, str | None]

    def _tag(self, tag: str) -> int | None:
        for field in self.optional_fields:
            if field.tag == tag:
                return field.value
        return None

    @property
    def shared(self) -> int | None:
        """The peer group this mount shares events with (``shared:N``), else ``None``."""
        return self._tag("shared")

    @property
    def master(self) -> int | None:
        """The peer group this mount is a slave of (``master:N``), else ``None``."""
        return self._tag("master")

    @property
    def propagate_from(self) -> int | None:
        """The peer group it receives propagation from (``propagate_from:N``), else ``None``."""
        return self._tag("propagate_from")

    @property
    def unbindable(self) -> bool:
        """Whether the mount is unbindable."""
        return any(field.tag == "unbindable" for field in self.optional_fields)

    @property
    def read_only(self) -> bool:
        """Whether the mount is read-only (``ro`` in the per-mount options)."""
        return "ro" in self.mount_options


def _text(raw: bytes) -> str:
    # (bytes.decode as os.fsdecode does it, without its two extra calls)
    return (unescape_octal(raw) if b"\\" in raw else raw).decode(_ENCODING, _DECODE_ERRORS)


def parse_mount_options(raw: bytes) -> dict[str, str | None]:
    """A comma-separated option list: ``b"rw,size=0k"`` is ``{"rw": None, "size": "0k"}``.

    Octal escapes in names and values are decoded; an empty item is skipped.
    """
    out: dict[str, str | None] = {}
    for item in raw.split(b","):
        if not item:
            continue
        name, eq, value = item.partition(b"=")
        out[_text(name)] = _text(value) if eq else None
    return out


def _optional_field(raw: bytes) -> MountOptionalField:
    tag, colon, value = raw.partition(b":")
    if not colon:
        return MountOptionalField(decode(tag))
    if value.isdigit():
        return MountOptionalField(decode(tag), int(value))
    return MountOptionalField(decode(raw))


#: A line split in its parts, checked: the fields before " - " (at least six), the
#: major and minor numbers, the type, the source (b"" if empty) and the superblock options.
_Parts = tuple[list[bytes], bytes, bytes, bytes, bytes, bytes]


def _split_line(line: bytes) -> _Parts:
    head, sep, tail = line.partition(b" - ")
    if not sep:
        raise ParseError("no ' - ' separator", line=line)
    fields = head.split()
    if len(fields) < 6:
        raise ParseError(f"expected at least 6 fields before ' - ', found {len(fields)}", line=line)
    major, colon, minor = fields[2].partition(b":")
    if not colon:
        raise ParseError("malformed major:minor field", line=line)
    parts = tail.split(b" ")
    if len(parts) == 3 and parts[0] and parts[2]:
        fs_type, source, super_raw = parts
    else:
        words = tail.split()
        if len(words) == 3:
            fs_type, source, super_raw = words
        elif len(words) == 2:  # an empty source, whatever the spacing
            fs_type, super_raw = words
            source = b""
        else:
            raise ParseError(f"expected 3 fields after ' - ', found {len(words)}", line=line)
    return fields, major, minor, fs_type, source, super_raw


def _mount(parts: _Parts, fs_type: str, source: str | None) -> MountInfo:
    """The record of a split line whose type and source are decoded already."""
    fields, major, minor, _, _, super_raw = parts
    return MountInfo(
        int(fields[0]),
        int(fields[1]),
        int(major),
        int(minor),
        _text(fields[3]),
        _text(fields[4]),
        parse_mount_options(fields[5]),
        [_optional_field(field) for field in fields[6:]],
        fs_type,
        source,
        parse_mount_options(super_raw),
    )


def _parse_line(line: bytes) -> MountInfo:
    parts = _split_line(line)
    source = parts[4]
    return _mount(parts, _text(parts[3]), _text(source) if source else None)


@parser("[pid]/mountinfo", since="2.6.26")
def parse_mountinfo(data: bytes) -> list[MountInfo]:
    """Every mount listed in ``/proc/[pid]/mountinfo``, in the kernel's order."""
    return parse_lines(data, _parse_line, "mountinfo", skip_blank=False)


def parse_mountinfo_where(
    data: bytes, keep: Callable[[str, str | None], bool], path: str | None = None
) -> list[MountInfo]:
    """:func:`parse_mountinfo`, keeping only the mounts for which ``keep(fs_type,
    mount_source)`` is true (``psutil.disk_partitions`` keeps a few of dozens).

    Every line is checked as :func:`parse_mountinfo` checks it (the same
    :class:`~procfs.errors.ParseError`, ``path`` in it), but only the type and
    source of a mount left out are decoded.
    """

    def parse_line(line: bytes) -> MountInfo | None:
        parts = _split_line(line)
        raw_source = parts[4]
        fs_type = _text(parts[3])
        source = _text(raw_source) if raw_source else None
        if keep(fs_type, source):
            return _mount(parts, fs_type, source)
        fields = parts[0]
        int(fields[0]), int(fields[1]), int(parts[1]), int(parts[2])  # (checked all the same)
        return None

    def parse_all(data: bytes) -> list[MountInfo]:
        found = parse_lines(data, parse_line, "mountinfo", skip_blank=False)
        return [mount for mount in found if mount is not None]

    return guard(parse_all, _PATH)(data, path)
