"""Small edits of real files, to check that a parser's fast reading agrees with its strict one.

Several parsers read the usual layout of their file with a fast path and
leave anything else to a line-by-line reading that names the line at fault
(:mod:`procfs.core.meminfo`, :mod:`procfs.core.net`...). :func:`edited`
draws a real file with a few edits (bytes inserted, removed or repeated
lines, a cut), mostly still in the usual layout or just outside it, and
:func:`outcome` gives what a parser made of it: the records as plain data,
or the ParseError's line number and message. Tests compare the outcome with
the fast path on and off.
"""

from __future__ import annotations

from hypothesis import strategies as st

from procfs.core._record import to_plain
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

#: What the edits insert: separators, odd blanks, units, signs, long numbers.
PIECES = (
    b" ",
    b"\t",
    b":",
    b"\n",
    b"\n\n",
    b"  \n",
    b"\r",
    b"\x1c",
    b"\xc2\xa0",
    b"\xff",
    b" kB",
    b"kB",
    b"0",
    b"-1",
    b"+",
    b"1_0",
    b"9" * 25,
    b"x",
    b"|",
    b"processor",
    b"processor ",
    b"intr ",
    b"softirq ",
    b"00000000:0000",
)


@st.composite
def edited(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """One of ``samples``, with up to three edits."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(("insert", "delete", "repeat", "cut")))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 5))]
        elif kind == "repeat" and data:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
        else:
            del data[at:]
    return bytes(data)


def outcome(parse: Callable[[bytes], object], data: bytes) -> object:
    """The plain data ``parse`` makes of ``data``, or its ParseError's line number and text."""
    try:
        return ("parsed", to_plain(parse(data)))
    except ParseError as exc:
        return ("error", exc.lineno, str(exc))


def strict(read: Callable[[bytes], object], path: str) -> Callable[[bytes], object]:
    """A parser's strict reading called alone, its errors naming ``path`` as the parser's do.

    (The registered parser adds the path of the file; its strict reading,
    called directly, does not.)
    """

    def parse(data: bytes) -> object:
        try:
            return read(data)
        except ParseError as exc:
            exc.path = exc.path or path
            raise

    return parse
