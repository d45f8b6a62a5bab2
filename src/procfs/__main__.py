"""``python -m procfs``: the same as the ``procfs`` command."""

import gc

gc.disable()  # a short run that makes no reference cycles (see procfs.cli.main)

from procfs.cli import main  # noqa: E402

status = main()
gc.freeze()  # the collection at exit need not walk the modules and what they hold
raise SystemExit(status)
