"""A build killed outright (kill -9) leaves the previous output intact; the next build cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from otokui.writer import build_lock
from tests.reliability.conftest import ROOT, build_argv, cli_build, leftovers, snapshot

HELPER = Path(__file__).with_name("slow_build.py")


def start_slow_build(shop: Path, seconds: float) -> tuple[subprocess.Popen[bytes], Path]:
    marker = shop / "half-written"
    args = build_argv(shop)
    process = subprocess.Popen(
        [sys.executable, str(HELPER), str(marker), str(seconds), *args],
        cwd=shop,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the slow build never got half-way"
        time.sleep(0.05)
    return process, marker


def test_kill_9_during_write_keeps_the_previous_output(shop: Path) -> None:
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    process, marker = start_slow_build(shop, seconds=60)
    staging = Path(marker.read_text(encoding="utf-8"))
    assert staging.is_dir() and any(staging.rglob("*.html")), "the build was half-way through writing"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == [staging.name]  # a killed process cannot clean up…

    code, _, err = cli_build(shop)  # …the next build does
    assert code == 0, err
    assert leftovers(shop) == []
    assert snapshot(shop / "dist") == before


def test_killed_between_the_two_renames_the_previous_output_comes_back(shop: Path) -> None:
    assert cli_build(shop)[0] == 0
    before = snapshot(shop / "dist")
    # what a kill between `dist → .dist-old-…` and `.dist-build-… → dist` leaves behind
    (shop / "dist").rename(shop / ".dist-old-4242-1")
    (shop / ".dist-build-abcd").mkdir()
    (shop / ".dist-build-abcd" / "half.html").write_text("<p>half</p>", encoding="utf-8")
    with build_lock(shop / "dist"):
        pass
    assert snapshot(shop / "dist") == before
    assert leftovers(shop) == []


def test_a_build_waits_for_the_one_already_writing(shop: Path) -> None:
    assert cli_build(shop)[0] == 0
    slow, _ = start_slow_build(shop, seconds=2)
    started = time.monotonic()
    code, _, err = cli_build(shop)
    waited = time.monotonic() - started
    assert code == 0, err
    assert slow.wait(timeout=60) == 0, slow.communicate()[1].decode()
    assert waited > 1, "the second build must wait for the lock"
    assert leftovers(shop) == []
    assert (shop / "dist" / "emails" / "manifest.json").exists()
