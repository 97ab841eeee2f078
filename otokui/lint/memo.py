"""The per-output checks of the last build, kept so that an unchanged output is not checked again.

A per-output rule sees one output, the policy and the checker's configuration,
nothing else. So what :meth:`Checker.check <otokui.lint.engine.Checker.check>`
returns for a group of outputs (an email's HTML and text parts, the member
site's pages) is fixed by:

- the outputs themselves: path, media type, context, bytes;
- the policy file's bytes (the policy, its ``checks:`` section and the line of
  every key come from them) and how the policy file is named in findings (the
  output folder's name is put in front of the outputs' paths as they are looked up);
- otokui's version and its code and data (the size and modification time of
  every file of the package), and Python's version.

A :class:`Memo` keys each group by all of that. It is read from the project's
cache folder (:mod:`otokui.cache`, the same private folder as the compiled
templates) before the render workers start, so they look up their emails
without any message, and written back by the build with exactly the groups it
checked: ``.otokui-cache/check/<version>.pickle``. An entry that was written
by a different otokui, for another policy file or other outputs is simply
never asked for; a damaged or unreadable file is a cache miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from otokui import __version__
from otokui.artifacts import Artifact

Checked = tuple[list[Any], list[Any]]  # findings, summaries
Entry = tuple[str, list[Any], list[Any]]  # the output folder as findings showed it, findings, summaries

_PACKAGE = Path(__file__).resolve().parent.parent


def code_fingerprint(root: Path = _PACKAGE) -> bytes:
    """Every file of the otokui package by path, size and modification time (a changed module misses)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
                continue
            with contextlib.suppress(OSError):
                info = entry.stat()
                digest.update(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.digest()


def _artifact_key(digest: Any, artifact: Artifact) -> None:
    digest.update(f"{artifact.path}\0{artifact.media_type}\0{artifact.context!r}\0".encode())
    digest.update(len(artifact.data).to_bytes(8, "little"))
    digest.update(artifact.data)
    if artifact.source is not None:
        digest.update(b"\1" + artifact.source.encode("utf-8", errors="surrogatepass"))


class Memo:
    """Looks up and records :meth:`Checker.check` results for groups of outputs."""

    def __init__(self, checker: Any, policy_bytes: bytes, folder: Path | None) -> None:
        self.checker = checker
        config = checker.config
        head = hashlib.sha256(code_fingerprint())
        head.update(hashlib.sha256(policy_bytes).digest())
        head.update(f"{config.policy_file}\0{config.files_only}\0{config.render}".encode())
        self._prefix: str = config.path_prefix  # where the output folder is shown: applied to what is looked up
        self._head = head.digest()  # bytes, so that a memo can be sent to a spawned worker
        self.file = folder / "check" / f"{__version__}.pickle" if folder is not None else None
        self._known: dict[bytes, Entry] = self._load()
        self._used: dict[bytes, Entry] = {}
        self._keeps = True  # False in a render worker: the build records what the worker sends back

    @property
    def empty(self) -> bool:
        """Whether nothing of the last build was kept (a first build, a cleared cache, another version)."""
        return not self._known

    def key(self, artifacts: Sequence[Artifact]) -> bytes:
        digest = hashlib.sha256(self._head)
        for artifact in artifacts:
            _artifact_key(digest, artifact)
        return digest.digest()

    def check(self, artifacts: Sequence[Artifact]) -> Checked:
        """What the checker finds in ``artifacts``: from the last build when they are the same, else checked now."""
        return self.checked(artifacts)[1]

    def checked(self, artifacts: Sequence[Artifact]) -> tuple[bytes, Checked]:
        """:meth:`check`, with the key another process :meth:`keep` s it by."""
        key = self.key(artifacts)
        known = self._lookup(key, artifacts)
        if known is None:
            known = self.checker.check(artifacts)
        if self._keeps:
            self._used[key] = (self._prefix, *known)
        return key, known

    def keep(self, key: bytes, checked: Checked) -> None:
        """Keep ``checked``, found in another process for the outputs of ``key`` (see :meth:`checked`)."""
        self._used[key] = (self._prefix, *checked)

    def in_worker(self) -> Memo:
        """This memo as a render worker uses it: it looks up and checks but keeps nothing for the next build.

        The build records what each worker sends back (:meth:`record`); a worker keeping it too would hold
        the findings and summaries of every output it checked to its end, for nothing.
        """
        self._keeps = False
        return self

    def hit(self, artifacts: Sequence[Artifact]) -> Checked | None:
        """The last build's findings and summaries for ``artifacts``, if it checked the very same."""
        return self._lookup(self.key(artifacts), artifacts)

    def record(self, artifacts: Sequence[Artifact], checked: Checked) -> None:
        """Keep ``checked`` (found for ``artifacts`` in another process) for the next build."""
        self.keep(self.key(artifacts), checked)

    def _lookup(self, key: bytes, artifacts: Sequence[Artifact]) -> Checked | None:
        entry = self._known.get(key)
        if entry is None:
            return None
        prefix, found, summaries = entry
        if prefix != self._prefix:  # the same outputs, built into another folder: findings name this one
            paths = {prefix + artifact.path for artifact in artifacts}
            found = [replace(f, file=self._prefix + f.file[len(prefix) :]) if f.file in paths else f for f in found]
        return list(found), list(summaries)

    def save(self) -> None:
        """Write what this build checked (and only that) for the next one; a failure only costs a miss."""
        if self.file is None:
            return
        from otokui.cache import own_folder

        folder = self.file.parent
        if not (own_folder(folder.parent) and own_folder(folder)):
            return
        with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
            handle, name = tempfile.mkstemp(dir=folder, prefix=".check-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(self._used, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(name, self.file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(name)
                raise

    def _load(self) -> dict[bytes, Entry]:
        if self.file is None:
            return {}
        from otokui.cache import own_folder

        if not (own_folder(self.file.parent.parent) and own_folder(self.file.parent)):
            return {}
        try:
            with open(self.file, "rb") as handle:
                known = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return {}
        return known if isinstance(known, dict) else {}
