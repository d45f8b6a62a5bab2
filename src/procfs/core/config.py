"""The kernel build configuration: ``/proc/config.gz`` or ``/boot/config-<release>``.

The text is a Kconfig ``.config``::

    CONFIG_SMP=y
    CONFIG_EXT4_FS=m
    CONFIG_HZ=250
    CONFIG_DEFAULT_HOSTNAME="(none)"
    # CONFIG_DEBUG_KERNEL is not set

Each ``NAME=value`` line becomes an entry of a dict mapping the name (with
its ``CONFIG_`` prefix) to a :class:`ConfigValue`. Comment lines, including
``# CONFIG_X is not set``, are skipped, as the Rust crate does: an option
that is not set is simply absent (``cfg.get("CONFIG_X") is None``).

``/proc/config.gz`` holds the text gzip-compressed (CONFIG_IKCONFIG_PROC);
:func:`parse_config` takes either form.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

__all__ = ["BUILTIN", "MODULE", "ConfigValue", "parse_config", "parse_config_text"]


class ConfigValue(Record):
    """The value of one kernel configuration option.

    ``kind`` says what the option is set to; ``value`` is the text after
    ``=`` exactly as written (string values keep their quotes, numbers stay
    text: ``CONFIG_HZ=250`` has ``value == "250"``). Use :attr:`text` for a
    string without its quotes and :meth:`as_int` for a number.

    Attributes:
        kind: ``"builtin"`` (``=y``: compiled into the kernel), ``"module"``
            (``=m``: built as a loadable module) or ``"value"`` (any other
            value: a number, a string, a hexadecimal address...).
        value: the raw text after ``=``.
    """

    kind: str
    value: str

    @property
    def is_builtin(self) -> bool:
        """``True`` for ``=y``: the feature is compiled into the kernel."""
        return self.kind == "builtin"

    @property
    def is_module(self) -> bool:
        """``True`` for ``=m``: the feature is built as a loadable module."""
        return self.kind == "module"

    @property
    def is_enabled(self) -> bool:
        """``True`` for ``=y`` or ``=m``."""
        return self.kind != "value"

    @property
    def is_value(self) -> bool:
        """``True`` when the option holds a value rather than ``y`` or ``m``."""
        return self.kind == "value"

    @property
    def text(self) -> str:
        """The value as text: a quoted string without its quotes and escapes."""
        raw = self.value
        if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
            inner = raw[1:-1]
            if "\\" in inner:
                inner = inner.replace('\\"', '"').replace("\\\\", "\\")
            return inner
        return raw

    def as_int(self) -> int | None:
        """The value as an integer (decimal or ``0x`` hexadecimal), or ``None``."""
        raw = self.value
        try:
            if raw[:2] in ("0x", "0X"):
                return int(raw[2:], 16)
            return int(raw, 10)
        except ValueError:
            return None


#: The value of every ``=y`` option (shared: configs hold thousands of them).
BUILTIN = ConfigValue("builtin", "y")
#: The value of every ``=m`` option.
MODULE = ConfigValue("module", "m")


def parse_config_text(data: bytes) -> dict[str, ConfigValue]:
    """Parse the text of a kernel configuration (see the module notes)."""
    out: dict[str, ConfigValue] = {}
    for lineno, line in enumerate(data.split(b"\n"), 1):
        line = line.strip()
        if not line or line[:1] == b"#":
            continue
        name, equals, raw = line.partition(b"=")
        name = name.strip()
        if not equals or not name or b" " in name or b"\t" in name:
            raise ParseError("not a NAME=value line", line=line, lineno=lineno)
        raw = raw.strip()
        if raw == b"y":
            value = BUILTIN
        elif raw == b"m":
            value = MODULE
        else:
            value = ConfigValue("value", decode(raw))
        out[decode(name)] = value
    return out


def _gunzip(data: bytes) -> bytes:
    import gzip
    import zlib

    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise ParseError(f"not valid gzip data ({exc})") from None


@parser("config.gz", since="2.6 (CONFIG_IKCONFIG_PROC)")
def parse_config(data: bytes) -> dict[str, ConfigValue]:
    """Parse a kernel configuration, gzip-compressed (``/proc/config.gz``) or not."""
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    return parse_config_text(data)
