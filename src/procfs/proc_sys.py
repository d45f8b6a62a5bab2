"""Kernel settings under ``/proc/sys``: read and write any sysctl, typed.

``sysctl("kernel.pid_max")`` reads ``/proc/sys/kernel/pid_max`` and returns
``32768``; ``sysctl("net.ipv4.ip_forward", 1)`` writes it (root only). A
value is returned typed: the record of the file's registered parser when it
has one (``kernel.sem`` gives a :class:`~procfs.core.sysctl.SemaphoreLimits`,
``kernel.osrelease`` a :class:`~procfs.KernelVersion`), else an ``int``, a
``list[int]`` (a vector such as ``net.ipv4.ip_local_port_range``) or a
``str`` (see :func:`procfs.core.sysctl.parse_sysctl_value`).

Names
    Dotted (``"kernel.pid_max"``) or with slashes (``"kernel/pid_max"``,
    also ``"/proc/sys/kernel/pid_max"``), as ``sysctl(8)`` takes them. A
    component that itself holds a dot, such as the VLAN interface
    ``eth0.100``, cannot be written in the dotted form; use the slash form
    (``"net/ipv4/conf/eth0.100/forwarding"``), or swap that dot for a slash
    in the dotted form, the ``sysctl(8)`` and ``sysctl.d(5)`` convention
    (``"net.ipv4.conf.eth0/100.forwarding"``): when a name's first separator
    is a dot, its dots and slashes are swapped. :func:`sysctl_names` returns
    names in that convention.

Errors
    :class:`~procfs.NotFoundError` for a name with no file,
    :class:`~procfs.PermissionDeniedError` when reading or writing is not
    allowed (writing needs root; some files are write-only, such as
    ``vm.drop_caches``), a :class:`~procfs.ProcError` when the kernel
    refuses a written value (``EINVAL``: out of range or not the expected
    format) and :class:`~procfs.ParseError` when a typed file does not hold
    what its parser expects.

:class:`SysctlFiles` holds :meth:`~SysctlFiles.sysctl`,
:meth:`~SysctlFiles.sysctl_names` and typed readers (or writers) of the files
the Rust crate knows; :class:`procfs.ProcFS` has them all, and
``procfs.sysctl()``, ``procfs.pid_max()`` and friends are those methods bound
to the live ``/proc``.
"""

from __future__ import annotations

import errno as _errno

from procfs._fs import Root
from procfs.errors import NotFoundError, PermissionDeniedError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeAlias

    from procfs.core.sysctl import (
        BinfmtEntry,
        BuildInfo,
        DentryState,
        FileState,
        SemaphoreLimits,
        SysRq,
    )

    #: What :func:`sysctl` can write: a number, text, raw bytes or a vector of numbers.
    SysctlInput: TypeAlias = "int | str | bytes | Sequence[int]"

__all__ = ["SysctlFiles", "sysctl_name", "sysctl_path"]

#: The parser modules whose ``sys/...`` parsers :func:`sysctl` uses (a fixed
#: list, so that a value's type does not depend on what else was imported).
_TYPED_MODULES = ("procfs.core.sysctl", "procfs.core.kernel")

_BINFMT_DIR = "sys/fs/binfmt_misc/"
_BINFMT_SPECIAL = ("status", "register")
_SWAP = str.maketrans("./", "/.")


def sysctl_path(name: str) -> str:
    """The path of sysctl ``name`` relative to a procfs root (``"sys/kernel/pid_max"``).

    See the module notes for the name forms. A name with an empty, ``.``
    or ``..`` component is a :class:`~procfs.NotFoundError`.
    """
    path = name.strip()
    if path.startswith("/proc/sys/"):
        path = path[len("/proc/sys/") :]
    dot, slash = path.find("."), path.find("/")
    if dot != -1 and (slash == -1 or dot < slash):
        path = path.translate(_SWAP)
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise NotFoundError(f"not a sysctl name: {name!r}", name)
    return "sys/" + path


def sysctl_name(path: str) -> str:
    """The dotted name of a path under ``sys/`` (``"sys/net/ipv4/conf/eth0.100/rp_filter"``
    is ``"net.ipv4.conf.eth0/100.rp_filter"``)."""
    if path.startswith("sys/"):
        path = path[4:]
    return path.strip("/").translate(_SWAP)


def _parser(relative: str) -> Callable[[bytes, str], object]:
    """The parser :func:`sysctl` applies to the file ``relative`` (``"sys/..."``)."""
    from procfs.core._parse import REGISTRY

    for module in _TYPED_MODULES:
        __import__(module)
    parse = REGISTRY.get(relative)
    if parse is not None and parse.__module__ in _TYPED_MODULES:
        return parse
    from procfs.core import sysctl as core

    if relative.startswith(_BINFMT_DIR):
        name = relative[len(_BINFMT_DIR) :]
        if "/" not in name and name not in _BINFMT_SPECIAL:
            return lambda data, path: core.parse_binfmt_entry(data, name, path)
    return lambda data, path: core.parse_sysctl_value(data, path)


def _encode(value: SysctlInput) -> bytes:
    if isinstance(value, bool):
        data = b"1" if value else b"0"
    elif isinstance(value, int):
        data = str(value).encode()
    elif isinstance(value, str):
        import os

        data = os.fsencode(value)
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        items = list(value)
        if not all(isinstance(item, int) for item in items):
            raise TypeError("a sysctl vector must hold integers")
        data = "\t".join(str(int(item)) for item in items).encode()
    return data if data.endswith(b"\n") else data + b"\n"


def _is_file(fs: Root, relative: str) -> bool:
    """Whether ``relative`` is in its directory's listing (it is known not to be a directory)."""
    parent, _, base = relative.rpartition("/")
    try:
        return base in fs.listdir(parent)
    except ProcError:
        return False


class SysctlFiles(Root):
    """Kernel settings under ``sys/`` of a procfs root (see the module notes)."""

    __slots__ = ()

    def _sysctl_read(self, relative: str, name: str) -> bytes:
        try:
            return self.read(relative, single=True)
        except NotFoundError:
            raise NotFoundError(
                f"no sysctl {name!r} ({self.path(relative)})", self.path(relative)
            ) from None
        except PermissionDeniedError:
            raise
        except ProcError as exc:
            try:
                self.listdir(relative)
            except ProcError:
                raise exc from None
            raise ProcError(
                f"{name!r} is a directory of sysctls, not one (see sysctl_names({name!r}))",
                self.path(relative),
            ) from None

    def _sysctl_write(self, relative: str, name: str, value: SysctlInput) -> None:
        data = _encode(value)
        path = self.path(relative)
        try:
            self.write(relative, data)
        except NotFoundError:
            raise NotFoundError(f"no sysctl {name!r} ({path})", path) from None
        except PermissionDeniedError:
            raise PermissionDeniedError(
                f"{path}: permission denied writing {name!r} (root is needed, and some sysctls"
                " are read-only)",
                path,
            ) from None
        except ProcError as exc:
            if getattr(exc.__cause__, "errno", None) == _errno.EINVAL:
                shown = data.rstrip(b"\n").decode("utf-8", "backslashreplace")
                raise ProcError(
                    f"{path}: the kernel refused the value {shown!r} for {name!r} (EINVAL: out of"
                    " range or not in the expected format)",
                    path,
                ) from exc
            raise

    def sysctl(self, name: str, value: SysctlInput | None = None) -> Any:
        """Read sysctl ``name`` typed, or write ``value`` to it (then returns ``None``).

        A written value may be an ``int`` (``bool`` writes 1 or 0), a ``str``,
        ``bytes`` as they are, or a sequence of ints (written tab-separated); a
        newline is added. See the module notes for names, types and errors.
        """
        root = self
        relative = sysctl_path(name)
        if value is not None:
            self._sysctl_write(relative, name, value)
            return None
        data = self._sysctl_read(relative, name)
        return _parser(relative)(data, root.path(relative))

    def sysctl_names(self, prefix: str = "") -> list[str]:
        """The names of every sysctl file under ``prefix`` (a subtree: ``"net.ipv4"``), sorted.

        ``""`` lists them all; a prefix that names a file gives that name.
        Names are dotted, a dot inside a component written as a slash (see the
        module notes), so each one can be passed back to :func:`sysctl`.
        Directories that cannot be listed are left out.
        """
        root = self
        prefix = prefix.strip().rstrip("./")
        start = sysctl_path(prefix) if prefix not in ("", "/proc/sys") else "sys"
        try:
            names = root.listdir(start)
        except NotFoundError:
            if not _is_file(self, start):
                raise NotFoundError(
                    f"no sysctl {prefix!r} ({root.path(start)})", root.path(start)
                ) from None
            return [sysctl_name(start)]
        out: list[str] = []
        pending = [(start, names)]
        while pending:
            directory, names = pending.pop()
            for child in names:
                relative = f"{directory}/{child}"
                try:
                    pending.append((relative, root.listdir(relative)))
                except NotFoundError:  # ENOTDIR: a sysctl file (or one that just went away)
                    out.append(sysctl_name(relative))
                except PermissionDeniedError:
                    pass
        return sorted(out)

    def ostype(self) -> str:
        """``kernel.ostype``: the kernel's name (``"Linux"``)."""
        return self.sysctl("kernel.ostype")  # type: ignore[no-any-return]

    def kernel_build(self) -> BuildInfo:
        """``kernel.version``: the build tag, flags (SMP, PREEMPT...) and date (``uname -v``)."""
        return self.sysctl("kernel.version")  # type: ignore[no-any-return]

    def pid_max(self) -> int:
        """``kernel.pid_max``: pids wrap around past this value (the largest pid is one less)."""
        return self.sysctl("kernel.pid_max")  # type: ignore[no-any-return]

    def threads_max(self) -> int:
        """``kernel.threads-max``: the most threads (tasks) the system may have at once."""
        return self.sysctl("kernel.threads-max")  # type: ignore[no-any-return]

    def sem(self) -> SemaphoreLimits:
        """``kernel.sem``: the System V semaphore limits."""
        return self.sysctl("kernel.sem")  # type: ignore[no-any-return]

    def shmall(self) -> int:
        """``kernel.shmall``: the most System V shared memory in the system, in pages."""
        return self.sysctl("kernel.shmall")  # type: ignore[no-any-return]

    def shmmax(self) -> int:
        """``kernel.shmmax``: the largest System V shared memory segment, in bytes."""
        return self.sysctl("kernel.shmmax")  # type: ignore[no-any-return]

    def shmmni(self) -> int:
        """``kernel.shmmni``: the most System V shared memory segments in the system."""
        return self.sysctl("kernel.shmmni")  # type: ignore[no-any-return]

    def sysrq(self) -> SysRq:
        """``kernel.sysrq``: what the magic SysRq key may do (absent without CONFIG_MAGIC_SYSRQ)."""
        return self.sysctl("kernel.sysrq")  # type: ignore[no-any-return]

    def boot_id(self) -> str:
        """``kernel.random.boot_id``: a random UUID drawn at boot, the same until the next one."""
        return self.sysctl("kernel.random.boot_id")  # type: ignore[no-any-return]

    def random_uuid(self) -> str:
        """``kernel.random.uuid``: a new random UUID on every read."""
        return self.sysctl("kernel.random.uuid")  # type: ignore[no-any-return]

    def entropy_avail(self) -> int:
        """``kernel.random.entropy_avail``: the entropy in the input pool, in bits."""
        return self.sysctl("kernel.random.entropy_avail")  # type: ignore[no-any-return]

    def poolsize(self) -> int:
        """``kernel.random.poolsize``: the size of the entropy pool, in bits."""
        return self.sysctl("kernel.random.poolsize")  # type: ignore[no-any-return]

    def urandom_min_reseed_secs(self) -> int:
        """``kernel.random.urandom_min_reseed_secs``: seconds between reseeds (unused, 5.18+)."""
        return self.sysctl("kernel.random.urandom_min_reseed_secs")  # type: ignore[no-any-return]

    def write_wakeup_threshold(self) -> int:
        """``kernel.random.write_wakeup_threshold``: entropy bits below which writers are woken."""
        return self.sysctl("kernel.random.write_wakeup_threshold")  # type: ignore[no-any-return]

    def keys_maxkeys(self) -> int:
        """``kernel.keys.maxkeys``: the most keys a non-root user may own."""
        return self.sysctl("kernel.keys.maxkeys")  # type: ignore[no-any-return]

    def keys_maxbytes(self) -> int:
        """``kernel.keys.maxbytes``: the most bytes of key payload a non-root user may hold."""
        return self.sysctl("kernel.keys.maxbytes")  # type: ignore[no-any-return]

    def keys_root_maxkeys(self) -> int:
        """``kernel.keys.root_maxkeys``: the most keys root may own."""
        return self.sysctl("kernel.keys.root_maxkeys")  # type: ignore[no-any-return]

    def keys_root_maxbytes(self) -> int:
        """``kernel.keys.root_maxbytes``: the most bytes of key payload root may hold."""
        return self.sysctl("kernel.keys.root_maxbytes")  # type: ignore[no-any-return]

    def keys_gc_delay(self) -> int:
        """``kernel.keys.gc_delay``: seconds an expired or revoked key stays before collection."""
        return self.sysctl("kernel.keys.gc_delay")  # type: ignore[no-any-return]

    def keys_persistent_keyring_expiry(self) -> int:
        """``kernel.keys.persistent_keyring_expiry``: seconds a persistent keyring lives unused."""
        return self.sysctl("kernel.keys.persistent_keyring_expiry")  # type: ignore[no-any-return]

    def admin_reserve_kbytes(self) -> int:
        """``vm.admin_reserve_kbytes``: free memory kept for CAP_SYS_ADMIN, in kB (as named)."""
        return self.sysctl("vm.admin_reserve_kbytes")  # type: ignore[no-any-return]

    def max_map_count(self) -> int:
        """``vm.max_map_count``: the most memory mappings a process may have."""
        return self.sysctl("vm.max_map_count")  # type: ignore[no-any-return]

    def drop_caches(self, level: int = 3) -> None:
        """Write ``level`` to ``vm.drop_caches`` (root only): free clean caches.

        ``1`` drops the page cache, ``2`` reclaimable slab objects (dentries and
        inodes), ``3`` both; ``4`` only silences the kernel's log message about
        it. Dirty data is not dropped: call ``os.sync()`` first to drop more.
        """
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError("level must be an int (1, 2, 3 or 4)")
        self.sysctl("vm.drop_caches", level)

    def compact_memory(self) -> None:
        """Write 1 to ``vm.compact_memory`` (root only): compact all memory zones.

        Present only with CONFIG_COMPACTION.
        """
        self.sysctl("vm.compact_memory", 1)

    def file_max(self) -> int:
        """``fs.file-max``: the most file handles the kernel will allocate."""
        return self.sysctl("fs.file-max")  # type: ignore[no-any-return]

    def file_nr(self) -> FileState:
        """``fs.file-nr``: file handles allocated, free and the maximum."""
        return self.sysctl("fs.file-nr")  # type: ignore[no-any-return]

    def dentry_state(self) -> DentryState:
        """``fs.dentry-state``: the state of the directory-entry cache."""
        return self.sysctl("fs.dentry-state")  # type: ignore[no-any-return]

    def epoll_max_user_watches(self) -> int:
        """``fs.epoll.max_user_watches``: the most epoll watches one user may register."""
        return self.sysctl("fs.epoll.max_user_watches")  # type: ignore[no-any-return]

    def binfmt_misc_enabled(self) -> bool:
        """``fs.binfmt_misc.status``: whether binfmt_misc is on (NotFoundError if unmounted)."""
        return self.sysctl("fs.binfmt_misc.status")  # type: ignore[no-any-return]

    def binfmt_misc(self) -> list[BinfmtEntry]:
        """The registered binfmt_misc formats, sorted by name ([] when binfmt_misc is not mounted).

        An entry removed while the list is read is left out.
        """
        from procfs.core.sysctl import parse_binfmt_entry

        root = self
        directory = _BINFMT_DIR.rstrip("/")
        try:
            names = root.listdir(directory)
        except NotFoundError:
            return []
        out = []
        for name in sorted(names):
            if name in _BINFMT_SPECIAL:
                continue
            relative = f"{directory}/{name}"
            try:
                data = root.read(relative)
            except NotFoundError:
                continue
            out.append(parse_binfmt_entry(data, name, root.path(relative)))
        return out
