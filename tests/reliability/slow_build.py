"""``python build.py build``, slowed down half-way through writing (for kill tests).

Usage: ``python slow_build.py MARKER SECONDS build --policy … --out …``. The
command line runs as usual, except that after half the files are written to
the staging folder, MARKER is created and the build sleeps SECONDS.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path

import otokui.writer
from otokui.artifacts import Artifact
from otokui.cli import main

marker, seconds, *argv = sys.argv[1:]
write = otokui.writer.write_artifacts


def slow_write(root: Path, artifacts: Iterable[Artifact]) -> int:
    items = list(artifacts)
    half = len(items) // 2
    total = write(root, items[:half])
    Path(marker).write_text(str(root), encoding="utf-8")
    time.sleep(float(seconds))
    return total + write(root, items[half:])


otokui.writer.write_artifacts = slow_write
main(argv)
