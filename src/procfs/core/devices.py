"""``/proc/devices``: the major device numbers drivers have registered.

Two sections, each a header line then ``major name`` rows (right-aligned
majors), separated by a blank line::

    Character devices:
      1 mem
      4 /dev/vc/0
      4 tty

    Block devices:
      8 sd
    259 blkext

A major number may appear several times (one driver per range of minors),
and names may contain ``/``. A kernel built without CONFIG_BLOCK prints no
block section: :attr:`Devices.block_devices` is then empty.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["DeviceEntry", "Devices", "parse_devices"]


class DeviceEntry(Record):
    """One row of ``/proc/devices``.

    Attributes:
        major: the major device number.
        name: the name the driver registered it under (``"tty"``,
            ``"/dev/vc/0"``, ``"sd"``).
    """

    major: int
    name: str


class Devices(Record):
    """The content of ``/proc/devices`` (field names as in the Rust crate).

    Attributes:
        char_devices: the character-device majors, in the kernel's order.
        block_devices: the block-device majors (empty without CONFIG_BLOCK).
    """

    char_devices: list[DeviceEntry]
    block_devices: list[DeviceEntry]

    def char_names(self, major: int) -> list[str]:
        """The names registered for character major ``major``."""
        return [entry.name for entry in self.char_devices if entry.major == major]

    def block_names(self, major: int) -> list[str]:
        """The names registered for block major ``major``."""
        return [entry.name for entry in self.block_devices if entry.major == major]


@parser("devices", since="2.6")
def parse_devices(data: bytes) -> Devices:
    """Parse ``/proc/devices``."""
    char: list[DeviceEntry] = []
    block: list[DeviceEntry] = []
    section: list[DeviceEntry] | None = None
    seen_block = False
    for lineno, line in enumerate(lines(data), 1):
        if line == b"Character devices:":
            if section is not None:
                raise ParseError("repeated section header", line=line, lineno=lineno)
            section = char
            continue
        if line == b"Block devices:":
            if seen_block or section is None:
                raise ParseError("unexpected section header", line=line, lineno=lineno)
            section = block
            seen_block = True
            continue
        major, _, name = line.strip().partition(b" ")
        if not major:
            continue
        if section is None:
            raise ParseError("device before any section header", line=line, lineno=lineno)
        name = name.strip()
        if not major.isdigit() or not name:
            raise ParseError("expected 'major name'", line=line, lineno=lineno)
        section.append(DeviceEntry(int(major), decode(name)))
    if section is None:
        raise ParseError("no 'Character devices:' section")
    return Devices(char, block)
