"""CPU time of the checker on the example build: ``build.py check --out DIR`` in fresh processes.

Run ``.venv/bin/python bench/check_cpu.py [--runs 5] [--root OTHER_CHECKOUT]…``: the example shop
is built once (into a temporary folder, with this checkout), then checked ``--runs`` times by each
checkout given with ``--root`` (default: this one; several are measured in turn, run by run, so
they share the machine's load), each in a fresh interpreter that imports that checkout's ``otokui``
(its path is printed); printed are the user + system CPU seconds of each run, their median, and
each median over the first root's. One uncounted run per checkout comes first.

What a run reads that an earlier one left: ``check`` reads no memo of earlier checks (only
``build`` does), but it reads the phrase compiles kept in the checkout's
``.otokui-cache/phrases/`` and the bytecode of its modules in ``__pycache__``. ``--fresh-cache``
removes the phrase cache before each run, so every phrase is compiled again as on a first check;
``--no-bytecode`` removes the checkout's ``otokui/**/__pycache__`` and runs with
``PYTHONDONTWRITEBYTECODE=1``, so every module of otokui is compiled from source as where its
bytecode is never written (the installed libraries keep theirs). Comparing checkouts on one build
(``--root`` pointing at an older tree, e.g. one made with ``git archive``) is how the checker's
cost is followed.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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
    parser.add_argument("--root", type=Path, action="append", help="a checkout whose checker is measured")
    parser.add_argument("--fresh-cache", action="store_true", help="remove the phrase cache before each run")
    parser.add_argument("--no-bytecode", action="store_true", help="compile otokui's modules from source each run")
    args = parser.parse_args(argv)
    roots = [root.resolve() for root in args.root or [ROOT]]
    envs = {root: _environment(root, args.no_bytecode) for root in roots}
    seconds: dict[Path, list[float]] = {root: [] for root in roots}
    with tempfile.TemporaryDirectory() as tmp:
        dist = Path(tmp) / "dist"
        build = [sys.executable, "build.py", "build", "--out", str(dist), "--no-site", "--no-check"]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
        for number in range(args.runs + 1):
            for root in roots:
                _prepare(root, args.fresh_cache, args.no_bytecode)
                spent = _check(root, envs[root], dist)
                if number:  # the first run of each checkout is not counted
                    seconds[root].append(spent)
    cache = "fresh phrase cache each run" if args.fresh_cache else "phrase cache kept"
    code = "otokui compiled from source each run" if args.no_bytecode else "bytecode kept"
    first = statistics.median(seconds[roots[0]])
    for root in roots:
        median = statistics.median(seconds[root])
        runs = ", ".join(f"{s:.2f}" for s in seconds[root])
        versus = f" = {median / first:.2f}x {roots[0]}" if root != roots[0] else ""
        print(f"{root} (imports {_imported(root, envs[root])}; {cache}; {code}): check CPU {runs} s;")
        print(f"    median {median:.2f} s{versus}")
    return 0


def _environment(root: Path, no_bytecode: bool) -> dict[str, str]:
    """The checkout's own code, whatever the caller's path; bytecode written unless ``no_bytecode``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _prepare(root: Path, fresh_cache: bool, no_bytecode: bool) -> None:
    if fresh_cache:
        shutil.rmtree(root / ".otokui-cache" / "phrases", ignore_errors=True)
    if no_bytecode:
        for folder in (root / "otokui").rglob("__pycache__"):
            shutil.rmtree(folder, ignore_errors=True)


def _check(root: Path, env: dict[str, str], dist: Path) -> float:
    """The CPU seconds of one ``build.py check`` by ``root``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "build.py", "check", "--out", str(dist)], cwd=root, env=env, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _imported(root: Path, env: dict[str, str]) -> str:
    probe = [sys.executable, "-c", "import otokui; print(otokui.__file__)"]
    return subprocess.run(probe, cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
