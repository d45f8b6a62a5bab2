"""The socket states of the ``/proc/net`` tables, as :class:`enum.IntEnum`.

This module imports :mod:`enum` (a few milliseconds); the parsers store the
kernel's numbers and import it when a record's ``state`` is first read, so
that reading a table (``procfs netstat``) does not pay for it.

A number a list does not know (a later kernel's) still gives a member: one
without a name (``name`` is ``None``), made once per number.
"""

from __future__ import annotations

import enum

__all__ = ["TcpState", "UnixState"]


class _Numbers(enum.IntEnum):
    """An :class:`enum.IntEnum` of kernel numbers that takes numbers it does not know too."""

    @classmethod
    def _missing_(cls, value: object) -> _Numbers | None:
        if type(value) is not int:
            return None
        member = int.__new__(cls, value)
        member._name_ = None  # type: ignore[assignment]
        member._value_ = value
        # (kept, so that each unknown number has one member, as a known one does)
        return cls._value2member_map_.setdefault(value, member)  # type: ignore[return-value]


class TcpState(_Numbers):
    """The state of a TCP socket (the ``st`` column), as the kernel numbers it.

    Member names are the kernel's (``TCP_ESTABLISHED`` is ``ESTABLISHED``),
    which are also the names ``netstat`` prints; the Rust crate calls them
    ``Established``, ``SynSent``, ... ``NewSynRecv``.

    * ``ESTABLISHED`` (1): the connection is open; data flows both ways.
    * ``SYN_SENT`` (2): a connection request was sent; waiting for the reply.
    * ``SYN_RECV`` (3): a connection request was received and answered
      (``/proc/net/tcp`` shows pending requests of a listener in this state).
    * ``FIN_WAIT1`` (4): this side closed; its FIN is not acknowledged yet.
    * ``FIN_WAIT2`` (5): this side closed and the peer acknowledged it;
      waiting for the peer to close.
    * ``TIME_WAIT`` (6): both sides closed; waiting out stray packets.
    * ``CLOSE`` (7): closed, or not connected (``ss`` calls it ``UNCONN``).
    * ``CLOSE_WAIT`` (8): the peer closed; waiting for this side to close.
    * ``LAST_ACK`` (9): both closed, the peer first; waiting for the last ACK.
    * ``LISTEN`` (10): accepting connections.
    * ``CLOSING`` (11): both sides closed at the same time.
    * ``NEW_SYN_RECV`` (12): a request socket (kernel-internal; the tables
      print such sockets as ``SYN_RECV``).
    * ``BOUND_INACTIVE`` (13): bound but neither listening nor connected
      (Linux 6.5 onward; seen by BPF socket iterators, not in these tables).

    It also numbers the states of UDP and raw sockets, which the kernel keeps
    with TCP's constants: ``CLOSE`` (7) for an unconnected socket,
    ``ESTABLISHED`` (1) for one connected with connect(2). ``TcpState(99)``
    gives a member without a name.
    """

    ESTABLISHED = 1
    SYN_SENT = 2
    SYN_RECV = 3
    FIN_WAIT1 = 4
    FIN_WAIT2 = 5
    TIME_WAIT = 6
    CLOSE = 7
    CLOSE_WAIT = 8
    LAST_ACK = 9
    LISTEN = 10
    CLOSING = 11
    NEW_SYN_RECV = 12
    BOUND_INACTIVE = 13


class UnixState(_Numbers):
    """The state of a unix socket (the ``St`` column): the kernel's ``socket_state``.

    * ``FREE`` (0): not allocated (not seen in the table).
    * ``UNCONNECTED`` (1): not connected: a listening socket, an unconnected
      datagram socket, or a new one.
    * ``CONNECTING`` (2): being connected (a connection not yet accepted).
    * ``CONNECTED`` (3): connected to a peer.
    * ``DISCONNECTING`` (4): being disconnected.

    ``UnixState(9)`` gives a member without a name.
    """

    FREE = 0
    UNCONNECTED = 1
    CONNECTING = 2
    CONNECTED = 3
    DISCONNECTING = 4
