"""``/proc/[pid]/mountstats``: per-mount statistics, detailed for NFS mounts.

Each mount starts with a header line, written by ``show_vfsstat`` in
fs/proc_namespace.c::

    device /dev/sda1 mounted on / with fstype ext4
    device srv:/export mounted on /mnt with fstype nfs4 statvers=1.1

The device and the mount point have space, tab, newline and backslash
written as octal escapes (``\\040``...), decoded here. A filesystem with its
own statistics (only NFS, in practice) appends ``statvers=VERSION`` and a
block of tab-indented lines (``nfs_show_stats`` in fs/nfs/super.c and
``rpc_clnt_show_stats`` in net/sunrpc/stats.c)::

    \\topts:\\trw,vers=4.1,rsize=131072,...
    \\tage:\\t3542
    \\tcaps:\\tcaps=0x3ffdf,wtmult=512,dtsize=32768,bsize=0,namlen=255
    \\tevents:\\t114 1579 5 ... (27 counters)
    \\tbytes:\\t1 2 3 4 5 6 7 8
    \\tRPC iostats version: 1.0  p/v: 100003/4 (nfs)
    \\txprt:\\ttcp 909 0 1 0 2 294 294 0 294 0 2 0 0
    \\tper-op statistics
    \\t        NULL: 0 0 0 0 0 0 0 0 0

Lines are matched by their label, whatever the indentation (tabs or
spaces). Lines this parser does not know are kept in ``extra``.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser, unescape_octal
from procfs.core._record import Record
from procfs.core.mountinfo import parse_mount_options
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import timedelta
    from typing import Any

__all__ = [
    "MountStat",
    "NfsByteCounts",
    "NfsEventCounts",
    "NfsMountStats",
    "NfsOperationStat",
    "NfsTransportStats",
    "parse_mountstats",
]


class NfsEventCounts(Record):
    """The ``events:`` line of an NFS mount: how often each event happened.

    Every counter counts occurrences since the mount. A counter the kernel
    does not print (older kernels print fewer) is ``None``.

    Attributes:
        inode_revalidate: Inode attributes revalidated against the server.
        dentry_revalidate: Directory entries revalidated.
        data_invalidate: Inode data caches invalidated.
        attr_invalidate: Inode attribute caches invalidated.
        vfs_open: Files opened.
        vfs_lookup: Directory lookups.
        vfs_access: Access permission checks (``access()`` and opens).
        vfs_update_page: Page updates (partial page writes).
        vfs_read_page: Single pages read (``readpage``).
        vfs_read_pages: Multi-page reads (``readpages``/readahead) calls.
        vfs_write_page: Single pages written (``writepage``).
        vfs_write_pages: Multi-page writeback (``writepages``) calls.
        vfs_getdents: Directory reads (``getdents``).
        vfs_setattr: Attribute changes (``setattr``).
        vfs_flush: Flushes of dirty data on close.
        vfs_fsync: ``fsync()`` calls.
        vfs_lock: File lock requests.
        vfs_release: File releases (last close).
        congestion_wait: Waits for write congestion (unused in recent kernels).
        truncation: Size changes by truncation.
        write_extension: Size extensions by writes.
        silly_rename: Silly renames (unlink of an open file).
        short_read: Reads that returned less data than asked.
        short_write: Writes that wrote less data than asked.
        delay: Retries after the server answered "try later" (JUKEBOX/DELAY).
        pnfs_read: Reads done through pNFS.
        pnfs_write: Writes done through pNFS.
        extra: Counters after the 27 known ones (newer kernels), in order.
    """

    inode_revalidate: int | None = None
    dentry_revalidate: int | None = None
    data_invalidate: int | None = None
    attr_invalidate: int | None = None
    vfs_open: int | None = None
    vfs_lookup: int | None = None
    vfs_access: int | None = None
    vfs_update_page: int | None = None
    vfs_read_page: int | None = None
    vfs_read_pages: int | None = None
    vfs_write_page: int | None = None
    vfs_write_pages: int | None = None
    vfs_getdents: int | None = None
    vfs_setattr: int | None = None
    vfs_flush: int | None = None
    vfs_fsync: int | None = None
    vfs_lock: int | None = None
    vfs_release: int | None = None
    congestion_wait: int | None = None
    truncation: int | None = None
    write_extension: int | None = None
    silly_rename: int | None = None
    short_read: int | None = None
    short_write: int | None = None
    delay: int | None = None
    pnfs_read: int | None = None
    pnfs_write: int | None = None
    extra: tuple[int, ...] = ()


class NfsByteCounts(Record):
    """The ``bytes:`` line of an NFS mount; all counts are in bytes except the pages.

    A counter the kernel does not print is ``None``.

    Attributes:
        normal_read: Bytes read by applications through ``read()`` (cached I/O).
        normal_write: Bytes written by applications through ``write()``.
        direct_read: Bytes read with ``O_DIRECT``.
        direct_write: Bytes written with ``O_DIRECT``.
        server_read: Bytes read from the server (READ replies).
        server_write: Bytes written to the server (WRITE requests).
        pages_read: Pages read through ``readpage``/``readpages`` (a count of pages).
        pages_write: Pages written through ``writepage``/``writepages`` (a count of pages).
        extra: Counters after the 8 known ones, in order.
    """

    normal_read: int | None = None
    normal_write: int | None = None
    direct_read: int | None = None
    direct_write: int | None = None
    server_read: int | None = None
    server_write: int | None = None
    pages_read: int | None = None
    pages_write: int | None = None
    extra: tuple[int, ...] = ()


_XPRT_COMMON = ("bind_count", "connect_count", "connect_time", "idle_time", "sends", "recvs")
_XPRT_TAIL = ("bad_xids", "req_u", "bklog_u", "max_slots", "sending_u", "pending_u")
_XPRT_FIELDS = {
    # net/sunrpc/xprtsock.c xs_tcp_print_stats / xs_udp_print_stats / xs_local_print_stats
    "tcp": ("port", *_XPRT_COMMON, *_XPRT_TAIL),
    "udp": ("port", "bind_count", "sends", "recvs", *_XPRT_TAIL),
    "local": (*_XPRT_COMMON, *_XPRT_TAIL),
    # net/sunrpc/xprtrdma/transport.c xprt_rdma_print_stats (5.x and later)
    "rdma": (
        "port",
        *_XPRT_COMMON,
        "bad_xids",
        "req_u",
        "bklog_u",
        "read_chunk_count",
        "write_chunk_count",
        "reply_chunk_count",
        "total_rdma_request",
        "total_rdma_reply",
        "pullup_copy_count",
        "fixup_copy_count",
        "hardway_register_count",
        "failed_marshal_count",
        "bad_reply_count",
        "nomsg_call_count",
        "mrs_recycled",
        "mrs_orphaned",
        "mrs_allocated",
        "local_inv_needed",
        "empty_sendctx_q",
        "reply_waits_for_send",
    ),
}


class NfsTransportStats(Record):
    """One ``xprt:`` line: statistics of one RPC transport (several with ``nconnect``).

    Attributes:
        protocol: ``"tcp"``, ``"udp"``, ``"local"``, ``"rdma"``, or another
            transport's name.
        values: The numbers on the line, in order. Their meaning depends on
            the protocol and the kernel; :attr:`counters` names them.
    """

    protocol: str
    values: tuple[int, ...]

    @property
    def counters(self) -> dict[str, int]:
        """The values by kernel name, for the known protocols.

        ``port`` (local port), ``bind_count`` (rpcbind queries),
        ``connect_count``, ``connect_time`` (total time spent connecting:
        jiffies, or seconds on recent kernels for some transports),
        ``idle_time`` (seconds since last use), ``sends``, ``recvs``,
        ``bad_xids`` (replies that matched no request), ``req_u`` and
        ``bklog_u`` (cumulative request and backlog queue lengths, summed at
        each send), ``max_slots``, ``sending_u``, ``pending_u`` (cumulative
        queue lengths), and the RDMA counters (in the order of recent kernels;
        older kernels printed other sets). Values beyond the known names
        are left out (they stay in :attr:`values`); names a shorter (older)
        line lacks are absent.
        """
        names = _XPRT_FIELDS.get(self.protocol, ())
        return dict(zip(names, self.values, strict=False))


class NfsOperationStat(Record):
    """Statistics of one RPC operation (a ``per-op statistics`` line).

    Attributes:
        operations: Requests of this operation issued.
        transmissions: Times a request was transmitted (retransmissions included).
        major_timeouts: Major timeouts (the client gave up waiting and said so).
        bytes_sent: Bytes sent for this operation, RPC headers included.
        bytes_received: Bytes received for this operation, RPC headers included.
        cumulative_queue_time_ms: Total time requests waited in the queue
            before transmission, in milliseconds.
        cumulative_response_time_ms: Total time from transmission to reply
            (round trip), in milliseconds.
        cumulative_total_request_time_ms: Total time from queueing to the
            end of processing, in milliseconds.
        errors: Requests that completed with an error status; ``None`` on
            older kernels that print 8 columns (RPC iostats version 1.0).
        extra: Columns after the 9 known ones, in order.
    """

    operations: int
    transmissions: int
    major_timeouts: int
    bytes_sent: int
    bytes_received: int
    cumulative_queue_time_ms: int
    cumulative_response_time_ms: int
    cumulative_total_request_time_ms: int
    errors: int | None = None
    extra: tuple[int, ...] = ()


class NfsMountStats(Record):
    """The statistics block of an NFS mount in ``mountstats``.

    Attributes:
        statvers: The statistics format version from the header
            (``"1.0"``, ``"1.1"``).
        opts: The mount options in effect (``{"rw": None, "vers": "4.1"}``).
        age: Seconds since the mount was made (see :attr:`age_timedelta`).
        impl_id: The server's implementation id (NFSv4.1+): ``name``,
            ``domain`` and ``date`` with their quotes removed; ``None`` if absent.
        caps: The server capability bits (``caps=0x...``), or ``None``.
        caps_info: Every ``key=value`` of the ``caps:`` line as written
            (``caps``, ``wtmult``, ``dtsize``, ``bsize``, ``namlen``).
        nfsv4: The ``nfsv4:`` line (attribute bitmaps, ``acl``, ``sessions``,
            ``pnfs``, lease times) as options, or ``None`` (NFSv2/3).
        sec: The ``sec:`` line (``flavor``, ``pseudoflavor``), or ``None``.
        events: The event counters, or ``None`` if the line is absent.
        bytes: The byte counters, or ``None`` if the line is absent.
        rpc_iostats_version: Version of the RPC statistics format (``"1.1"``).
        rpc_program: RPC program number (100003 for NFS).
        rpc_program_version: RPC program version (the NFS major version).
        rpc_program_name: RPC program name (``"nfs"``).
        xprt: One entry per RPC transport (``xprt:`` line).
        per_op_stats: Statistics per RPC operation, by name (``"READ"``).
        extra: Lines with a label this parser does not know (``fsc:`` and
            newer additions), by label, values as written.
    """

    statvers: str
    opts: dict[str, str | None]
    age: int | None
    impl_id: dict[str, str] | None
    caps: int | None
    caps_info: dict[str, str | None]
    nfsv4: dict[str, str | None] | None
    sec: dict[str, str | None] | None
    events: NfsEventCounts | None
    bytes: NfsByteCounts | None
    rpc_iostats_version: str | None
    rpc_program: int | None
    rpc_program_version: int | None
    rpc_program_name: str | None
    xprt: list[NfsTransportStats]
    per_op_stats: dict[str, NfsOperationStat]
    extra: dict[str, str]

    @property
    def age_timedelta(self) -> timedelta | None:
        """:attr:`age` as a :class:`datetime.timedelta`."""
        if self.age is None:
            return None
        from datetime import timedelta

        return timedelta(seconds=self.age)


class MountStat(Record):
    """One mount in ``/proc/[pid]/mountstats``.

    Attributes:
        device: The mounted device or source (``"/dev/sda1"``,
            ``"server:/export"``); may be empty.
        mount_point: Where it is mounted, relative to the process's root.
        fs_type: The filesystem type (``"nfs4"``).
        statistics: The NFS statistics block, for a mount that has one
            (``statvers=`` in the header), else ``None``.
        extra: Header words after the type other than ``statvers=``, and the
            lines of a statistics block that is not NFS's, as written.
    """

    device: str
    mount_point: str
    fs_type: str
    statistics: NfsMountStats | None = None
    extra: tuple[str, ...] = ()


def _text(raw: bytes) -> str:
    return decode(unescape_octal(raw)) if b"\\" in raw else decode(raw)


def _ints(tokens: list[bytes], what: str, line: bytes, lineno: int) -> list[int]:
    try:
        return [int(token) for token in tokens]
    except ValueError:
        raise ParseError(f"{what}: non-numeric counter", line=line, lineno=lineno) from None


def _padded(numbers: list[int], known: int) -> list[Any]:
    """The first ``known`` numbers (``None`` for missing ones), then a tuple of the rest."""
    values: list[Any] = numbers[:known]
    values.extend([None] * (known - len(values)))
    values.append(tuple(numbers[known:]))
    return values


def _quoted_pairs(text: str) -> dict[str, str]:
    """``name='a,b',date='0,0'`` as a dict; commas inside quotes do not split."""
    items: list[str] = []
    start = 0
    quoted = False
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif char == "," and not quoted:
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    out: dict[str, str] = {}
    for item in items:
        if not item.strip():
            continue
        name, _, value = item.partition("=")
        stripped = value.strip()
        if len(stripped) >= 2 and stripped[0] == "'" and stripped[-1] == "'":
            value = stripped[1:-1]
        out[name.strip()] = value
    return out


def _nfs_stats(statvers: str, body: list[tuple[bytes, int]]) -> NfsMountStats:
    opts: dict[str, str | None] = {}
    age: int | None = None
    impl_id: dict[str, str] | None = None
    caps: int | None = None
    caps_info: dict[str, str | None] = {}
    nfsv4: dict[str, str | None] | None = None
    sec: dict[str, str | None] | None = None
    events: NfsEventCounts | None = None
    byte_counts: NfsByteCounts | None = None
    rpc_version: str | None = None
    rpc_program: int | None = None
    rpc_program_version: int | None = None
    rpc_program_name: str | None = None
    xprt: list[NfsTransportStats] = []
    per_op: dict[str, NfsOperationStat] = {}
    extra: dict[str, str] = {}
    per_op_mode = False
    index = 0
    count = len(body)
    while index < count:
        raw, lineno = body[index]
        index += 1
        line = raw.strip()
        if not line:
            continue
        label, colon, value = line.partition(b":")
        value = value.strip()
        if per_op_mode and colon and label and b" " not in label:
            tokens = value.split()
            if len(tokens) >= 8 and all(token.isdigit() for token in tokens):
                numbers = [int(token) for token in tokens]
                per_op[decode(label)] = NfsOperationStat(*_padded(numbers, 9))
                continue
        if not colon:
            if line == b"per-op statistics":
                per_op_mode = True
            else:
                extra[decode(line)] = ""
            continue
        if label == b"opts":
            opts = parse_mount_options(value)
        elif label == b"age":
            age = int(value)
        elif label == b"caps":
            caps_info = parse_mount_options(value)
            caps_text = caps_info.get("caps")
            caps = int(caps_text, 16) if caps_text else None
        elif label == b"nfsv4":
            nfsv4 = parse_mount_options(value)
        elif label == b"sec":
            sec = parse_mount_options(value)
        elif label == b"events":
            numbers = _ints(value.split(), "events", raw, lineno)
            events = NfsEventCounts(*_padded(numbers, 27))
        elif label == b"bytes":
            numbers = _ints(value.split(), "bytes", raw, lineno)
            byte_counts = NfsByteCounts(*_padded(numbers, 8))
        elif label == b"xprt":
            tokens = value.split()
            if not tokens:
                raise ParseError("xprt: no transport name", line=raw, lineno=lineno)
            numbers = _ints(tokens[1:], "xprt", raw, lineno)
            xprt.append(NfsTransportStats(decode(tokens[0]), tuple(numbers)))
        elif label == b"RPC iostats version":
            version, _, program = value.partition(b"p/v:")
            rpc_version = decode(version.strip())
            numbers_raw, _, name = program.strip().partition(b" ")
            prog, slash, vers = numbers_raw.partition(b"/")
            if prog:
                rpc_program = int(prog)
            if slash and vers:
                rpc_program_version = int(vers)
            name = name.strip()
            if name.startswith(b"(") and name.endswith(b")"):
                name = name[1:-1]
            rpc_program_name = decode(name) if name else None
        elif label == b"impl_id":
            text = value
            # The server's name may hold newlines: the value goes on while its quotes
            # are open, and over lines that do not start with the block's indentation.
            while index < count and (
                text.count(b"'") % 2 or body[index][0][:1] not in (b"\t", b" ", b"")
            ):
                text += b"\n" + body[index][0]
                index += 1
            impl_id = _quoted_pairs(decode(text))
        else:
            extra[decode(label)] = decode(value)
    return NfsMountStats(
        statvers,
        opts,
        age,
        impl_id,
        caps,
        caps_info,
        nfsv4,
        sec,
        events,
        byte_counts,
        rpc_version,
        rpc_program,
        rpc_program_version,
        rpc_program_name,
        xprt,
        per_op,
        extra,
    )


def _mount(header: bytes, lineno: int, body: list[tuple[bytes, int]]) -> MountStat:
    device, on, rest = header[7:].partition(b" mounted on ")
    mount_point, with_type, rest = rest.partition(b" with fstype ")
    words = rest.split()
    if not on or not with_type or not words:
        raise ParseError(
            "expected 'device D mounted on M with fstype T'", line=header, lineno=lineno
        )
    statvers: str | None = None
    extra: list[str] = []
    for word in words[1:]:
        if word.startswith(b"statvers="):
            statvers = decode(word[9:])
        else:
            extra.append(decode(word))
    statistics = None
    if statvers is not None:
        statistics = _nfs_stats(statvers, body)
    else:
        extra.extend(decode(raw.strip()) for raw, _ in body if raw.strip())
    return MountStat(_text(device), _text(mount_point), _text(words[0]), statistics, tuple(extra))


@parser("[pid]/mountstats", since="2.6.17")
def parse_mountstats(data: bytes) -> list[MountStat]:
    """Every mount of ``/proc/[pid]/mountstats``, in the kernel's order."""
    blocks: list[tuple[bytes, int, list[tuple[bytes, int]]]] = []
    for lineno, line in enumerate(lines(data), 1):
        if line.startswith(b"device "):
            blocks.append((line, lineno, []))
        elif blocks:
            blocks[-1][2].append((line, lineno))
        elif line.strip():
            raise ParseError("statistics before any 'device' line", line=line, lineno=lineno)
    out: list[MountStat] = []
    for header, lineno, body in blocks:
        try:
            out.append(_mount(header, lineno, body))
        except ParseError:
            raise
        except ValueError as exc:
            raise ParseError(
                f"malformed mount statistics ({exc})", line=header, lineno=lineno
            ) from None
    return out
