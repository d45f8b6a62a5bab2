"""/proc/iomem and /proc/ioports: nesting, hidden addresses, live files as root and as nobody."""

from __future__ import annotations

import os

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.iomem import IoResource, children, parse_iomem
from tests.conftest import SAMPLES, sample
from tests.helpers import NOBODY, run_as

DEV = SAMPLES / "dev-machine" / "proc"


def test_registered() -> None:
    assert PARSERS["iomem"] is parse_iomem
    assert PARSERS["ioports"] is parse_iomem


def test_dev_machine_iomem_as_root() -> None:
    res = ProcFS(DEV).iomem()
    assert len(res) == 27
    # "00001000-0009fbff : System RAM", then "0009fc00-000fffff : Reserved" and two
    # resources inside it.
    assert res[1] == IoResource(0x1000, 0x9FBFF, "System RAM", 0)
    assert res[2] == IoResource(0x9FC00, 0xFFFFF, "Reserved", 0)
    assert res[3] == IoResource(0xDE000, 0xDEFFF, "AMZNC10C:00", 1)
    assert res[4].to_dict() == {"start": 0xF0000, "end": 0xFFFFF, "name": "System ROM", "depth": 1}
    assert children(res, 2) == [3, 4]
    assert res[1].size == 0x9EC00
    # "    eec00000-eecfffff : PCI Bus 0000:00" is three levels down.
    deepest = max(res, key=lambda r: r.depth)
    assert (deepest.depth, deepest.name, deepest.start) == (2, "PCI Bus 0000:00", 0xEEC00000)
    # Addresses wider than 8 digits: "100000000-63fffffff : System RAM".
    assert IoResource(0x100000000, 0x63FFFFFFF, "System RAM", 0) in res
    # The kernel image sits inside the second System RAM range.
    ram = res.index(IoResource(0x100000, 0xBFFFFFFF, "System RAM", 0))
    assert [res[i].name for i in children(res, ram)] == [
        "Kernel code",
        "Kernel rodata",
        "Kernel data",
        "Kernel bss",
    ]
    top = children(res)
    assert all(res[i].depth == 0 for i in top) and len(top) == 9


def test_dev_machine_iomem_as_nobody_hides_addresses() -> None:
    hidden = parse_iomem(sample("dev-machine/iomem.as-nobody.txt"))
    real = ProcFS(DEV).iomem()
    assert all(r.start == 0 and r.end == 0 for r in hidden)
    assert [(r.name, r.depth) for r in hidden] == [(r.name, r.depth) for r in real]


def test_dev_machine_ioports() -> None:
    ports = ProcFS(DEV).ioports()
    assert ports[0] == IoResource(0x0000, 0x0CF7, "PCI Bus 0000:00", 0)
    assert ports[1] == IoResource(0x0000, 0x001F, "dma1", 1)
    assert IoResource(0x0080, 0x008F, "dma page reg", 1) in ports  # a name with spaces
    assert IoResource(0x03F8, 0x03FF, "serial", 1) in ports
    assert ports[-1] == IoResource(0x0D00, 0xFFFF, "PCI Bus 0000:00", 0)
    assert len(children(ports, 0)) == 12


def test_empty_name_and_empty_file() -> None:
    assert parse_iomem(b"") == []
    assert parse_iomem(b"0000-0001 : \n") == [IoResource(0, 1, "", 0)]


@pytest.mark.parametrize(
    "data",
    [
        b"\n",
        b" 0000-0001 : odd\n",
        b"  0000-0001 : starts nested\n",
        b"0000-00ff : a\n    0000-0001 : skips a level\n",
        b"0000-00ff a\n",
        b"0000 : a\n",
        b"00zz-00ff : a\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_iomem(data)


def _read_both() -> tuple[list[tuple[int, int, str, int]], list[tuple[int, int, str, int]]]:
    fs = ProcFS()
    return (
        [(r.start, r.end, r.name, r.depth) for r in fs.iomem()],
        [(r.start, r.end, r.name, r.depth) for r in fs.ioports()],
    )


def test_live_as_root_and_as_nobody() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to compare with an unprivileged reader")
    iomem = ProcFS().iomem()
    ioports = ProcFS().ioports()
    seen = run_as(NOBODY, NOBODY, _read_both)
    assert isinstance(seen, tuple)
    hidden_mem, hidden_ports = seen
    # The unprivileged reader sees the same tree with every address 0.
    assert [(r[2], r[3]) for r in hidden_mem] == [(r.name, r.depth) for r in iomem]
    assert [(r[2], r[3]) for r in hidden_ports] == [(r.name, r.depth) for r in ioports]
    assert all(r[0] == 0 and r[1] == 0 for r in hidden_mem + hidden_ports)
    assert any(r.end > 0 for r in iomem)
    # All usable RAM (MemTotal, i.e. sysinfo totalram) lies in the "System RAM" ranges.
    ram = sum(r.size for r in iomem if r.name == "System RAM")
    assert ram >= os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
