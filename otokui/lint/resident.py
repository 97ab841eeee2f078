"""The pages of a read-only mapped file, kept from piling up in this process's resident memory.

SudachiPy maps its dictionary file (about 200 MB for the core dictionary) into
memory and reads it in place. Linux counts every page of a mapping that has been
read as resident in the process, and it maps a file's page cache in large
pieces (a folio of up to 2 MB for a look-up of a few bytes). So opening the
dictionary leaves some 70 MB of it counted in the process, and splitting the
words of a few hundred texts over 140 MB, though a look-up needs little of it at
a time. Those pages are the file's own and never written: telling the kernel the
process does not need them (``MADV_DONTNEED``) takes them out of its resident
set and leaves them in the page cache, so that the next look-up maps what it
reads again without going to the disk.

:class:`MappedFiles` finds the shared read-only mappings of the files a callable
mapped (:meth:`MappedFiles.opened_by`) and releases their pages every so many
characters read (:meth:`MappedFiles.read`). Where there is no
``/proc/self/maps`` (not Linux) or no ``madvise``, it does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import mmap
import re
from collections.abc import Callable
from typing import TypeVar

Opened = TypeVar("Opened")

_MAPS = "/proc/self/maps"
_SMAPS_HEADER = re.compile(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$")


def _mapped_files() -> dict[str, list[tuple[int, int]]]:
    """Every file this process maps shared and read-only: path → (start, end) of each such mapping.

    Only a shared mapping's pages are always the file's own (a private one may hold changed copies).
    """
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        with open(_MAPS, encoding="utf-8", errors="replace") as maps:
            for line in maps:
                fields = line.split(maxsplit=5)
                if len(fields) < 6 or not fields[5].startswith("/"):
                    continue
                span, perms, path = fields[0], fields[1], fields[5].rstrip("\n")
                if perms != "r--s" or path.endswith(" (deleted)"):  # writable, run or private: never released
                    continue
                start, end = span.split("-")
                found.setdefault(path, []).append((int(start, 16), int(end, 16)))
    except (OSError, ValueError):
        return {}
    return found


def _madvise() -> Callable[[int, int, int], int] | None:
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is None:
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    function.restype = ctypes.c_int
    return function


class MappedFiles:
    """Read-only mappings of some files, whose pages are released after every ``every`` characters read."""

    def __init__(self, paths: frozenset[str], every: int) -> None:
        self.paths = paths
        self.every = every
        self.unreleased = 0  # characters read since the pages were last released
        self._madvise = _madvise() if paths else None

    @classmethod
    def opened_by(cls, open_: Callable[[], Opened], every: int) -> tuple[Opened, MappedFiles]:
        """What ``open_`` returns, and the files it mapped shared and read-only (their pages released at once)."""
        before = _mapped_files()
        opened = open_()
        files = cls(frozenset(path for path in _mapped_files() if path not in before), every)
        files.release()
        return opened, files

    def read(self, characters: int) -> None:
        """Count ``characters`` read with the mapped files; past :attr:`every`, release their pages."""
        self.unreleased += characters
        if self.unreleased >= self.every:
            self.release()

    def release(self) -> None:
        """Take the files' pages out of this process's resident memory (they stay in the page cache)."""
        self.unreleased = 0
        if self._madvise is None:
            return
        advice = mmap.MADV_DONTNEED
        for path, spans in _mapped_files().items():  # read again: only what is mapped read-only now
            if path in self.paths:
                for start, end in spans:
                    with contextlib.suppress(OSError):
                        self._madvise(start, end - start, advice)

    def resident_kb(self) -> int:
        """How much of the files this process holds in resident memory, in KB (0 where that cannot be read)."""
        total = 0
        inside = False
        try:
            with open("/proc/self/smaps", encoding="utf-8", errors="replace") as smaps:
                for line in smaps:
                    header = _SMAPS_HEADER.match(line)
                    if header:
                        inside = header[1] in self.paths
                    elif inside and line.startswith("Rss:"):
                        total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            return 0
        return total
