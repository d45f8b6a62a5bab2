"""Prometheus collectors over procfs (needs the ``prometheus`` extra)."""
