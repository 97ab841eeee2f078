"""When the build may do part of its work in a forked process of its own."""

from __future__ import annotations

import multiprocessing
import os
import threading


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
