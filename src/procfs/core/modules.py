"""``/proc/modules``: the loaded kernel modules (what ``lsmod`` shows).

One line per module (kernel/module/procfs.c ``m_show``)::

    nf_conntrack 172032 3 nf_nat,nft_ct,nf_conntrack_netlink, Live 0xffffffffc0a1c000
    vboxdrv 569344 2 vboxnetadp,vboxnetflt, Live 0x0000000000000000 (OE)

Columns: name, size in bytes, reference count, the modules using it (each
followed by a comma, ``-`` for none, ``[permanent],`` for a module that
cannot be unloaded), the state (``Live``, ``Loading``, ``Unloading``), the
load address and, when the module taints the kernel, its taint flags in
parentheses. A kernel built without CONFIG_MODULE_UNLOAD tracks neither
references nor users and prints ``- -`` in their place. The address reads as
0 for readers the kernel hides it from (kptr_restrict). A kernel built
without CONFIG_MODULES has no such file.
"""

from __future__ import annotations

from procfs.core._parse import decode, lines, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["Module", "parse_modules"]


class Module(Record):
    """One loaded module, from a line of ``/proc/modules``.

    Attributes:
        name: the module's name (``"ext4"``).
        size: memory used by the module, in bytes.
        refcount: how many references hold it loaded, or ``None`` when the
            kernel does not count them (``-``, no CONFIG_MODULE_UNLOAD).
        dependencies: the modules that use this one (they must be unloaded
            first; the "Used by" column of lsmod), or ``None`` when the
            kernel does not track them (``-``, no CONFIG_MODULE_UNLOAD).
        permanent: whether the module has no exit function and can never be
            unloaded (``[permanent]`` in the users column).
        state: ``"Live"``, ``"Loading"`` or ``"Unloading"``.
        address: address of the module's code in kernel memory (0 when hidden).
        taints: the taint flags between the parentheses (``"OE"``: out of
            tree and unsigned; ``"P"``: proprietary; see the kernel's
            tainted-kernels documentation), or ``None`` when it taints nothing.
    """

    name: str
    size: int
    refcount: int | None
    dependencies: list[str] | None
    permanent: bool
    state: str
    address: int
    taints: str | None = None


def _parse_line(line: bytes) -> Module:
    fields = line.split()
    taints: str | None = None
    if len(fields) == 7:
        flags = fields.pop()
        if len(flags) < 2 or flags[:1] != b"(" or flags[-1:] != b")":
            raise ValueError("taint flags are not in parentheses")
        taints = decode(flags[1:-1])
    elif len(fields) != 6:
        raise ValueError(f"expected 6 or 7 fields, found {len(fields)}")
    name, size, refcount_raw, users, state, address = fields
    if not address.startswith(b"0x"):
        raise ValueError("address does not start with 0x")
    refcount: int | None
    dependencies: list[str] | None
    permanent = False
    if refcount_raw == b"-":
        if users != b"-":
            raise ValueError("users listed without a reference count")
        refcount = dependencies = None
    else:
        refcount = int(refcount_raw)
        dependencies = []
        if users != b"-":
            if not users.endswith(b","):
                raise ValueError("the users column does not end with ','")
            for user in users[:-1].split(b","):
                if user == b"[permanent]":
                    permanent = True
                elif user:
                    dependencies.append(decode(user))
                else:
                    raise ValueError("empty name in the users column")
    return Module(
        decode(name),
        int(size),
        refcount,
        dependencies,
        permanent,
        decode(state),
        int(address, 16),
        taints,
    )


@parser("modules", since="2.6 (CONFIG_MODULES)")
def parse_modules(data: bytes) -> list[Module]:
    """Every loaded module of ``/proc/modules``, in the kernel's order (newest first)."""
    out: list[Module] = []
    for lineno, line in enumerate(lines(data), 1):
        try:
            out.append(_parse_line(line))
        except ValueError as exc:
            raise ParseError(f"malformed module line ({exc})", line=line, lineno=lineno) from None
    return out
