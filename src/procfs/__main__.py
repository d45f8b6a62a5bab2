"""``python -m procfs``: the same as the ``procfs`` command."""

try:  # (first of all: Ctrl-C while the modules load ends the run without a traceback)
    import gc

    gc.disable()  # a short run that makes no reference cycles (see procfs.cli.main)

    from procfs.cli import leave, main

    status = main()
except KeyboardInterrupt:
    import os

    os._exit(130)
leave(status)  # flushes the output and ends without the interpreter's teardown
