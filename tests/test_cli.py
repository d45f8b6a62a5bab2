"""Tests for procfs.cli: the command dispatcher and the option parser the commands share."""

from __future__ import annotations

import pytest

from procfs.cli import COMMANDS, UsageError, main, parse


def test_flags_options_and_positional() -> None:
    found = parse(
        ["-tan", "--json", "--root", "/r", "-p5", "x", "--", "-e"],
        flags=("-t", "-a", "-n", "--json"),
        options=("--root", "-p"),
        positional=None,
    )
    assert found.flags == {"-t", "-a", "-n", "--json"}
    assert found.value("--root") == "/r" and found.value("-p") == "5"
    assert found.positional == ["x", "-e"]  # after "--" nothing is an option
    assert found.has("-x", "-a") and not found.has("-e")


def test_option_values_in_every_form() -> None:
    forms = (["--root=/a"], ["--root", "/a"], ["-r/a"], ["-r", "/a"])
    for argv in forms:
        assert (
            parse(argv, options=("--root", "-r")).value("--root" if "root" in argv[0] else "-r")
            == "/a"
        )
    assert parse(["--root", "/a", "--root=/b"], options=("--root",)).value("--root") == "/b"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--root"], "option --root needs a value"),
        (["-r"], "option -r needs a value"),
        (["--nope"], "unknown option --nope"),
        (["-z"], "unknown option -z"),
        (["--json=1"], "unknown option --json=1"),
        (["extra"], "unexpected argument"),
    ],
)
def test_usage_errors(argv: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse(argv, flags=("--json",), options=("--root", "-r"))


def test_main_dispatches_and_refuses_unknown_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err
    assert main(["ps", "--bogus"]) == 2
    assert "unknown option --bogus" in capsys.readouterr().err


def test_commands_run_without_the_cyclic_collector_and_restore_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc
    import sys
    import types

    seen: list[bool] = []

    def fake_main(argv: list[str]) -> int:
        seen.append(gc.isenabled())
        return len(argv)

    fake = types.ModuleType("procfs_fake_command")
    fake.main = fake_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "procfs_fake_command", fake)
    monkeypatch.setitem(COMMANDS, "fake", ("procfs_fake_command", "a test command"))
    assert gc.isenabled()
    assert main(["fake", "a", "b"]) == 2
    assert seen == [False] and gc.isenabled()
    gc.disable()  # as the procfs script does before its imports: left off
    try:
        assert main(["fake"]) == 0
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
