"""``procfs exporter``: serve node_exporter's node metrics (and process groups) over HTTP.

A Prometheus exporter with node_exporter's flags where they matter: the
collectors of :mod:`procfs.prometheus.node` (``--collector.NAME``,
``--no-collector.NAME``, ``--collector.disable-defaults``), their include and
exclude patterns, ``--web.listen-address`` and ``--web.telemetry-path``; and
``--config.path``, a process-exporter configuration whose process groups are
exported too. A WSGI application on the standard library's threaded WSGI
server; it writes the text format with :mod:`procfs.prometheus.exposition`
(``prometheus_client``'s writer was a third of a scrape's CPU: measured there)
from the ``prometheus_client`` registry. SIGTERM or SIGINT stop it (status 0).
Needs the ``prometheus`` extra (``pip install 'pyprocfs[prometheus]'``).
"""

from __future__ import annotations

import signal
import sys

from procfs.cli import UsageError, fail, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from prometheus_client import CollectorRegistry
    from prometheus_client.metrics_core import Metric

__all__ = ["DEFAULT_LISTEN_ADDRESS", "main", "parse_listen_address"]

#: Loopback only by default (node_exporter listens on every address, ``:9100``);
#: the same port, as a drop-in replacement. ``:9100`` listens everywhere.
DEFAULT_LISTEN_ADDRESS = "127.0.0.1:9100"

# option -> NodeCollector keyword
_PATTERNS = {
    "--collector.diskstats.device-exclude": "diskstats_device_exclude",
    "--collector.diskstats.device-include": "diskstats_device_include",
    "--collector.netdev.device-exclude": "netdev_device_exclude",
    "--collector.netdev.device-include": "netdev_device_include",
    "--collector.arp.device-exclude": "arp_device_exclude",
    "--collector.arp.device-include": "arp_device_include",
    "--collector.vmstat.fields": "vmstat_fields",
    "--collector.netstat.fields": "netstat_fields",
    "--collector.filesystem.mount-points-exclude": "filesystem_mount_points_exclude",
    "--collector.filesystem.fs-types-exclude": "filesystem_fs_types_exclude",
    "--collector.cpu.info.flags-include": "cpu_info_flags_include",
    "--collector.cpu.info.bugs-include": "cpu_info_bugs_include",
    "--collector.interrupts.name-include": "interrupts_name_include",
    "--collector.interrupts.name-exclude": "interrupts_name_exclude",
    "--path.procfs": "root",
    "--path.sysfs": "sys_root",
    "--path.rootfs": "rootfs",
}


# --[no-]collector.X -> (NodeCollector keyword, default)
_SWITCHES = {
    "cpu.guest": ("cpu_guest", True),
    "cpu.info": ("cpu_info", False),
    "stat.softirq": ("stat_softirq", False),
    "interrupts.include-zeros": ("interrupts_include_zeros", True),
}


#: How to get what the exporter needs.
_NEEDS = "pip install 'pyprocfs[prometheus]'"


def _usage(names: Iterable[str], defaults: set[str], missing: str = "") -> str:
    """The help text; ``missing``, when prometheus_client is missing, stands for the
    list of collectors (which is known only with it)."""
    listed = missing or "\n".join(
        f"  --[no-]collector.{name:<12} {'on' if name in defaults else 'off'} by default"
        for name in names
    )
    return f"""\
usage: procfs exporter [OPTIONS]

  --web.listen-address ADDR   host:port to listen on (default {DEFAULT_LISTEN_ADDRESS};
                              ':PORT' for every address, port 0: any free one)
  --web.telemetry-path PATH   where the metrics are (default /metrics)
  --web.disable-exporter-metrics
                              leave out its own process_* and python_* metrics
  --once                      print one scrape on the standard output and exit
  --config.path FILE          export the groups of a process-exporter YAML file
  --collector.disable-defaults
                              start with no collector on; enable them one by one
  --path.procfs, --path.sysfs, --path.rootfs DIR
                              where /proc, /sys and / are (default: those)
  --[no-]collector.cpu.guest  node_cpu_guest_seconds_total (default on)
  --[no-]collector.cpu.info   node_cpu_info, node_cpu_frequency_hertz (off)
  --collector.cpu.info.flags-include|bugs-include REGEX
                              node_cpu_flag_info, node_cpu_bug_info (first CPU)
  --[no-]collector.stat.softirq
                              node_softirqs_total (default off)
  --collector.interrupts.name-include|name-exclude REGEX
  --[no-]collector.interrupts.include-zeros (default on)
  --collector.diskstats.device-exclude|device-include REGEX
  --collector.netdev.device-exclude|device-include REGEX
  --collector.arp.device-exclude|device-include REGEX
  --collector.vmstat.fields REGEX, --collector.netstat.fields REGEX
  --collector.filesystem.mount-points-exclude REGEX
  --collector.filesystem.fs-types-exclude REGEX
                              node_exporter's flags of these names and defaults
collectors:
{listed}
"""


def parse_listen_address(text: str) -> tuple[str, int]:
    """``host:port``, ``:port`` (every address) or ``[v6]:port`` as ``(host, port)``.

    Raises ValueError when it is none of these.
    """
    host, colon, port = text.rpartition(":")
    if not colon or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"--web.listen-address wants HOST:PORT, not {text!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


_LANDING = """<!DOCTYPE html>
<html><head><title>procfs exporter</title></head>
<body><h1>procfs exporter</h1>
<p>node_exporter's node metrics, read by pyprocfs.</p>
<p><a href="{path}">Metrics</a></p>
<p>Collectors: {collectors}</p>
</body></html>
"""


def _app(
    registry: CollectorRegistry, path: str, landing: bytes
) -> Callable[[dict[str, Any], Callable[..., Any]], list[bytes]]:
    """The WSGI application: the metrics at ``path`` (text format 0.0.4, gzipped when
    asked, ``name[]`` selecting families as prometheus_client's), ``landing`` at ``/``."""
    import gzip
    from urllib.parse import parse_qs

    from procfs.prometheus.exposition import CONTENT_TYPE, text

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        where = environ.get("PATH_INFO") or "/"
        if where == path:
            names = parse_qs(environ.get("QUERY_STRING", "")).get("name[]")
            families = registry.collect()
            if names:
                # (prometheus_client's restricted_registry finds collectors by the
                # names describe() gave; the node collector describes none)
                families = _only(families, set(names))
            body = text(families)
            headers = [("Content-Type", CONTENT_TYPE)]
            if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
                body = gzip.compress(body, compresslevel=6)
                headers.append(("Content-Encoding", "gzip"))
            start_response("200 OK", headers)
            return [body]
        if where == "/":
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [landing]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found\n"]

    return app


def _only(families: Iterable[Metric], names: set[str]) -> Iterator[Metric]:
    """The families with samples named in ``names``, with those samples only."""
    for metric in families:
        samples = [sample for sample in metric.samples if sample.name in names]
        if samples:
            metric.samples = samples
            yield metric


def _serve(host: str, port: int, app: Callable[..., list[bytes]]) -> int:
    import socket
    import threading
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    class Quiet(WSGIRequestHandler):
        # Buffered: the status line, headers and body leave in one send rather
        # than one per line (6 sendall calls a response otherwise).
        wbufsize = 1 << 16

        def log_message(self, format: str, *args: Any) -> None:
            pass

    if not host:
        host = "::" if socket.has_ipv6 else "0.0.0.0"
        Server.address_family = socket.AF_INET6 if host == "::" else socket.AF_INET
    try:
        server = make_server(host, port, app, server_class=Server, handler_class=Quiet)
    except OSError as exc:
        sys.stderr.write(
            f"procfs exporter: cannot listen on {host}:{port}: {exc.strerror or exc}\n"
        )
        return 1
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"procfs exporter: listening on http://{shown}:{server.server_port}/\n")
    sys.stderr.flush()

    def stop(signum: int, frame: object) -> None:
        # serve_forever() ends at its next poll once shutdown() is asked, which
        # waits for that: from another thread. (Raising here instead could land
        # inside a request's thread start, where socketserver swallows it.)
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
    return 0


def _collector_choice(args: Sequence[str], names: list[str], defaults: set[str]) -> list[str]:
    """The collectors on after ``--collector.disable-defaults`` and the
    ``--[no-]collector.NAME`` flags, in the table's order."""
    chosen = set() if "--collector.disable-defaults" in args else set(defaults)
    for arg in args:
        if arg.startswith("--collector.") and arg[12:] in names:
            chosen.add(arg[12:])
        elif arg.startswith("--no-collector.") and arg[15:] in names:
            chosen.discard(arg[15:])
    return [name for name in names if name in chosen]


def main(argv: Sequence[str]) -> int:
    """Run ``procfs exporter``; returns the exit status."""
    import gc

    # ``procfs`` turns the cyclic collector off for its short commands; a server
    # lives long and its exceptions (tracebacks) make cycles: on again.
    gc.enable()
    try:
        from procfs.prometheus import node
    except ImportError as exc:
        if "-h" in argv or "--help" in argv:  # (the help needs no prometheus_client)
            sys.stdout.write(_usage((), set(), f"  (known once it is installed: {_NEEDS})"))
            return 0
        sys.stderr.write(f"procfs exporter: needs prometheus_client ({exc}): {_NEEDS}\n")
        return 1
    names = list(node.COLLECTORS)
    defaults = set(node.default_collectors())
    usage = _usage(names, defaults)
    flags = [
        *("-h", "--help", "--once"),
        *("--collector.disable-defaults", "--web.disable-exporter-metrics"),
    ]
    for name in [*names, *_SWITCHES]:
        flags += [f"--collector.{name}", f"--no-collector.{name}"]
    options = ["--web.listen-address", "--web.telemetry-path", "--config.path", *_PATTERNS]
    try:
        opts = parse(argv, flags, options)
        if opts.has("-h", "--help"):
            sys.stdout.write(usage)
            return 0
        host, port = parse_listen_address(
            opts.value("--web.listen-address") or DEFAULT_LISTEN_ADDRESS
        )
        path = opts.value("--web.telemetry-path") or "/metrics"
        if not path.startswith("/") or path == "/":
            raise UsageError(f"--web.telemetry-path must start with / and not be /: {path!r}")
        chosen = _collector_choice(argv, names, defaults)
        keywords: dict[str, Any] = {
            keyword: opts.value(option)
            for option, keyword in _PATTERNS.items()
            if opts.value(option) is not None
        }
        for switch, (keyword, default) in _SWITCHES.items():
            on, off = f"--collector.{switch}", f"--no-collector.{switch}"
            given = [arg for arg in argv if arg in (on, off)]
            keywords[keyword] = given[-1] == on if given else default
        collector = node.NodeCollector(chosen, **keywords)
    except (UsageError, ValueError) as exc:
        return fail("exporter", str(exc), usage)

    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    if not opts.has("--web.disable-exporter-metrics"):
        from prometheus_client import GC_COLLECTOR, PLATFORM_COLLECTOR, PROCESS_COLLECTOR

        for own in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            registry.register(own)
    config = opts.value("--config.path")
    if config is not None:
        status = _register_groups(registry, config)
        if status:
            return status
    if opts.has("--once"):
        from procfs.prometheus.exposition import text

        sys.stdout.buffer.write(text(registry.collect()))
        sys.stdout.flush()
        return 0
    landing = _LANDING.format(path=path, collectors=", ".join(chosen) or "none").encode()
    return _serve(host, port, _app(registry, path, landing))


def _register_groups(registry: CollectorRegistry, config: str) -> int:
    """Register the process groups of the process-exporter configuration ``config``.

    The groups come from :mod:`procfs.prometheus.process_groups`, written
    separately; without it this says so and fails (status 1).
    """
    import importlib

    try:
        groups = importlib.import_module("procfs.prometheus.process_groups")
    except ImportError:
        sys.stderr.write(
            "procfs exporter: --config.path needs procfs.prometheus.process_groups,"
            " which this installation lacks\n"
        )
        return 1
    try:
        registry.register(groups.ProcessGroupCollector.from_file(config))
    except Exception as exc:  # whatever the configuration's reader raises: say it, exit 1
        sys.stderr.write(f"procfs exporter: {config}: {exc}\n")
        return 1
    return 0
