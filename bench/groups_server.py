"""Serve procfs's process groups over HTTP, as process-exporter does, for the benchmark.

``python bench/groups_server.py CONFIG PORT SECONDS [--no-smaps]``: only
:class:`procfs.prometheus.process_groups.ProcessGroupCollector` of the
process-exporter configuration ``CONFIG``, on ``127.0.0.1:PORT``, written by
:func:`procfs.prometheus.exposition.text` as ``procfs exporter`` serves it
(prometheus_client's ``generate_latest`` takes 1.8 ms more for these 400
samples); prints ``ready`` once it serves, and exits after ``SECONDS`` or with
its parent. ``--no-smaps`` is process-exporter's ``-gather-smaps=false``.
"""

from __future__ import annotations

import os
import sys
import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def main(argv: list[str]) -> int:
    config, port, seconds = argv[0], int(argv[1]), float(argv[2])
    import signal
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from load import _die_with_parent  # (bench/ is on the path: this file's directory)

    from procfs.prometheus.exposition import CONTENT_TYPE, text
    from procfs.prometheus.process_groups import ProcessGroupCollector

    _die_with_parent(signal.SIGTERM, os.getppid())
    collector = ProcessGroupCollector.from_file(config, gather_smaps="--no-smaps" not in argv[3:])

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = text(collector.collect())
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [body]

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", port, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    threading.Event().wait(seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
