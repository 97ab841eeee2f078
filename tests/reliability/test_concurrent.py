"""Two builds of the same folder at once: both succeed, one after the other, and the output is whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import ROOT, cli_build, leftovers, snapshot


def test_two_processes_building_the_same_folder(shop: Path) -> None:
    reference = shop / "reference"
    assert cli_build(shop)[0] == 0
    (shop / "dist").rename(reference)
    command = [
        sys.executable, str(ROOT / "build.py"), "build", "--policy", str(shop / "rules.yaml"),
        "--out", str(shop / "dist"), "--no-site", "--no-check",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen(command, cwd=shop, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert snapshot(shop / "dist") == snapshot(reference)
    json.loads((shop / "dist" / "emails" / "manifest.json").read_text(encoding="utf-8"))
    assert leftovers(shop) == []
