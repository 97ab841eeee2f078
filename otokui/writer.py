"""Writing the output folder so that a failed build never loses the last good one.

Everything is written into a fresh staging folder beside the output folder.
Only when the whole build has succeeded is the staging folder swapped in, by
two renames on the same file system; the previous output is removed after.
A lock file keeps two builds of the same folder from interleaving.

A build killed outright (``kill -9``, power loss) cannot clean up after
itself. The next build does it, once it holds the lock: it removes stale
staging folders, and if the kill fell between the two renames of the swap
(the output folder gone, the previous one still set aside) it puts the
previous output back first.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from otokui.artifacts import Artifact
from otokui.errors import BuildError

LOCK_WAIT_SECONDS = 60.0


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative POSIX path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path or "\x00" in path:
        raise BuildError(f"refusing to write outside the output folder: {path!r}")
    return pure


def write_artifacts(root: Path, artifacts: Iterable[Artifact]) -> int:
    """Write every artifact under ``root``; refuse to write the same path twice. Returns bytes written."""
    written: set[str] = set()
    total = 0
    for artifact in artifacts:
        relative = safe_relative(artifact.path)
        if artifact.path in written:
            raise BuildError(f"two outputs want the same file: {artifact.path}")
        written.add(artifact.path)
        target = root.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(artifact.data)
        total += len(artifact.data)
    return total


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``out_dir`` for the length of one build."""
    import fcntl

    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle = open(parent / f".{out_dir.name}.lock", "a+")  # noqa: SIM115
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot write next to the output folder ({exc.strerror})") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError(f"{out_dir}: another build is still writing it") from None
                time.sleep(0.05)
        recover(out_dir)
        yield
    finally:
        handle.close()


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    """Folders a killed build left beside ``out_dir``: ``build`` (staging) or ``old`` (set aside), oldest first."""
    pattern = f".{glob.escape(out_dir.name)}-{kind}-*"
    found = [p for p in out_dir.parent.glob(pattern) if p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def recover(out_dir: Path) -> None:
    """Clean up after a killed build; call only while holding :func:`build_lock`."""
    out_dir = out_dir.resolve()
    old = _leftovers(out_dir, "old")
    if old and not out_dir.exists():
        with contextlib.suppress(OSError):
            old.pop().rename(out_dir)  # killed mid-swap: the previous output comes back
    for stale in [*_leftovers(out_dir, "build"), *old]:
        shutil.rmtree(stale, ignore_errors=True)


class Staging:
    """A staging folder that becomes ``out_dir`` on :meth:`commit`, or vanishes."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        parent = self.out_dir.parent
        try:
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}-build-", dir=parent))
        except OSError as exc:
            raise BuildError(f"{out_dir}: cannot write next to the output folder ({exc.strerror})") from None
        self.committed = False

    def commit(self) -> None:
        """Swap the staging folder in; the previous output is kept until the swap has happened."""
        old: Path | None = None
        try:
            if self.out_dir.exists():
                old = self.out_dir.with_name(f".{self.out_dir.name}-old-{os.getpid()}-{time.monotonic_ns()}")
                self.out_dir.rename(old)
            try:
                self.path.rename(self.out_dir)
            except OSError:
                if old is not None:
                    old.rename(self.out_dir)
                raise
        except OSError as exc:
            raise BuildError(f"{self.out_dir}: could not replace the output folder ({exc.strerror})") from None
        self.committed = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Staging]:
    """Yield a staging folder; on any exception it is removed and ``out_dir`` stays as it was."""
    stage = Staging(out_dir)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    else:
        stage.discard()


def write_error(out_dir: Path, exc: OSError) -> BuildError:
    """A BuildError for a failed write (disk full, read-only folder…), naming the folder."""
    reason = exc.strerror or str(exc)
    return BuildError(f"{out_dir}: could not write the build ({reason}); the previous output is untouched")
