"""Hand-written samples of the files whose format changed between kernel generations.

Each sample under tests/samples/generations/ follows the layout of one kernel
generation (see tests/samples/PROVENANCE.md for what each one shows). The
expected values below were read off the sample text by hand: sizes in kB are
multiplied by 1024, a line or column the kernel did not print yet is ``None``.
A field path is dotted; a numeric step indexes a list (``"0.reads"`` is the
first row's ``reads``).
"""

from __future__ import annotations

import json

import pytest

from procfs.core import PARSERS
from procfs.core._record import Record
from procfs.core.maps import MMapPath
from procfs.core.mountinfo import MountOptionalField
from tests.conftest import SAMPLES

KB = 1024

#: (sample file, registry key, {field path: expected value}).
CASES: list[tuple[str, str, dict[str, object]]] = [
    # --- [pid]/status -------------------------------------------------------
    (
        "status.linux-3.10.txt",
        "[pid]/status",
        {
            "name": "sshd",
            "umask": None,  # 4.7
            "state": "S",
            "tgid": 1234,
            "ngid": None,  # 3.13
            "pid": 1234,
            "ppid": 1,
            "ruid": 0,
            "fgid": 0,
            "fdsize": 64,
            "groups": (),
            "nstgid": None,  # 4.1
            "nspid": None,
            "vmpeak": 105996 * KB,
            "vmpin": 0,
            "vmhwm": 4352 * KB,
            "vmrss": 4344 * KB,
            "rssanon": None,  # 4.5
            "rssfile": None,
            "rssshmem": None,
            "vmdata": 1120 * KB,
            "vmstk": 136 * KB,
            "vmexe": 820 * KB,
            "vmlib": 9884 * KB,
            "vmpte": 212 * KB,
            "vmpmd": None,
            "vmswap": 0,
            "hugetlbpages": None,  # 4.4
            "core_dumping": None,  # 4.15
            "thp_enabled": None,  # 5.0
            "threads": 1,
            "sigq": (0, 15086),
            "sigign": 0x1000,
            "sigcgt": 0x180014005,
            "capprm": (1 << 37) - 1,  # CAP_LAST_CAP 36 (CAP_BLOCK_SUSPEND)
            "capbnd": (1 << 37) - 1,
            "capamb": None,  # 4.3
            "nonewprivs": None,  # 4.10
            "seccomp": 0,
            "seccomp_filters": None,  # 5.9
            "speculation_store_bypass": None,  # 4.17
            "speculation_indirect_branch": None,  # 4.20
            "cpus_allowed": 0xF,
            "cpus_allowed_list": (0, 1, 2, 3),
            "mems_allowed": 1,
            "mems_allowed_list": (0,),
            "voluntary_ctxt_switches": 1520,
            "nonvoluntary_ctxt_switches": 12,
            "extra": {},
        },
    ),
    (
        "status.linux-4.19.txt",
        "[pid]/status",
        {
            "name": "nginx",
            "umask": 0o022,
            "tgid": 2101,
            "ngid": 0,
            "ppid": 2100,
            "euid": 33,
            "sgid": 33,
            "groups": (33,),
            "nstgid": (2101,),
            "nspid": (2101,),
            "nspgid": (2100,),
            "nssid": (2100,),
            "vmsize": 144532 * KB,
            "vmrss": 6912 * KB,
            "rssanon": 1536 * KB,
            "rssfile": 3072 * KB,
            "rssshmem": 2304 * KB,
            "vmpmd": None,  # 4.0 to 4.14 only
            "vmswap": 16 * KB,
            "hugetlbpages": 0,
            "core_dumping": False,
            "thp_enabled": None,  # 5.0
            "sigq": (0, 31398),
            "sigign": 0x40001000,
            "capeff": 0,
            "capbnd": (1 << 38) - 1,  # CAP_LAST_CAP 37 (CAP_AUDIT_READ)
            "capamb": 0,
            "nonewprivs": 0,
            "seccomp": 0,
            "seccomp_filters": None,  # 5.9
            "speculation_store_bypass": "thread vulnerable",
            "speculation_indirect_branch": None,  # 4.20
            "cpus_allowed": 0x3,
            "cpus_allowed_list": (0, 1),
            "voluntary_ctxt_switches": 87,
            "extra": {},
        },
    ),
    (
        "status.linux-5.10.txt",
        "[pid]/status",
        {
            "name": "postgres",
            "umask": 0o077,
            "state": "R",
            "ruid": 106,
            "rgid": 112,
            "fdsize": 128,
            "groups": (112, 115),
            "nstgid": (815, 1),
            "nspid": (815, 1),
            "nspgid": (815, 1),
            "nssid": (815, 1),
            "kthread": None,  # 6.x
            "vmpeak": 219224 * KB,
            "vmrss": 29128 * KB,
            "rssanon": 4204 * KB,
            "rssfile": 18412 * KB,
            "rssshmem": 6512 * KB,
            "vmlib": 14556 * KB,
            "core_dumping": False,
            "thp_enabled": True,
            "untag_mask": None,  # 6.4
            "capbnd": (1 << 40) - 1,  # CAP_LAST_CAP 39 (CAP_CHECKPOINT_RESTORE)
            "nonewprivs": 1,
            "seccomp": 2,
            "seccomp_filters": 1,
            "speculation_store_bypass": "thread force mitigated",
            "speculation_indirect_branch": "conditional enabled",
            "cpus_allowed": 0xFF,
            "cpus_allowed_list": tuple(range(8)),
            "nonvoluntary_ctxt_switches": 57,
            "extra": {},
        },
    ),
    # --- meminfo ----------------------------------------------------------
    (
        "meminfo.linux-3.10.txt",
        "meminfo",
        {
            "mem_total": 3882464 * KB,
            "mem_free": 1402900 * KB,
            "mem_available": None,  # 3.14
            "buffers": 2060 * KB,
            "cached": 1810104 * KB,
            "active_anon": 353824 * KB,
            "inactive_file": 899052 * KB,
            "swap_total": 2097148 * KB,
            "dirty": 28 * KB,
            "shmem": 9888 * KB,
            "k_reclaimable": None,  # 4.20
            "slab": 211724 * KB,
            "s_unreclaim": 44432 * KB,
            "kernel_stack": 4224 * KB,
            "vmalloc_total": 34359738367 * KB,
            "vmalloc_chunk": 34359568380 * KB,
            "per_cpu": None,  # 4.16
            "anon_hugepages": 208896 * KB,
            "shmem_hugepages": None,  # 4.8
            "file_huge_pages": None,  # 5.4
            "hugepages_total": 0,
            "hugepagesize": 2048 * KB,
            "hugetlb": None,  # 4.15
            "direct_map_4k": 83840 * KB,
            "direct_map_2M": 4110336 * KB,
            "direct_map_1G": None,
            "z_swap": None,
            "extra": {},
        },
    ),
    (
        "meminfo.linux-4.19.txt",
        "meminfo",
        {
            "mem_total": 8167848 * KB,
            "mem_available": 6584720 * KB,
            "unevictable": 16 * KB,
            "mlocked": 16 * KB,
            "mapped": 356204 * KB,
            "k_reclaimable": None,  # 4.20
            "s_reclaimable": 215588 * KB,
            "page_tables": 26812 * KB,
            "committed_as": 4187200 * KB,
            "vmalloc_used": 0,
            "per_cpu": 3392 * KB,
            "shmem_hugepages": 0,
            "shmem_pmd_mapped": 0,
            "file_huge_pages": None,  # 5.4
            "file_pmd_mapped": None,
            "cma_total": None,
            "hugetlb": 0,
            "direct_map_1G": 2097152 * KB,
            "extra": {},
        },
    ),
    (
        "meminfo.linux-5.10.txt",
        "meminfo",
        {
            "mem_total": 16305344 * KB,
            "mem_available": 13510212 * KB,
            "inactive_anon": 1741580 * KB,
            "k_reclaimable": 302640 * KB,
            "slab": 466988 * KB,
            "nfs_unstable": 0,
            "vmalloc_used": 41256 * KB,
            "per_cpu": 6208 * KB,
            "file_huge_pages": 0,
            "file_pmd_mapped": 0,
            "cma_total": 0,
            "cma_free": 0,
            "z_swap": None,  # 5.14
            "secondary_page_tables": None,  # 6.1
            "hugepages_total": 64,
            "hugepages_free": 60,
            "hugepages_rsvd": 2,
            "hugepages_surp": 0,
            "hugetlb": 131072 * KB,
            "direct_map_1G": 8388608 * KB,
            "extra": {},
        },
    ),
    # --- diskstats --------------------------------------------------------
    (
        "diskstats.linux-4.19.txt",
        "diskstats",
        {
            "0.major": 8,
            "0.minor": 0,
            "0.name": "sda",
            "0.reads": 41872,
            "0.merged": 10536,
            "0.sectors_read": 2942534,
            "0.time_reading": 20388,
            "0.writes": 66318,
            "0.writes_merged": 52750,
            "0.sectors_written": 4418848,
            "0.time_writing": 98420,
            "0.in_progress": 0,
            "0.time_in_progress": 62712,
            "0.weighted_time_in_progress": 112004,
            "0.discards": 1840,
            "0.discards_merged": 0,
            "0.sectors_discarded": 3698056,
            "0.time_discarding": 132,
            "0.flushes": None,  # 5.5
            "0.time_flushing": None,
            "0.extra": [],
            "0.bytes_read": 2942534 * 512,
            "1.name": "sda1",
            "1.time_writing": 97004,
            "2.name": "loop0",
            "2.major": 7,
            "2.sectors_read": 2110,
            "2.discards": 0,
            "2.flushes": None,
        },
    ),
    (
        "diskstats.linux-5.10.txt",
        "diskstats",
        {
            "0.major": 259,
            "0.minor": 0,
            "0.name": "nvme0n1",
            "0.reads": 180422,
            "0.sectors_written": 26110208,
            "0.weighted_time_in_progress": 279532,
            "0.discards": 9212,
            "0.sectors_discarded": 46727304,
            "0.time_discarding": 2630,
            "0.flushes": 30712,
            "0.time_flushing": 25202,
            "0.extra": [],
            "0.bytes_written": 26110208 * 512,
            "1.name": "nvme0n1p1",
            "1.reads": 221,
            "1.merged": 1220,
            "1.writes": 2,
            "1.flushes": 0,
            "2.minor": 2,
            "2.name": "nvme0n1p2",
            "2.weighted_time_in_progress": 254284,
            "2.time_flushing": 0,
        },
    ),
    # --- net/snmp ---------------------------------------------------------
    (
        "net_snmp.linux-3.10.txt",
        "net/snmp",
        {
            "ip.forwarding": 2,
            "ip.in_receives": 2218471,
            "ip.in_addr_errors": 7,
            "ip.out_requests": 2001932,
            "ip.out_no_routes": 16,
            "ip.out_transmits": None,  # 6.3
            "ip.extra": {},
            "icmp.in_msgs": 342,
            "icmp.in_errors": 4,
            "icmp.in_csum_errors": 0,  # 3.10
            "icmp.in_dest_unreachs": 330,
            "icmp.in_echos": 12,
            "icmp.out_msgs": 350,
            "icmp.out_rate_limit_global": None,
            "icmp.out_rate_limit_host": None,
            "icmp.out_dest_unreachs": 338,
            "icmp.out_echo_reps": 12,
            "icmp_msg": {"InType3": 330, "InType8": 12, "OutType0": 12, "OutType3": 338},
            "tcp.rto_max": 120000,
            "tcp.max_conn": -1,
            "tcp.active_opens": 30411,
            "tcp.curr_estab": 14,
            "tcp.retrans_segs": 1672,
            "tcp.in_errs": 2,
            "tcp.out_rsts": 3095,
            "tcp.in_csum_errors": 1,
            "udp.in_datagrams": 113502,
            "udp.no_ports": 338,
            "udp.out_datagrams": 114290,
            "udp.in_csum_errors": 0,
            "udp.ignored_multi": None,  # 3.19
            "udp.mem_errors": None,  # 5.11
            "udp_lite.in_datagrams": 0,
            "udp_lite.ignored_multi": None,
            "extra": {},
        },
    ),
    (
        "net_snmp.linux-4.19-no-icmp.txt",
        "net/snmp",
        {
            "ip.forwarding": 1,
            "ip.in_receives": 904213,
            "ip.in_delivers": 904213,
            "ip.out_requests": 815502,
            "icmp.in_msgs": 0,
            "icmp.out_msgs": 0,
            "icmp.out_addr_mask_reps": 0,
            "icmp_msg": {},  # no IcmpMsg lines while every type count is 0
            "tcp.passive_opens": 4988,
            "tcp.curr_estab": 41,
            "tcp.in_segs": 879944,
            "tcp.out_segs": 792105,
            "tcp.in_csum_errors": 0,
            "udp.in_datagrams": 24269,
            "udp.out_datagrams": 23397,
            "udp.ignored_multi": 11,
            "udp.mem_errors": None,  # 5.11
            "udp_lite.ignored_multi": 0,
            "extra": {},
        },
    ),
    (
        "net_snmp.linux-5.10.txt",
        "net/snmp",
        {
            "ip.in_receives": 7315903,
            "ip.in_delivers": 7315840,
            "ip.out_discards": 14,
            "ip.reasm_reqds": 6,
            "ip.reasm_oks": 3,
            "ip.frag_oks": 2,
            "ip.frag_creates": 4,
            "ip.out_transmits": None,
            "icmp.in_msgs": 1290,
            "icmp.in_errors": 12,
            "icmp.in_time_excds": 3,
            "icmp.in_echos": 240,
            "icmp.in_echo_reps": 3,
            "icmp.out_msgs": 1334,
            "icmp.out_dest_unreachs": 1091,
            "icmp.out_echos": 3,
            "icmp.out_echo_reps": 240,
            "icmp.out_rate_limit_global": None,
            "icmp_msg": {
                "InType0": 3,
                "InType3": 1044,
                "InType8": 240,
                "InType11": 3,
                "OutType0": 240,
                "OutType3": 1091,
                "OutType8": 3,
            },
            "tcp.attempt_fails": 1185,
            "tcp.estab_resets": 2037,
            "tcp.retrans_segs": 11204,
            "tcp.in_errs": 5,
            "tcp.out_rsts": 14350,
            "udp.in_errors": 208,
            "udp.rcvbuf_errors": 208,
            "udp.sndbuf_errors": 0,
            "udp.ignored_multi": 3390,
            "udp.mem_errors": None,  # 5.11
            "udp_lite.out_datagrams": 0,
            "extra": {},
        },
    ),
    # --- pressure ---------------------------------------------------------
    (
        "pressure_io.linux-4.20.txt",
        "pressure/io",
        {
            "some.avg10": 0.30,
            "some.avg60": 0.12,
            "some.avg300": 0.05,
            "some.total": 4102351,
            "full.avg10": 0.10,
            "full.avg60": 0.04,
            "full.avg300": 0.01,
            "full.total": 2230177,
            "full.extra": {},
        },
    ),
    (
        "pressure_cpu.linux-5.13.txt",
        "pressure/cpu",
        {
            "some.avg10": 1.52,
            "some.avg60": 0.87,
            "some.avg300": 0.41,
            "some.total": 90614223,
            "full.avg10": 0.0,
            "full.avg300": 0.0,
            "full.total": 0,
        },
    ),
    # --- [pid]/smaps ------------------------------------------------------
    (
        "smaps.linux-3.10.txt",
        "[pid]/smaps",
        {
            "0.mapping.address": (0x400000, 0x4DD000),
            "0.mapping.perms": "r-xp",
            "0.mapping.dev": (0xFD, 0),
            "0.mapping.inode": 33604990,
            "0.mapping.pathname": MMapPath("path", "/usr/bin/bash"),
            "0.usage.size": 884 * KB,
            "0.usage.rss": 540 * KB,
            "0.usage.pss": 270 * KB,
            "0.usage.shared_clean": 540 * KB,
            "0.usage.referenced": 540 * KB,
            "0.usage.anonymous": 0,
            "0.usage.anon_huge_pages": 0,
            "0.usage.kernel_page_size": 4 * KB,
            "0.usage.mmu_page_size": 4 * KB,
            "0.usage.locked": 0,
            "0.usage.lazy_free": None,  # 4.12
            "0.usage.shmem_pmd_mapped": None,  # 4.8
            "0.usage.shared_hugetlb": None,  # 4.4
            "0.usage.swap_pss": None,  # 4.3
            "0.usage.thp_eligible": None,  # 5.0
            "0.usage.extra": {},
            "0.vm_flags": ("rd", "ex", "mr", "mw", "me", "dw"),
            "1.mapping.pathname": MMapPath("heap"),
            "1.usage.private_dirty": 1216 * KB,
            "1.usage.anonymous": 1216 * KB,
            "1.usage.swap": 8 * KB,
            "1.vm_flags": ("rd", "wr", "mr", "mw", "me", "ac"),
            "2.mapping.address": (0x7FFF5C3A1000, 0x7FFF5C3C2000),
            "2.mapping.pathname": MMapPath("stack"),
            "2.usage.size": 132 * KB,
            "2.usage.rss": 24 * KB,
            "2.vm_flags": ("rd", "wr", "mr", "mw", "me", "gd", "ac"),
        },
    ),
    (
        "smaps.linux-4.19.txt",
        "[pid]/smaps",
        {
            "0.mapping.address": (0x55D0C4A00000, 0x55D0C4B2E000),
            "0.mapping.dev": (8, 1),
            "0.mapping.pathname": MMapPath("path", "/usr/sbin/nginx"),
            "0.usage.size": 1208 * KB,
            "0.usage.rss": 1024 * KB,
            "0.usage.pss": 512 * KB,
            "0.usage.lazy_free": 0,
            "0.usage.shmem_pmd_mapped": 0,
            "0.usage.file_pmd_mapped": None,  # 5.4
            "0.usage.private_hugetlb": 0,
            "0.usage.swap_pss": 0,
            "0.usage.thp_eligible": None,  # 5.0
            "0.usage.protection_key": None,
            "0.usage.extra": {},
            "0.vm_flags": ("rd", "ex", "mr", "mw", "me", "dw", "sd"),
            "1.mapping.pathname": MMapPath("heap"),
            "1.usage.referenced": 380 * KB,
            "1.usage.swap": 16 * KB,
            "1.usage.swap_pss": 16 * KB,
            "2.mapping.perms": "rw-s",
            "2.mapping.pathname": MMapPath("path", "/SYSV00000000", True),
            "2.usage.rss": 2304 * KB,
            "2.usage.pss": 1152 * KB,
            "2.usage.shared_clean": 2304 * KB,
            "2.vm_flags": ("rd", "wr", "sh", "mr", "mw", "me", "ms", "sd"),
        },
    ),
    (
        "smaps.linux-5.10.txt",
        "[pid]/smaps",
        {
            "0.mapping.offset": 0x19D000,
            "0.mapping.dev": (0x103, 2),
            "0.mapping.pathname": MMapPath("path", "/usr/lib/postgresql/13/bin/postgres"),
            "0.usage.size": 5720 * KB,
            "0.usage.pss": 1396 * KB,
            "0.usage.file_pmd_mapped": 0,
            "0.usage.thp_eligible": False,
            "0.usage.pss_anon": None,  # smaps_rollup only
            "0.usage.extra": {},
            "1.mapping.address": (0x7F6C9A200000, 0x7F6C9A600000),
            "1.mapping.inode": 0,
            "1.mapping.pathname": MMapPath("anonymous"),
            "1.usage.size": 4096 * KB,
            "1.usage.rss": 2048 * KB,
            "1.usage.anon_huge_pages": 2048 * KB,
            "1.usage.thp_eligible": True,
            "1.vm_flags": ("rd", "wr", "mr", "mw", "me", "ac", "sd", "hg"),
            "2.mapping.pathname": MMapPath("stack"),
            "2.usage.private_dirty": 28 * KB,
            "2.usage.thp_eligible": False,
        },
    ),
    # --- [pid]/mountinfo --------------------------------------------------
    (
        "mountinfo.linux-3.10.txt",
        "[pid]/mountinfo",
        {
            "0.mount_id": 17,
            "0.parent_id": 39,
            "0.major": 0,
            "0.minor": 16,
            "0.mount_point": "/sys",
            "0.optional_fields": [MountOptionalField("shared", 6)],
            "0.fs_type": "sysfs",
            "0.super_options": {"rw": None, "seclabel": None},
            "2.mount_options": {"rw": None, "nosuid": None},
            "2.super_options": {
                "rw": None,
                "seclabel": None,
                "size": "1930600k",
                "nr_inodes": "482650",
                "mode": "755",
            },
            "3.mount_id": 39,
            "3.parent_id": 1,
            "3.major": 253,
            "3.root": "/",
            "3.mount_source": "/dev/mapper/centos-root",
            "3.optional_fields": [MountOptionalField("shared", 1)],
            "4.mount_options": {"rw": None, "relatime": None},
            "6.mount_id": 121,
            "6.parent_id": 95,
            "6.optional_fields": [
                MountOptionalField("shared", 49),
                MountOptionalField("master", 1),
            ],
            "6.fs_type": "tmpfs",
            "6.mount_source": "shm",
            "6.super_options": {"rw": None, "seclabel": None, "size": "65536k"},
        },
    ),
    (
        "mountinfo.linux-5.10.txt",
        "[pid]/mountinfo",
        {
            "2.mount_source": "udev",
            "3.major": 259,
            "3.minor": 2,
            "3.fs_type": "ext4",
            "3.super_options": {"rw": None, "errors": "remount-ro"},
            "4.fs_type": "cgroup2",
            "4.super_options": {"rw": None, "nsdelegate": None, "memory_recursiveprot": None},
            "5.mount_point": "/run/user/1000",
            "5.optional_fields": [MountOptionalField("shared", 329)],
            "5.super_options": {
                "rw": None,
                "size": "1630532k",
                "nr_inodes": "407633",
                "mode": "700",
                "uid": "1000",
                "gid": "1000",
            },
            "6.root": "/var/lib/postgresql",
            "6.mount_point": "/srv/pgdata",
            "6.optional_fields": [MountOptionalField("master", 1)],
            "7.optional_fields": [MountOptionalField("unbindable")],
            "7.mount_source": "none",
        },
    ),
]


def _field(record: object, path: str) -> object:
    value = record
    for step in path.split("."):
        value = value[int(step)] if step.isdigit() else getattr(value, step)  # type: ignore[index]
    return value


def _parse(name: str, key: str) -> object:
    path = SAMPLES / "generations" / name
    return PARSERS[key](path.read_bytes(), path=str(path))


@pytest.mark.parametrize(("name", "key", "expected"), CASES, ids=[case[0] for case in CASES])
def test_generation_sample(name: str, key: str, expected: dict[str, object]) -> None:
    record = _parse(name, key)
    for path, value in expected.items():
        got = _field(record, path)
        if isinstance(value, float):
            assert got == pytest.approx(value), path
        else:
            assert got == value, path


@pytest.mark.parametrize(("name", "key"), [case[:2] for case in CASES], ids=[c[0] for c in CASES])
def test_generation_sample_to_dict(name: str, key: str) -> None:
    record = _parse(name, key)
    rows = record if isinstance(record, list) else [record]
    assert rows
    for row in rows:
        assert isinstance(row, Record)
        data = row.to_dict()
        assert isinstance(data, dict)
        json.dumps(data)  # JSON-ready, and every lazily read field converts


def test_every_generation_sample_is_listed() -> None:
    on_disk = {path.name for path in (SAMPLES / "generations").iterdir()}
    assert on_disk == {case[0] for case in CASES}


def test_row_counts() -> None:
    counts = {name: len(r) for name, key, _ in CASES if isinstance(r := _parse(name, key), list)}
    assert counts == {
        "diskstats.linux-4.19.txt": 3,
        "diskstats.linux-5.10.txt": 3,
        "smaps.linux-3.10.txt": 3,
        "smaps.linux-4.19.txt": 3,
        "smaps.linux-5.10.txt": 3,
        "mountinfo.linux-3.10.txt": 7,
        "mountinfo.linux-5.10.txt": 8,
    }
