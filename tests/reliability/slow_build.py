"""``python build.py build``, slowed down part-way through writing (for kill tests).

Usage: ``python slow_build.py MARKER SECONDS build --policy … --out …``. The
command line runs as usual, except that once :data:`PAUSE_AFTER` files are in the
staging folder, MARKER is created and the build sleeps SECONDS before writing on.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import otokui.writer
from otokui.artifacts import Artifact, Written
from otokui.cli import main

#: Files written before the pause (the example shop's emails alone are several times as many).
PAUSE_AFTER = 20

marker, seconds, *argv = sys.argv[1:]
write = otokui.writer.Writer.write
count = [0]


def slow_write(self: otokui.writer.Writer, artifact: Artifact) -> Written:
    written = write(self, artifact)
    count[0] += 1
    if count[0] == PAUSE_AFTER:
        Path(marker).write_text(str(self.folder.path), encoding="utf-8")
        time.sleep(float(seconds))
    return written


otokui.writer.Writer.write = slow_write  # type: ignore[method-assign]
main(argv)
