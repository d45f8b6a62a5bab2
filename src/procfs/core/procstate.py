"""The scheduler state of a task: the one-letter ``state`` of ``/proc/[pid]/stat``.

This module imports :mod:`enum`; :mod:`procfs.core.stat` imports it only when
:attr:`~procfs.core.stat.Stat.proc_state` is used.
"""

from __future__ import annotations

import enum

from procfs.errors import ParseError

__all__ = ["ProcState"]


class ProcState(enum.Enum):
    """The state letter of ``/proc/[pid]/stat`` (field 3) and ``status``'s ``State:``.

    The value of each member is the letter the kernel prints; the names are the
    Rust crate's.

    * ``Running`` (``R``): running or runnable (on a run queue).
    * ``Sleeping`` (``S``): interruptible sleep, waiting for an event.
    * ``Waiting`` (``D``): uninterruptible sleep, usually waiting for I/O.
    * ``Zombie`` (``Z``): terminated, not yet reaped by its parent.
    * ``Stopped`` (``T``): stopped by a signal (before Linux 2.6.33 also
      stopped by a tracer).
    * ``Tracing`` (``t``): stopped by a tracer (Linux 2.6.33 onward).
    * ``Dead`` (``X``, and ``x`` on Linux 2.6.33 to 3.13): exiting. Both
      letters mean the same thing, so both give this one member:
      ``ProcState("x") is ProcState.Dead`` (its value stays ``"X"``).
    * ``Wakekill`` (``K``): woken by a fatal signal (Linux 2.6.33 to 3.13).
    * ``Waking`` (``W``): being woken (Linux 2.6.33 to 3.13). Before Linux
      2.6.0 ``W`` meant "paging"; such kernels also read as ``Waking``.
    * ``Parked`` (``P``): a parked per-CPU kernel thread (Linux 3.9 to 3.13).
    * ``Idle`` (``I``): an idle kernel thread (Linux 4.14 onward).

    ``ProcState(letter)`` and :meth:`from_char` raise
    :class:`~procfs.errors.ParseError` (a :class:`ValueError`) for any other
    letter.
    """

    Running = "R"
    Sleeping = "S"
    Waiting = "D"
    Zombie = "Z"
    Stopped = "T"
    Tracing = "t"
    Dead = "X"
    Wakekill = "K"
    Waking = "W"
    Parked = "P"
    Idle = "I"

    @classmethod
    def _missing_(cls, value: object) -> ProcState:
        if value == "x":
            return cls.Dead
        raise ParseError(f"unknown process state {value!r}")

    @classmethod
    def from_char(cls, char: str) -> ProcState:
        """The state for the letter ``char``; ParseError if it is not a known one."""
        return cls(char)
