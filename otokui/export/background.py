"""Some export targets written in a forked process, beside the others in this one.

A build's export runs after the render workers are done: with a second core, the tag carts
(one file per variant) and Klaviyo are written in a forked copy of this process (it has the
compiled variants already) while this one writes Shopify and EC-CUBE, about as long. The
files are the same: the same code writes them.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from otokui.errors import BuildError
from otokui.export.core import ExportResult

#: Fewer variants than this are written in one process (a fork would cost more than it saves).
APART_FROM = 300
#: The targets written apart (the tag carts and Klaviyo take about as long as Shopify and EC-CUBE).
APART = frozenset(("makeshop", "futureshop", "klaviyo"))


def can_fork(variants: int) -> bool:
    """Whether writing some targets in a forked process helps and is safe right now."""
    from otokui.site.background import can_fork as fork_is_safe

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return variants >= APART_FROM and cores > 1 and fork_is_safe()


Job = Callable[[], list[ExportResult]]


def _child(conn: Connection, job: Job) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        outcome: tuple[str, Any] = ("ok", job())
    except BaseException as exc:  # everything goes back to the parent
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send(("error", BuildError(f"export: {type(outcome[1]).__name__}: {outcome[1]}")))
    finally:
        conn.close()


class Apart:
    """``job`` (some targets' export) running in a forked process; :meth:`result` waits for it."""

    def __init__(self, job: Job) -> None:
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self._process: Any = context.Process(target=_child, args=(send, job), name="otokui-export", daemon=True)
        self._process.start()
        send.close()
        self._conn = receive

    def result(self) -> list[ExportResult]:
        """The job's results; raises what it raised."""
        try:
            status, value = self._conn.recv()
        except EOFError:
            self._process.join()
            raise BuildError(f"export: the export process stopped (exit code {self._process.exitcode})") from None
        finally:
            self._conn.close()
        self._process.join()
        if status == "error":
            raise value
        results: list[ExportResult] = value
        return results

    def stop(self) -> None:
        """End the process if it still runs (the build failed or was interrupted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()


def split(targets: Sequence[str], apart: frozenset[str]) -> tuple[list[str], list[str]]:
    """``targets`` written here and those written apart (kept in their order)."""
    return [t for t in targets if t not in apart], [t for t in targets if t in apart]
