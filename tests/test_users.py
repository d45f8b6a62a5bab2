"""User and group names by id, against the system's own tools (``id``, ``getent``)."""

from __future__ import annotations

import subprocess

from procfs.users import group_name, group_name_or_none, user_name, user_name_or_none


def _getent(database: str, key: str) -> str | None:
    result = subprocess.run(["getent", database, key], capture_output=True, text=True)
    return result.stdout.split(":", 1)[0] if result.returncode == 0 else None


def test_names_as_getent_gives_them() -> None:
    for uid in (0, 1, 65534):
        assert user_name_or_none(uid) == _getent("passwd", str(uid))
    for gid in (0, 1, 65534):
        assert group_name_or_none(gid) == _getent("group", str(gid))
    me = subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()
    import os

    assert user_name(os.getuid()) == me


def test_an_id_without_a_name_is_its_number() -> None:
    unused = 4_000_000_123
    assert _getent("passwd", str(unused)) is None
    assert user_name_or_none(unused) is None and user_name(unused) == str(unused)
    assert group_name_or_none(unused) is None and group_name(unused) == str(unused)
    assert user_name(2**40) == str(2**40)  # (beyond uid_t: no lookup error escapes)


def test_ids_by_name_as_getent_gives_them() -> None:
    from procfs.users import group_id, user_id

    assert user_id("root") == 0 and group_id("root") == 0
    nobody = subprocess.run(["id", "-u", "nobody"], capture_output=True, text=True)
    if nobody.returncode == 0:
        assert user_id("nobody") == int(nobody.stdout)
    assert user_id("no-such-user-here") is None and group_id("no-such-group-here") is None
