"""Helpers to build a copy of the example shop (the `shop` fixture) and compare output folders."""

from __future__ import annotations

import io
from pathlib import Path

from otokui.cli import run
from tests.folders import snapshot

__all__ = ["build_argv", "cli", "cli_build", "leftovers", "snapshot"]

ROOT = Path(__file__).resolve().parents[2]


def leftovers(shop: Path) -> list[str]:
    """Staging or set-aside folders beside ``dist``."""
    return sorted(p.name for p in shop.iterdir() if p.name.startswith((".dist-build-", ".dist-old-")))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def build_argv(shop: Path, out: Path | None = None) -> list[str]:
    """``build`` of ``shop``'s policy into ``out`` (default ``shop/dist``), emails and export only, unchecked."""
    target = shop / "dist" if out is None else out
    return ["build", "--policy", str(shop / "rules.yaml"), "--out", str(target), "--no-site", "--no-check"]


def cli_build(shop: Path) -> tuple[int, str, str]:
    return cli(*build_argv(shop))
