"""Tests for procfs.core.procstate: the state letter of /proc/[pid]/stat."""

from __future__ import annotations

import pytest

from procfs.core.procstate import ProcState
from procfs.core.stat import parse_stat
from procfs.errors import ParseError
from tests.conftest import sample

# proc(5), "/proc/pid/stat", field (3).
EXPECTED = {
    "R": ProcState.Running,
    "S": ProcState.Sleeping,
    "D": ProcState.Waiting,
    "Z": ProcState.Zombie,
    "T": ProcState.Stopped,
    "t": ProcState.Tracing,
    "X": ProcState.Dead,
    "x": ProcState.Dead,
    "K": ProcState.Wakekill,
    "W": ProcState.Waking,
    "P": ProcState.Parked,
    "I": ProcState.Idle,
}


@pytest.mark.parametrize(("letter", "state"), EXPECTED.items())
def test_letters(letter: str, state: ProcState) -> None:
    assert ProcState.from_char(letter) is state
    assert ProcState(letter) is state


def test_values_are_the_letters() -> None:
    assert [member.value for member in ProcState] == list("RSDZTtXKWPI")
    assert ProcState.Dead.value == "X"  # "x" is read as the same member


@pytest.mark.parametrize("letter", ["?", "r", "", "RS", "A"])
def test_unknown_letter(letter: str) -> None:
    with pytest.raises(ParseError):
        ProcState.from_char(letter)
    with pytest.raises(ValueError):  # ParseError is a ValueError, as Enum promises
        ProcState(letter)


def test_stat_property() -> None:
    stat = parse_stat(sample("dev-machine/proc/1/stat"))
    assert stat.proc_state is ProcState.Sleeping
    unknown = stat.replace(state="?")
    with pytest.raises(ParseError):
        _ = unknown.proc_state


def test_to_dict_gives_the_name() -> None:
    assert ProcState.Waiting.name == "Waiting"
    stat = parse_stat(sample("prometheus-fixtures/proc/26231/stat"))
    assert stat.to_dict()["state"] == "R"
