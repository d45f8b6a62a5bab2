"""/proc/cpuinfo on x86, arm, arm64, power, s390 and mips, and the live system."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core import cpuinfo as cpuinfo_module
from procfs.core.cpuinfo import CpuInfo, parse_cpuinfo
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample
from tests.mutations import edited, outcome

ARM_FEATURES = (
    "half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm crc32"
)


def test_registered() -> None:
    assert PARSERS["cpuinfo"] is parse_cpuinfo


def test_x86_prometheus_fixture() -> None:
    info = ProcFS(corpus_path(PROMETHEUS_PROC)).cpuinfo()
    assert info.num_cores == 8
    assert [cpu["processor"] for cpu in info.cpus] == [str(n) for n in range(8)]
    assert info.vendor_id(0) == "GenuineIntel"
    assert info.model_name(3) == "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"
    assert info.cpus[1]["cpu family"] == "6"
    assert info.cpus[4]["siblings"] == "8"
    assert info.core_id(5) == 1
    assert info.cpus[6]["cpu cores"] == "4"
    assert info.physical_id(7) == 0
    assert info.flags(7)[:3] == ["fpu", "vme", "de"]
    assert "flush_l1d" in info.flags(0)
    assert info.cpu_mhz(0) == 799.998
    assert info.cpus[0]["power management"] == ""
    assert info.fields == {}
    json.dumps(info.to_dict())


def test_armv7_raspberry_pi_trailer_is_not_a_cpu() -> None:
    info = parse_cpuinfo(sample("rust-procfs-samples/cpuinfo.armv7-raspberrypi3bplus.spaces.txt"))
    assert info.num_cores == 4
    assert info.fields == {
        "Hardware": "BCM2835",
        "Revision": "a020d3",
        "Serial": "0000000012345678",
        "Model": "Raspberry Pi 3 Model B Plus Rev 1.3",
    }
    assert info.model_name(0) == "ARMv7 Processor rev 4 (v7l)"
    assert info.vendor_id(0) is None
    assert info.physical_id(0) is None
    assert info.flags(3) == ARM_FEATURES.split()
    assert info.cpus[2]["CPU architecture"] == "7"
    assert info.cpus[2]["CPU part"] == "0xd03"
    assert info.get_field(1, "Hardware") == "BCM2835"
    merged = info.get_info(1)
    assert (
        merged is not None
        and merged["BogoMIPS"] == "38.40"
        and merged["Serial"] == "0000000012345678"
    )


def test_armv7_legacy_shared_lines() -> None:
    # Kernels before 3.8: one "Processor" name line, bare per-CPU blocks, shared Features.
    info = parse_cpuinfo(sample("prometheus-procfs-tests/cpuinfo.armv7-legacy-smp.txt"))
    assert info.num_cores == 2
    assert info.cpus[1] == {"processor": "1", "BogoMIPS": "2400.00"}
    assert info.model_name(1) == "ARMv7 Processor rev 5 (v7l)"
    assert info.flags(1)[:3] == ["swp", "half", "thumb"]
    assert info.fields["CPU part"] == "0xc07"
    assert info.fields["Hardware"] == "sun8i"


def test_armv6_uniprocessor_without_processor_line() -> None:
    info = parse_cpuinfo(sample("prometheus-procfs-tests/cpuinfo.armv6-legacy-up.txt"))
    assert info.num_cores == 1
    assert info.model_name(0) == "ARMv6-compatible processor rev 5 (v6l)"
    assert info.flags(0) == ["swp", "half", "thumb", "fastmult", "vfp", "edsp", "java"]
    assert info.cpus[0]["CPU architecture"] == "6TEJ"
    assert info.fields == {"Hardware": "IMAPX200", "Revision": "0000", "Serial": "0000000000000000"}


def test_arm64() -> None:
    info = parse_cpuinfo(sample("handmade/cpuinfo.arm64-graviton2-neoverse-n1.txt"))
    assert info.num_cores == 2
    assert info.model_name(0) is None  # arm64 prints no model name
    assert info.vendor_id(0) is None
    assert info.flags(1)[:4] == ["fp", "asimd", "evtstrm", "aes"]
    assert len(info.flags(1)) == 17
    assert info.cpus[1]["CPU implementer"] == "0x41"
    assert info.cpus[1]["CPU part"] == "0xd0c"
    assert info.cpus[1]["BogoMIPS"] == "243.75"
    assert info.fields == {}


def test_arm64_early_processor_list() -> None:
    # 3.x arm64: "processor" lines one after another, then lines for all CPUs.
    info = parse_cpuinfo(sample("cpu_features-tests/cpuinfo.aarch64-3.x-cortex-a53.spaces.txt"))
    assert info.num_cores == 8
    assert info.cpus[7] == {"processor": "7"}
    assert info.model_name(7) == "AArch64 Processor rev 3 (aarch64)"
    assert info.flags(0) == ["fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32"]
    assert info.get_field(4, "CPU part") == "0xd03"
    assert info.fields["CPU architecture"] == "AArch64"


def test_power7_pseries() -> None:
    info = parse_cpuinfo(sample("prometheus-procfs-tests/cpuinfo.ppc64-power7-pseries.txt"))
    assert info.num_cores == 6
    assert info.model_name(2) == "POWER7 (architected), altivec supported"
    assert info.cpu_mhz(2) == 3000.0
    assert info.cpus[5]["revision"] == "2.1 (pvr 003f 0201)"
    assert info.flags(0) == []
    assert info.fields == {
        "timebase": "512000000",
        "platform": "pSeries",
        "model": "IBM,8233-E8B",
        "machine": "CHRP IBM,8233-E8B",
    }


def test_power9_powernv_with_offline_threads() -> None:
    info = parse_cpuinfo(sample("handmade/cpuinfo.ppc64le-power9-powernv.txt"))
    assert [cpu["processor"] for cpu in info.cpus] == ["0", "4"]
    assert info.model_name(1) == "POWER9, altivec supported"
    assert info.cpu_mhz(1) == 3800.0
    assert info.fields["MMU"] == "Radix"
    assert info.fields["firmware"] == "OPAL"


def test_s390x_cpu_number_blocks() -> None:
    info = parse_cpuinfo(sample("prometheus-procfs-tests/cpuinfo.s390x-z13-cpu-number-blocks.txt"))
    assert info.num_cores == 4
    assert info.vendor_id(0) == "IBM/S390"
    assert info.flags(1)[4] == "ldisp"
    assert info.cpu_mhz(2) == 5000.0
    assert info.cpus[2] == {
        "processor": "2",
        "version": "FF",
        "identification": "2733E8",
        "machine": "2964",
        "cpu number": "2",
        "cpu MHz dynamic": "5000",
        "cpu MHz static": "5000",
    }
    assert info.model_name(3) == "2964"
    assert info.fields["# processors"] == "4"
    assert info.fields["bogomips per cpu"] == "3033.00"
    assert info.fields["cache5"].startswith("level=4 type=Unified")
    assert not any(key.startswith("processor") for key in info.fields)


def test_s390x_before_4_7() -> None:
    info = parse_cpuinfo(sample("handmade/cpuinfo.s390x-4.4-no-cpu-number.txt"))
    assert info.num_cores == 2
    assert info.cpus[1] == {
        "processor": "1",
        "version": "FF",
        "identification": "32C047",
        "machine": "2827",
    }
    assert info.flags(0)[-1] == "sie"
    assert info.vendor_id(1) == "IBM/S390"


def test_s390x_topology_and_offline_cpu() -> None:
    info = parse_cpuinfo(sample("handmade/cpuinfo.s390x-6.x-topology.txt"))
    assert [cpu["cpu number"] for cpu in info.cpus] == ["0", "1", "3"]
    assert info.physical_id(2) == 2
    assert info.core_id(2) == 1
    assert info.cpus[2]["address"] == "3"
    assert info.cpus[2]["machine"] == "9175"
    assert info.cpu_mhz(0) == 5508.0
    assert "nnpa" in info.flags(2)


def test_mips_header_lines() -> None:
    info = parse_cpuinfo(sample("prometheus-procfs-tests/cpuinfo.mips-octeon.txt"))
    assert info.num_cores == 2
    assert info.fields == {"system type": "UBNT_E100", "machine": "Unknown"}
    assert info.model_name(1) == "Cavium Octeon+ V0.1"
    # A value containing colons keeps them.
    assert (
        info.cpus[0]["hardware watchpoint"] == "yes, count: 2, address/irw mask: [0x0ffc, 0x0ffb]"
    )
    assert info.cpus[0]["ASEs implemented"] == ""


def test_out_of_range_cpu() -> None:
    info = parse_cpuinfo(b"processor\t: 0\nflags\t: a b\n")
    assert info.get_field(1, "flags") is None
    assert info.get_field(-1, "flags") is None
    assert info.get_info(5) is None
    assert info.model_name(1) is None
    assert info.flags(1) == []
    assert info.physical_id(0) is None
    assert info.cpu_mhz(0) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n",
        b"processor : 0\nno separator here\n",
        b"processor : 0\n: value without key\n",
        b"vendor_id : IBM/S390\nprocessor 0: garbage\n",
    ],
)
def test_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_cpuinfo(data)


def _online_cpus() -> list[int]:
    with open("/sys/devices/system/cpu/online") as f:
        text = f.read().strip()
    cpus: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        cpus.extend(range(int(first), int(last or first) + 1))
    return cpus


def test_live() -> None:
    info = ProcFS().cpuinfo()
    assert isinstance(info, CpuInfo)
    assert info.num_cores == os.cpu_count()
    if os.path.exists("/sys/devices/system/cpu/online"):
        assert [int(cpu["processor"]) for cpu in info.cpus] == _online_cpus()
    assert len(os.sched_getaffinity(0)) <= info.num_cores
    json.dumps(info.to_dict())


@pytest.mark.skipif(shutil.which("nproc") is None, reason="nproc is not installed")
def test_live_against_nproc() -> None:
    out = subprocess.run(["nproc", "--all"], capture_output=True, text=True, check=True).stdout
    # nproc --all counts configured CPUs, cpuinfo the online ones.
    assert ProcFS().cpuinfo().num_cores <= int(out)


# -- the fast reading of the usual file agrees with the strict one --------------------------

_SAMPLES = [path.read_bytes() for path in sorted(SAMPLES.rglob("cpuinfo*"))]


def test_the_usual_file_takes_the_fast_reading() -> None:
    cpuinfo_module._Layout(sample("dev-machine/proc/cpuinfo"))  # raises ValueError if not


@settings(max_examples=300, deadline=None)
@given(edited(_SAMPLES))
def test_fast_and_strict_readings_agree(data: bytes) -> None:
    fast = outcome(parse_cpuinfo, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cpuinfo_module, "_layouts", lambda data: None)
        assert outcome(parse_cpuinfo, data) == fast


def test_dev_machine_capture() -> None:
    info = parse_cpuinfo(sample("dev-machine/proc/cpuinfo"))
    assert info.num_cores == 2 and info.fields == {}
    assert [cpu["processor"] for cpu in info.cpus] == ["0", "1"]
    assert info.get_field(1, "model name") == "Intel(R) Xeon(R) Processor"


def test_a_file_of_the_same_shape_reuses_the_layout() -> None:
    data = sample("dev-machine/proc/cpuinfo")
    first = parse_cpuinfo(data)
    layout = cpuinfo_module._layouts(data)
    assert layout is not None
    # Another clock speed, with as many digits: the same places.
    faster = data.replace(b"cpu MHz\t\t: 2600.000", b"cpu MHz\t\t: 3100.123")
    assert faster != data
    assert cpuinfo_module._layouts(faster) is layout
    assert parse_cpuinfo(faster).cpu_mhz(0) == 3100.123
    assert parse_cpuinfo(data) == first
    # A digit in a key is compared, not taken as a value.
    level1 = b"processor\t: 0\ncache1 size\t: 32 KB\n\nprocessor\t: 1\ncache1 size\t: 32 KB\n"
    level2 = level1.replace(b"cache1", b"cache2")
    assert parse_cpuinfo(level1).cpus[1] == {"processor": "1", "cache1 size": "32 KB"}
    assert parse_cpuinfo(level2).cpus[1] == {"processor": "1", "cache2 size": "32 KB"}
