"""The exceptions pyprocfs raises.

Every error that comes out of the library is a :class:`ProcError`. The three
kinds a caller usually tells apart are also the matching built-in exceptions,
so ``except FileNotFoundError`` or ``except ValueError`` keep working:

* :class:`NotFoundError` (a :class:`FileNotFoundError`): the file, or the
  process, is not there (ENOENT, ESRCH, or a pid that now names another
  process).
* :class:`PermissionDeniedError` (a :class:`PermissionError`): the kernel
  refused the read (EACCES, EPERM).
* :class:`ParseError` (a :class:`ValueError`): the bytes do not have the
  format the parser expects. It carries the path and the offending line.

One more kind says nothing about the process or the file:

* :class:`ResourceLimitError` (an :class:`OSError`): the calling process ran
  out of file descriptors (EMFILE: its RLIMIT_NOFILE; ENFILE: the system's
  table), even after the library closed the descriptors it keeps. The
  process read may well be alive: code that skips processes that are gone
  should catch :class:`NotFoundError`, not every :class:`ProcError`.

And one says only that time ran out:

* :class:`TimeoutExpired` (a :class:`TimeoutError`): a wait for a process to
  exit (:meth:`procfs.Process.wait`) gave up after its timeout; the process
  is still running.
"""

from __future__ import annotations

import errno as _errno

__all__ = [
    "NotFoundError",
    "ParseError",
    "PermissionDeniedError",
    "ProcError",
    "ResourceLimitError",
    "TimeoutExpired",
]


class ProcError(Exception):
    """Base class of every error raised by pyprocfs.

    ``path`` is the /proc path involved, when there is one.
    """

    path: str | None
    #: The ``errno`` of the failed system call, when there was one.
    errno: int | None

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.errno = None

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class NotFoundError(ProcError, FileNotFoundError):
    """The file or the process does not exist (any more)."""

    def __init__(self, message: str, path: str | None = None) -> None:
        ProcError.__init__(self, message, path)
        self.errno = _errno.ENOENT
        self.strerror = message
        self.filename = path


class PermissionDeniedError(ProcError, PermissionError):
    """The kernel denied access to the file."""

    def __init__(self, message: str, path: str | None = None) -> None:
        ProcError.__init__(self, message, path)
        self.errno = _errno.EACCES
        self.strerror = message
        self.filename = path


class ResourceLimitError(ProcError, OSError):
    """This process has no file descriptor left to open the file with (EMFILE, ENFILE).

    ``errno`` is the error number. Not a sign that the process read is gone.
    """

    def __init__(self, message: str, path: str | None = None, code: int = _errno.EMFILE) -> None:
        ProcError.__init__(self, message, path)
        self.errno = code
        self.strerror = message
        self.filename = path


class TimeoutExpired(ProcError, TimeoutError):
    """A wait for a process to exit ran out of time; the process is still running.

    ``seconds`` is the timeout that expired (seconds), ``pid`` the process
    waited for. It is a :class:`ProcError`, as every error of the library
    (psutil's ``TimeoutExpired`` is likewise one of its ``Error``), and a
    :class:`TimeoutError`, so ``except TimeoutError`` catches it as it catches
    the timeouts of sockets and ``asyncio``. (:mod:`subprocess`'s
    ``TimeoutExpired`` is neither: code that catches that one by name must
    catch this one too.) ``errno`` is ``None``: no system call failed.
    """

    seconds: float
    pid: int | None

    def __init__(self, seconds: float, pid: int | None = None, path: str | None = None) -> None:
        what = "the process" if pid is None else f"process {pid}"
        ProcError.__init__(self, f"timed out after {seconds:g} s waiting for {what} to exit", path)
        self.seconds = seconds
        self.pid = pid
        self.strerror = str(self.args[0])
        self.filename = path

    def __reduce__(self) -> tuple[type[TimeoutExpired], tuple[float, int | None, str | None]]:
        return (type(self), (self.seconds, self.pid, self.path))


class ParseError(ProcError, ValueError):
    """The content of a file could not be understood.

    ``path`` names the file (when known), ``line`` is the offending line
    (decoded for display, or ``None``) and ``lineno`` its 1-based number.
    """

    line: str | None
    lineno: int | None

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: bytes | str | None = None,
        lineno: int | None = None,
    ) -> None:
        if isinstance(line, bytes):
            line = line.decode("utf-8", "backslashreplace")
        self.line = line
        self.lineno = lineno
        ProcError.__init__(self, message, path)

    def __str__(self) -> str:
        text = str(self.args[0]) if self.args else "parse error"
        where = self.path or "<bytes>"
        if self.lineno is not None:
            where = f"{where}, line {self.lineno}"
        out = f"{where}: {text}"
        if self.line is not None:
            out += f": {self.line[:200]!r}"
        if self.path is not None:
            out += f" (to report this, attach a snapshot: {_snapshot_command(self.path)})"
        return out


def _snapshot_command(path: str) -> str:
    """The ``procfs snapshot`` command line that captures the file ``path`` (for bug reports)."""
    parts = path.split("/")
    pid = ""
    for index, part in enumerate(parts):
        if part.isdigit() and (index == 0 or parts[index - 1] not in ("task", "fd", "fdinfo")):
            pid = part
        elif part in ("self", "thread-self"):
            pid = "<pid>"
    return f"procfs snapshot report.tar.gz --pid {pid}" if pid else "procfs snapshot report.tar.gz"


def from_oserror(exc: OSError, path: str) -> ProcError:
    """Translate an :class:`OSError` from reading ``path`` into a :class:`ProcError`."""
    code = exc.errno
    reason = exc.strerror or str(exc)
    if code in (_errno.ENOENT, _errno.ESRCH, _errno.ENOTDIR):
        return NotFoundError(f"{path}: {reason}", path)
    if code in (_errno.EACCES, _errno.EPERM):
        return PermissionDeniedError(f"{path}: {reason}", path)
    if code in (_errno.EMFILE, _errno.ENFILE):
        return ResourceLimitError(
            f"{path}: {reason} (this process is out of file descriptors;"
            " the process read may still be there)",
            path,
            code,
        )
    err = ProcError(f"{path}: {reason}", path)
    err.errno = code
    err.__cause__ = exc
    return err
