"""Watching the shop's sources by polling: rules.yaml, email_templates/**, site_src/**.

Polling file names, sizes and modification times every ``interval`` seconds
(0.3 s by default) is dependable everywhere (network drives, containers,
editors that save by renaming a temporary file) and costs little for folders
of a few hundred files. When something changed, the watcher waits one short
``settle`` delay and looks again, so an editor's save in several steps, or a
folder copied in, is rebuilt once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from otokui.pipeline import Project
from otokui.preview.state import EMAILS, POLICY, SITE

Signature = frozenset[tuple[str, int, int]]

#: Folder names never looked into (editor and tool droppings).
SKIPPED_DIRS = frozenset({".git", "__pycache__", ".mypy_cache", ".ruff_cache", "node_modules"})


def signature(paths: Iterable[Path]) -> Signature:
    """(path, mtime_ns, size) of every file at or below ``paths``; missing paths count as empty."""
    entries: set[tuple[str, int, int]] = set()
    for path in paths:
        _scan(path, entries)
    return frozenset(entries)


def _scan(path: Path, entries: set[tuple[str, int, int]]) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    if not path.is_dir():
        entries.add((str(path), info.st_mtime_ns, info.st_size))
        return
    try:
        with os.scandir(path) as listing:
            children = list(listing)
    except OSError:
        return
    for child in children:
        if child.name in SKIPPED_DIRS or child.name.endswith(("~", ".swp", ".swx")):
            continue
        try:
            if child.is_dir(follow_symlinks=False):
                _scan(Path(child.path), entries)
            else:
                stat = child.stat()
                entries.add((child.path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            continue


def watched(project: Project) -> dict[str, tuple[Path, ...]]:
    """The paths behind each part of the preview."""
    return {
        POLICY: (project.policy,),
        EMAILS: (project.templates,),
        SITE: (project.site_src,),
    }


class Watcher:
    """A background thread calling ``on_change(parts)`` when the files behind those parts change."""

    def __init__(
        self,
        project: Project,
        on_change: Callable[[set[str]], None],
        *,
        interval: float = 0.3,
        settle: float = 0.1,
        log: TextIO | None = None,
    ) -> None:
        self.paths = watched(project)
        self.on_change = on_change
        self.interval = interval
        self.settle = settle
        self.log = log
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="otokui-preview-watch", daemon=True)
        self._seen = self._take()

    def _take(self) -> dict[str, Signature]:
        return {part: signature(paths) for part, paths in self.paths.items()}

    def changed(self) -> set[str]:
        """The parts whose files changed since the last call (the settle delay included)."""
        now = self._take()
        if now == self._seen:
            return set()
        while not self._stop.wait(self.settle):  # wait until the files hold still
            again = self._take()
            if again == now:
                break
            now = again
        parts = {part for part in now if now[part] != self._seen.get(part)}
        self._seen = now
        return parts

    def start(self) -> Watcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            parts = self.changed()
            if not parts or self._stop.is_set():
                continue
            try:
                self.on_change(parts)
            except Exception as error:  # never let the watcher die: the next save should still rebuild
                if self.log is not None:
                    self.log.write(f"preview: rebuild crashed: {type(error).__name__}: {error}\n")
