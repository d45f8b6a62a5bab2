"""The README keeps the two commands (its examples are run by tests/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_two_commands_are_documented() -> None:
    text = README.read_text()
    assert "./scripts/test" in text
    assert ".venv/bin/procfs ps" in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci
