"""``/proc/[pid]/cmdline`` and ``/proc/[pid]/environ``: the argument and environment strings.

Both files hold NUL-terminated strings copied from the process's memory, so
they hold whatever the process left there; text is decoded with
``os.fsdecode`` and so round-trips to the exact bytes.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser

__all__ = ["Environ", "parse_cmdline", "parse_environ"]


@parser("[pid]/cmdline", since="2.6")
def parse_cmdline(data: bytes) -> list[str]:
    """The argument list of ``/proc/[pid]/cmdline``.

    The arguments are NUL-terminated; the final NUL is removed and empty
    arguments are kept: ``b"a\\0\\0b\\0"`` is ``["a", "", "b"]``.

    A process that rewrote its argument area without NULs (``setproctitle``
    style, e.g. ``"nginx: worker process"``) is returned as one element:
    the kernel then shows the text up to the first NUL and no terminator,
    so where the "arguments" begin and end is no longer known. A process
    that overwrote its arguments and padded them with NULs (Android's
    ``app_process``, for one) shows as its name followed by empty strings,
    as the kernel reports it.

    An empty file (a kernel thread, a zombie) gives ``[]``.
    """
    if not data:
        return []
    text = decode(data)
    if text[-1] == "\0":
        text = text[:-1]
    return text.split("\0")


class Environ(dict[str, str]):
    """The environment of a process: a ``dict`` of ``NAME -> value``.

    ``entries`` holds every NUL-terminated string of the file in order, as
    written (decoded with ``os.fsdecode``), so nothing is lost:

    * an entry without ``=`` (a process may put anything in its environment
      block) is left out of the mapping and kept only in ``entries``;
    * when a name appears twice the first occurrence wins, as with
      ``getenv(3)`` and Python's ``os.environ``; the later ones stay in
      ``entries``.

    The file's bytes are ``b"".join(os.fsencode(e) + b"\\0" for e in entries)``
    (for a file that ends with a NUL, which the kernel always writes).
    """

    __slots__ = ("entries",)

    entries: list[str]

    def __init__(self, entries: list[str] | None = None) -> None:
        super().__init__()
        self.entries = entries if entries is not None else []
        for entry in self.entries:
            name, sep, value = entry.partition("=")
            if sep and name not in self:
                self[name] = value

    def __repr__(self) -> str:
        return f"Environ({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[type[Environ], tuple[list[str]]]:
        return (Environ, (self.entries,))


@parser("[pid]/environ", since="2.6")
def parse_environ(data: bytes) -> Environ:
    """The environment of ``/proc/[pid]/environ``, as an :class:`Environ` (a ``dict``).

    An empty file (a kernel thread, a zombie, or a process that cleared its
    environment) gives an empty mapping.
    """
    if not data:
        return Environ()
    text = decode(data)
    if text[-1] == "\0":
        text = text[:-1]
    return Environ(text.split("\0"))
