"""Compiled phrases kept between runs in the project's cache folder.

Compiling the shipped phrase files (splitting every word of every entry with
SudachiPy or the English stemmer) costs more than checking a whole build's
wording. The compiled form of each phrase (nested tuples of words) is kept in
the project's private cache folder (:mod:`otokui.cache`, beside ``rules.yaml``)::

    .otokui-cache/phrases/<fingerprint>.marshal

The fingerprint covers otokui's version, Python's, and the size and
modification time of the code that decides how a phrase compiles (the phrase
compiler, the tokenizer, the normaliser, SudachiPy's dictionary and the
English stemmer), so a changed tokenizer never reads an old compile. A phrase
that is not in the file (a new or edited entry) is compiled as usual and the
file is written again. Without a project, or when the folder is not the
user's own, nothing is read or written; a damaged file is a cache miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from otokui import __version__

Key = tuple[str, str]  # (phrase as compiled, language)

_HERE = Path(__file__).resolve().parent
_CODE = (_HERE / "phrases.py", _HERE / "morph.py", _HERE / "normalize.py")
_LIBRARIES = ("sudachipy", "sudachidict_core", "snowballstemmer")

_loaded: dict[Key, Any] = {}
_folder: list[Path | None] = []  # the folder _loaded was read from (empty: not read yet)
_fresh: dict[Key, Any] = {}  # compiled in this process, not in the file


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{marshal.version}".encode())
    files: list[Path] = list(_CODE)
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            files.extend(sorted(Path(location).glob("*.py")) + sorted(Path(location).glob("resources/*.dic")))
    for path in files:
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def _path() -> Path | None:
    from otokui import cache

    root = cache.current()
    if root is None or not (cache.own_folder(root) and cache.own_folder(root / "phrases")):
        return None
    return root / "phrases" / f"{_fingerprint()}.marshal"


def lookup(key: Key) -> Any | None:
    """The compiled elements of ``key`` from the cache file, or None."""
    from otokui import cache

    root = cache.current()
    if not _folder or _folder[0] != root:  # first use, or another project's folder
        _folder[:] = [root]
        _loaded.clear()
        path = _path() if root is not None else None
        if path is not None:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                data = marshal.loads(path.read_bytes())
                if isinstance(data, dict):
                    _loaded.update(data)
    return _loaded.get(key)


def remember(key: Key, elements: Any) -> None:
    """A phrase compiled in this process (written out by :func:`save`)."""
    _fresh[key] = elements


def save() -> None:
    """Write the cache file again if phrases were compiled that it does not hold."""
    if not _fresh:
        return
    path = _path()
    if path is None:
        return
    data = {**_loaded, **_fresh}
    with contextlib.suppress(OSError, ValueError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".phrases-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(data))
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        for old in path.parent.glob("*.marshal"):  # compiles of an older tokenizer are never read again
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()
    _loaded.update(_fresh)
    _fresh.clear()
