"""``python -m procfs``: the same as the ``procfs`` command."""

from procfs.cli import main

raise SystemExit(main())
