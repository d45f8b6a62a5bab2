"""``/proc/[pid]/statm``: memory use of a process, in pages."""

from __future__ import annotations

from procfs.core._parse import MAX_DIGITS, fields_reader_of, parser
from procfs.core._record import Lazy, Record, digits_reader
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["StatM", "fields_reader", "parse_statm"]


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

    # The parser keeps the (checked) digits; a field converts on access.
    __lazy__ = Lazy(int)

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


_new = StatM._make
_DIGITS = b"0123456789"
#: The usual line without its digits: seven numbers, single spaces, a newline.
_SHAPE = b"      \n"


def _usual(data: bytes) -> list[bytes] | None:
    """The seven numbers of the usual line (digits only, at most MAX_DIGITS each), or None
    for another one."""
    if data.translate(None, _DIGITS) == _SHAPE:
        fields = data.split()
        # (no number is empty, nor longer than MAX_DIGITS)
        if len(fields) == 7 and max(map(len, fields)) <= MAX_DIGITS:
            return fields
    return None


@parser("[pid]/statm", read="single", record=StatM, since="2.6")
def parse_statm(data: bytes) -> StatM:
    """Parse ``/proc/[pid]/statm`` into a :class:`StatM` (values in pages)."""
    fields = _usual(data)
    if fields is not None:
        return _new(fields)
    fields = data.split()
    if len(fields) != 7:
        raise ParseError(f"expected 7 numbers, found {len(fields)}", line=data[:200])
    if not b"".join(fields).isdigit():
        raise ParseError("the values are not all non-negative integers", line=data[:200])
    if max(map(len, fields)) > MAX_DIGITS:
        raise ParseError(f"a value has more than {MAX_DIGITS} digits", line=data[:200])
    return _new(fields)


@fields_reader_of(parse_statm)
def fields_reader(names: Sequence[str]) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A function that reads the fields ``names`` of the file's bytes, as a tuple.

    What :func:`procfs.scan.scan_fields` uses: the values of
    ``parse_statm(data)``'s attributes (and its errors), with no record made
    for the usual file.
    """
    return digits_reader(StatM, names, StatM._fields, _usual, parse_statm.__wrapped__)  # type: ignore[attr-defined]
