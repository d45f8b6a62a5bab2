"""``procfs pstree [PID|USER]``: the process tree, like psmisc ``pstree`` (23.x).

The tree of pid 1 (or of ``PID``, or of each topmost process of ``USER``),
drawn as psmisc draws it: children sorted by name (``-n``: by pid), on the
parent's line for the first and below for the others; identical subtrees
of one parent merged as ``3*[sleep]`` (not with ``-p``, ``-c``); the
threads of a process as its children ``{name}`` (``-T`` hides them).
``-p`` adds pids, ``-u`` the user where it changes from the parent's, ``-a``
the arguments (one process a line), ``-s`` the ancestors of ``PID``. Lines
are cut at the terminal's width (``COLUMNS``, else 132 columns when the
output is not a terminal) unless ``-l``. The lines are drawn with UTF-8
characters when the output is a terminal whose locale's character set is
UTF-8 (``-U`` always, ``-A`` never: ASCII).

``--json`` prints a JSON list of trees (one per root), each process an
object ``{"pid", "ppid", "name", "uid", "thread", "children"}`` (and
``"args"``, the command line, with ``-a``); nothing is merged there.
"""

from __future__ import annotations

import os
import sys

from procfs._fs import DEFAULT_ROOT
from procfs.cli import HELP, ROOT, Option, fail, help_lines, start
from procfs.errors import ProcError
from procfs.users import user_id, user_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from procfs.scan import ScanFiles

__all__ = ["OPTIONS", "Node", "Style", "draw", "main", "read_tree"]

OPTIONS = (
    Option("-a", "--arguments", help="show the command line arguments"),
    Option("-A", "--ascii", help="draw with ASCII characters"),
    Option("-U", "--unicode", help="draw with UTF-8 characters"),
    Option("-c", "--compact-not", help="do not merge identical subtrees"),
    Option("-l", "--long", help="do not cut long lines"),
    Option("-n", "--numeric-sort", help="sort children by pid, not by name"),
    Option("-p", "--show-pids", help="show pids (merges nothing)"),
    Option("-g", "--show-pgids", help="show process group ids"),
    Option("-s", "--show-parents", help="show the ancestors of PID"),
    Option("-T", "--hide-threads", help="leave out threads"),
    Option("-u", "--uid-changes", help="show the user where it changes"),
    Option(
        "--json",
        help=(
            "print a JSON list of trees, each process an object\n"
            "{pid, ppid, name, uid, thread, children} (args with -a)"
        ),
    ),
    ROOT,
    HELP,
)

USAGE = "usage: procfs pstree [OPTIONS] [PID | USER]\n\n" + help_lines(OPTIONS)


class Node:
    """One process or thread of the tree."""

    __slots__ = ("args", "children", "name", "pgid", "pid", "ppid", "thread", "uid")

    def __init__(
        self,
        pid: int,
        ppid: int,
        name: str,
        uid: int,
        thread: bool,
        args: list[str] | None,
        pgid: int = 0,
    ) -> None:
        self.pid = pid
        self.ppid = ppid
        #: The process group (a thread's is its process's).
        self.pgid = pgid
        #: The command name (``{name}`` for a thread: its process's).
        self.name = name
        #: The owner of its /proc directory (psmisc's choice).
        self.uid = uid
        self.thread = thread
        #: The command line (None when not read; [] for a kernel thread or zombie).
        self.args = args
        self.children: list[Node] = []

    def plain(self) -> dict[str, object]:
        """The subtree as JSON-ready data."""
        out: dict[str, object] = {
            "pid": self.pid,
            "ppid": self.ppid,
            "pgid": self.pgid,
            "name": self.name,
            "uid": self.uid,
            "thread": self.thread,
        }
        if self.args is not None:
            out["args"] = self.args
        out["children"] = [child.plain() for child in self.children]
        return out


def read_tree(
    fs: ScanFiles, args: bool = False, threads: bool = True, by_pid: bool = False
) -> dict[int, Node]:
    """Every process (and thread) of ``fs`` by pid, each with its sorted children.

    Children are sorted as psmisc sorts them: by name (the bytes), then uid,
    then the order they were found; by pid with ``by_pid``.
    """
    fields = ["pid", "stat.ppid", "stat.comm", "stat.num_threads", "stat.pgrp"]
    if args:
        fields.append("cmdline")
    nodes: dict[int, Node] = {}
    order: list[Node] = []
    root_fd = fs.open_dir()
    prefix = fs.path("")
    try:
        for row in fs.scan_fields(fields, default=None):
            pid, ppid, comm, count, pgid = row[:5]
            if comm is None:
                continue
            name = str(pid)
            found = fs.stat_at(root_fd, name, prefix + name)
            if found is None:
                continue  # gone meanwhile
            command = (row[5] or []) if args else None
            node = Node(
                pid, 0 if ppid == pid else ppid, comm, found.st_uid, False, command, pgid or 0
            )
            nodes[pid] = node
            if threads and count and count > 1:
                try:
                    tids = fs.listdir(f"{name}/task")
                except ProcError:
                    tids = []
                label = "{" + comm + "}"
                for tid in tids:
                    if tid != name and tid.isdigit():
                        thread = Node(
                            int(tid),
                            pid,
                            label,
                            found.st_uid,
                            True,
                            [] if args else None,
                            pgid or 0,
                        )
                        nodes[thread.pid] = thread
                        order.append(thread)
            order.append(node)
    finally:
        fs.close_fd(root_fd)
    for node in order:
        parent = nodes.get(node.ppid)
        if parent is not None and parent is not node:
            parent.children.append(node)
    if by_pid:
        for node in order:
            if len(node.children) > 1:
                node.children.sort(key=_pid_of)
    else:
        for node in order:
            if len(node.children) > 1:
                node.children.sort(key=_name_key)
    return nodes


def _pid_of(node: Node) -> int:
    return node.pid


def _name_key(node: Node) -> tuple[bytes, int]:
    return os.fsencode(node.name), node.uid


class Style:
    """How to draw: the line characters and what each process shows."""

    __slots__ = (
        "args",
        "compact",
        "empty",
        "first",
        "last",
        "pgids",
        "pids",
        "single",
        "tee",
        "users",
        "vertical",
        "width",
    )

    def __init__(
        self,
        utf8: bool = False,
        pids: bool = False,
        args: bool = False,
        users: bool = False,
        compact: bool = True,
        width: int | None = 132,
        pgids: bool = False,
    ) -> None:
        if utf8:
            self.empty, self.tee, self.vertical, self.last = "  ", "├─", "│ ", "└─"
            self.single, self.first = "───", "─┬─"
        else:
            self.empty, self.tee, self.vertical, self.last = "  ", "|-", "| ", "`-"
            self.single, self.first = "---", "-+-"
        self.pids = pids
        self.pgids = pgids
        self.args = args
        self.users = users
        self.compact = compact and not pids
        #: Columns before a line is cut (None: never).
        self.width = width


def _escape(text: str) -> str:
    """Text as psmisc prints it: printable ASCII, ``\\\\``, and ``\\ooo`` for other bytes."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text
    out = []
    for byte in os.fsencode(text):
        if byte == 0x5C:
            out.append("\\\\")
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def _equal(a: Node, b: Node, users: bool) -> bool:
    """Whether two subtrees look the same (names, and users with ``-u``)."""
    if a.name != b.name or (users and a.uid != b.uid) or len(a.children) != len(b.children):
        return False
    return all(_equal(x, y, users) for x, y in zip(a.children, b.children, strict=True))


class _Lines:
    """The output, cut at the width as psmisc cuts it (the last column shows ``+``)."""

    __slots__ = ("column", "limit", "out")

    def __init__(self, width: int | None) -> None:
        self.out: list[str] = []
        self.column = 1  # psmisc's cur_x: one more than the characters on the line
        self.limit = width

    def put(self, text: str) -> None:
        column = self.column
        limit = self.limit
        size = len(text)
        if limit is None or column + size <= limit:
            self.out.append(text)
        else:
            room = limit - column
            if room > 0:
                self.out.append(text[:room])
            if column <= limit < column + size:
                self.out.append("+")
        self.column = column + size

    def newline(self) -> None:
        self.out.append("\n")
        self.column = 1


def draw(root: Node, style: Style, prev_uid: int = 0) -> str:
    """The tree of ``root`` as psmisc's ``dump_tree`` draws it."""
    lines = _Lines(style.width)
    widths: list[int] = []
    more: list[bool] = []

    def dump(
        node: Node, level: int, rep: int, leaf: bool, last: bool, prev: int, closing: int
    ) -> None:
        put = lines.put
        if not leaf:
            for lvl in range(level):
                put(" " * (widths[lvl] + 1))
                if lvl == level - 1:
                    put(style.last if last else style.tee)
                else:
                    put(style.vertical if more[lvl + 1] else style.empty)
        add = 0
        if rep > 1:
            prefix = f"{rep}*["
            add = len(prefix)
            put(prefix)
        args = style.args
        info = 1 if args else 0
        no_args = args and not node.args and not node.thread
        if no_args:
            put("(")
        label = _escape(node.name)
        put(label)
        offset = lines.column
        if style.pids:
            put(("," if info else "(") + str(node.pid))
            info += 1
        if style.pgids:  # (as psmisc prints numbers, 0 as nothing)
            put(("," if info else "(") + (str(node.pgid) if node.pgid else ""))
            info += 1
        if style.users and prev != node.uid:
            put(("," if info else "(") + user_name(node.uid))
            info += 1
        if no_args or (not args and info):
            put(")")
        if args and node.args:
            words = _words(node.args, style.width)
            count = len(words)
            limit = style.width
            for index, word in enumerate(words):
                if index < count - 1:
                    put(" ")
                shown = _escape(word)
                if limit is None or lines.column + len(shown) <= limit - (
                    0 if index == count - 1 else 4
                ):
                    put(shown)
                else:
                    put("...")
                    break
        children = list(node.children)
        if args or not children:
            put("]" * closing)
            lines.newline()
        while len(widths) <= level:
            widths.append(0)
            more.append(False)
        more[level] = not last
        if args:
            widths[level] = 1 + (0 if len(label) > 1 else -1)
            index = 0
            while index < len(children):
                child = children[index]
                merged = _merge(children, index, style) if child.thread else 0
                final = index == len(children) - 1
                dump(child, level + 1, merged + 1, False, final, node.uid, closing + bool(merged))
                index += 1
            return
        widths[level] = len(label) + lines.column - offset + add
        if style.width is not None and lines.column >= style.width:
            put(style.first + "+")
            lines.newline()
            return
        index = 0
        while index < len(children):
            child = children[index]
            merged = _merge(children, index, style)
            final = index == len(children) - 1
            if index == 0:
                put(style.single if final else style.first)
            dump(child, level + 1, merged + 1, index == 0, final, node.uid, closing + bool(merged))
            index += 1

    dump(root, 0, 1, True, True, prev_uid, 0)
    return "".join(lines.out)


def _words(args: list[str], width: int | None) -> list[str]:
    """The arguments psmisc prints after the name: from the command line's first
    ``width + 1`` bytes (8192 when lines are not cut), each but the last after a space.

    (psmisc reads that much of ``cmdline`` and ends it with a NUL: an argument
    cut there is printed, without the space; a whole one leaves an empty last
    word.)
    """
    raw = b"\0".join(map(os.fsencode, args)) + b"\0"
    size = (width if width is not None else 8192) + 1
    if len(raw) >= size:
        raw = raw[: size - 1]
    raw += b"\0"
    count = raw.count(0, 0, len(raw) - 1)
    rest = raw[raw.index(0) + 1 :]
    return [os.fsdecode(word) for word in rest.split(b"\0")[:count]]


def _merge(children: list[Node], index: int, style: Style) -> int:
    """Remove the later siblings equal to ``children[index]``; how many there were."""
    if not style.compact:
        return 0
    first = children[index]
    users = style.users
    kept = children[: index + 1]
    count = 0
    for other in children[index + 1 :]:
        if _equal(first, other, users):
            count += 1
        else:
            kept.append(other)
    if count:
        children[:] = kept
    return count


def _show_parents(nodes: dict[int, Node], pid: int) -> None:
    """Cut every branch but the one that leads to ``pid`` (psmisc ``-s``)."""
    node = nodes.get(pid)
    while node is not None:
        parent = nodes.get(node.ppid)
        if parent is None or parent is node:
            return
        parent.children = [node]
        node = parent


def _width(long: bool) -> int | None:
    if long:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or 132
    except (OSError, ValueError):
        return 132


def _utf8_terminal() -> bool:
    try:
        if not os.isatty(sys.stdout.fileno()):
            return False
    except (OSError, ValueError):
        return False
    if sys.flags.utf8_mode and os.environ.get("PYTHONUTF8") != "1":
        return False  # the C locale, which Python itself turned to UTF-8 (PEP 538, 540)
    import _locale

    return _locale.nl_langinfo(_locale.CODESET) == "UTF-8"


def _topmost(node: Node, uid: int, out: list[Node]) -> None:
    """The highest processes of ``uid`` below ``node``, in drawing order."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.uid == uid:
            out.append(current)
        else:
            stack.extend(reversed(current.children))


def main(argv: Sequence[str]) -> int:
    """Run ``procfs pstree``; returns the exit status."""
    options = start("pstree", argv, OPTIONS, USAGE, positional=1)
    if isinstance(options, int):
        return options
    pid = 1
    uid: int | None = None
    if options.positional:
        given = options.positional[0]
        if given[:1].isdigit():
            digits = given[: len(given) - len(given.lstrip("0123456789"))]
            pid = int(digits)
            if not pid:
                return fail("pstree", f"not a pid: {given!r}", USAGE)
        else:
            found = user_id(given)
            if found is None:
                sys.stderr.write(f"procfs pstree: no such user name: {given}\n")
                return 1
            uid = found
    from procfs.scan import ScanFiles

    fs = ScanFiles(options.value("--root") or DEFAULT_ROOT)
    show_args = options.has("-a")
    try:
        nodes = read_tree(fs, show_args, not options.has("-T"), options.has("-n"))
    except ProcError as exc:
        sys.stderr.write(f"procfs pstree: {exc}\n")
        return 1
    if options.has("-s") and uid is None:
        _show_parents(nodes, pid)
        pid = 1
    roots: list[Node] = []
    top = nodes.get(pid)
    if uid is None:
        if top is not None:
            roots.append(top)
    elif top is not None:
        _topmost(top, uid, roots)
        if not roots:
            sys.stderr.write("procfs pstree: no processes found\n")
            return 1
    if options.has("--json"):
        import json

        sys.stdout.write(json.dumps([root.plain() for root in roots], indent=1) + "\n")
        return 0
    style = Style(
        utf8=options.has("-U") or (not options.has("-A") and _utf8_terminal()),
        pids=options.has("-p"),
        args=show_args,
        users=options.has("-u"),
        compact=not options.has("-c"),
        width=_width(options.has("-l")),
        pgids=options.has("-g"),
    )
    drawn = [draw(root, style, 0 if uid is None else uid) for root in roots]
    sys.stdout.write("\n".join(drawn))
    return 0
