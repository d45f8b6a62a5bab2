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

from procfs._fs import DEFAULT_ROOT as DEFAULT_ROOT
from procfs.errors import NotFoundError as NotFoundError
from procfs.errors import ParseError as ParseError
from procfs.errors import PermissionDeniedError as PermissionDeniedError
from procfs.errors import ProcError as ProcError
from procfs.errors import ResourceLimitError as ResourceLimitError
from procfs.errors import TimeoutExpired as TimeoutExpired

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from procfs.core.auxv import AuxvEntry as AuxvEntry
    from procfs.core.buddyinfo import BuddyInfoEntry as BuddyInfoEntry
    from procfs.core.cgroups import CgroupController as CgroupController
    from procfs.core.config import ConfigValue as ConfigValue
    from procfs.core.cpuinfo import CpuInfo as CpuInfo
    from procfs.core.crypto import CryptoAlgorithm as CryptoAlgorithm
    from procfs.core.devices import Devices as Devices
    from procfs.core.diskstats import DiskStat as DiskStat
    from procfs.core.fd import Fd as Fd
    from procfs.core.fd import FdTarget as FdTarget
    from procfs.core.fdinfo import FdInfo as FdInfo
    from procfs.core.filesystems import Filesystem as Filesystem
    from procfs.core.interrupts import Interrupts as Interrupts
    from procfs.core.interrupts import SoftIrqs as SoftIrqs
    from procfs.core.io import Io as Io
    from procfs.core.iomem import IoResource as IoResource
    from procfs.core.kernel import KernelVersion as KernelVersion
    from procfs.core.kernel_cmdline import KernelCmdline as KernelCmdline
    from procfs.core.kernel_stats import CpuTime as CpuTime
    from procfs.core.kernel_stats import KernelStats as KernelStats
    from procfs.core.keys import Key as Key
    from procfs.core.keys import KeyUser as KeyUser
    from procfs.core.kpage import PageFlags as PageFlags
    from procfs.core.limits import Limit as Limit
    from procfs.core.limits import Limits as Limits
    from procfs.core.loadavg import LoadAverage as LoadAverage
    from procfs.core.locks import Lock as Lock
    from procfs.core.maps import MemoryMap as MemoryMap
    from procfs.core.meminfo import MemInfo as MemInfo
    from procfs.core.modules import Module as Module
    from procfs.core.mountinfo import MountInfo as MountInfo
    from procfs.core.mounts import MountEntry as MountEntry
    from procfs.core.mountstats import MountStat as MountStat
    from procfs.core.net import (
        RawNetEntry as RawNetEntry,
    )
    from procfs.core.net import (
        SocketAddress as SocketAddress,
    )
    from procfs.core.net import (
        TcpNetEntry as TcpNetEntry,
    )
    from procfs.core.net import (
        TcpState as TcpState,
    )
    from procfs.core.net import (
        UdpNetEntry as UdpNetEntry,
    )
    from procfs.core.net_arp import ArpEntry as ArpEntry
    from procfs.core.net_dev import DeviceStatus as DeviceStatus
    from procfs.core.net_if_inet6 import IfInet6Entry as IfInet6Entry
    from procfs.core.net_packet import PacketNetEntry as PacketNetEntry
    from procfs.core.net_route import Ipv6RouteEntry as Ipv6RouteEntry
    from procfs.core.net_route import RouteEntry as RouteEntry
    from procfs.core.net_snmp import Netstat as Netstat
    from procfs.core.net_snmp import Snmp as Snmp
    from procfs.core.net_snmp import Snmp6 as Snmp6
    from procfs.core.net_sockstat import SockStat as SockStat
    from procfs.core.net_softnet import SoftnetStat as SoftnetStat
    from procfs.core.net_unix import UnixNetEntry as UnixNetEntry
    from procfs.core.ns import Namespace as Namespace
    from procfs.core.pagemap import PageEntry as PageEntry
    from procfs.core.partitions import Partition as Partition
    from procfs.core.pressure import Pressure as Pressure
    from procfs.core.process_cgroup import ProcessCgroup as ProcessCgroup
    from procfs.core.procstate import ProcState as ProcState
    from procfs.core.schedstat import KernelSchedstat as KernelSchedstat
    from procfs.core.slabinfo import SlabInfo as SlabInfo
    from procfs.core.smaps import SmapsEntry as SmapsEntry
    from procfs.core.smaps import SmapsRollup as SmapsRollup
    from procfs.core.stat import Stat as Stat
    from procfs.core.statm import StatM as StatM
    from procfs.core.status import Status as Status
    from procfs.core.swaps import Swap as Swap
    from procfs.core.syscall import Syscall as Syscall
    from procfs.core.sysvipc import (
        MessageQueue as MessageQueue,
    )
    from procfs.core.sysvipc import (
        SemaphoreSet as SemaphoreSet,
    )
    from procfs.core.sysvipc import (
        SharedMemorySegment as SharedMemorySegment,
    )
    from procfs.core.uptime import Uptime as Uptime
    from procfs.core.version import KernelVersionInfo as KernelVersionInfo
    from procfs.core.vmstat import VmStat as VmStat
    from procfs.core.zoneinfo import Zone as Zone
    from procfs.ioprio import IoPriorityClass as IoPriorityClass
    from procfs.memory import Paging as Paging
    from procfs.memory import SwapMemory as SwapMemory
    from procfs.memory import VirtualMemory as VirtualMemory
    from procfs.net import Connection as Connection
    from procfs.process import Process as Process
    from procfs.process import Task as Task
    from procfs.process_actions import ExitedProcess as ExitedProcess
    from procfs.process_actions import wait_procs as wait_procs
    from procfs.process_info import CtxSwitches as CtxSwitches
    from procfs.process_info import Executable as Executable
    from procfs.process_info import Ids as Ids
    from procfs.process_info import IoCounters as IoCounters
    from procfs.process_info import IoPriority as IoPriority
    from procfs.process_info import MemoryFullInfo as MemoryFullInfo
    from procfs.process_info import MemoryInfo as MemoryInfo
    from procfs.process_info import ProcessCpuTimes as ProcessCpuTimes
    from procfs.process_relations import OpenFile as OpenFile
    from procfs.process_relations import ProcessNode as ProcessNode
    from procfs.process_relations import ProcessSocket as ProcessSocket
    from procfs.rates import DiskRate as DiskRate
    from procfs.rates import NetRate as NetRate
    from procfs.rates import ProcessCounters as ProcessCounters
    from procfs.rates import ProcessRate as ProcessRate
    from procfs.rates import Rates as Rates
    from procfs.rates import Sample as Sample
    from procfs.rates import SystemRate as SystemRate
    from procfs.rates import delta as delta
    from procfs.root import ProcFS as ProcFS
    from procfs.scan import ScannedProcess as ScannedProcess
    from procfs.system import cgroup_pressure as cgroup_pressure
    from procfs.usage import CpuCounts as CpuCounts
    from procfs.usage import CpuFreq as CpuFreq
    from procfs.usage import CpuStats as CpuStats
    from procfs.usage import CpuTimes as CpuTimes
    from procfs.usage import CpuTimesPercent as CpuTimesPercent
    from procfs.usage import DiskIoCounters as DiskIoCounters
    from procfs.usage import DiskPartition as DiskPartition
    from procfs.usage import DiskUsage as DiskUsage
    from procfs.usage import NetIoCounters as NetIoCounters

__version__ = "0.1.0"

# The accessors on the live /proc: each is the method of one shared root, bound
# at its first use (import procfs stays cheap: the readers load when needed).
# Type checkers read this list; at run time __getattr__ binds every name of
# procfs.root.accessors() but `process` (the submodule; procfs.Process(pid) is the
# same), and tests/test_layout.py checks that the two agree.
if TYPE_CHECKING:
    _root = ProcFS(DEFAULT_ROOT)
    admin_reserve_kbytes = _root.admin_reserve_kbytes
    all_processes = _root.all_processes
    all_stats = _root.all_stats
    arp = _root.arp
    binfmt_misc = _root.binfmt_misc
    binfmt_misc_enabled = _root.binfmt_misc_enabled
    boot_id = _root.boot_id
    boot_time = _root.boot_time
    boot_time_secs = _root.boot_time_secs
    buddyinfo = _root.buddyinfo
    cgroups = _root.cgroups
    comm_of = _root.comm_of
    compact_memory = _root.compact_memory
    cpu_count = _root.cpu_count
    cpu_counts = _root.cpu_counts
    cpu_freq = _root.cpu_freq
    cpu_percent = _root.cpu_percent
    cpu_pressure = _root.cpu_pressure
    cpu_stats = _root.cpu_stats
    cpu_times = _root.cpu_times
    cpu_times_percent = _root.cpu_times_percent
    cpuinfo = _root.cpuinfo
    crypto = _root.crypto
    dentry_state = _root.dentry_state
    devices = _root.devices
    disk_io_counters = _root.disk_io_counters
    disk_partitions = _root.disk_partitions
    disk_usage = _root.disk_usage
    diskstats = _root.diskstats
    drop_caches = _root.drop_caches
    entropy_avail = _root.entropy_avail
    epoll_max_user_watches = _root.epoll_max_user_watches
    file_max = _root.file_max
    file_nr = _root.file_nr
    filesystems = _root.filesystems
    if_inet6 = _root.if_inet6
    interrupts = _root.interrupts
    io_pressure = _root.io_pressure
    iomem = _root.iomem
    ioports = _root.ioports
    ipv6_route = _root.ipv6_route
    irq_pressure = _root.irq_pressure
    kernel_build = _root.kernel_build
    kernel_cmdline = _root.kernel_cmdline
    kernel_config = _root.kernel_config
    kernel_schedstat = _root.kernel_schedstat
    kernel_stats = _root.kernel_stats
    kernel_version = _root.kernel_version
    kernel_version_info = _root.kernel_version_info
    key_users = _root.key_users
    keys = _root.keys
    keys_gc_delay = _root.keys_gc_delay
    keys_maxbytes = _root.keys_maxbytes
    keys_maxkeys = _root.keys_maxkeys
    keys_persistent_keyring_expiry = _root.keys_persistent_keyring_expiry
    keys_root_maxbytes = _root.keys_root_maxbytes
    keys_root_maxkeys = _root.keys_root_maxkeys
    kpagecount = _root.kpagecount
    kpageflags = _root.kpageflags
    loadavg = _root.loadavg
    locks = _root.locks
    lowest_socket_owners = _root.lowest_socket_owners
    max_map_count = _root.max_map_count
    meminfo = _root.meminfo
    memory_pressure = _root.memory_pressure
    modules = _root.modules
    mounts = _root.mounts
    myself = _root.myself
    net_connections = _root.net_connections
    net_dev = _root.net_dev
    net_io_counters = _root.net_io_counters
    netstat_counters = _root.netstat_counters
    ostype = _root.ostype
    packet = _root.packet
    page_size = _root.page_size
    partitions = _root.partitions
    pid_exists = _root.pid_exists
    pid_max = _root.pid_max
    pids = _root.pids
    poolsize = _root.poolsize
    pressure = _root.pressure
    process_iter = _root.process_iter
    process_iter_info = _root.process_iter_info
    process_tree = _root.process_tree
    random_uuid = _root.random_uuid
    raw = _root.raw
    raw6 = _root.raw6
    route = _root.route
    sample = _root.sample
    scan_fields = _root.scan_fields
    scan_processes = _root.scan_processes
    sem = _root.sem
    shmall = _root.shmall
    shmmax = _root.shmmax
    shmmni = _root.shmmni
    slabinfo = _root.slabinfo
    snmp = _root.snmp
    snmp6 = _root.snmp6
    socket_owners = _root.socket_owners
    socket_table_fields = _root.socket_table_fields
    socket_tables = _root.socket_tables
    sockets_with_owners = _root.sockets_with_owners
    sockstat = _root.sockstat
    sockstat6 = _root.sockstat6
    softnet_stat = _root.softnet_stat
    softirqs = _root.softirqs
    swap_memory = _root.swap_memory
    swaps = _root.swaps
    sysctl = _root.sysctl
    sysctl_names = _root.sysctl_names
    sysrq = _root.sysrq
    sysvipc_msg = _root.sysvipc_msg
    sysvipc_sem = _root.sysvipc_sem
    sysvipc_shm = _root.sysvipc_shm
    table_fields = _root.table_fields
    tcp = _root.tcp
    tcp6 = _root.tcp6
    tcp_with_owners = _root.tcp_with_owners
    threads_max = _root.threads_max
    ticks_per_second = _root.ticks_per_second
    udp = _root.udp
    udp6 = _root.udp6
    unix = _root.unix
    uptime = _root.uptime
    urandom_min_reseed_secs = _root.urandom_min_reseed_secs
    virtual_memory = _root.virtual_memory
    vmstat = _root.vmstat
    write_wakeup_threshold = _root.write_wakeup_threshold
    zoneinfo = _root.zoneinfo

# Classes that live in submodules, imported on first access.
_LAZY = {
    "ProcFS": "procfs.root",
    "cgroup_pressure": "procfs.system",
    "wait_procs": "procfs.process_actions",
    "CpuCounts": "procfs.usage",
    "CpuFreq": "procfs.usage",
    "CpuStats": "procfs.usage",
    "CpuTimes": "procfs.usage",
    "CpuTimesPercent": "procfs.usage",
    "DiskIoCounters": "procfs.usage",
    "DiskPartition": "procfs.usage",
    "DiskUsage": "procfs.usage",
    "NetIoCounters": "procfs.usage",
    "Paging": "procfs.memory",
    "SwapMemory": "procfs.memory",
    "VirtualMemory": "procfs.memory",
    "DiskRate": "procfs.rates",
    "NetRate": "procfs.rates",
    "ProcessCounters": "procfs.rates",
    "ProcessRate": "procfs.rates",
    "Rates": "procfs.rates",
    "Sample": "procfs.rates",
    "SystemRate": "procfs.rates",
    "delta": "procfs.rates",
    "ArpEntry": "procfs.core.net_arp",
    "AuxvEntry": "procfs.core.auxv",
    "BuddyInfoEntry": "procfs.core.buddyinfo",
    "CgroupController": "procfs.core.cgroups",
    "Connection": "procfs.net",
    "ConfigValue": "procfs.core.config",
    "CpuInfo": "procfs.core.cpuinfo",
    "CpuTime": "procfs.core.kernel_stats",
    "CryptoAlgorithm": "procfs.core.crypto",
    "DeviceStatus": "procfs.core.net_dev",
    "Devices": "procfs.core.devices",
    "DiskStat": "procfs.core.diskstats",
    "ExitedProcess": "procfs.process_actions",
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
    "OpenFile": "procfs.process_relations",
    "Netstat": "procfs.core.net_snmp",
    "PacketNetEntry": "procfs.core.net_packet",
    "PageEntry": "procfs.core.pagemap",
    "PageFlags": "procfs.core.kpage",
    "Partition": "procfs.core.partitions",
    "Pressure": "procfs.core.pressure",
    "ProcState": "procfs.core.procstate",
    "Process": "procfs.process",
    "ProcessCpuTimes": "procfs.process_info",
    "CtxSwitches": "procfs.process_info",
    "Executable": "procfs.process_info",
    "Ids": "procfs.process_info",
    "IoCounters": "procfs.process_info",
    "IoPriority": "procfs.process_info",
    "IoPriorityClass": "procfs.ioprio",
    "MemoryFullInfo": "procfs.process_info",
    "MemoryInfo": "procfs.process_info",
    "ProcessCgroup": "procfs.core.process_cgroup",
    "ProcessNode": "procfs.process_relations",
    "ProcessSocket": "procfs.process_relations",
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
    "SoftnetStat": "procfs.core.net_softnet",
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


#: The submodules, which ``from procfs import <name>`` imports (tests/test_layout.py
#: checks the list).
_SUBMODULES = frozenset(
    {"cli", "core", "errors", "net", "proc_sys", "process", "root", "scan", "snapshot", "tty"}
    | {"ioprio", "process_actions", "process_info", "process_relations", "processes"}
    | {"memory", "prometheus", "rates", "system", "usage", "users"}
)


def _root_module() -> Any:
    """:mod:`procfs.root`, imported (not ``from procfs import root``, which would ask
    this module's ``__getattr__`` for ``root`` first)."""
    import sys

    __import__("procfs.root")
    return sys.modules["procfs.root"]


def __getattr__(name: str) -> object:
    import sys

    if name == "__all__":  # (for ``from procfs import *``)
        return __dir__()
    if name.startswith("_") or name in _SUBMODULES:
        # (``from procfs import system`` asks here first: the import system then
        # loads the submodule, which must not wait for procfs.root)
        raise AttributeError(f"module 'procfs' has no attribute {name!r}")
    module = _LAZY.get(name)
    if module is not None:
        __import__(module)
        value = getattr(sys.modules[module], name)
    else:
        root = _root_module()
        if name not in root.accessors() or name == "process":
            raise AttributeError(f"module 'procfs' has no attribute {name!r}")
        value = getattr(root.default_root(), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    root = _root_module()
    names = {name for name in globals() if not name.startswith("_")}
    names -= {"annotations", "TYPE_CHECKING"}
    return sorted(names | set(_LAZY) | set(root.accessors()) - {"process"})
