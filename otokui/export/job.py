"""Export targets made in a process of their own, beside the ones the build makes itself.

Making the export targets, checking their files and writing them is most of
what a build does once its emails are rendered, and it is one target after
the other. With two cores, :func:`split` gives some targets to an
:class:`ExportJob` and the build makes the rest meanwhile.

The job's process is forked when the build starts, while the build holds
little (a forked process's memory starts at its parent's), and waits. Once
every variant is compiled, :meth:`ExportJob.begin` hands it the file of the
compiles (its descriptor, over a Unix socket) and where each compile is in it.
The process makes each of its targets, checks their files with the build's
checker, writes them into the staging folder and sends back only their
records, findings, summaries and problems: never their bytes.

Where a fork is not safe or does not help (:func:`otokui.fork.can_fork`), the
build makes every target itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import Any

from otokui.artifacts import Folder, Sent, Written
from otokui.export.core import ExportProblem
from otokui.fork import can_fork, receive_outcome, send_outcome, start_child
from otokui.policy.model import Policy

#: Targets made from one read of the compiles when there are few variants (see ``otokui.export``):
#: they share their merges or their sections, so they are kept together where they can be.
FAMILIES: tuple[tuple[str, ...], ...] = (("shopify", "ec-cube", "klaviyo"), ("makeshop", "futureshop"))

#: Each target's share of an export's work (making, checking and writing its files), as measured on
#: the large benchmark policy: the tag carts write a file per slot and variant group.
WEIGHTS: dict[str, int] = {"shopify": 3, "ec-cube": 2, "klaviyo": 1, "makeshop": 4, "futureshop": 4}

#: How often the waiting process checks that the build that forked it is still there.
POLL_SECONDS = 1.0


def split(targets: Sequence[str], *, together: bool = True) -> tuple[list[str], list[str]]:
    """``targets`` as (made by the build, made by the :class:`ExportJob`), each in the policy's order.

    ``together``: the targets are made from one read of the compiles (few variants), so the
    families stay together where both are there; otherwise the targets are shared out by weight.
    """
    present = [family for family in ([t for t in f if t in targets] for f in FAMILIES) if family]
    if len(targets) < 2:
        there: set[str] = set()
    elif together and len(present) == 2:
        there = set(present[0])  # the conditional targets: the build's own writes go to its background writer
    else:
        loads = {"here": 0, "there": 0}
        there = set()
        for target in sorted(targets, key=lambda t: -WEIGHTS.get(t, 1)):
            side = "there" if loads["there"] <= loads["here"] else "here"
            loads[side] += WEIGHTS.get(target, 1)
            if side == "there":
                there.add(target)
    return [t for t in targets if t not in there], [t for t in targets if t in there]


@dataclass(frozen=True)
class Made:
    """One target made by the job: its files' records, what it cannot say, its findings and summaries."""

    target: str
    files: list[Sent]
    problems: list[ExportProblem]
    found: list[Any]
    summaries: list[Any]
    reads_file: list[bool]  # each summary's source is its file's bytes (read back when it is compared)

    def kept(self, records: list[Written]) -> list[Any]:
        """The summaries, those that read their source from their file given its record (``records``, in order)."""
        if not self.summaries:  # not checked
            return []
        return [
            replace(s, kept=record) if reads else s
            for s, record, reads in zip(self.summaries, records, self.reads_file, strict=True)
        ]


def make(
    policy: Policy, templates_dir: Path, compiled: Any, targets: Sequence[str], root: Path, checker: Any
) -> list[Made]:
    """Each of ``targets`` made from ``compiled``, checked with ``checker`` and written under ``root``."""
    from otokui.export import export_each
    from otokui.writer import safe_relative, write_file

    folders: set[Path] = set()
    made: list[Made] = []
    each = export_each(policy, templates_dir, compiled, targets)
    for target in targets:  # one at a time (not zip(), whose kept tuple would hold the last one's files)
        artifacts, problems = next(each)
        found: list[Any] = []
        summaries: list[Any] = []
        reads_file: list[bool] = []
        if checker is not None:
            found, summaries = checker.check(artifacts)
            reads_file = [
                isinstance(s.kept, bytes) and s.kept is a.data for s, a in zip(summaries, artifacts, strict=True)
            ]
            summaries = [replace(s, kept="") if reads else s for s, reads in zip(summaries, reads_file, strict=True)]
        files = []
        for artifact in artifacts:
            write_file(root, safe_relative(artifact.path), artifact.data, folders)
            files.append(Sent.of(artifact))
        made.append(Made(target, files, problems, found, summaries, reads_file))
        del artifacts
    return made


def _child(conn: Connection, policy: Policy, templates_dir: Path, root: Path, checker: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    parent = os.getppid()
    try:
        while not conn.poll(POLL_SECONDS):
            if os.getppid() != parent:  # the build was killed outright
                return
        message = conn.recv()
    except (EOFError, OSError):
        return
    if message is None:  # not wanted after all
        return
    targets, kept, has_file = message

    def made() -> list[Made]:
        from otokui.emails.fill import CompiledStore

        store = CompiledStore.over(recv_handle(conn) if has_file else None, kept)
        try:
            return make(policy, templates_dir, store, targets, root, checker)
        finally:
            store.close()

    send_outcome(conn, made, "export")


class ExportJob:
    """A process, forked now, that makes the export targets it is given once the compiles are ready."""

    def __init__(self, policy: Policy, templates_dir: Path, folder: Folder, checker: Any = None) -> None:
        self._process: Any = None
        self._conn: Connection | None = None
        self._begun = False
        if can_fork():
            self._process, self._conn = start_child(  # a Unix socket: the compiles' file descriptor goes over it
                _child, (policy, templates_dir, folder.path, checker), "otokui-export", duplex=True
            )

    @property
    def in_background(self) -> bool:
        return self._process is not None

    def begin(self, compiled: Any, targets: Sequence[str]) -> None:
        """Make ``targets`` from ``compiled`` (a :class:`~otokui.emails.fill.CompiledStore`) from now on."""
        if self._conn is None:
            raise RuntimeError("no export process to begin")
        handle, kept = compiled.shared()
        self._conn.send((list(targets), kept, handle is not None))
        if handle is not None:
            send_handle(self._conn, handle, self._process.pid)
        self._begun = True

    def result(self) -> list[Made]:
        """Each target made, in the order given; raises what the process raised (an OSError from the disk…)."""
        if self._conn is None or not self._begun:
            return []
        conn, process = self._conn, self._process
        self._conn = self._process = None
        made: list[Made] = receive_outcome(conn, process, "export: the export process stopped")
        return made

    def cancel(self) -> None:
        """Stop the process (not wanted, or the build failed); what it wrote goes with the staging folder."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                if not self._begun:
                    self._conn.send(None)
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._begun:
                self._process.terminate()
            self._process.join()
            self._process = None
