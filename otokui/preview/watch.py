"""Watching the shop's sources: rules.yaml, email_templates/**, site_src/**.

The operating system tells the preview when a file is written (watchdog:
inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows), so a
save is seen within milliseconds. Where the system offers no such events (some
network drives, or inotify's limits reached), watchdog polls instead, every
``interval`` seconds.

After the first event the watcher waits until the files have held still for
``settle`` seconds (an editor's save in several steps, or a folder copied in,
is rebuilt once), then calls ``on_change(parts, paths)`` with the parts of the
preview behind the changed files and the files themselves, so that only what
uses a saved file is rebuilt.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from otokui.pipeline import Project
from otokui.preview.state import EMAILS, POLICY, SITE

#: Folder names never looked into (editor and tool droppings).
SKIPPED_DIRS = frozenset({".git", "__pycache__", ".mypy_cache", ".ruff_cache", "node_modules", ".otokui-cache"})
#: What a write looks like; opening or reading a file (the build itself reads templates) is not a change.
WRITES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})


def watched(project: Project) -> dict[str, tuple[Path, ...]]:
    """The paths behind each part of the preview."""
    return {
        POLICY: (project.policy,),
        EMAILS: (project.templates,),
        SITE: (project.site_src,),
    }


def _skipped(path: str) -> bool:
    parts = Path(path).parts
    return any(part in SKIPPED_DIRS for part in parts) or path.endswith(("~", ".swp", ".swx"))


class _Events(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WRITES or (event.is_directory and event.event_type == EVENT_TYPE_MODIFIED):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(raw) if raw else ""
            if path and not _skipped(path):
                self.watcher.saw(Path(path))


class Watcher:
    """A background thread calling ``on_change(parts, paths)`` when the files behind those parts change."""

    def __init__(
        self,
        project: Project,
        on_change: Callable[[set[str], set[Path]], None],
        *,
        interval: float = 0.3,
        settle: float = 0.03,
        log: TextIO | None = None,
    ) -> None:
        self.paths = {part: tuple(Path(p).resolve() for p in paths) for part, paths in watched(project).items()}
        self.on_change = on_change
        self.interval = interval
        self.settle = settle
        self.log = log
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._thread = threading.Thread(target=self._loop, name="otokui-preview-watch", daemon=True)
        self._observer = self._observe(Observer())

    def _observe(self, observer: BaseObserver) -> BaseObserver:
        handler = _Events(self)
        folders: dict[Path, bool] = {}
        for paths in self.paths.values():
            for path in paths:
                if path.is_dir():
                    folders[path] = True
                else:  # a file (rules.yaml): watch its folder, keep only its own events
                    folders.setdefault(path.parent, False)
        for folder, recursive in folders.items():
            if folder.is_dir():
                observer.schedule(handler, str(folder), recursive=recursive)
        return observer

    def part_of(self, path: Path) -> str | None:
        """Which part of the preview ``path`` belongs to (``None``: not watched)."""
        for part, roots in self.paths.items():
            for root in roots:
                if path == root or root in path.parents:
                    return part
        return None

    def saw(self, path: Path) -> None:
        """Note a write to ``path`` (called from the observer's thread)."""
        if self.part_of(path) is None:
            return
        with self._wake:
            self._pending.add(path)
            self._last_event = time.monotonic()
            self._wake.notify()

    def changed(self, timeout: float | None = None) -> tuple[set[str], set[Path]]:
        """Wait for writes, then until they settle; the parts and files that changed (empty on timeout or stop)."""
        with self._wake:
            if not self._wake.wait_for(lambda: bool(self._pending) or self._stop.is_set(), timeout):
                return set(), set()
            while not self._stop.is_set():
                quiet = self._last_event + self.settle - time.monotonic()
                if quiet <= 0:
                    break
                self._wake.wait(quiet)
            paths, self._pending = self._pending, set()
        parts = {part for path in paths if (part := self.part_of(path)) is not None}
        return parts, paths

    def start(self) -> Watcher:
        try:
            self._observer.start()
        except OSError as error:  # no file events here (inotify limits…): poll instead
            if self.log is not None:
                self.log.write(
                    f"preview: no file events ({error.strerror or error}); polling every {self.interval} s\n"
                )
            self._observer = self._observe(PollingObserver(timeout=self.interval))
            self._observer.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._wake:
            self._wake.notify_all()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=30)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            parts, paths = self.changed(timeout=1.0)
            if not parts or self._stop.is_set():
                continue
            try:
                self.on_change(parts, paths)
            except Exception as error:  # never let the watcher die: the next save should still rebuild
                if self.log is not None:
                    self.log.write(f"preview: rebuild crashed: {type(error).__name__}: {error}\n")
