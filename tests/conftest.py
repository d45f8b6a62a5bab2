"""Shared test fixtures: where the samples live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: Samples kept in the project itself (always present).
SAMPLES = Path(__file__).parent / "samples"

#: The shared corpus of captured /proc trees, beside the checkout (absent in a user's clone).
CORPUS = Path(
    os.environ.get("PYPROCFS_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)

#: The prometheus/procfs fixture tree, usable as a ProcFS root.
PROMETHEUS_PROC = CORPUS / "prometheus-fixtures" / "fixtures" / "proc"

#: The samples copied from the Rust crate's tests.
RUST_SAMPLES = CORPUS / "rust-procfs-samples"


def corpus_path(path: Path) -> Path:
    """``path`` if it exists, else skip the calling test (the corpus is optional)."""
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path


def sample(relative: str) -> bytes:
    """The bytes of a sample under tests/samples/."""
    return (SAMPLES / relative).read_bytes()
