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

The helpers below read or write the files the Rust crate knows, typed, on
the default root unless ``fs`` is given.
"""

from __future__ import annotations

import errno as _errno

from procfs._fs import ProcFS
from procfs._fs import default_root as _root
from procfs.errors import NotFoundError, PermissionDeniedError, ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeAlias

    from procfs.core.kernel import KernelVersion
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

__all__ = [
    "admin_reserve_kbytes",
    "binfmt_misc",
    "binfmt_misc_enabled",
    "boot_id",
    "compact_memory",
    "dentry_state",
    "drop_caches",
    "entropy_avail",
    "epoll_max_user_watches",
    "file_max",
    "file_nr",
    "keys_gc_delay",
    "keys_maxbytes",
    "keys_maxkeys",
    "keys_persistent_keyring_expiry",
    "keys_root_maxbytes",
    "keys_root_maxkeys",
    "max_map_count",
    "osrelease",
    "ostype",
    "pid_max",
    "poolsize",
    "random_uuid",
    "sem",
    "shmall",
    "shmmax",
    "shmmni",
    "sysctl",
    "sysctl_name",
    "sysctl_names",
    "sysctl_path",
    "sysrq",
    "threads_max",
    "urandom_min_reseed_secs",
    "version",
    "write_wakeup_threshold",
]

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


def _read(fs: ProcFS, relative: str, name: str) -> bytes:
    try:
        return fs.read(relative, single=True)
    except NotFoundError:
        raise NotFoundError(
            f"no sysctl {name!r} ({fs.path(relative)})", fs.path(relative)
        ) from None
    except PermissionDeniedError:
        raise
    except ProcError as exc:
        try:
            fs.listdir(relative)
        except ProcError:
            raise exc from None
        raise ProcError(
            f"{name!r} is a directory of sysctls, not one (see sysctl_names({name!r}))",
            fs.path(relative),
        ) from None


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


def _write(fs: ProcFS, relative: str, name: str, value: SysctlInput) -> None:
    data = _encode(value)
    path = fs.path(relative)
    try:
        fs.write(relative, data)
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


def sysctl(name: str, value: SysctlInput | None = None, fs: ProcFS | None = None) -> Any:
    """Read sysctl ``name`` typed, or write ``value`` to it (then returns ``None``).

    A written value may be an ``int`` (``bool`` writes 1 or 0), a ``str``,
    ``bytes`` as they are, or a sequence of ints (written tab-separated); a
    newline is added. See the module notes for names, types and errors.
    """
    root = _root(fs)
    relative = sysctl_path(name)
    if value is not None:
        _write(root, relative, name, value)
        return None
    data = _read(root, relative, name)
    return _parser(relative)(data, root.path(relative))


def sysctl_names(prefix: str = "", fs: ProcFS | None = None) -> list[str]:
    """The names of every sysctl file under ``prefix`` (a subtree: ``"net.ipv4"``), sorted.

    ``""`` lists them all; a prefix that names a file gives that name.
    Names are dotted, a dot inside a component written as a slash (see the
    module notes), so each one can be passed back to :func:`sysctl`.
    Directories that cannot be listed are left out.
    """
    root = _root(fs)
    prefix = prefix.strip().rstrip("./")
    start = sysctl_path(prefix) if prefix not in ("", "/proc/sys") else "sys"
    try:
        names = root.listdir(start)
    except NotFoundError:
        if not _is_file(root, start):
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


def _is_file(fs: ProcFS, relative: str) -> bool:
    """Whether ``relative`` is in its directory's listing (it is known not to be a directory)."""
    parent, _, base = relative.rpartition("/")
    try:
        return base in fs.listdir(parent)
    except ProcError:
        return False


# -- typed helpers ----------------------------------------------------------------


def _typed(name: str, fs: ProcFS | None) -> Any:
    return sysctl(name, None, fs)


def osrelease(fs: ProcFS | None = None) -> KernelVersion:
    """``kernel.osrelease``: the running kernel's release, as a comparable version."""
    return _typed("kernel.osrelease", fs)  # type: ignore[no-any-return]


def ostype(fs: ProcFS | None = None) -> str:
    """``kernel.ostype``: the kernel's name (``"Linux"``)."""
    return _typed("kernel.ostype", fs)  # type: ignore[no-any-return]


def version(fs: ProcFS | None = None) -> BuildInfo:
    """``kernel.version``: the build tag, flags (SMP, PREEMPT...) and date (``uname -v``)."""
    return _typed("kernel.version", fs)  # type: ignore[no-any-return]


def pid_max(fs: ProcFS | None = None) -> int:
    """``kernel.pid_max``: pids wrap around past this value (the largest pid is one less)."""
    return _typed("kernel.pid_max", fs)  # type: ignore[no-any-return]


def threads_max(fs: ProcFS | None = None) -> int:
    """``kernel.threads-max``: the most threads (tasks) the system may have at once."""
    return _typed("kernel.threads-max", fs)  # type: ignore[no-any-return]


def sem(fs: ProcFS | None = None) -> SemaphoreLimits:
    """``kernel.sem``: the System V semaphore limits."""
    return _typed("kernel.sem", fs)  # type: ignore[no-any-return]


def shmall(fs: ProcFS | None = None) -> int:
    """``kernel.shmall``: the most System V shared memory in the system, in pages."""
    return _typed("kernel.shmall", fs)  # type: ignore[no-any-return]


def shmmax(fs: ProcFS | None = None) -> int:
    """``kernel.shmmax``: the largest System V shared memory segment, in bytes."""
    return _typed("kernel.shmmax", fs)  # type: ignore[no-any-return]


def shmmni(fs: ProcFS | None = None) -> int:
    """``kernel.shmmni``: the most System V shared memory segments in the system."""
    return _typed("kernel.shmmni", fs)  # type: ignore[no-any-return]


def sysrq(fs: ProcFS | None = None) -> SysRq:
    """``kernel.sysrq``: what the magic SysRq key may do (absent without CONFIG_MAGIC_SYSRQ)."""
    return _typed("kernel.sysrq", fs)  # type: ignore[no-any-return]


def boot_id(fs: ProcFS | None = None) -> str:
    """``kernel.random.boot_id``: a random UUID drawn at boot, the same until the next one."""
    return _typed("kernel.random.boot_id", fs)  # type: ignore[no-any-return]


def random_uuid(fs: ProcFS | None = None) -> str:
    """``kernel.random.uuid``: a new random UUID on every read."""
    return _typed("kernel.random.uuid", fs)  # type: ignore[no-any-return]


def entropy_avail(fs: ProcFS | None = None) -> int:
    """``kernel.random.entropy_avail``: the entropy in the input pool, in bits."""
    return _typed("kernel.random.entropy_avail", fs)  # type: ignore[no-any-return]


def poolsize(fs: ProcFS | None = None) -> int:
    """``kernel.random.poolsize``: the size of the entropy pool, in bits."""
    return _typed("kernel.random.poolsize", fs)  # type: ignore[no-any-return]


def urandom_min_reseed_secs(fs: ProcFS | None = None) -> int:
    """``kernel.random.urandom_min_reseed_secs``: seconds between reseeds (unused since 5.18)."""
    return _typed("kernel.random.urandom_min_reseed_secs", fs)  # type: ignore[no-any-return]


def write_wakeup_threshold(fs: ProcFS | None = None) -> int:
    """``kernel.random.write_wakeup_threshold``: entropy bits below which writers are woken."""
    return _typed("kernel.random.write_wakeup_threshold", fs)  # type: ignore[no-any-return]


def keys_maxkeys(fs: ProcFS | None = None) -> int:
    """``kernel.keys.maxkeys``: the most keys a non-root user may own."""
    return _typed("kernel.keys.maxkeys", fs)  # type: ignore[no-any-return]


def keys_maxbytes(fs: ProcFS | None = None) -> int:
    """``kernel.keys.maxbytes``: the most bytes of key payload a non-root user may hold."""
    return _typed("kernel.keys.maxbytes", fs)  # type: ignore[no-any-return]


def keys_root_maxkeys(fs: ProcFS | None = None) -> int:
    """``kernel.keys.root_maxkeys``: the most keys root may own."""
    return _typed("kernel.keys.root_maxkeys", fs)  # type: ignore[no-any-return]


def keys_root_maxbytes(fs: ProcFS | None = None) -> int:
    """``kernel.keys.root_maxbytes``: the most bytes of key payload root may hold."""
    return _typed("kernel.keys.root_maxbytes", fs)  # type: ignore[no-any-return]


def keys_gc_delay(fs: ProcFS | None = None) -> int:
    """``kernel.keys.gc_delay``: seconds an expired or revoked key stays before collection."""
    return _typed("kernel.keys.gc_delay", fs)  # type: ignore[no-any-return]


def keys_persistent_keyring_expiry(fs: ProcFS | None = None) -> int:
    """``kernel.keys.persistent_keyring_expiry``: seconds a persistent keyring lives unused."""
    return _typed("kernel.keys.persistent_keyring_expiry", fs)  # type: ignore[no-any-return]


def admin_reserve_kbytes(fs: ProcFS | None = None) -> int:
    """``vm.admin_reserve_kbytes``: free memory kept for CAP_SYS_ADMIN, in kB (as named)."""
    return _typed("vm.admin_reserve_kbytes", fs)  # type: ignore[no-any-return]


def max_map_count(fs: ProcFS | None = None) -> int:
    """``vm.max_map_count``: the most memory mappings a process may have."""
    return _typed("vm.max_map_count", fs)  # type: ignore[no-any-return]


def drop_caches(fs: ProcFS | None = None, level: int = 3) -> None:
    """Write ``level`` to ``vm.drop_caches`` (root only): free clean caches.

    ``1`` drops the page cache, ``2`` reclaimable slab objects (dentries and
    inodes), ``3`` both; ``4`` only silences the kernel's log message about
    it. Dirty data is not dropped: call ``os.sync()`` first to drop more.
    """
    if isinstance(level, bool) or not isinstance(level, int):
        raise TypeError("level must be an int (1, 2, 3 or 4)")
    sysctl("vm.drop_caches", level, fs)


def compact_memory(fs: ProcFS | None = None) -> None:
    """Write 1 to ``vm.compact_memory`` (root only): compact all memory zones.

    Present only with CONFIG_COMPACTION.
    """
    sysctl("vm.compact_memory", 1, fs)


def file_max(fs: ProcFS | None = None) -> int:
    """``fs.file-max``: the most file handles the kernel will allocate."""
    return _typed("fs.file-max", fs)  # type: ignore[no-any-return]


def file_nr(fs: ProcFS | None = None) -> FileState:
    """``fs.file-nr``: file handles allocated, free and the maximum."""
    return _typed("fs.file-nr", fs)  # type: ignore[no-any-return]


def dentry_state(fs: ProcFS | None = None) -> DentryState:
    """``fs.dentry-state``: the state of the directory-entry cache."""
    return _typed("fs.dentry-state", fs)  # type: ignore[no-any-return]


def epoll_max_user_watches(fs: ProcFS | None = None) -> int:
    """``fs.epoll.max_user_watches``: the most epoll watches one user may register."""
    return _typed("fs.epoll.max_user_watches", fs)  # type: ignore[no-any-return]


def binfmt_misc_enabled(fs: ProcFS | None = None) -> bool:
    """``fs.binfmt_misc.status``: whether binfmt_misc is enabled (NotFoundError when unmounted)."""
    return _typed("fs.binfmt_misc.status", fs)  # type: ignore[no-any-return]


def binfmt_misc(fs: ProcFS | None = None) -> list[BinfmtEntry]:
    """The registered binfmt_misc formats, sorted by name ([] when binfmt_misc is not mounted).

    An entry removed while the list is read is left out.
    """
    from procfs.core.sysctl import parse_binfmt_entry

    root = _root(fs)
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
