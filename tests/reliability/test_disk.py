"""A disk that fills up or a folder that cannot be written: exit 2 (a build error, not a finding), one clear line, previous output intact."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import unprivileged
from tests.reliability.conftest import ROOT, cli_build, leftovers, snapshot


def no_room_for_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk has no room for a new link either (a rebuild links the files that did not change)."""

    def link(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "link", link)


def fail_after(monkeypatch: pytest.MonkeyPatch, writes: int, error: OSError) -> None:
    """Let ``writes`` files be written, then fail every write with ``error``."""
    real = Path.write_bytes
    count = [0]

    def write_bytes(self: Path, data: bytes) -> int:  # type: ignore[override]
        count[0] += 1
        if count[0] > writes:
            raise error
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    no_room_for_links(monkeypatch)


def test_disk_full_half_way(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    fail_after(monkeypatch, 20, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    code, out, err = cli_build(shop)
    assert code == 2
    assert err == (
        f"{shop / 'dist'}: could not write the build (No space left on device); the previous output is untouched\n"
    )
    assert out == ""
    monkeypatch.undo()
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == []


def test_disk_full_while_the_export_is_written(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export's files are written while the next target is made: a full disk there fails the build too."""
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:  # type: ignore[override]
        if "export" in self.parts and self.name != "manifest.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    no_room_for_links(monkeypatch)
    code, out, err = cli_build(shop)
    assert (code, out) == (2, "")
    assert err == (
        f"{shop / 'dist'}: could not write the build (No space left on device); the previous output is untouched\n"
    )
    monkeypatch.undo()
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == []


def test_disk_full_on_the_first_build(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_after(monkeypatch, 0, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    code, _, err = cli_build(shop)
    assert code == 2 and "No space left on device" in err
    assert not (shop / "dist").exists()
    assert leftovers(shop) == []


def test_folder_that_cannot_be_written_simulated(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only parent folder does, simulated (root writes through chmod)."""
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    code, _, err = cli_build(shop)
    assert (code, err) == (2, f"{shop / 'dist'}: cannot write next to the output folder (Permission denied)\n")
    monkeypatch.undo()
    assert snapshot(shop / "dist") == before


def test_swap_that_fails_puts_the_previous_output_back(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    real = Path.rename

    def rename(self: Path, target: str | os.PathLike[str]) -> Path:
        if self.name.startswith(".dist-build-"):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    code, _, err = cli_build(shop)
    assert code == 2
    assert "could not replace the output folder (Invalid cross-device link)" in err
    monkeypatch.undo()
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == []


@pytest.fixture
def own_shop() -> Iterator[Path]:
    """A copy of the example shop owned by the user the build runs as (``nobody`` when the suite is root)."""
    shop = unprivileged.own_folder("otokui-chmod-")
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, shop / name)
    shutil.copy(ROOT / "rules.yaml", shop / "rules.yaml")
    unprivileged.give(shop)
    try:
        yield shop
    finally:
        unprivileged.cleanup(shop)


def build_unprivileged(shop: Path) -> subprocess.CompletedProcess[str]:
    argv = ["build.py", "build", "--policy", "rules.yaml", "--out", "dist", "--no-site", "--no-check"]
    return unprivileged.command([str(ROOT / argv[0]), *argv[1:]], shop)


def test_read_only_parent_folder(own_shop: Path) -> None:
    """A real read-only folder, for a user chmod binds (the suite's root is not one: it runs as nobody)."""
    first = build_unprivileged(own_shop)
    assert first.returncode == 0, first.stderr
    before = snapshot(own_shop / "dist")
    own_shop.chmod(0o555)
    try:
        done = build_unprivileged(own_shop)
    finally:
        own_shop.chmod(0o755)
    assert done.returncode == 2
    assert "Permission denied" in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert snapshot(own_shop / "dist") == before


def test_read_only_output_folder_is_replaced(own_shop: Path) -> None:
    """Only the parent folder has to be writable: a read-only output folder is set aside and replaced."""
    assert build_unprivileged(own_shop).returncode == 0
    (own_shop / "dist").chmod(0o555)
    done = build_unprivileged(own_shop)
    assert done.returncode == 0, done.stderr
    assert (own_shop / "dist" / "emails" / "manifest.json").exists()


def test_disk_full_in_a_render_worker_fails_the_build_at_once(shop: Path) -> None:
    """A render worker writes its emails' files: a full disk there is the build's disk error, not a hung worker.

    Run in a fresh interpreter, so the render workers are forked from it and meet the full disk.
    """
    script = (
        "import errno, os, sys\n"
        "from pathlib import Path\n"
        "main, real = os.getpid(), Path.write_bytes\n"
        "def full(self, data):\n"
        "    if os.getpid() != main and 'emails' in self.parts:  # a render worker writing an email\n"
        "        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "    return real(self, data)\n"
        "Path.write_bytes = full\n"
        "def no_link(*args, **kwargs):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.link = no_link  # no room for a link either\n"
        "from otokui.cli import run\n"
        "sys.exit(run(['build', '--policy', sys.argv[1], '--out', sys.argv[2], '--no-site']))\n"
    )
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script, str(shop / "rules.yaml"), str(shop / "dist")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{shop / 'dist'}: could not write the build (No space left on device); the previous output is untouched\n"
    )
    assert time.monotonic() - started < 15, "the failure waited for the worker's time limit"
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == []
