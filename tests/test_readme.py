"""The README's examples run as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_examples_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks
    for block in blocks:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            exec(compile(block, str(README), "exec"), {})
        assert out.getvalue()


def test_the_two_commands_are_documented() -> None:
    text = README.read_text()
    assert "./scripts/test" in text
    assert ".venv/bin/procfs ps" in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci
