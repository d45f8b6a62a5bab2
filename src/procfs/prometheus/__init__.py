"""Prometheus metrics from procfs (needs the ``prometheus`` extra: ``prometheus_client``).

- :mod:`procfs.prometheus.node`: :class:`~procfs.prometheus.node.NodeCollector`,
  node_exporter's node families.
- :mod:`procfs.prometheus.exposition`: the text format, written faster.
- :mod:`procfs.prometheus.process_groups`: process-exporter's ``namedprocess_namegroup_*``
  families, configured by its YAML.
- :mod:`procfs.prometheus.process_self`: the standard ``process_*`` self metrics.
- ``procfs exporter`` (:mod:`procfs.cli.exporter`) serves them over HTTP.

Each is imported on first use: ``import procfs.prometheus`` alone loads nothing
of ``prometheus_client``.
"""

from __future__ import annotations
