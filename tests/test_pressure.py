"""/proc/pressure/*: PSI samples of every shape, cgroup v2 files, and the live system."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import procfs
from procfs import NotFoundError, ParseError, ProcError, ProcFS
from procfs.core import PARSERS
from procfs.core.pressure import Pressure, PressureRecord, parse_pressure
from tests.conftest import SAMPLES, sample


def sample_root(source: str) -> str:
    return os.fspath(SAMPLES / source / "proc")


def test_registered() -> None:
    for key in ("pressure/cpu", "pressure/memory", "pressure/io", "pressure/irq"):
        assert PARSERS[key] is parse_pressure


def test_rust_crate_doc_example() -> None:
    psi = parse_pressure(sample("rust-procfs-samples/pressure.some-full-doc-example.txt"))
    assert psi == Pressure(
        PressureRecord(4.50, 0.91, 0.00, 681245), PressureRecord(2.10, 0.12, 0.00, 391926)
    )
    assert psi.to_dict() == {
        "some": {"avg10": 4.5, "avg60": 0.91, "avg300": 0.0, "total": 681245, "extra": {}},
        "full": {"avg10": 2.1, "avg60": 0.12, "avg300": 0.0, "total": 391926, "extra": {}},
    }


def test_rust_crate_record_lines() -> None:
    # Line 1 is valid; lines 2-4 lack the some/full prefix, avg60 and total.
    lines = sample("rust-procfs-samples/pressure_record_line.fragments.txt").splitlines()
    assert len(lines) == 4
    assert parse_pressure(lines[0]) == Pressure(None, PressureRecord(2.10, 0.12, 0.0, 391926))
    for line in lines[1:]:
        with pytest.raises(ParseError):
            parse_pressure(line)


def test_cpu_before_5_13_has_only_some() -> None:
    psi = ProcFS(sample_root("handmade")).cpu_pressure()
    assert psi.some == PressureRecord(1.53, 0.87, 0.31, 171043290)
    assert psi.full is None


def test_irq_has_only_full() -> None:
    psi = ProcFS(sample_root("handmade")).irq_pressure()
    assert psi.some is None
    assert psi.full == PressureRecord(0.02, 0.01, 0.0, 2831007)


def test_prometheus_fixtures() -> None:
    fs = ProcFS(sample_root("prometheus-fixtures"))
    assert fs.cpu_pressure() == Pressure(PressureRecord(0.10, 2.00, 3.85, 15), None)
    for read in (ProcFS.memory_pressure, ProcFS.io_pressure):
        assert read(fs) == Pressure(
            PressureRecord(0.10, 2.00, 3.85, 15), PressureRecord(0.20, 3.00, 4.95, 25)
        )


def test_dev_machine_capture() -> None:
    fs = ProcFS(sample_root("dev-machine"))
    psi = fs.pressure("cpu")
    assert psi.some == PressureRecord(36.53, 14.09, 4.85, 48841935)
    # the system-wide cpu "full" line is always zero
    assert psi.full == PressureRecord(0.0, 0.0, 0.0, 0)


def test_unknown_keys_are_kept() -> None:
    psi = parse_pressure(b"some avg10=0.00 avg60=0.00 avg300=0.00 total=7 avg900=0.01\n")
    assert psi.some is not None
    assert psi.some.total == 7
    assert psi.some.extra == {"avg900": "0.01"}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",
        b"some avg10=nan avg60=0.00 avg300=0.00 total=1\n",
        b"some avg10=1e5 avg60=0.00 avg300=0.00 total=1\n",
        b"some avg10 avg60=0.00 avg300=0.00 total=1\n",
        b"some avg10=0.00 avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
        b"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n"
        b"some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
        b"half avg10=0.00 avg60=0.00 avg300=0.00 total=1\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_pressure(data)


def test_unknown_resource() -> None:
    with pytest.raises(ValueError):
        ProcFS().pressure("disk")


def _live(resource: str) -> Pressure:
    if not os.path.exists(f"/proc/pressure/{resource}"):
        pytest.skip(f"/proc/pressure/{resource} missing (CONFIG_PSI off or kernel < 4.20)")
    try:
        return ProcFS().pressure(resource)
    except ProcError as exc:  # psi=0 on the command line: EOPNOTSUPP
        pytest.skip(f"PSI disabled: {exc}")


@pytest.mark.parametrize("resource", ["cpu", "memory", "io", "irq"])
def test_live_totals_grow_and_averages_are_percentages(resource: str) -> None:
    first = _live(resource)
    # keep a CPU busy a little, so that there is something to account
    sum(range(200_000))
    second = _live(resource)
    assert (first.some is None) == (second.some is None)
    assert (first.full is None) == (second.full is None)
    assert first.some is not None or first.full is not None
    for before, after in ((first.some, second.some), (first.full, second.full)):
        if before is None or after is None:
            continue
        assert after.total >= before.total
        for record in (before, after):
            for average in (record.avg10, record.avg60, record.avg300):
                assert 0.0 <= average <= 100.0
    if resource in ("memory", "io"):
        assert first.some is not None and first.full is not None


def _cgroup2_mount() -> str | None:
    with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
        for line in mounts:
            fields = line.split()
            if len(fields) > 2 and fields[2] == "cgroup2":
                return fields[1]
    return None


def test_live_cgroup_pressure_file() -> None:
    mount = _cgroup2_mount()
    if mount is None:
        pytest.skip("no cgroup v2 hierarchy mounted")
    path = os.path.join(mount, "cpu.pressure")
    if not os.path.exists(path):
        pytest.skip(f"{path} missing (PSI off, or no root-level pressure files)")
    with open(path, "rb") as f:
        raw = f.read().split()
    psi = procfs.cgroup_pressure(path)
    assert psi.some is not None
    # an independent read of the same file: the same keys, totals that only grow
    assert raw[0] == b"some"
    total = int(next(field for field in raw if field.startswith(b"total=")).split(b"=")[1])
    assert psi.some.total >= total
    with pytest.raises(ValueError):
        procfs.cgroup_pressure("cpu.pressure")


def test_cgroup_pressure_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        procfs.cgroup_pressure(os.path.join(os.fspath(tmp_path), "cpu.pressure"))
