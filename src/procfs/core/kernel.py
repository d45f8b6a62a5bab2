"""``/proc/sys/kernel/osrelease``: the kernel release, as a comparable version.

A release string starts with ``major.minor[.patch]`` and may go on with
anything: ``3.16.0-6-amd64``, ``4.9.16-gentoo``, ``3.16.0_1``,
``4.9.266-0.1.ac.225.84.332.metal1.x86_64``, ``5.10``. The numbers are
parsed; the whole string is kept in :attr:`KernelVersion.release`.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["KernelVersion", "parse_osrelease"]


class KernelVersion(Record):
    """A kernel version: ``major.minor.patch`` and the release string it came from.

    Versions compare and hash by ``(major, minor, patch)`` only, like the
    Rust crate's ``KernelVersion``: ``KernelVersion.from_str("3.16.0-6-amd64")
    == KernelVersion(3, 16, 0)``. They also order against plain tuples, so
    ``procfs.kernel_version() >= (5, 4)`` reads naturally.

    Attributes:
        major: the major version (``6`` in ``6.1.12``).
        minor: the minor version (``1`` in ``6.1.12``).
        patch: the patch level, or sublevel (``12`` in ``6.1.12``; may be
            above 255; 0 when the release has only two numbers).
        release: the full release string (``uname -r``), suffix included; empty
            when the version was built from numbers.
    """

    major: int
    minor: int
    patch: int
    release: str = ""

    @classmethod
    def from_str(cls, release: str) -> KernelVersion:
        """Parse a release string such as ``"4.9.16-gentoo"`` (see the module notes)."""
        return _parse_release(release.strip())

    @property
    def triple(self) -> tuple[int, int, int]:
        """``(major, minor, patch)``: what versions compare by."""
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        return self.release or f"{self.major}.{self.minor}.{self.patch}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, KernelVersion):
            return self.triple == other.triple
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, KernelVersion):
            return self.triple != other.triple
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("KernelVersion", self.major, self.minor, self.patch))

    def __lt__(self, other: KernelVersion | tuple[int, ...]) -> bool:
        key = _key(other)
        if key is None:
            return NotImplemented
        return self.triple < key

    def __le__(self, other: KernelVersion | tuple[int, ...]) -> bool:
        key = _key(other)
        if key is None:
            return NotImplemented
        return self.triple <= key

    def __gt__(self, other: KernelVersion | tuple[int, ...]) -> bool:
        key = _key(other)
        if key is None:
            return NotImplemented
        return self.triple > key

    def __ge__(self, other: KernelVersion | tuple[int, ...]) -> bool:
        key = _key(other)
        if key is None:
            return NotImplemented
        return self.triple >= key


def _key(other: object) -> tuple[int, ...] | None:
    if isinstance(other, KernelVersion):
        return other.triple
    if type(other) is tuple and all(type(part) is int for part in other):
        return other
    return None


def _parse_release(release: str) -> KernelVersion:
    end = 0
    for char in release:
        if char != "." and not ("0" <= char <= "9"):
            break
        end += 1
    numbers = release[:end].rstrip(".").split(".")
    if len(numbers) < 2 or not all(numbers):
        raise ParseError("not a kernel release (major.minor[.patch]...)", line=release)
    patch = int(numbers[2]) if len(numbers) > 2 else 0
    return KernelVersion(int(numbers[0]), int(numbers[1]), patch, release)


@parser("sys/kernel/osrelease", read="single", since="2.6")
def parse_osrelease(data: bytes) -> KernelVersion:
    """Parse ``/proc/sys/kernel/osrelease`` (one line: the release string)."""
    text = decode(data.strip())
    if "\n" in text:
        raise ParseError("more than one line", line=data)
    return _parse_release(text)
