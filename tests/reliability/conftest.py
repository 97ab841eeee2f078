"""A copy of the example shop, and helpers to build it and compare output folders."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from otokui.cli import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    for name in ("email_templates", "site_src"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "rules.yaml", tmp_path / "rules.yaml")
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(shop: Path) -> list[str]:
    """Staging or set-aside folders beside ``dist``."""
    return sorted(p.name for p in shop.iterdir() if p.name.startswith((".dist-build-", ".dist-old-")))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def cli_build(shop: Path) -> tuple[int, str, str]:
    return cli("build", "--policy", str(shop / "rules.yaml"), "--out", str(shop / "dist"), "--no-site", "--no-check")
