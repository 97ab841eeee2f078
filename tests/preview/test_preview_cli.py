"""``build.py serve`` as a designer runs it: prints the address, serves, stops on Ctrl-C with status 0."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from preview_http import get

from otokui.pipeline import Project


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_command(shop: Project, root: Path, stop: signal.Signals) -> None:
    command = [sys.executable, str(root / "build.py"), "serve", "--port", "0", "--policy", str(shop.policy)]
    process = subprocess.Popen(command, cwd=shop.policy.parent, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        lines: list[str] = []
        rest = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                url = found.group(0)
                break
        else:
            pytest.fail("no address printed: " + "".join(lines))
        assert get(url, "/")[0] == 200
        assert get(url, "/site/")[0] == 200
        process.send_signal(stop)
        _, rest = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, "".join(lines) + rest
    assert "preview stopped" in rest, rest
    assert not (shop.policy.parent / "dist").exists()  # the preview never writes the output folder
