"""``procfs lsof``: list open files, like ``lsof`` (its common columns and options).

Columns: COMMAND (the first 9 characters of the name), PID, USER (the owner
of ``/proc/PID``, as lsof takes it), FD (``cwd``, ``rtd``, ``txt``, ``mem``,
``DEL`` for a mapped file unlinked since, or the number with the access mode
``r``/``w``/``u``), TYPE (``REG``, ``DIR``, ``CHR``, ``BLK``, ``FIFO``,
``IPv4``, ``IPv6``, ``unix``, ``sock``, ``a_inode``), DEVICE, SIZE/OFF (the
size of a file or directory, ``0t`` and the offset for the rest), NODE (the
inode; ``TCP``/``UDP`` for an internet socket) and NAME (``protocol: NAME``
for a socket in no table, as the kernel names its protocol). Addresses and
ports are always numeric (lsof's ``-n -P``).

Selections (``-p``, ``-u``, ``-i``, paths) are ORed, as lsof does, unless
``-a`` is given.
"""

from __future__ import annotations

import stat
import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import (
    HELP,
    JSON,
    ROOT,
    Option,
    UsageError,
    fail,
    help_lines,
    parse_declared,
    printable,
)
from procfs.errors import NotFoundError, PermissionDeniedError, ProcError
from procfs.users import user_id, user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from os import stat_result

    from procfs.core.fdinfo import FdInfo
    from procfs.net import NetFiles
    from procfs.process import Process
    from procfs.root import ProcFS

#: ``-i``: its value is optional (``-i``, ``-iTCP``, ``-i TCP:80``), so it is taken
#: out of the command line before the others are parsed.
INTERNET = Option(
    "-i", value="[SPEC]", help="internet sockets; SPEC is [4|6][TCP|UDP][@ADDRESS][:PORT,...]"
)

OPTIONS = (
    Option("-p", value="PID,...", help="the files of these processes"),
    Option("-u", value="USER,...", help="the files of these users' processes (names or numbers)"),
    INTERNET,
    Option("-a", help="a file must match every selection (default: any)"),
    Option("-t", help="print only the pids, one per line"),
    Option("-l", help="show user ids as numbers, not names"),
    Option("-n", help="accepted for lsof's sake: addresses are always numeric"),
    Option("-P", help="accepted for lsof's sake: ports are always numeric"),
    JSON,
    ROOT,
    HELP,
)
_PARSED = tuple(option for option in OPTIONS if option is not INTERNET)
ARGUMENTS = "files"

USAGE = (
    "usage: procfs lsof [-p PID,...] [-u USER,...] [-i [SPEC]] [-a] [-t] [--json] [PATH ...]\n\n"
    + help_lines(OPTIONS)
    + "  PATH          the processes that have this file open\n"
)

__all__ = ["OPTIONS", "USAGE", "Row", "main"]

#: (column title, JSON key) in the order printed.
_COLUMNS = (
    ("COMMAND", "command"),
    ("PID", "pid"),
    ("USER", "user"),
    ("FD", "fd"),
    ("TYPE", "type"),
    ("DEVICE", "device"),
    ("SIZE/OFF", "size_off"),
    ("NODE", "node"),
    ("NAME", "name"),
)
_ACCESS = {0: "r", 1: "w", 2: "u"}


class Row:
    """One line of output: the values of :data:`_COLUMNS`, as text, and the file's identity."""

    __slots__ = (
        "access",
        "command",
        "device",
        "fd",
        "identity",
        "name",
        "node",
        "pid",
        "size_off",
        "type",
        "uid",
        "user",
    )

    def __init__(
        self,
        command: str,
        pid: int,
        uid: int,
        user: str,
        fd: str,
        access: str,
        type_: str,
        device: str,
        size_off: str,
        node: str,
        name: str,
        identity: tuple[int, int] | None = None,
    ) -> None:
        self.command = command
        self.pid = pid
        self.uid = uid
        self.user = user
        self.fd = fd
        self.access = access
        self.type = type_
        self.device = device
        self.size_off = size_off
        self.node = node
        self.name = name
        self.identity = identity  # (st_dev, st_ino), to match a PATH argument

    def as_json(self) -> dict[str, object]:
        return {
            "command": self.command,
            "pid": self.pid,
            "user": self.user,
            "fd": self.fd + self.access.strip(),
            "type": self.type,
            "device": self.device,
            "size_off": self.size_off,
            "node": self.node,
            "name": self.name,
        }


def _device(number: int) -> str:
    import os

    return f"{os.major(number)},{os.minor(number)}"


def _offset(position: int | None) -> str:
    if position is None:
        return ""
    text = f"0t{position}"
    return text if len(text) <= 10 else f"0x{position:x}"


def _file_type(mode: int) -> str:
    kind = stat.S_IFMT(mode)
    return {
        stat.S_IFREG: "REG",
        stat.S_IFDIR: "DIR",
        stat.S_IFCHR: "CHR",
        stat.S_IFBLK: "BLK",
        stat.S_IFIFO: "FIFO",
        stat.S_IFSOCK: "sock",
        stat.S_IFLNK: "LINK",
    }.get(kind, "unknown" if kind else "a_inode")


def _stat_columns(found: stat_result) -> tuple[str, str, str, str]:
    """TYPE, DEVICE, SIZE/OFF and NODE of a file (the offset is filled in by the caller)."""
    kind = _file_type(found.st_mode)
    device = _device(found.st_rdev if kind in ("CHR", "BLK") else found.st_dev)
    size = str(found.st_size) if kind in ("REG", "DIR") else ""
    return kind, device, size, str(found.st_ino)


class _Sockets:
    """The socket tables of each network namespace, by inode: (TYPE, DEVICE, NODE, NAME)."""

    def __init__(self, fs: ProcFS) -> None:
        self.fs = fs
        self.by_namespace: dict[str, dict[int, tuple[str, str, str, str]]] = {}

    def of(self, process: Process) -> dict[int, tuple[str, str, str, str]]:
        try:
            namespace = process.readlink("ns/net")
        except ProcError:
            namespace = ""
        found = self.by_namespace.get(namespace)
        if found is None:
            root = process.net() if namespace else self.fs
            found = self.by_namespace[namespace] = _socket_names(root)
        return found


def _address(address: object) -> str:
    text = str(address)
    host, _, port = text.rpartition(":")
    if host in ("0.0.0.0", "[::]"):
        return f"*:{port}"
    return text


def _socket_names(fs: NetFiles, internet: bool = False) -> dict[int, tuple[str, str, str, str]]:
    """inode -> (TYPE, DEVICE, NODE, NAME) for every socket of ``fs``'s tables
    (with ``internet``: of its TCP and UDP tables only)."""
    out: dict[int, tuple[str, str, str, str]] = {}
    for table, kind, protocol in (
        ("tcp", "IPv4", "TCP"),
        ("tcp6", "IPv6", "TCP"),
        ("udp", "IPv4", "UDP"),
        ("udp6", "IPv6", "UDP"),
    ):
        try:
            entries = getattr(fs, table)()
        except NotFoundError:
            continue  # a kernel without IPv6
        for entry in entries:
            local = _address(entry.local_address)
            name = local
            if entry.remote_address.port:
                name = f"{local}->{entry.remote_address}"
            # (lsof follows the name with the state, empty for UDP: a space)
            name += f" ({entry.state.name})" if protocol == "TCP" else " "
            out[entry.inode] = (kind, str(entry.inode), protocol, name)
    if internet:
        return out
    try:
        unix = fs.unix()
    except NotFoundError:
        unix = []
    names = {1: "STREAM", 2: "DGRAM", 5: "SEQPACKET"}
    for sock in unix:
        if sock.inode is None:
            continue
        state = "LISTEN" if sock.listening else sock.state.name
        prefix = f"{sock.path} " if sock.path else ""
        kind = names.get(sock.socket_type, str(sock.socket_type))
        device = f"0x{int(sock.num, 16):016x}"
        out[sock.inode] = ("unix", device, str(sock.inode), f"{prefix}type={kind} ({state})")
    return out


class _Rows:
    """The rows of one process, as they are found."""

    __slots__ = ("command", "pid", "rows", "uid", "user")

    def __init__(self, command: str, pid: int, uid: int) -> None:
        self.command = command
        self.pid = pid
        self.uid = uid
        self.user = user_name(uid)
        self.rows: list[Row] = []

    def add(
        self,
        fd: str,
        access: str,
        columns: tuple[str, str, str, str],
        name: str,
        identity: tuple[int, int] | None = None,
    ) -> None:
        kind, device, size_off, node = columns
        self.rows.append(
            Row(
                self.command,
                self.pid,
                self.uid,
                self.user,
                fd,
                access,
                kind,
                device,
                size_off,
                node,
                name,
                identity,
            )
        )


_UNKNOWN = ("unknown", "", "", "")


def process_rows(process: Process, sockets: _Sockets, internet_only: bool = False) -> list[Row]:
    """The rows of one process (only its internet sockets with ``internet_only``)."""
    owner = process.link_stat(".")
    if owner is None:
        raise NotFoundError(f"process {process.pid} has exited", process.path())
    out = _Rows(printable(process.stat().comm)[:9], process.pid, owner.st_uid)
    if not internet_only:
        exe = _links(process, out)
        _mapped(process, out, exe)
    try:
        descriptors = process.descriptors()
    except PermissionDeniedError:
        if not internet_only:
            _denied_descriptors(process, out)
        return out.rows
    names = None
    for descriptor in descriptors:
        target = descriptor.target
        if internet_only and target.kind != "socket":
            continue
        flags = descriptor.flags
        access = _ACCESS.get(flags & 3, " ") if flags is not None else " "
        fd = str(descriptor.fd)
        offset = _offset(descriptor.position)
        if target.kind == "socket":
            if names is None:
                names = sockets.of(process)
            known = names.get(target.inode or -1)
            if known is not None:
                kind, device, node, name = known
                if not internet_only or kind in ("IPv4", "IPv6"):
                    out.add(fd, access, (kind, device, offset, node), name)
            elif not internet_only:
                device = _device(descriptor.device) if descriptor.device is not None else ""
                node = str(target.inode)
                protocol = process.socket_protocol(descriptor.fd)
                name = f"protocol: {protocol}" if protocol else "can't identify protocol"
                out.add(fd, access, ("sock", device, offset, node), name)
            continue
        if descriptor.mode is None or descriptor.device is None or descriptor.inode is None:
            continue  # closed meanwhile
        kind = _file_type(descriptor.mode)
        rdev = descriptor.rdev if kind in ("CHR", "BLK") and descriptor.rdev is not None else None
        device = _device(rdev if rdev is not None else descriptor.device)
        size = str(descriptor.size) if kind in ("REG", "DIR") else offset
        if target.kind == "pipe":
            name = "pipe"
        elif target.kind == "anon_inode":
            kind, name = "a_inode", target.name or target.raw
        else:
            name = printable(target.path if target.path is not None else target.raw)
            if target.deleted:
                name += " (deleted)"
        identity = (descriptor.device, descriptor.inode)
        out.add(fd, access, (kind, device, size, str(descriptor.inode)), name, identity)
    return out.rows


def _reason(exc: ProcError) -> str:
    import os

    return os.strerror(exc.errno) if exc.errno else str(exc)


def _denied_descriptors(process: Process, out: _Rows) -> None:
    """What lsof shows of descriptors it may not read: each by number, or ``NOFD``."""
    path = process.path("fd")
    try:
        names = process.listdir("fd")
    except ProcError as exc:
        out.add("NOFD", " ", ("", "", "", ""), f"{path} (opendir: {_reason(exc)})")
        return
    for name in sorted(names, key=lambda n: int(n) if n.isdigit() else -1):
        out.add(name, " ", _UNKNOWN, f"{path}/{name} (readlink: Permission denied)")


def _links(process: Process, out: _Rows) -> tuple[int, int] | None:
    """The ``cwd``, ``rtd`` and ``txt`` rows; returns the executable's identity."""
    exe = None
    for link, fd in (("cwd", "cwd"), ("root", "rtd"), ("exe", "txt")):
        try:
            target = process.readlink(link)
            found = process.link_stat(link)
        except PermissionDeniedError as exc:
            out.add(fd, " ", _UNKNOWN, f"{process.path(link)} (readlink: {_reason(exc)})")
            continue
        except NotFoundError:
            if not process.is_alive():
                raise
            reason = "No such file or directory"
            out.add(fd, " ", _UNKNOWN, f"{process.path(link)} (readlink: {reason})")
            continue
        if found is None:
            out.add(fd, " ", _UNKNOWN, printable(target))
            continue
        identity = (found.st_dev, found.st_ino)
        if fd == "txt":
            exe = identity
        out.add(fd, " ", _stat_columns(found), printable(target), identity)
    return exe


def _mapped(process: Process, out: _Rows, exe: tuple[int, int] | None) -> None:
    """The ``mem`` rows: each file mapped (once), but the executable."""
    import os

    try:
        maps = process.maps()
    except ProcError:
        return
    seen: set[tuple[int, int]] = set()
    for region in maps:
        if not region.inode or region.pathname.kind != "path":
            continue
        identity = (os.makedev(*region.dev), region.inode)
        if identity in seen or identity == exe:
            continue
        seen.add(identity)
        path = region.pathname.value
        if not isinstance(path, str):
            continue
        if region.pathname.deleted:  # (lsof's DEL: unlinked since; no size to show)
            columns = ("REG", _device(identity[0]), "", str(region.inode))
            out.add("DEL", " ", columns, printable(path), identity)
            continue
        try:
            found = process.link_stat("root" + path)
        except ProcError:
            found = None
        size = str(found.st_size) if found is not None else ""
        columns = ("REG", _device(identity[0]), size, str(region.inode))
        out.add("mem", " ", columns, printable(path), identity)


def _internet_spec(spec: str) -> tuple[set[str], set[str], str | None, set[int] | None]:
    """``-i`` SPEC as (TYPEs, protocols, address, ports); empty sets mean any."""
    import re

    match = re.fullmatch(r"([46])?(tcp|udp)?(?:@(\[[^]]*\]|[^:]*))?(?::([0-9,]+))?", spec, re.I)
    if match is None:
        raise UsageError(f"unsupported -i address: {spec}")
    version, protocol, address, ports = match.groups()
    kinds = {f"IPv{version}"} if version else set()
    protocols = {protocol.upper()} if protocol else set()
    wanted = {int(port) for port in ports.split(",") if port} if ports else None
    return kinds, protocols, address.strip("[]") if address else None, wanted


def _internet_match(
    row: Row | tuple[str, str, str, str],
    spec: tuple[set[str], set[str], str | None, set[int] | None],
) -> bool:
    """Whether a row (or a socket's ``(TYPE, DEVICE, NODE, NAME)``) is what ``-i`` SPEC asks."""
    kind, protocol, name = (
        (row.type, row.node, row.name) if isinstance(row, Row) else row[::2] + row[3:]
    )
    kinds, protocols, address, ports = spec
    if kind not in ("IPv4", "IPv6"):
        return False
    if (kinds and kind not in kinds) or (protocols and protocol not in protocols):
        return False
    ends = name.split(" (", 1)[0].split("->")
    if address is not None and not any(
        end.rsplit(":", 1)[0].strip("[]") == address for end in ends
    ):
        return False
    return ports is None or any(int(end.rsplit(":", 1)[1]) in ports for end in ends)


def internet_rows(
    fs: NetFiles,
    spec: tuple[set[str], set[str], str | None, set[int] | None],
    pids: set[int] | None = None,
    uids: set[int] | None = None,
) -> list[Row]:
    """The rows of ``-i`` SPEC alone: only the holders of the matching sockets are read.

    The sockets are those of the root's internet tables (for the live
    ``/proc``: our network namespace, as lsof reads them); their holders come
    from one scan of the descriptor links (:meth:`~procfs.net.NetFiles.socket_owners`),
    and only then each holder's name, owner and descriptor flags are read.
    ``pids``/``uids``: only these processes/owners (``-a -p``, ``-a -u``).
    Processes whose descriptors may not be read are left out, as lsof does.
    """
    sockets = {
        inode: columns
        for inode, columns in _socket_names(fs, internet=True).items()
        if _internet_match(columns, spec)
    }
    if not sockets:
        return []
    held = sorted(
        (pid, fd, inode)
        for inode, holders in fs.socket_owners(sockets).items()
        for pid, fd in holders
        if pids is None or pid in pids
    )
    from procfs.core.fdinfo import parse_fdinfo
    from procfs.core.pid_values import parse_comm

    rows: list[Row] = []
    index = 0
    while index < len(held):
        pid = held[index][0]
        end = index
        while end < len(held) and held[end][0] == pid:
            end += 1
        try:
            rows += _holder_rows(fs, pid, held[index:end], sockets, uids, parse_comm, parse_fdinfo)
        except ProcError:
            pass  # exited meanwhile
        index = end
    return rows


def _holder_rows(
    fs: NetFiles,
    pid: int,
    held: list[tuple[int, int, int]],
    sockets: dict[int, tuple[str, str, str, str]],
    uids: set[int] | None,
    parse_comm: Callable[[bytes, str], str],
    parse_fdinfo: Callable[[bytes, str], FdInfo],
) -> list[Row]:
    """The rows of the sockets ``held`` (``(pid, fd, inode)``) by process ``pid``."""
    path = fs.path(str(pid))
    directory = fs.open_dir(str(pid))
    try:
        owner = fs.stat_at(directory, ".", path)
        if owner is None or (uids is not None and owner.st_uid not in uids):
            return []
        comm = parse_comm(fs.read_at(directory, "comm", path + "/comm"), path + "/comm")
        out = _Rows(printable(comm)[:9], pid, owner.st_uid)
        for _, fd, inode in held:
            name = f"fdinfo/{fd}"
            try:
                where = f"{path}/{name}"
                info = parse_fdinfo(fs.read_at(directory, name, where), where)
            except NotFoundError:
                continue  # closed meanwhile
            kind, device, node, text = sockets[inode]
            access = _ACCESS.get(info.flags & 3, " ")
            out.add(str(fd), access, (kind, device, _offset(info.pos), node), text)
    finally:
        fs.close_fd(directory)
    return out.rows


def _ids(text: str, lookup: bool) -> set[int]:
    out: set[int] = set()
    for item in text.split(","):
        if item.isdigit():
            out.add(int(item))
        elif lookup and item:
            uid = user_id(item)
            if uid is None:
                raise UsageError(f"can't get UID for {item}")
            out.add(uid)
        else:
            raise UsageError(f"illegal process ID: {item}")
    return out


def _table(rows: list[Row], user_width: int = 0) -> str:
    """The rows as lsof prints them: each column as wide as its widest value
    (the USER column at least ``user_width``: lsof's 8 for numeric ids)."""
    # (lsof's FD column: the number, at least 4 wide, the mode and a lock character;
    # its title right-aligned over the number)
    fds = [f"{row.fd:>4}" + row.access + " " for row in rows]
    widths = {title: len(title) for title, _ in _COLUMNS}
    widths["USER"] = max(widths["USER"], user_width)
    for row, fd in zip(rows, fds, strict=True):
        for title, key in _COLUMNS:
            value = fd if key == "fd" else str(getattr(row, key))
            widths[title] = max(widths[title], len(value))
    c, p, u, f, t, d, s, n = (widths[title] for title, _ in _COLUMNS[:8])
    lines = [
        f"{'COMMAND':<{c}} {'PID':>{p}} {'USER':>{u}} {'FD':>{f - 2}}   {'TYPE':>{t}} "
        f"{'DEVICE':>{d}} {'SIZE/OFF':>{s}} {'NODE':>{n}} NAME\n"
    ]
    for row in rows:
        lines.append(
            f"{row.command:<{c}} {row.pid:>{p}} {row.user:>{u}} {row.fd:>{f - 2}}{row.access} "
            f" {row.type:>{t}} {row.device:>{d}} {row.size_off:>{s}} {row.node:>{n}} {row.name}\n"
        )
    return "".join(lines)


def main(argv: Sequence[str]) -> int:
    """Run ``procfs lsof``; returns the exit status."""
    import os

    args = list(argv)
    internet: str | None = None
    if "-i" in args:  # -i takes an optional value, which must be joined or next and not an option
        index = args.index("-i")
        internet = ""
        if (
            index + 1 < len(args)
            and not args[index + 1].startswith("-")
            and (args[index + 1][:1] in "46@:" or args[index + 1][:3].lower() in ("tcp", "udp"))
        ):
            internet = args.pop(index + 1)
        args.pop(index)
    else:
        for index, arg in enumerate(args):
            if arg.startswith("-i") and len(arg) > 2:
                internet = args.pop(index)[2:]
                break
    try:
        options = parse_declared(args, _PARSED, positional=None)
        if options.has("--help"):
            sys.stdout.write(USAGE)
            return 0
        spec = _internet_spec(internet) if internet is not None else None
        pid_list, user_list = options.value("-p"), options.value("-u")
        pids = _ids(pid_list, False) if pid_list else None
        uids = _ids(user_list, True) if user_list else None
    except UsageError as exc:
        return fail("lsof", str(exc), USAGE)
    identities: set[tuple[int, int]] = set()
    for path in options.positional:
        try:
            found = os.stat(path)
        except OSError as exc:
            sys.stderr.write(f"procfs lsof: status error on {path}: {exc.strerror}\n")
            continue
        identities.add((found.st_dev, found.st_ino))
    if options.positional and not identities:
        return 1
    every = options.has("-a")
    selections = [s for s in (pids, uids, spec, identities or None) if s is not None]
    internet_only = spec is not None and (every or len(selections) == 1)
    rows: list[Row] = []
    fast = spec is not None and internet_only and not identities
    if spec is not None and fast:
        from procfs.net import NetFiles

        rows = internet_rows(NetFiles(options.value("--root") or DEFAULT_ROOT), spec, pids, uids)
    else:
        from procfs.root import ProcFS

        fs = ProcFS(options.value("--root") or DEFAULT_ROOT)
        sockets = _Sockets(fs)
    for process in [] if fast else fs.all_processes():
        if pids is not None and every and process.pid not in pids:
            continue
        if pids is not None and not every and len(selections) == 1 and process.pid not in pids:
            continue
        try:
            found_rows = process_rows(process, sockets, internet_only)
        except NotFoundError:
            continue  # exited meanwhile
        except ProcError as exc:
            sys.stderr.write(f"procfs lsof: {exc}\n")
            continue
        for row in found_rows:
            tests = []
            if pids is not None:
                tests.append(row.pid in pids)
            if uids is not None:
                tests.append(row.uid in uids)
            if spec is not None:
                tests.append(_internet_match(row, spec))
            if identities:
                tests.append(row.identity in identities)
            if not tests or (all(tests) if every else any(tests)):
                rows.append(row)
    if options.has("-l"):
        for row in rows:
            row.user = str(row.uid)
    if options.has("-t"):
        seen = dict.fromkeys(row.pid for row in rows)
        sys.stdout.write("".join(f"{pid}\n" for pid in seen))
    elif options.has("--json"):
        import json

        json.dump([row.as_json() for row in rows], sys.stdout, indent=1)
        sys.stdout.write("\n")
    elif rows:
        sys.stdout.write(_table(rows, 8 if options.has("-l") else 0))
    return 0 if rows else 1
