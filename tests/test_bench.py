"""The benchmark suite runs and prints its table (a smoke test: no load, no times asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def test_quick_run_prints_the_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--runs",
            "2",
            "--only",
            "import,system",
            "--timer",
            "internal",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "load: none" in text
    header = next(line for line in text.splitlines() if line.startswith("workload"))
    for column in ("median ms", "peak mem", "x floor", "x psutil"):
        assert column in header
    rows = [line.split() for line in text.splitlines()]
    names = {" ".join(row[:2]) for row in rows if len(row) > 2}
    for name in ("import whole", "import importtime", "system whole", "system in-process"):
        assert name in names, name
    for name in ("meminfo", "loadavg", "stat", "cpuinfo", "diskstats", "net/dev"):
        assert f"system: {name}" in text
    assert 'python -c "import procfs"' in text
    assert "python -c pass" in text
    assert "import procfs adds <= 5 ms" in text
    assert not any(row[:1] == ["ps"] for row in rows)  # not selected

    report = json.loads(out.read_text())
    by_key = {row["key"]: row for row in report["rows"]}
    for key in ("import.whole.ref", "import.whole.procfs", "system.in.procfs", "system.in.ref"):
        assert key in by_key, key
        assert not by_key[key]["error"], by_key[key]["error"]
        assert len(by_key[key]["times_s"]) == 2
    assert by_key["system.in.procfs"]["out"] == by_key["system.in.ref"]["out"]
    assert by_key["system.whole.ref"]["name"].startswith("floor (d)")
