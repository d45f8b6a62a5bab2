"""Pure parsers: bytes of a /proc file in, typed records out. No I/O here.

``PARSERS`` maps each supported /proc path (``"meminfo"``, ``"[pid]/stat"``,
``"net/tcp"``) to its parser, a callable ``(bytes, path=None) -> record``.
It imports every parser module the first time it is used.
"""

from __future__ import annotations

from procfs.core._parse import REGISTRY as _REGISTRY

TYPE_CHECKING = False
if TYPE_CHECKING:
    # The parser modules, which __getattr__ imports at their first use (what
    # type checkers read; tests/test_layout.py checks the list).
    from procfs.core import auxv as auxv
    from procfs.core import boot_time as boot_time
    from procfs.core import buddyinfo as buddyinfo
    from procfs.core import cgroups as cgroups
    from procfs.core import cmdline as cmdline
    from procfs.core import config as config
    from procfs.core import cpuinfo as cpuinfo
    from procfs.core import crypto as crypto
    from procfs.core import devices as devices
    from procfs.core import diskstats as diskstats
    from procfs.core import fd as fd
    from procfs.core import fdinfo as fdinfo
    from procfs.core import filesystems as filesystems
    from procfs.core import idmap as idmap
    from procfs.core import interrupts as interrupts
    from procfs.core import io as io
    from procfs.core import iomem as iomem
    from procfs.core import kernel as kernel
    from procfs.core import kernel_cmdline as kernel_cmdline
    from procfs.core import kernel_stats as kernel_stats
    from procfs.core import keys as keys
    from procfs.core import kpage as kpage
    from procfs.core import limits as limits
    from procfs.core import loadavg as loadavg
    from procfs.core import locks as locks
    from procfs.core import maps as maps
    from procfs.core import meminfo as meminfo
    from procfs.core import modules as modules
    from procfs.core import mountinfo as mountinfo
    from procfs.core import mounts as mounts
    from procfs.core import mountstats as mountstats
    from procfs.core import net as net
    from procfs.core import net_arp as net_arp
    from procfs.core import net_dev as net_dev
    from procfs.core import net_if_inet6 as net_if_inet6
    from procfs.core import net_packet as net_packet
    from procfs.core import net_route as net_route
    from procfs.core import net_snmp as net_snmp
    from procfs.core import net_sockstat as net_sockstat
    from procfs.core import net_softnet as net_softnet
    from procfs.core import net_unix as net_unix
    from procfs.core import ns as ns
    from procfs.core import numa_maps as numa_maps
    from procfs.core import owner as owner
    from procfs.core import pagemap as pagemap
    from procfs.core import partitions as partitions
    from procfs.core import pid_values as pid_values
    from procfs.core import pressure as pressure
    from procfs.core import process_cgroup as process_cgroup
    from procfs.core import procstate as procstate
    from procfs.core import sched as sched
    from procfs.core import schedstat as schedstat
    from procfs.core import slabinfo as slabinfo
    from procfs.core import smaps as smaps
    from procfs.core import sockstate as sockstate
    from procfs.core import stat as stat
    from procfs.core import statm as statm
    from procfs.core import status as status
    from procfs.core import swaps as swaps
    from procfs.core import syscall as syscall
    from procfs.core import sysctl as sysctl
    from procfs.core import sysvipc as sysvipc
    from procfs.core import tty as tty
    from procfs.core import uptime as uptime
    from procfs.core import version as version
    from procfs.core import vmstat as vmstat
    from procfs.core import zoneinfo as zoneinfo
    from procfs.core._parse import Parser

    PARSERS: dict[str, Parser[object]]

__all__ = ["PARSERS", "key_for", "parser_for"]


#: The names _parser_modules found, listed once: each first use of a module asks (a
#: listdir of this directory, ~0.1 ms of each command's start otherwise).
_MODULES: list[tuple[str, ...]] = []


def _parser_modules() -> tuple[str, ...]:
    """The parser modules, one per /proc file family: every public module here."""
    if not _MODULES:
        import os

        here = os.path.dirname(__file__)
        names = (name[:-3] for name in os.listdir(here) if name.endswith(".py") and name[0] != "_")
        _MODULES.append(tuple(sorted(names)))
    return _MODULES[0]


def key_for(relative: str) -> str:
    """The registry key of a path relative to a procfs root.

    Numeric components become placeholders: ``"123/task/124/stat"`` is
    ``"[pid]/task/[tid]/stat"``, ``"self/fd/3"`` is ``"[pid]/fd/[fd]"``.
    """
    parts = relative.strip("/").split("/")
    if parts[0] == "thread-self":
        parts[0:1] = ["[pid]", "task", "[tid]"]
    elif parts[0].isdigit() or parts[0] == "self":
        parts[0] = "[pid]"
    else:
        return "/".join(parts)
    for index in range(1, len(parts)):
        if parts[index].isdigit():
            previous = parts[index - 1]
            if previous == "task":
                parts[index] = "[tid]"
            elif previous in ("fd", "fdinfo"):
                parts[index] = "[fd]"
    return "/".join(parts)


def parser_for(relative: str) -> Parser[object] | None:
    """The registered parser for a path relative to a procfs root, if any."""
    parsers: dict[str, Parser[object]] = __getattr__("PARSERS")  # type: ignore[assignment]
    return parsers.get(key_for(relative))


def __getattr__(name: str) -> object:
    # ``core.meminfo`` imports the parser module at its first use (PEP 562); the
    # import system then sets it on this package, so later uses are a plain
    # attribute lookup, which is what the accessors want (an import statement in
    # a function costs 1 to 4 us on every call).
    if name == "PARSERS":
        for module in _parser_modules():
            __import__(f"procfs.core.{module}")
        return _REGISTRY
    if name[:1] != "_" and name in _parser_modules():
        import sys

        __import__(f"procfs.core.{name}")
        return sys.modules[f"procfs.core.{name}"]
    raise AttributeError(f"module 'procfs.core' has no attribute {name!r}")
