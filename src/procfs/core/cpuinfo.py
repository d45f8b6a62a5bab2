"""``/proc/cpuinfo``: the processors and their properties.

The layout is architecture-specific; every line is ``key<spaces/tabs>: value``
and blank lines separate blocks. This parser finds the processors in each
layout and keeps every field as text:

* **x86, arm, arm64, riscv, mips, power**: a processor starts at each
  ``processor : N`` line and runs to the next blank line (or the next
  ``processor`` line). Lines before it in its block (mips' ``system type``,
  old arm's ``Processor : ARMv7 ...`` name line) and blocks without a
  ``processor`` line (arm's ``Hardware/Revision/Serial`` trailer, power's
  ``timebase/platform/model/machine`` trailer, old arm's shared
  ``Features/CPU implementer`` block) are not processors: they go to
  :attr:`CpuInfo.fields`.
* **Early arm64 (3.x)**: ``processor : 0``, ``processor : 1``, ... follow one
  another and the ``Features``/``CPU ...`` lines after the last one hold for
  all of them; they go to ``fields``.
* **s390**: a header block (``vendor_id``, ``# processors``,
  ``bogomips per cpu``, ``features``, ``cacheN``...) goes to ``fields``; each
  ``processor N: version = FF,  identification = 2733E8,  machine = 2964``
  line describes a processor, stored as ``{"processor": "N", "version":
  "FF", "identification": "2733E8", "machine": "2964"}``. Newer kernels (4.x
  on) add one ``cpu number : N`` block per processor (frequencies, topology),
  which is merged into the dict of processor ``N``.
* A uniprocessor kernel that prints no processor number at all (old arm
  without CONFIG_SMP): the first block is the one processor.

:meth:`CpuInfo.get_field` looks a key up in a processor's dict, then in
``fields``, so architecture-wide values (s390's ``vendor_id``, old arm's
``Features``) are found for every processor.

Only online processors are listed (the kernel skips offline ones).
"""

from __future__ import annotations

from _operator import itemgetter as _itemgetter

from procfs.core._parse import decode, layout_cache, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["CpuInfo", "parse_cpuinfo"]

# Keys naming the processor model, by architecture, in the order they are tried.
_MODEL_KEYS = (
    "model name",  # x86, arm (since 3.8), loongarch
    "Processor",  # arm before 3.8, early arm64
    "cpu model",  # mips
    "cpu",  # power, sparc, alpha...
)
# Keys listing the processor's features.
_FLAG_KEYS = ("flags", "Features", "features")


class CpuInfo(Record):
    """The content of ``/proc/cpuinfo`` (see the module notes for the layouts).

    Attributes:
        cpus: one dict per online processor, in the kernel's order, holding
            every ``key: value`` line of that processor as text (keys and
            values stripped).
        fields: the lines that describe no single processor: trailing
            blocks (``Hardware``, ``timebase``...), s390's header, old arm's
            shared lines. The first occurrence of a key wins.
    """

    cpus: list[dict[str, str]]
    fields: dict[str, str]

    @property
    def num_cores(self) -> int:
        """The number of processors listed: the online logical CPUs."""
        return len(self.cpus)

    def get_field(self, cpu: int, key: str) -> str | None:
        """The value of ``key`` for processor number ``cpu`` (an index into
        :attr:`cpus`), looked up in its own fields then in :attr:`fields`;
        ``None`` if neither has it or there is no such processor."""
        if not 0 <= cpu < len(self.cpus):
            return None
        value = self.cpus[cpu].get(key)
        if value is None:
            value = self.fields.get(key)
        return value

    def get_info(self, cpu: int) -> dict[str, str] | None:
        """Every field of processor ``cpu``: :attr:`fields` overlaid with its
        own fields; ``None`` if there is no such processor."""
        if not 0 <= cpu < len(self.cpus):
            return None
        merged = dict(self.fields)
        merged.update(self.cpus[cpu])
        return merged

    def model_name(self, cpu: int) -> str | None:
        """The processor's model: ``model name`` (x86, arm), ``Processor``
        (old arm), ``cpu model`` (mips), ``cpu`` (power); on s390, which names
        no model, the machine type (``2964``)."""
        for key in _MODEL_KEYS:
            value = self.get_field(cpu, key)
            if value is not None:
                return value
        if 0 <= cpu < len(self.cpus):
            return self.cpus[cpu].get("machine")
        return None

    def vendor_id(self, cpu: int) -> str | None:
        """``vendor_id`` (x86 ``GenuineIntel``, s390 ``IBM/S390``); ``None``
        elsewhere (arm gives a numeric ``CPU implementer`` instead)."""
        return self.get_field(cpu, "vendor_id")

    def flags(self, cpu: int) -> list[str]:
        """The feature flags: ``flags`` (x86), ``Features`` (arm),
        ``features`` (s390); empty if the architecture lists none."""
        for key in _FLAG_KEYS:
            value = self.get_field(cpu, key)
            if value is not None:
                return value.split()
        return []

    def physical_id(self, cpu: int) -> int | None:
        """The ``physical id`` (socket) of the processor, if given as a number."""
        return _int_or_none(self.get_field(cpu, "physical id"))

    def core_id(self, cpu: int) -> int | None:
        """The ``core id`` of the processor within its socket, if given."""
        return _int_or_none(self.get_field(cpu, "core id"))

    def cpu_mhz(self, cpu: int) -> float | None:
        """The current clock in MHz: ``cpu MHz`` (x86), ``cpu MHz dynamic``
        (s390), ``clock`` (power, ``3000.000000MHz``); ``None`` if not given."""
        for key in ("cpu MHz", "cpu MHz dynamic", "clock"):
            value = self.get_field(cpu, key)
            if value is not None:
                try:
                    return float(value.removesuffix("MHz"))
                except ValueError:
                    return None
        return None


def _int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _blocks(data: bytes) -> list[list[tuple[str, str]]]:
    """The file as blocks of (key, value) pairs, split at blank lines."""
    blocks: list[list[tuple[str, str]]] = []
    block: list[tuple[str, str]] = []
    for lineno, line in enumerate(data.split(b"\n"), 1):
        if not line.strip():
            if block:
                blocks.append(block)
                block = []
            continue
        key, colon, value = line.partition(b":")
        if not colon:
            raise ParseError("no ':' separator", line=line, lineno=lineno)
        key = key.strip()
        if not key:
            raise ParseError("empty key", line=line, lineno=lineno)
        block.append((decode(key), decode(value.strip())))
    if block:
        blocks.append(block)
    return blocks


def _add(fields: dict[str, str], pairs: list[tuple[str, str]]) -> None:
    for key, value in pairs:
        fields.setdefault(key, value)


def _is_s390_processor(key: str) -> bool:
    return key.startswith("processor ") and key[10:].isdigit()


def _s390_processor(key: str, value: str) -> dict[str, str]:
    # "processor 0" : "version = FF,  identification = 2733E8,  machine = 2964"
    cpu = {"processor": key[10:]}
    for part in value.split(","):
        name, equals, item = part.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ParseError("expected 'name = value' items", line=f"{key}: {value}")
        cpu[name] = item.strip()
    return cpu


def _parse_s390(blocks: list[list[tuple[str, str]]]) -> CpuInfo:
    fields: dict[str, str] = {}
    by_number: dict[str, dict[str, str]] = {}
    listed: list[dict[str, str]] = []
    numbered: list[list[tuple[str, str]]] = []
    for block in blocks:
        if block[0][0] == "cpu number":
            numbered.append(block)
            continue
        for key, value in block:
            if _is_s390_processor(key):
                cpu = _s390_processor(key, value)
                by_number[cpu["processor"]] = cpu
                listed.append(cpu)
            else:
                fields.setdefault(key, value)
    if not numbered:
        return CpuInfo(listed, fields)
    cpus = []
    for block in numbered:
        number = block[0][1]
        cpu = dict(by_number.get(number, {"processor": number}))
        cpu.update(block)
        cpus.append(cpu)
    return CpuInfo(cpus, fields)


class _Layout:
    """Where the values are in the usual file (x86 and most others) of one shape.

    That is ASCII text in blocks separated by one empty line, each a
    processor whose first key, and no other, is ``processor``; each line
    ``key : value``. Anything else raises ValueError, for the full reading.
    """

    __slots__ = ("cpus", "fixed")

    def __init__(self, data: bytes) -> None:
        if not data.isascii() or b"processor " in data or b"cpu number" in data:
            raise ValueError("not ASCII, or maybe s390's layout")
        if b"\x1c" in data or b"\x1d" in data or b"\x1e" in data or b"\x1f" in data:
            raise ValueError("text would strip them; bytes do not")
        #: Each processor's keys and the getter of its values from the text.
        self.cpus: list[tuple[tuple[str, ...], Callable[[str], tuple[str, ...]]]] = []
        fixed: list[tuple[slice, bytes]] = []  # the digits of keys are not part of the shape
        keys: list[str] | None = None
        places: list[slice] = []
        start = 0
        for line in data.decode("ascii").split("\n"):
            raw_key, colon, value = line.partition(":")
            if not colon:
                if line:
                    raise ValueError(f"no ':' in {line!r}")
                if keys is not None:
                    self._add(keys, places)  # the end of a block
                keys = None
            else:
                key = raw_key.strip()
                if key == "processor":
                    if keys is not None:
                        raise ValueError("a processor line inside a block")
                    keys, places = [], []
                elif keys is None or not key:
                    raise ValueError(f"not a processor's line: {line!r}")
                keys.append(key)
                at = start + len(raw_key) + 1 + len(value) - len(value.lstrip())
                places.append(slice(at, at + len(value.strip())))
                name = key.encode()
                if name.translate(None, b"0123456789") != name:
                    at = start + len(raw_key) - len(raw_key.lstrip())
                    fixed.append((slice(at, at + len(key)), name))
            start += len(line) + 1
        if keys is not None:
            self._add(keys, places)
        if not self.cpus:
            raise ValueError("no processor")
        self.fixed = tuple(fixed)

    def _add(self, keys: list[str], places: list[slice]) -> None:
        # The empty slice at the end makes the getter return a tuple even for one key.
        self.cpus.append((tuple(keys), _itemgetter(*places, slice(0, 0))))


#: The layout of the last file read, while the files keep its shape.
_layouts = layout_cache(_Layout)
_make = CpuInfo._make


@parser("cpuinfo", since="2.6")
def parse_cpuinfo(data: bytes) -> CpuInfo:
    """Parse ``/proc/cpuinfo`` of any architecture (see the module notes)."""
    layout = _layouts(data)
    if layout is not None:
        # A file of the shape of the last one read (see layout_cache): its
        # values are at the same places.
        text = data.decode("ascii")
        found = []
        for keys, take in layout.cpus:  # (a loop: a comprehension is one more call)
            # take() gives one more value than there are keys (see _Layout._add).
            found.append(dict(zip(keys, take(text), strict=False)))
        return _make((found, {}))
    blocks = _blocks(data)
    if not blocks:
        raise ParseError("no processor described")
    for block in blocks:
        for key, _ in block:
            if key == "cpu number" or _is_s390_processor(key):
                return _parse_s390(blocks)
    cpus: list[dict[str, str]] = []
    fields: dict[str, str] = {}
    for block in blocks:
        starts = [index for index, (key, _) in enumerate(block) if key == "processor"]
        if not starts:
            _add(fields, block)
            continue
        _add(fields, block[: starts[0]])
        segments = [block[a:b] for a, b in zip(starts, [*starts[1:], len(block)], strict=True)]
        if len(segments) > 1 and all(len(segment) == 1 for segment in segments[:-1]):
            # Early arm64: bare "processor : N" lines, then lines shared by all.
            _add(fields, segments[-1][1:])
            segments[-1] = segments[-1][:1]
        cpus.extend(dict(segment) for segment in segments)
    if not cpus:
        # A uniprocessor kernel that numbers no processor: the first block is it.
        first = dict(blocks[0])
        fields = {}
        for block in blocks[1:]:
            _add(fields, block)
        cpus = [first]
    return CpuInfo(cpus, fields)
