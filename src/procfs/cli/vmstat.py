"""``procfs vmstat [DELAY [COUNT]]``: memory, swap, I/O and CPU activity, like procps ``vmstat``.

The columns, widths and numbers are procps-ng 4.0's. The first line
averages since boot (as procps computes it: rates per second of the CPU
time summed over every CPU); each next one, DELAY seconds later, shows what
moved meanwhile, per second. Memory is in KiB unless ``-S`` says otherwise
(procps rounds it through a single-precision float: above 16 GiB the last
digit can be off by one, as in procps). ``-s`` prints the counters since
boot as a list, ``-d`` the disks' counters.

``--json`` prints one JSON object per line (JSON Lines), one per table
line, its keys the column names (``r``, ``b``, ``swpd``, ..., ``gu``; the
values as the table prints them, and ``timestamp`` with ``-t``); with
``-s`` one object of every counter, with ``-d`` one object per disk and
round.
"""

from __future__ import annotations

import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, fail, help_lines, start
from procfs.errors import ProcError
from procfs.system import SystemFiles

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.core.diskstats import DiskStat
    from procfs.core.kernel_stats import CpuTime, KernelStats
    from procfs.core.meminfo import MemInfo
    from procfs.core.vmstat import VmStat

__all__ = ["OPTIONS", "Sample", "cpu_split", "main", "unit_convert"]

#: ``-S`` units: the letter -> bytes per unit.
UNITS = {"b": 1, "B": 1, "k": 1000, "K": 1024, "m": 1000000, "M": 1048576}

OPTIONS = (
    Option("-a", "--active", help="show active and inactive memory, not buffers and cache"),
    Option("-s", "--stats", help="show the counters since boot as a list"),
    Option("-d", "--disk", help="show the disks' counters"),
    Option("-D", "--disk-sum", help="show the disks' counters summed, as a list"),
    Option("-f", "--forks", help="show the number of forks since boot"),
    Option("-m", "--slabs", help="show the slab caches (slabinfo: root only)"),
    Option("-p", "--partition", value="DEV", help="show one disk's or partition's counters"),
    Option("-w", "--wide", help="wide columns"),
    Option("-t", "--timestamp", help="add the time to each line"),
    Option("-n", "--one-header", help="print the header once, not every screenful"),
    Option("-y", "--no-first", help="leave out the first line (the averages since boot)"),
    Option("-S", "--unit", value="UNIT", choices=tuple(UNITS), help="memory in k, K, m or M"),
    Option(
        "--json",
        help=(
            "print JSON Lines: an object a table line, its keys the\n"
            "column names (and timestamp with -t); -s: one object of\n"
            "the counters; -d: an object a disk and round"
        ),
    ),
    ROOT,
    HELP,
)

USAGE = "usage: procfs vmstat [OPTIONS] [DELAY [COUNT]]\n\n" + help_lines(OPTIONS)

_HEADER = "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----"
_WIDE_HEADER = (
    "--procs-- -----------------------memory---------------------- ---swap-- -----io----"
    " -system-- ----------cpu----------"
)
_STAMP_HEADER = " -----timestamp-----"
_COLUMNS = ("r", "b", "swpd", "free", "buff", "cache", "si", "so", "bi", "bo", "in", "cs")
_CPU = ("us", "sy", "id", "wa", "st", "gu")
_WIDTHS = (2, 2, 6, 6, 6, 6, 4, 4, 5, 5, 4, 4, 2, 2, 2, 2, 2)
_WIDE_WIDTHS = (4, 4, 12, 12, 12, 12, 4, 4, 5, 5, 4, 4, 3, 3, 3, 3, 3, 3)

_DISK_HEADER = "disk- ------------reads------------ ------------writes----------- -----IO------"
_WIDE_DISK_HEADER = (
    "disk- -------------------reads------------------- -------------------writes"
    "------------------ ------IO-------"
)
_DISK_COLUMNS = (" ", "total", "merged", "sectors", "ms", "total", "merged", "sectors", "ms")
_DISK_WIDTHS = (5, 6, 6, 7, 7, 6, 6, 7, 7, 6, 6)
_WIDE_DISK_WIDTHS = (5, 9, 9, 11, 11, 9, 9, 11, 11, 7, 7)

#: The keys of a disk's counters in the JSON output.
_DISK_JSON = (
    "reads",
    "reads_merged",
    "read_sectors",
    "read_ms",
    "writes",
    "writes_merged",
    "written_sectors",
    "write_ms",
    "cur",
    "sec",
)

#: The largest delay procps takes (an unsigned int of seconds); the count alike.
_LONGEST = (1 << 32) - 1

_U32 = 1 << 32
_U64 = 1 << 64


def _f32(value: float) -> float:
    import struct

    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def unit_convert(kib: int, unit: int) -> int:
    """KiB as procps vmstat prints them in ``unit`` bytes: through C ``float`` arithmetic."""
    return int(_f32(_f32(_f32(kib) / _f32(unit)) * 1024))


def cpu_split(cpu: CpuTime) -> tuple[int, int, int, int, int, int]:
    """CPU ticks as vmstat groups them: user (less guest), system (with irq and
    softirq), idle, iowait, steal, guest (both kinds)."""
    guest = (cpu.guest or 0) + (cpu.guest_nice or 0)
    user = cpu.user + cpu.nice
    return (
        user - guest if user >= guest else 0,
        cpu.system + (cpu.irq or 0) + (cpu.softirq or 0),
        cpu.idle,
        cpu.iowait or 0,
        cpu.steal or 0,
        guest,
    )


class Sample:
    """The files one line of ``vmstat`` is computed from, read at one moment."""

    __slots__ = ("kernel", "memory", "vm")

    def __init__(self, kernel: KernelStats, memory: MemInfo, vm: VmStat) -> None:
        self.kernel = kernel
        self.memory = memory
        self.vm = vm

    def counters(self) -> tuple[int, int, int, int, int, int]:
        """pswpin, pswpout, pgpgin, pgpgout, interrupts, context switches since boot."""
        vm = self.vm
        intr = self.kernel.intr
        return (
            vm.pswpin or 0,
            vm.pswpout or 0,
            vm.pgpgin or 0,
            vm.pgpgout or 0,
            intr.total if intr is not None else 0,
            self.kernel.ctxt,
        )

    def memory_columns(self, active: bool, unit: int) -> list[int]:
        """swpd, free, buff (inact) and cache (active), in ``unit``."""
        m = self.memory
        swap_total, swap_free = m.swap_total or 0, m.swap_free or 0
        sizes = (
            swap_total - swap_free if swap_free < swap_total else 0,
            m.mem_free,
            (m.inactive if active else m.buffers) or 0,
            (m.active or 0) if active else (m.cached or 0) + (m.s_reclaimable or 0),
        )
        return [unit_convert(size >> 10, unit) for size in sizes]


def _rates_since_boot(sample: Sample, hz: int, page_kib: int, unit: int) -> list[int]:
    """si, so, bi, bo, in, cs, us, sy, id, wa, st, gu of the first line (procps's sums)."""
    cpu = sample.kernel.total
    use, system, idle, iowait, steal, guest = cpu_split(cpu)
    # (the sum counts guest time once, within user time, before it is taken out)
    total = cpu.user + cpu.nice + system + idle + iowait + steal
    if not total:
        total, idle = 1, 1
    half = total // 2
    swap_in, swap_out, page_in, page_out, interrupts, switches = sample.counters()
    out = [
        (unit_convert(swap_in * page_kib, unit) * hz + half) // total,
        (unit_convert(swap_out * page_kib, unit) * hz + half) // total,
        (page_in * hz + half) // total,
        (page_out * hz + half) // total,
        (interrupts * hz + half) // total,
        (switches * hz + half) // total,
    ]
    out += [(100 * ticks + half) // total for ticks in (use, system, idle, iowait, steal, guest)]
    return [value % _U32 for value in out]


def _rates_between(
    old: Sample, new: Sample, delay: int, page_kib: int, unit: int, debt: list[int]
) -> list[int]:
    """The deltas of a next line, per second (``debt``: idle ticks that ran backwards)."""
    half_delay = delay // 2
    before, after = old.counters(), new.counters()
    deltas = [(b - a) % _U64 for a, b in zip(before, after, strict=True)]
    out = [
        (unit_convert(deltas[0] * page_kib, unit) + half_delay) // delay,
        (unit_convert(deltas[1] * page_kib, unit) + half_delay) // delay,
    ]
    out += [(delta + half_delay) // delay for delta in deltas[2:]]
    was, now = old.kernel.total, new.kernel.total
    user = now.user + now.nice - was.user - was.nice
    system = (
        now.system + (now.irq or 0) + (now.softirq or 0)
        - was.system - (was.irq or 0) - (was.softirq or 0)
    )  # fmt: skip
    idle = now.idle - was.idle
    iowait = (now.iowait or 0) - (was.iowait or 0)
    steal = (now.steal or 0) - (was.steal or 0)
    guest = cpu_split(now)[5] - cpu_split(was)[5]
    if debt[0]:
        idle += debt[0]
        debt[0] = 0
    if idle < 0:
        debt[0] = idle
        idle = 0
    total = user + system + idle + iowait + steal
    if not total:
        total, idle = 1, 1
    half = total // 2
    user = user - guest if user >= guest else 0
    out += [(100 * ticks + half) // total for ticks in (user, system, idle, iowait, steal, guest)]
    return [value % _U32 for value in out]


def _table_header(wide: bool, stamp: bool, active: bool) -> str:
    columns = list(_COLUMNS)
    if active:
        columns[4:6] = ["inact", "active"]
    columns += _CPU if wide else _CPU[:5]
    widths = _WIDE_WIDTHS if wide else _WIDTHS
    first = _WIDE_HEADER if wide else _HEADER
    second = " ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True))
    if stamp:
        import time

        first += _STAMP_HEADER
        second += " " + f"{time.strftime('%Z')[:19]:>19}"
    return f"{first}\n{second}\n"


def _table_line(values: Sequence[int], wide: bool, stamp: str | None) -> str:
    widths = _WIDE_WIDTHS if wide else _WIDTHS
    line = " ".join(f"{value:>{width}}" for value, width in zip(values, widths, strict=False))
    return line + (f" {stamp}\n" if stamp is not None else "\n")


def _read(fs: SystemFiles) -> Sample:
    return Sample(fs.kernel_stats(), fs.meminfo(), fs.vmstat())


def _stamp(enabled: bool) -> str | None:
    if not enabled:
        return None
    import time

    return time.strftime("%Y-%m-%d %H:%M:%S")


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _table(
    fs: SystemFiles,
    delay: int | None,
    count: int | None,
    flags: set[str],
    unit: int,
    height: int,
) -> None:
    wide, active, stamp, as_json = "-w" in flags, "-a" in flags, "-t" in flags, "--json" in flags
    hz = fs.ticks_per_second()
    page_kib = fs.page_size() // 1024
    names = list(_COLUMNS)
    if active:
        names[4:6] = ["inact", "active"]
    names += _CPU if wide else _CPU[:5]

    def show(values: list[int], when: str | None) -> None:
        if as_json:
            import json

            document: dict[str, object] = dict(zip(names, values, strict=False))
            if when is not None:
                document["timestamp"] = when
            _emit(json.dumps(document) + "\n")
        else:
            _emit(_table_line(values, wide, when))

    old = _read(fs)
    if not as_json:
        _emit(_table_header(wide, stamp, active))
    kernel = old.kernel
    # procps's count: the lines in all, the first included; -y counts one more
    endless = delay is not None and count is None
    lines = count if count is not None else 1
    if "-y" in flags:
        lines += 1
    else:
        first = [kernel.procs_running or 0, kernel.procs_blocked or 0]
        first += old.memory_columns(active, unit)
        show(first + _rates_since_boot(old, hz, page_kib, unit), _stamp(stamp))
    step = delay or 1
    debt = [0]
    line = 1
    while endless or line < lines:
        import time

        time.sleep(step)
        if not as_json and "-n" not in flags and line % height == 0:
            _emit(_table_header(wide, stamp, active))
        new = _read(fs)
        values = [new.kernel.procs_running or 0, new.kernel.procs_blocked or 0]
        values += new.memory_columns(active, unit)
        values += _rates_between(old, new, step, page_kib, unit, debt)
        show(values, _stamp(stamp))
        old = new
        line += 1


def _summary(fs: SystemFiles, unit_letter: str, unit: int, as_json: bool) -> None:
    sample = _read(fs)
    m, kernel, vm = sample.memory, sample.kernel, sample.vm
    from procfs.memory import memory_of, swap_of

    usage, swap = memory_of(m), swap_of(m)
    cpu = kernel.total
    memory = [
        ("total memory", usage.total),
        ("used memory", usage.used),
        ("active memory", usage.active),
        ("inactive memory", usage.inactive),
        ("free memory", usage.free),
        ("buffer memory", usage.buffers),
        ("swap cache", usage.cached),
        ("total swap", swap.total),
        ("used swap", swap.used),
        ("free swap", swap.free),
    ]
    counts = [
        ("non-nice user cpu ticks", cpu.user),
        ("nice user cpu ticks", cpu.nice),
        ("system cpu ticks", cpu.system),
        ("idle cpu ticks", cpu.idle),
        ("IO-wait cpu ticks", cpu.iowait or 0),
        ("IRQ cpu ticks", cpu.irq or 0),
        ("softirq cpu ticks", cpu.softirq or 0),
        ("stolen cpu ticks", cpu.steal or 0),
        ("non-nice guest cpu ticks", cpu.guest or 0),
        ("nice guest cpu ticks", cpu.guest_nice or 0),
        ("K paged in", vm.pgpgin or 0),
        ("K paged out", vm.pgpgout or 0),
        ("pages swapped in", vm.pswpin or 0),
        ("pages swapped out", vm.pswpout or 0),
        ("interrupts", sample.counters()[4]),
        ("CPU context switches", kernel.ctxt),
        ("boot time", kernel.btime),
        ("forks", kernel.processes),
    ]
    converted = [(name, unit_convert(size >> 10, unit)) for name, size in memory]
    if as_json:
        import json

        _emit(json.dumps(dict(converted + counts)) + "\n")
        return
    lines = [f"{value:13d} {unit_letter} {name}\n" for name, value in converted]
    _emit("".join(lines))
    _counts(counts, False)


def _counts(counts: list[tuple[str, int]], as_json: bool) -> None:
    """Counters as procps lists them (``-s``, ``-D``, ``-f``): the number in 13 columns,
    then the name; or one JSON object."""
    if as_json:
        import json

        _emit(json.dumps(dict(counts)) + "\n")
        return
    _emit("".join(f"{value:13d} {name}\n" for name, value in counts))


def _slabs(
    fs: SystemFiles, delay: int | None, count: int | None, flags: set[str], height: int
) -> None:
    """``vmstat -m``: each slab cache (by name, in byte order), its objects in use and
    allocated, their size and how many a slab holds; the header every ``height`` lines
    of each round (once at the top with ``-n``), a round every ``delay`` seconds."""
    import time

    header = f"{'Cache':<24} {'Num':>6} {'Total':>6} {'Size':>6} {'Pages':>6}\n"
    rounds = 1 if delay is None else (count if count is not None else 0)
    done = 0
    if "-n" in flags and "--json" not in flags:
        _emit(header)
    while True:
        caches = sorted(fs.slabinfo().caches, key=lambda cache: cache.name.encode())
        if "--json" in flags:
            import json

            rows = [
                {
                    "cache": cache.name,
                    "num": cache.active_objs,
                    "total": cache.num_objs,
                    "size": cache.objsize,
                    "pages": cache.objperslab,
                }
                for cache in caches
            ]
            _emit(json.dumps(rows) + "\n")
        else:
            lines = []
            for index, cache in enumerate(caches):
                if "-n" not in flags and index % height == 0:
                    lines.append(header)
                lines.append(
                    f"{cache.name[:24]:<24} {cache.active_objs:6d} {cache.num_objs:6d}"
                    f" {cache.objsize:6d} {cache.objperslab:6d}\n"
                )
            _emit("".join(lines))
        done += 1
        if rounds and done >= rounds:
            return
        time.sleep(delay or 0)


def _partition(
    fs: SystemFiles, name: str, delay: int | None, count: int | None, as_json: bool
) -> int:
    """``vmstat -p DEVICE``: the reads, sectors read, writes and sectors written of one
    device since boot, a line every ``delay`` seconds (procps's columns)."""
    import time

    name = name.removeprefix("/dev/")
    rounds = 1 if delay is None else (count if count is not None else 0)
    done = 0
    while True:
        found = [disk for disk in fs.diskstats() if disk.name == name]
        if not found:
            sys.stderr.write(f"procfs vmstat: Disk/Partition {name} not found\n")
            return 1
        disk = found[0]
        values = (disk.reads, disk.sectors_read, disk.writes, disk.sectors_written)
        if as_json:
            import json

            keys = ("reads", "read sectors", "writes", "requested writes")
            _emit(json.dumps({"device": name, **dict(zip(keys, values, strict=True))}) + "\n")
        else:
            if not done:
                _emit(
                    f"{name:<10} {'reads':>10}  {'read sectors':>16}  {'writes':>10}"
                    f"  {'requested writes':>16}\n"
                )
            reads, read_sectors, writes, written = values
            _emit(f"{reads:21d}  {read_sectors:16d}  {writes:10d}  {written:16d}\n")
        done += 1
        if rounds and done >= rounds:
            return 0
        time.sleep(delay or 0)


def _disk_names() -> set[str] | None:
    """The whole disks, as procps tells them: a directory in /sys/block (None if that
    cannot be read: then every device counts as a disk)."""
    from procfs._fs import Root

    try:
        return set(Root("/sys/block").listdir())
    except (ProcError, OSError):
        return None


def _disk_sums(fs: SystemFiles) -> list[tuple[str, int]]:
    """``vmstat -D``'s counters: the disks and partitions counted, and the counters of
    the disks summed. As procps-ng 4.0 does, the I/Os in progress and the two busy
    times are each divided by 1000 before they are summed."""
    names = _disk_names()
    devices = fs.diskstats()
    disks = [disk for disk in devices if _is_disk(names, disk)]
    partitions = len(devices) - len(disks)

    def total(field: str, scale: int = 1) -> int:
        return sum((getattr(disk, field) or 0) // scale for disk in disks)

    return [
        ("disks", len(disks)),
        ("partitions", partitions),
        ("total reads", total("reads")),
        ("merged reads", total("merged")),
        ("read sectors", total("sectors_read")),
        ("milli reading", total("time_reading")),
        ("writes", total("writes")),
        ("merged writes", total("writes_merged")),
        ("written sectors", total("sectors_written")),
        ("milli writing", total("time_writing")),
        ("inprogress IO", total("in_progress", 1000)),
        ("milli spent IO", total("time_in_progress", 1000)),
        ("milli weighted IO", total("weighted_time_in_progress", 1000)),
    ]


def _is_disk(names: set[str] | None, disk: DiskStat) -> bool:
    return names is None or disk.name in names


def _disks(
    fs: SystemFiles, delay: int | None, count: int | None, flags: set[str], height: int
) -> None:
    wide, stamp, as_json = "-w" in flags, "-t" in flags, "--json" in flags
    names = _disk_names()
    widths = _WIDE_DISK_WIDTHS if wide else _DISK_WIDTHS

    def header() -> str:
        first = _WIDE_DISK_HEADER if wide else _DISK_HEADER
        columns = (*_DISK_COLUMNS, "cur", "sec")
        second = f"{columns[0]:>{widths[0]}} " + " ".join(
            f"{name:>{width}}" for name, width in zip(columns[1:], widths[1:], strict=True)
        )
        if stamp:
            import time

            first += _STAMP_HEADER
            second += " " + f"{time.strftime('%Z')[:19]:>19}"
        return f"{first}\n{second}\n"

    if "-n" in flags and not as_json:
        _emit(header())
    rounds = 1 if delay is None else (count if count is not None else 0)
    done = 0
    while True:
        when = _stamp(stamp)
        disks = [disk for disk in fs.diskstats() if _is_disk(names, disk)]
        for index, disk in enumerate(disks):
            values = (
                disk.reads,
                disk.merged or 0,
                disk.sectors_read,
                disk.time_reading or 0,
                disk.writes,
                disk.writes_merged or 0,
                disk.sectors_written,
                disk.time_writing or 0,
                (disk.in_progress or 0) // 1000,  # (sic: procps divides it by 1000)
                (disk.time_in_progress or 0) // 1000,
            )
            if as_json:
                import json

                document: dict[str, object] = {"disk": disk.name}
                document.update(zip(_DISK_JSON, values, strict=True))
                if when is not None:
                    document["timestamp"] = when
                _emit(json.dumps(document) + "\n")
                continue
            if "-n" not in flags and index % height == 0:
                _emit(header())
            line = f"{disk.name:<{widths[0]}} " + " ".join(
                f"{value:>{width}}" for value, width in zip(values, widths[1:], strict=True)
            )
            _emit(line + (f" {when}\n" if when is not None else "\n"))
        done += 1
        if rounds and done >= rounds:
            return
        import time

        assert delay is not None
        time.sleep(delay)


def _positive(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what} must be a positive integer, not {text!r}") from None
    if value < 1:
        raise ValueError(f"{what} must be a positive integer, not {text!r}")
    if value > _LONGEST:
        raise ValueError(f"{what} is too large: {text}")
    return value


def _height() -> int:
    import os

    try:
        rows = os.get_terminal_size(sys.stdout.fileno()).lines
    except (OSError, ValueError):
        rows = 24
    return rows - 3 if rows > 3 else 22


def main(argv: Sequence[str]) -> int:
    """Run ``procfs vmstat``; returns the exit status."""
    options = start("vmstat", argv, OPTIONS, USAGE, positional=2)
    if isinstance(options, int):
        return options
    try:
        delay = _positive(options.positional[0], "the delay") if options.positional else None
        count = (
            _positive(options.positional[1], "the count") if len(options.positional) > 1 else None
        )
    except ValueError as exc:
        return fail("vmstat", str(exc), USAGE)
    letter = options.value("-S") or "K"
    unit = UNITS[letter]
    fs = SystemFiles(options.value("--root") or DEFAULT_ROOT)
    try:
        if options.has("-f"):
            _counts([("forks", fs.kernel_stats().processes)], options.has("--json"))
        elif options.has("-s"):
            _summary(fs, letter, unit, options.has("--json"))
        elif options.has("-D"):
            _counts(_disk_sums(fs), options.has("--json"))
        elif options.has("-m"):
            _slabs(fs, delay, count, options.flags, _height())
        elif options.value("-p") is not None:
            return _partition(fs, options.value("-p") or "", delay, count, options.has("--json"))
        elif options.has("-d"):
            _disks(fs, delay, count, options.flags, _height())
        else:
            _table(fs, delay, count, options.flags, unit, _height())
    except ProcError as exc:
        sys.stderr.write(f"procfs vmstat: {exc}\n")
        return 1
    return 0
