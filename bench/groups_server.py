"""Serve procfs's process groups over HTTP, as process-exporter does, for the benchmark.

``python bench/groups_server.py CONFIG PORT SECONDS [--no-smaps]``: a fresh registry with
only :class:`procfs.prometheus.process_groups.ProcessGroupCollector` of the
process-exporter configuration ``CONFIG``, on ``127.0.0.1:PORT``; prints
``ready`` once it serves, and exits after ``SECONDS`` or with its parent.
``--no-smaps`` is process-exporter's ``-gather-smaps=false``.
"""

from __future__ import annotations

import os
import sys
import time


def main(argv: list[str]) -> int:
    config, port, seconds = argv[0], int(argv[1]), float(argv[2])
    import signal

    from load import _die_with_parent  # (bench/ is on the path: this file's directory)
    from prometheus_client import CollectorRegistry, start_http_server

    from procfs.prometheus.process_groups import ProcessGroupCollector

    _die_with_parent(signal.SIGTERM, os.getppid())
    registry = CollectorRegistry()
    smaps = "--no-smaps" not in argv[3:]
    registry.register(ProcessGroupCollector.from_file(config, gather_smaps=smaps))
    start_http_server(port, addr="127.0.0.1", registry=registry)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    time.sleep(seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
