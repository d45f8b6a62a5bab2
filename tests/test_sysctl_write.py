"""Sysctl writes are exact or fail: one checked write(2), validated values, no symlinks.

Every write here goes to a fake root in a tmp directory, never to the live /proc/sys.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import procfs.proc_sys as live
from procfs import NotFoundError, PermissionDeniedError, ProcError, ProcFS

#: The files of the fake root, as the kernel would show them.
FILES = {
    "sys/kernel/pid_max": b"32768\n",
    "sys/kernel/domainname": b"(none)\n",
    "sys/kernel/sem": b"250\t32000\t32\t128\n",
    "sys/kernel/printk_ratelimit": b"-1\n",
    "sys/net/ipv4/ip_local_port_range": b"32768\t60999\n",
    "sys/net/ipv4/ip_local_reserved_ports": b"8080\n",  # a list: one port reads as one int
    "sys/vm/drop_caches": b"",
}


def make_root(path: Path) -> ProcFS:
    for relative, data in FILES.items():
        file = path / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    return ProcFS(path)


def contents(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (links not followed), to show that nothing changed."""
    out = {}
    for directory, _, names in os.walk(path):
        for name in names:
            file = Path(directory, name)
            if not file.is_symlink():
                out[str(file.relative_to(path))] = file.read_bytes()
    return out


# -- 1: one write(2), its count checked ---------------------------------------------------


@pytest.fixture
def short_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """Make ``os.write`` to a file under ``tmp_path`` take only 3 bytes; the lengths asked for."""
    real = os.write
    asked: list[int] = []

    def write(fd: int, data: bytes) -> int:
        if not os.readlink(f"/proc/self/fd/{fd}").startswith(str(tmp_path)):
            return real(fd, data)
        asked.append(len(data))
        return real(fd, bytes(data)[:3])

    monkeypatch.setattr(os, "write", write)
    return asked


def test_short_write_is_an_error(tmp_path: Path, short_writes: list[int]) -> None:
    fs = make_root(tmp_path)
    with pytest.raises(ProcError, match=r"3 of 12 bytes") as info:
        fs.sysctl("kernel.domainname", "example.org")
    assert not isinstance(info.value, (NotFoundError, PermissionDeniedError))
    assert "kernel.domainname" in str(info.value)
    # one write: the rest was not sent as a second value
    assert short_writes == [12]
    assert (tmp_path / "sys/kernel/domainname").read_bytes() == b"exa"


def test_procfs_write_is_one_checked_write(tmp_path: Path, short_writes: list[int]) -> None:
    fs = make_root(tmp_path)
    with pytest.raises(ProcError, match=r"3 of 6 bytes"):
        fs.write("sys/kernel/domainname", b"abcde\n")
    assert short_writes == [6]


def test_whole_write_is_one_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fs = make_root(tmp_path)
    real = os.write
    sent: list[bytes] = []

    def write(fd: int, data: bytes) -> int:
        sent.append(bytes(data))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)
    fs.sysctl("net.ipv4.ip_local_port_range", [1024, 65000])
    fs.write("sys/kernel/domainname", b"x\n")
    monkeypatch.undo()
    assert sent == [b"1024\t65000\n", b"x\n"]


# -- 3: no symbolic link below the root is followed -----------------------------------------


def test_symlinked_file_is_not_followed(tmp_path: Path) -> None:
    fs = make_root(tmp_path / "root")
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious\n")
    (tmp_path / "root/sys/kernel/x").symlink_to(victim)
    for value in (1, "1", b"evil", [1, 2]):
        with pytest.raises(ProcError, match="symbolic link") as info:
            fs.sysctl("kernel.x", value)
        assert not isinstance(info.value, NotFoundError)
        assert "kernel.x" in str(info.value)
    assert victim.read_bytes() == b"precious\n"


def test_symlinked_directory_is_not_followed(tmp_path: Path) -> None:
    fs = make_root(tmp_path / "root")
    outside = tmp_path / "outside"
    (outside / "ipv4").mkdir(parents=True)
    (outside / "ipv4/ip_forward").write_bytes(b"0\n")
    (tmp_path / "root/sys/net/ipv6").symlink_to(outside)
    with pytest.raises(ProcError, match="symbolic link"):
        fs.sysctl("net.ipv6.ipv4.ip_forward", 1)
    assert (outside / "ipv4/ip_forward").read_bytes() == b"0\n"
    # nor is sys itself
    other = make_root(tmp_path / "other")
    os.rename(tmp_path / "other/sys", tmp_path / "other-sys")
    (tmp_path / "other/sys").symlink_to(tmp_path / "other-sys")
    with pytest.raises(ProcError, match="symbolic link"):
        other.sysctl("kernel.pid_max", 1000)
    assert (tmp_path / "other-sys/kernel/pid_max").read_bytes() == b"32768\n"


def test_link_inside_sys_is_refused_too(tmp_path: Path) -> None:
    fs = make_root(tmp_path)
    (tmp_path / "sys/kernel/alias").symlink_to("pid_max")
    with pytest.raises(ProcError, match="symbolic link"):
        fs.sysctl("kernel.alias", 1000)
    assert contents(tmp_path) == FILES


def test_root_reached_through_a_link_is_fine(tmp_path: Path) -> None:
    make_root(tmp_path / "real")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    ProcFS(tmp_path / "link").sysctl("kernel.pid_max", 1000)
    assert (tmp_path / "real/sys/kernel/pid_max").read_bytes() == b"1000\n"


def test_missing_and_directory_on_write(tmp_path: Path) -> None:
    fs = make_root(tmp_path)
    with pytest.raises(NotFoundError, match=r"'kernel\.nope'"):
        fs.sysctl("kernel.nope", 1)
    with pytest.raises(NotFoundError, match=r"'kernel\.nope\.x'"):
        fs.sysctl("kernel.nope.x", 1)
    with pytest.raises(NotFoundError, match=r"'kernel\.pid_max\.x'"):
        fs.sysctl("kernel.pid_max.x", 1)  # a file where a directory would be
    with pytest.raises(ProcError, match="directory"):
        fs.sysctl("kernel", 1)
    assert not (tmp_path / "sys/kernel/nope").exists()
    assert contents(tmp_path) == FILES


# -- 2: one line, no NUL; no more fields than the setting holds integers -------------------------


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("kernel.pid_max", "70\n99", "more than one line"),
        ("kernel.pid_max", b"70\n99\n", "more than one line"),
        ("kernel.pid_max", "70\n\n", "more than one line"),
        ("kernel.domainname", "good\nEVIL", "more than one line"),
        ("kernel.domainname", b"good\nEVIL", "more than one line"),
        ("kernel.domainname", "good\x00EVIL", "NUL"),
        ("kernel.domainname", b"good\x00", "NUL"),
        ("kernel.pid_max", "71 99", "holds 1 integer; '71 99' is 2 values"),
        ("kernel.pid_max", b"71\t99", "is 2 values"),
        ("kernel.pid_max", b"71\r99\n", "is 2 values"),
        ("kernel.pid_max", b"71\xa099", "is 2 values"),  # the kernel's isspace(0xa0)
        ("kernel.pid_max", [71, 99], "is 2 values"),
        ("kernel.printk_ratelimit", "-1 -1", "is 2 values"),
        ("kernel.sem", "1 2 3 4 5", "holds 4 integers; '1 2 3 4 5' is 5 values"),
        ("kernel.sem", range(5), "is 5 values"),
        ("net.ipv4.ip_local_port_range", [1, 2, 3], "holds 2 integers"),
    ],
)
def test_value_refused_before_writing(
    tmp_path: Path, name: str, value: live.SysctlInput, problem: str
) -> None:
    fs = make_root(tmp_path)
    with pytest.raises(ValueError, match=problem) as info:
        fs.sysctl(name, value)
    assert not isinstance(info.value, ProcError)
    assert name in str(info.value)
    assert contents(tmp_path) == FILES


@pytest.mark.parametrize(
    ("name", "value", "written"),
    [
        ("kernel.pid_max", "70\n", b"70\n"),  # the caller's newline is not doubled
        ("kernel.pid_max", b"70", b"70\n"),
        ("kernel.pid_max", 4194304, b"4194304\n"),
        ("kernel.pid_max", [70], b"70\n"),
        ("kernel.pid_max", True, b"1\n"),
        ("kernel.pid_max", "0x10", b"0x10\n"),  # one field: the kernel reads it (as 16)
        ("kernel.pid_max", " 70 ", b" 70 \n"),
        ("kernel.pid_max", "", b"\n"),  # no field: the kernel refuses it (EINVAL)
        ("kernel.sem", [1, 2], b"1\t2\n"),  # fewer: the kernel sets the first two
        ("net.ipv4.ip_local_reserved_ports", "8080,9000-9100", b"8080,9000-9100\n"),
        ("kernel.printk_ratelimit", "-5", b"-5\n"),
        ("kernel.printk_ratelimit", -(2**63), b"-9223372036854775808\n"),
        ("kernel.printk_ratelimit", 2**64 - 1, b"18446744073709551615\n"),
        ("kernel.domainname", "new name", b"new name\n"),
        ("kernel.domainname", "", b"\n"),
        ("kernel.domainname", "caf\xe9", b"caf\xc3\xa9\n"),
        ("kernel.domainname", "caf\udce9", b"caf\xe9\n"),  # os.fsdecode's form of b"caf\xe9"
        ("kernel.domainname", bytearray(b"x"), b"x\n"),
        ("kernel.domainname", memoryview(b"y\n"), b"y\n"),
        ("kernel.sem", "1 2 3 4", b"1 2 3 4\n"),
        ("kernel.sem", (1, 2, 3, 4), b"1\t2\t3\t4\n"),
        ("net.ipv4.ip_local_port_range", "1024 65000\n", b"1024 65000\n"),
        ("net.ipv4.ip_local_port_range", range(1024, 1026), b"1024\t1025\n"),
        ("vm.drop_caches", 3, b"3\n"),  # the current value is unknown: not checked
    ],
)
def test_value_written(tmp_path: Path, name: str, value: live.SysctlInput, written: bytes) -> None:
    fs = make_root(tmp_path)
    assert fs.sysctl(name, value) is None
    assert (tmp_path / live.sysctl_path(name)).read_bytes() == written


# -- 4: wrong values are ValueError or TypeError, with a clear message --------------------------


@pytest.mark.parametrize(
    ("value", "error", "problem"),
    [
        (1.5, TypeError, "must be int, str, bytes or a sequence of ints, not float"),
        ({1: 2}, TypeError, "not dict"),
        ({1, 2}, TypeError, "not set"),
        ([1, True], TypeError, "a sequence of ints, not one holding bool"),
        ([1, 1.5], TypeError, "not one holding float"),
        ([1, "2"], TypeError, "not one holding str"),
        ([], ValueError, "empty sequence"),
        pytest.param(10**5000, ValueError, "too large", id="10**5000"),
        pytest.param(-(10**5000), ValueError, "too large", id="-10**5000"),
        (2**64, ValueError, "too large"),
        (-(2**64), ValueError, "too large"),
        pytest.param([1, 10**5000], ValueError, "too large", id="[1, 10**5000]"),
        ("\ud800", ValueError, "cannot be encoded"),
    ],
)
def test_invalid_value(tmp_path: Path, value: object, error: type[Exception], problem: str) -> None:
    fs = make_root(tmp_path)
    for name in ("kernel.sem", "kernel.domainname"):
        with pytest.raises(error, match=problem) as info:
            fs.sysctl(name, value)  # type: ignore[arg-type]
        assert not isinstance(info.value, ProcError)
        assert name in str(info.value)
    assert contents(tmp_path) == FILES


# -- 4: wrong names are ValueError or TypeError, with a clear message ---------------------------


@pytest.mark.parametrize(
    "name",
    [
        "",
        " ",
        "kernel.",
        ".kernel",
        "kernel..pid_max",
        "kernel.pid\x00max",
        "kernel/pid_max\x00",
        "../1/environ",
        "kernel/../../1",
        "kernel/./pid_max",
        "/kernel/pid_max",
        "/proc/sys/",
        "/proc/sys//kernel",
        "kernel//pid_max",
    ],
)
def test_invalid_name(tmp_path: Path, name: str) -> None:
    fs = make_root(tmp_path)
    for call in (
        lambda: live.sysctl_path(name),
        lambda: fs.sysctl(name),
        lambda: fs.sysctl(name, 1),
    ):
        with pytest.raises(ValueError, match="invalid sysctl name") as info:
            call()
        assert not isinstance(info.value, ProcError)
        assert repr(name) in str(info.value)
    assert contents(tmp_path) == FILES


def test_name_must_be_a_str(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="a sysctl name must be a str, not bytes"):
        make_root(tmp_path).sysctl(b"kernel.pid_max")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="invalid sysctl name"):
        make_root(tmp_path).sysctl_names("kernel\x00")
