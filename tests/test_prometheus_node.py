"""procfs.prometheus.node: node_exporter's families from a hand-made /proc whose
answers are worked out here, and from the live one against independent sources."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from procfs.prometheus.node import COLLECTORS, NodeCollector, default_collectors, parse_os_release

TYPE_CHECKING = False
if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

FILES = {
    "stat": (
        "cpu  300 20 100 5000 40 0 6 0 10 2\n"
        "cpu0 200 10 50 2500 20 0 3 0 10 2\n"
        "cpu1 100 10 50 2500 20 0 3 0 0 0\n"
        "intr 12345 1 2 3\nctxt 777\nbtime 1700000000\nprocesses 4242\n"
        "procs_running 3\nprocs_blocked 1\nsoftirq 99 1 2 3\n"
    ),
    "meminfo": (
        "MemTotal:        1000 kB\nMemFree:          200 kB\nMemAvailable:     500 kB\n"
        "Active(anon):      10 kB\nHugePages_Total:       4\nHugepagesize:     2048 kB\n"
    ),
    "loadavg": "0.50 0.25 0.125 2/300 4000\n",
    "vmstat": "nr_free_pages 50\npgpgin 7\npgfault 9\noom_kill 1\nworkingset_refault_anon 3\n",
    "diskstats": (
        "   8       0 sda 10 1 80 5 20 2 160 7 0 12 13 0 0 0 0 4 9\n"
        "   8       1 sda1 1 0 8 1 2 0 16 1 0 1 1 0 0 0 0 0 0\n"
        "   7       0 loop0 1 0 2 0 0 0 0 0 0 0 0\n"
    ),
    "net/dev": (
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets"
        " errs drop fifo colls carrier compressed\n"
        "    lo:    100       2    0    0    0     0          0         0      100       2"
        "    0    0    0     0       0          0\n"
        "  eth0:   5000      50    1    2    3     4          5         6     6000      60"
        "    7    8    9    10      11         12\n"
    ),
    "net/netstat": "TcpExt: ListenDrops TCPTimeouts SyncookiesSent\nTcpExt: 3 4 0\n"
    "IpExt: InOctets OutOctets InNoRoutes\nIpExt: 1000 2000 5\n",
    "net/snmp": "Tcp: ActiveOpens CurrEstab InErrs MaxConn\nTcp: 11 2 0 -1\n"
    "Udp: InDatagrams NoPorts\nUdp: 40 1\n",
    "net/snmp6": "Ip6InReceives 12\nIp6InOctets 999\nUdp6InDatagrams 8\nIcmp6InMsgs 3\n",
    "net/sockstat": (
        "sockets: used 90\nTCP: inuse 5 orphan 0 tw 2 alloc 6 mem 3\nUDP: inuse 1 mem 2\n"
        "UDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n"
    ),
    "net/sockstat6": "TCP6: inuse 2\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 0\n"
    "FRAG6: inuse 0 memory 0\n",
    "net/softnet_stat": (
        "0000000a 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000"
        " 00000003 00000004 00000005 00000000 00000000 00000000\n"
        "000000ff 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000"
        " 00000000 00000000 00000000 00000002 00000000 00000000\n"
    ),
    "net/arp": (
        "IP address       HW type     Flags       HW address            Mask     Device\n"
        "192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0\n"
        "192.0.2.2        0x1         0x2         02:fc:00:00:00:06     *        eth0\n"
        "198.51.100.1     0x1         0x2         02:fc:00:00:00:07     *        eth1\n"
    ),
    "sys/fs/file-nr": "639\t0\t2466239\n",
    "sys/kernel/random/entropy_avail": "256\n",
    "sys/kernel/random/poolsize": "256\n",
    "sys/kernel/domainname": "(none)\n",
    "sys/net/netfilter/nf_conntrack_count": "17\n",
    "sys/net/netfilter/nf_conntrack_max": "65536\n",
    "net/stat/nf_conntrack": (
        "entries  clashres found new invalid ignore delete chainlength insert insert_failed"
        " drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
        "00000011  00000000 00000002 00000000 0000000a 00000000 00000000 00000000 00000001"
        " 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000001\n"
        "00000011  00000000 00000003 00000000 00000005 00000000 00000000 00000000 00000001"
        " 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000\n"
    ),
    "pressure/cpu": "some avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\n"
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
    "pressure/io": "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\n"
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n",
    "buddyinfo": "Node 0, zone      DMA      1      0      2\n",
}


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    for relative, text in FILES.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def scrape(collector: NodeCollector) -> dict[str, Metric]:
    registry = CollectorRegistry(auto_describe=True)
    registry.register(collector)
    text = generate_latest(registry).decode()
    return {metric.name: metric for metric in text_string_to_metric_families(text)}


def values(metric: Metric) -> dict[tuple[tuple[str, str], ...], float]:
    return {tuple(sorted(s.labels.items())): s.value for s in metric.samples}


def one(metrics: dict[str, Metric], name: str) -> float:
    (value,) = values(metrics[name]).values()
    return value


FAKE = [
    name
    for name in COLLECTORS
    if name
    not in ("filesystem", "os", "uname", "time", "schedstat", "interrupts", "ksmd", "processes")
    and name not in ("zoneinfo", "mountstats")
]


def test_hand_made_root(fake_root: Path) -> None:
    collector = NodeCollector(FAKE, root=fake_root, sys_root=fake_root / "sys")
    metrics = scrape(collector)
    hz = os.sysconf("SC_CLK_TCK")
    cpu = values(metrics["node_cpu_seconds"])
    assert cpu[(("cpu", "0"), ("mode", "user"))] == 200 / hz
    assert cpu[(("cpu", "1"), ("mode", "idle"))] == 2500 / hz
    assert cpu[(("cpu", "0"), ("mode", "steal"))] == 0
    assert len(cpu) == 16
    guest = values(metrics["node_cpu_guest_seconds"])
    assert guest[(("cpu", "0"), ("mode", "nice"))] == 2 / hz
    assert one(metrics, "node_intr") == 12345
    assert one(metrics, "node_context_switches") == 777
    assert one(metrics, "node_forks") == 4242
    assert one(metrics, "node_boot_time_seconds") == 1700000000
    assert one(metrics, "node_procs_running") == 3
    assert one(metrics, "node_procs_blocked") == 1
    assert one(metrics, "node_load15") == 0.125
    assert one(metrics, "node_memory_MemTotal_bytes") == 1024000
    assert one(metrics, "node_memory_Active_anon_bytes") == 10240
    assert one(metrics, "node_memory_HugePages_Total") == 4
    assert metrics["node_memory_MemAvailable_bytes"].documentation == (
        "Memory information field MemAvailable_bytes."
    )
    # vmstat: the default fields only, untyped
    vm = {name for name in metrics if name.startswith("node_vmstat_")}
    assert vm == {"node_vmstat_pgpgin", "node_vmstat_pgfault", "node_vmstat_oom_kill"}
    assert metrics["node_vmstat_pgpgin"].type == "unknown"
    # diskstats: loop0 and sda1 left out; sectors in bytes, ms in seconds
    assert values(metrics["node_disk_read_bytes"]) == {(("device", "sda"),): 80 * 512}
    assert values(metrics["node_disk_io_time_seconds"]) == {(("device", "sda"),): 0.012}
    assert values(metrics["node_disk_flush_requests_time_seconds"]) == {
        (("device", "sda"),): 9 * 0.001
    }
    assert values(metrics["node_disk_discarded_sectors"]) == {(("device", "sda"),): 0}
    info = metrics["node_disk_info"].samples[0].labels
    assert (info["major"], info["minor"], info["rotational"]) == ("8", "0", "0")
    # netdev
    received = values(metrics["node_network_receive_bytes"])
    assert received == {(("device", "lo"),): 100, (("device", "eth0"),): 5000}
    assert values(metrics["node_network_transmit_carrier"])[(("device", "eth0"),)] == 11
    # netstat: the default fields of the three files
    assert one(metrics, "node_netstat_TcpExt_ListenDrops") == 3
    assert one(metrics, "node_netstat_Tcp_CurrEstab") == 2
    assert one(metrics, "node_netstat_Ip6_InOctets") == 999
    assert one(metrics, "node_netstat_IpExt_OutOctets") == 2000
    assert "node_netstat_IpExt_InNoRoutes" not in metrics
    assert "node_netstat_Ip6_InReceives" not in metrics
    assert metrics["node_netstat_Udp6_InDatagrams"].documentation == "Statistic Udp6InDatagrams."
    # sockstat
    assert one(metrics, "node_sockstat_sockets_used") == 90
    assert one(metrics, "node_sockstat_TCP_mem_bytes") == 3 * os.sysconf("SC_PAGE_SIZE")
    assert one(metrics, "node_sockstat_TCP6_inuse") == 2
    assert "node_sockstat_UDP6_mem" not in metrics
    # softnet: the CPU column when there is one
    assert values(metrics["node_softnet_processed"]) == {(("cpu", "0"),): 10, (("cpu", "2"),): 255}
    assert values(metrics["node_softnet_backlog_len"])[(("cpu", "0"),)] == 5
    # the rest
    assert values(metrics["node_arp_entries"]) == {
        (("device", "eth0"),): 2,
        (("device", "eth1"),): 1,
    }
    assert one(metrics, "node_filefd_allocated") == 639
    assert one(metrics, "node_filefd_maximum") == 2466239
    assert one(metrics, "node_entropy_available_bits") == 256
    assert one(metrics, "node_nf_conntrack_entries") == 17
    assert one(metrics, "node_nf_conntrack_stat_found") == 5
    assert one(metrics, "node_nf_conntrack_stat_invalid") == 15
    assert one(metrics, "node_nf_conntrack_stat_search_restart") == 1
    assert one(metrics, "node_pressure_cpu_waiting_seconds") == 2.5
    assert one(metrics, "node_pressure_io_stalled_seconds") == 0.5
    assert "node_pressure_memory_waiting_seconds" not in metrics
    blocks = values(metrics["node_buddyinfo_blocks"])
    assert blocks[(("node", "0"), ("size", "2"), ("zone", "DMA"))] == 2
    success = values(metrics["node_scrape_collector_success"])
    assert all(value == 1 for value in success.values()), collector.errors
    assert len(success) == len(FAKE)


def test_a_failing_collector_does_not_fail_the_scrape(fake_root: Path) -> None:
    (fake_root / "loadavg").unlink()
    (fake_root / "net/snmp").write_text("Tcp: A B\nTcp: 1\n")  # broken
    metrics = scrape(NodeCollector(["loadavg", "netstat", "stat"], root=fake_root))
    success = values(metrics["node_scrape_collector_success"])
    assert success == {
        (("collector", "loadavg"),): 0,
        (("collector", "netstat"),): 0,
        (("collector", "stat"),): 1,
    }
    assert "node_load1" not in metrics
    assert one(metrics, "node_forks") == 4242
    durations = values(metrics["node_scrape_collector_duration_seconds"])
    assert len(durations) == 3 and all(0 <= d < 10 for d in durations.values())


def test_filters(fake_root: Path) -> None:
    metrics = scrape(
        NodeCollector(
            ["diskstats", "netdev", "vmstat", "netstat"],
            root=fake_root,
            diskstats_device_include="^sda1$",
            netdev_device_exclude="^lo$",
            vmstat_fields="^nr_",
            netstat_fields="InNoRoutes",
        )
    )
    assert set(values(metrics["node_disk_reads_completed"])) == {(("device", "sda1"),)}
    assert set(values(metrics["node_network_receive_bytes"])) == {(("device", "eth0"),)}
    assert [n for n in metrics if n.startswith("node_vmstat_")] == ["node_vmstat_nr_free_pages"]
    assert [n for n in metrics if n.startswith("node_netstat_")] == [
        "node_netstat_IpExt_InNoRoutes"
    ]


def test_counters_do_not_go_backwards(fake_root: Path) -> None:
    collector = NodeCollector(["cpu"], root=fake_root)
    scrape(collector)
    (fake_root / "stat").write_text(
        FILES["stat"].replace("cpu0 200 10 50 2500 20", "cpu0 201 10 50 2501 19")
    )
    cpu = values(scrape(collector)["node_cpu_seconds"])
    hz = os.sysconf("SC_CLK_TCK")
    assert cpu[(("cpu", "0"), ("mode", "iowait"))] == 20 / hz  # kept, not 19
    assert cpu[(("cpu", "0"), ("mode", "user"))] == 201 / hz


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown collector"):
        NodeCollector(["nope"])
    with pytest.raises(ValueError, match="regular expression"):
        NodeCollector(["vmstat"], vmstat_fields="(")
    with pytest.raises(ValueError, match="mutually exclusive"):
        NodeCollector(["netdev"], netdev_device_exclude="a", netdev_device_include="b")
    assert "cpu" in default_collectors() and "processes" not in default_collectors()


def test_os_release_parsing() -> None:
    env = parse_os_release(
        b'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n# comment\nID=debian\n'
        b'PRETTY_NAME=\'Debian \\"x\\"\'\nVERSION="12 (\\"bookworm\\")"\n'
    )
    assert env["NAME"] == "Debian GNU/Linux"
    assert env["ID"] == "debian"
    assert env["VERSION"] == '12 ("bookworm")'
    assert env["PRETTY_NAME"] == 'Debian \\"x\\"'


# -- live ------------------------------------------------------------------------


def test_live_against_independent_sources() -> None:
    psutil = pytest.importorskip("psutil")
    collector = NodeCollector(list(COLLECTORS))
    before = time.time()
    metrics = scrape(collector)
    after = time.time()
    failed = {name: error for name, error in collector.errors.items()}
    for optional in ("schedstat", "conntrack", "pressure", "ksmd"):
        failed.pop(optional, None)  # kernels without them
    assert failed == {}
    assert one(metrics, "node_memory_MemTotal_bytes") == psutil.virtual_memory().total
    assert one(metrics, "node_boot_time_seconds") == pytest.approx(psutil.boot_time(), abs=1)
    assert before <= one(metrics, "node_time_seconds") <= after
    uname = metrics["node_uname_info"].samples[0].labels
    assert (uname["sysname"], uname["nodename"], uname["release"]) == os.uname()[:3]
    cpus = {labels[0][1] for labels in values(metrics["node_cpu_seconds"])}
    assert len(cpus) == psutil.cpu_count()
    assert one(metrics, "node_load15") == pytest.approx(os.getloadavg()[2], abs=0.5)
    mounted = {p.mountpoint for p in psutil.disk_partitions(all=False)}
    ours = {dict(labels)["mountpoint"] for labels in values(metrics["node_filesystem_size_bytes"])}
    assert "/" in ours and ours & mounted
    with open("/etc/os-release", "rb") as file:
        expected = parse_os_release(file.read()).get("ID", "")
    assert metrics["node_os_info"].samples[0].labels["id"] == expected
    statvfs = os.statvfs("/")
    root = [
        v
        for labels, v in values(metrics["node_filesystem_size_bytes"]).items()
        if ("mountpoint", "/") in labels
    ]
    assert root and root[0] == statvfs.f_blocks * statvfs.f_frsize
    threads = one(metrics, "node_processes_threads")
    assert threads >= len(psutil.pids()) * 0.5


def test_text_writer_says_what_prometheus_client_says() -> None:
    from prometheus_client import Counter, Gauge, Histogram

    from procfs.prometheus.exposition import text

    registry = CollectorRegistry()
    registry.register(NodeCollector(["loadavg", "stat", "cpu", "meminfo"]))
    Counter("requests", "Requests.", ["path"], registry=registry).labels('a"b\\c\nd').inc(2)
    Histogram("latency_seconds", "A histogram.", registry=registry).observe(0.3)
    gauge = Gauge("temperature", "Help with a \\ and a\nnewline.", registry=registry)
    gauge.set(float("inf"))
    Gauge("empty", "No samples.", ["x"], registry=registry)

    def parsed(data: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        out = {}
        for metric in text_string_to_metric_families(data.decode()):
            for s in metric.samples:
                if not s.name.endswith("_created"):
                    out[(s.name, tuple(sorted(s.labels.items())))] = s.value
        return out

    ours, theirs = text(registry.collect()), generate_latest(registry)
    # the same samples (the node ones may move between the two scrapes)
    assert parsed(ours).keys() == parsed(theirs).keys()
    expected = {k: v for k, v in parsed(theirs).items() if not k[0].startswith("node_")}
    assert {k: v for k, v in parsed(ours).items() if k in expected} == expected
    headers = [line for line in ours.decode().splitlines() if line.startswith("#")]
    assert headers == [line for line in theirs.decode().splitlines() if line.startswith("#")]


FIXTURES = Path(__file__).resolve().parent / "samples" / "node-exporter-fixtures"


def test_node_exporter_end_to_end_output() -> None:
    """node_exporter's own end-to-end test: its fixture /proc and the output it
    expects (the families of the collectors that read /proc), family for family."""
    collectors = [
        *("cpu", "stat", "loadavg", "meminfo", "vmstat", "netstat", "sockstat", "softnet"),
        *("filefd", "entropy", "pressure", "schedstat", "buddyinfo", "zoneinfo", "interrupts"),
        *("mountstats", "arp", "conntrack", "processes", "diskstats"),
    ]
    # its flags that matter here (end-to-end-test.sh, on x86_64)
    collector = NodeCollector(
        collectors,
        root=FIXTURES / "proc",
        sys_root=FIXTURES / "sys",
        rootfs=FIXTURES,
        arp_device_exclude="nope",
        cpu_info=True,
        cpu_info_flags_include="^(aes|avx.?|constant_tsc)$",
        cpu_info_bugs_include="^(cpu_meltdown|spectre_.*|mds)$",
        stat_softirq=True,
    )
    ours = scrape(collector)
    assert collector.errors == {}
    expected = {
        metric.name: metric
        for metric in text_string_to_metric_families((FIXTURES / "e2e-output.proc.txt").read_text())
    }
    assert len(expected) > 250
    for name, metric in expected.items():
        assert name in ours, name
        mine = ours[name]
        assert (mine.type, mine.documentation) == (metric.type, metric.documentation), name
        want = values(metric)
        got = values(mine)
        assert got.keys() == want.keys(), name
        for key, value in want.items():
            assert got[key] == pytest.approx(value, rel=1e-12), (name, key)


def test_interrupt_filters() -> None:
    everything = values(
        scrape(NodeCollector(["interrupts"], root=FIXTURES / "proc"))["node_interrupts"]
    )
    chosen = values(
        scrape(
            NodeCollector(
                ["interrupts"],
                root=FIXTURES / "proc",
                interrupts_name_include="^(LOC|0);",
                interrupts_include_zeros=False,
            )
        )["node_interrupts"]
    )
    expected = {
        key: value
        for key, value in everything.items()
        if dict(key)["type"] in ("LOC", "0") and value != 0
    }
    assert chosen == expected
    assert {dict(key)["type"] for key in chosen} == {"LOC", "0"}
    excluded = values(
        scrape(
            NodeCollector(["interrupts"], root=FIXTURES / "proc", interrupts_name_exclude=";timer$")
        )["node_interrupts"]
    )
    assert excluded and all(dict(key)["devices"] != "timer" for key in excluded)
    assert len(excluded) < len(everything)
