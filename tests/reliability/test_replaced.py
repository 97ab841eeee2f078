"""The output a build replaces is removed in the background: the build does not wait for it, nothing is left."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from otokui.writer import build_lock, current_umask
from tests.reliability.conftest import ROOT, build_argv, cli, cli_build, snapshot


def trash(shop: Path) -> list[str]:
    return sorted(p.name for p in shop.iterdir() if p.name.startswith(".dist-trash-"))


def wait_until_removed(shop: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while trash(shop) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert trash(shop) == [], "the replaced output was never removed"


@pytest.fixture
def slow_rm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``rm`` first on PATH that waits until it is let go, then does what rm does."""
    tools = tmp_path / "tools"
    tools.mkdir()
    gate = tmp_path / "let-rm-go"
    script = tools / "rm"
    script.write_text(f'#!/bin/sh\nwhile [ ! -e "{gate}" ]; do sleep 0.05; done\nexec /bin/rm "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return gate


def test_a_rebuild_returns_before_the_replaced_output_is_gone(shop: Path, slow_rm: Path) -> None:
    assert cli_build(shop)[0] == 0
    (shop / "rules.yaml").write_text(
        (shop / "rules.yaml").read_text(encoding="utf-8").replace("ja: 木漏れ日珈琲,", "ja: 木漏れ日珈琲本店,", 1),
        encoding="utf-8",
    )
    code, _, err = cli_build(shop)  # the removal is held at the gate: a build that waited for it would hang here
    assert code == 0, err
    assert "木漏れ日珈琲本店" in (shop / "dist" / "emails" / "order_confirmation" / "ja" / "first.html").read_text(
        "utf-8"
    )
    [replaced] = trash(shop)
    assert (shop / replaced / "emails" / "manifest.json").is_file(), "the replaced output is still there…"
    slow_rm.touch()
    wait_until_removed(shop)  # …until its removal, in a process of its own, has run
    assert (shop / "dist" / "emails" / "manifest.json").is_file()


def test_a_removal_cut_short_is_finished_by_the_next_build_and_never_comes_back(shop: Path) -> None:
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    half_removed = shop / ".dist-trash-4242-1"
    (half_removed / "emails").mkdir(parents=True)
    (half_removed / "emails" / "stale.html").write_text("<p>stale</p>", encoding="utf-8")
    (shop / "dist").rename(shop / "moved-away")  # the output folder is gone as well
    with build_lock(shop / "dist"):  # what every build does first
        pass
    assert not (shop / "dist").exists(), "a folder being removed is never taken for the previous output"
    wait_until_removed(shop)
    (shop / "moved-away").rename(shop / "dist")
    assert snapshot(shop / "dist") == before


def command_build(shop: Path) -> int:
    """``build.py build`` in a fresh interpreter: one thread, so the render workers are forked, as in a shop's run."""
    command = [sys.executable, str(ROOT / "build.py"), *build_argv(shop)]
    return subprocess.run(command, capture_output=True, check=False).returncode


def test_unchanged_files_are_taken_from_the_replaced_output_and_the_rest_written_anew(shop: Path) -> None:
    assert command_build(shop) == 0
    dist = shop / "dist"
    kept = dist / "emails" / "shipped" / "ja" / "first.html"
    changed = dist / "emails" / "order_confirmation" / "ja" / "first.html"
    inodes = {path: path.stat().st_ino for path in (kept, changed)}
    policy = shop / "rules.yaml"
    text = policy.read_text(encoding="utf-8")
    assert text.count("ご注文ありがとうございます") >= 1
    policy.write_text(text.replace("ご注文ありがとうございます", "ご注文を承りました", 1), encoding="utf-8")

    assert command_build(shop) == 0
    assert kept.stat().st_ino == inodes[kept], "an unchanged file is the same file"
    assert changed.stat().st_ino != inodes[changed] and "ご注文を承りました" in changed.read_text("utf-8")
    wait_until_removed(shop)
    fresh = shop / "fresh"
    assert cli(*build_argv(shop, fresh))[0] == 0
    assert snapshot(dist) == snapshot(fresh), "the output is what a build from nothing makes"
    assert all(p.stat().st_nlink == 1 for p in dist.rglob("*") if p.is_file())


def test_only_a_file_the_build_alone_holds_is_taken_over(shop: Path, tmp_path: Path) -> None:
    assert cli_build(shop)[0] == 0
    moved = shop / "rank-up-before"
    folder = shop / "dist" / "emails" / "shipped" / "ja"
    linked, edited, opened_up = folder / "first.html", folder / "first.txt", folder / "repeat.html"
    os.link(linked, tmp_path / "someone-elses.html")  # linked from outside the output
    edited.write_text("edited by hand\n", encoding="utf-8")  # changed in place
    opened_up.chmod(0o666)  # not the mode a new file gets
    elsewhere = tmp_path / "elsewhere"  # a folder of the output replaced by a link to another one
    (elsewhere / "ja").mkdir(parents=True)
    outside = elsewhere / "ja" / "silver--first.html"
    outside.write_bytes((shop / "dist" / "emails" / "rank_up" / "ja" / "silver--first.html").read_bytes())
    ranked = shop / "dist" / "emails" / "rank_up"
    ranked.rename(moved)
    ranked.symlink_to(elsewhere, target_is_directory=True)
    inodes = {p: p.stat().st_ino for p in (linked, edited, opened_up, outside)}

    assert cli_build(shop)[0] == 0
    folder_now = shop / "dist" / "emails" / "shipped" / "ja"
    for before in (linked, edited, opened_up):
        now = folder_now / before.name
        assert now.stat().st_ino != inodes[before] and now.stat().st_nlink == 1
        assert stat.S_IMODE(now.stat().st_mode) == 0o666 & ~current_umask()
    assert (folder_now / "first.txt").read_text("utf-8") != "edited by hand\n"
    rank = shop / "dist" / "emails" / "rank_up" / "ja" / "silver--first.html"
    assert not rank.parent.parent.is_symlink() and rank.stat().st_ino != inodes[outside]
    assert outside.stat().st_nlink == 1, "nothing outside the output is linked into it"


def test_a_rebuild_under_another_umask_gives_every_file_the_new_mode(shop: Path) -> None:
    old = os.umask(0o022)
    try:
        assert cli_build(shop)[0] == 0
        email = shop / "dist" / "emails" / "shipped" / "ja" / "first.html"
        assert stat.S_IMODE(email.stat().st_mode) == 0o644
        os.umask(0o027)
        assert cli_build(shop)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(email.stat().st_mode) == 0o640, "a file of the old mode is not taken over"
