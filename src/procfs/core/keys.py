"""``/proc/keys`` and ``/proc/key-users``: the kernel key retention service.

``/proc/keys`` (CONFIG_KEYS; world-readable since 4.10, before that only
with CONFIG_KEYS_DEBUG_PROC_KEYS) lists the keys the reader may view, one
per line (security/keys/proc.c)::

    2057846d I--Q---     1 perm 1f3f0000     0 65534 keyring   _uid_ses.0: 1
    3f0ab0f5 I--Q---     1  59m 3f010000  1000  1000 user      mykey: 6

The columns are the key's serial number (hex), seven state flags, the usage
count, the time left before it expires, its permission mask (hex), owner
uid and gid, type and description. The kernel truncates the type name to
9 characters (``asymmetric`` shows as ``asymmetri``), and the description
is whatever the key type prints (for a keyring, ``name: <links>`` or
``name: empty``; for a ``user`` key, ``name: <payload bytes>``).

``/proc/key-users`` has one line per user that owns keys::

        0:     9 8/8 3/1000000 40/25000000

uid, usage count, keys/instantiated keys, keys/maximum keys and payload
bytes/maximum bytes (quota, from ``kernel/keys/maxkeys`` and ``maxbytes``).
"""

from __future__ import annotations

from procfs.core._parse import decode, parse_int, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = [
    "KEY_LINK",
    "KEY_READ",
    "KEY_SEARCH",
    "KEY_SETATTR",
    "KEY_VIEW",
    "KEY_WRITE",
    "Key",
    "KeyFlags",
    "KeyUser",
    "parse_key_flags",
    "parse_key_timeout",
    "parse_key_users",
    "parse_keys",
]

# The permission bits of one class of accessor (<linux/key.h>).
KEY_VIEW = 0x01
"""May see the key's attributes (type, description, permissions)."""
KEY_READ = 0x02
"""May read the payload (for a keyring: the list of linked keys)."""
KEY_WRITE = 0x04
"""May update the payload or revoke (for a keyring: add or remove links)."""
KEY_SEARCH = 0x08
"""May find the key by searching (for a keyring: search its keys)."""
KEY_LINK = 0x10
"""May link the key into a keyring."""
KEY_SETATTR = 0x20
"""May change owner, permissions, expiry and security label."""

_FLAG_LETTERS = b"IRDQUNi"


class KeyFlags(int):
    """The state flags of a key (the second column of ``/proc/keys``), as bits.

    The kernel prints seven letters, ``-`` for a flag that is clear:
    ``I`` instantiated, ``R`` revoked, ``D`` dead, ``Q`` counts towards the
    user's quota, ``U`` under construction by a user-space callback, ``N``
    negatively instantiated, ``i`` invalidated. Bit ``n`` here is the
    ``n``-th letter (the Rust crate's ``KeyFlags``).
    """

    __slots__ = ()

    INSTANTIATED = 0x01
    REVOKED = 0x02
    DEAD = 0x04
    QUOTA = 0x08
    UNDER_CONSTRUCTION = 0x10
    NEGATIVE = 0x20
    INVALIDATED = 0x40

    @property
    def instantiated(self) -> bool:
        """The key has a payload (or a negative one): ``I``."""
        return bool(self & 0x01)

    @property
    def revoked(self) -> bool:
        """The key was revoked and can no longer be used: ``R``."""
        return bool(self & 0x02)

    @property
    def dead(self) -> bool:
        """The key's type was unregistered; the key awaits garbage collection: ``D``."""
        return bool(self & 0x04)

    @property
    def quota(self) -> bool:
        """The key counts towards its owner's quota: ``Q``."""
        return bool(self & 0x08)

    @property
    def under_construction(self) -> bool:
        """A user-space callback is building the key (request_key): ``U``."""
        return bool(self & 0x10)

    @property
    def negative(self) -> bool:
        """The key is negatively instantiated (a cached "no such key"): ``N``."""
        return bool(self & 0x20)

    @property
    def invalidated(self) -> bool:
        """The key was invalidated and is about to be removed: ``i``."""
        return bool(self & 0x40)

    def names(self) -> list[str]:
        """The names of the flags that are set (``["INSTANTIATED", "QUOTA"]``)."""
        return [name for bit, name in _FLAG_NAMES if self & bit]

    def __repr__(self) -> str:
        return f"KeyFlags({'|'.join(self.names()) or '0'})"


_FLAG_NAMES = (
    (0x01, "INSTANTIATED"),
    (0x02, "REVOKED"),
    (0x04, "DEAD"),
    (0x08, "QUOTA"),
    (0x10, "UNDER_CONSTRUCTION"),
    (0x20, "NEGATIVE"),
    (0x40, "INVALIDATED"),
)


class Key(Record):
    """One line of ``/proc/keys`` (field names as in the Rust crate).

    Attributes:
        id: the key's serial number (printed in hex).
        flags: its state flags (see :class:`KeyFlags`).
        usage: number of references to the key (threads' credentials and
            open references that pin it).
        timeout: SECONDS left before the key expires, as the kernel rounds
            it (down to whole weeks, days, hours, minutes or seconds:
            ``2w`` is 1209600); ``None`` for a key that never expires
            (``perm``), 0 for one that has expired (``expd``).
        permissions: the 32-bit permission mask: one byte each for the
            possessor, the owner, the group and others, highest first (see
            the ``KEY_*`` bits and the ``*_permissions`` properties).
        uid: the owner's user id.
        gid: the key's group id; ``None`` when the key has none (printed -1).
        key_type: the type name (``keyring``, ``user``, ``logon``,
            ``big_key``, ``asymmetri``...), cut to 9 characters by the kernel.
        description: the rest of the line, as the key type describes the key.
    """

    id: int
    flags: KeyFlags
    usage: int
    timeout: int | None
    permissions: int
    uid: int
    gid: int | None
    key_type: str
    description: str

    @property
    def permanent(self) -> bool:
        """The key never expires (``perm``)."""
        return self.timeout is None

    @property
    def expired(self) -> bool:
        """The key has expired (``expd``)."""
        return self.timeout == 0

    @property
    def possessor_permissions(self) -> int:
        """The ``KEY_*`` bits granted to a process that possesses the key."""
        return (self.permissions >> 24) & 0xFF

    @property
    def user_permissions(self) -> int:
        """The ``KEY_*`` bits granted to the key's owner."""
        return (self.permissions >> 16) & 0xFF

    @property
    def group_permissions(self) -> int:
        """The ``KEY_*`` bits granted to the key's group."""
        return (self.permissions >> 8) & 0xFF

    @property
    def other_permissions(self) -> int:
        """The ``KEY_*`` bits granted to everyone else."""
        return self.permissions & 0xFF


class KeyUser(Record):
    """One line of ``/proc/key-users``: the keys and quota of one user.

    Attributes:
        uid: the user id.
        usage: kernel reference count of the user's key accounting record.
        nkeys: keys the user owns.
        nikeys: of those, keys that are instantiated.
        qnkeys: keys counted against the user's quota.
        maxkeys: most keys the user may own (``kernel/keys/maxkeys``, or
            ``root_maxkeys`` for root).
        qnbytes: BYTES of payload counted against the quota.
        maxbytes: most payload BYTES the user may own (``kernel/keys/maxbytes``).
    """

    uid: int
    usage: int
    nkeys: int
    nikeys: int
    qnkeys: int
    maxkeys: int
    qnbytes: int
    maxbytes: int


_UNIT_SECONDS = {ord("s"): 1, ord("m"): 60, ord("h"): 3600, ord("d"): 86400, ord("w"): 604800}


def parse_key_flags(token: bytes) -> KeyFlags:
    """The flags column of ``/proc/keys`` (``I--Q---``, or a shorter prefix such as ``IR``)."""
    if len(token) > len(_FLAG_LETTERS):
        raise ParseError("too many key flags", line=token)
    value = 0
    for index, char in enumerate(token):
        if char == _FLAG_LETTERS[index]:
            value |= 1 << index
        elif char != 0x2D:  # "-"
            raise ParseError(f"unknown key flag {chr(char)!r}", line=token)
    return KeyFlags(value)


def parse_key_timeout(token: bytes) -> int | None:
    """The timeout column of ``/proc/keys`` in seconds: ``None`` for ``perm``, 0 for ``expd``."""
    if token == b"perm":
        return None
    if token == b"expd":
        return 0
    unit = _UNIT_SECONDS.get(token[-1]) if token else None
    if unit is None or not token[:-1].isdigit():
        raise ParseError("unknown key timeout", line=token)
    return int(token[:-1]) * unit


def _key(line: bytes, lineno: int) -> Key:
    fields = line.split(None, 8)
    if len(fields) < 8:
        raise ParseError(f"expected 9 columns, found {len(fields)}", line=line, lineno=lineno)
    try:
        serial = int(fields[0], 16)
        permissions = int(fields[4], 16)
        usage = int(fields[2])
        uid = int(fields[5])
        gid = int(fields[6])
    except ValueError:
        raise ParseError("a number column is not a number", line=line, lineno=lineno) from None
    try:
        flags = parse_key_flags(fields[1])
        timeout = parse_key_timeout(fields[3])
    except ParseError as exc:
        exc.line, exc.lineno = decode(line), lineno
        raise
    return Key(
        serial,
        flags,
        usage,
        timeout,
        permissions,
        uid,
        None if gid == -1 else gid,
        decode(fields[7]),
        decode(fields[8]) if len(fields) > 8 else "",
    )


@parser("keys", since="2.6.10 (CONFIG_KEYS)")
def parse_keys(data: bytes) -> list[Key]:
    """Parse ``/proc/keys`` (see :class:`Key`)."""
    return [_key(line, lineno) for lineno, line in enumerate(data.split(b"\n"), 1) if line.strip()]


def _pair(token: bytes, what: str) -> tuple[int, int]:
    first, slash, second = token.partition(b"/")
    if not slash:
        raise ParseError(f"{what}: expected a/b", line=token)
    return parse_int(first, what), parse_int(second, what)


@parser("key-users", since="2.6.10 (CONFIG_KEYS)")
def parse_key_users(data: bytes) -> dict[int, KeyUser]:
    """Parse ``/proc/key-users``: a :class:`KeyUser` per uid."""
    out: dict[int, KeyUser] = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 5 or fields[0][-1:] != b":":
            raise ParseError("expected 'uid: usage a/b c/d e/f'", line=line, lineno=lineno)
        try:
            uid = parse_int(fields[0][:-1], "uid")
            nkeys, nikeys = _pair(fields[2], "keys")
            qnkeys, maxkeys = _pair(fields[3], "key quota")
            qnbytes, maxbytes = _pair(fields[4], "byte quota")
            usage = parse_int(fields[1], "usage")
        except ParseError as exc:
            exc.line, exc.lineno = decode(line), lineno
            raise
        if uid in out:
            raise ParseError(f"uid {uid} listed twice", line=line, lineno=lineno)
        out[uid] = KeyUser(uid, usage, nkeys, nikeys, qnkeys, maxkeys, qnbytes, maxbytes)
    return out
