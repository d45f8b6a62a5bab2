"""The full-screen part of ``procfs top``: curses drawing and keys (see :mod:`procfs.cli.top`)."""

from __future__ import annotations

import curses
import time

from procfs.cli.top import (
    PRIMING_SECONDS,
    Frame,
    Task,
    Viewer,
    header_lines,
    sorted_tasks,
    table_header,
    task_line,
)
from procfs.errors import ProcError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["run_screen"]

_KEY_SORTS = {"P": "cpu", "M": "rss", "T": "ticks", "N": "pid"}


class Screen:
    """The state of the view: sort, filter, scroll, per-CPU lines, the last frame."""

    def __init__(self, window: curses.window, viewer: Viewer, sort: str) -> None:
        self.window = window
        self.viewer = viewer
        self.sort = sort
        self.per_cpu = viewer.per_cpu
        self.filter = ""
        self.top = 0
        self.message = ""
        self.pid_width = viewer.pid_width
        self.frame: Frame | None = None

    def tasks(self) -> list[Task]:
        assert self.frame is not None
        tasks = self.frame.tasks
        if self.filter:
            tasks = [task for task in tasks if self.filter in task.comm]
        return sorted_tasks(tasks, self.sort)

    def draw(self) -> None:
        window = self.window
        window.erase()
        rows, columns = window.getmaxyx()
        if self.frame is None:
            return
        lines = header_lines(self.frame, False)
        if self.per_cpu:
            lines = lines[:2] + [_with_bar(line, columns) for line in self.frame.cpus[1:]]
            lines += header_lines(self.frame, False)[3:]
        lines.append(self.message)
        y = 0
        for line in lines:
            if y >= rows - 1:
                break
            _put(window, y, line, columns)
            y += 1
        if y < rows:
            _put(window, y, table_header(self.pid_width), columns, curses.A_REVERSE)
            y += 1
        tasks = self.tasks()
        self.top = max(0, min(self.top, len(tasks) - 1))
        for task in tasks[self.top :]:
            if y >= rows:
                break
            _put(window, y, task_line(task, self.frame, self.pid_width), columns)
            y += 1
        window.noutrefresh()
        curses.doupdate()

    def prompt(self, question: str) -> str:
        """Ask on the message line; returns the answer (empty if cancelled with Escape)."""
        window = self.window
        rows, columns = window.getmaxyx()
        y = min(len(header_lines(self.frame, False)) if self.frame else 0, rows - 1)
        _put(window, y, question, columns)
        window.clrtoeol()
        curses.echo()
        curses.curs_set(1)
        window.timeout(-1)
        try:
            answer = window.getstr(y, min(len(question), columns - 1), 60)
        finally:
            curses.noecho()
            _hide_cursor()
        return answer.decode(errors="replace").strip()

    def kill(self) -> None:
        """Ask for a pid and a signal, and send it through the process's handle."""
        import signal

        from procfs._fs import new_root
        from procfs.cli import UsageError
        from procfs.cli.pgrep import _signal_number
        from procfs.errors import NotFoundError
        from procfs.process import Process

        tasks = self.tasks()
        default = str(tasks[self.top].pid) if tasks else ""
        pid_text = self.prompt(f"PID to signal/kill [default pid = {default}] ") or default
        if not pid_text.isdigit():
            self.message = f"Unacceptable integer: {pid_text!r}"
            return
        name = self.prompt(f"Send pid {pid_text} signal [15/sigterm] ") or "15"
        try:
            number = _signal_number(name)
        except UsageError as exc:
            self.message = str(exc)
            return
        start = next(
            (t for t in (self.frame.tasks if self.frame else []) if t.pid == int(pid_text)), None
        )
        try:
            handle = Process(int(pid_text), new_root(self.viewer.fs.root))
            if start is None:
                raise NotFoundError(f"process {pid_text} is not in the table", handle.path())
            handle.send_signal(number)
        except ProcError as exc:
            self.message = f"Failed signal pid '{pid_text}' with {number}: {exc}"
            return
        self.message = f"sent {signal.Signals(number).name} to {pid_text}"


def _hide_cursor() -> None:
    try:
        curses.curs_set(0)
    except curses.error:
        pass  # (a terminal that cannot hide it)


def _put(window: curses.window, y: int, text: str, columns: int, attribute: int = 0) -> None:
    try:
        window.addnstr(
            y, 0, text, columns - 1 if y == window.getmaxyx()[0] - 1 else columns, attribute
        )
    except curses.error:
        pass  # (the bottom-right corner)


def _with_bar(line: str, columns: int) -> str:
    """A per-CPU line followed by a bar of its busy share."""
    try:
        idle = float(line.split(" id,")[0].rsplit(",", 1)[1])
    except (IndexError, ValueError):
        return line
    room = max(0, columns - len(line) - 3)
    if room < 10:
        return line
    busy = round((100 - idle) * room / 100)
    return f"{line}[{'|' * busy}{' ' * (room - busy)}]"


def run_screen(viewer: Viewer, sort: str, count: int | None, delay: float) -> int:
    """Run the full-screen view until ``q`` (or ``count`` frames); returns the exit status."""

    def loop(window: curses.window) -> int:
        _hide_cursor()
        screen = Screen(window, viewer, sort)
        shown = 0
        next_frame = viewer.primed + PRIMING_SECONDS
        while True:
            now = time.monotonic()
            if now >= next_frame:
                try:
                    screen.frame = viewer.frame()
                except ProcError as exc:
                    screen.message = str(exc)
                shown += 1
                next_frame = time.monotonic() + delay
                screen.draw()
                if count is not None and shown >= count:
                    return 0
            window.timeout(max(1, int((next_frame - time.monotonic()) * 1000)))
            key = window.getch()
            if key == -1:
                continue
            if key in (ord("q"), ord("Q")):
                return 0
            if key == curses.KEY_RESIZE:
                curses.update_lines_cols()
            elif 0 <= key < 256 and chr(key) in _KEY_SORTS:
                screen.sort = _KEY_SORTS[chr(key)]
            elif key == ord("1"):
                screen.per_cpu = not screen.per_cpu
            elif key in (ord("o"), ord("/")):
                screen.filter = screen.prompt("filter by command (empty for none): ")
                screen.top = 0
            elif key == ord("k"):
                screen.kill()
            elif key == curses.KEY_DOWN:
                screen.top += 1
            elif key == curses.KEY_UP:
                screen.top = max(0, screen.top - 1)
            elif key == curses.KEY_NPAGE:
                screen.top += max(1, window.getmaxyx()[0] - 8)
            elif key == curses.KEY_PPAGE:
                screen.top = max(0, screen.top - max(1, window.getmaxyx()[0] - 8))
            elif key == curses.KEY_HOME:
                screen.top = 0
            elif key == ord(" "):
                next_frame = 0
                continue
            screen.draw()

    return _restoring_on_signals(lambda: curses.wrapper(loop))


class _Ended(Exception):
    """A signal that ends the process arrived (its number in ``args[0]``)."""


#: Signals whose default action ends the process: the screen is restored first.
_ENDING = ("SIGTERM", "SIGHUP", "SIGQUIT")


def _restoring_on_signals(run: Callable[[], int]) -> int:
    """``run()`` (the curses screen), turning the ending signals into an exception so
    that ``curses.wrapper`` restores the terminal; then the process ends by that
    signal after all, as it would have (a parent sees it killed by SIGTERM)."""
    import os
    import signal

    def end(number: int, frame: object) -> None:
        raise _Ended(number)

    numbers = [int(getattr(signal, name)) for name in _ENDING if hasattr(signal, name)]
    previous = {number: signal.signal(number, end) for number in numbers}
    try:
        return run()
    except _Ended as ended:
        number = ended.args[0]
        signal.signal(number, signal.SIG_DFL)
        previous.pop(number, None)
        os.kill(os.getpid(), number)
        raise  # (not reached: the signal ends the process)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
