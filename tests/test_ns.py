"""/proc/[pid]/ns/*: link texts, namespace identity, and a process in another network namespace."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

import procfs
from procfs import ProcFS
from procfs.core import PARSERS, key_for
from procfs.core.ns import NAMESPACE_ENTRIES, Namespace, parse_namespace
from procfs.errors import ParseError
from tests.conftest import SAMPLES, sample
from tests.helpers import child


def test_registered_for_every_entry_and_thread() -> None:
    for name in NAMESPACE_ENTRIES:
        assert PARSERS[f"[pid]/ns/{name}"] is parse_namespace
        assert PARSERS[f"[pid]/task/[tid]/ns/{name}"] is parse_namespace
    assert key_for("123/ns/net") == "[pid]/ns/net"
    assert key_for("123/task/124/ns/pid_for_children") == "[pid]/task/[tid]/ns/pid_for_children"


def test_prometheus_samples() -> None:
    assert parse_namespace(sample("prometheus-fixtures/proc/26231/ns/net")) == Namespace(
        "net", 4026531993
    )
    assert parse_namespace(sample("prometheus-fixtures/proc/26231/ns/mnt")) == Namespace(
        "mnt", 4026531840
    )


def test_dev_machine_samples() -> None:
    # pid_for_children names the pid namespace: the text says "pid"
    ns = parse_namespace(sample("dev-machine/proc/15532/ns/pid_for_children"))
    assert ns == Namespace("pid", 4026531836)
    assert ns == parse_namespace(sample("dev-machine/proc/15532/ns/pid"))
    assert parse_namespace(sample("dev-machine/proc/15532/task/15542/ns/net")) == Namespace(
        "net", 4026531833
    )


@pytest.mark.parametrize(
    "data", [b"", b"net", b"net:4026", b"net:[abc]", b":[1]", b"net:[]", b"net:[1"]
)
def test_malformed(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_namespace(data)


def test_record() -> None:
    a = Namespace("net", 1, 4)
    assert a == Namespace("net", 1, 4)
    assert a != Namespace("net", 1, 5)  # same inode on another device: another namespace
    assert a.to_dict() == {"ns_type": "net", "inode": 1, "device": 4}


def test_live_inodes_and_devices_agree_with_os_stat() -> None:
    namespaces = procfs.Process.myself().namespaces()
    assert set(namespaces) <= set(NAMESPACE_ENTRIES) and "net" in namespaces
    for name, ns in namespaces.items():
        st = os.stat(f"/proc/self/ns/{name}")
        assert (ns.inode, ns.device) == (st.st_ino, st.st_dev), name
        assert os.readlink(f"/proc/self/ns/{name}") == f"{ns.ns_type}:[{ns.inode}]"
    assert namespaces["pid"] == namespaces.get("pid_for_children", namespaces["pid"])
    assert procfs.Process.myself().namespace("net") == namespaces["net"]
    with pytest.raises(procfs.NotFoundError):
        procfs.Process.myself().namespace("no-such-namespace")


def test_live_child_shares_our_namespaces() -> None:
    with child(b"nschild") as proc:
        theirs = procfs.Process(proc.pid).namespaces()
    ours = procfs.Process.myself().namespaces()
    assert theirs == ours


def test_captured_tree_has_no_devices() -> None:
    fs = ProcFS(SAMPLES / "dev-machine" / "proc")
    namespaces = fs.process(15532).namespaces()
    assert namespaces["net"] == Namespace("net", 4026531833, None)
    assert namespaces["pid_for_children"] == namespaces["pid"]
    assert len(namespaces) == len(os.listdir(SAMPLES / "dev-machine/proc/15532/ns"))
    task = fs.process(15532).task(15542)
    assert task.namespaces() == namespaces


def _in_new_netns() -> subprocess.Popen[bytes] | None:
    """``sleep`` in a network namespace of its own, or None if we may not make one."""
    try:
        proc = subprocess.Popen(["unshare", "--net", "sleep", "60"], stderr=subprocess.PIPE)
    except FileNotFoundError:
        return None
    ours = os.stat("/proc/self/ns/net").st_ino
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return None  # unshare failed (no CAP_SYS_ADMIN, no CONFIG_NET_NS)
        try:
            if os.stat(f"/proc/{proc.pid}/ns/net").st_ino != ours:
                with open(f"/proc/{proc.pid}/comm") as f:
                    comm = f.read().strip()
                if comm == "sleep":
                    return proc
        except OSError:
            pass
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    return None


def test_process_in_another_network_namespace() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    proc = _in_new_netns()
    if proc is None:
        listener.close()
        pytest.skip("cannot create a network namespace (unshare --net) here")
    try:
        other = procfs.Process(proc.pid)
        me = procfs.Process.myself()
        assert other.namespaces()["net"] != me.namespaces()["net"]
        assert other.namespaces()["mnt"] == me.namespaces()["mnt"]
        # our listener is in our table, and the new namespace has no socket at all
        assert any(e.local_address.port == port for e in me.net().tcp())
        assert any(e.local_address.port == port for e in procfs.tcp())
        assert other.net().tcp() == []
        assert other.net().tcp6() == []
        assert other.net().root == f"/proc/{proc.pid}"
    finally:
        listener.close()
        proc.kill()
        proc.wait()
    with pytest.raises(procfs.NotFoundError):
        other.net()  # the handle's process is gone
