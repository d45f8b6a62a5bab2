"""The benchmark load: idle processes and established loopback TCP connections.

:class:`Load` starts helper processes (this file run as a script) and stops
them again:

* ``procs``: one helper that forks ``N`` idle children (``sleep SECONDS``);
* ``tcp-server`` and ``tcp-client``: two helpers holding ``N`` established
  TCP connections between them on ``127.0.0.1`` (``2 N`` sockets, each
  process holding its own end, so the two sides have different owners).

Everything is bounded in time and stopped by pid:

* every helper exits by itself after its timeout, and each idle child is a
  ``sleep`` of that length;
* a helper dies with the benchmark process (``PR_SET_PDEATHSIG``), and each
  idle child dies with its helper;
* :meth:`Load.stop` (also run ``atexit``) signals each helper by its pid;
  the ``procs`` helper then kills its children by their pids, which stay
  valid because only it reaps them, and reaps them before it exits;
* sockets are closed with ``SO_LINGER`` 0 (a reset), so tearing the load
  down leaves no 2000 ``TIME_WAIT`` entries behind in ``/proc/net/tcp``.

Run ``python bench/load.py hold [--procs N] [--conns N] [--seconds S]`` to
keep the load up while you profile something else by hand.
"""

from __future__ import annotations

import os
import signal
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Sequence
    from socket import socket

__all__ = ["Load"]

_HERE = os.path.abspath(__file__)
_PR_SET_PDEATHSIG = 1
_SETUP_SECONDS = 120.0


def _die_with_parent(sig: int, parent: int) -> None:
    """Ask the kernel to send ``sig`` when our parent exits (Linux only, best effort)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (ImportError, OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class _Stop(Exception):
    """Raised by the SIGTERM handler inside a helper."""


def _on_term(signum: int, frame: object) -> None:
    raise _Stop


def _helper_start(parent: int) -> None:
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the benchmark's ^C stops us by pid
    _die_with_parent(signal.SIGTERM, parent)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# -- helpers (run as ``python bench/load.py ROLE ...``) ----------------------


def _procs(count: int, seconds: float, parent: int) -> int:
    """Fork ``count`` idle children, report their pids, hold them, then kill and reap them."""
    _helper_start(parent)
    me = os.getpid()
    deadline = time.monotonic() + seconds
    sleep = next(
        (p for p in ("/usr/bin/sleep", "/bin/sleep") if os.access(p, os.X_OK)),
        None,
    )
    child_seconds = str(int(seconds) + 5)
    alive: set[int] = set()
    try:
        for _ in range(count):
            pid = os.fork()
            if pid == 0:  # the child: die with the helper, then sleep
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    _die_with_parent(signal.SIGKILL, me)
                    if sleep is not None:
                        os.execv(sleep, ["sleep", child_seconds])
                    signal.alarm(int(child_seconds))
                    signal.pause()
                finally:
                    os._exit(0)
            alive.add(pid)
        _say("ready " + " ".join(map(str, sorted(alive))))
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            while alive:
                try:
                    pid, _ = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    alive.clear()
                    break
                if pid == 0:
                    break
                alive.discard(pid)
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for pid in alive:  # not reaped yet, so each pid is still our child
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in alive:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return 0


def _raise_nofile(needed: int) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SystemExit(f"load: RLIMIT_NOFILE hard limit {hard} < {needed} needed")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def _reset_on_close(sock: socket) -> None:
    import socket as _socket
    import struct

    sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_LINGER, struct.pack("ii", 1, 0))


def _hold(socks: list[socket], deadline: float) -> None:
    try:
        while time.monotonic() < deadline:
            time.sleep(0.2)
    except _Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for sock in socks:
            sock.close()


def _tcp_server(count: int, seconds: float, parent: int) -> int:
    """Accept ``count`` connections on an ephemeral 127.0.0.1 port and hold them."""
    import socket as _socket

    _helper_start(parent)
    deadline = time.monotonic() + seconds
    _raise_nofile(count + 64)
    socks: list[socket] = []
    try:
        listener = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
        socks.append(listener)
        _reset_on_close(listener)
        listener.bind(("127.0.0.1", 0))
        listener.listen(min(count + 16, 4096))
        _say(f"port {listener.getsockname()[1]}")
        listener.settimeout(_SETUP_SECONDS)
        for _ in range(count):
            conn, _ = listener.accept()
            _reset_on_close(conn)
            socks.append(conn)
        _say("ready")
    except _Stop:
        for sock in socks:
            sock.close()
        return 0
    _hold(socks, deadline)
    return 0


def _tcp_client(port: int, count: int, seconds: float, parent: int) -> int:
    """Open ``count`` connections to ``127.0.0.1:port`` and hold them."""
    import socket as _socket

    _helper_start(parent)
    deadline = time.monotonic() + seconds
    _raise_nofile(count + 64)
    socks: list[socket] = []
    try:
        for _ in range(count):
            sock = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
            socks.append(sock)
            _reset_on_close(sock)
            sock.settimeout(_SETUP_SECONDS)
            sock.connect(("127.0.0.1", port))
        _say("ready")
    except _Stop:
        for sock in socks:
            sock.close()
        return 0
    _hold(socks, deadline)
    return 0


# -- the controller ------------------------------------------------------------


class Load:
    """``procs`` idle processes and ``conns`` loopback TCP connections, while in use.

    Use as a context manager, or call :meth:`start` and :meth:`stop`
    (:meth:`stop` also runs at interpreter exit). ``seconds`` bounds the
    helpers' lifetime even if this process is killed.
    """

    def __init__(self, procs: int = 1000, conns: int = 2000, seconds: float = 1800.0) -> None:
        self.procs = procs
        self.conns = conns
        self.seconds = seconds
        self.helpers: list[subprocess.Popen[str]] = []
        self.child_pids: list[int] = []
        self.port = 0
        self._registered = False

    def describe(self) -> str:
        """The load in words, for the report."""
        return (
            f"{self.procs} extra idle processes, {self.conns} established loopback "
            f"TCP connections ({2 * self.conns} sockets)"
        )

    def _spawn(self, *args: str) -> subprocess.Popen[str]:
        import subprocess

        process = subprocess.Popen(
            [sys.executable, "-S", _HERE, *args, str(self.seconds), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a ^C at the terminal reaches us, not them
        )
        self.helpers.append(process)
        return process

    @staticmethod
    def _expect(process: subprocess.Popen[str], word: str, deadline: float) -> str:
        import select

        assert process.stdout is not None
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"load helper {process.pid} did not report {word!r} in time")
            ready, _, _ = select.select([process.stdout], [], [], left)
            if not ready:
                continue
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"load helper {process.pid} exited ({process.wait()})")
            if line.startswith(word):
                return line[len(word) :].strip()

    def start(self) -> Load:
        """Start the helpers and wait until the whole load is in place."""
        if not self._registered:
            import atexit

            atexit.register(self.stop)
            self._registered = True
        deadline = time.monotonic() + _SETUP_SECONDS
        try:
            procs = self._spawn("procs", str(self.procs)) if self.procs else None
            if self.conns:
                server = self._spawn("tcp-server", str(self.conns))
                self.port = int(self._expect(server, "port", deadline))
                client = self._spawn("tcp-client", str(self.port), str(self.conns))
                self._expect(client, "ready", deadline)
                self._expect(server, "ready", deadline)
            if procs is not None:
                self.child_pids = [int(p) for p in self._expect(procs, "ready", deadline).split()]
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every helper by its pid (they stop their children) and reap them."""
        helpers, self.helpers = self.helpers, []
        for process in reversed(helpers):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)  # unreaped: the pid is still ours
        for process in reversed(helpers):
            try:
                process.wait(timeout=20)
            except Exception:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        self.child_pids = []

    def __enter__(self) -> Load:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _usage() -> int:
    sys.stderr.write(
        "usage: python bench/load.py hold [--procs N] [--conns N] [--seconds S]\n"
        "       (procs|tcp-server|tcp-client PORT) N SECONDS PARENT_PID: helper roles\n"
    )
    return 2


def main(argv: Sequence[str]) -> int:
    """Run a helper role, or ``hold`` the load until ^C or ``--seconds`` pass."""
    if not argv:
        return _usage()
    role, rest = argv[0], list(argv[1:])
    try:
        if role == "procs":
            return _procs(int(rest[0]), float(rest[1]), int(rest[2]))
        if role == "tcp-server":
            return _tcp_server(int(rest[0]), float(rest[1]), int(rest[2]))
        if role == "tcp-client":
            return _tcp_client(int(rest[0]), int(rest[1]), float(rest[2]), int(rest[3]))
        if role == "hold":
            values = {"--procs": "1000", "--conns": "2000", "--seconds": "600"}
            while rest:
                name = rest.pop(0)
                if name not in values or not rest:
                    return _usage()
                values[name] = rest.pop(0)
            seconds = float(values["--seconds"])
            with Load(int(values["--procs"]), int(values["--conns"]), seconds + 30) as load:
                sys.stdout.write(f"holding {load.describe()} for {seconds:.0f} s (^C stops)\n")
                sys.stdout.flush()
                try:
                    time.sleep(seconds)
                except KeyboardInterrupt:
                    pass
            return 0
    except (IndexError, ValueError):
        return _usage()
    return _usage()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
