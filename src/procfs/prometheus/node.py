"""node_exporter's node metrics, read with procfs: :class:`NodeCollector`.

Register a :class:`NodeCollector` in any ``prometheus_client``
``CollectorRegistry``; each scrape reads the files of the enabled collectors
(each file once) and yields node_exporter's families: the same names, help
texts, labels, units and types as node_exporter's Linux collectors of the same
name (``collector/*_linux.go``). Families node_exporter lacks would be named
``procfs_*``; there are none yet. On node_exporter's own end-to-end fixtures
the /proc collectors give exactly its expected output (tested).

The collectors: arp, conntrack, cpu, diskstats, entropy, filefd, filesystem,
loadavg, meminfo, netdev, netstat, os, pressure, schedstat, sockstat,
softnet, stat, time, uname, vmstat (on by default, as in node_exporter), and
buddyinfo, interrupts, ksmd, mountstats, processes, zoneinfo (off). The
text format is written by :mod:`procfs.prometheus.exposition` in ``procfs
exporter``; any registry's own writer works too.

Each collector also reports ``node_scrape_collector_success{collector}`` and
``node_scrape_collector_duration_seconds{collector}``; a collector that fails
(a missing file, an unreadable one) reports success 0 and the scrape goes on.

Where the collectors differ from node_exporter (1.9):

- ``netdev`` and ``arp`` read ``/proc/net/dev`` and ``/proc/net/arp``
  (node_exporter's ``--no-collector.netdev.netlink`` and
  ``--no-collector.arp.netlink``): no ``receive_nohandler`` counter.
- ``cpu`` reports only ``/proc/stat``'s times (not sysfs' ``node_cpu_online``,
  throttles or isolation); ``time`` reads the clock sources from sysfs as
  node_exporter does.
- ``meminfo`` exports every line of ``/proc/meminfo`` by node_exporter 1.5's
  rule (``Active(anon)`` -> ``node_memory_Active_anon_bytes``); node_exporter
  1.9 exports a fixed subset of those names.
- ``filesystem`` calls ``statvfs`` without node_exporter's timeout for stuck
  mounts.
- ``--collector.cpu.info`` adds ``node_cpu_frequency_hertz`` (node_exporter:
  when its cpufreq collector is on, as by default).
- ``node_disk_info``'s labels (udev's database, sysfs' ``rotational``) and
  the clock sources available and ``/etc/os-release`` are read again after
  :data:`KEEP_SECONDS`, not at every scrape.
"""

from __future__ import annotations

import os as _os
import re
import time
from collections.abc import Iterable

from prometheus_client.metrics_core import Metric
from prometheus_client.samples import Sample as _Sample

from procfs import core
from procfs.core import _parse
from procfs.errors import NotFoundError, ParseError
from procfs.root import ProcFS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import TypeVar

    from procfs.core.kernel_stats import KernelStats
    from procfs.core.mountstats import NfsMountStats

    R = TypeVar("R")

__all__ = [
    "COLLECTORS",
    "DEFAULT_DISKSTATS_DEVICE_EXCLUDE",
    "DEFAULT_FS_TYPES_EXCLUDE",
    "DEFAULT_MOUNT_POINTS_EXCLUDE",
    "DEFAULT_NETSTAT_FIELDS",
    "DEFAULT_VMSTAT_FIELDS",
    "NodeCollector",
]

#: node_exporter's defaults for its include/exclude flags (1.9).
DEFAULT_DISKSTATS_DEVICE_EXCLUDE = r"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"
DEFAULT_VMSTAT_FIELDS = r"^(oom_kill|pgpg|pswp|pg.*fault).*"
DEFAULT_NETSTAT_FIELDS = (
    r"^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)"
    r"|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)"
    r"|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
    r"|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"
)
DEFAULT_MOUNT_POINTS_EXCLUDE = (
    r"^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
)
DEFAULT_FS_TYPES_EXCLUDE = (
    r"^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs"
    r"|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs"
    r"|squashfs|erofs|sysfs|tracefs)$"
)

#: How long what rarely changes is kept (see :meth:`NodeCollector.kept`), in seconds.
KEEP_SECONDS = 60.0

_GAUGE = "gauge"
_COUNTER = "counter"
_UNTYPED = "unknown"  # prometheus_client's name for the text format's "untyped"

_SECTOR = 512
_MS = 0.001
_NS = 1e-9


class _Family(Metric):
    """A ``prometheus_client`` Metric whose name is checked only the first time it
    is seen: the check (a regular expression) was 0.2 ms of a 3.4 ms scrape."""

    def __init__(self, name: str, documentation: str, kind: str) -> None:
        if name in _CHECKED:
            self.name = name
            self.documentation = documentation
            self.unit = ""
            self.type = kind
            self.samples = []
        else:
            super().__init__(name, documentation, kind)
            _CHECKED.add(name)


_CHECKED: set[str] = set()


def family(name: str, documentation: str, kind: str = _GAUGE) -> Metric:
    """An empty family; a counter's ``name`` ends in ``_total`` as its samples' do."""
    if kind == _COUNTER:
        return _Family(name[:-6], documentation, kind)
    return _Family(name, documentation, kind)


def _sample_name(metric: Metric) -> str:
    return metric.name + "_total" if metric.type == _COUNTER else metric.name


class _Filter:
    """node_exporter's deviceFilter: a name is ignored if the exclude pattern matches
    it or the include pattern does not (patterns found anywhere, as Go's MatchString)."""

    __slots__ = ("exclude", "include")

    def __init__(self, exclude: str | None, include: str | None) -> None:
        if exclude and include:
            raise ValueError("device-exclude & device-include are mutually exclusive")
        self.exclude = re.compile(exclude).search if exclude else None
        self.include = re.compile(include).search if include else None

    def ignored(self, name: str) -> bool:
        if self.exclude is not None and self.exclude(name):
            return True
        return self.include is not None and not self.include(name)


class _Scrape:
    """One scrape: the roots, the options and the files read so far."""

    __slots__ = ("cache", "fs", "node", "sys")

    def __init__(self, node: NodeCollector) -> None:
        self.node = node
        self.fs = node.fs
        self.sys = node.sys
        self.cache: dict[str, object] = {}

    def stat(self) -> KernelStats:
        found = self.cache.get("stat")
        if found is None:
            found = self.cache["stat"] = self.fs.kernel_stats()
        return found  # type: ignore[return-value]


# -- cpu, stat, loadavg, meminfo, vmstat --------------------------------------

_CPU_MODES = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def _cpu(s: _Scrape) -> Iterator[Metric]:
    stats = s.stat()
    hz = float(s.node.ticks)
    seconds = family("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.", _COUNTER)
    guest = family(
        "node_cpu_guest_seconds_total",
        "Seconds the CPUs spent in guests (VMs) for each mode.",
        _COUNTER,
    )
    last = s.node.cpu_last
    online = set()
    add = seconds.samples.append
    add_guest = guest.samples.append
    sample = _Sample
    for cpu, times in stats.cpus.items():
        label = str(cpu)
        online.add(cpu)
        values = [
            times.user,
            times.nice,
            times.system,
            times.idle,
            times.iowait or 0,
            times.irq or 0,
            times.softirq or 0,
            times.steal or 0,
            times.guest or 0,
            times.guest_nice or 0,
        ]
        previous = last.get(cpu)
        # node_exporter keeps each counter from going backwards (iowait can),
        # and starts over when idle jumps back by 3 s or more (a CPU hotplug).
        if previous is not None and previous[3] - values[3] < 3 * hz:
            values = [max(new, old) for new, old in zip(values, previous, strict=True)]
        last[cpu] = values
        for mode, value in zip(_CPU_MODES, values, strict=False):
            add(sample("node_cpu_seconds_total", {"cpu": label, "mode": mode}, value / hz))
        if s.node.cpu_guest:
            add_guest(
                sample(
                    "node_cpu_guest_seconds_total", {"cpu": label, "mode": "user"}, values[8] / hz
                )
            )
            add_guest(
                sample(
                    "node_cpu_guest_seconds_total", {"cpu": label, "mode": "nice"}, values[9] / hz
                )
            )
    for gone in set(last) - online:
        last.pop(gone, None)  # (a concurrent scrape may have done it)
    yield seconds
    if s.node.cpu_guest:
        yield guest
    if s.node.cpu_info:
        yield from _cpu_info(s)


_CPU_INFO_LABELS = (
    ("package", "physical id"),
    ("core", "core id"),
    ("cpu", "processor"),
    ("vendor", "vendor_id"),
    ("family", "cpu family"),
    ("model", "model"),
    ("model_name", "model name"),
    ("microcode", "microcode"),
    ("stepping", "stepping"),
    ("cachesize", "cache size"),
)


def _cpu_info(s: _Scrape) -> Iterator[Metric]:
    """``--collector.cpu.info``: /proc/cpuinfo's identity of each processor, its
    frequency (node_exporter adds it when its cpufreq collector is on, as by
    default) and the first one's flags and bugs the patterns choose."""
    cpus = s.fs.cpuinfo().cpus
    info = family("node_cpu_info", "CPU information from /proc/cpuinfo.")
    frequency = family("node_cpu_frequency_hertz", "CPU frequency in hertz from /proc/cpuinfo.")
    for cpu in cpus:
        labels = {label: cpu.get(key, "") for label, key in _CPU_INFO_LABELS}
        info.samples.append(_Sample(info.name, labels, 1.0))
        where = {"package": labels["package"], "core": labels["core"], "cpu": labels["cpu"]}
        try:
            mhz = float(cpu.get("cpu MHz", "0"))
        except ValueError:
            mhz = 0.0
        frequency.samples.append(_Sample(frequency.name, where, mhz * 1e6))
    yield info
    yield frequency
    first = cpus[0] if cpus else {}
    for key, name, label, pattern in (
        ("flags", "node_cpu_flag_info", "flag", s.node.cpu_flags_include),
        ("bugs", "node_cpu_bug_info", "bug", s.node.cpu_bugs_include),
    ):
        if pattern is None:
            continue
        metric = family(
            name,
            f"The `{key}` field of CPU information from /proc/cpuinfo taken from the first core.",
        )
        for value in first.get(key, "").split():
            if pattern(value):
                metric.samples.append(_Sample(name, {label: value}, 1.0))
        yield metric


def _stat(s: _Scrape) -> Iterator[Metric]:
    stats = s.stat()
    yield _one(
        "node_intr_total",
        "Total number of interrupts serviced.",
        _COUNTER,
        stats.intr.total if stats.intr else 0,
    )
    yield _one(
        "node_context_switches_total", "Total number of context switches.", _COUNTER, stats.ctxt
    )
    yield _one("node_forks_total", "Total number of forks.", _COUNTER, stats.processes)
    yield _one("node_boot_time_seconds", "Node boot time, in unixtime.", _GAUGE, stats.btime)
    yield _one(
        "node_procs_running",
        "Number of processes in runnable state.",
        _GAUGE,
        stats.procs_running or 0,
    )
    yield _one(
        "node_procs_blocked",
        "Number of processes blocked waiting for I/O to complete.",
        _GAUGE,
        stats.procs_blocked or 0,
    )
    if s.node.stat_softirq:
        metric = family("node_softirqs_total", "Number of softirq calls.", _COUNTER)
        counts = stats.softirq.counts if stats.softirq else []
        for vector, count in zip(_SOFTIRQ_VECTORS, counts, strict=False):
            metric.samples.append(_Sample("node_softirqs_total", {"vector": vector}, count))
        yield metric


# The softirq line's columns, in the kernel's order (include/linux/interrupt.h).
_SOFTIRQ_VECTORS = (
    *("hi", "timer", "net_tx", "net_rx", "block", "block_iopoll"),
    *("tasklet", "sched", "hrtimer", "rcu"),
)


def _one(name: str, documentation: str, kind: str, value: float) -> Metric:
    metric = family(name, documentation, kind)
    metric.samples.append(_Sample(name, {}, value))
    return metric


def _loadavg(s: _Scrape) -> Iterator[Metric]:
    load = s.fs.loadavg()
    yield _one("node_load1", "1m load average.", _GAUGE, load.one)
    yield _one("node_load5", "5m load average.", _GAUGE, load.five)
    yield _one("node_load15", "15m load average.", _GAUGE, load.fifteen)


def _meminfo_name(key: str) -> str:
    """node_exporter 1.5's name for a meminfo line: ``Active(anon)`` -> ``Active_anon``,
    with ``_bytes`` for the sizes (all but the ``HugePages_*`` counts)."""
    name = key.replace("(", "_").replace(")", "")
    return name if key.startswith("HugePages_") else name + "_bytes"


def _meminfo(s: _Scrape) -> Iterator[Metric]:
    names = s.node.meminfo_names
    for key, value in _parse.kb_map(s.fs.read("meminfo", single=True)).items():
        name = names.get(key)
        if name is None:
            name = names[key] = _meminfo_name(key)
        full = "node_memory_" + name
        yield _one(full, f"Memory information field {name}.", _GAUGE, value)


def _vmstat(s: _Scrape) -> Iterator[Metric]:
    data = s.fs.read("vmstat")
    words = data.split()
    if len(words) % 2 or not words:
        core.vmstat.parse_vmstat(data)  # raises the ParseError that says what is wrong
    names = s.node.names
    for index in range(0, len(words), 2):
        raw = words[index]
        spec = names.get(("vmstat", raw), _UNSEEN)
        if spec is _UNSEEN:
            key = raw.decode()
            spec = names[("vmstat", raw)] = (
                (f"node_vmstat_{key}", f"/proc/vmstat information field {key}.")
                if s.node.vmstat_fields(key)
                else None
            )
        if spec is not None:
            yield _one(spec[0], spec[1], _UNTYPED, int(words[index + 1]))


# The families a name of a file gives (or None: filtered out), worked out once
# per name: the patterns and f-strings were a third of vmstat's and netstat's time.
_UNSEEN = ("", "")


# -- disks and filesystems ------------------------------------------------------

# (name, help, type, DiskStat field, scale); scale None: as it is.
_DISK = (
    (
        "node_disk_reads_completed_total",
        "The total number of reads completed successfully.",
        _COUNTER,
        "reads",
        None,
    ),
    ("node_disk_reads_merged_total", "The total number of reads merged.", _COUNTER, "merged", None),
    (
        "node_disk_read_bytes_total",
        "The total number of bytes read successfully.",
        _COUNTER,
        "sectors_read",
        _SECTOR,
    ),
    (
        "node_disk_read_time_seconds_total",
        "The total number of seconds spent by all reads.",
        _COUNTER,
        "time_reading",
        _MS,
    ),
    (
        "node_disk_writes_completed_total",
        "The total number of writes completed successfully.",
        _COUNTER,
        "writes",
        None,
    ),
    (
        "node_disk_writes_merged_total",
        "The number of writes merged.",
        _COUNTER,
        "writes_merged",
        None,
    ),
    (
        "node_disk_written_bytes_total",
        "The total number of bytes written successfully.",
        _COUNTER,
        "sectors_written",
        _SECTOR,
    ),
    (
        "node_disk_write_time_seconds_total",
        "This is the total number of seconds spent by all writes.",
        _COUNTER,
        "time_writing",
        _MS,
    ),
    ("node_disk_io_now", "The number of I/Os currently in progress.", _GAUGE, "in_progress", None),
    (
        "node_disk_io_time_seconds_total",
        "Total seconds spent doing I/Os.",
        _COUNTER,
        "time_in_progress",
        _MS,
    ),
    (
        "node_disk_io_time_weighted_seconds_total",
        "The weighted # of seconds spent doing I/Os.",
        _COUNTER,
        "weighted_time_in_progress",
        _MS,
    ),
    (
        "node_disk_discards_completed_total",
        "The total number of discards completed successfully.",
        _COUNTER,
        "discards",
        None,
    ),
    (
        "node_disk_discards_merged_total",
        "The total number of discards merged.",
        _COUNTER,
        "discards_merged",
        None,
    ),
    (
        "node_disk_discarded_sectors_total",
        "The total number of sectors discarded successfully.",
        _COUNTER,
        "sectors_discarded",
        None,
    ),
    (
        "node_disk_discard_time_seconds_total",
        "This is the total number of seconds spent by all discards.",
        _COUNTER,
        "time_discarding",
        _MS,
    ),
    (
        "node_disk_flush_requests_total",
        "The total number of flush requests completed successfully",
        _COUNTER,
        "flushes",
        None,
    ),
    (
        "node_disk_flush_requests_time_seconds_total",
        "This is the total number of seconds spent by all flush requests.",
        _COUNTER,
        "time_flushing",
        _MS,
    ),
)
_DISK_INFO_LABELS = (
    "device",
    "major",
    "minor",
    "path",
    "wwn",
    "model",
    "serial",
    "revision",
    "rotational",
)
_ATA = (
    ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."),
    (
        "ID_ATA_WRITE_CACHE_ENABLED",
        "node_disk_ata_write_cache_enabled",
        "ATA disk has its write cache enabled.",
    ),
    (
        "ID_ATA_ROTATION_RATE_RPM",
        "node_disk_ata_rotation_rate_rpm",
        "ATA disk rotation rate in RPMs (0 for SSDs).",
    ),
)


def _udev(s: _Scrape, major: int, minor: int) -> dict[str, str]:
    """The ``E:`` properties of a block device in udev's database (empty without one)."""
    try:
        data = s.node.udev.read(f"b{major}:{minor}")
    except (NotFoundError, OSError):
        return {}
    except Exception:  # any ProcError: no properties
        return {}
    out: dict[str, str] = {}
    for line in data.decode(errors="replace").split("\n"):
        if line.startswith("E:"):
            name, found, value = line[2:].partition("=")
            if found:
                out[name] = value
    return out


def _rotational(s: _Scrape, device: str) -> str:
    try:
        return "1" if s.sys.read(f"block/{device}/queue/rotational").strip() == b"1" else "0"
    except Exception:
        return "0"


def _device_info(
    s: _Scrape, device: str, major: int, minor: int
) -> tuple[dict[str, str], tuple[str, ...]]:
    """A block device's udev properties and its ``node_disk_info`` labels."""
    props = _udev(s, major, minor)
    serial = (
        props.get("SCSI_IDENT_SERIAL") or props.get("ID_SERIAL_SHORT") or props.get("ID_SERIAL", "")
    )
    values = (
        device,
        str(major),
        str(minor),
        props.get("ID_PATH", ""),
        props.get("ID_WWN", ""),
        props.get("ID_MODEL", ""),
        serial,
        props.get("ID_REVISION", ""),
        _rotational(s, device),
    )
    return props, values


def _diskstats(s: _Scrape) -> Iterator[Metric]:
    ignored = s.node.diskstats_filter.ignored
    families = [family(name, text, kind) for name, text, kind, _, _ in _DISK]
    info = family("node_disk_info", "Info of /sys/block/<block_device>.")
    fs_info = family("node_disk_filesystem_info", "Info about disk filesystem.")
    dm_info = family("node_disk_device_mapper_info", "Info about disk device mapper.")
    ata = {key: family(name, text) for key, name, text in _ATA}
    columns = [
        (spec[3], spec[4], metric, _sample_name(metric))
        for spec, metric in zip(_DISK, families, strict=True)
    ]
    for disk in s.fs.diskstats():
        device = disk.name
        if ignored(device):
            continue
        props, values = s.node.device_info(s, device, disk.major, disk.minor)
        info.samples.append(
            _Sample("node_disk_info", dict(zip(_DISK_INFO_LABELS, values, strict=True)), 1.0)
        )
        labels = {"device": device}
        for field, scale, metric, sample_name in columns:
            value = getattr(disk, field)
            if value is None:
                continue
            metric.samples.append(_Sample(sample_name, labels, value * scale if scale else value))
        fs_type = props.get("ID_FS_TYPE")
        if fs_type:
            fs_info.samples.append(
                _Sample(
                    "node_disk_filesystem_info",
                    {
                        "device": device,
                        "type": fs_type,
                        "usage": props.get("ID_FS_USAGE", ""),
                        "uuid": props.get("ID_FS_UUID", ""),
                        "version": props.get("ID_FS_VERSION", ""),
                    },
                    1.0,
                )
            )
        dm_name = props.get("DM_NAME")
        if dm_name:
            dm_info.samples.append(
                _Sample(
                    "node_disk_device_mapper_info",
                    {
                        "device": device,
                        "name": dm_name,
                        "uuid": props.get("DM_UUID", ""),
                        "vg_name": props.get("DM_VG_NAME", ""),
                        "lv_name": props.get("DM_LV_NAME", ""),
                        "lv_layer": props.get("DM_LV_LAYER", ""),
                    },
                    1.0,
                )
            )
        if props.get("ID_ATA"):
            for key, metric in ata.items():
                text = props.get(key)
                if text is not None:
                    try:
                        metric.samples.append(_Sample(metric.name, labels, float(text)))
                    except ValueError:
                        pass
    yield info
    yield from families
    for metric in (fs_info, dm_info, *ata.values()):
        if metric.samples:
            yield metric


_FS_LABELS = ("device", "mountpoint", "fstype", "device_error")
_FS_FAMILIES = (
    ("node_filesystem_size_bytes", "Filesystem size in bytes."),
    ("node_filesystem_free_bytes", "Filesystem free space in bytes."),
    ("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes."),
    ("node_filesystem_files", "Filesystem total file nodes."),
    ("node_filesystem_files_free", "Filesystem total free file nodes."),
)


def _filesystem(s: _Scrape) -> Iterator[Metric]:
    node = s.node
    error = family(
        "node_filesystem_device_error",
        "Whether an error occurred while getting statistics for the given device.",
    )
    readonly = family("node_filesystem_readonly", "Filesystem read-only status.")
    sizes = [family(name, text) for name, text in _FS_FAMILIES]
    mount_info = family("node_filesystem_mount_info", "Filesystem mount information.")
    seen: set[tuple[str, str, str, str]] = set()
    for mount in s.node.reparsed("1/mountinfo", core.mountinfo.parse_mountinfo):
        point = mount.mount_point
        fs_type = mount.fs_type
        if node.mount_points_filter.ignored(point) or node.fs_types_filter.ignored(fs_type):
            continue
        device = mount.mount_source or ""
        ro = (
            1.0
            if "ro" in mount.mount_options
            or "ro" in mount.super_options
            or "emergency_ro" in mount.super_options
            else 0.0
        )
        message = ""
        try:
            vfs = _os.statvfs(node.rootfs + point if node.rootfs != "/" else point)
        except OSError as exc:
            vfs = None
            message = exc.strerror or str(exc)
        key = (device, point, fs_type, message)
        if key in seen:
            continue
        seen.add(key)
        labels = dict(zip(_FS_LABELS, key, strict=True))
        error.samples.append(_Sample(error.name, labels, 0.0 if vfs is not None else 1.0))
        readonly.samples.append(_Sample(readonly.name, labels, ro))
        if vfs is None:
            continue
        size = vfs.f_frsize or vfs.f_bsize
        for metric, value in zip(
            sizes,
            (
                vfs.f_blocks * size,
                vfs.f_bfree * size,
                vfs.f_bavail * size,
                vfs.f_files,
                vfs.f_ffree,
            ),
            strict=True,
        ):
            metric.samples.append(_Sample(metric.name, labels, float(value)))
        mount_info.samples.append(
            _Sample(
                mount_info.name,
                {
                    "device": device,
                    "major": str(mount.major),
                    "minor": str(mount.minor),
                    "mountpoint": point,
                },
                1.0,
            )
        )
    yield error
    yield readonly
    yield from sizes
    yield mount_info


# -- network ------------------------------------------------------------------

_NETDEV = (
    ("receive_bytes", "recv_bytes"),
    ("receive_packets", "recv_packets"),
    ("receive_errs", "recv_errs"),
    ("receive_drop", "recv_drop"),
    ("receive_fifo", "recv_fifo"),
    ("receive_frame", "recv_frame"),
    ("receive_compressed", "recv_compressed"),
    ("receive_multicast", "recv_multicast"),
    ("transmit_bytes", "sent_bytes"),
    ("transmit_packets", "sent_packets"),
    ("transmit_errs", "sent_errs"),
    ("transmit_drop", "sent_drop"),
    ("transmit_fifo", "sent_fifo"),
    ("transmit_colls", "sent_colls"),
    ("transmit_carrier", "sent_carrier"),
    ("transmit_compressed", "sent_compressed"),
)


def _netdev(s: _Scrape) -> Iterator[Metric]:
    ignored = s.node.netdev_filter.ignored
    families = [
        (family(f"node_network_{key}_total", f"Network device statistic {key}.", _COUNTER), field)
        for key, field in _NETDEV
    ]
    for name, dev in s.fs.net_dev().items():
        if ignored(name):
            continue
        labels = {"device": name}
        for metric, field in families:
            metric.samples.append(_Sample(metric.name + "_total", labels, getattr(dev, field)))
    for metric, _ in families:
        yield metric


def _snmp6_name(name: str) -> tuple[str, str] | None:
    """How node_exporter splits a ``net/snmp6`` name (``Ip6InReceives``): the
    protocol up to its first ``6``, and the counter."""
    six = name.find("6")
    return (name[: six + 1], name[six + 1 :]) if six >= 0 else None


def _netstat_spec(s: _Scrape, protocol: str, name: str) -> tuple[str, str] | None:
    key = f"{protocol}_{name}"
    if s.node.netstat_fields(key):
        return f"node_netstat_{key}", f"Statistic {protocol}{name}."
    return None


def _header_pairs(s: _Scrape, data: bytes) -> Iterator[tuple[tuple[str, str], int]]:
    """The chosen counters of a ``Section: Name ...`` / ``Section: value ...`` file
    (``net/netstat``, ``net/snmp``): the columns to take are worked out once per
    header line, with :func:`procfs.core.net_snmp.header_value_pairs` checking it;
    then only those values are read (all of them was half of netstat's time)."""
    columns = s.node.columns
    lines = data.split(b"\n")
    for index in range(0, len(lines) - 1, 2):
        header, values = lines[index], lines[index + 1]
        words = values.split()
        known = columns.get(header)
        if known is None or len(words) != known[0] or words[0] != known[1]:
            # new (or a mismatch, which this raises for): check the pair, choose
            pair = core.net_snmp.header_value_pairs(header + b"\n" + values + b"\n")
            chosen = []
            for protocol, counters in pair.items():
                for position, name in enumerate(counters, 1):
                    spec = _netstat_spec(s, protocol, name)
                    if spec is not None:
                        chosen.append((position, spec))
            known = columns[header] = (len(words), words[0], chosen)
        for position, spec in known[2]:
            yield spec, int(words[position])


def _netstat(s: _Scrape) -> Iterator[Metric]:
    fs = s.fs
    for data in (fs.read("net/netstat"), fs.read("net/snmp")):
        for (name, text), value in _header_pairs(s, data):
            yield _one(name, text, _UNTYPED, value)
    try:
        data = fs.read("net/snmp6")
    except NotFoundError:
        return
    names = s.node.names
    for fields, _ in _parse.table_rows(data, header_lines=0, min_fields=2):
        raw = fields[0]
        spec = names.get(("snmp6", raw), _UNSEEN)
        if spec is _UNSEEN:
            split = _snmp6_name(raw.decode())
            spec = names[("snmp6", raw)] = split and _netstat_spec(s, *split)
        if spec is not None:
            yield _one(spec[0], spec[1], _UNTYPED, int(fields[1]))


_SOCKSTAT_KEYS = ("inuse", "orphan", "tw", "alloc", "mem", "memory")


def _sockstat(s: _Scrape) -> Iterator[Metric]:
    page = s.node.page_size
    for v6 in (False, True):
        try:
            stat = s.fs.sockstat6() if v6 else s.fs.sockstat()
        except NotFoundError:
            continue
        if not v6 and stat.sockets_used is not None:
            yield _one(
                "node_sockstat_sockets_used",
                "Number of IPv4 sockets in use.",
                _GAUGE,
                stat.sockets_used,
            )
        protocols = [
            (name.upper() + ("6" if v6 else ""), getattr(stat, name))
            for name in ("tcp", "udp", "udplite", "raw", "frag")
        ]
        protocols.extend(stat.extra.items())
        for protocol, counts in protocols:
            if counts is None:
                continue
            for key in _SOCKSTAT_KEYS:
                value = getattr(counts, key)
                if value is not None:
                    yield _one(
                        f"node_sockstat_{protocol}_{key}",
                        f"Number of {protocol} sockets in state {key}.",
                        _GAUGE,
                        value,
                    )
            if counts.mem is not None:
                yield _one(
                    f"node_sockstat_{protocol}_mem_bytes",
                    f"Number of {protocol} sockets in state mem_bytes.",
                    _GAUGE,
                    counts.mem * page,
                )


_SOFTNET = (
    ("node_softnet_processed_total", "Number of processed packets", _COUNTER, "processed"),
    ("node_softnet_dropped_total", "Number of dropped packets", _COUNTER, "dropped"),
    (
        "node_softnet_times_squeezed_total",
        "Number of times processing packets ran out of quota",
        _COUNTER,
        "time_squeezed",
    ),
    (
        "node_softnet_cpu_collision_total",
        "Number of collision occur while obtaining device lock while transmitting",
        _COUNTER,
        "cpu_collision",
    ),
    (
        "node_softnet_received_rps_total",
        "Number of times cpu woken up received_rps",
        _COUNTER,
        "received_rps",
    ),
    (
        "node_softnet_flow_limit_count_total",
        "Number of times flow limit has been reached",
        _COUNTER,
        "flow_limit_count",
    ),
    ("node_softnet_backlog_len", "Softnet backlog status", _GAUGE, "backlog_len"),
)


def _softnet(s: _Scrape) -> Iterator[Metric]:
    families = [(family(name, text, kind), name, field) for name, text, kind, field in _SOFTNET]
    for row in s.fs.softnet_stat():
        labels = {"cpu": str(row.cpu)}
        for metric, name, field in families:
            metric.samples.append(_Sample(name, labels, getattr(row, field) or 0))
    for metric, _, _ in families:
        yield metric


def _arp(s: _Scrape) -> Iterator[Metric]:
    ignored = s.node.arp_filter.ignored
    counts: dict[str, int] = {}
    for entry in s.fs.arp():
        counts[entry.device] = counts.get(entry.device, 0) + 1
    metric = family("node_arp_entries", "ARP entries by device")
    for device, count in counts.items():
        if not ignored(device):
            metric.samples.append(_Sample(metric.name, {"device": device}, count))
    yield metric


_CONNTRACK_STATS = (
    ("found", "node_nf_conntrack_stat_found", "Number of searched entries which were successful."),
    (
        "invalid",
        "node_nf_conntrack_stat_invalid",
        "Number of packets seen which can not be tracked.",
    ),
    (
        "ignore",
        "node_nf_conntrack_stat_ignore",
        "Number of packets seen which are already connected to a conntrack entry.",
    ),
    ("insert", "node_nf_conntrack_stat_insert", "Number of entries inserted into the list."),
    (
        "insert_failed",
        "node_nf_conntrack_stat_insert_failed",
        "Number of entries for which list insertion was attempted but failed.",
    ),
    ("drop", "node_nf_conntrack_stat_drop", "Number of packets dropped due to conntrack failure."),
    (
        "early_drop",
        "node_nf_conntrack_stat_early_drop",
        "Number of dropped conntrack entries to make room for new ones,"
        " if maximum table size was reached.",
    ),
    (
        "search_restart",
        "node_nf_conntrack_stat_search_restart",
        "Number of conntrack table lookups which had to be restarted due to hashtable resizes.",
    ),
)


def _conntrack_totals(data: bytes) -> dict[str, int]:
    """The per-CPU hexadecimal columns of ``net/stat/nf_conntrack``, summed, by header name."""
    lines = data.split(b"\n", 1)
    names = [name.decode() for name in lines[0].split()]
    totals = dict.fromkeys(names, 0)
    for fields, _ in _parse.table_rows(data, min_fields=len(names)):
        for name, word in zip(names, fields, strict=False):
            totals[name] += int(word, 16)
    return totals


def _conntrack(s: _Scrape) -> Iterator[Metric]:
    fs = s.fs
    yield _one(
        "node_nf_conntrack_entries",
        "Number of currently allocated flow entries for connection tracking.",
        _GAUGE,
        int(fs.read("sys/net/netfilter/nf_conntrack_count")),
    )
    yield _one(
        "node_nf_conntrack_entries_limit",
        "Maximum size of connection tracking table.",
        _GAUGE,
        int(fs.read("sys/net/netfilter/nf_conntrack_max")),
    )
    totals = _conntrack_totals(fs.read("net/stat/nf_conntrack"))
    for key, name, text in _CONNTRACK_STATS:
        yield _one(name, text, _GAUGE, totals.get(key, 0))


# -- the rest of the default ones -----------------------------------------------


def _filefd(s: _Scrape) -> Iterator[Metric]:
    files = s.fs.file_nr()
    yield _one(
        "node_filefd_allocated", "File descriptor statistics: allocated.", _GAUGE, files.allocated
    )
    yield _one("node_filefd_maximum", "File descriptor statistics: maximum.", _GAUGE, files.max)


def _entropy(s: _Scrape) -> Iterator[Metric]:
    fs = s.fs
    yield _one(
        "node_entropy_available_bits",
        "Bits of available entropy.",
        _GAUGE,
        fs.entropy_avail(),
    )
    yield _one(
        "node_entropy_pool_size_bits",
        "Bits of entropy pool.",
        _GAUGE,
        fs.poolsize(),
    )


_PSI = (
    (
        "cpu",
        "some",
        "node_pressure_cpu_waiting_seconds_total",
        "Total time in seconds that processes have waited for CPU time",
    ),
    (
        "io",
        "some",
        "node_pressure_io_waiting_seconds_total",
        "Total time in seconds that processes have waited due to IO congestion",
    ),
    (
        "io",
        "full",
        "node_pressure_io_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IO congestion",
    ),
    (
        "memory",
        "some",
        "node_pressure_memory_waiting_seconds_total",
        "Total time in seconds that processes have waited for memory",
    ),
    (
        "memory",
        "full",
        "node_pressure_memory_stalled_seconds_total",
        "Total time in seconds no process could make progress due to memory congestion",
    ),
    (
        "irq",
        "full",
        "node_pressure_irq_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IRQ congestion",
    ),
)


def _pressure(s: _Scrape) -> Iterator[Metric]:
    read: dict[str, object] = {}
    out: list[Metric] = []
    for resource, kind, name, text in _PSI:
        if resource not in read:
            try:
                read[resource] = s.fs.pressure(resource)
            except NotFoundError:
                read[resource] = None
        pressure = read[resource]
        if pressure is None:
            continue
        record = getattr(pressure, kind)
        if record is None:
            raise _NoData(f"no {kind} line in pressure/{resource}")
        out.append(_one(name, text, _COUNTER, record.total * 1e-6))
    if not out:
        raise _NoData("no pressure files")
    yield from out


def _schedstat(s: _Scrape) -> Iterator[Metric]:
    running = family(
        "node_schedstat_running_seconds_total",
        "Number of seconds CPU spent running a process.",
        _COUNTER,
    )
    waiting = family(
        "node_schedstat_waiting_seconds_total",
        "Number of seconds spent by processing waiting for this CPU.",
        _COUNTER,
    )
    slices = family(
        "node_schedstat_timeslices_total", "Number of timeslices executed by CPU.", _COUNTER
    )
    for cpu, stat in s.fs.kernel_schedstat().cpus.items():
        labels = {"cpu": str(cpu)}
        running.samples.append(
            _Sample("node_schedstat_running_seconds_total", labels, stat.rq_cpu_time * _NS)
        )
        waiting.samples.append(
            _Sample("node_schedstat_waiting_seconds_total", labels, stat.run_delay * _NS)
        )
        slices.samples.append(_Sample("node_schedstat_timeslices_total", labels, stat.pcount))
    yield running
    yield waiting
    yield slices


def _uname(s: _Scrape) -> Iterator[Metric]:
    name = _os.uname()
    domain = s.fs.read("sys/kernel/domainname").decode(errors="replace").strip()
    metric = family(
        "node_uname_info", "Labeled system information as provided by the uname system call."
    )
    labels = {
        "sysname": name.sysname,
        "release": name.release,
        "version": name.version,
        "machine": name.machine,
        "nodename": name.nodename,
        "domainname": domain,
    }
    metric.samples.append(_Sample(metric.name, labels, 1.0))
    yield metric


_OS_LABELS = (
    ("build_id", "BUILD_ID"),
    ("id", "ID"),
    ("id_like", "ID_LIKE"),
    ("image_id", "IMAGE_ID"),
    ("image_version", "IMAGE_VERSION"),
    ("name", "NAME"),
    ("pretty_name", "PRETTY_NAME"),
    ("variant", "VARIANT"),
    ("variant_id", "VARIANT_ID"),
    ("version", "VERSION"),
    ("version_codename", "VERSION_CODENAME"),
    ("version_id", "VERSION_ID"),
)
_UNQUOTE = re.compile(r"\\(.)")


def parse_os_release(data: bytes) -> dict[str, str]:
    """The ``KEY=value`` assignments of an os-release file (quotes and escapes removed)."""
    out: dict[str, str] = {}
    for line in data.decode(errors="replace").split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, found, value = line.partition("=")
        if not found:
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            quote = value[0]
            value = value[1:-1]
            if quote == '"':
                value = _UNQUOTE.sub(r"\1", value)
        out[key.strip()] = value
    return out


def _read_os_release(s: _Scrape) -> dict[str, str]:
    for path in ("etc/os-release", "usr/lib/os-release"):
        try:
            return parse_os_release(s.node.rootfs_root.read(path))
        except NotFoundError:
            continue
    raise _NoData("no os-release file")


def _os_release(s: _Scrape) -> Iterator[Metric]:
    env = s.node.kept("os-release", lambda: _read_os_release(s))
    info = family(
        "node_os_info",
        "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, "
        "image_version, name, pretty_name, variant, variant_id, version, version_codename, "
        "version_id.",
    )
    info.samples.append(
        _Sample("node_os_info", {label: env.get(key, "") for label, key in _OS_LABELS}, 1.0)
    )
    yield info
    version = re.match(r"[0-9]+\.?[0-9]*", env.get("VERSION_ID", ""))
    if version and float(version.group()) > 0:
        metric = family(
            "node_os_version", "Metric containing the major.minor part of the OS version."
        )
        labels = {
            "id": env.get("ID", ""),
            "id_like": env.get("ID_LIKE", ""),
            "name": env.get("NAME", ""),
        }
        metric.samples.append(_Sample("node_os_version", labels, float(version.group())))
        yield metric
    end = env.get("SUPPORT_END")
    if end:
        import calendar

        stamp = calendar.timegm(time.strptime(end, "%Y-%m-%d"))
        yield _one(
            "node_os_support_end_timestamp_seconds",
            "Metric containing the end-of-life date timestamp of the OS.",
            _GAUGE,
            stamp,
        )


def _clocksources(s: _Scrape) -> list[tuple[str, list[str]]]:
    """The clock-source devices of sysfs and the sources each can use."""
    base = "devices/system/clocksource"
    names = sorted(name for name in s.sys.listdir(base) if name.startswith("clocksource"))
    return [
        (name, s.sys.read(f"{base}/{name}/available_clocksource").decode().split())
        for name in names
    ]


def _time(s: _Scrape) -> Iterator[Metric]:
    now = time.time()
    yield _one("node_time_seconds", "System time in seconds since epoch (1970).", _GAUGE, now)
    local = time.localtime(now)
    zone = family("node_time_zone_offset_seconds", "System time zone offset in seconds.")
    zone.samples.append(_Sample(zone.name, {"time_zone": local.tm_zone}, float(local.tm_gmtoff)))
    yield zone
    available = family(
        "node_time_clocksource_available_info",
        "Available clocksources read from '/sys/devices/system/clocksource'.",
    )
    current = family(
        "node_time_clocksource_current_info",
        "Current clocksource read from '/sys/devices/system/clocksource'.",
    )
    base = "devices/system/clocksource"
    sources = s.node.kept("clocksources", lambda: _clocksources(s))
    for index, (name, choices) in enumerate(sources):
        device = str(index)
        for source in choices:
            available.samples.append(
                _Sample(available.name, {"device": device, "clocksource": source}, 1.0)
            )
        chosen = s.sys.read(f"{base}/{name}/current_clocksource").decode().strip()
        current.samples.append(
            _Sample(current.name, {"device": device, "clocksource": chosen}, 1.0)
        )
    yield available
    yield current


# -- disabled by default ---------------------------------------------------------


def _interrupts(s: _Scrape) -> Iterator[Metric]:
    interrupts = s.fs.interrupts()
    ignored = s.node.interrupts_filter.ignored
    zeros = s.node.interrupts_include_zeros
    metric = family("node_interrupts_total", "Interrupt details.", _COUNTER)
    add = metric.samples.append
    for name, entry in interrupts.entries.items():
        if not entry.per_cpu or len(entry.per_cpu) < len(interrupts.cpus):
            continue  # ERR and MIS: one total, not per CPU
        words = entry.description.split()
        if name.isdigit():
            info = words[0] if words else ""
            devices = " ".join(words[1:])
        else:
            info = " ".join(words)
            devices = ""
        if ignored(f"{name};{info};{devices}"):
            continue
        for index, cpu in enumerate(interrupts.cpus):
            value = entry.per_cpu.get(cpu, 0)
            if value or zeros:
                labels = {"cpu": str(index), "type": name, "info": info, "devices": devices}
                add(_Sample("node_interrupts_total", labels, value))
    yield metric


def _buddyinfo(s: _Scrape) -> Iterator[Metric]:
    metric = family("node_buddyinfo_blocks", "Count of free blocks according to size.")
    for entry in s.fs.buddyinfo():
        node = str(entry.node)
        for size, count in enumerate(entry.nr_free):
            metric.samples.append(
                _Sample(metric.name, {"node": node, "zone": entry.zone, "size": str(size)}, count)
            )
    yield metric


# /proc/zoneinfo key -> (family, help, type), as node_exporter's zoneinfo collector.
_ZONEINFO = {
    "nr_free_pages": ("nr_free_pages", "Total number of free pages in the zone", _GAUGE),
    "min": ("min_pages", "Zone watermark pages_min", _GAUGE),
    "low": ("low_pages", "Zone watermark pages_low", _GAUGE),
    "high": ("high_pages", "Zone watermark pages_high", _GAUGE),
    "scanned": ("scanned_pages", "Pages scanned since last reclaim", _GAUGE),
    "spanned": ("spanned_pages", "Total pages spanned by the zone, including holes", _GAUGE),
    "present": ("present_pages", "Physical pages existing within the zone", _GAUGE),
    "managed": ("managed_pages", "Present pages managed by the buddy system", _GAUGE),
    "nr_active_anon": (
        "nr_active_anon_pages",
        "Number of anonymous pages recently more used",
        _GAUGE,
    ),
    "nr_inactive_anon": (
        "nr_inactive_anon_pages",
        "Number of anonymous pages recently less used",
        _GAUGE,
    ),
    "nr_isolated_anon": (
        "nr_isolated_anon_pages",
        "Temporary isolated pages from anon lru",
        _GAUGE,
    ),
    "nr_anon_pages": (
        "nr_anon_pages",
        "Number of anonymous pages currently used by the system",
        _GAUGE,
    ),
    "nr_anon_transparent_hugepages": (
        "nr_anon_transparent_hugepages",
        "Number of anonymous transparent huge pages currently used by the system",
        _GAUGE,
    ),
    "nr_active_file": ("nr_active_file_pages", "Number of active pages with file-backing", _GAUGE),
    "nr_inactive_file": (
        "nr_inactive_file_pages",
        "Number of inactive pages with file-backing",
        _GAUGE,
    ),
    "nr_isolated_file": (
        "nr_isolated_file_pages",
        "Temporary isolated pages from file lru",
        _GAUGE,
    ),
    "nr_file_pages": ("nr_file_pages", "Number of file pages", _GAUGE),
    "nr_slab_reclaimable": (
        "nr_slab_reclaimable_pages",
        "Number of reclaimable slab pages",
        _GAUGE,
    ),
    "nr_slab_unreclaimable": (
        "nr_slab_unreclaimable_pages",
        "Number of unreclaimable slab pages",
        _GAUGE,
    ),
    "nr_mlock_stack": (
        "nr_mlock_stack_pages",
        "mlock()ed pages found and moved off LRU",
        _GAUGE,
    ),
    "nr_kernel_stack": ("nr_kernel_stacks", "Number of kernel stacks", _GAUGE),
    "nr_mapped": ("nr_mapped_pages", "Number of mapped pages", _GAUGE),
    "nr_dirty": ("nr_dirty_pages", "Number of dirty pages", _GAUGE),
    "nr_writeback": ("nr_writeback_pages", "Number of writeback pages", _GAUGE),
    "nr_unevictable": ("nr_unevictable_pages", "Number of unevictable pages", _GAUGE),
    "nr_shmem": ("nr_shmem_pages", "Number of shmem pages (included tmpfs/GEM pages)", _GAUGE),
    "nr_dirtied": ("nr_dirtied_total", "Page dirtyings since bootup", _COUNTER),
    "nr_written": ("nr_written_total", "Page writings since bootup", _COUNTER),
    "numa_hit": ("numa_hit_total", "Allocated in intended node", _COUNTER),
    "numa_miss": ("numa_miss_total", "Allocated in non intended node", _COUNTER),
    "numa_foreign": ("numa_foreign_total", "Was intended here, hit elsewhere", _COUNTER),
    "numa_interleave": ("numa_interleave_total", "Interleaver preferred this zone", _COUNTER),
    "numa_local": ("numa_local_total", "Allocation from local node", _COUNTER),
    "numa_other": ("numa_other_total", "Allocation from other node", _COUNTER),
}


def _zoneinfo(s: _Scrape) -> Iterator[Metric]:
    families: dict[str, Metric] = {}

    def add(name: str, text: str, kind: str, labels: dict[str, str], value: float) -> None:
        metric = families.get(name)
        if metric is None:
            metric = families[name] = family(f"node_zoneinfo_{name}", text, kind)
        metric.samples.append(_Sample(f"node_zoneinfo_{name}", labels, value))

    for zone in s.fs.zoneinfo():
        # what node_exporter's reader finds in the zone's block: the zone's own
        # lines, its counters and (in a node's first zone) the node's
        values: dict[str, int | None] = dict(zone.node_stats or {})
        values.update(zone.stats)
        values.update(zone.extra)
        values.update(
            min=zone.min,
            low=zone.low,
            high=zone.high,
            spanned=zone.spanned,
            present=zone.present,
            managed=zone.managed,
        )
        labels = {"node": str(zone.node), "zone": zone.zone}
        for key, (name, text, kind) in _ZONEINFO.items():
            value = values.get(key)
            if value is not None:
                add(name, text, kind, labels, value)
        for index, value in enumerate(zone.protection):
            add(f"protection_{index}", f"Protection array {index}. field", _GAUGE, labels, value)
    yield from families.values()


_KSMD = (
    (
        "full_scans",
        "node_ksmd_full_scans_total",
        "How many times all mergeable areas have been scanned.",
        _COUNTER,
        1.0,
    ),
    (
        "general_profit",
        "node_ksmd_general_profit_bytes",
        "How effective is KSM. ksm_saved_pages * sizeof(page) - "
        "(all_rmap_items) * sizeof(rmap_item)",
        _GAUGE,
        1.0,
    ),
    (
        "merge_across_nodes",
        "node_ksmd_merge_across_nodes",
        "Specifies if pages from different NUMA nodes can be merged.",
        _GAUGE,
        1.0,
    ),
    (
        "pages_shared",
        "node_ksmd_pages_shared",
        "How many shared pages are being used.",
        _GAUGE,
        1.0,
    ),
    (
        "pages_sharing",
        "node_ksmd_pages_sharing",
        "How many more sites are sharing them i.e. how much saved.",
        _GAUGE,
        1.0,
    ),
    (
        "pages_to_scan",
        "node_ksmd_pages_to_scan",
        "How many pages to scan before ksmd goes to sleep.",
        _GAUGE,
        1.0,
    ),
    (
        "pages_unshared",
        "node_ksmd_pages_unshared",
        "How many pages unique but repeatedly checked for merging.",
        _GAUGE,
        1.0,
    ),
    (
        "pages_volatile",
        "node_ksmd_pages_volatile",
        "How many pages changing too fast to be placed in a tree.",
        _GAUGE,
        1.0,
    ),
    ("run", "node_ksmd_run", "The status of ksmd. stopped = 0, running = 1", _GAUGE, 1.0),
    (
        "sleep_millisecs",
        "node_ksmd_sleep_seconds",
        "How many seconds ksmd should sleep before next scan.",
        _GAUGE,
        0.001,
    ),
)


def _ksmd(s: _Scrape) -> Iterator[Metric]:
    for file, name, text, kind, scale in _KSMD:
        try:
            value = int(s.sys.read(f"kernel/mm/ksm/{file}"))
        except NotFoundError:
            continue
        yield _one(name, text, kind, value * scale)


def _processes(s: _Scrape) -> Iterator[Metric]:
    fs = s.fs
    procs: dict[str, int] = {}
    threads: dict[str, int] = {}
    pids = 0
    total_threads = 0
    for pid, state, num_threads in fs.scan_fields(
        ("pid", "stat.state", "stat.num_threads"), default=None
    ):
        if state is None:
            continue  # its stat unreadable
        pids += 1
        procs[state] = procs.get(state, 0) + 1
        total_threads += num_threads  # as node_exporter sums it
        # node_exporter counts each task's state; the main thread's is the process's
        threads[state] = threads.get(state, 0) + 1
        if num_threads < 2:
            continue
        try:
            tids = fs.listdir(f"{pid}/task")
        except NotFoundError:
            continue
        for tid in tids:
            if tid == str(pid):
                continue
            relative = f"{pid}/task/{tid}/stat"
            try:
                task_state = core.stat.parse_stat(fs.read(relative, single=True)).state
            except (NotFoundError, ParseError):
                continue
            threads[task_state] = threads.get(task_state, 0) + 1
    yield _one("node_processes_threads", "Allocated threads in system", _GAUGE, total_threads)
    yield _one(
        "node_processes_max_threads",
        "Limit of threads in the system",
        _GAUGE,
        fs.threads_max(),
    )
    by_state = family("node_processes_state", "Number of processes in each state.")
    for key, count in procs.items():
        by_state.samples.append(_Sample(by_state.name, {"state": key}, count))
    yield by_state
    thread_state = family("node_processes_threads_state", "Number of threads in each state.")
    for key, count in threads.items():
        thread_state.samples.append(_Sample(thread_state.name, {"thread_state": key}, count))
    yield thread_state
    yield _one("node_processes_pids", "Number of PIDs", _GAUGE, pids)
    yield _one(
        "node_processes_max_processes",
        "Number of max PIDs limit",
        _GAUGE,
        fs.pid_max(),
    )


# -- mountstats: NFS mounts --------------------------------------------------------

_NFS = "node_mountstats_nfs_"
_MANTISSA = 2**53
_NFS_BYTES = (
    ("read_bytes_total", "Number of bytes read using the read() syscall.", "normal_read"),
    ("write_bytes_total", "Number of bytes written using the write() syscall.", "normal_write"),
    (
        "direct_read_bytes_total",
        "Number of bytes read using the read() syscall in O_DIRECT mode.",
        "direct_read",
    ),
    (
        "direct_write_bytes_total",
        "Number of bytes written using the write() syscall in O_DIRECT mode.",
        "direct_write",
    ),
    (
        "total_read_bytes_total",
        "Number of bytes read from the NFS server, in total.",
        "server_read",
    ),
    (
        "total_write_bytes_total",
        "Number of bytes written to the NFS server, in total.",
        "server_write",
    ),
    ("read_pages_total", "Number of pages read directly via mmap()'d files.", "pages_read"),
    ("write_pages_total", "Number of pages written directly via mmap()'d files.", "pages_write"),
)
# (family, help, type, position in node_exporter's 13 transport values)
_NFS_TRANSPORT = (
    (
        "transport_bind_total",
        "Number of times the client has had to establish a connection from scratch to the NFS"
        " server.",
        _COUNTER,
        1,
    ),
    (
        "transport_connect_total",
        "Number of times the client has made a TCP connection to the NFS server.",
        _COUNTER,
        2,
    ),
    (
        "transport_idle_time_seconds",
        "Duration since the NFS mount last saw any RPC traffic, in seconds.",
        _GAUGE,
        4,
    ),
    (
        "transport_sends_total",
        "Number of RPC requests for this mount sent to the NFS server.",
        _COUNTER,
        5,
    ),
    (
        "transport_receives_total",
        "Number of RPC responses for this mount received from the NFS server.",
        _COUNTER,
        6,
    ),
    (
        "transport_bad_transaction_ids_total",
        "Number of times the NFS server sent a response with a transaction ID unknown to this"
        " client.",
        _COUNTER,
        7,
    ),
    (
        "transport_backlog_queue_total",
        "Total number of items added to the RPC backlog queue.",
        _COUNTER,
        9,
    ),
    (
        "transport_maximum_rpc_slots",
        "Maximum number of simultaneously active RPC requests ever used.",
        _GAUGE,
        10,
    ),
    (
        "transport_sending_queue_total",
        "Total number of items added to the RPC transmission sending queue.",
        _COUNTER,
        11,
    ),
    (
        "transport_pending_queue_total",
        "Total number of items added to the RPC transmission pending queue.",
        _COUNTER,
        12,
    ),
)
# (family, help, NfsOperationStat field, scale)
_NFS_OPERATIONS = (
    (
        "operations_requests_total",
        "Number of requests performed for a given operation.",
        "operations",
        None,
    ),
    (
        "operations_transmissions_total",
        "Number of times an actual RPC request has been transmitted for a given operation.",
        "transmissions",
        None,
    ),
    (
        "operations_major_timeouts_total",
        "Number of times a request has had a major timeout for a given operation.",
        "major_timeouts",
        None,
    ),
    (
        "operations_sent_bytes_total",
        "Number of bytes sent for a given operation, including RPC headers and payload.",
        "bytes_sent",
        None,
    ),
    (
        "operations_received_bytes_total",
        "Number of bytes received for a given operation, including RPC headers and payload.",
        "bytes_received",
        None,
    ),
    (
        "operations_queue_time_seconds_total",
        "Duration all requests spent queued for transmission for a given operation before they"
        " were sent, in seconds.",
        "cumulative_queue_time_ms",
        _MS,
    ),
    (
        "operations_response_time_seconds_total",
        "Duration all requests took to get a reply back after a request for a given operation"
        " was transmitted, in seconds.",
        "cumulative_response_time_ms",
        _MS,
    ),
    (
        "operations_request_time_seconds_total",
        "Duration all requests took from when a request was enqueued to when it was completely"
        " handled for a given operation, in seconds.",
        "cumulative_total_request_time_ms",
        _MS,
    ),
)
_NFS_EVENTS = (
    (
        "event_inode_revalidate_total",
        "Number of times cached inode attributes are re-validated from the server.",
        "inode_revalidate",
    ),
    (
        "event_dnode_revalidate_total",
        "Number of times cached dentry nodes are re-validated from the server.",
        "dentry_revalidate",
    ),
    (
        "event_data_invalidate_total",
        "Number of times an inode cache is cleared.",
        "data_invalidate",
    ),
    (
        "event_attribute_invalidate_total",
        "Number of times cached inode attributes are invalidated.",
        "attr_invalidate",
    ),
    # (node_exporter's help text for vfs_open, copied from the line above)
    (
        "event_vfs_open_total",
        "Number of times cached inode attributes are invalidated.",
        "vfs_open",
    ),
    ("event_vfs_lookup_total", "Number of times a directory lookup has occurred.", "vfs_lookup"),
    ("event_vfs_access_total", "Number of times permissions have been checked.", "vfs_access"),
    (
        "event_vfs_update_page_total",
        "Number of updates (and potential writes) to pages.",
        "vfs_update_page",
    ),
    (
        "event_vfs_read_page_total",
        "Number of pages read directly via mmap()'d files.",
        "vfs_read_page",
    ),
    (
        "event_vfs_read_pages_total",
        "Number of times a group of pages have been read.",
        "vfs_read_pages",
    ),
    (
        "event_vfs_write_page_total",
        "Number of pages written directly via mmap()'d files.",
        "vfs_write_page",
    ),
    (
        "event_vfs_write_pages_total",
        "Number of times a group of pages have been written.",
        "vfs_write_pages",
    ),
    (
        "event_vfs_getdents_total",
        "Number of times directory entries have been read with getdents().",
        "vfs_getdents",
    ),
    # (node_exporter's help text for setattr, copied from the line above)
    (
        "event_vfs_setattr_total",
        "Number of times directory entries have been read with getdents().",
        "vfs_setattr",
    ),
    (
        "event_vfs_flush_total",
        "Number of pending writes that have been forcefully flushed to the server.",
        "vfs_flush",
    ),
    (
        "event_vfs_fsync_total",
        "Number of times fsync() has been called on directories and files.",
        "vfs_fsync",
    ),
    ("event_vfs_lock_total", "Number of times locking has been attempted on a file.", "vfs_lock"),
    (
        "event_vfs_file_release_total",
        "Number of times files have been closed and released.",
        "vfs_release",
    ),
    ("event_truncation_total", "Number of times files have been truncated.", "truncation"),
    (
        "event_write_extension_total",
        "Number of times a file has been grown due to writes beyond its existing end.",
        "write_extension",
    ),
    (
        "event_silly_rename_total",
        "Number of times a file was removed while still open by another process.",
        "silly_rename",
    ),
    (
        "event_short_read_total",
        "Number of times the NFS server gave less data than expected while reading.",
        "short_read",
    ),
    (
        "event_short_write_total",
        "Number of times the NFS server wrote less data than expected while writing.",
        "short_write",
    ),
    (
        "event_jukebox_delay_total",
        "Number of times the NFS server indicated EJUKEBOX; retrieving data from offline storage.",
        "delay",
    ),
    ("event_pnfs_read_total", "Number of NFS v4.1+ pNFS reads.", "pnfs_read"),
    ("event_pnfs_write_total", "Number of NFS v4.1+ pNFS writes.", "pnfs_write"),
)


def _transport_values(protocol: str, values: tuple[int, ...]) -> list[int]:
    """A transport's counters at node_exporter's 13 positions (port, bind, connect,
    connect time, idle time, sends, receives, bad xids, active, backlog, max slots,
    sending, pending): UDP has no connect/idle columns; RDMA's last three differ."""
    if protocol == "udp":
        out = [*values[:2], 0, 0, 0, *values[2:]]
    elif protocol == "rdma":
        out = [*values[:10], 0, 0, 0]
    else:
        out = list(values)
    return (out + [0] * 13)[:13]


def _mountstats(s: _Scrape) -> Iterator[Metric]:
    fs = s.fs
    mounts = core.mountstats.parse_mountstats(fs.read("self/mountstats"))
    infos = core.mountinfo.parse_mountinfo(fs.read("self/mountinfo"))
    families: dict[str, Metric] = {}

    def add(name: str, text: str, kind: str, labels: dict[str, str], value: float) -> None:
        metric = families.get(name)
        if metric is None:
            metric = families[name] = family(_NFS + name, text, kind)
        metric.samples.append(_Sample(_sample_name(metric), labels, value))

    devices: set[tuple[str, str, str]] = set()
    points: set[tuple[str, str, str, str]] = set()
    for index, mount in enumerate(mounts):
        stats = mount.statistics
        if stats is None:
            continue
        # node_exporter takes the server's address from the mountinfo line at
        # the same position
        address = ""
        if index < len(infos):
            address = infos[index].super_options.get("addr") or ""
        for transport in stats.xprt:
            point = (mount.device, transport.protocol, address, mount.mount_point)
            if point not in points:
                points.add(point)
                labels = dict(
                    zip(("export", "protocol", "mountaddr", "mountpoint"), point, strict=True)
                )
                add("mountpoint_info", "Info metric for an NFS mountpoint.", _GAUGE, labels, 1.0)
            device = point[:3]
            if device in devices:
                break
            devices.add(device)
            _nfs_stats(
                stats, dict(zip(("export", "protocol", "mountaddr"), device, strict=True)), add
            )
    yield from families.values()


def _nfs_stats(stats: NfsMountStats, labels: dict[str, str], add: Callable[..., None]) -> None:
    add(
        "age_seconds_total",
        "The age of the NFS mount in seconds.",
        _COUNTER,
        labels,
        stats.age or 0,
    )
    counts = stats.bytes
    for name, text, field in _NFS_BYTES:
        add(name, text, _COUNTER, labels, (getattr(counts, field) or 0) if counts else 0)
    for number, transport in enumerate(stats.xprt):
        values = _transport_values(transport.protocol, transport.values)
        place = {**labels, "transport": str(number)}
        for name, text, kind, position in _NFS_TRANSPORT:
            value = values[position]
            add(name, text, kind, place, value % _MANTISSA if position == 4 else value)
    for operation, stat in stats.per_op_stats.items():
        place = {**labels, "operation": operation}
        for name, text, field, scale in _NFS_OPERATIONS:
            value = getattr(stat, field)
            # node_exporter wraps the times at 2**53 ms (a float's mantissa) first
            add(name, text, _COUNTER, place, value % _MANTISSA * scale if scale else value)
    events = stats.events
    for name, text, field in _NFS_EVENTS:
        add(name, text, _COUNTER, labels, (getattr(events, field) or 0) if events else 0)


class _NoData(Exception):
    """The collector has nothing to report here (node_exporter's ErrNoData)."""


#: Every collector, by node_exporter's name: its function and whether it is on by default.
COLLECTORS: dict[str, tuple[Callable[[_Scrape], Iterable[Metric]], bool]] = {
    "arp": (_arp, True),
    "conntrack": (_conntrack, True),
    "cpu": (_cpu, True),
    "diskstats": (_diskstats, True),
    "entropy": (_entropy, True),
    "filefd": (_filefd, True),
    "filesystem": (_filesystem, True),
    "loadavg": (_loadavg, True),
    "meminfo": (_meminfo, True),
    "netdev": (_netdev, True),
    "netstat": (_netstat, True),
    "os": (_os_release, True),
    "pressure": (_pressure, True),
    "schedstat": (_schedstat, True),
    "sockstat": (_sockstat, True),
    "softnet": (_softnet, True),
    "stat": (_stat, True),
    "time": (_time, True),
    "uname": (_uname, True),
    "vmstat": (_vmstat, True),
    "buddyinfo": (_buddyinfo, False),
    "interrupts": (_interrupts, False),
    "ksmd": (_ksmd, False),
    "processes": (_processes, False),
    "zoneinfo": (_zoneinfo, False),
    "mountstats": (_mountstats, False),
}


def default_collectors() -> list[str]:
    """The names of the collectors node_exporter enables by default (that we have)."""
    return [name for name, (_, on) in COLLECTORS.items() if on]


class NodeCollector:
    """node_exporter's node families, for a ``prometheus_client`` registry.

    ``collectors`` names the collectors to run (default: the default ones,
    :func:`default_collectors`); the keyword options are node_exporter's flags
    of the same name (regular expressions, found anywhere in the name). ``root``
    is the procfs to read, ``sys_root`` the sysfs, ``rootfs`` the root of the
    filesystems (``/etc/os-release``, ``statvfs``), as node_exporter's
    ``--path.procfs``, ``--path.sysfs``, ``--path.rootfs``.

    Raises ValueError for an unknown collector or a bad pattern.
    """

    def __init__(
        self,
        collectors: Iterable[str] | None = None,
        *,
        root: str | _os.PathLike[str] = "/proc",
        sys_root: str | _os.PathLike[str] = "/sys",
        rootfs: str | _os.PathLike[str] = "/",
        diskstats_device_exclude: str | None = DEFAULT_DISKSTATS_DEVICE_EXCLUDE,
        diskstats_device_include: str | None = None,
        netdev_device_exclude: str | None = None,
        netdev_device_include: str | None = None,
        arp_device_exclude: str | None = None,
        arp_device_include: str | None = None,
        vmstat_fields: str = DEFAULT_VMSTAT_FIELDS,
        netstat_fields: str = DEFAULT_NETSTAT_FIELDS,
        filesystem_mount_points_exclude: str | None = DEFAULT_MOUNT_POINTS_EXCLUDE,
        filesystem_fs_types_exclude: str | None = DEFAULT_FS_TYPES_EXCLUDE,
        cpu_guest: bool = True,
        cpu_info: bool = False,
        cpu_info_flags_include: str | None = None,
        cpu_info_bugs_include: str | None = None,
        stat_softirq: bool = False,
        interrupts_name_include: str | None = None,
        interrupts_name_exclude: str | None = None,
        interrupts_include_zeros: bool = True,
    ) -> None:
        from procfs._fs import Root

        names = default_collectors() if collectors is None else list(collectors)
        unknown = [name for name in names if name not in COLLECTORS]
        if unknown:
            raise ValueError(
                f"unknown collector(s): {', '.join(unknown)};"
                f" known: {', '.join(sorted(COLLECTORS))}"
            )
        self.collectors = names
        self.fs = ProcFS(root)
        self.sys = Root(sys_root)
        self.rootfs = _os.fspath(rootfs)
        self.rootfs_root = Root(self.rootfs)
        self.udev = Root(_os.path.join(self.rootfs, "run/udev/data"))
        try:
            if diskstats_device_include:
                diskstats_device_exclude = None
            self.diskstats_filter = _Filter(diskstats_device_exclude, diskstats_device_include)
            self.netdev_filter = _Filter(netdev_device_exclude, netdev_device_include)
            self.arp_filter = _Filter(arp_device_exclude, arp_device_include)
            self.mount_points_filter = _Filter(filesystem_mount_points_exclude, None)
            self.fs_types_filter = _Filter(filesystem_fs_types_exclude, None)
            self.interrupts_filter = _Filter(interrupts_name_exclude, interrupts_name_include)
            self.vmstat_fields = re.compile(vmstat_fields).search
            self.cpu_flags_include = (
                re.compile(cpu_info_flags_include).search if cpu_info_flags_include else None
            )
            self.cpu_bugs_include = (
                re.compile(cpu_info_bugs_include).search if cpu_info_bugs_include else None
            )
            self.netstat_fields = re.compile(netstat_fields).search
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from None
        self.cpu_guest = cpu_guest
        # (as node_exporter, a flags or bugs pattern turns the info on)
        self.cpu_info = cpu_info or bool(cpu_info_flags_include or cpu_info_bugs_include)
        self.stat_softirq = stat_softirq
        self.interrupts_include_zeros = interrupts_include_zeros
        self.ticks = self.fs.ticks_per_second()
        self.page_size = self.fs.page_size()
        self.cpu_last: dict[int, list[int]] = {}
        self.meminfo_names: dict[str, str] = {}
        self.names: dict[tuple[str, str | bytes], tuple[str, str] | None] = {}
        self.columns: dict[bytes, tuple[int, bytes, list[tuple[int, tuple[str, str]]]]] = {}
        self.parsed: dict[str, tuple[bytes, object]] = {}
        self.kept_values: dict[str, tuple[float, object]] = {}
        self.errors: dict[str, str] = {}

    def kept(self, key: str, read: Callable[[], R]) -> R:
        """``read()``, kept for :data:`KEEP_SECONDS`: what rarely changes and costs a
        sysfs or udev read per device (node_disk_info's labels, the clock sources
        available; 0.1 ms a device, a third of diskstats' time, when read each scrape)."""
        now = time.monotonic()
        last = self.kept_values.get(key)
        if last is not None and now - last[0] < KEEP_SECONDS:
            return last[1]  # type: ignore[return-value]
        value = read()
        self.kept_values[key] = (now, value)
        return value

    def device_info(
        self, s: _Scrape, device: str, major: int, minor: int
    ) -> tuple[dict[str, str], tuple[str, ...]]:
        """:func:`_device_info`, kept (see :meth:`kept`)."""
        return self.kept(
            f"disk {device} {major}:{minor}", lambda: _device_info(s, device, major, minor)
        )

    def reparsed(self, relative: str, parse: Callable[[bytes], R]) -> R:
        """The file ``relative`` of the procfs, read now, parsed only if it changed
        (mountinfo: parsing it was most of the filesystem collector's time)."""
        data = self.fs.read(relative)
        last = self.parsed.get(relative)
        if last is not None and last[0] == data:
            return last[1]  # type: ignore[return-value]
        result = parse(data)
        self.parsed[relative] = (data, result)
        return result

    def describe(self) -> list[Metric]:
        """Nothing: the registry then does not scrape once to learn the names."""
        return []

    def collect(self) -> Iterator[Metric]:
        """One scrape: the families of every enabled collector, then the scrape families."""
        scrape = _Scrape(self)
        duration = family(
            "node_scrape_collector_duration_seconds",
            "node_exporter: Duration of a collector scrape.",
        )
        success = family(
            "node_scrape_collector_success", "node_exporter: Whether a collector succeeded."
        )
        clock = time.perf_counter
        for name in self.collectors:
            started = clock()
            try:
                found = list(COLLECTORS[name][0](scrape))
            except Exception as exc:  # one collector's failure never fails the scrape
                found = []
                self.errors[name] = f"{type(exc).__name__}: {exc}"
                ok = 0.0
            else:
                self.errors.pop(name, None)
                ok = 1.0
            labels = {"collector": name}
            duration.samples.append(_Sample(duration.name, labels, clock() - started))
            success.samples.append(_Sample(success.name, labels, ok))
            yield from found
        yield duration
        yield success
