"""A griffe extension: the Sphinx roles of our docstrings become mkdocs cross-references.

The docstrings say :class:`~procfs.errors.NotFoundError`, :meth:`Process.stat` and
``code``; mkdocstrings reads Markdown. A role becomes an optional cross-reference
(a link when the name is rendered somewhere in the reference, plain code otherwise),
and reST's double backquotes become single ones.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|attr|data|exc|obj|const):`(~?)([^`<>]+?)`")
_LITERAL = re.compile(r"``([^`]+?)``")


def _role(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    title = target.rsplit(".", 1)[-1] if short else target
    title = title.removesuffix("()")
    target = target.removesuffix("()")
    if "." not in target:
        return f"`{title}`"
    return f'<autoref optional identifier="{target}"><code>{title}</code></autoref>'


def convert(text: str) -> str:
    """``text`` with Sphinx roles and reST literals in Markdown."""
    text = _ROLE.sub(_role, text)
    return _LITERAL.sub(r"`\1`", text)


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring once it is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)
