"""``python -m procfs``: the same as the ``procfs`` command."""

import gc

gc.disable()  # a short run that makes no reference cycles (see procfs.cli.main)

try:
    from procfs.cli import leave, main

    status = main()
except KeyboardInterrupt:  # Ctrl-C while the modules load: no traceback
    import os

    os._exit(130)
leave(status)  # flushes the output and ends without the interpreter's teardown
