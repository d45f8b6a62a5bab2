"""MkDocs hooks: the pages made from the code, so that they cannot drift from it.

- ``commands/``: one page per command of ``procfs.cli.COMMANDS``, with the help text
  the command prints and an example run on the machine that builds the site;
- ``reference/``: the API reference (mkdocstrings pages) and the coverage table
  (/proc file -> accessor -> record -> since kernel), made from the parser registry
  and the accessors' source.
"""

from __future__ import annotations

import ast
import contextlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

#: (page, title, what it documents: identifiers for mkdocstrings, and their options)
REFERENCE: list[tuple[str, str, list[str]]] = [
    ("procfs", "The procfs module and ProcFS", ["procfs.root.ProcFS"]),
    ("system", "System files", ["procfs.system.SystemFiles", "procfs.system.cgroup_pressure"]),
    ("usage", "System usage (psutil style)", ["procfs.usage", "procfs.memory"]),
    ("rates", "Counters to rates: sample and delta", ["procfs.rates"]),
    ("processes", "Processes and threads", ["procfs.process", "procfs.process_actions"]),
    (
        "process-info",
        "psutil-style answers, process_iter",
        ["procfs.process_info", "procfs.processes", "procfs.ioprio"],
    ),
    (
        "relations",
        "Process family, open files and sockets",
        ["procfs.process_relations"],
    ),
    ("scan", "Scans: every process in one pass", ["procfs.scan"]),
    ("net", "Network tables and socket owners", ["procfs.net"]),
    ("sysctl", "Kernel parameters (sys/)", ["procfs.proc_sys"]),
    (
        "prometheus",
        "Prometheus collectors",
        [
            "procfs.prometheus.node",
            "procfs.prometheus.process_groups",
            "procfs.prometheus.process_self",
            "procfs.prometheus.exposition",
        ],
    ),
    ("errors", "Errors", ["procfs.errors"]),
    ("snapshot", "Snapshots", ["procfs.snapshot"]),
    ("tty", "Terminal and user names", ["procfs.tty", "procfs.users"]),
    ("records", "Records", ["procfs.core._record"]),
]

#: Options per identifier, where the defaults do not fit.
OPTIONS: dict[str, dict[str, Any]] = {
    "procfs.root.ProcFS": {"members": ["from_snapshot"]},
    "procfs.process": {"inherited_members": True},
    # (the methods of ProcessInfo are on the Process page, inherited)
    "procfs.process_info": {
        "members": [
            *("ATTRIBUTES", "STATE_NAMES", "ProcessCpuTimes", "MemoryInfo", "MemoryFullInfo"),
            "Ids",
            *("CtxSwitches", "IoCounters", "IoPriority", "Executable"),
        ]
    },
}

#: One example per command: the command line and how many lines of output to show.
EXAMPLES: dict[str, tuple[str, int]] = {
    "ps": ("procfs ps -e", 8),
    "netstat": ("procfs netstat -l", 8),
    "show": ("procfs show loadavg", 10),
    "snapshot": ("procfs snapshot /tmp/report.tar.gz", 4),
    "top": ("procfs top -b -n 1", 14),
    "free": ("procfs free -h", 4),
    "vmstat": ("procfs vmstat", 4),
    "pstree": ("procfs pstree -p", 10),
    "pgrep": ("procfs pgrep -a -o .", 4),
    "pkill": ("procfs pkill -0 -e -n .", 4),
    "lsof": ("procfs lsof /dev/null", 8),
    "completion": ("procfs completion bash", 8),
    "exporter": ("procfs exporter --once --collector.disable-defaults --collector.loadavg", 12),
}


def _run_help(command: str) -> str:
    from procfs.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([command, "--help"])
    return out.getvalue()


def _example(command: str) -> str:
    line, limit = EXAMPLES.get(command, (f"procfs {command}", 10))
    script = ROOT / "bin" / "procfs"
    argv = [sys.executable, str(script), *line.split()[1:]]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        lines = (result.stdout or result.stderr).splitlines()
    except (OSError, subprocess.TimeoutExpired) as exc:
        lines = [f"(not run: {exc})"]
    shown = lines[:limit] + (["..."] if len(lines) > limit else [])
    return f"$ {line}\n" + "\n".join(shown)


def command_pages() -> dict[str, str]:
    """``commands/*.md``: an index and a page per command."""
    from procfs.cli import COMMANDS

    pages: dict[str, str] = {}
    rows = "".join(
        f"| [`procfs {name}`]({name}.md) | {description} |\n"
        for name, (_, description) in COMMANDS.items()
    )
    pages["commands/index.md"] = (
        "# Commands\n\n"
        "Every command takes `--help`, and most take `--json` and `--root DIR` (another\n"
        "procfs mount or a captured tree). The help text below is what the command prints.\n\n"
        "| command | what it does |\n| --- | --- |\n" + rows
    )
    for name, (_, description) in COMMANDS.items():
        pages[f"commands/{name}.md"] = (
            f"# procfs {name}\n\n{description[:1].upper()}{description[1:]}.\n\n"
            f"```text\n{_run_help(name).rstrip()}\n```\n\n"
            "## Example\n\n"
            f"Run on the machine that built this page:\n\n```console\n{_example(name)}\n```\n"
        )
    return pages


# -- the coverage table ----------------------------------------------------------

#: The modules whose methods read /proc files, and how a user names their methods.
_ACCESSOR_MODULES = {
    "procfs.system": "procfs.{}",
    "procfs.net": "procfs.{}",
    "procfs.process": "Process.{}",
    "procfs._handle": "Process.{}",
    "procfs.proc_sys": "procfs.{}",
    "procfs.scan": "procfs.{}",
    "procfs.usage": "procfs.{}",
    "procfs.tty": "procfs.tty.{}",
}


def _parser_users() -> dict[str, list[tuple[str, str]]]:
    """Parser name (``module.function``) -> [(shown name, reference identifier)]."""
    users: dict[str, list[tuple[str, str]]] = {}
    for module, shown in _ACCESSOR_MODULES.items():
        path = SRC / (module.replace(".", "/") + ".py")
        if not path.exists():
            continue
        tree = ast.parse(path.read_text())
        imported = {
            alias.asname or alias.name: f"{node.module}.{alias.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("procfs.core.")
            for alias in node.names
        }
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for method in cls.body:
                if not isinstance(method, ast.FunctionDef) or method.name.startswith("_"):
                    continue
                cls_name = "Process" if cls.name == "_Handle" else cls.name
                ident_module = "procfs.process" if module == "procfs._handle" else module
                ident = f"{ident_module}.{cls_name}.{method.name}"
                name = shown.format(method.name + "()")
                if module == "procfs.process" and cls.name != "Process":
                    name = f"{cls.name}.{method.name}()".replace("ProcessFiles.", "procfs.")
                for node in ast.walk(method):
                    target = None
                    if (
                        isinstance(node, ast.Attribute)
                        and isinstance(node.value, ast.Attribute)
                        and isinstance(node.value.value, ast.Name)
                        and node.value.value.id == "core"
                    ):
                        target = f"procfs.core.{node.value.attr}.{node.attr}"
                    elif isinstance(node, ast.Name) and node.id in imported:
                        target = imported[node.id]
                    if target is not None:
                        found = users.setdefault(target, [])
                        if (name, ident) not in found:
                            found.append((name, ident))
    return users


#: Parsers that an accessor reaches in a way the source scan does not see.
_FALLBACK = {
    "[pid]/auxv": [("Process.auxv()", "procfs.process.Process.auxv")],
    "tty/drivers": [("procfs.tty.TtyNames", "procfs.tty.TtyNames")],
}


def coverage_table() -> str:
    """The coverage table, one row per registered parser, in the order of their paths."""
    from procfs.core import PARSERS

    users = _parser_users()
    seen: set[int] = set()
    rows = []
    for path in sorted(PARSERS, key=lambda p: (p.startswith("[pid]"), p)):
        parse = PARSERS[path]
        if id(parse) in seen:
            continue
        seen.add(id(parse))
        paths = [p for p, other in PARSERS.items() if other is parse]
        key = f"{parse.__module__}.{getattr(parse, '__name__', '')}"
        found = users.get(key) or _FALLBACK.get(path) or []
        if not found and path.startswith("sys/"):
            name = path.removeprefix("sys/").replace("/", ".")
            found = [(f'procfs.sysctl("{name}")', "procfs.proc_sys.SysctlFiles.sysctl")]
        accessors = ", ".join(f"[`{name}`][{ident}]" for name, ident in found)
        accessors = accessors or f"`PARSERS[{path!r}]`"
        returns = getattr(parse, "__wrapped__", parse).__annotations__.get("return", "")
        # a thread's copy of a file is implied by the process's
        shown_paths = ", ".join(f"`{p}`" for p in paths if not p.startswith("[pid]/task/[tid]/"))
        rows.append(
            f"| {shown_paths} | {accessors} | [`{returns}`][{parse.__module__}] | "
            f"{parse.__since__ or '?'} |"
        )
    return (
        "| /proc file | accessor | record | since kernel |\n| --- | --- | --- | --- |\n"
        + "\n".join(rows)
        + "\n"
    )


def reference_pages() -> dict[str, str]:
    """``reference/*.md``: the index with the coverage table, and the mkdocstrings pages."""
    import json

    from procfs.core import PARSERS

    pages: dict[str, str] = {}
    for slug, title, idents in REFERENCE:
        body = []
        for ident in idents:
            options = OPTIONS.get(ident)
            block = f"::: {ident}\n"
            if options:  # (JSON is YAML)
                block += f"    options: {json.dumps(options)}\n"
            body.append(block)
        pages[f"reference/{slug}.md"] = f"# {title}\n\n" + "\n".join(body)
    modules: dict[str, list[str]] = {}
    for path, parse in PARSERS.items():
        found = modules.setdefault(parse.__module__, [])
        if path not in found:
            found.append(path)
    for extra in sorted((SRC / "procfs" / "core").glob("*.py")):
        if not extra.stem.startswith("_"):
            modules.setdefault(f"procfs.core.{extra.stem}", [])
    file_rows = []
    for module in sorted(modules):
        slug = module.rsplit(".", 1)[-1]
        paths = modules[module]
        shown = ", ".join(f"`{p}`" for p in paths[:6]) + (" ..." if len(paths) > 6 else "")
        shown = shown or f"`{module}`"
        pages[f"reference/files/{slug}.md"] = f"# {shown}\n\n::: {module}\n"
        file_rows.append(f"| [{shown}](files/{slug}.md) | `{module}` |")
    pages["reference/index.md"] = (
        "# API reference\n\n"
        "The `procfs` module binds every accessor to the live `/proc`: `procfs.meminfo()` is\n"
        '`ProcFS("/proc").meminfo()`. The pages below document the accessor classes that\n'
        "`ProcFS` combines, the process handles, the scans, the errors and, file by file,\n"
        "the parsers and their records.\n\n"
        + "".join(f"- [{title}]({slug}.md)\n" for slug, title, _ in REFERENCE)
        + "\n## Coverage\n\nMade from the parser registry (`procfs.core.PARSERS`) and the\n"
        "accessors' code: each /proc file, what reads it, what it returns and the kernel\n"
        "that added it.\n\n"
        + coverage_table()
        + "\n## Files\n\n| /proc files | parser module |\n| --- | --- |\n"
        + "\n".join(file_rows)
        + "\n"
    )
    return pages


_PAGES: dict[str, str] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _PAGES.clear()
    _PAGES.update(command_pages())
    _PAGES.update(reference_pages())
    commands: list[dict[str, Any]] = [{"Overview": "commands/index.md"}] + [
        {name.removeprefix("commands/").removesuffix(".md"): name}
        for name in _PAGES
        if name.startswith("commands/") and name != "commands/index.md"
    ]
    reference: list[dict[str, Any]] = [{"Overview": "reference/index.md"}]
    reference += [{title: f"reference/{slug}.md"} for slug, title, _ in REFERENCE]
    reference.append({"Files": [name for name in _PAGES if name.startswith("reference/files/")]})
    nav = config["nav"]
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and "Commands" in entry:
            nav[index] = {"Commands": commands}
        if isinstance(entry, dict) and "API reference" in entry:
            nav[index] = {"API reference": reference}
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, content in _PAGES.items():
        files.append(File.generated(config, name, content=content))
    return files
