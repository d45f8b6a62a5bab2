"""``/proc/version``: the running kernel's release and how it was built.

One line, from ``linux_proc_banner`` in init/version.c::

    Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian
    12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC
    Debian 6.1.55-1 (2023-09-29)

That is (one line, wrapped here): the system name, ``version``, the release (``uname -r``), the
builder ``(user@host)``, the toolchain in parentheses (``(gcc version 4.9.2
(Debian 4.9.2-10) )`` before 5.8, which nests parentheses), then the
version string (``uname -v``). The two parenthesised groups are optional
here: some emulations of the file (gVisor) print none.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from procfs.core.kernel import KernelVersion

__all__ = ["KernelVersionInfo", "parse_version"]


class KernelVersionInfo(Record):
    """The content of ``/proc/version``.

    Attributes:
        sysname: the operating system name (``"Linux"``, as ``uname -s``).
        release: the kernel release (``"6.1.0-13-amd64"``, as ``uname -r``).
        build_user: the user who built the kernel, or ``None`` when the
            line has no ``(user@host)`` group.
        build_host: the host the kernel was built on, or ``None``.
        compiler: the toolchain that built the kernel (``"gcc (GCC) 15.3.0,
            GNU ld (GNU Binutils) 2.46"``; ``"gcc version ..."`` before
            5.8), or ``None`` when the line has none.
        version: the kernel version string (``"#1 SMP PREEMPT_DYNAMIC Debian
            6.1.67-1 (2023-12-12)"``, as ``uname -v``): build number, options
            and build date.
    """

    sysname: str
    release: str
    build_user: str | None
    build_host: str | None
    compiler: str | None
    version: str

    @property
    def kernel_version(self) -> KernelVersion:
        """The release as a comparable :class:`~procfs.KernelVersion`."""
        from procfs.core.kernel import KernelVersion

        return KernelVersion.from_str(self.release)


def _group(text: str) -> tuple[str, str]:
    """Split ``"(a (b) c) rest"`` into ``"a (b) c"`` and ``"rest"``."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[1:index].strip(), text[index + 1 :].lstrip(" ")
    raise ParseError("unbalanced parentheses", line=text)


@parser("version", read="single", since="2.6")
def parse_version(data: bytes) -> KernelVersionInfo:
    """Parse ``/proc/version``."""
    text = decode(data).rstrip("\n")
    if "\n" in text:
        raise ParseError("more than one line", line=data)
    parts = text.split(" ", 3)
    if len(parts) < 3 or parts[1] != "version" or not parts[0] or not parts[2]:
        raise ParseError("expected '<sysname> version <release> ...'", line=data)
    rest = parts[3].lstrip(" ") if len(parts) == 4 else ""
    user = host = compiler = None
    if rest.startswith("("):
        group, rest = _group(rest)
        if "@" in group:
            user, _, host = group.partition("@")
            if rest.startswith("("):
                compiler, rest = _group(rest)
        else:
            compiler = group
    return KernelVersionInfo(parts[0], parts[2], user, host, compiler, rest)
