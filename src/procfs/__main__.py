"""``python -m procfs``: the same as the ``procfs`` command."""

import gc

gc.disable()  # a short run that makes no reference cycles (see procfs.cli.main)

from procfs.cli import leave, main  # noqa: E402

leave(main())  # flushes the output and ends without the interpreter's teardown
