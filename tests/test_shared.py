"""The shared layer: errors, records, tokenizing helpers, the registry, ProcFS."""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import procfs
from procfs import NotFoundError, ParseError, PermissionDeniedError, ProcError, ProcFS
from procfs.core import PARSERS
from procfs.core._parse import (
    kb_map,
    key_values,
    layout_cache,
    parse_decimal,
    parse_int,
    parser,
    table_rows,
    unescape_octal,
)
from procfs.core._record import Record, to_plain
from procfs.errors import from_oserror


class Point(Record):
    x: int
    y: int
    label: str | None = None


class Box(Record):
    corner: Point
    items: list[Point]


def test_record_behaves_like_a_frozen_dataclass() -> None:
    p = Point(1, 2)
    assert (p.x, p.y, p.label) == (1, 2, None)
    assert p == Point(x=1, y=2, label=None)
    assert p != Point(1, 3)
    assert p != (1, 2, None)  # a record only equals its own type
    assert repr(p) == "Point(x=1, y=2, label=None)"
    assert hash(p) == hash(Point(1, 2))
    assert p.replace(label="a") == Point(1, 2, "a")
    assert pickle.loads(pickle.dumps(p)) == p
    with pytest.raises(AttributeError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.z = 5  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        p.replace(z=1)


def test_to_dict_is_plain_json_data() -> None:
    box = Box(Point(0, 0, "o"), [Point(1, 1)])
    assert box.to_dict() == {
        "corner": {"x": 0, "y": 0, "label": "o"},
        "items": [{"x": 1, "y": 1, "label": None}],
    }
    assert to_plain({1: b"\xffa", "t": (1, 2)}) == {"1": "\udcffa", "t": [1, 2]}


def test_errors_are_the_matching_builtin_exceptions() -> None:
    assert issubclass(NotFoundError, FileNotFoundError)
    assert issubclass(PermissionDeniedError, PermissionError)
    assert issubclass(ParseError, ValueError)
    for cls in (NotFoundError, PermissionDeniedError, ParseError):
        assert issubclass(cls, ProcError)
    for code, cls in (
        (errno.ENOENT, NotFoundError),
        (errno.ESRCH, NotFoundError),
        (errno.EACCES, PermissionDeniedError),
        (errno.EPERM, PermissionDeniedError),
    ):
        err = from_oserror(OSError(code, os.strerror(code)), "/proc/1/x")
        assert type(err) is cls
        assert err.path == "/proc/1/x"
    other = from_oserror(OSError(errno.EIO, "I/O error"), "/proc/x")
    assert type(other) is ProcError
    error = ParseError("bad value", "/proc/meminfo", b"MemTotal: x\xff", 3)
    assert str(error) == (
        "/proc/meminfo, line 3: bad value: 'MemTotal: x\\\\xff'"
        " (to report this, attach a snapshot: procfs snapshot report.tar.gz)"
    )


def test_helpers() -> None:
    assert unescape_octal(rb"a\040b\011c\012d\134e") == b"a b\tc\nd\\e"
    assert unescape_octal(rb"no\escape\09x\0") == rb"no\escape\09x\0"
    assert kb_map(b"MemTotal:  100 kB\nHugePages_Total:   3\n") == {
        "MemTotal": 102400,
        "HugePages_Total": 3,
    }
    with pytest.raises(ParseError):
        kb_map(b"MemTotal: 1 MB\n")
    with pytest.raises(ParseError):
        kb_map(b"MemTotal: lots kB\n")
    assert list(key_values(b"Name:\ta: b\n\nUid: 1\n")) == [
        (b"Name", b"a: b", 1),
        (b"Uid", b"1", 3),
    ]
    with pytest.raises(ParseError) as info:
        list(key_values(b"a: 1\nnonsense\n"))
    assert info.value.lineno == 2
    assert [f for f, _ in table_rows(b"h1 h2\n1 2\n\n3 4\n")] == [[b"1", b"2"], [b"3", b"4"]]
    with pytest.raises(ParseError):
        list(table_rows(b"h\n1\n", min_fields=2))
    assert parse_int(b"-12") == -12
    with pytest.raises(ParseError):
        parse_int(b"x1", "pid")


class _Spans:
    """A test layout: where each ``key=value`` word's value is; keys with digits are fixed."""

    built = 0

    def __init__(self, data: bytes) -> None:
        if b"=" not in data:
            raise ValueError("not the usual form")
        _Spans.built += 1
        self.values: list[slice] = []
        fixed = []
        start = 0
        for word in data.split(b" "):
            key, _, _ = word.partition(b"=")
            self.values.append(slice(start + len(key) + 1, start + len(word)))
            if not key.isalpha():
                fixed.append((slice(start, start + len(key)), key))
            start += len(word) + 1
        self.fixed = tuple(fixed)


def test_layout_cache_reuses_a_layout_while_the_shape_holds() -> None:
    layouts = layout_cache(_Spans)
    first = layouts(b"a=1 b2=22")
    assert first is not None and _Spans.built == 1
    assert layouts(b"a=7 b2=95") is first  # only digits changed
    assert _Spans.built == 1
    assert layouts(b"a=17 b2=9") is not first  # another shape
    assert layouts(b"a=1 b3=22") is not None and _Spans.built == 3  # a digit of a key
    assert layouts(b"nothing") is None  # refused by the builder
    assert layouts(b"a=1 b3=22") is not None and _Spans.built == 3  # still remembered


def test_parser_decorator_turns_any_failure_into_parse_error() -> None:
    @parser("test/only")
    def parse_first(data: bytes) -> int:
        return int(data.split()[5])

    assert parse_first(b"0 1 2 3 4 5") == 5
    with pytest.raises(ParseError) as info:
        parse_first(b"1 2")
    assert info.value.path == "test/only"
    with pytest.raises(ParseError) as info:
        parse_first(b"1 2", path="/proc/x")
    assert info.value.path == "/proc/x"
    from procfs.core._parse import REGISTRY

    del REGISTRY["test/only"]


def test_registry_covers_the_first_release() -> None:
    for key in (
        "[pid]/stat",
        "[pid]/status",
        "[pid]/statm",
        "[pid]/io",
        "[pid]/maps",
        "[pid]/cmdline",
        "[pid]/environ",
        "[pid]/fd/[fd]",
        "[pid]/limits",
        "[pid]/mountinfo",
        "[pid]/mountstats",
        "meminfo",
        "cpuinfo",
        "loadavg",
        "stat",
        "cgroups",
        "sys/kernel/osrelease",
        "config.gz",
        "net/tcp",
        "net/tcp6",
        "tty/drivers",
    ):
        assert key in PARSERS, key
        assert PARSERS[key].__proc_path__ in (key, key.replace("[pid]", "[pid]/task/[tid]"))


def test_procfs_reads_and_maps_errors(tmp_path: Path) -> None:
    (tmp_path / "meminfo").write_bytes(b"MemTotal: 1 kB\n")
    (tmp_path / "linkfile").write_bytes(b"/target/path\n")
    os.symlink("/real/target", tmp_path / "link")
    fs = ProcFS(tmp_path)
    assert fs.read("meminfo") == b"MemTotal: 1 kB\n"
    assert fs.readlink("link") == "/real/target"
    assert fs.readlink("linkfile") == "/target/path"
    with pytest.raises(NotFoundError) as info:
        fs.read("nothing")
    assert info.value.path == f"{tmp_path}/nothing"
    (tmp_path / "secret").write_bytes(b"x")
    os.chmod(tmp_path / "secret", 0)
    if os.geteuid() != 0:
        with pytest.raises(PermissionDeniedError):
            fs.read("secret")
    assert repr(fs) == f"ProcFS({str(tmp_path)!r})"
    assert fs == ProcFS(str(tmp_path) + "/")


def test_large_file_is_read_whole() -> None:
    data = ProcFS().read("self/maps")
    with open("/proc/self/maps", "rb") as f:
        assert len(data) > 0
        assert data.count(b"\n") >= f.read().count(b"\n") - 5


def test_import_procfs_is_lazy() -> None:
    code = (
        "import sys, procfs; "
        "heavy = {'typing', 'enum', 're', 'dataclasses', 'argparse', 'socket', 'datetime', "
        "'procfs.process', 'procfs.system', 'procfs.net', 'procfs.core.stat'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_ps_command_imports_little() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from procfs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['ps', '-e'])\n"
        "heavy = {'typing', 'dataclasses', 'argparse', 'socket', 'json', 'enum'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_module_functions_use_the_default_root() -> None:
    assert procfs.meminfo.__self__ == ProcFS("/proc")  # type: ignore[attr-defined]
    assert "Process" in dir(procfs)
    with pytest.raises(AttributeError):
        procfs.no_such_thing  # noqa: B018


@pytest.mark.parametrize("token", [b"nan", b"inf", b"1e5", b"1_0", b"1.2.3", b"-1.0", b"", b"."])
def test_parse_decimal_refuses_what_float_alone_would_take(token: bytes) -> None:
    with pytest.raises(ParseError, match="load average is not a decimal number") as info:
        parse_decimal(token, "load average", b"the line", 3)
    assert (info.value.lineno, info.value.line) == (3, "the line")


def test_parse_decimal_reads_the_kernels_form() -> None:
    assert parse_decimal(b"12.05", "x") == 12.05
    assert parse_decimal(b"7", "x") == 7.0
    with pytest.raises(ParseError) as info:
        parse_decimal(b"1e5", "x")
    assert info.value.line == "1e5"
