"""The project's own cache folder: compiled templates kept between builds.

A build compiles every Jinja template it uses (the email templates, the
generated site pages, the MkDocs theme). The compiled code is kept in
``.otokui-cache/`` beside ``rules.yaml``, so the next build loads it instead
of compiling again::

    .otokui-cache/jinja/<otokui version>-<environment>/__jinja2_<hash>.cache

Each entry holds the checksum of the template source it was compiled from
(Jinja checks it on every load, and recompiles when the template changed) and
is specific to the Jinja and Python versions; the folder name carries
otokui's version and the environment (the email sandbox compiles templates
differently from the site's plain environment, so they never share code).

The cache is only ever written under the project's folder, never in a shared
temporary folder: sandboxed email templates must not load code someone else
wrote. A folder that is not the current user's own, or that others may write
to, is not used. Deleting ``.otokui-cache/`` (or ``make clean``) clears it;
the next build recompiles. A cache folder that would land inside the output
folder is not used either.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

from otokui import __version__

CACHE_DIR = ".otokui-cache"

_root: Path | None = None


def cache_folder(policy_path: Path) -> Path:
    """The cache folder of the project whose policy is ``policy_path``."""
    return Path(policy_path).resolve().parent / CACHE_DIR


def use_project(policy_path: Path | None, out_dir: Path | None = None) -> Path | None:
    """Cache compiled templates for the project of ``policy_path`` (``None``: cache nothing).

    Returns the cache folder in use, or ``None`` when it is not used (no project,
    or the folder would be inside ``out_dir``).
    """
    global _root
    _root = None
    if policy_path is None:
        return None
    folder = cache_folder(policy_path)
    if out_dir is not None:
        out = Path(out_dir).resolve()
        if folder == out or out in folder.parents:
            return None
    _root = folder
    return folder


def current() -> Path | None:
    """The cache folder in use in this process, if any."""
    return _root


def own_folder(path: Path) -> bool:
    """Create ``path`` (private) if needed; whether it is ours alone to read code from."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def bytecode_cache(environment: str) -> BytecodeCache | None:
    """The on-disk cache of compiled templates for one kind of Jinja environment, or ``None``."""
    if _root is None:
        return None
    folder = _root / "jinja" / f"{__version__}-{environment}"
    if not (own_folder(_root) and own_folder(_root / "jinja") and own_folder(folder)):
        return None
    return _QuietCache(str(folder))


class _QuietCache(FileSystemBytecodeCache):
    """Jinja's file cache, but a cache that cannot be read or written only costs a compile."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):  # unreadable or damaged: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # disk full, folder gone: the build goes on without caching
            super().dump_bytecode(bucket)
