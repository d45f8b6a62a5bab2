"""Parsers imported on first use, for the readers' hot paths."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

__all__ = ["LazyParsers", "load_parser"]


def load_parser(module: str, name: str) -> Any:
    """The function ``name`` of ``procfs.core.<module>``, imported if need be."""
    return getattr(__import__(f"procfs.core.{module}", fromlist=[name]), name)


class LazyParsers:
    """Parsers imported on first use: a subclass maps its attributes to their core modules.

    An import statement inside a function costs from half a microsecond to a
    few on every call (the import system finds the module and checks that it
    is initialised); an attribute of such an object is a plain lookup after
    the first use, and importing the reader imports no parser it may not need.
    Subclasses set ``_MODULES`` (``{"parse_io": "io"}``) and annotate each
    attribute for type checkers.
    """

    _MODULES: ClassVar[dict[str, str]] = {}

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            module = self._MODULES.get(name)
            if module is None:
                raise AttributeError(name)
            found = load_parser(module, name)
            setattr(self, name, found)
            return found
