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
    names in that convention. A name is invalid (:class:`ValueError`) when
    it is empty, holds a NUL byte, has an empty, ``.`` or ``..`` component
    (``"kernel."``, ``"kernel/../x"``) or starts with a ``/`` other than
    ``/proc/sys/``.

Writing
    ``sysctl(name, value)`` writes ``value`` as one line in one ``write(2)``,
    like ``echo value > /proc/sys/...``; the kernel parses each write as a
    whole value, so a write it takes only in part is an error and the rest
    is never sent as a second value. A value is

    * an ``int``, in decimal (a ``bool`` writes ``1`` or ``0``), of at most
      64 bits, a sign apart (``-(2**64 - 1)`` to ``2**64 - 1``: what the
      kernel parses);
    * a sequence of such ints (a ``list``, ``tuple``, ``range``...),
      tab-separated, as the sysctls of several numbers take them
      (``net.ipv4.ip_local_port_range``, ``kernel.sem``);
    * a ``str`` (encoded as :func:`os.fsencode` does) or ``bytes``
      (``bytearray``, ``memoryview``), as given.

    It must be one line: the library adds the final newline, or keeps the
    one the value ends with (never doubled); any other newline, or a NUL
    byte anywhere, would make the kernel drop what follows, so the value is
    refused. A sysctl that holds integers is read first, and a value of
    more fields (parts between spaces or tabs) than it holds integers is
    refused: the kernel would set the first and drop the rest. So
    ``kernel.pid_max`` (one integer) refuses ``"71 99"`` and ``[71, 99]``
    and ``kernel.sem`` (four) refuses five; what the kernel parses whole,
    such as ``"0x10"`` or ``"8080,9000-9100"`` (one field), is written as
    given and the kernel judges it. A sysctl that cannot be read
    (``vm.drop_caches`` is write-only) is not checked so.
    The file is reached without following a symbolic link anywhere below
    the root (/proc/sys has none; a captured or fake root might), so that a
    write never lands outside the root.

Errors
    Wrong arguments raise the built-in errors with a message naming the
    sysctl, before anything is written: :class:`TypeError` for a name that
    is not a ``str`` or a value of another type (a ``float``, or a sequence
    holding a ``bool``, ``float`` or ``str``), :class:`ValueError` for an
    invalid name (see Names) or a value that breaks the rules of Writing
    (an integer over 64 bits, an empty sequence, more than one line,
    a NUL byte, a ``str`` that cannot be encoded, more fields than the
    sysctl holds integers). What the system does raises a :class:`~procfs.ProcError`:
    :class:`~procfs.NotFoundError` for a name with no file,
    :class:`~procfs.PermissionDeniedError` when reading or writing is not
    allowed (writing needs root; some files are write-only, such as
    ``vm.drop_caches``), a plain :class:`~procfs.ProcError` when the kernel
    refuses a written value (``EINVAL``: out of range or not the expected
    format) or takes it only in part, when a symbolic link is on the way
    and when the name is a directory of sysctls, and
    :class:`~procfs.ParseError` when a typed file does not hold what its
    parser expects.

:class:`SysctlFiles` holds :meth:`~SysctlFiles.sysctl`,
:meth:`~SysctlFiles.sysctl_names` and typed readers (or writers) of the files
the Rust crate knows; :class:`procfs.ProcFS` has them all, and
``procfs.sysctl()``, ``procfs.pid_max()`` and friends are those methods bound
to the live ``/proc``.
"""

from __future__ import annotations

import errno as _errno
import os as _os

from procfs import core
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
#: The largest magnitude of an integer the kernel parses (as an unsigned long, a sign apart).
_INT_LIMIT = 2**64 - 1


def sysctl_path(name: str) -> str:
    """The path of sysctl ``name`` relative to a procfs root (``"sys/kernel/pid_max"``).

    See the module notes for the name forms. An invalid name raises
    :class:`ValueError` (``"invalid sysctl name ..."``): an empty one, one
    holding a NUL byte, an empty, ``.`` or ``..`` component (``"kernel."``,
    ``"kernel/../x"``), or a leading ``/`` other than ``/proc/sys/``; a name
    that is not a ``str`` raises :class:`TypeError`.
    """
    if not isinstance(name, str):
        raise TypeError(f"a sysctl name must be a str, not {type(name).__name__}")
    path = name.strip()
    if path.startswith("/proc/sys/"):
        path = path[len("/proc/sys/") :]
    dot, slash = path.find("."), path.find("/")
    if dot != -1 and (slash == -1 or dot < slash):
        path = path.translate(_SWAP)
    if not path:
        problem = "it is empty"
    elif "\0" in path:
        problem = "it holds a NUL byte"
    elif path.startswith("/"):
        problem = "a path must start with /proc/sys/"
    elif any(part in ("", ".", "..") for part in path.split("/")):
        problem = "it has an empty, '.' or '..' component"
    else:
        return "sys/" + path
    raise ValueError(f"invalid sysctl name {name!r}: {problem}")


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


def _encode(name: str, value: SysctlInput) -> bytes:
    """The bytes written for ``value`` to sysctl ``name``: one line, ending in its newline.

    The one check of a value's type and form (see "Writing" in the module
    notes); raises :class:`TypeError` or :class:`ValueError` naming ``name``.
    """
    if isinstance(value, int):
        data = _decimal(name, value)
    elif isinstance(value, str):
        try:
            data = _os.fsencode(value)
        except UnicodeEncodeError:
            raise ValueError(
                f"sysctl {name!r}: the value {value[:80]!r} cannot be encoded (a lone surrogate)"
            ) from None
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        from collections.abc import Sequence

        if not isinstance(value, Sequence):
            raise TypeError(
                f"sysctl {name!r}: a sysctl value must be int, str, bytes or a sequence of ints,"
                f" not {type(value).__name__}"
            )
        if not value:
            raise ValueError(f"sysctl {name!r}: an empty sequence is no value")
        numbers = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int):
                raise TypeError(
                    f"sysctl {name!r}: a value must be a sequence of ints, not one holding"
                    f" {type(item).__name__}"
                )
            numbers.append(_decimal(name, item))
        data = b"\t".join(numbers)
    line = data[:-1] if data.endswith(b"\n") else data
    if b"\n" in line:
        raise ValueError(
            f"sysctl {name!r}: the value {_shown(data)!r} has more than one line (the kernel"
            " would take the first and drop the rest)"
        )
    if b"\0" in line:
        raise ValueError(
            f"sysctl {name!r}: the value {_shown(data)!r} holds a NUL byte (the kernel would"
            " stop there)"
        )
    return line + b"\n"


def _decimal(name: str, number: int) -> bytes:
    """``number`` in decimal (``bool``: 1 or 0), if the kernel parses it: 64 bits, a sign apart."""
    if not -_INT_LIMIT <= number <= _INT_LIMIT:
        raise ValueError(
            f"sysctl {name!r}: the integer is too large (a sysctl takes at most 64 bits:"
            " -(2**64 - 1) to 2**64 - 1)"
        )
    return b"%d" % number


def _fields(data: bytes) -> list[bytes]:
    """``data`` split where the kernel's number parser sees a space (its ``isspace``: 0xa0 too)."""
    return data.replace(b"\xa0", b" ").split()


def _held_integers(current: bytes | None) -> int:
    """How many integers a sysctl's value ``current`` holds: 0 when it is not only integers."""
    fields = _fields(current or b"")
    for field in fields:
        if not field.removeprefix(b"-").isdigit():  # bytes.isdigit: ASCII, False when empty
            return 0
    return len(fields)


def _write_error(exc: ProcError, path: str, name: str, data: bytes) -> ProcError:
    """The :class:`~procfs.ProcError` for ``exc``, raised writing ``data`` to sysctl ``name``."""
    code = exc.errno
    if code in (_errno.ENOENT, _errno.ENOTDIR):
        return NotFoundError(f"no sysctl {name!r} ({path})", path)
    if code in (_errno.EACCES, _errno.EPERM):
        return PermissionDeniedError(
            f"{path}: permission denied writing {name!r} (root is needed, and some sysctls"
            " are read-only)",
            path,
        )
    if code == _errno.ELOOP:
        return ProcError(
            f"{path}: {name!r} not written: its path below the root goes through a symbolic"
            " link (sysctls are never written through links; /proc/sys has none)",
            path,
        )
    if code == _errno.EISDIR:
        return ProcError(
            f"{name!r} is a directory of sysctls, not one (see sysctl_names({name!r}))", path
        )
    if code == _errno.EINVAL:
        return ProcError(
            f"{path}: the kernel refused the value {_shown(data)!r} for {name!r} (EINVAL: out of"
            " range or not in the expected format)",
            path,
        )
    if isinstance(exc, NotFoundError):  # (ENOTDIR maps to it too)
        return NotFoundError(f"no sysctl {name!r} ({path})", path)
    return ProcError(f"{exc} (writing {name!r})", path)


def _shown(data: bytes) -> str:
    """``data`` (a value to write) for a message: decoded, without its newline, cut short."""
    text = data.rstrip(b"\n").decode("utf-8", "backslashreplace")
    return text if len(text) <= 80 else text[:80] + "..."


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
        """Write ``value`` to the file ``relative`` of sysctl ``name``: see :meth:`sysctl`."""
        data = _encode(name, value)
        path = self.path(relative)
        try:
            held = _held_integers(self._sysctl_current(relative))
            given = len(_fields(data))
            if held and given > held:
                raise ValueError(
                    f"sysctl {name!r} holds {held} integer{'s' if held > 1 else ''};"
                    f" {_shown(data)!r} is {given} values, more than it takes (the kernel would"
                    " drop the rest)"
                )
            self.write(relative, data)
        except ProcError as exc:
            raise _write_error(exc, path, name, data) from exc

    def _sysctl_current(self, relative: str) -> bytes | None:
        """The value of the sysctl file ``relative`` before a write, or ``None`` if it cannot
        be read (a write-only file such as ``vm.drop_caches``, a directory); a missing file
        or a link on the way raise as the write would."""
        try:
            return self.read_below(relative)
        except NotFoundError:
            raise
        except ProcError as exc:
            if exc.errno == _errno.ELOOP:
                raise
            return None

    def sysctl(self, name: str, value: SysctlInput | None = None) -> Any:
        """Read sysctl ``name`` typed, or write ``value`` to it (then returns ``None``).

        A written value is an ``int`` (``bool`` writes 1 or 0), a sequence of
        ints (written tab-separated), a ``str`` or ``bytes``: one line, sent in
        one ``write(2)`` with its newline. See the module notes for names, types
        and the rules a written value follows ("Writing"). Raises

        * :class:`TypeError`: ``name`` is not a ``str``; ``value`` is of another
          type (``1.5``), or a sequence holding something other than ints
          (``[1, True]``);
        * :class:`ValueError`: ``name`` is invalid (see :func:`sysctl_path`);
          ``value`` is an integer over 64 bits
          (``10**5000``), an empty sequence, more than one line (``"70\\n99"``),
          holds a NUL byte or cannot be encoded, or has more fields than the
          sysctl holds integers (``"71 99"`` for ``kernel.pid_max``); nothing is
          written;
        * :class:`~procfs.NotFoundError`: no sysctl ``name``;
        * :class:`~procfs.PermissionDeniedError`: reading or writing it is not
          allowed (not root, a read-only or write-only file);
        * :class:`~procfs.ProcError`: the kernel refused the value (``EINVAL``),
          took only part of it in the one write, a symbolic link is on the way
          below the root, or ``name`` is a directory of sysctls;
        * :class:`~procfs.ParseError`: a typed file does not hold what its
          parser expects.
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
            out.append(core.sysctl.parse_binfmt_entry(data, name, root.path(relative)))
        return out
