"""pyprocfs: a typed, fast interface to the Linux procfs (``/proc``).

The module-level functions read the live system through the default root
``/proc``; :class:`ProcFS` offers the same functions for any other root (a
container's ``/proc``, a captured tree)::

    import procfs

    procfs.meminfo().mem_total          # bytes
    procfs.Process.myself().stat().comm
    for p in procfs.all_processes():
        ...

Submodules load on first use, so ``import procfs`` stays cheap.
"""

from __future__ import annotations

from procfs._fs import DEFAULT_ROOT, ProcFS
from procfs.errors import NotFoundError, ParseError, PermissionDeniedError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.fd import Fd, FdTarget
    from procfs.core.io import Io
    from procfs.core.kernel import KernelVersion
    from procfs.core.limits import Limit, Limits
    from procfs.core.loadavg import LoadAverage
    from procfs.core.maps import MemoryMap
    from procfs.core.meminfo import MemInfo
    from procfs.core.mountinfo import MountInfo
    from procfs.core.mountstats import MountStat
    from procfs.core.net import TcpNetEntry, TcpState
    from procfs.core.procstate import ProcState
    from procfs.core.stat import Stat
    from procfs.core.statm import StatM
    from procfs.core.status import Status
    from procfs.process import Process

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ROOT",
    "CgroupController",
    "ConfigValue",
    "CpuInfo",
    "Fd",
    "FdTarget",
    "Io",
    "KernelVersion",
    "Limit",
    "Limits",
    "LoadAverage",
    "MemInfo",
    "MemoryMap",
    "MountInfo",
    "MountStat",
    "NotFoundError",
    "ParseError",
    "PermissionDeniedError",
    "ProcError",
    "ProcFS",
    "ProcState",
    "Process",
    "Stat",
    "StatM",
    "Status",
    "TcpNetEntry",
    "TcpState",
    "all_processes",
    "boot_time",
    "boot_time_secs",
    "cgroups",
    "cpuinfo",
    "kernel_config",
    "kernel_version",
    "loadavg",
    "meminfo",
    "myself",
    "page_size",
    "pids",
    "tcp",
    "tcp6",
    "ticks_per_second",
]

_root = ProcFS(DEFAULT_ROOT)

all_processes = _root.all_processes
boot_time = _root.boot_time
boot_time_secs = _root.boot_time_secs
cgroups = _root.cgroups
cpuinfo = _root.cpuinfo
kernel_config = _root.kernel_config
kernel_version = _root.kernel_version
loadavg = _root.loadavg
meminfo = _root.meminfo
myself = _root.myself
page_size = _root.page_size
pids = _root.pids
tcp = _root.tcp
tcp6 = _root.tcp6
ticks_per_second = _root.ticks_per_second

# Classes that live in submodules, imported on first access.
_LAZY = {
    "CgroupController": "procfs.core.cgroups",
    "ConfigValue": "procfs.core.config",
    "CpuInfo": "procfs.core.cpuinfo",
    "Fd": "procfs.core.fd",
    "FdTarget": "procfs.core.fd",
    "Io": "procfs.core.io",
    "KernelVersion": "procfs.core.kernel",
    "Limit": "procfs.core.limits",
    "Limits": "procfs.core.limits",
    "LoadAverage": "procfs.core.loadavg",
    "MemInfo": "procfs.core.meminfo",
    "MemoryMap": "procfs.core.maps",
    "MountInfo": "procfs.core.mountinfo",
    "MountStat": "procfs.core.mountstats",
    "ProcState": "procfs.core.procstate",
    "Process": "procfs.process",
    "Stat": "procfs.core.stat",
    "StatM": "procfs.core.statm",
    "Status": "procfs.core.status",
    "TcpNetEntry": "procfs.core.net",
    "TcpState": "procfs.core.net",
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
