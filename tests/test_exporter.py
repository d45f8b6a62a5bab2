"""``procfs exporter`` against the real things: Prometheus scrapes it, node_exporter
stands beside it, promtool checks its output.

Needs Debian's ``prometheus`` (with ``promtool``) and ``prometheus-node-exporter``
(``.ci/run`` installs them); each test skips only when its tool is missing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.exporters import (
    NODE_EXPORTER,
    PROMETHEUS,
    PROMTOOL,
    SHARED_DEFAULTS,
    exporter_command,
    fetch,
    free_port,
    node_exporter,
    procfs_exporter,
    prometheus_server,
    tool,
    wait_until_up,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

needs_node_exporter = pytest.mark.skipif(
    tool(NODE_EXPORTER) is None, reason="prometheus-node-exporter is not installed"
)

#: The disabled-by-default collectors both have.
SHARED_OPTIONAL = ("buddyinfo", "interrupts", "ksmd", "processes", "zoneinfo")

# Our defaults, given to node_exporter too: its version may have other ones
# (1.5: no zram in the disk exclusions, lo left out of netdev, a shorter
# netstat list).
SAME_FILTERS = (
    r"--collector.diskstats.device-exclude=^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$",
    "--collector.netdev.device-exclude=^$",
    "--collector.netstat.fields=^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)"
    "|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue"
    "|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
    "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$",
)
#: Options both take, given to both.
SAME_OPTIONS = (
    "--collector.cpu.info",
    "--collector.cpu.info.flags-include=^(aes|avx.?|constant_tsc|sse.*)$",
    "--collector.cpu.info.bugs-include=^(spectre_.*|mds|meltdown)$",
    "--collector.stat.softirq",
)

#: Where node_exporter 1.5 (Debian 12) differs from the 1.9 we follow: family ->
#: what differs. Newer node_exporters agree with us there.
OLDER_NODE_EXPORTER = {
    "node_disk_info": "label rotational (1.7)",
    "node_filesystem_avail_bytes": "label device_error (1.8)",
    "node_filesystem_device_error": "label device_error (1.8)",
    "node_filesystem_files": "label device_error (1.8)",
    "node_filesystem_files_free": "label device_error (1.8)",
    "node_filesystem_free_bytes": "label device_error (1.8)",
    "node_filesystem_readonly": "label device_error (1.8)",
    "node_filesystem_size_bytes": "label device_error (1.8)",
    "node_ksmd_full_scans": "help texts (1.6)",
    "node_ksmd_merge_across_nodes": "help texts (1.6)",
    "node_ksmd_pages_shared": "help texts (1.6)",
    "node_ksmd_pages_sharing": "help texts (1.6)",
    "node_ksmd_pages_to_scan": "help texts (1.6)",
    "node_ksmd_pages_unshared": "help texts (1.6)",
    "node_ksmd_pages_volatile": "help texts (1.6)",
    "node_ksmd_run": "help texts (1.6)",
    "node_ksmd_sleep_seconds": "help texts (1.6)",
}

#: Values that do not move: equal in both.
CONSTANTS = (
    "node_boot_time_seconds",
    "node_uname_info",
    "node_os_info",
    "node_os_version",
    "node_memory_MemTotal_bytes",
    "node_memory_SwapTotal_bytes",
    "node_memory_CommitLimit_bytes",
    "node_memory_VmallocTotal_bytes",
    "node_memory_Hugepagesize_bytes",
    "node_filefd_maximum",
    "node_entropy_pool_size_bits",
    "node_filesystem_size_bytes",
    "node_filesystem_files",
    "node_processes_max_threads",
    "node_processes_max_processes",
    "node_time_zone_offset_seconds",
)


#: Counts of this instant (runnable tasks, I/Os in flight): on a busy machine they
#: jump between any two reads, by up to the tasks that can run at once.
INSTANT = (
    "node_procs_running",
    "node_procs_blocked",
    "node_disk_io_now",
    "node_softnet_backlog_len",
    "node_processes_state",
    "node_processes_threads_state",
)


def families(text: bytes) -> dict[str, Metric]:
    """The families of an exposition, by name (as the parser names them)."""
    return {metric.name: metric for metric in text_string_to_metric_families(text.decode())}


def samples(metric: Metric) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for s in metric.samples}


def node_exporter_version() -> tuple[int, ...]:
    path = tool(NODE_EXPORTER)
    assert path is not None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    word = (out.stdout + out.stderr).split("version ", 1)[1].split()[0]
    return tuple(int(part) for part in word.split(".")[:3] if part.isdigit())


def _ours_only(name: str) -> bool:
    return name.startswith(("process_", "python_", "node_scrape_"))


@needs_node_exporter
def test_same_families_as_node_exporter() -> None:
    collectors = SHARED_DEFAULTS + SHARED_OPTIONAL
    old = node_exporter_version() < (1, 9)
    with (
        node_exporter(collectors, SAME_FILTERS + SAME_OPTIONS) as (theirs_url, _),
        procfs_exporter(collectors, SAME_OPTIONS) as (ours_url, _),
    ):
        ours = families(fetch(ours_url))
        theirs = families(fetch(theirs_url))
    shared = sorted(name for name in set(ours) & set(theirs) if not _ours_only(name))
    # Most of what node_exporter has from these collectors, we have.
    node_theirs = {name for name in theirs if name.startswith("node_") and not _ours_only(name)}
    assert len(shared) >= 0.8 * len(node_theirs), sorted(node_theirs - set(ours))
    for needed in ("node_cpu_seconds", "node_memory_MemAvailable_bytes", "node_load1"):
        assert needed in shared
    for name in shared:
        if old and name in OLDER_NODE_EXPORTER:
            continue
        mine, other = ours[name], theirs[name]
        assert mine.type == other.type, name
        assert mine.documentation == other.documentation, name
        label_names = {tuple(sorted(s.labels)) for s in mine.samples}
        assert label_names == {tuple(sorted(s.labels)) for s in other.samples}, name
        # The same series, but where things come and go between the reads.
        if name.startswith(("node_processes_", "node_interrupts", "node_arp")):
            continue
        assert set(samples(mine)) == set(samples(other)), name


def _within(name: str, kind: str, first: float, theirs: float, second: float) -> bool:
    low, high = min(first, second), max(first, second)
    if name in INSTANT:
        slack = 8.0 * (os.cpu_count() or 1) + 0.1 * high
    elif kind == "counter":
        slack = 1e-9 * max(abs(high), 1.0)
    else:
        # A gauge can move either way between the reads: what ours moved, or
        # 5% of the value (memory, process counts on a busy machine).
        slack = max(high - low, 0.05 * max(abs(low), abs(high)), 2.0)
    return low - slack <= theirs <= high + slack


@needs_node_exporter
def test_same_values_as_node_exporter() -> None:
    collectors = SHARED_DEFAULTS + SHARED_OPTIONAL
    with (
        node_exporter(collectors, SAME_FILTERS + SAME_OPTIONS) as (theirs_url, _),
        procfs_exporter(collectors, SAME_OPTIONS) as (ours_url, _),
    ):
        fetch(ours_url)
        fetch(theirs_url)  # both warm
        first = families(fetch(ours_url))
        theirs = families(fetch(theirs_url))
        second = families(fetch(ours_url))
    compared = 0
    for name in sorted(set(first) & set(theirs) & set(second)):
        if _ours_only(name) or name.startswith("node_time_clocksource"):
            continue
        mine1, other, mine2 = samples(first[name]), samples(theirs[name]), samples(second[name])
        for key, value in other.items():
            if key not in mine1 or key not in mine2:
                continue
            if name in CONSTANTS:
                assert mine1[key] == value, (name, key)
            else:
                assert _within(name, first[name].type, mine1[key], value, mine2[key]), (
                    name,
                    key,
                    mine1[key],
                    value,
                    mine2[key],
                )
            compared += 1
    assert compared > 100


def test_output_parses_and_passes_promtool() -> None:
    from procfs.prometheus.node import COLLECTORS

    with procfs_exporter(list(COLLECTORS)) as (url, _):
        text = fetch(url)
    parsed = families(text)
    assert "node_cpu_seconds" in parsed
    assert parsed["node_cpu_seconds"].type == "counter"
    assert {s.labels["mode"] for s in parsed["node_cpu_seconds"].samples} >= {"user", "idle"}
    assert all(
        s.value == 1.0
        for s in parsed["node_scrape_collector_success"].samples
        if s.labels["collector"] not in ("schedstat", "conntrack", "pressure", "ksmd")
    )
    promtool = tool(PROMTOOL)
    if promtool is None:
        pytest.skip("promtool (Debian's prometheus) is not installed")
    result = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, check=False
    )
    # Status 1 is a format error; 3 lint remarks, which for us are those of
    # node_exporter's own names (Go procfs' camelCase fields, entropy in bits).
    assert result.returncode in (0, 3), result.stderr
    remarks = result.stdout.decode().splitlines() + result.stderr.decode().splitlines()
    naming = ("should be written in 'snake_case'", 'use base unit "bytes" instead of "bits"')
    assert [line for line in remarks if line and not any(n in line for n in naming)] == []


def _query(base: str, promql: str) -> list[dict[str, object]]:
    url = f"{base}/api/v1/query?{urllib.parse.urlencode({'query': promql})}"
    answer = json.loads(fetch(url))
    assert answer["status"] == "success", answer
    result: list[dict[str, object]] = answer["data"]["result"]
    return result


@pytest.mark.skipif(tool(PROMETHEUS) is None, reason="prometheus is not installed")
def test_prometheus_scrapes_the_exporter(tmp_path: Path) -> None:
    with procfs_exporter(["cpu", "meminfo", "loadavg"]) as (url, _):
        target = url.split("/")[2]
        with prometheus_server([target], tmp_path) as prometheus:
            deadline = time.monotonic() + 60
            while True:
                up = _query(prometheus, "up == 1")
                rate = _query(prometheus, "rate(node_cpu_seconds_total[5s])")
                if (up and rate) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            memory = _query(prometheus, "node_memory_MemAvailable_bytes")
            cpus = _query(prometheus, 'count(node_cpu_seconds_total{mode="idle"})')
    assert up and up[0]["metric"]["instance"] == target  # type: ignore[index]
    assert rate, "no rate after 60 s of scrapes every second"
    modes = {series["metric"]["mode"] for series in rate}  # type: ignore[index]
    assert {"user", "system", "idle"} <= modes
    assert all(0 <= float(series["value"][1]) <= 1.5 for series in rate)  # type: ignore[index]
    with open("/proc/meminfo") as file:
        total = int(file.read().split()[1]) * 1024
    available = float(memory[0]["value"][1])  # type: ignore[index]
    assert 0 < available <= total
    count = int(cpus[0]["value"][1])  # type: ignore[index]
    assert count in (len(os.sched_getaffinity(0)), os.cpu_count())


# -- the command itself -------------------------------------------------------------


def _start(args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        exporter_command(port, None, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/", proc)
    return proc, base


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_it_cleanly(sig: signal.Signals) -> None:
    proc, base = _start(["--web.telemetry-path=/m", "--no-collector.filesystem"])
    try:
        assert b"node_load1" in fetch(f"{base}/m")
        only = families(fetch(f"{base}/m?name[]=node_load1&name[]=node_load5"))
        assert set(only) == {"node_load1", "node_load5"}
        landing = fetch(f"{base}/")
        assert b'href="/m"' in landing
        with pytest.raises(Exception, match="404"):
            fetch(f"{base}/metrics")
    finally:
        os.kill(proc.pid, sig)
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()  # it did not stop: do not leave it behind
            proc.communicate()
            raise
    assert proc.returncode == 0
    assert b"Traceback" not in err
    assert b"listening on http://127.0.0.1:" in err


def test_collector_flags_choose_the_families() -> None:
    proc, base = _start(["--collector.disable-defaults", "--collector.loadavg", "--collector.stat"])
    try:
        parsed = families(fetch(f"{base}/metrics"))
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=10)
    chosen = {s.labels["collector"] for s in parsed["node_scrape_collector_success"].samples}
    assert chosen == {"loadavg", "stat"}
    assert "node_load1" in parsed and "node_boot_time_seconds" in parsed
    assert "node_memory_MemTotal_bytes" not in parsed


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--web.listen-address=nonsense"],
        ["--web.telemetry-path=metrics"],
        ["--collector.vmstat.fields=("],
        ["--collector.netdev.device-include=a", "--collector.netdev.device-exclude=b"],
        ["extra"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "procfs", "exporter", *args], capture_output=True, timeout=30
    )
    assert result.returncode == 2, result.stderr
    assert b"usage: procfs exporter" in result.stderr
    assert b"Traceback" not in result.stderr


def test_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "procfs", "exporter", "--help"], capture_output=True, timeout=30
    )
    assert result.returncode == 0
    assert b"--collector.diskstats" in result.stdout


def test_config_path_without_the_group_module_says_so(tmp_path: Path) -> None:
    config = tmp_path / "groups.yml"
    config.write_text("process_names:\n  - name: '{{.Comm}}'\n    cmdline: ['.+']\n")
    import importlib.util

    if importlib.util.find_spec("procfs.prometheus.process_groups") is not None:
        pytest.skip("procfs.prometheus.process_groups is here: the groups are served")
    port = free_port()
    result = subprocess.run(
        exporter_command(port, None, [f"--config.path={config}"]), capture_output=True, timeout=30
    )
    assert result.returncode == 1
    assert b"process_groups" in result.stderr


def test_listen_address_forms() -> None:
    from procfs.cli.exporter import parse_listen_address

    assert parse_listen_address("127.0.0.1:9100") == ("127.0.0.1", 9100)
    assert parse_listen_address(":9100") == ("", 9100)
    assert parse_listen_address("[::1]:0") == ("::1", 0)
    for bad in ("9100", "host:", "host:99999", "host:x"):
        with pytest.raises(ValueError, match="HOST:PORT"):
            parse_listen_address(bad)


def test_contrib_files() -> None:
    contrib = Path(__file__).resolve().parents[1] / "contrib"
    unit = (contrib / "procfs-exporter.service").read_text()
    assert "ExecStart=/opt/pyprocfs/bin/procfs exporter $PROCFS_EXPORTER_ARGS" in unit
    config = contrib / "prometheus.yml"
    assert "127.0.0.1:9100" in config.read_text()
    from procfs.cli.exporter import DEFAULT_LISTEN_ADDRESS

    assert DEFAULT_LISTEN_ADDRESS == "127.0.0.1:9100"
    promtool = tool(PROMTOOL)
    if promtool is None:
        pytest.skip("promtool (Debian's prometheus) is not installed")
    result = subprocess.run([promtool, "check", "config", str(config)], capture_output=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_once_prints_one_scrape() -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "procfs", "exporter", "--once"),
            *(
                "--collector.disable-defaults",
                "--collector.loadavg",
                "--web.disable-exporter-metrics",
            ),
        ],
        capture_output=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    parsed = families(result.stdout)
    assert set(parsed) == {
        "node_load1",
        "node_load5",
        "node_load15",
        "node_scrape_collector_duration_seconds",
        "node_scrape_collector_success",
    }
    assert parsed["node_load15"].samples[0].value == pytest.approx(os.getloadavg()[2], abs=0.5)
