"""``/proc/crypto``: the cryptographic algorithms registered with the kernel.

One block of ``key : value`` lines per implementation, blocks separated by
a blank line (crypto/proc.c ``c_show``)::

    name         : ctr(aes)
    driver       : ctr(aes-aesni)
    module       : kernel
    priority     : 300
    refcnt       : 4
    selftest     : passed
    internal     : no
    type         : skcipher
    async        : no
    blocksize    : 1
    ...

The lines up to ``type`` are common to every block (older kernels lack
``selftest`` and ``internal``; ``fips`` appears only in FIPS mode). The
lines after ``type`` depend on the type and are read into a record of that
type (:class:`Skcipher`, :class:`Aead`, ...) in
:attr:`CryptoAlgorithm.details`. A known type whose required lines are
missing is a :class:`~procfs.errors.ParseError` naming its ``type`` line.
Lines of an unknown type, and unknown lines of a known type, are kept as
text in :attr:`CryptoAlgorithm.extra`.

Several implementations may share a name (``deflate`` in software and in
hardware, with different drivers): every block is kept, in the kernel's
order.
"""

from __future__ import annotations

from procfs.core._parse import decode, parser
from procfs.core._record import Record
from procfs.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # Per type: the record class and its lines in field order, as (key, converter, required).
    _Spec = tuple[Callable[..., Any], tuple[tuple[str, Callable[[str], Any], bool], ...]]

__all__ = [
    "Aead",
    "Ahash",
    "Blkcipher",
    "Cipher",
    "CryptoAlgorithm",
    "Larval",
    "Lskcipher",
    "Rng",
    "Shash",
    "Skcipher",
    "parse_crypto",
    "parse_crypto_block",
]


class Skcipher(Record):
    """Details of a ``skcipher`` (symmetric key cipher) block; sizes in bytes.

    Current kernels print every line below; older ones lack the later
    ones (``chunksize``, ``walksize``, ``statesize`` came one by one). Only
    ``async`` and ``blocksize`` are required here, because
    captures that lack others circulate (one in prometheus/procfs's fixtures
    has no ``min keysize``). A line that is absent is ``None``.

    Attributes:
        async_: ``async``: whether the implementation is asynchronous.
        block_size: ``blocksize``: the cipher's block size.
        min_key_size: ``min keysize``: the smallest key accepted.
        max_key_size: ``max keysize``: the largest key accepted.
        iv_size: ``ivsize``: the size of the initialisation vector.
        chunk_size: ``chunksize``: the unit the cipher processes data
            in (the block size, or the underlying block size of a stream mode).
        walk_size: ``walksize``: the optimal unit of data to feed it.
        state_size: ``statesize``: the size of its exported state.
    """

    async_: bool
    block_size: int
    min_key_size: int | None = None
    max_key_size: int | None = None
    iv_size: int | None = None
    chunk_size: int | None = None
    walk_size: int | None = None
    state_size: int | None = None


class Lskcipher(Record):
    """Details of an ``lskcipher`` (linear symmetric key cipher, 6.7) block; sizes in bytes.

    Attributes:
        block_size: ``blocksize``.
        min_key_size: ``min keysize``.
        max_key_size: ``max keysize``.
        iv_size: ``ivsize``.
        chunk_size: ``chunksize``.
        state_size: ``statesize``.
    """

    block_size: int
    min_key_size: int
    max_key_size: int
    iv_size: int
    chunk_size: int | None = None
    state_size: int | None = None


class Cipher(Record):
    """Details of a ``cipher`` (single-block cipher) block; sizes in bytes.

    Attributes:
        block_size: ``blocksize``.
        min_key_size: ``min keysize``.
        max_key_size: ``max keysize``.
    """

    block_size: int
    min_key_size: int
    max_key_size: int


class Shash(Record):
    """Details of a ``shash`` (synchronous hash) block, or of the older ``digest`` type.

    Attributes:
        block_size: ``blocksize``: the hash's block size in bytes.
        digest_size: ``digestsize``: the size of the digest in bytes.
    """

    block_size: int
    digest_size: int


class Ahash(Record):
    """Details of an ``ahash`` (asynchronous hash) block; sizes in bytes.

    Attributes:
        async_: ``async``: whether the implementation is asynchronous.
        block_size: ``blocksize``.
        digest_size: ``digestsize``.
    """

    async_: bool
    block_size: int
    digest_size: int


class Aead(Record):
    """Details of an ``aead`` (authenticated encryption) block; sizes in bytes.

    Attributes:
        async_: ``async``: whether the implementation is asynchronous.
        block_size: ``blocksize``.
        iv_size: ``ivsize``: size of the initialisation vector.
        max_auth_size: ``maxauthsize``: largest authentication tag.
        gen_iv: ``geniv``: the IV generator's name (``"seqiv"``,
            ``"<built-in>"``), or ``None`` for ``<none>`` or no line.
    """

    async_: bool
    block_size: int
    iv_size: int
    max_auth_size: int
    gen_iv: str | None = None


class Rng(Record):
    """Details of an ``rng`` (random number generator) block.

    Attributes:
        seed_size: ``seedsize``: the seed it needs, in bytes.
    """

    seed_size: int


class Larval(Record):
    """Details of a ``larval`` block: an algorithm being instantiated or tested.

    Attributes:
        flags: ``flags``: the algorithm's CRYPTO_ALG_* flags (printed in hex).
    """

    flags: int


class Blkcipher(Record):
    """Details of a ``blkcipher``, ``ablkcipher`` or ``givcipher`` block (older kernels).

    Attributes:
        async_: ``async`` (ablkcipher, givcipher), ``None`` for blkcipher.
        block_size: ``blocksize``.
        min_key_size: ``min keysize``.
        max_key_size: ``max keysize``.
        iv_size: ``ivsize``.
        gen_iv: ``geniv``: the IV generator (``"<default>"``, ``"eseqiv"``),
            ``None`` for ``<none>`` or no line.
    """

    async_: bool | None
    block_size: int
    min_key_size: int
    max_key_size: int
    iv_size: int
    gen_iv: str | None = None


class CryptoAlgorithm(Record):
    """One block of ``/proc/crypto`` (field names as in the Rust crate).

    Attributes:
        name: ``name``: the algorithm's name (``"sha256"``, ``"ctr(aes)"``).
        driver: ``driver``: the implementation's unique name
            (``"sha256-avx2"``), ``None`` on kernels that lack the line.
        module: ``module``: the module providing it, ``"kernel"`` when
            built in.
        priority: ``priority``: the implementation chosen for a name is
            the one with the highest priority.
        ref_count: ``refcnt``: references held on the implementation.
        self_test: ``selftest``: ``"passed"``, or ``"unknown"`` when not
            tested (yet); ``None`` on kernels without the line.
        internal: ``internal``: whether it is only for use by other
            algorithms (not offered to users).
        fips_enabled: ``fips`` (shown only when the kernel runs in FIPS
            mode): whether it is allowed in FIPS mode; ``None`` without the line.
        crypto_type: ``type``: ``"skcipher"``, ``"shash"``, ``"aead"``,
            ``"rng"``, ``"compression"``, ... as printed.
        details: the typed lines after ``type`` (:class:`Skcipher`,
            :class:`Lskcipher`, :class:`Cipher`, :class:`Shash`,
            :class:`Ahash`, :class:`Aead`, :class:`Rng`, :class:`Larval`,
            :class:`Blkcipher`), or ``None`` for a type that prints none
            (``compression``, ``scomp``, ``acomp``, ``akcipher``, ``kpp``,
            ``sig``) and for unknown types.
        extra: every other ``key: value`` line of the block, as text.
    """

    name: str
    driver: str | None
    module: str | None
    priority: int | None
    ref_count: int | None
    self_test: str | None
    internal: bool | None
    fips_enabled: bool | None
    crypto_type: str
    details: (
        Skcipher | Lskcipher | Cipher | Shash | Ahash | Aead | Rng | Larval | Blkcipher | None
    ) = None
    extra: dict[str, str] = {}


def _yes_no(value: str) -> bool:
    if value == "yes":
        return True
    if value == "no":
        return False
    raise ValueError("expected 'yes' or 'no'")


def _size(value: str) -> int:
    if not value.isdigit() or not value.isascii():
        raise ValueError("expected an unsigned integer")
    return int(value)


def _hex(value: str) -> int:
    return int(value, 16)


def _geniv(value: str) -> str | None:
    return None if value == "<none>" else value


_SPECS: dict[str, _Spec] = {}


def _spec(record: Callable[..., Any], *lines: tuple[str, Callable[[str], Any], bool]) -> _Spec:
    return (record, lines)


_SKCIPHER = _spec(
    Skcipher,
    ("async", _yes_no, True),
    ("blocksize", _size, True),
    ("min keysize", _size, False),
    ("max keysize", _size, False),
    ("ivsize", _size, False),
    ("chunksize", _size, False),
    ("walksize", _size, False),
    ("statesize", _size, False),
)
_BLKCIPHER = _spec(
    Blkcipher,
    ("async", _yes_no, False),
    ("blocksize", _size, True),
    ("min keysize", _size, True),
    ("max keysize", _size, True),
    ("ivsize", _size, True),
    ("geniv", _geniv, False),
)
_SHASH = _spec(Shash, ("blocksize", _size, True), ("digestsize", _size, True))
_AEAD = _spec(
    Aead,
    ("async", _yes_no, True),
    ("blocksize", _size, True),
    ("ivsize", _size, True),
    ("maxauthsize", _size, True),
    ("geniv", _geniv, False),
)
_SPECS.update(
    {
        "skcipher": _SKCIPHER,
        "lskcipher": _spec(
            Lskcipher,
            ("blocksize", _size, True),
            ("min keysize", _size, True),
            ("max keysize", _size, True),
            ("ivsize", _size, True),
            ("chunksize", _size, False),
            ("statesize", _size, False),
        ),
        "cipher": _spec(
            Cipher,
            ("blocksize", _size, True),
            ("min keysize", _size, True),
            ("max keysize", _size, True),
        ),
        "shash": _SHASH,
        "digest": _SHASH,
        "ahash": _spec(
            Ahash, ("async", _yes_no, True), ("blocksize", _size, True), ("digestsize", _size, True)
        ),
        "aead": _AEAD,
        "nivaead": _AEAD,
        "rng": _spec(Rng, ("seedsize", _size, True)),
        "larval": _spec(Larval, ("flags", _hex, True)),
        "blkcipher": _BLKCIPHER,
        "ablkcipher": _BLKCIPHER,
        "givcipher": _BLKCIPHER,
    }
)


def _build(
    name: str, items: dict[str, tuple[str, int, bytes]], name_lineno: int
) -> CryptoAlgorithm:
    """One algorithm from its ``key -> (value, lineno, line)`` lines (not the ``name`` line)."""
    pop = items.pop

    def convert(key: str, function: Callable[[str], Any]) -> Any:
        entry = pop(key, None)
        if entry is None:
            return None
        value, lineno, line = entry
        try:
            return function(value)
        except ValueError as exc:
            raise ParseError(f"bad {key} ({exc})", line=line, lineno=lineno) from None

    type_entry = pop("type", None)
    if type_entry is None:
        raise ParseError(f"algorithm {name!r} has no type line", lineno=name_lineno or None)
    crypto_type, type_lineno, type_line = type_entry
    driver = convert("driver", str)
    module = convert("module", str)
    priority = convert("priority", int)
    ref_count = convert("refcnt", int)
    self_test = convert("selftest", str)
    internal = convert("internal", _yes_no)
    fips = convert("fips", _yes_no)
    details = None
    spec = _SPECS.get(crypto_type)
    if spec is not None:
        record, lines = spec
        missing = [key for key, _, required in lines if required and key not in items]
        if missing:
            raise ParseError(
                f"{crypto_type} algorithm {name!r} lacks {', '.join(missing)}",
                line=type_line,
                lineno=type_lineno,
            )
        details = record(*[convert(key, function) for key, function, _ in lines])
    extra = {key: value for key, (value, _, _) in items.items()}
    return CryptoAlgorithm(
        name,
        driver,
        module,
        priority,
        ref_count,
        self_test,
        internal,
        fips,
        crypto_type,
        details,
        extra,
    )


def _blocks(
    data: bytes, first_name: str | None
) -> list[tuple[str, int, dict[str, tuple[str, int, bytes]]]]:
    """Split the file into ``(name, name_lineno, lines)`` blocks."""
    blocks: list[tuple[str, int, dict[str, tuple[str, int, bytes]]]] = []
    current: dict[str, tuple[str, int, bytes]] | None = None
    if first_name is not None:
        current = {}
        blocks.append((first_name, 0, current))
    for lineno, line in enumerate(data.split(b"\n"), 1):
        key_raw, colon, value_raw = line.partition(b":")
        if not colon:
            if line.strip():
                raise ParseError("no ':' separator", line=line, lineno=lineno)
            continue
        key = decode(key_raw.strip())
        value = decode(value_raw.strip())
        if key == "name":
            if not value:
                raise ParseError("empty name", line=line, lineno=lineno)
            current = {}
            blocks.append((value, lineno, current))
            continue
        if current is None:
            raise ParseError(f"{key!r} line before any 'name' line", line=line, lineno=lineno)
        if key in current:
            raise ParseError(f"repeated {key!r} line in one block", line=line, lineno=lineno)
        current[key] = (value, lineno, line)
    return blocks


@parser("crypto", since="2.6")
def parse_crypto(data: bytes) -> list[CryptoAlgorithm]:
    """Every algorithm block of ``/proc/crypto``, in the kernel's order."""
    return [_build(name, items, lineno) for name, lineno, items in _blocks(data, None)]


def parse_crypto_block(data: bytes, name: str = "", path: str | None = None) -> CryptoAlgorithm:
    """One block of ``/proc/crypto`` without its ``name`` line, read as algorithm ``name``.

    Only :class:`~procfs.errors.ParseError` escapes; ``path`` is used in its message.
    """
    try:
        blocks = _blocks(data, name)
        if len(blocks) != 1:
            raise ParseError("more than one block", lineno=blocks[1][1])
        return _build(name, blocks[0][2], 0)
    except ParseError as exc:
        if exc.path is None:
            exc.path = path
        raise
