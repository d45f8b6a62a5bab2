"""The one place that touches the filesystem: a /proc root and raw reads.

:class:`ProcFS` names a procfs mount (``/proc`` by default) or a captured
tree of /proc files. It reads whole files as bytes, lists directories and
reads symbolic links, and turns every :class:`OSError` into a
:class:`~procfs.errors.ProcError` that names the path. Its public methods
(``meminfo()``, ``tcp()``, ``all_processes()``, …) are the same functions
the ``procfs`` module offers for the default root.

In a captured tree a symbolic link may have been stored as a regular file
holding the link's target (as archive tools without symlink support do);
:meth:`ProcFS.readlink` reads such a file as the link.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs.errors import from_oserror

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from datetime import datetime
    from typing import Any, ClassVar, TypeVar

    R = TypeVar("R")

    from procfs.core._parse import Parser
    from procfs.core.buddyinfo import BuddyInfoEntry
    from procfs.core.cgroups import CgroupController
    from procfs.core.config import ConfigValue
    from procfs.core.cpuinfo import CpuInfo
    from procfs.core.crypto import CryptoAlgorithm
    from procfs.core.devices import Devices
    from procfs.core.diskstats import DiskStat
    from procfs.core.filesystems import Filesystem
    from procfs.core.interrupts import Interrupts, SoftIrqs
    from procfs.core.iomem import IoResource
    from procfs.core.kernel import KernelVersion
    from procfs.core.kernel_cmdline import KernelCmdline
    from procfs.core.kernel_stats import KernelStats
    from procfs.core.keys import Key, KeyUser
    from procfs.core.kpage import PageFlags
    from procfs.core.loadavg import LoadAverage
    from procfs.core.locks import Lock
    from procfs.core.meminfo import MemInfo
    from procfs.core.modules import Module
    from procfs.core.mounts import MountEntry
    from procfs.core.net import RawNetEntry, TcpNetEntry, UdpNetEntry
    from procfs.core.net_arp import ArpEntry
    from procfs.core.net_dev import DeviceStatus
    from procfs.core.net_if_inet6 import IfInet6Entry
    from procfs.core.net_packet import PacketNetEntry
    from procfs.core.net_route import Ipv6RouteEntry, RouteEntry
    from procfs.core.net_snmp import Netstat, Snmp, Snmp6
    from procfs.core.net_sockstat import SockStat
    from procfs.core.net_unix import UnixNetEntry
    from procfs.core.partitions import Partition
    from procfs.core.pressure import Pressure
    from procfs.core.schedstat import KernelSchedstat
    from procfs.core.slabinfo import SlabInfo
    from procfs.core.stat import Stat
    from procfs.core.swaps import Swap
    from procfs.core.sysvipc import MessageQueue, SemaphoreSet, SharedMemorySegment
    from procfs.core.uptime import Uptime
    from procfs.core.version import KernelVersionInfo
    from procfs.core.vmstat import VmStat
    from procfs.core.zoneinfo import Zone
    from procfs.errors import ProcError
    from procfs.proc_sys import SysctlInput
    from procfs.process import Process
    from procfs.scan import ScannedProcess

__all__ = ["DEFAULT_ROOT", "ProcFS", "default_root"]

DEFAULT_ROOT = "/proc"

_O_RDONLY = _os.O_RDONLY | getattr(_os, "O_CLOEXEC", 0)
_O_DIR = _O_RDONLY | getattr(_os, "O_DIRECTORY", 0)
_FIRST_READ = 8192
_NEXT_READ = 65536
#: A table read shorter than this ended with the table (see read_fd).
_SURELY_LAST = 4096 - 1024

_GONE = (_errno.ENOENT, _errno.ESRCH)
#: ``default`` of a field scan when none is given: errors raise.
_RAISE: Any = object()
_open = _os.open
_read = _os.read
_close = _os.close


def read_fd(fd: int, single: bool = False, table: bool = False) -> bytes:
    """Read an open file to its end.

    ``single`` is for files the kernel produces in one piece (a single
    seq_file record such as ``[pid]/stat``): a short first read is then the
    whole file, which saves the read that would only see the end.

    ``table`` is for seq_file tables of short lines (``net/tcp``): a read
    returns at most one buffer (a page or more) of whole lines, so one that
    comes back shorter than a page by more than the longest line ended
    because the table did. Stopping there saves the read that would only see
    the end, which for the socket tables means walking the whole connection
    hash table again (about 1 ms on a small machine). A regular file (a
    captured tree) only reads short at its end, so the rule holds there too.
    """
    if table:
        chunks = []
        while True:
            data = _read(fd, _NEXT_READ)
            if data:
                chunks.append(data)
            if len(data) < _SURELY_LAST:
                return b"".join(chunks)
    data = _read(fd, _FIRST_READ)
    if single and len(data) < _FIRST_READ:
        return data
    if not data:
        return data
    chunks = [data]
    while True:
        data = _read(fd, _NEXT_READ)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def read_at(relative: str, dir_fd: int, single: bool = False) -> bytes:
    """Open ``relative`` under the directory ``dir_fd``, read it to its end and close it.

    ``single`` as for :func:`read_fd`.
    """
    fd = _open(relative, _O_RDONLY, dir_fd=dir_fd)
    try:
        return read_fd(fd, single)
    finally:
        _close(fd)


def read_range(fd: int, offset: int, size: int) -> bytes:
    """``size`` bytes of an open file from ``offset`` with ``pread``, fewer at its end."""
    chunks = []
    while size > 0:
        data = _os.pread(fd, min(size, 1 << 20), offset)
        if not data:
            break
        chunks.append(data)
        offset += len(data)
        size -= len(data)
    return b"".join(chunks)


def core_module(module: str) -> Any:
    """The module ``procfs.core.<module>``, imported if need be."""
    return __import__(f"procfs.core.{module}", fromlist=["_"])


def load_parser(module: str, name: str) -> Any:
    """The function ``name`` of ``procfs.core.<module>``, imported if need be."""
    return getattr(core_module(module), name)


class LazyParsers:
    """Parsers imported on first use: a subclass maps its attributes to their core modules.

    An import statement inside a function costs from half a microsecond to a
    few on every call (the import system finds the module and checks that it
    is initialised); an attribute of such an object is a plain lookup after
    the first use, and importing the reader imports no parser it may not need.
    Subclasses set ``_MODULES`` (``{"parse_io": "io"}``) and annotate each
    attribute for type checkers.
    """

    _MODULES: ClassVar[dict[str, str]] = {}

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            module = self._MODULES.get(name)
            if module is None:
                raise AttributeError(name)
            found = load_parser(module, name)
            setattr(self, name, found)
            return found


class _SystemParsers(LazyParsers):
    """The parsers of the system-wide files read most often (``procfs.system`` uses it too)."""

    _MODULES = {
        "parse_meminfo": "meminfo",
        "parse_loadavg": "loadavg",
        "parse_kernel_stats": "kernel_stats",
        "parse_cpuinfo": "cpuinfo",
        "parse_diskstats": "diskstats",
        "parse_dev": "net_dev",
    }

    if TYPE_CHECKING:
        parse_meminfo: Parser[MemInfo]
        parse_loadavg: Parser[LoadAverage]
        parse_kernel_stats: Parser[KernelStats]
        parse_cpuinfo: Parser[CpuInfo]
        parse_diskstats: Parser[list[DiskStat]]
        parse_dev: Parser[dict[str, DeviceStatus]]


_parsers = _SystemParsers()


class ProcFS:
    """A procfs root: the live ``/proc``, another mount of it, or a captured tree.

    ``ProcFS("/host/proc").meminfo()`` reads the meminfo of that root; every
    function of the ``procfs`` module is a method here.
    """

    __slots__ = ("_prefix", "root")

    root: str
    _prefix: str

    def __init__(self, root: str | _os.PathLike[str] = DEFAULT_ROOT) -> None:
        self.root = _os.fspath(root).rstrip("/") or "/"
        self._prefix = self.root if self.root.endswith("/") else self.root + "/"

    @classmethod
    def from_snapshot(cls, path: str | _os.PathLike[str]) -> ProcFS:
        """A root over a snapshot: an archive from ``procfs snapshot``, or its unpacked directory.

        See :func:`procfs.snapshot.open_snapshot` (the result can be closed, or
        used in a ``with`` block, to remove the unpacked files at once).
        """
        from procfs.snapshot import open_snapshot

        return open_snapshot(path)

    def __repr__(self) -> str:
        return f"ProcFS({self.root!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcFS) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # -- raw access -------------------------------------------------------

    def path(self, relative: str) -> str:
        """The full path of ``relative`` (such as ``"1/stat"``) under this root."""
        return self._prefix + relative

    def read(self, relative: str, single: bool = False, table: bool = False) -> bytes:
        """The whole content of a file under this root, as bytes."""
        path = self._prefix + relative
        try:
            fd = _open(path, _O_RDONLY)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        try:
            return read_fd(fd, single, table)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        finally:
            _close(fd)

    def parse(
        self,
        relative: str,
        parse: Callable[[bytes, str], R],
        single: bool = False,
        table: bool = False,
    ) -> R:
        """Read a file under this root (see :func:`read_fd` for ``single`` and
        ``table``) and hand it to ``parse`` with its full path."""
        return parse(self.read(relative, single, table), self._prefix + relative)

    def listdir(self, relative: str = "") -> list[str]:
        """The names in a directory under this root."""
        path = self._prefix + relative if relative else self.root
        try:
            return _os.listdir(path)
        except OSError as exc:
            raise from_oserror(exc, path) from None

    def readlink(self, relative: str) -> str:
        """The target of a symbolic link under this root (see the module notes)."""
        path = self._prefix + relative
        try:
            return _os.readlink(path)
        except OSError as exc:
            if exc.errno != _errno.EINVAL:
                raise from_oserror(exc, path) from None
        return _os.fsdecode(self.read(relative).rstrip(b"\n"))

    def open_dir(self, relative: str) -> int:
        """Open a directory under this root; the caller closes the descriptor."""
        path = self._prefix + relative
        try:
            return _open(path, _O_DIR)
        except OSError as exc:
            raise from_oserror(exc, path) from None

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to an existing file under this root, like ``echo data > file``.

        The file is opened write-only and truncated (never created) and
        ``data`` goes out in one ``write`` when the kernel takes it all, as
        sysctl files require. The :class:`~procfs.errors.ProcError` raised
        keeps the :class:`OSError` as its ``__cause__`` (``EINVAL``: the
        kernel refused the value).
        """
        path = self._prefix + relative
        try:
            fd = _open(path, _os.O_WRONLY | _os.O_TRUNC | getattr(_os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise from_oserror(exc, path) from exc
        try:
            view = memoryview(data)
            while view:
                written = _os.write(fd, view)
                if written <= 0:
                    raise OSError(_errno.EIO, "the file took no more bytes")
                view = view[written:]
        except OSError as exc:
            raise from_oserror(exc, path) from exc
        finally:
            _close(fd)

    def read_each(
        self, relatives: Iterable[str], parse: Callable[[bytes, str], R], single: bool = False
    ) -> Iterator[R]:
        """``parse(content, path)`` for each of many files, skipping those that are gone.

        One descriptor of the root is held meanwhile and each file is opened
        relative to it: the cheapest way to read one file of every process.
        A file that vanished (ENOENT, ESRCH) is left out; any other error
        raises as :meth:`read` does.
        """
        prefix = self._prefix
        root_fd = self.open_dir("")
        try:
            for relative in relatives:
                try:
                    data = read_at(relative, root_fd, single)
                except OSError as exc:
                    if exc.errno in _GONE:
                        continue
                    raise from_oserror(exc, prefix + relative) from None
                yield parse(data, prefix + relative)
        finally:
            _close(root_fd)

    def pread(self, relative: str, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes of a file from byte ``offset`` (for the large binary files
        such as ``kpageflags``); fewer at the end of the file."""
        path = self._prefix + relative
        try:
            fd = _open(path, _O_RDONLY)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        try:
            return read_range(fd, offset, size)
        except OSError as exc:
            raise from_oserror(exc, path) from None
        finally:
            _close(fd)

    # -- the public API, on this root -------------------------------------

    def process(self, pid: int) -> Process:
        """The process ``pid`` under this root (see :class:`procfs.Process`)."""
        from procfs.process import Process

        return Process(pid, self)

    def myself(self) -> Process:
        """The calling process, through this root's ``self`` link."""
        from procfs.process import Process

        return Process.myself(self)

    def pids(self) -> list[int]:
        """The pids listed under this root, in the order the kernel gives them."""
        from procfs.process import pids

        return pids(self)

    def all_processes(self) -> Iterator[Process]:
        """Every process under this root (see :func:`procfs.all_processes`)."""
        from procfs.process import all_processes

        return all_processes(self)

    def all_stats(self) -> Iterator[Stat]:
        """The ``stat`` of every process under this root, in one pass and without handles.

        The cheap path for a process listing such as ``ps``: one read per
        process through a descriptor of the root, nothing else. Processes that
        exit meanwhile are left out.
        """
        from procfs.core.stat import parse_stat

        names = [name + "/stat" for name in self.listdir() if name.isdigit()]
        return self.read_each(names, parse_stat, True)

    def scan_processes(self, files: Iterable[str] = ("stat",)) -> Iterator[ScannedProcess]:
        """Every process with the files ``files`` read and parsed (see :mod:`procfs.scan`)."""
        from procfs.scan import scan_processes

        return scan_processes(files, self)

    def scan_fields(
        self,
        fields: Iterable[str],
        *,
        default: object = _RAISE,
        errors: list[ProcError] | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """The values ``fields`` of every process, a tuple each (see :mod:`procfs.scan`)."""
        from procfs.scan import scan_fields

        return scan_fields(fields, self, default=default, errors=errors)

    def meminfo(self) -> MemInfo:
        """System memory usage, from ``meminfo``."""
        return self.parse("meminfo", _parsers.parse_meminfo, True)

    def cpuinfo(self) -> CpuInfo:
        """The processors and their properties, from ``cpuinfo``."""
        return self.parse("cpuinfo", _parsers.parse_cpuinfo)

    def loadavg(self) -> LoadAverage:
        """Load averages and task counts, from ``loadavg``."""
        return self.parse("loadavg", _parsers.parse_loadavg, True)

    def kernel_version(self) -> KernelVersion:
        """The running kernel's version, from ``sys/kernel/osrelease``."""
        from procfs import system

        return system.kernel_version(self)

    def boot_time(self) -> datetime:
        """When the system booted (aware datetime, UTC), from ``btime`` in ``stat``."""
        from procfs import system

        return system.boot_time(self)

    def boot_time_secs(self) -> int:
        """When the system booted, in seconds since the Unix epoch."""
        from procfs import system

        return system.boot_time_secs(self)

    def ticks_per_second(self) -> int:
        """Clock ticks per second (USER_HZ), the unit of the CPU times in ``stat`` files."""
        if self.root == DEFAULT_ROOT:  # (ps needs only this: spare it the import)
            return _os.sysconf("SC_CLK_TCK")
        from procfs import system

        return system.ticks_per_second(self)

    def page_size(self) -> int:
        """The size of a memory page in bytes, the unit of ``statm`` and ``rss``."""
        from procfs import system

        return system.page_size(self)

    def kernel_config(self) -> dict[str, ConfigValue]:
        """The kernel's build configuration (``config.gz``, else ``/boot/config-<release>``)."""
        from procfs import system

        return system.kernel_config(self)

    def cgroups(self) -> list[CgroupController]:
        """The cgroup controllers the kernel knows, from ``cgroups``."""
        from procfs import system

        return system.cgroups(self)

    def tcp(self) -> list[TcpNetEntry]:
        """The IPv4 TCP sockets, from ``net/tcp``."""
        from procfs import net

        return net.tcp(self)

    def tcp6(self) -> list[TcpNetEntry]:
        """The IPv6 TCP sockets, from ``net/tcp6``."""
        from procfs import net

        return net.tcp6(self)

    def buddyinfo(self) -> list[BuddyInfoEntry]:
        """Free blocks of each order in each memory zone, from ``buddyinfo``."""
        from procfs import system

        return system.buddyinfo(self)

    def cpu_pressure(self) -> Pressure:
        """CPU pressure, from ``pressure/cpu`` (``full`` is ``None`` before 5.13)."""
        from procfs import system

        return system.cpu_pressure(self)

    def crypto(self) -> list[CryptoAlgorithm]:
        """The cryptographic algorithms registered with the kernel, from ``crypto``."""
        from procfs import system

        return system.crypto(self)

    def devices(self) -> Devices:
        """The character and block major numbers drivers registered, from ``devices``."""
        from procfs import system

        return system.devices(self)

    def diskstats(self) -> list[DiskStat]:
        """I/O counters of every block device and partition, from ``diskstats``."""
        return self.parse("diskstats", _parsers.parse_diskstats)

    def filesystems(self) -> list[Filesystem]:
        """The filesystem types the kernel supports now, from ``filesystems``."""
        from procfs import system

        return system.filesystems(self)

    def interrupts(self) -> Interrupts:
        """Interrupt counts per CPU, from ``interrupts``."""
        from procfs import system

        return system.interrupts(self)

    def io_pressure(self) -> Pressure:
        """I/O pressure, from ``pressure/io``."""
        from procfs import system

        return system.io_pressure(self)

    def iomem(self) -> list[IoResource]:
        """The physical memory map, from ``iomem`` (addresses are 0 without CAP_SYS_ADMIN)."""
        from procfs import system

        return system.iomem(self)

    def ioports(self) -> list[IoResource]:
        """The I/O port map, from ``ioports`` (addresses are 0 without CAP_SYS_ADMIN)."""
        from procfs import system

        return system.ioports(self)

    def irq_pressure(self) -> Pressure:
        """Interrupt pressure, from ``pressure/irq`` (6.1; only ``full``)."""
        from procfs import system

        return system.irq_pressure(self)

    def kernel_cmdline(self) -> KernelCmdline:
        """The parameters the kernel was booted with, from ``cmdline``."""
        from procfs import system

        return system.kernel_cmdline(self)

    def kernel_schedstat(self) -> KernelSchedstat:
        """Scheduler statistics per CPU and domain, from ``schedstat`` (CONFIG_SCHEDSTATS)."""
        from procfs import system

        return system.kernel_schedstat(self)

    def kernel_stats(self) -> KernelStats:
        """CPU times and kernel counters since boot, from ``stat``."""
        return self.parse("stat", _parsers.parse_kernel_stats, True)

    def key_users(self) -> dict[int, KeyUser]:
        """Key counts and quotas of each user that owns keys, by uid, from ``key-users``."""
        from procfs import system

        return system.key_users(self)

    def keys(self) -> list[Key]:
        """The keys the caller may view, from ``keys`` (CONFIG_KEYS)."""
        from procfs import system

        return system.keys(self)

    def kpagecount(self, start_pfn: int, end_pfn: int) -> list[int]:
        """How many times each page frame in ``[start_pfn, end_pfn)`` is mapped (``kpagecount``)."""
        from procfs import system

        return system.kpagecount(self, start_pfn, end_pfn)

    def kpageflags(self, start_pfn: int, end_pfn: int) -> list[PageFlags]:
        """The flags of each page frame in ``[start_pfn, end_pfn)``, from ``kpageflags``."""
        from procfs import system

        return system.kpageflags(self, start_pfn, end_pfn)

    def locks(self) -> list[Lock]:
        """The file locks held and the requests waiting for them, from ``locks``."""
        from procfs import system

        return system.locks(self)

    def memory_pressure(self) -> Pressure:
        """Memory pressure, from ``pressure/memory``."""
        from procfs import system

        return system.memory_pressure(self)

    def modules(self) -> list[Module]:
        """The loaded kernel modules, from ``modules`` (missing without CONFIG_MODULES)."""
        from procfs import system

        return system.modules(self)

    def partitions(self) -> list[Partition]:
        """Block devices and partitions with their sizes in bytes, from ``partitions``."""
        from procfs import system

        return system.partitions(self)

    def pressure(self, resource: str) -> Pressure:
        """Pressure stall information of ``resource`` (``"cpu"``, ``"memory"``, ``"io"`` or
        ``"irq"``), from ``pressure/<resource>`` (4.20, CONFIG_PSI)."""
        from procfs import system

        return system.pressure(self, resource)

    def slabinfo(self) -> SlabInfo:
        """The kernel's slab caches, from ``slabinfo`` (root only: PermissionDeniedError else)."""
        from procfs import system

        return system.slabinfo(self)

    def softirqs(self) -> SoftIrqs:
        """Softirq counts per CPU, from ``softirqs``."""
        from procfs import system

        return system.softirqs(self)

    def swaps(self) -> list[Swap]:
        """The swap areas in use (sizes in bytes), from ``swaps``."""
        from procfs import system

        return system.swaps(self)

    def sysvipc_msg(self) -> list[MessageQueue]:
        """The System V message queues of the IPC namespace, from ``sysvipc/msg``."""
        from procfs import system

        return system.sysvipc_msg(self)

    def sysvipc_sem(self) -> list[SemaphoreSet]:
        """The System V semaphore sets of the IPC namespace, from ``sysvipc/sem``."""
        from procfs import system

        return system.sysvipc_sem(self)

    def sysvipc_shm(self) -> list[SharedMemorySegment]:
        """The System V shared memory segments of the IPC namespace, from ``sysvipc/shm``."""
        from procfs import system

        return system.sysvipc_shm(self)

    def uptime(self) -> Uptime:
        """Seconds since boot and seconds spent idle (summed over CPUs), from ``uptime``."""
        from procfs import system

        return system.uptime(self)

    def kernel_version_info(self) -> KernelVersionInfo:
        """The kernel's release, builder, compiler and version string, from ``version``."""
        from procfs import system

        return system.version(self)

    def vmstat(self) -> VmStat:
        """Virtual-memory counters, from ``vmstat`` (page counts and event counts)."""
        from procfs import system

        return system.vmstat(self)

    def zoneinfo(self) -> list[Zone]:
        """Each memory zone of each NUMA node in detail, from ``zoneinfo`` (counts in pages)."""
        from procfs import system

        return system.zoneinfo(self)

    def arp(self) -> list[ArpEntry]:
        """The IPv4 neighbour (ARP) table of a procfs root, from ``net/arp``."""
        from procfs import net

        return net.arp(self)

    def net_dev(self) -> dict[str, DeviceStatus]:
        """The receive and transmit counters of each interface, by name, from ``net/dev``."""
        return self.parse("net/dev", _parsers.parse_dev, table=True)

    def if_inet6(self) -> list[IfInet6Entry]:
        """The IPv6 addresses of the interfaces, from ``net/if_inet6``."""
        from procfs import net

        return net.if_inet6(self)

    def ipv6_route(self) -> list[Ipv6RouteEntry]:
        """The IPv6 routes of every table, from ``net/ipv6_route``."""
        from procfs import net

        return net.ipv6_route(self)

    def netstat_counters(self) -> Netstat:
        """The extended TCP and IP counters (``TcpExt``, ``IpExt``...), from ``net/netstat``."""
        from procfs import net

        return net.netstat_counters(self)

    def packet(self) -> list[PacketNetEntry]:
        """The packet (``AF_PACKET``) sockets of a procfs root, from ``net/packet``."""
        from procfs import net

        return net.packet(self)

    def raw(self) -> list[RawNetEntry]:
        """The IPv4 raw sockets of a procfs root, from ``net/raw``."""
        from procfs import net

        return net.raw(self)

    def raw6(self) -> list[RawNetEntry]:
        """The IPv6 raw sockets of a procfs root, from ``net/raw6``."""
        from procfs import net

        return net.raw6(self)

    def route(self) -> list[RouteEntry]:
        """The IPv4 routes of the main table, from ``net/route`` (this machine's byte order)."""
        from procfs import net

        return net.route(self)

    def snmp(self) -> Snmp:
        """The IPv4, ICMP, TCP and UDP counters, from ``net/snmp``."""
        from procfs import net

        return net.snmp(self)

    def snmp6(self) -> Snmp6:
        """The IPv6, ICMPv6 and UDP-over-IPv6 counters, from ``net/snmp6``."""
        from procfs import net

        return net.snmp6(self)

    def socket_owners(
        self, inodes: Iterable[int] | None = None
    ) -> dict[int, list[tuple[int, int]]]:
        """Which processes hold which sockets: socket inode -> ``[(pid, fd), ...]``."""
        from procfs import net

        return net.socket_owners(self, inodes)

    def sockstat(self) -> SockStat:
        """Counts of IPv4 sockets by protocol, and of all sockets, from ``net/sockstat``."""
        from procfs import net

        return net.sockstat(self)

    def sockstat6(self) -> SockStat:
        """Counts of IPv6 sockets by protocol, from ``net/sockstat6``."""
        from procfs import net

        return net.sockstat6(self)

    def udp(self) -> list[UdpNetEntry]:
        """The IPv4 UDP sockets of a procfs root, from ``net/udp``."""
        from procfs import net

        return net.udp(self)

    def udp6(self) -> list[UdpNetEntry]:
        """The IPv6 UDP sockets of a procfs root, from ``net/udp6``."""
        from procfs import net

        return net.udp6(self)

    def unix(self) -> list[UnixNetEntry]:
        """The unix domain sockets of a procfs root, from ``net/unix``."""
        from procfs import net

        return net.unix(self)

    def mounts(self) -> list[MountEntry]:
        """The mounts of the reading process's mount namespace, from ``mounts``."""
        from procfs import system

        return system.mounts(self)

    def sysctl(self, name: str, value: SysctlInput | None = None) -> Any:
        """Read (or, given ``value``, write) a kernel setting under ``sys/``: see
        :func:`procfs.proc_sys.sysctl`."""
        from procfs import proc_sys

        return proc_sys.sysctl(name, value, self)


_default: list[ProcFS] = []  # the live root, made at the first use


def default_root(fs: ProcFS | None = None) -> ProcFS:
    """``fs``, or (for None) the live ``/proc``: one ProcFS shared by every module."""
    if fs is not None:
        return fs
    if not _default:
        _default.append(ProcFS(DEFAULT_ROOT))
    return _default[0]
