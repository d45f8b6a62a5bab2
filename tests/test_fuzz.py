"""Property-based fuzzing of every registered parser: only ParseError may escape.

``PYPROCFS_FUZZ_EXAMPLES`` sets the number of examples per parser (CI runs
a bounded number; set it high for a long soak).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procfs.core import PARSERS
from procfs.core._record import to_plain
from procfs.errors import ParseError
from tests.conftest import SAMPLES
from tests.seeds import all_seeds, regression_seeds, tree_seeds

EXAMPLES = int(os.environ.get("PYPROCFS_FUZZ_EXAMPLES", "150"))

_NUMBERS = [b"0", b"-1", b"18446744073709551616", b"9" * 400, b"-" * 3, b"0x10", b"1e9", b"nan"]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = draw(st.sampled_from(seeds))
    kind = draw(
        st.sampled_from(["truncate", "drop", "dup", "flip", "number", "random", "empty", "splice"])
    )
    lines = data.split(b"\n")
    if kind == "truncate" and data:
        return data[: draw(st.integers(0, len(data)))]
    if kind == "drop" and lines:
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif kind == "dup" and lines:
        index = draw(st.integers(0, len(lines) - 1))
        lines.insert(index, lines[index])
    elif kind == "flip" and data:
        index = draw(st.integers(0, len(data) - 1))
        return data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
    elif kind == "number" and data:
        tokens = data.split(b" ")
        index = draw(st.integers(0, len(tokens) - 1))
        tokens[index] = draw(st.sampled_from(_NUMBERS))
        return b" ".join(tokens)
    elif kind == "random":
        return draw(st.binary(max_size=300))
    elif kind == "empty":
        return draw(st.sampled_from([b"", b"\n", b" ", b"\0", b"\n\n"]))
    elif kind == "splice":
        return draw(st.binary(max_size=20)).join(draw(st.lists(st.sampled_from(lines), max_size=8)))
    return b"\n".join(lines)


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_only_parse_error_escapes(key: str) -> None:
    parse = PARSERS[key]
    seeds = all_seeds(key) + regression_seeds(key)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated(seeds))
    def run(data: bytes) -> None:
        try:
            result = parse(data, path=f"/fuzz/{key}")
        except ParseError as exc:
            assert exc.path == f"/fuzz/{key}"
            str(exc)
            return
        try:
            # records that read on access may find a bad value only now: Status,
            # and Stat for a line with too many blank fields
            to_plain(result)
        except ParseError as exc:
            assert key.endswith(("/status", "/stat")) and key.startswith("[pid]/"), (key, exc)
            assert exc.path == f"/fuzz/{key}"

    run()


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_seeds_parse_cleanly(key: str) -> None:
    """The unmutated live file and samples parse (the fuzz seeds are valid input)."""
    for seed in all_seeds(key):
        if seed:
            to_plain(PARSERS[key](seed))


def test_every_parser_has_a_sample_in_the_project() -> None:
    """Each registered path has a captured or hand-made file under tests/samples/*/proc."""
    have: set[str] = set()
    for root in SAMPLES.glob("*/proc"):
        have |= set(tree_seeds(root))
    assert sorted(key for key in PARSERS if key not in have) == []
