"""The documentation site: it builds strictly, it documents every public name and
command, and every code example in it and in the README runs and type-checks."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import procfs
from procfs import root
from procfs.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with ``mkdocs build --strict`` (a warning fails the build)."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def _inventory(site: Path) -> set[str]:
    """The identifiers documented in the site (its ``objects.inv``, Sphinx format)."""
    data = (site / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):  # four header lines, then zlib
        header_end = data.index(b"\n", header_end) + 1
    lines = zlib.decompress(data[header_end:]).decode().splitlines()
    return {line.split(" ", 1)[0] for line in lines}


def test_every_public_name_is_in_the_reference(site: Path) -> None:
    documented = _inventory(site)
    methods = {name.rsplit(".", 1)[-1] for name in documented}
    missing = [name for name in root.accessors() if name not in methods]
    assert not missing, f"accessors missing from the API reference: {missing}"
    lazy_missing = [
        name
        for name, module in procfs._LAZY.items()
        if f"{module}.{name}" not in documented
        and not any(item.endswith(f".{name}") for item in documented)
    ]
    assert not lazy_missing, f"classes missing from the API reference: {lazy_missing}"
    for cls in (procfs.Process, procfs.Task):
        public = [name for name in dir(cls) if not name.startswith("_")]
        missing = [n for n in public if f"procfs.process.{cls.__name__}.{n}" not in documented]
        assert not missing, f"{cls.__name__} methods missing from the API reference: {missing}"
    assert "procfs.root.ProcFS.from_snapshot" in documented


def test_every_command_has_its_page(site: Path) -> None:
    for name in COMMANDS:
        page = site / "commands" / name / "index.html"
        assert page.exists(), name
        assert f"procfs {name}" in page.read_text()


def test_the_coverage_table_lists_every_registered_file(site: Path) -> None:
    from procfs.core import PARSERS

    text = (site / "reference" / "index.html").read_text()
    for path in PARSERS:
        assert f"<code>{path}</code>" in text or path.startswith("[pid]/task/"), path


def _examples() -> list[tuple[str, str]]:
    """Every ```python block of the README and the hand-written docs: (where, code)."""
    found = []
    for page in [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]:
        for number, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S)):
            found.append((f"{page.relative_to(ROOT)}#{number}", block))
    return found


EXAMPLES = _examples()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("where", "code"), EXAMPLES, ids=[where for where, _ in EXAMPLES])
def test_the_example_runs(where: str, code: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code, where, "exec"), {"__name__": "__example__"})
    assert out.getvalue(), f"{where} printed nothing"


def test_the_examples_type_check(tmp_path: Path) -> None:
    from mypy import api

    files = []
    for number, (where, code) in enumerate(EXAMPLES):
        path = tmp_path / f"example_{number}.py"
        path.write_text(f"# {where}\n{code}")
        files.append(str(path))
    stdout, stderr, status = api.run(["--strict", "--no-incremental", *files])
    assert status == 0, stdout + stderr


def test_the_docs_name_procfs_accessors_that_exist() -> None:
    # ``procfs.name(`` in any page names an accessor or a public class
    public = set(procfs.__dir__())
    for page in [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]:
        for name in re.findall(r"\bprocfs\.([a-z_]+)\(", page.read_text()):
            assert name in public, f"{page.name}: procfs.{name}() does not exist"
