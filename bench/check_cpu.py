"""CPU time of the checker on the example build: ``build.py check --out DIR`` in fresh processes.

Run ``.venv/bin/python bench/check_cpu.py [--runs 5] [--root OTHER_CHECKOUT]``: the example shop
is built once (into a temporary folder, with this checkout), then checked ``--runs`` times by the
checkout at ``--root`` (default: this one), each in a fresh interpreter; printed are the user + system
CPU seconds of each run and their median. Comparing two checkouts on one build (``--root`` pointing
at an older tree, e.g. one made with ``git archive``) is how the checker's cost is followed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose checker is measured")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build = [sys.executable, "build.py", "build", "--out", str(dist), "--no-site", "--no-check"]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
        seconds: list[float] = []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [sys.executable, "build.py", "check", "--out", str(dist)], cwd=args.root, capture_output=True
            )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    runs = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"{args.root}: check CPU {runs} s; median {statistics.median(seconds):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
