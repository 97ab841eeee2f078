"""Building the member site in a second process, beside the email rendering.

MkDocs is pure Python and takes about as long as rendering and checking every
email, so on a machine with two cores or more the pipeline starts the site
build first, in a forked process, and renders the emails meanwhile. The
child also runs the checker's per-output rules on the pages it built.
:meth:`SiteJob.result` waits for it and returns its pages (with those findings
and the pages' summaries), or raises the
error it met (a :class:`~otokui.errors.BuildError`, an ``OSError`` from the
disk) exactly as an in-process build would.

The child runs at a lower priority (:data:`NICENESS`): while the email
workers render, they get the cores first and the site takes what they leave,
then the core the export and the writing leave free; so it is done about
when the pipeline needs it, and the emails are not slowed meanwhile.

A process is forked only when that is safe: no other thread is running (a
fork taken while another thread holds a lock keeps that lock held for good
in the child). Otherwise, and on one core, the site is built in the calling
process when :meth:`SiteJob.result` is called.
"""

from __future__ import annotations

import contextlib
import os
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from otokui.artifacts import Artifact
from otokui.fork import can_fork, receive_outcome, send_outcome, start_child
from otokui.lint.engine import Checker
from otokui.policy.model import Policy

Checked = tuple[list[Artifact], list[Any], list[Any]]  # pages, findings, summaries

#: How far the site process stands back (:func:`os.nice`) for the email workers beside it.
NICENESS = 5


def _build(
    policy: Policy, policy_path: Path, site_src: Path, out_dir: Path, handwritten: bool, checker: Checker | None
) -> Checked:
    from otokui.site.build import build_site

    pages = build_site(policy, policy_path, site_src, out_dir, handwritten=handwritten)
    if checker is None:
        return pages, [], []
    found, summaries = checker.check(pages)
    return pages, found, summaries


def _child(conn: Connection, args: tuple[Policy, Path, Path, Path, bool, Checker | None]) -> None:
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    send_outcome(conn, lambda: _build(*args), "member site")


class SiteJob:
    """The member site being built, in a forked process when possible."""

    def __init__(
        self,
        policy: Policy,
        policy_path: Path,
        site_src: Path,
        out_dir: Path,
        checker: Checker | None = None,
        *,
        handwritten: bool = True,
    ) -> None:
        self._args = (policy, policy_path, site_src, out_dir, handwritten, checker)
        self._process: Any = None
        self._conn: Connection | None = None
        if can_fork():
            self._process, self._conn = start_child(_child, (self._args,), "otokui-site")

    @property
    def in_background(self) -> bool:
        return self._process is not None

    def result(self) -> Checked:
        """The built pages, with the checker's findings and summaries for them; raises what the build raised."""
        if self._process is None or self._conn is None:
            return _build(*self._args)
        process, self._process = self._process, None
        result: Checked = receive_outcome(self._conn, process, "member site: the build process stopped")
        return result

    def cancel(self) -> None:
        """Stop a background build that is no longer wanted (the emails failed)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
