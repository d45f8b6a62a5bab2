"""Seed inputs for every registered parser: live files, project samples and the corpus."""

from __future__ import annotations

import os
from pathlib import Path

from procfs.core import key_for
from tests.conftest import CORPUS, PROMETHEUS_PROC, SAMPLES


def _live_path(key: str) -> str:
    pid = str(os.getpid())
    return "/proc/" + key.replace("[pid]", "self").replace("[tid]", pid).replace("[fd]", "0")


def live_seed(key: str) -> bytes | None:
    """The content of ``key``'s file on this machine, if it can be read."""
    path = _live_path(key)
    try:
        if key.endswith("/fd/[fd]"):
            return os.fsencode(os.readlink(path))
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


#: Files of the prometheus tree that are broken on purpose (relative to its root).
BROKEN = frozenset(
    {"net/udp_broken", "crypto_corrupted", "net/softnet_stat.broken", "26233/schedstat"}
)


def tree_seeds(root: Path) -> dict[str, list[tuple[Path, bytes]]]:
    """Every file under a captured procfs tree, grouped by registry key.

    Files broken on purpose (:data:`BROKEN`) are left out.
    """
    out: dict[str, list[tuple[Path, bytes]]] = {}
    if not root.is_dir():
        return out
    for directory, _, files in os.walk(root):
        for name in files:
            path = Path(directory, name)
            relative = str(path.relative_to(root))
            if root.name == "proc" and relative in BROKEN and "prometheus" in str(root):
                continue
            key = key_for(relative)
            out.setdefault(key, []).append((path, path.read_bytes()))
    return out


def all_seeds(key: str) -> list[bytes]:
    """Every input known for ``key``: live, the project's samples, the corpus."""
    seeds = []
    live = live_seed(key)
    if live is not None:
        seeds.append(live)
    for root in (*sorted(SAMPLES.glob("*/proc")), PROMETHEUS_PROC):
        seeds.extend(data for _, data in tree_seeds(root).get(key, []))
    return seeds or [b""]


def regression_seeds(key: str) -> list[bytes]:
    """Inputs that once broke the parser of ``key`` (``tests/samples/regressions``)."""
    directory = SAMPLES / "regressions" / key.replace("/", "__")
    return [path.read_bytes() for path in sorted(directory.glob("*"))] if directory.is_dir() else []


__all__ = ["BROKEN", "CORPUS", "all_seeds", "live_seed", "regression_seeds", "tree_seeds"]
