"""Run a procps tool on hand-made /proc files: the independent check of the commands.

:func:`tool_on` writes the files, bind-mounts each over its /proc namesake in
a private mount namespace (``unshare -m``, as root) and runs the tool there;
:func:`procfs_on` runs ``procfs`` on the same files as a ``--root`` tree.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def tool_on(files: dict[str, bytes], where: Path, *command: str) -> str:
    """The output of ``command`` run where /proc/NAME reads as ``files[NAME]``."""
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which(command[0]) is None:
        pytest.skip("needs root, unshare and the tool")
    where.mkdir(parents=True, exist_ok=True)
    mounts = []
    for name, data in files.items():
        (where / name).write_bytes(data)
        mounts.append(f"mount --bind {shlex.quote(str(where / name))} /proc/{name}")
    script = " && ".join([*mounts, "exec " + shlex.join(command)])
    result = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 and "mount" in result.stderr:
        pytest.skip(f"cannot bind-mount over /proc here: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    return result.stdout


def procfs_on(files: dict[str, bytes], where: Path, *argv: str) -> str:
    """The output of ``procfs argv --root`` a tree holding ``files``."""
    where.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (where / name).write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "procfs", *argv, "--root", str(where)],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    """``procfs argv`` in a subprocess (its output as text)."""
    return subprocess.run([sys.executable, "-m", "procfs", *argv], capture_output=True, text=True)
