"""``procfs pkill``: signal processes selected as ``procfs pgrep`` selects them (see there)."""

from __future__ import annotations

from procfs.cli.pgrep import PKILL_OPTIONS as OPTIONS
from procfs.cli.pgrep import PKILL_USAGE as USAGE
from procfs.cli.pgrep import pkill_main as main

__all__ = ["OPTIONS", "USAGE", "main"]
