"""When the build may do part of its work in a forked process of its own."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from otokui.errors import BuildError


def can_fork() -> bool:
    """Whether a second process helps and can be forked safely right now.

    It helps with two cores or more. It is safe while this process runs one thread:
    a fork taken while another thread holds a lock keeps that lock held for good in the child.
    """
    return (
        (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def send_outcome(conn: Connection, make: Callable[[], Any], what: str) -> None:
    """In a forked child: run ``make`` and send its result, or the exception it raised, to the parent.

    An exception that cannot be pickled goes as a BuildError naming ``what`` (``member site``…).
    :func:`receive_outcome` takes it in the parent.
    """
    try:
        outcome: tuple[str, Any] = ("ok", make())
    except BaseException as error:  # sent back and raised in the parent
        outcome = ("error", error)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send(("error", BuildError(f"{what}: {type(outcome[1]).__name__}: {outcome[1]}")))
    finally:
        conn.close()


def receive_outcome(conn: Connection, process: Any, stopped: str) -> Any:
    """In the parent: what the child sent with :func:`send_outcome`, or what it raised, raised here.

    A child that ended without sending is a BuildError: ``stopped`` and its exit code. The child is joined.
    """
    try:
        status, value = conn.recv()
    except EOFError:
        process.join()
        raise BuildError(f"{stopped} (exit code {process.exitcode})") from None
    finally:
        conn.close()
    process.join()
    if status == "error":
        raise value
    return value


def start_child(target: Callable[..., None], args: tuple[Any, ...], name: str, *, duplex: bool = False) -> Any:
    """Fork a daemon process running ``target(conn, *args)``; the process and this end of its pipe.

    ``duplex``: a Unix socket both ways (a file descriptor can go over it), else a pipe from the child.
    Only where :func:`can_fork` says so.
    """
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe(duplex=duplex)
    process = context.Process(target=target, args=(there, *args), name=name, daemon=True)
    process.start()
    there.close()
    return process, here
