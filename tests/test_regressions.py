"""Every input the fuzzer ever crashed a parser with, replayed: it must parse or raise ParseError.

A crash is an exception other than ParseError escaping a parser (what
tests/test_fuzz.py fails on), or an internal error in the parser's own code
that only the registry's catch-all turned into a ParseError (its
``__cause__`` is set: "unexpected content (IndexError: ...)").

Samples live in ``tests/samples/regressions/<key>/<name>``, where ``<key>`` is
the registry key with each ``/`` written as ``__`` (``[pid]__stat``,
``net__tcp``) and ``<name>`` says what the input broke. When
``tests/test_fuzz.py`` fails, hypothesis prints the input
(``Falsifying example: run(data=b'...')``); save it with::

    python -m tests.test_regressions '[pid]/stat' short-name "b'...'"

fix the parser, and add a line to tests/samples/PROVENANCE.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from procfs.core import PARSERS
from procfs.core._record import to_plain
from procfs.errors import ParseError
from tests.conftest import SAMPLES

REGRESSIONS = SAMPLES / "regressions"


def key_dir(key: str) -> str:
    """The directory name of a registry key's samples."""
    return key.replace("/", "__")


def _keys_by_dir() -> dict[str, str]:
    return {key_dir(key): key for key in PARSERS}


def _samples() -> list[Path]:
    if not REGRESSIONS.is_dir():
        return []
    return sorted(
        path
        for directory in REGRESSIONS.iterdir()
        if directory.is_dir()
        for path in directory.iterdir()
        if path.is_file()
    )


@pytest.mark.parametrize("sample", _samples(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_regression_sample(sample: Path) -> None:
    key = _keys_by_dir().get(sample.parent.name)
    assert key is not None, f"{sample.parent.name} names no registered parser (renamed?)"
    try:
        result = PARSERS[key](sample.read_bytes(), path=str(sample))
    except ParseError as exc:
        assert exc.path == str(sample)
        str(exc)
        return
    to_plain(result)


def test_every_sample_directory_names_a_parser() -> None:
    keys = _keys_by_dir()
    directories = [d.name for d in REGRESSIONS.iterdir() if d.is_dir()]
    assert directories, "no regression samples"
    for name in directories:
        assert name in keys, f"tests/samples/regressions/{name}: no parser has that key"
    assert _samples()


def save(key: str, name: str, literal: str) -> Path:
    """Store the input ``literal`` (a Python bytes literal, as hypothesis prints it) for ``key``."""
    data = ast.literal_eval(literal)
    if not isinstance(data, bytes):
        raise SystemExit("the input must be a bytes literal such as b'...'")
    if key not in PARSERS:
        raise SystemExit(f"no parser is registered under {key!r}")
    if not name or "/" in name or name.startswith("."):
        raise SystemExit(f"bad sample name {name!r}")
    path = REGRESSIONS / key_dir(key) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


if __name__ == "__main__":  # pragma: no cover - a tool for developers
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    print(save(*sys.argv[1:4]))
