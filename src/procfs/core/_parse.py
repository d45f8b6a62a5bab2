"""Tokenizing helpers shared by every parser, and the parser registry.

Every parser is a function ``bytes -> record`` decorated with
:func:`parser`, which files it under the /proc path it reads (``"meminfo"``,
``"[pid]/stat"``, ``"net/tcp"``) and guarantees that only
:class:`~procfs.errors.ParseError` escapes it.
"""

from __future__ import annotations

import os as _os

from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any, Protocol, TypeVar

    from procfs.core._record import Record

    R = TypeVar("R", covariant=True)
    R2 = TypeVar("R2")

    class Layout(Protocol):
        """What :func:`layout_cache` needs of a layout: the spans to compare by value."""

        @property
        def fixed(self) -> tuple[tuple[slice, bytes], ...]: ...

    L = TypeVar("L", bound=Layout)

    #: A fast reader of a few fields: ``reader(names)(data, path)`` gives the values of
    #: those attributes of the parsed record, as a tuple (see :func:`fields_reader_of`).
    FieldsReader = Callable[[Sequence[str]], Callable[[bytes, str], tuple[Any, ...]]]

    class Parser(Protocol[R]):
        """A registered parser: bytes of one /proc file in, a record out."""

        __proc_path__: str
        __read__: str
        __record__: type[Record] | None
        __since__: str
        __fields__: FieldsReader | None

        def __call__(self, data: bytes, path: str | None = None) -> R: ...


__all__ = [
    "INT_DIGITS",
    "MAX_DIGITS",
    "REGISTRY",
    "decode",
    "fields_reader_of",
    "guard",
    "kb_map",
    "key_values",
    "layout_cache",
    "lines",
    "long_number_at",
    "parse_decimal",
    "parse_int",
    "parse_lines",
    "parser",
    "table_rows",
    "unescape_octal",
]

#: Every registered parser, by the /proc path it reads (filled on import of
#: the parser modules; use :data:`procfs.core.PARSERS`, which imports them).
REGISTRY: dict[str, Parser[object]] = {}

_ERRORS = (ValueError, IndexError, KeyError, UnicodeError, OverflowError, TypeError, AttributeError)

decode = _os.fsdecode
"""Bytes from the kernel to ``str`` (surrogateescape: round-trips to the bytes)."""


#: How a file is read (see :func:`procfs._fs.read_fd`): to its end; in one read
#: when the kernel makes it in one piece; or as a table of short lines.
READ_MODES = ("whole", "single", "table")


def parser(
    proc_path: str,
    *also: str,
    takes_path: bool = False,
    read: str = "whole",
    record: type[Record] | None = None,
    since: str = "",
    register: bool = True,
) -> Callable[[Callable[..., R2]], Parser[R2]]:
    """Register a parser under ``proc_path`` (and the paths ``also``); only ParseError escapes it.

    This line is the one description of the file: its path below the root,
    and how to read it (``read``: one of :data:`READ_MODES`; ``"single"``
    for a file the kernel writes in one piece, such as ``[pid]/stat``,
    ``"table"`` for a seq_file table of short lines, such as ``net/tcp``).
    The readers take both from here (:meth:`procfs.ProcFS.load`). ``record``
    is the record class it returns, for a file whose fields a scan reads one
    by one (``"stat.utime"``); :func:`fields_reader_of` adds a fast reader of
    a few fields. ``since`` is the kernel release that added the file (with
    notes on later fields and the config options it needs), for the
    documentation's coverage table. ``register=False`` keeps it out of the
    registry: for what a scan reads that is no file (the count of ``[pid]/fd``).

    The decorated function takes the file's bytes (and, with ``takes_path``,
    the path too, for a record that reports errors later); the result also
    accepts a ``path`` argument, used in error messages.
    """
    if read not in READ_MODES:
        raise ValueError(f"read must be one of {READ_MODES}, not {read!r}")

    def decorate(function: Callable[..., R2]) -> Parser[R2]:
        parse = guard(function, proc_path, takes_path)
        parse.__name__ = function.__name__
        parse.__qualname__ = function.__qualname__
        parse.__doc__ = function.__doc__
        parse.__module__ = function.__module__
        parse.__wrapped__ = function  # type: ignore[attr-defined]
        parse.__proc_path__ = proc_path  # type: ignore[attr-defined]
        parse.__takes_path__ = takes_path  # type: ignore[attr-defined]
        parse.__read__ = read  # type: ignore[attr-defined]
        parse.__record__ = record  # type: ignore[attr-defined]
        parse.__since__ = since  # type: ignore[attr-defined]
        parse.__fields__ = None  # type: ignore[attr-defined]
        for key in (proc_path, *also) if register else ():
            REGISTRY[key] = parse  # type: ignore[assignment]
        return parse  # type: ignore[return-value]

    return decorate


def fields_reader_of(parse: Parser[object]) -> Callable[[FieldsReader], FieldsReader]:
    """Declare the decorated function the fast fields reader of the parser ``parse``.

    ``reader(names)`` returns a function of a file's bytes and path that gives
    what ``parse(data, path)``'s attributes ``names`` give (errors included),
    without making the record; :func:`procfs.scan.ScanFiles.scan_fields` uses it.
    """

    def declare(reader: FieldsReader) -> FieldsReader:
        parse.__fields__ = reader
        return reader

    return declare


def guard(
    function: Callable[..., R2], proc_path: str, takes_path: bool = False
) -> Callable[[bytes, str | None], R2]:
    """``function`` as a parser calls it: ``parse(data, path=None)``, where only ParseError
    escapes, with the path (``proc_path`` when none is given) set."""

    def parse(data: bytes, path: str | None = None) -> R2:
        try:
            if takes_path:
                return function(data, path or proc_path)
            return function(data)
        except ParseError as exc:
            if exc.path is None:
                exc.path = path or proc_path
            raise
        except _ERRORS as exc:
            raise unexpected(exc, path or proc_path) from exc

    return parse


def unexpected(exc: Exception, path: str | None) -> ParseError:
    """The ParseError for an exception a parser (or a reader of a record) did not expect."""
    error = ParseError(f"unexpected content ({type(exc).__name__}: {exc})", path)
    error.__cause__ = exc
    return error


def parse_int(token: bytes, what: str = "number", base: int = 10) -> int:
    """``int(token)``, or a ParseError that names the field."""
    try:
        return int(token, base)
    except ValueError:
        raise ParseError(f"{what} is not an integer", line=token) from None


def parse_decimal(
    token: bytes, what: str, line: bytes | None = None, lineno: int | None = None
) -> float:
    """A number the kernel prints as ``%lu.%02lu`` (digits, at most one dot), or a ParseError.

    ``float()`` alone would also take ``nan``, ``inf``, ``1e5`` and ``1_0``,
    which no such field holds. ``line`` and ``lineno`` name the line at fault
    (the token itself by default).
    """
    if not token.replace(b".", b"", 1).isdigit():
        raise ParseError(
            f"{what} is not a decimal number", line=token if line is None else line, lineno=lineno
        )
    return float(token)


def lines(data: bytes) -> list[bytes]:
    """The file's lines, without the final empty one."""
    out = data.split(b"\n")
    if out and not out[-1]:
        out.pop()
    return out


def parse_lines(
    data: bytes,
    parse_line: Callable[[bytes], R2],
    what: str,
    skip_blank: bool = True,
    first_lineno: int = 1,
) -> list[R2]:
    """``parse_line`` applied to each line of a one-record-a-line file.

    A ParseError or ValueError from ``parse_line`` becomes a ParseError that
    names the line and its number (``what`` names the kind of line; the first
    line of ``data`` is number ``first_lineno``, for data after a header).
    Blank lines are skipped, or with ``skip_blank=False`` are an error (but
    for the empty string after the final newline).
    """
    out: list[R2] = []
    for lineno, line in enumerate(data.split(b"\n"), first_lineno):
        if not line or (skip_blank and line.isspace()):
            if skip_blank or lineno - first_lineno >= data.count(b"\n"):
                continue
            raise ParseError("empty line", line=line, lineno=lineno)
        try:
            out.append(parse_line(line))
        except ParseError as exc:
            exc.lineno = lineno
            if exc.line is None:
                exc.line = decode(line)
            raise
        except ValueError as exc:
            raise ParseError(f"malformed {what} line ({exc})", line=line, lineno=lineno) from None
    return out


def key_values(data: bytes, sep: bytes = b":") -> Iterator[tuple[bytes, bytes, int]]:
    """``(key, value, lineno)`` for each ``Key<sep> value`` line (both stripped).

    Blank lines are skipped; a non-blank line without ``sep`` is a ParseError.
    """
    for lineno, line in enumerate(data.split(b"\n"), 1):
        key, found, value = line.partition(sep)
        if not found:
            if line.strip():
                raise ParseError(f"no {sep.decode()!r} separator", line=line, lineno=lineno)
            continue
        yield key.strip(), value.strip(), lineno


def kb_map(data: bytes) -> dict[str, int]:
    """Read a ``Key:   value [kB]`` file (meminfo, smaps, status sizes).

    Values with a ``kB`` unit are returned in bytes; values without a unit are
    returned as they are.
    """
    out: dict[str, int] = {}
    for key, value, lineno in key_values(data):
        number, _, unit = value.partition(b" ")
        try:
            amount = int(number)
        except ValueError:
            raise ParseError(
                f"value of {decode(key)} is not an integer", line=value, lineno=lineno
            ) from None
        unit = unit.strip()
        if unit == b"kB":
            amount *= 1024
        elif unit:
            raise ParseError(f"unknown unit {decode(unit)!r}", line=value, lineno=lineno)
        out[decode(key)] = amount
    return out


def table_rows(
    data: bytes, header_lines: int = 1, min_fields: int = 1
) -> Iterator[tuple[list[bytes], int]]:
    """``(fields, lineno)`` for each row of a whitespace-separated table.

    The first ``header_lines`` lines and blank lines are skipped; a row with
    fewer than ``min_fields`` fields is a ParseError.
    """
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if lineno <= header_lines:
            continue
        fields = line.split()
        if not fields:
            continue
        if len(fields) < min_fields:
            raise ParseError(
                f"expected at least {min_fields} fields, found {len(fields)}",
                line=line,
                lineno=lineno,
            )
        yield fields, lineno


def unescape_octal(value: bytes) -> bytes:
    r"""Decode the kernel's ``\ooo`` octal escapes (``\040`` is a space, ``\134`` a backslash).

    A backslash not followed by three octal digits is kept as it is.
    """
    if b"\\" not in value:
        return value
    out = bytearray()
    index = 0
    length = len(value)
    while index < length:
        char = value[index]
        if char == 0x5C and _is_octal(value[index + 1 : index + 4]):
            out.append(int(value[index + 1 : index + 4], 8) & 0xFF)
            index += 4
        else:
            out.append(char)
            index += 1
    return bytes(out)


def _is_octal(digits: bytes) -> bool:
    return len(digits) == 3 and all(0x30 <= d <= 0x37 for d in digits)


_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")

#: The most digits a number the kernel prints can have (2**128 has 39). A
#: parser that keeps numbers as digits, to convert them when read, refuses
#: longer ones (or bounds the length of the text it keeps far below the
#: 4300 digits ``int()`` converts), so that reading a field never fails.
MAX_DIGITS = 40
#: The most digits ``int()`` converts (Python's default limit).
INT_DIGITS = 4300


def long_number_at(data: bytes, digits: int = MAX_DIGITS) -> int:
    """Where the first run of more than ``digits`` decimal digits begins in ``data``, or -1.

    Two C passes over the bytes (about a nanosecond a byte).
    """
    return data.translate(_DIGITS_TO_ZERO).find(b"0" * (digits + 1))


def layout_cache(build: Callable[[bytes], L]) -> Callable[[bytes], L | None]:
    """Remember where the values are in a file whose text keeps its shape.

    Many /proc files print the same keys, units and paddings each time and
    only their digits change. ``build(data)`` finds the values of one file
    (it raises ValueError for a file not of the usual form); the function
    returned gives that layout again for a later file of the same shape:
    the same text once every digit is made ``0``, and the same bytes in the
    layout's ``fixed`` spans (the digits of keys such as ``DirectMap4k``).
    A file of another shape gets a new layout, which is then remembered;
    ``None`` when ``build`` refuses it (then read it the strict way).
    """
    last: tuple[bytes, L | None] = (b"", None)

    def get(data: bytes) -> L | None:
        nonlocal last
        shape = data.translate(_DIGITS_TO_ZERO)
        last_shape, layout = last
        if layout is not None and shape == last_shape:
            for where, text in layout.fixed:
                if data[where] != text:
                    break
            else:
                return layout
        try:
            layout = build(data)
        except ValueError:
            return None
        last = (shape, layout)
        return layout

    return get
