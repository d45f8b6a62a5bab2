"""Records (procfs.core._record): what a type checker sees of them is what runs.

A record behaves as the frozen dataclass its type says it is: not a
sequence, immutable, compared and hashed by type and field values, copied
and pickled by value, with the fields as its signature. Records that keep
what their parser found (``Lazy``) behave the same, and every parser rejects
a number too long to convert when it parses, not when a field is read.
"""

from __future__ import annotations

import copy
import enum
import inspect
import json
import pickle
import pydoc
import re
import subprocess
import sys
from typing import Any

import pytest

from procfs.core import PARSERS
from procfs.core._record import FrozenRecordError, Lazy, Record, to_plain
from procfs.core.meminfo import MemInfo, parse_meminfo
from procfs.core.net import TcpState, parse_tcp
from procfs.core.net_unix import UnixState
from procfs.core.stat import parse_stat
from procfs.core.status import parse_status
from procfs.errors import ParseError
from tests.conftest import sample
from tests.seeds import all_seeds


class Point(Record):
    x: int
    y: int
    label: str | None = None


class Digits(Record):
    a: int
    b: int
    name: str

    __lazy__ = Lazy(int, name=None)


_STAT = sample("dev-machine/proc/1/stat")
_STATUS = sample("dev-machine/proc/1/status")
_MEMINFO = sample("dev-machine/proc/meminfo")


def _records() -> list[Record]:
    """One record of each kind: plain, lazy from digits, Stat, Status, MemInfo, a socket."""
    return [
        Point(1, 2),
        Digits._from_stored((b"1", b"2", "x")),
        parse_stat(_STAT),
        parse_status(_STATUS),
        parse_meminfo(_MEMINFO),
        parse_tcp(sample("dev-machine/proc/net/tcp"))[0],
    ]


@pytest.mark.parametrize("record", _records(), ids=lambda record: type(record).__name__)
def test_a_record_is_not_a_sequence(record: Record) -> None:
    value: Any = record
    assert not isinstance(record, tuple)
    with pytest.raises(TypeError):
        len(value)
    with pytest.raises(TypeError):
        value[0]
    with pytest.raises(TypeError):
        iter(value)
    with pytest.raises(TypeError):
        value < value  # noqa: B015
    with pytest.raises(TypeError):
        json.dumps(record)
    assert json.loads(json.dumps(record.to_dict())) == record.to_dict()


@pytest.mark.parametrize("record", _records(), ids=lambda record: type(record).__name__)
def test_a_record_is_immutable(record: Record) -> None:
    value: Any = record
    field = record._fields[0]
    before = getattr(record, field)
    with pytest.raises(FrozenRecordError):
        setattr(value, field, 5)
    with pytest.raises(FrozenRecordError):
        delattr(value, field)
    with pytest.raises(AttributeError):
        value.not_a_field = 1
    assert getattr(record, field) == before
    assert issubclass(FrozenRecordError, AttributeError)


def _same_hash(one: Record, other: Record) -> bool:
    """Whether the records hash alike, or both are unhashable (a dict field), as a
    dataclass with such a field is."""
    try:
        return hash(one) == hash(other)
    except TypeError as exc:
        assert "unhashable type: 'dict'" in str(exc)
        with pytest.raises(TypeError):
            hash(other)
        return True


@pytest.mark.parametrize("record", _records(), ids=lambda record: type(record).__name__)
def test_copies_and_pickles_are_equal_records(record: Record) -> None:
    copies = [copy.copy(record), copy.deepcopy(record)]
    copies += [pickle.loads(pickle.dumps(record, protocol)) for protocol in range(6)]
    for other in copies:
        assert type(other) is type(record)
        assert other == record and _same_hash(other, record)
        assert other._astuple() == record._astuple()
        assert repr(other) == repr(record)


@pytest.mark.parametrize("record", _records(), ids=lambda record: type(record).__name__)
def test_equality_goes_by_type_and_field_values(record: Record) -> None:
    cls = type(record)
    rebuilt = cls._make(record._astuple())  # from the values, not what the parser kept
    assert rebuilt == record and record == rebuilt
    assert not rebuilt != record  # noqa: SIM202 (__ne__ as well)
    assert _same_hash(rebuilt, record)
    assert cls(*record._astuple()) == record
    first = record._fields[0]
    changed = record.replace(**{first: None})
    assert changed != record and getattr(changed, first) is None
    assert record != record._astuple()  # not a tuple, nor equal to one
    assert record.__eq__(record._astuple()) is NotImplemented


def test_equal_values_of_another_record_type_are_not_equal() -> None:
    class Other(Record):
        x: int
        y: int
        label: str | None = None

    assert Point(1, 2) != Other(1, 2)
    assert {Point(1, 2), Point(1, 2), Point(1, 3)} == {Point(1, 2), Point(1, 3)}


def test_lazy_fields_convert_stored_digits() -> None:
    stored = Digits._from_stored((b"12", b"3", "n"))
    assert stored._values == (b"12", b"3", "n")
    assert (stored.a, stored.b, stored.name) == (12, 3, "n")
    assert stored == Digits(12, 3, "n") and hash(stored) == hash(Digits(12, 3, "n"))
    assert Digits(12, 3, "n")._values == (12, 3, "n")
    assert Digits.fields_getter(("b", "a"))(stored) == (3, 12)
    assert Digits.fields_getter(("b", "a"))(Digits(12, 3, "n")) == (3, 12)
    assert Digits.fields_getter(("name", "a"))(stored) == ("n", 12)


def test_a_lazy_record_declares_only_its_fields() -> None:
    with pytest.raises(TypeError, match="no field 'nope'"):

        class Wrong(Record):
            a: int

            __lazy__ = Lazy(int, nope=None)


def test_the_signature_shows_the_fields() -> None:
    signature = inspect.signature(Point)
    assert list(signature.parameters) == ["x", "y", "label"]
    assert signature.parameters["label"].default is None
    assert signature.parameters["x"].default is inspect.Parameter.empty
    meminfo = inspect.signature(MemInfo)
    assert list(meminfo.parameters) == list(MemInfo._fields)
    assert meminfo.parameters["mem_total"].default is inspect.Parameter.empty
    assert meminfo.parameters["extra"].default == {}
    text = pydoc.render_doc(MemInfo, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert "MemInfo(mem_total: 'int', mem_free: 'int', mem_available: 'int | None' = None" in text


def test_constructors_check_their_arguments() -> None:
    with pytest.raises(TypeError):
        Point(1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, z=3)  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Point._make((1,))
    assert Point(y=2, x=1) == Point._make((1, 2, None))
    with pytest.raises(TypeError):
        Record()


def test_match_and_fields() -> None:
    match Point(1, 2):
        case Point(x, y, label):
            assert (x, y, label) == (1, 2, None)
        case _:
            pytest.fail("no match")
    assert Point._fields == ("x", "y", "label") == Point.__match_args__
    assert Point._field_defaults == {"label": None}
    assert Point.has_field("x") and not Point.has_field("z") and not Point.has_field("_fields")


def test_stat_equality_needs_no_split_of_equal_lines() -> None:
    quick, again = parse_stat(_STAT), parse_stat(_STAT)
    assert quick == again and quick._values[4] == [] == again._values[4]  # nothing split
    full = parse_stat(_STAT.rstrip(b"\n"))  # the full parse: another storage, same values
    assert full._values[3] is None and quick == full and hash(quick) == hash(full)


def test_socket_states_are_real_int_enums() -> None:
    assert isinstance(TcpState.ESTABLISHED, enum.IntEnum)
    assert isinstance(UnixState.CONNECTED, enum.IntEnum)
    entry = parse_tcp(sample("dev-machine/proc/net/tcp"))[0]
    assert type(entry.state) is TcpState and entry.state.name in TcpState.__members__


def test_records_import_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from procfs.core.stat import parse_stat\n"
        "from procfs.core.meminfo import parse_meminfo\n"
        "from procfs.core.net import parse_tcp\n"
        "s = parse_stat(b'1 (init) S ' + b'0 ' * 48 + b'0\\n')\n"
        "m = parse_meminfo(b'MemTotal: 1 kB\\nMemFree: 1 kB\\n')\n"
        "t = parse_tcp(b'  sl  local_address rem_address   st\\n')\n"
        "assert s == s and m == m and hash(s) == hash(s) and s.replace(pid=2).pid == 2\n"
        "print(sorted({'dataclasses', 'typing', 'enum', 'inspect'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# -- over-long numbers: rejected when parsed, never when a field is read ------------------

_LONG = b"7" * 5000
_NUMBER = re.compile(rb"\d+")
#: Numbers replaced in each input, spread over it.
_PLACES = 6


def _mutations(data: bytes) -> list[bytes]:
    """``data`` with one of its numbers (a few, spread over the file) made 5000 digits long."""
    spans = [match.span() for match in _NUMBER.finditer(data)]
    step = max(1, len(spans) // _PLACES)
    return [data[:start] + _LONG + data[end:] for start, end in spans[::step]]


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_an_over_long_number_is_refused_when_parsed(key: str) -> None:
    parse = PARSERS[key]
    for seed in all_seeds(key)[:3]:
        for data in _mutations(seed):
            try:
                result = parse(data, path=f"/long/{key}")
            except ParseError:
                continue
            # Every field reads without an error (int() refuses more than 4300 digits).
            to_plain(result)
