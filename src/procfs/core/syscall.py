"""``/proc/[pid]/syscall``: the system call a blocked task is in.

One line, in one of three forms (fs/proc/base.c, ``proc_pid_syscall``;
CONFIG_HAVE_ARCH_TRACEHOOK, Linux 2.6.27)::

    running
    -1 0x7ffc8b2a1e28 0x7f0f1b2e4d3e
    0 0x3 0x7f8f95acc000 0x20000 0x7f8f95b5fb60 0xffffffff 0x0 0x7ffde38e0388 0x7f8f95c482ad

``running`` when the task is on a CPU. Otherwise the system call number
(architecture-specific: 0 is ``read`` on x86_64, 63 on arm64), the six
argument registers, the stack pointer and the program counter, in hex. A
negative number (-1) means the task is blocked but not in a system call (in
a page fault, say): only the stack pointer and program counter follow.
Reading it needs ptrace access to the task.
"""

from __future__ import annotations

from procfs.core._parse import parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Syscall", "parse_syscall"]


class Syscall(Record):
    """What ``/proc/[pid]/syscall`` says of a task.

    Attributes:
        running: True when the task was running on a CPU (nothing else is
            known then: the other fields are ``None``).
        number: The system call number, or a negative number (-1) when the
            task is blocked outside any system call.
        args: The six argument registers, when ``number`` is not negative.
        stack_pointer: The user stack pointer register.
        program_counter: The user program counter (instruction pointer).
    """

    running: bool
    number: int | None = None
    args: tuple[int, int, int, int, int, int] | None = None
    stack_pointer: int | None = None
    program_counter: int | None = None

    @property
    def in_syscall(self) -> bool:
        """Whether the task is blocked inside a system call."""
        return self.number is not None and self.number >= 0


_RUNNING = Syscall(True)


def _hex(token: bytes) -> int:
    if not token.startswith(b"0x"):
        raise ValueError(f"not a hexadecimal register value: {token!r}")
    return int(token, 16)


@parser("[pid]/syscall", "[pid]/task/[tid]/syscall", read="single", since="2.6.27")
def parse_syscall(data: bytes) -> Syscall:
    """Parse ``/proc/[pid]/syscall`` (``running``, or the registers of a blocked task)."""
    fields = data.split()
    if fields == [b"running"]:
        return _RUNNING
    if not fields or not fields[0].lstrip(b"-").isdigit():
        raise ParseError("expected 'running' or a system call number", line=data[:200])
    number = int(fields[0])
    try:
        if number < 0 and len(fields) == 3:
            return Syscall(False, number, None, _hex(fields[1]), _hex(fields[2]))
        if number >= 0 and len(fields) == 9:
            a0, a1, a2, a3, a4, a5, sp, pc = map(_hex, fields[1:])
            return Syscall(False, number, (a0, a1, a2, a3, a4, a5), sp, pc)
    except ValueError as exc:
        raise ParseError(str(exc), line=data[:200]) from None
    raise ParseError(
        f"expected 3 fields (negative number) or 9 fields, found {len(fields)}", line=data[:200]
    )
