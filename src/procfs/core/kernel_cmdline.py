"""``/proc/cmdline``: the command line the kernel was booted with.

One line of parameters separated by white space, split here the way the
kernel's own ``next_arg()`` (lib/cmdline.c) splits it:

* ``name=value`` and bare ``name`` flags; the value is everything after the
  first ``=`` (``root=UUID=1234`` has the value ``UUID=1234``);
* double quotes protect white space and are removed: ``foo="a b c"`` is
  ``foo`` = ``a b c``, and ``"foo=a b"`` is ``foo`` = ``a b``;
* a parameter may appear several times; every occurrence is kept, in order
  (for most parameters the kernel uses the last one);
* a lone ``--`` ends the kernel's parameters: what follows is handed to init
  as its arguments (:attr:`KernelCmdline.init_args`).

Parameter names are kept as written; note that the kernel treats ``-`` and
``_`` alike in the names of module parameters (``foo.bar-baz``).
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record

__all__ = ["KernelCmdline", "KernelParam", "parse_kernel_cmdline", "split_kernel_args"]

# isspace() of the kernel's lib/ctype.c, for the ASCII range.
_SPACE = " \t\n\v\f\r"


class KernelParam(Record):
    """One parameter of the kernel command line.

    Attributes:
        name: the parameter's name (``"root"``, ``"quiet"``,
            ``"nvme_core.default_ps_max_latency_us"``).
        value: its value with quotes removed, ``""`` for ``name=``, or
            ``None`` for a flag given without ``=``.
    """

    name: str
    value: str | None = None

    def __str__(self) -> str:
        return self.name if self.value is None else f"{self.name}={self.value}"


class KernelCmdline(Record):
    """The content of ``/proc/cmdline``.

    Attributes:
        params: the kernel's parameters in order, repeats included.
        init_args: the words after a lone ``--``, passed to init (quotes
            removed, ``name=value`` kept as one word).
    """

    params: list[KernelParam]
    init_args: list[str] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of the last occurrence of ``name`` (``default`` if absent or a bare flag)."""
        for param in reversed(self.params):
            if param.name == name:
                return default if param.value is None else param.value
        return default

    def get_all(self, name: str) -> list[str | None]:
        """The values of every occurrence of ``name``, in order (``None`` for a bare flag)."""
        return [param.value for param in self.params if param.name == name]

    def has(self, name: str) -> bool:
        """Whether ``name`` appears, as a flag or with a value."""
        return any(param.name == name for param in self.params)

    @property
    def flags(self) -> list[str]:
        """The names of the parameters given without ``=`` (``quiet``, ``ro``)."""
        return [param.name for param in self.params if param.value is None]

    def as_dict(self) -> dict[str, str | None]:
        """``{name: value}`` with the last occurrence of each name winning."""
        return {param.name: param.value for param in self.params}


def split_kernel_args(text: str) -> list[KernelParam]:
    """Split a kernel command line into parameters, as lib/cmdline.c ``next_arg()`` does.

    The ``--`` separator is not treated specially here (see :func:`parse_kernel_cmdline`).
    """
    out: list[KernelParam] = []
    length = len(text)
    pos = 0
    while True:
        while pos < length and text[pos] in _SPACE:
            pos += 1
        if pos >= length:
            return out
        quoted = text[pos] == '"'
        start = pos + 1 if quoted else pos
        in_quote = quoted
        equals = -1
        end = start
        while end < length:
            char = text[end]
            if not in_quote and char in _SPACE:
                break
            if equals < 0 and char == "=":
                equals = end
            if char == '"':
                in_quote = not in_quote
            end += 1
        last_quote = end > start and text[end - 1] == '"'
        if equals < 0:
            name, value = text[start:end], None
            if quoted and last_quote:
                name = name[:-1]
        else:
            name = text[start:equals]
            if text.startswith('"', equals + 1):
                # The kernel drops the value's opening quote and a closing one.
                value = text[equals + 2 : end - 1 if last_quote and end - 1 > equals + 1 else end]
            else:
                value = text[equals + 1 : end]
                if quoted and last_quote:
                    value = value[:-1]
        out.append(KernelParam(name, value))
        pos = end + 1


@parser("cmdline", read="single", since="2.6")
def parse_kernel_cmdline(data: bytes) -> KernelCmdline:
    """Parse ``/proc/cmdline`` (see the module notes)."""
    params = split_kernel_args(decode(data))
    for index, param in enumerate(params):
        if param.name == "--" and param.value is None:
            return KernelCmdline(params[:index], [str(arg) for arg in params[index + 1 :]])
    return KernelCmdline(params, [])
