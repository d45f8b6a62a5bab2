"""User and group names by id, as ``ps``, ``top``, ``lsof`` and the exporters show them.

Each id is looked up in the system's databases (``pwd``, ``grp``: files, LDAP,
whatever NSS is set up to ask) once per process and remembered: a listing of
every process asks for the same few ids thousands of times. A name changed
later is therefore not seen by a long-running program, as with ``ps`` and
``top``, which also look each id up once.
"""

from __future__ import annotations

__all__ = [
    "group_id",
    "group_name",
    "group_name_or_none",
    "user_id",
    "user_name",
    "user_name_or_none",
]

_USERS: dict[int, str | None] = {}
_GROUPS: dict[int, str | None] = {}


def user_name_or_none(uid: int) -> str | None:
    """The name of user ``uid``, or ``None`` if the user database has none."""
    try:
        return _USERS[uid]
    except KeyError:
        import pwd

        try:
            name: str | None = pwd.getpwuid(uid).pw_name
        except (KeyError, OverflowError):
            name = None
        _USERS[uid] = name
        return name


def user_name(uid: int) -> str:
    """The name of user ``uid``, or the uid as text if it has none (as ``ls -l`` shows it)."""
    name = user_name_or_none(uid)
    return str(uid) if name is None else name


def group_name_or_none(gid: int) -> str | None:
    """The name of group ``gid``, or ``None`` if the group database has none."""
    try:
        return _GROUPS[gid]
    except KeyError:
        import grp

        try:
            name: str | None = grp.getgrgid(gid).gr_name
        except (KeyError, OverflowError):
            name = None
        _GROUPS[gid] = name
        return name


def group_name(gid: int) -> str:
    """The name of group ``gid``, or the gid as text if it has none."""
    name = group_name_or_none(gid)
    return str(gid) if name is None else name


def user_id(name: str) -> int | None:
    """The uid of the user called ``name``, or ``None`` if there is none (what the
    commands' ``-u NAME`` options take)."""
    import pwd

    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def group_id(name: str) -> int | None:
    """The gid of the group called ``name``, or ``None`` if there is none."""
    import grp

    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        return None
