"""pyprocfs: a typed, fast interface to the Linux procfs (``/proc``).

The module-level functions read the live system through the default root
``/proc``; :class:`ProcFS` offers the same functions for any other root (a
container's ``/proc``, a captured tree, a snapshot)::

    import procfs

    procfs.meminfo().mem_total          # bytes
    procfs.Process.myself().stat().comm
    for p in procfs.all_processes():
        ...

Submodules and record classes load on first use, so ``import procfs`` stays
cheap.
"""

from __future__ import annotations

from procfs._fs import DEFAULT_ROOT, ProcFS
from procfs.errors import NotFoundError, ParseError, PermissionDeniedError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core.auxv import AuxvEntry
    from procfs.core.buddyinfo import BuddyInfoEntry
    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.crypto import CryptoAlgorithm
    from procfs.core.devices import Devices
    from procfs.core.diskstats import DiskStat
    from procfs.core.fd import Fd, FdTarget
    from procfs.core.fdinfo import FdInfo
    from procfs.core.filesystems import Filesystem
    from procfs.core.interrupts import Interrupts, SoftIrqs
    from procfs.core.io import Io
    from procfs.core.iomem import IoResource
    from procfs.core.kernel import KernelVersion
    from procfs.core.kernel_cmdline import KernelCmdline
    from procfs.core.kernel_stats import CpuTime, KernelStats
    from procfs.core.keys import Key, KeyUser
    from procfs.core.kpage import PageFlags
    from procfs.core.limits import Limit, Limits
    from procfs.core.loadavg import LoadAverage
    from procfs.core.locks import Lock
    from procfs.core.maps import MemoryMap
    from procfs.core.meminfo import MemInfo
    from procfs.core.modules import Module
    from procfs.core.mountinfo import MountInfo
    from procfs.core.mounts import MountEntry
    from procfs.core.mountstats import MountStat
    from procfs.core.net import RawNetEntry, SocketAddress, TcpNetEntry, TcpState, UdpNetEntry
    from procfs.core.net_arp import ArpEntry
    from procfs.core.net_dev import DeviceStatus
    from procfs.core.net_if_inet6 import IfInet6Entry
    from procfs.core.net_packet import PacketNetEntry
    from procfs.core.net_route import Ipv6RouteEntry, RouteEntry
    from procfs.core.net_snmp import Netstat, Snmp, Snmp6
    from procfs.core.net_sockstat import SockStat
    from procfs.core.net_unix import UnixNetEntry
    from procfs.core.ns import Namespace
    from procfs.core.pagemap import PageEntry
    from procfs.core.partitions import Partition
    from procfs.core.pressure import Pressure
    from procfs.core.process_cgroup import ProcessCgroup
    from procfs.core.procstate import ProcState
    from procfs.core.schedstat import KernelSchedstat
    from procfs.core.slabinfo import SlabInfo
    from procfs.core.smaps import SmapsEntry, SmapsRollup
    from procfs.core.stat import Stat
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.core.swaps import Swap
    from procfs.core.syscall import Syscall
    from procfs.core.sysvipc import MessageQueue, SemaphoreSet, SharedMemorySegment
    from procfs.core.uptime import Uptime
    from procfs.core.version import KernelVersionInfo
    from procfs.core.vmstat import VmStat
    from procfs.core.zoneinfo import Zone
    from procfs.process import Process, Task
    from procfs.scan import ScannedProcess

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ROOT",
    "ArpEntry",
    "AuxvEntry",
    "BuddyInfoEntry",
    "CgroupController",
    "ConfigValue",
    "CpuInfo",
    "CpuTime",
    "CryptoAlgorithm",
    "DeviceStatus",
    "Devices",
    "DiskStat",
    "Fd",
    "FdInfo",
    "FdTarget",
    "Filesystem",
    "IfInet6Entry",
    "Interrupts",
    "Io",
    "IoResource",
    "Ipv6RouteEntry",
    "KernelCmdline",
    "KernelSchedstat",
    "KernelStats",
    "KernelVersion",
    "KernelVersionInfo",
    "Key",
    "KeyUser",
    "Limit",
    "Limits",
    "LoadAverage",
    "Lock",
    "MemInfo",
    "MemoryMap",
    "MessageQueue",
    "Module",
    "MountEntry",
    "MountInfo",
    "MountStat",
    "Namespace",
    "Netstat",
    "NotFoundError",
    "PacketNetEntry",
    "PageEntry",
    "PageFlags",
    "ParseError",
    "Partition",
    "PermissionDeniedError",
    "Pressure",
    "ProcError",
    "ProcFS",
    "ProcState",
    "Process",
    "ProcessCgroup",
    "RawNetEntry",
    "RouteEntry",
    "ScannedProcess",
    "SemaphoreSet",
    "SharedMemorySegment",
    "SlabInfo",
    "SmapsEntry",
    "SmapsRollup",
    "Snmp",
    "Snmp6",
    "SockStat",
    "SocketAddress",
    "SoftIrqs",
    "Stat",
    "StatM",
    "Status",
    "Swap",
    "Syscall",
    "Task",
    "TcpNetEntry",
    "TcpState",
    "UdpNetEntry",
    "UnixNetEntry",
    "Uptime",
    "VmStat",
    "Zone",
    "all_processes",
    "all_stats",
    "arp",
    "boot_time",
    "boot_time_secs",
    "buddyinfo",
    "cgroups",
    "cpu_pressure",
    "cpuinfo",
    "crypto",
    "devices",
    "diskstats",
    "filesystems",
    "if_inet6",
    "interrupts",
    "io_pressure",
    "iomem",
    "ioports",
    "ipv6_route",
    "irq_pressure",
    "kernel_cmdline",
    "kernel_config",
    "kernel_schedstat",
    "kernel_stats",
    "kernel_version",
    "kernel_version_info",
    "key_users",
    "keys",
    "kpagecount",
    "kpageflags",
    "loadavg",
    "locks",
    "meminfo",
    "memory_pressure",
    "modules",
    "mounts",
    "myself",
    "net_dev",
    "netstat_counters",
    "packet",
    "page_size",
    "partitions",
    "pids",
    "pressure",
    "raw",
    "raw6",
    "route",
    "scan_fields",
    "scan_processes",
    "slabinfo",
    "snmp",
    "snmp6",
    "socket_owners",
    "sockstat",
    "sockstat6",
    "softirqs",
    "swaps",
    "sysctl",
    "sysvipc_msg",
    "sysvipc_sem",
    "sysvipc_shm",
    "tcp",
    "tcp6",
    "ticks_per_second",
    "udp",
    "udp6",
    "unix",
    "uptime",
    "vmstat",
    "zoneinfo",
]

_root = ProcFS(DEFAULT_ROOT)

all_processes = _root.all_processes
all_stats = _root.all_stats
arp = _root.arp
boot_time = _root.boot_time
boot_time_secs = _root.boot_time_secs
buddyinfo = _root.buddyinfo
cgroups = _root.cgroups
cpu_pressure = _root.cpu_pressure
cpuinfo = _root.cpuinfo
crypto = _root.crypto
devices = _root.devices
diskstats = _root.diskstats
filesystems = _root.filesystems
if_inet6 = _root.if_inet6
interrupts = _root.interrupts
io_pressure = _root.io_pressure
iomem = _root.iomem
ioports = _root.ioports
ipv6_route = _root.ipv6_route
irq_pressure = _root.irq_pressure
kernel_cmdline = _root.kernel_cmdline
kernel_config = _root.kernel_config
kernel_schedstat = _root.kernel_schedstat
kernel_stats = _root.kernel_stats
kernel_version = _root.kernel_version
kernel_version_info = _root.kernel_version_info
key_users = _root.key_users
keys = _root.keys
kpagecount = _root.kpagecount
kpageflags = _root.kpageflags
loadavg = _root.loadavg
locks = _root.locks
meminfo = _root.meminfo
memory_pressure = _root.memory_pressure
modules = _root.modules
mounts = _root.mounts
myself = _root.myself
net_dev = _root.net_dev
netstat_counters = _root.netstat_counters
packet = _root.packet
page_size = _root.page_size
partitions = _root.partitions
pids = _root.pids
pressure = _root.pressure
raw = _root.raw
raw6 = _root.raw6
route = _root.route
scan_fields = _root.scan_fields
scan_processes = _root.scan_processes
slabinfo = _root.slabinfo
snmp = _root.snmp
snmp6 = _root.snmp6
socket_owners = _root.socket_owners
sockstat = _root.sockstat
sockstat6 = _root.sockstat6
softirqs = _root.softirqs
swaps = _root.swaps
sysctl = _root.sysctl
sysvipc_msg = _root.sysvipc_msg
sysvipc_sem = _root.sysvipc_sem
sysvipc_shm = _root.sysvipc_shm
tcp = _root.tcp
tcp6 = _root.tcp6
ticks_per_second = _root.ticks_per_second
udp = _root.udp
udp6 = _root.udp6
unix = _root.unix
uptime = _root.uptime
vmstat = _root.vmstat
zoneinfo = _root.zoneinfo

# Classes that live in submodules, imported on first access.
_LAZY = {
    "ArpEntry": "procfs.core.net_arp",
    "AuxvEntry": "procfs.core.auxv",
    "BuddyInfoEntry": "procfs.core.buddyinfo",
    "CgroupController": "procfs.core.cgroups",
    "ConfigValue": "procfs.core.config",
    "CpuInfo": "procfs.core.cpuinfo",
    "CpuTime": "procfs.core.kernel_stats",
    "CryptoAlgorithm": "procfs.core.crypto",
    "DeviceStatus": "procfs.core.net_dev",
    "Devices": "procfs.core.devices",
    "DiskStat": "procfs.core.diskstats",
    "Fd": "procfs.core.fd",
    "FdInfo": "procfs.core.fdinfo",
    "FdTarget": "procfs.core.fd",
    "Filesystem": "procfs.core.filesystems",
    "IfInet6Entry": "procfs.core.net_if_inet6",
    "Interrupts": "procfs.core.interrupts",
    "Io": "procfs.core.io",
    "IoResource": "procfs.core.iomem",
    "Ipv6RouteEntry": "procfs.core.net_route",
    "KernelCmdline": "procfs.core.kernel_cmdline",
    "KernelSchedstat": "procfs.core.schedstat",
    "KernelStats": "procfs.core.kernel_stats",
    "KernelVersion": "procfs.core.kernel",
    "KernelVersionInfo": "procfs.core.version",
    "Key": "procfs.core.keys",
    "KeyUser": "procfs.core.keys",
    "Limit": "procfs.core.limits",
    "Limits": "procfs.core.limits",
    "LoadAverage": "procfs.core.loadavg",
    "Lock": "procfs.core.locks",
    "MemInfo": "procfs.core.meminfo",
    "MemoryMap": "procfs.core.maps",
    "MessageQueue": "procfs.core.sysvipc",
    "Module": "procfs.core.modules",
    "MountEntry": "procfs.core.mounts",
    "MountInfo": "procfs.core.mountinfo",
    "MountStat": "procfs.core.mountstats",
    "Namespace": "procfs.core.ns",
    "Netstat": "procfs.core.net_snmp",
    "PacketNetEntry": "procfs.core.net_packet",
    "PageEntry": "procfs.core.pagemap",
    "PageFlags": "procfs.core.kpage",
    "Partition": "procfs.core.partitions",
    "Pressure": "procfs.core.pressure",
    "ProcState": "procfs.core.procstate",
    "Process": "procfs.process",
    "ProcessCgroup": "procfs.core.process_cgroup",
    "RawNetEntry": "procfs.core.net",
    "RouteEntry": "procfs.core.net_route",
    "SemaphoreSet": "procfs.core.sysvipc",
    "SharedMemorySegment": "procfs.core.sysvipc",
    "SlabInfo": "procfs.core.slabinfo",
    "SmapsEntry": "procfs.core.smaps",
    "SmapsRollup": "procfs.core.smaps",
    "Snmp": "procfs.core.net_snmp",
    "Snmp6": "procfs.core.net_snmp",
    "SockStat": "procfs.core.net_sockstat",
    "SocketAddress": "procfs.core.net",
    "SoftIrqs": "procfs.core.interrupts",
    "Stat": "procfs.core.stat",
    "StatM": "procfs.core.statm",
    "Status": "procfs.core.status",
    "ScannedProcess": "procfs.scan",
    "Swap": "procfs.core.swaps",
    "Syscall": "procfs.core.syscall",
    "Task": "procfs.process",
    "TcpNetEntry": "procfs.core.net",
    "TcpState": "procfs.core.net",
    "UdpNetEntry": "procfs.core.net",
    "UnixNetEntry": "procfs.core.net_unix",
    "Uptime": "procfs.core.uptime",
    "VmStat": "procfs.core.vmstat",
    "Zone": "procfs.core.zoneinfo",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'procfs' has no attribute {name!r}")
    import sys

    __import__(module)
    value = getattr(sys.modules[module], name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
