"""The shape of the package: no import cycle, a pure core, one I/O layer, one accessor list."""

from __future__ import annotations

import ast
from pathlib import Path

import procfs
from procfs import root

SRC = Path(procfs.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(path: Path) -> set[str]:
    """The procfs modules ``path`` imports when it is imported (not in functions, not under
    ``if TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    modules = {_module_name(p) for p in SRC.rglob("*.py")}
    return {name for name in found if name in modules and name.startswith("procfs")}


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _module_level_imports(p) for p in SRC.rglob("*.py")}


def test_no_import_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, stack: list[str]) -> None:
        if module in stack:
            cycle = [*stack[stack.index(module) :], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            if imported != "procfs":  # every submodule's package: imported first anyway
                visit(imported, [*stack, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_check_finds_a_cycle() -> None:
    # the same walk on a made-up graph: a cycle is reported, not missed
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    seen: list[str] = []

    def visit(module: str, stack: list[str]) -> bool:
        if module in stack:
            seen.extend(stack)
            return True
        return any(visit(m, [*stack, module]) for m in graph[module])

    assert visit("a", []) and seen == ["a", "b", "c"]


def test_core_imports_only_core_and_errors() -> None:
    for path in (SRC / "core").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):  # functions and TYPE_CHECKING blocks too
            if isinstance(node, ast.ImportFrom) and node.module:
                name = node.module
            elif isinstance(node, ast.Import):
                name = node.names[0].name
            else:
                continue
            if name.startswith("procfs"):
                assert name.startswith("procfs.core") or name == "procfs.errors", (path, name)


def test_only_the_io_layer_opens_files() -> None:
    # os.open/os.read/os.readlink/os.listdir/os.write and open() live in _fs.py only
    # (snapshot.py writes archives, cli/ its output and the owner scan's pipe,
    # core/__init__.py lists its own modules)
    calls = {"open", "read", "readlink", "listdir", "write", "pread", "scandir"}
    allowed = {"_fs.py", "snapshot.py", "core/__init__.py", "cli/__init__.py"}
    allowed |= {"cli/snapshot.py", "cli/aside.py"}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative in allowed:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = node.func.value
                if isinstance(target, ast.Name) and target.id in ("os", "_os"):
                    assert node.func.attr not in calls, (relative, node.lineno, node.func.attr)


def test_each_accessor_is_bound_once_at_top_level() -> None:
    # the list the type checkers read (under TYPE_CHECKING in __init__) is the
    # list of ProcFS's accessors, and each name is the shared root's method
    tree = ast.parse((SRC / "__init__.py").read_text())
    typed: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "_root"
        ):
            (target,) = node.targets
            assert isinstance(target, ast.Name) and target.id == node.value.attr
            typed.append(target.id)
    assert len(typed) == len(set(typed))
    assert set(typed) == set(root.accessors()) - {"process"}
    fs = root.default_root()
    for name in typed:
        bound = getattr(procfs, name)
        assert bound.__self__ is fs and bound.__func__ is getattr(type(fs), name), name
    assert "process" in root.accessors() and hasattr(procfs.process, "Process")  # the module


def test_lazy_classes_are_the_typed_ones() -> None:
    tree = ast.parse((SRC / "__init__.py").read_text())
    typed = {
        alias.asname: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "typing"
        for alias in node.names
        if alias.asname
    }
    lazy = procfs._LAZY
    assert {name: typed[name] for name in lazy} == lazy
    for name in lazy:
        assert getattr(procfs, name).__name__ == name
    public = set(dir(procfs))
    assert public >= set(lazy) | set(root.accessors()) - {"process"}
    assert procfs.__all__ == procfs.__dir__()  # for from procfs import *


def test_the_submodules_are_known_to_the_package() -> None:
    # ``from procfs import <submodule>`` must not reach the accessors' lookup
    public = {p.stem for p in SRC.glob("*.py") if not p.stem.startswith("_")}
    public |= {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert public == procfs._SUBMODULES


def test_each_scan_file_is_described_by_its_parser() -> None:
    # the record a scan reads fields of is declared on the @parser line; it
    # must be the class the parser is annotated to return (when that is a record)
    from procfs.core._record import Record
    from procfs.scan import SCAN_FILES, _parser

    fast = set()
    for file in SCAN_FILES:
        parse = _parser(file)
        # (owner is the process directory itself)
        assert parse.__proc_path__ == ("[pid]" if file == "owner" else f"[pid]/{file}")
        returned = parse.__wrapped__.__annotations__["return"]  # type: ignore[attr-defined]
        module = __import__(parse.__module__, fromlist=["_"])
        cls = getattr(module, returned, None)
        expected = cls if isinstance(cls, type) and issubclass(cls, Record) else None
        assert parse.__record__ is expected, file
        if parse.__fields__ is not None:
            fast.add(file)
    assert fast == {"stat", "status", "statm", "io", "limits", "owner"}


def test_core_lists_its_parser_modules_for_type_checkers() -> None:
    # core.<module> is imported at its first use; the typed list names each one
    from procfs import core

    tree = ast.parse((SRC / "core" / "__init__.py").read_text())
    listed = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "procfs.core"
        for alias in node.names
    }
    assert listed == set(core._parser_modules())
    assert core.loadavg.parse_loadavg(b"0.1 0.2 0.3 1/2 3\n").latest_pid == 3
