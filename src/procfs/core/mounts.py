"""``/proc/mounts`` and ``/proc/[pid]/mounts``: the mount table in fstab format.

One line per mount, six space-separated fields (see fstab(5), proc_mounts(5))::

    /dev/sda1 / ext4 rw,relatime,errors=remount-ro 0 0

The kernel writes space, tab, newline and backslash in the source, mount
point and type as octal escapes (``\\040``, ...), decoded here; options are
split on commas first, then decoded (see :func:`procfs.core.mountinfo.parse_mount_options`).
The first field may be empty (podman/pasta mounts): the line then starts
with a space. ``/proc/mounts`` is a link to ``/proc/self/mounts``; both
show the mounts of the reader's (or the process's) mount namespace, as seen
from its root. ``mountinfo`` carries more (ids, propagation).
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser, unescape_octal
from procfs.core._record import Record
from procfs.core.mountinfo import parse_mount_options
from procfs.errors import ParseError

__all__ = ["MountEntry", "parse_mounts"]


class MountEntry(Record):
    """One line of ``/proc/mounts`` (fstab field names).

    Attributes:
        fs_spec: The mounted source (``"/dev/sda1"``, ``"tmpfs"``,
            ``"server:/export"``); may be empty.
        fs_file: The mount point.
        fs_vfstype: The filesystem type (``"ext4"``, ``"fuse.sshfs"``).
        fs_mntops: The mount options, per-mount and per-superblock together
            (``{"rw": None, "size": "0k"}``).
        fs_freq: The dump frequency field (always 0 from the kernel).
        fs_passno: The fsck pass field (always 0 from the kernel).
    """

    fs_spec: str
    fs_file: str
    fs_vfstype: str
    fs_mntops: dict[str, str | None]
    fs_freq: int
    fs_passno: int


def _text(raw: bytes) -> str:
    return decode(unescape_octal(raw)) if b"\\" in raw else decode(raw)


@parser("mounts", "[pid]/mounts", "[pid]/task/[tid]/mounts", since="2.6")
def parse_mounts(data: bytes) -> list[MountEntry]:
    """Parse ``/proc/mounts`` (or ``/proc/[pid]/mounts``) into one entry per mount."""
    out: list[MountEntry] = []
    for lineno, line in enumerate(lines(data), 1):
        if not line.strip():
            continue
        fields = line.split(b" ")
        if len(fields) != 6:
            raise ParseError(f"expected 6 fields, found {len(fields)}", line=line, lineno=lineno)
        spec, file, vfstype, options, freq, passno = fields
        if not (freq.isdigit() and passno.isdigit()):
            raise ParseError("the last two fields are not numbers", line=line, lineno=lineno)
        out.append(
            MountEntry(
                _text(spec),
                _text(file),
                _text(vfstype),
                parse_mount_options(options),
                int(freq),
                int(passno),
            )
        )
    return out
