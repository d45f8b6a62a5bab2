"""Pure parsers: bytes of a /proc file in, typed records out. No I/O here.

``PARSERS`` maps each supported /proc path (``"meminfo"``, ``"[pid]/stat"``,
``"net/tcp"``) to its parser, a callable ``(bytes, path=None) -> record``.
It imports every parser module the first time it is used.
"""

from __future__ import annotations

from procfs.core._parse import REGISTRY as _REGISTRY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core._parse import Parser

    PARSERS: dict[str, Parser[object]]

__all__ = ["PARSERS", "key_for", "parser_for"]


def _parser_modules() -> tuple[str, ...]:
    """The parser modules, one per /proc file family: every public module here."""
    import os

    here = os.path.dirname(__file__)
    return tuple(
        sorted(name[:-3] for name in os.listdir(here) if name.endswith(".py") and name[0] != "_")
    )


def key_for(relative: str) -> str:
    """The registry key of a path relative to a procfs root.

    Numeric components become placeholders: ``"123/task/124/stat"`` is
    ``"[pid]/task/[tid]/stat"``, ``"self/fd/3"`` is ``"[pid]/fd/[fd]"``.
    """
    parts = relative.strip("/").split("/")
    if parts[0] == "thread-self":
        parts[0:1] = ["[pid]", "task", "[tid]"]
    elif parts[0].isdigit() or parts[0] == "self":
        parts[0] = "[pid]"
    else:
        return "/".join(parts)
    for index in range(1, len(parts)):
        if parts[index].isdigit():
            previous = parts[index - 1]
            if previous == "task":
                parts[index] = "[tid]"
            elif previous in ("fd", "fdinfo"):
                parts[index] = "[fd]"
    return "/".join(parts)


def parser_for(relative: str) -> Parser[object] | None:
    """The registered parser for a path relative to a procfs root, if any."""
    parsers: dict[str, Parser[object]] = __getattr__("PARSERS")  # type: ignore[assignment]
    return parsers.get(key_for(relative))


def __getattr__(name: str) -> object:
    if name == "PARSERS":
        for module in _parser_modules():
            __import__(f"procfs.core.{module}")
        return _REGISTRY
    raise AttributeError(f"module 'procfs.core' has no attribute {name!r}")
