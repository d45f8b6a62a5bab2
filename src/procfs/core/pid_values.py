"""The one-value files of a process: ``comm``, ``wchan``, ``loginuid``,
``sessionid``, ``oom_score``, ``oom_score_adj``, ``personality``,
``timerslack_ns``, ``coredump_filter`` and ``task/[tid]/children``.

See proc_pid_*(5) for each. Numbers are decimal except ``personality`` and
``coredump_filter``, which are hexadecimal bit masks (given here as records
that name their bits).
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CoredumpFilter",
    "Personality",
    "parse_children",
    "parse_comm",
    "parse_coredump_filter",
    "parse_loginuid",
    "parse_oom_score",
    "parse_oom_score_adj",
    "parse_personality",
    "parse_sessionid",
    "parse_timerslack_ns",
    "parse_wchan",
]

#: ``(uid_t)-1``: the value of ``loginuid`` and ``sessionid`` when not set.
UNSET_ID = 4294967295


def _integer(data: bytes, what: str) -> int:
    value = data.strip()
    if not value.lstrip(b"-").isdigit() or value.count(b"-") > 1:
        raise ParseError(f"{what} is not an integer", line=data[:200])
    return int(value)


def _hex(data: bytes, what: str) -> int:
    value = data.strip()
    if not value or value.strip(b"0123456789abcdefABCDEF"):
        raise ParseError(f"{what} is not a hexadecimal number", line=data[:200])
    return int(value, 16)


@parser("[pid]/comm", "[pid]/task/[tid]/comm", read="single", since="2.6.33")
def parse_comm(data: bytes) -> str:
    """The command name (at most 15 bytes; may hold any byte but NUL and is not escaped)."""
    return decode(data[:-1] if data.endswith(b"\n") else data)


@parser("[pid]/wchan", "[pid]/task/[tid]/wchan", read="single", since="2.6")
def parse_wchan(data: bytes) -> str:
    """The kernel function the task sleeps in (``"do_wait"``), ``"0"`` when it does not."""
    value = data.strip()
    if len(value.split()) > 1:
        raise ParseError("expected one symbol name", line=data[:200])
    return decode(value)


@parser("[pid]/loginuid", "[pid]/task/[tid]/loginuid", read="single", since="2.6 (CONFIG_AUDIT)")
def parse_loginuid(data: bytes) -> int | None:
    """The audit login uid, or ``None`` when unset (4294967295)."""
    value = _integer(data, "loginuid")
    return None if value == UNSET_ID else value


@parser(
    "[pid]/sessionid", "[pid]/task/[tid]/sessionid", read="single", since="2.6.25 (CONFIG_AUDIT)"
)
def parse_sessionid(data: bytes) -> int | None:
    """The audit session id, or ``None`` when unset (4294967295)."""
    value = _integer(data, "sessionid")
    return None if value == UNSET_ID else value


@parser("[pid]/oom_score", "[pid]/task/[tid]/oom_score", read="single", since="2.6")
def parse_oom_score(data: bytes) -> int:
    """The badness score the OOM killer gives the process (higher: killed first)."""
    return _integer(data, "oom_score")


@parser("[pid]/oom_score_adj", "[pid]/task/[tid]/oom_score_adj", read="single", since="2.6.36")
def parse_oom_score_adj(data: bytes) -> int:
    """The adjustment added to the OOM score (-1000: never killed, to 1000)."""
    return _integer(data, "oom_score_adj")


@parser("[pid]/timerslack_ns", read="single", since="4.6")
def parse_timerslack_ns(data: bytes) -> int:
    """The timer slack of the process, nanoseconds (Linux 4.6)."""
    return _integer(data, "timerslack_ns")


@parser("[pid]/task/[tid]/children", since="3.5 (CONFIG_PROC_CHILDREN)")
def parse_children(data: bytes) -> list[int]:
    """The pids of the children of one task (CONFIG_PROC_CHILDREN, Linux 3.5)."""
    fields = data.split()
    if not all(field.isdigit() for field in fields):
        raise ParseError("children must be pids", line=data[:200])
    return [int(field) for field in fields]


# <linux/personality.h>
_PERSONALITY_FLAGS = (
    (0x0020000, "UNAME26"),
    (0x0040000, "ADDR_NO_RANDOMIZE"),
    (0x0080000, "FDPIC_FUNCPTRS"),
    (0x0100000, "MMAP_PAGE_ZERO"),
    (0x0200000, "ADDR_COMPAT_LAYOUT"),
    (0x0400000, "READ_IMPLIES_EXEC"),
    (0x0800000, "ADDR_LIMIT_32BIT"),
    (0x1000000, "SHORT_INODE"),
    (0x2000000, "WHOLE_SECONDS"),
    (0x4000000, "STICKY_TIMEOUTS"),
    (0x8000000, "ADDR_LIMIT_3GB"),
)


class Personality(Record):
    """The execution domain of a process, from ``/proc/[pid]/personality`` (personality(2)).

    Attributes:
        value: The whole personality word: the execution domain in the low
            byte (``PER_LINUX`` 0, ``PER_LINUX32`` 8, ...) and flag bits above.
    """

    value: int

    @property
    def domain(self) -> int:
        """The execution domain (``value & PER_MASK``): 0 is ``PER_LINUX``."""
        return self.value & 0xFF

    @property
    def flags(self) -> list[str]:
        """The names of the flag bits set (``"ADDR_NO_RANDOMIZE"``, ...)."""
        return [name for bit, name in _PERSONALITY_FLAGS if self.value & bit]

    @property
    def addr_no_randomize(self) -> bool:
        """Whether address-space randomization is off for the process."""
        return bool(self.value & 0x0040000)

    def to_dict(self) -> dict[str, Any]:
        """``{"value": ..., "domain": ..., "flags": [...]}``."""
        return {"value": self.value, "domain": self.domain, "flags": self.flags}


@parser("[pid]/personality", "[pid]/task/[tid]/personality", read="single", since="2.6.28")
def parse_personality(data: bytes) -> Personality:
    """Parse ``/proc/[pid]/personality`` (hex; readable with ptrace access only)."""
    return Personality(_hex(data, "personality"))


_COREDUMP_FLAGS = (
    "anonymous_private",
    "anonymous_shared",
    "file_private",
    "file_shared",
    "elf_headers",
    "private_huge",
    "shared_huge",
    "private_dax",
    "shared_dax",
)


class CoredumpFilter(Record):
    """Which memory a core dump of the process includes (``/proc/[pid]/coredump_filter``).

    Attributes:
        value: The bit mask; bit 0 private anonymous memory, 1 shared
            anonymous, 2 private file-backed, 3 shared file-backed, 4 ELF
            headers, 5 private huge pages, 6 shared huge pages, 7 private
            DAX pages, 8 shared DAX pages. The default is 0x33.
    """

    value: int

    @property
    def flags(self) -> list[str]:
        """The names of the bits set (``"anonymous_private"``, ...)."""
        return [name for bit, name in enumerate(_COREDUMP_FLAGS) if self.value >> bit & 1]

    def includes(self, name: str) -> bool:
        """Whether the bit ``name`` (one of :attr:`flags`' names) is set."""
        return name in self.flags

    def to_dict(self) -> dict[str, Any]:
        """``{"value": ..., "flags": [...]}``."""
        return {"value": self.value, "flags": self.flags}


@parser("[pid]/coredump_filter", read="single", since="2.6.23")
def parse_coredump_filter(data: bytes) -> CoredumpFilter | None:
    """Parse ``/proc/[pid]/coredump_filter`` (hex).

    ``None`` for the empty file of a process without memory (a kernel thread,
    a zombie).
    """
    if not data:
        return None
    return CoredumpFilter(_hex(data, "coredump_filter"))
