"""/proc/loadavg: samples and the live system against os.getloadavg()."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core import loadavg as loadavg_module
from procfs.core.loadavg import LoadAverage, parse_loadavg
from tests.conftest import PROMETHEUS_PROC, corpus_path, sample
from tests.mutations import outcome, strict


def test_registered() -> None:
    assert PARSERS["loadavg"] is parse_loadavg


def test_rust_crate_sample() -> None:
    load = parse_loadavg(sample("rust-procfs-samples/loadavg.test_loadavg_from_reader.txt"))
    assert load == LoadAverage(2.63, 1.00, 1.42, 3, 4280, 2496732)
    assert load.to_dict() == {
        "one": 2.63,
        "five": 1.0,
        "fifteen": 1.42,
        "cur": 3,
        "max": 4280,
        "latest_pid": 2496732,
    }


def test_prometheus_fixture() -> None:
    load = ProcFS(corpus_path(PROMETHEUS_PROC)).loadavg()
    assert (load.one, load.five, load.fifteen) == (0.02, 0.04, 0.05)
    assert (load.cur, load.max, load.latest_pid) == (1, 497, 11947)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"0.00 0.01 0.05 1/100\n",
        b"0.00 0.01 0.05 1/100 5 6\n",
        b"0.00 0.01 0.05 1-100 5\n",
        b"nan 0.01 0.05 1/100 5\n",
        b"1e5 0.01 0.05 1/100 5\n",
        b"0.00 0.01 0.05 x/100 5\n",
        b"0.00 0.01 0.05 1/100 -\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_loadavg(data)


def test_live_against_getloadavg() -> None:
    load = ProcFS().loadavg()
    expected = os.getloadavg()
    # The kernel refreshes the averages every 5 s; allow for a refresh between reads.
    for mine, theirs in zip((load.one, load.five, load.fifteen), expected, strict=True):
        assert abs(mine - theirs) < 0.5
    assert 1 <= load.cur <= load.max
    # Every process is a scheduling entity: there are at least as many as pids now.
    pids = [name for name in os.listdir("/proc") if name.isdigit()]
    assert load.max >= len(pids) - 20
    assert load.latest_pid > 0


# -- the fast reading of the usual line agrees with the strict one --------------------------

_TOKENS = [b"0.02", b"1.", b".5", b"5", b".", b"1.2.3", b"", b"+1", b"-1", b"1_0", b"nan", b"1e5"]


_strict = strict(lambda data: loadavg_module._parse_strict(data, data.split()), "loadavg")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), min_size=7, max_size=7), st.sampled_from([b"/", b"-"]))
def test_fast_and_strict_readings_agree(tokens: list[bytes], slash: bytes) -> None:
    one, five, fifteen, running, total, last, _ = tokens
    data = b" ".join([one, five, fifteen, running + slash + total, last]) + b"\n"
    assert outcome(parse_loadavg, data) == outcome(_strict, data)
