"""``/proc/[pid]/auxv``: the ELF auxiliary vector the kernel passed to the program.

Binary: pairs of native machine words ``(type, value)``, ended by a pair of
type ``AT_NULL`` (0). The words are 8 bytes on a 64-bit kernel and 4 bytes
on a 32-bit one; a 32-bit (compat) process on a 64-bit kernel has a 32-bit
vector, so :func:`parse_auxv_words` takes the word size. The registered
parser uses the word size of the running Python (``sys.maxsize``). Byte
order is the machine's.

The types are the ``AT_*`` constants of ``<elf.h>`` (getauxval(3)):
``AT_PAGESZ`` is the page size, ``AT_CLKTCK`` the clock ticks per second,
``AT_UID`` the real user id, ``AT_HWCAP`` the processor's capabilities, ...
"""

from __future__ import annotations

import sys as _sys

from procfs.core._parse import parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["AT_NAMES", "AuxvEntry", "parse_auxv", "parse_auxv_words"]

#: The names of the ``AT_*`` types (``<elf.h>`` and ``<asm/auxvec.h>``), by number.
AT_NAMES: dict[int, str] = {
    0: "AT_NULL",
    1: "AT_IGNORE",
    2: "AT_EXECFD",
    3: "AT_PHDR",
    4: "AT_PHENT",
    5: "AT_PHNUM",
    6: "AT_PAGESZ",
    7: "AT_BASE",
    8: "AT_FLAGS",
    9: "AT_ENTRY",
    10: "AT_NOTELF",
    11: "AT_UID",
    12: "AT_EUID",
    13: "AT_GID",
    14: "AT_EGID",
    15: "AT_PLATFORM",
    16: "AT_HWCAP",
    17: "AT_CLKTCK",
    18: "AT_FPUCW",
    19: "AT_DCACHEBSIZE",
    20: "AT_ICACHEBSIZE",
    21: "AT_UCACHEBSIZE",
    22: "AT_IGNOREPPC",
    23: "AT_SECURE",
    24: "AT_BASE_PLATFORM",
    25: "AT_RANDOM",
    26: "AT_HWCAP2",
    27: "AT_RSEQ_FEATURE_SIZE",
    28: "AT_RSEQ_ALIGN",
    29: "AT_HWCAP3",
    30: "AT_HWCAP4",
    31: "AT_EXECFN",
    32: "AT_SYSINFO",
    33: "AT_SYSINFO_EHDR",
    34: "AT_L1I_CACHESHAPE",
    35: "AT_L1D_CACHESHAPE",
    36: "AT_L2_CACHESHAPE",
    37: "AT_L3_CACHESHAPE",
    40: "AT_L1I_CACHESIZE",
    41: "AT_L1I_CACHEGEOMETRY",
    42: "AT_L1D_CACHESIZE",
    43: "AT_L1D_CACHEGEOMETRY",
    44: "AT_L2_CACHESIZE",
    45: "AT_L2_CACHEGEOMETRY",
    46: "AT_L3_CACHESIZE",
    47: "AT_L3_CACHEGEOMETRY",
    48: "AT_ADI_BLKSZ",
    49: "AT_ADI_NBITS",
    50: "AT_ADI_UEQS",
    51: "AT_MINSIGSTKSZ",
}

#: The word size of this machine, in bytes.
NATIVE_WORD = 8 if _sys.maxsize > 2**32 else 4


class AuxvEntry(Record):
    """One ``(type, value)`` pair of the auxiliary vector.

    Attributes:
        key: The ``AT_*`` type number.
        value: Its value: a number, or an address in the process
            (``AT_PHDR``, ``AT_RANDOM``, ``AT_EXECFN``, ...).
        name: The type's name (``"AT_PAGESZ"``), or ``None`` for a type this
            module does not know.
    """

    key: int
    value: int
    name: str | None = None


def parse_auxv_words(data: bytes, word_size: int = NATIVE_WORD) -> list[AuxvEntry]:
    """The pairs of an auxiliary vector of ``word_size``-byte words, up to ``AT_NULL``.

    The ``AT_NULL`` pair itself is not returned. A vector cut off before it
    is returned as far as it goes; bytes that do not make a whole pair are a
    :class:`~procfs.errors.ParseError`.
    """
    if word_size not in (4, 8):
        raise ParseError(f"unsupported word size {word_size}")
    pair = 2 * word_size
    if len(data) % pair:
        raise ParseError(
            f"{len(data)} bytes do not make whole pairs of {word_size}-byte words",
            line=data[-pair:],
        )
    # native byte order, as the kernel wrote it ("Q" is 8 bytes, "I" 4 on Linux)
    values: list[int] = memoryview(data).cast("Q" if word_size == 8 else "I").tolist()
    out: list[AuxvEntry] = []
    names = AT_NAMES
    for index in range(0, len(values), 2):
        key = values[index]
        if key == 0:
            break
        out.append(AuxvEntry(key, values[index + 1], names.get(key)))
    return out


@parser("[pid]/auxv", "[pid]/task/[tid]/auxv", since="2.6")
def parse_auxv(data: bytes) -> list[AuxvEntry]:
    """Parse ``/proc/[pid]/auxv`` of a process with this machine's word size."""
    return parse_auxv_words(data, NATIVE_WORD)
