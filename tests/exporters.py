"""Helpers for the exporter tests and the bench: start the real things on free ports.

``procfs exporter``, Debian's ``prometheus-node-exporter`` and ``prometheus``
are started as child processes on free loopback ports (each with its own
temporary directory) and stopped by their pid.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

NODE_EXPORTER = "prometheus-node-exporter"
PROMETHEUS = "prometheus"
PROMTOOL = "promtool"

#: The collectors both node_exporter (1.5 and later) and procfs exporter have,
#: on by default in both.
SHARED_DEFAULTS = (
    "arp",
    "conntrack",
    "cpu",
    "diskstats",
    "entropy",
    "filefd",
    "filesystem",
    "loadavg",
    "meminfo",
    "netdev",
    "netstat",
    "os",
    "pressure",
    "schedstat",
    "sockstat",
    "softnet",
    "stat",
    "time",
    "uname",
    "vmstat",
)

# Loopback requests must not go through a proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def tool(name: str) -> str | None:
    """The path of the program ``name`` (also in /usr/bin and /usr/sbin), or None."""
    return shutil.which(name) or shutil.which(name, path="/usr/bin:/usr/sbin:/bin")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 10.0) -> bytes:
    """The body of a GET of ``url`` (no proxy)."""
    with _OPENER.open(url, timeout=timeout) as response:
        body: bytes = response.read()
        return body


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Poll ``url`` until it answers; fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with status {proc.returncode}")
        try:
            fetch(url, timeout=2.0)
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> int:
    """SIGTERM ``proc`` (by its pid) and wait for it; its exit status."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout)
    return proc.returncode


def node_exporter_has(flag: str) -> bool:
    """Whether the installed node_exporter knows ``flag`` (its version may be old)."""
    path = tool(NODE_EXPORTER)
    if path is None:
        return False
    text = subprocess.run([path, "--help"], capture_output=True, text=True, check=False)
    return flag in text.stdout + text.stderr


@contextlib.contextmanager
def node_exporter(
    collectors: Sequence[str], extra: Sequence[str] = ()
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """node_exporter with only ``collectors`` on; yields its metrics URL and process."""
    path = tool(NODE_EXPORTER)
    assert path is not None
    port = free_port()
    args = [path, f"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults"]
    args += [f"--collector.{name}" for name in collectors]
    for flag in ("--no-collector.netdev.netlink", "--no-collector.arp.netlink"):
        if node_exporter_has(flag.replace("--no-", "--")):
            args.append(flag)
    args += list(extra)
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        wait_until_up(url, proc)
        yield url, proc
    finally:
        stop(proc)


def exporter_command(
    port: int, collectors: Sequence[str] | None, extra: Sequence[str] = ()
) -> list[str]:
    """The command line of ``procfs exporter`` on ``port`` with only ``collectors`` on."""
    args = [sys.executable, "-m", "procfs", "exporter", f"--web.listen-address=127.0.0.1:{port}"]
    if collectors is not None:
        args.append("--collector.disable-defaults")
        args += [f"--collector.{name}" for name in collectors]
    return args + list(extra)


@contextlib.contextmanager
def procfs_exporter(
    collectors: Sequence[str] | None = None, extra: Sequence[str] = ()
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``procfs exporter`` with only ``collectors`` on; yields its metrics URL and process."""
    port = free_port()
    proc = subprocess.Popen(
        exporter_command(port, collectors, extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/metrics"
    try:
        wait_until_up(url, proc)
        yield url, proc
    finally:
        stop(proc)
        if proc.stderr:
            proc.stderr.close()


@contextlib.contextmanager
def prometheus_server(targets: Sequence[str], workdir: Path) -> Iterator[str]:
    """A Prometheus server scraping ``targets`` (host:port) every second; yields its URL."""
    path = tool(PROMETHEUS)
    assert path is not None
    port = free_port()
    config = workdir / "prometheus.yml"
    listed = ", ".join(f"'{target}'" for target in targets)
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        f"scrape_configs:\n  - job_name: procfs\n    static_configs:\n      - targets: [{listed}]\n"
    )
    args = [
        path,
        f"--config.file={config}",
        f"--storage.tsdb.path={workdir / 'data'}",
        f"--web.listen-address=127.0.0.1:{port}",
    ]
    log = (workdir / "prometheus.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/-/ready", proc, timeout=60.0)
        yield url
    finally:
        stop(proc, timeout=30.0)
        log.close()
