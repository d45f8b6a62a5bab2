"""/proc/crypto: typed blocks per algorithm type, the Rust crate's and prometheus' samples,
an older kernel's types, and the live file against the kernel's crypto API (AF_ALG)."""

from __future__ import annotations

import socket

import pytest

from procfs import ParseError, ProcFS
from procfs.core import PARSERS
from procfs.core.crypto import (
    Aead,
    Ahash,
    Blkcipher,
    Cipher,
    CryptoAlgorithm,
    Larval,
    Lskcipher,
    Rng,
    Shash,
    Skcipher,
    parse_crypto,
    parse_crypto_block,
)
from tests.conftest import PROMETHEUS_PROC, SAMPLES, corpus_path, sample


def test_registered() -> None:
    assert PARSERS["crypto"] is parse_crypto


def test_rust_crate_aead_and_skcipher() -> None:
    algs = parse_crypto(sample("rust-procfs-samples/crypto.ccm-aes-and-ctr-aes.txt"))
    assert algs == [
        CryptoAlgorithm(
            "ccm(aes)",
            "ccm_base(ctr(aes-aesni),cbcmac(aes-aesni))",
            "ccm",
            300,
            4,
            "passed",
            False,
            None,
            "aead",
            Aead(False, 1, 16, 16, None),  # geniv "<none>"
            {},
        ),
        CryptoAlgorithm(
            "ctr(aes)",
            "ctr(aes-aesni)",
            "kernel",
            300,
            4,
            "passed",
            False,
            None,
            "skcipher",
            Skcipher(False, 1, 16, 32, 16, 16, 16),
            {},
        ),
    ]
    assert algs[1].to_dict()["details"] == {
        "async_": False,
        "block_size": 1,
        "min_key_size": 16,
        "max_key_size": 32,
        "iv_size": 16,
        "chunk_size": 16,
        "walk_size": 16,
        "state_size": None,
    }


def test_rust_crate_duplicate_names_are_all_kept() -> None:
    algs = parse_crypto(sample("rust-procfs-samples/crypto.duplicate-name-deflate.txt"))
    assert [(alg.name, alg.driver) for alg in algs] == [
        ("deflate", "deflate-generic"),
        ("deflate", "deflate-non-generic"),
    ]
    assert all(alg.crypto_type == "compression" and alg.details is None for alg in algs)


def test_rust_crate_unknown_type_is_kept_as_text() -> None:
    algs = parse_crypto(
        sample("rust-procfs-samples/crypto.unknown-type-then-skcipher.synthetic.txt")
    )
    assert algs[0].crypto_type == "unknown"
    assert algs[0].details is None
    assert algs[0].extra == {"key": "val", "key2": "val2"}
    assert isinstance(algs[1].details, Skcipher)


def test_rust_crate_block_fragments() -> None:
    good = sample("rust-procfs-samples/crypto.block-fragment-deflate-compression.txt")
    alg = parse_crypto_block(good, "deflate")
    assert alg == CryptoAlgorithm(
        "deflate", "deflate-generic", "kernel", 0, 2, "passed", False, None, "compression"
    )
    bad = sample("rust-procfs-samples/crypto.block-fragment-aead-missing-fields.bad.txt")
    with pytest.raises(ParseError) as info:
        parse_crypto_block(bad, "deflate", path="fragment")
    # The error names the "type : aead" line and what it lacks.
    assert info.value.lineno == 7
    assert info.value.line == "type         : aead"
    assert "async, blocksize, ivsize, maxauthsize" in str(info.value)
    assert info.value.path == "fragment"
    # The same block in a whole file: one line further down.
    with pytest.raises(ParseError) as info:
        parse_crypto(b"name         : deflate\n" + bad)
    assert info.value.lineno == 8
    # A fragment is not a file: the first line is not a name line.
    with pytest.raises(ParseError) as info:
        parse_crypto(good)
    assert info.value.lineno == 1


def test_prometheus_fixture() -> None:
    algs = ProcFS(corpus_path(PROMETHEUS_PROC)).crypto()
    assert len(algs) == 83
    # The first entries, as prometheus/procfs's crypto_test.go expects them.
    assert algs[1] == CryptoAlgorithm(
        "cbcmac(aes)", "cbcmac(aes-aesni)", "ccm", 300, 7, "passed", False, None, "shash",
        Shash(1, 16),
    )  # fmt: skip
    assert (algs[2].name, algs[2].crypto_type, algs[2].details) == ("ecdh", "kpp", None)
    assert algs[2].extra == {"async": "yes"}  # kpp prints no async line; kept as found
    assert algs[3].details == Skcipher(False, 1, 1, 256, 0, 1, 1)
    assert algs[4].details == Cipher(1, 1, 256)
    assert algs[5].details == Shash(1, 2)
    # A block of the fixture lacks "min keysize": read as None, not refused.
    ctr = next(alg for alg in algs if alg.name == "__ctr(aes)")
    assert ctr.internal is True
    assert ctr.details == Skcipher(True, 1, None, 32, 16, 16, 16)
    # The archive tool's "Mode: 444" trailer lands in the last block, kept as found.
    assert algs[-1].extra == {"Mode": "444"}
    rngs = [alg for alg in algs if alg.crypto_type == "rng"]
    assert len(rngs) == 23 and all(isinstance(alg.details, Rng) for alg in rngs)
    ahash = [alg.details for alg in algs if alg.crypto_type == "ahash"]
    assert ahash and all(isinstance(details, Ahash) for details in ahash)
    assert parse_crypto(sample("prometheus-fixtures/proc/crypto")) == algs


def test_prometheus_corrupted_fixture() -> None:
    # The "driver" line comes before "name": prometheus/procfs refuses it too.
    with pytest.raises(ParseError) as info:
        parse_crypto(sample("prometheus-fixtures/crypto_corrupted.txt"))
    assert info.value.lineno == 1


def test_dev_machine_capture() -> None:
    algs = ProcFS(SAMPLES / "dev-machine" / "proc").crypto()
    assert len(algs) == 56
    assert algs[0] == CryptoAlgorithm(
        "cbc(aes)", "cbc(ecb(aes-fixed-time))", "kernel", 101, 1, "passed", False, None,
        "lskcipher", Lskcipher(16, 16, 32, 16, 16, 0),
    )  # fmt: skip
    assert all(alg.extra == {} for alg in algs)
    assert algs[-1].name == "dh" and algs[-1].crypto_type == "kpp"


def test_older_kernel_types() -> None:
    algs = parse_crypto(sample("handmade/crypto.linux-2.6.32-blkcipher-givcipher.txt"))
    assert [alg.crypto_type for alg in algs] == [
        "givcipher", "blkcipher", "ablkcipher", "nivaead", "shash", "rng", "cipher", "larval",
    ]  # fmt: skip
    assert all(alg.internal is None for alg in algs)  # no "internal" line before 4.1
    assert algs[0].details == Blkcipher(False, 16, 16, 32, 16, "eseqiv")
    assert algs[1].details == Blkcipher(None, 16, 16, 32, 16, "<default>")
    assert algs[2].details == Blkcipher(True, 16, 16, 32, 0, "<default>")
    assert algs[3].details == Aead(True, 1, 8, 16, "seqiv")
    assert algs[4].details == Shash(64, 20)
    assert algs[5].details == Rng(0)
    assert algs[6].details == Cipher(16, 16, 32)
    assert algs[7].details == Larval(0x24)
    assert algs[7].self_test == "unknown"


def test_fips_line_and_block_without_blank_separator() -> None:
    data = (
        b"name : sha256\ndriver : sha256-generic\nmodule : kernel\npriority : 100\n"
        b"refcnt : 1\nselftest : passed\ninternal : no\nfips : yes\ntype : shash\n"
        b"blocksize : 64\ndigestsize : 32\nname : md5\ntype : shash\nblocksize : 64\n"
        b"digestsize : 16\n"
    )
    sha, md5 = parse_crypto(data)
    assert sha.fips_enabled is True and sha.details == Shash(64, 32)
    assert md5 == CryptoAlgorithm(
        "md5", None, None, None, None, None, None, None, "shash", Shash(64, 16)
    )


@pytest.mark.parametrize(
    ("data", "lineno"),
    [
        (b"driver : x\n", 1),
        (b"name : x\n", 1),  # no type line
        (b"name :\ntype : shash\n", 1),
        (b"name : x\ntype : shash\nblocksize : 64\n", 2),  # no digestsize
        (b"name : x\ntype : shash\nblocksize : big\ndigestsize : 1\n", 3),
        (b"name : x\ntype : skcipher\nasync : maybe\nblocksize : 1\n", 3),
        (b"name : x\npriority : high\ntype : kpp\n", 2),
        (b"name : x\ninternal : no\ninternal : no\ntype : kpp\n", 3),
        (b"name : x\ntype : kpp\njunk\n", 3),
        (b"name : x\ntype : larval\nflags : 0xzz\n", 3),
    ],
)
def test_bad_input(data: bytes, lineno: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_crypto(data)
    assert info.value.lineno == lineno


def test_live_parse() -> None:
    algs = ProcFS().crypto()
    with open("/proc/crypto") as f:
        names = [line.split(":", 1)[1].strip() for line in f if line.startswith("name")]
    assert [alg.name for alg in algs] == names
    assert all(alg.driver and alg.module and alg.priority is not None for alg in algs)
    for alg in algs:
        if alg.crypto_type in ("shash", "ahash", "cipher", "skcipher", "aead", "rng"):
            assert alg.details is not None


def test_live_against_af_alg() -> None:
    # Ask the kernel's crypto API for sha256 (this instantiates it if needed).
    family = getattr(socket, "AF_ALG", None)
    if family is None:
        pytest.skip("no AF_ALG sockets in this Python")
    try:
        with socket.socket(family, socket.SOCK_SEQPACKET, 0) as sock:
            sock.bind(("hash", "sha256"))
    except OSError as exc:
        pytest.skip(f"AF_ALG hash sha256 unavailable: {exc}")
    sha256 = [alg for alg in ProcFS().crypto() if alg.name == "sha256"]
    assert sha256
    for alg in sha256:
        assert alg.crypto_type in ("shash", "ahash")
        assert isinstance(alg.details, (Shash, Ahash))
        assert alg.details.digest_size == 32 and alg.details.block_size == 64
