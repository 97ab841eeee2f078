"""Running a command as an unprivileged user, for tests about permissions.

Root reads and writes through ``chmod``, so a test of a read-only folder
proves nothing when the suite runs as root (as it does in CI containers).
:func:`command` runs the command as it is for an ordinary user, and as
``nobody`` (``setpriv``, else ``runuser``) for root; :func:`own_folder` makes
a folder that user owns. Where neither tool exists the test is skipped with
the reason, except under ``CI=true``, where it fails: CI must run it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _user() -> pwd.struct_passwd | None:
    """The account commands run as: ``nobody`` when this process is root, else None (this user)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        return None


def _missing() -> str | None:
    if os.geteuid() != 0:
        return None
    if _user() is None:
        return "running as root, and there is no 'nobody' account to drop privileges to"
    if not (shutil.which("setpriv") or shutil.which("runuser")):
        return "running as root, and neither setpriv nor runuser (util-linux) is there to drop privileges"
    return None


def require() -> None:
    """Skip (fail under CI=true) when commands cannot be run unprivileged here."""
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def own_folder(prefix: str) -> Path:
    """A new folder the unprivileged user owns, inside a folder everyone may enter."""
    require()
    outer = Path(tempfile.mkdtemp(prefix=prefix))
    outer.chmod(0o755)
    inner = outer / "shop"
    inner.mkdir()
    user = _user()
    if user is not None:
        os.chown(outer, user.pw_uid, user.pw_gid)
        os.chown(inner, user.pw_uid, user.pw_gid)
    return inner


def give(path: Path) -> None:
    """Hand ``path`` and everything under it to the unprivileged user."""
    user = _user()
    if user is None:
        return
    for item in [path, *path.rglob("*")]:
        os.lchown(item, user.pw_uid, user.pw_gid)


def command(argv: Sequence[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python argv…`` (otokui's own interpreter) unprivileged; its exit code and output."""
    require()
    base = [sys.executable, *argv]
    user = _user()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    if user is not None:
        if shutil.which("setpriv"):
            base = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--", *base]
        else:
            base = ["runuser", "-u", user.pw_name, "--", *base]
    return subprocess.run(base, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def cleanup(folder: Path) -> None:
    """Remove a folder made by :func:`own_folder` (whatever modes a test left)."""
    outer = folder.parent
    for item in [outer, *outer.rglob("*")]:
        if item.is_dir() and not item.is_symlink():
            item.chmod(0o755)
    shutil.rmtree(outer, ignore_errors=True)
