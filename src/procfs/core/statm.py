"""``/proc/[pid]/statm``: memory use of a process, in pages."""

from __future__ import annotations

from procfs.core._parse import parser
from procfs.core._record import Record, digits_field
from procfs.errors import ParseError

__all__ = ["StatM", "parse_statm"]


class StatM(Record):
    """Memory use from ``/proc/[pid]/statm``, in PAGES as the kernel gives it.

    Multiply by the page size (``procfs.page_size()``) for bytes, or use
    :meth:`in_bytes`. Some values are approximate (the kernel caches per-CPU
    counters); ``smaps_rollup`` has exact ones.

    Attributes:
        size: Total program size (as ``VmSize`` in ``status``), pages.
        resident: Resident set size (as ``VmRSS``), pages.
        shared: Resident shared pages, i.e. backed by a file (as
            ``RssFile + RssShmem``), pages.
        text: Text (code) size, pages.
        lib: Library size; always 0 since Linux 2.6, pages.
        data: Data plus stack size, pages.
        dt: Dirty pages; always 0 since Linux 2.6, pages.
    """

    size: int
    resident: int
    shared: int
    text: int
    lib: int
    data: int
    dt: int

    def in_bytes(self, page_size: int) -> StatM:
        """The same record with every value in bytes instead of pages."""
        return StatM(
            self.size * page_size,
            self.resident * page_size,
            self.shared * page_size,
            self.text * page_size,
            self.lib * page_size,
            self.data * page_size,
            self.dt * page_size,
        )


# The parser keeps the (checked) digits; a field converts on access.
for _index, _name in enumerate(StatM._fields):
    setattr(StatM, _name, digits_field(_index))
del _index, _name

_new = StatM._make


@parser("[pid]/statm")
def parse_statm(data: bytes) -> StatM:
    """Parse ``/proc/[pid]/statm`` into a :class:`StatM` (values in pages)."""
    fields = data.split()
    if len(fields) != 7:
        raise ParseError(f"expected 7 numbers, found {len(fields)}", line=data[:200])
    if not b"".join(fields).isdigit():
        raise ParseError("the values are not all non-negative integers", line=data[:200])
    return _new(fields)
