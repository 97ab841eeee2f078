"""Writing the output folder so that a failed build never loses the last good one.

Everything is written into a fresh staging folder beside the output folder,
each file as soon as it is made (:class:`Writer`). Only when the whole build
has succeeded is the staging folder swapped in, by two renames on the same
file system; the previous output is removed after, without waiting for it
(:func:`remove_replaced`): on some disks deleting a large shop's tens of
thousands of files takes longer than building them.
A lock file keeps two builds of the same folder from interleaving.

The output folder is otokui's alone. Before anything is written,
:func:`claim_output` refuses (one line, exit 2) an output folder that is a
file, ``/``, the project folder, one of its source folders or a parent of
them, a path through a symbolic link, or an existing folder that an otokui
build did not make (a build leaves :data:`MARKER` in its folder). The lock
is taken on the resolved path, so two names for one folder share one lock.
The output folder's permissions follow the umask.

A build killed outright (``kill -9``, power loss) cannot clean up after
itself. The next build does it, once it holds the lock: it removes stale
staging folders, and if the kill fell between the two renames of the swap
(the output folder gone, the previous one still set aside) it puts the
previous output back first. A replaced output whose removal was cut short
(``.<name>-trash-…``) is only ever removed, never put back.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import signal
import stat
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from otokui.artifacts import Artifact, Folder, Sent, Written
from otokui.errors import BuildError, UsageError, printable

LOCK_WAIT_SECONDS = 60.0
#: The file every build leaves in its output folder: the sign that otokui may replace the folder.
MARKER = ".otokui-build"
#: What a build made before the marker existed still counts as one.
_LEGACY_SIGNS = ("emails/manifest.json",)


def claim_output(out_dir: Path, sources: dict[str, Path]) -> Path:
    """The resolved output folder, or UsageError when building there could destroy anything not otokui's.

    ``sources`` names the folders and files the build reads (``"the project folder"``: …), none of which
    the output folder may be, hold, or sit inside. Nothing is written here.
    """
    shown = printable(str(out_dir))
    absolute = Path(os.path.abspath(out_dir))
    link = _first_link(absolute)
    if link is not None:
        real = absolute.resolve()
        raise UsageError(
            f"--out {shown}: goes through the symbolic link {printable(str(link))} (to"
            f" {printable(str(link.resolve()))}); otokui builds only into a real folder: pass --out"
            f" {printable(str(real))} if that is what you mean"
        )
    resolved = absolute.resolve()
    if resolved.parent == resolved:
        raise UsageError(f"--out {shown}: is the root folder /; pass a folder of its own, such as ./dist")
    if resolved.exists() and not resolved.is_dir():
        raise UsageError(f"--out {shown}: is a file, not a folder; pass a folder of its own, such as ./dist")
    for what, source in sources.items():
        real = source.resolve()
        if resolved == real:
            raise UsageError(f"--out {shown}: is {what}; building there would replace it")
        if resolved in real.parents:
            raise UsageError(f"--out {shown}: holds {what} ({printable(str(real))}); building there would replace it")
        if real.is_dir() and resolved.is_relative_to(real) and what != "the project folder":
            raise UsageError(f"--out {shown}: is inside {what}; pass a folder of its own, such as ./dist")
    if resolved.is_dir() and not is_build(resolved):
        raise UsageError(
            f"--out {shown}: exists and is not an otokui build (it has no {MARKER} file); pass a new or"
            " empty folder, or move this one away yourself"
        )
    return resolved


def is_build(folder: Path) -> bool:
    """Whether ``folder`` is empty or an otokui build's output (which a new build may replace)."""
    if (folder / MARKER).is_file() or any((folder / sign).is_file() for sign in _LEGACY_SIGNS):
        return True
    try:
        return next(folder.iterdir(), None) is None
    except OSError:
        return False


def _first_link(path: Path) -> Path | None:
    """The first component of absolute ``path`` that is a symbolic link, if any."""
    current = Path(path.anchor)
    for part in path.parts[1:]:
        current = current / part
        if current.is_symlink():
            return current
        if not current.exists():
            return None
    return None


def current_umask() -> int:
    """The process's umask, read without changing it (Linux), else by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative POSIX path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path or "\x00" in path:
        raise BuildError(f"refusing to write outside the output folder: {path!r}")
    return pure


class Writer:
    """Writes artifacts into a build's folder as they are made, and keeps a :class:`Written` record of each.

    A path outside the folder, or one written already, is refused (BuildError).
    After :meth:`in_background`, files are handed to a process of the writer's
    own, which writes them while this one goes on making the next; :meth:`finish`
    waits for it and raises the first OSError it met (a full disk…).
    """

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.total = 0  # bytes written
        self._written: set[str] = set()
        self._folders: set[Path] = set()  # made already: each folder is made once, not once per file
        self._background: _Background | None = None

    def write(self, artifact: Artifact) -> Written:
        relative = safe_relative(artifact.path)
        if artifact.path in self._written:
            raise BuildError(f"two outputs want the same file: {artifact.path}")
        self._written.add(artifact.path)
        if self._background is not None:
            self._background.send(relative, artifact.data)
        else:
            write_file(self.folder.path, relative, artifact.data, self._folders)
        self.total += len(artifact.data)
        return Written.of(artifact, self.folder)

    def adopt(self, files: list[Sent]) -> list[Written]:
        """The records of ``files``, written into the folder by another process (refused if one was written already)."""
        for file in files:
            safe_relative(file.path)
            if file.path in self._written:
                raise BuildError(f"two outputs want the same file: {file.path}")
            self._written.add(file.path)
            self.total += file.size
        return [file.written(self.folder) for file in files]

    def in_background(self) -> None:
        """Write from now on in a process of the writer's own (where a fork is safe: this process runs one thread)."""
        import threading

        if self._background is None and hasattr(os, "fork") and threading.active_count() == 1:
            self._background = _Background(self.folder.path)

    def finish(self) -> None:
        """Wait until every file handed over is written; raise the OSError that stopped the writing, if any."""
        background, self._background = self._background, None
        if background is not None:
            background.finish()

    def stop(self) -> None:
        """Stop writing at once (the build failed: the staging folder is removed)."""
        background, self._background = self._background, None
        if background is not None:
            background.stop()


#: Staging folder → the output folder it will replace, for :func:`write_file` to take unchanged files from,
#: and the mode a new file gets in this build (0666 less the umask). Set by :class:`Staging` before the
#: build's processes are forked, so that every writer sees it.
_REPLACES: dict[Path, tuple[Path, int]] = {}


def write_file(root: Path, relative: PurePosixPath, data: bytes, folders: set[Path]) -> None:
    """``data`` as ``relative`` under ``root`` (a path :func:`safe_relative` allowed); ``folders``: made already.

    In a staging folder, a file the output it replaces holds already, byte for byte, is
    taken from there (:func:`_same_file`) rather than written again.
    """
    target = root.joinpath(*relative.parts)
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    replaced = _REPLACES.get(root)
    if replaced is not None and _same_file(*replaced, relative, data, target):
        return
    target.write_bytes(data)


def _same_file(replaced: Path, mode: int, relative: PurePosixPath, data: bytes, target: Path) -> bool:
    """Hard-link ``target`` to ``relative`` in the replaced output if that file is ``data`` already.

    A new file costs the file system an inode, and the replaced output's removal
    frees one; on ext4 without a journal, creating a file then skips every inode
    freed in the last minutes one by one, so a rebuild that writes everything
    anew gets slower with each one. A link costs neither. It is made only for a
    regular file, reached without a symbolic link, that nothing else links to,
    owned by this user, with the mode a new file would get, whose bytes are
    ``data``; anything else (or any error) writes the file as usual.
    """
    folder = -1
    try:
        folder = os.open(replaced, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        for part in relative.parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            os.close(folder)
            folder = inner
        name = relative.parts[-1]
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
        try:
            info = os.fstat(handle)
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_nlink != 1
                or info.st_size != len(data)
                or info.st_uid != os.geteuid()
                or stat.S_IMODE(info.st_mode) != mode
            ):
                return False
            with os.fdopen(handle, "rb", closefd=False) as existing:
                if existing.read(len(data) + 1) != data:
                    return False
        finally:
            os.close(handle)
        os.link(name, target, src_dir_fd=folder, follow_symlinks=False)
        return True
    except OSError:
        return False
    finally:
        if folder >= 0:
            os.close(folder)


_HEAD = struct.Struct("<IQ")  # path length, data length


class _Background:
    """A forked process writing the files sent down a pipe under ``root``, one after the other.

    It writes nothing outside ``root`` (the paths are checked before they are sent), and
    ends at the end of the pipe: when this process finishes, stops it, or is killed.
    """

    def __init__(self, root: Path) -> None:
        import fcntl

        files_r, files_w = os.pipe()
        report_r, report_w = os.pipe()
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(files_w, fcntl.F_SETPIPE_SZ, 1 << 20)  # Linux: room for a few files at a time
        pid = os.fork()
        if pid == 0:  # the writer: no return from here
            code = 1
            try:
                os.close(files_w)
                os.close(report_r)
                code = _drain(files_r, report_w, root)
            finally:
                os._exit(code)
        os.close(files_r)
        os.close(report_w)
        self.pid, self._pipe, self._report = pid, files_w, report_r
        self._ended = False

    def send(self, relative: PurePosixPath, data: bytes) -> None:
        path = str(relative).encode("utf-8")
        try:
            _send(self._pipe, [_HEAD.pack(len(path), len(data)), path, data])
        except BrokenPipeError:  # the writer stopped: on what it met
            self.finish()
            raise

    def finish(self) -> None:
        if self._ended:
            return
        self._ended = True
        os.close(self._pipe)
        _, status = os.waitpid(self.pid, 0)
        with os.fdopen(self._report, "rb") as report:
            failure = report.read()
        if failure:
            number, reason = failure.decode("utf-8", errors="replace").split(" ", 1)
            raise OSError(int(number), reason)
        if status != 0:
            raise OSError(errno.EIO, f"the writing process ended (status {status})")

    def stop(self) -> None:
        if self._ended:
            return
        self._ended = True
        with contextlib.suppress(OSError):
            os.close(self._pipe)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self._report)


def _send(handle: int, parts: list[bytes]) -> None:
    views = [memoryview(part) for part in parts if part]
    while views:
        sent = os.writev(handle, views)
        while views and sent >= len(views[0]):
            sent -= len(views[0])
            views.pop(0)
        if views and sent:
            views[0] = views[0][sent:]


def _drain(files: int, report: int, root: Path) -> int:
    """The writer process: write every file read from ``files``; the first OSError goes to ``report``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    folders: set[Path] = set()
    with os.fdopen(files, "rb", buffering=1 << 20) as stream:
        while True:
            head = stream.read(_HEAD.size)
            if len(head) < _HEAD.size:
                return 0  # the end: every file sent is written
            path_size, data_size = _HEAD.unpack(head)
            path = stream.read(path_size).decode("utf-8")
            data = stream.read(data_size)
            if len(data) < data_size:
                return 0  # cut short: the build stopped
            try:
                write_file(root, PurePosixPath(path), data, folders)
            except OSError as exc:
                os.write(report, f"{exc.errno or errno.EIO} {exc.strerror or exc}".encode())
                return 0


@contextlib.contextmanager
def build_lock(out_dir: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``out_dir`` for the length of one build."""
    import fcntl

    resolved = out_dir.resolve()
    parent = resolved.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle = open(parent / f".{resolved.name}.lock", "a+")  # noqa: SIM115
    except OSError as exc:
        raise BuildError(f"{out_dir}: cannot write next to the output folder ({exc.strerror})") from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildError(f"{out_dir}: another build is still writing it") from None
                time.sleep(0.05)
        recover(out_dir)
        yield
    finally:
        handle.close()


def _aside(out_dir: Path, kind: str, tag: str) -> Path:
    """The folder ``.<name>-<kind>-<tag>`` beside ``out_dir`` (``kind``: ``build``, ``old`` or ``trash``)."""
    return out_dir.with_name(f".{out_dir.name}-{kind}-{tag}")


def _leftovers(out_dir: Path, kind: str) -> list[Path]:
    """Folders beside ``out_dir``: ``build`` (staging), ``old`` (set aside), ``trash`` (replaced); oldest first."""
    pattern = f".{glob.escape(out_dir.name)}-{kind}-*"
    found = [p for p in out_dir.parent.glob(pattern) if p.is_dir() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def recover(out_dir: Path) -> None:
    """Clean up after a killed build; call only while holding :func:`build_lock`."""
    out_dir = out_dir.resolve()
    old = _leftovers(out_dir, "old")
    if old and not out_dir.exists():
        with contextlib.suppress(OSError):
            old.pop().rename(out_dir)  # killed mid-swap: the previous output comes back
    for stale in [*_leftovers(out_dir, "build"), *old]:
        shutil.rmtree(stale, ignore_errors=True)
    for trash in _leftovers(out_dir, "trash"):  # its removal may still be running: one more does no harm
        _remove_in_background(trash)


#: Deletes the folder ``$1`` in a process of its own that the caller does not wait for.
_REMOVE = 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &'


def remove_replaced(old: Path, trash: Path) -> None:
    """Remove ``old``, the output folder until it was replaced, in the background.

    It is renamed ``trash`` (``.<name>-trash-…``) first, so that nothing (not even the
    recovery of a build killed mid-swap) takes it for the output again. The
    removal runs in a new session, so neither this process's end nor a Ctrl-C
    stops it halfway; if it is stopped all the same, the next build removes the
    rest. Where no process can be started, it is removed here and now.
    """
    try:
        old.rename(trash)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)
        return
    _remove_in_background(trash)


def _remove_in_background(trash: Path) -> None:
    try:
        subprocess.run(
            ["/bin/sh", "-c", _REMOVE, "sh", str(trash)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(trash, ignore_errors=True)


class Staging:
    """A staging folder that becomes ``out_dir`` on :meth:`commit`, or vanishes."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        parent = self.out_dir.parent
        try:
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}-build-", dir=parent))
        except OSError as exc:
            raise BuildError(f"{out_dir}: cannot write next to the output folder ({exc.strerror})") from None
        self.folder = Folder(self.path)  # where the build's files are: here, then the output folder
        try:
            umask = current_umask()
            self.path.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output follows the umask
            (self.path / MARKER).write_text("otokui build output: a new build replaces this folder\n")
        except OSError as exc:
            shutil.rmtree(self.path, ignore_errors=True)
            raise write_error(out_dir, exc) from None
        self.committed = False
        if self.out_dir.is_dir():  # claimed (claim_output): an otokui build, reached without a symbolic link
            _REPLACES[self.path] = (self.out_dir, 0o666 & ~umask)  # unchanged files are linked from there (write_file)

    def commit(self) -> None:
        """Swap the staging folder in; the previous output is kept until the swap has happened."""
        _REPLACES.pop(self.path, None)
        old: Path | None = None
        tag = f"{os.getpid()}-{time.monotonic_ns()}"
        try:
            if self.out_dir.exists():
                old = _aside(self.out_dir, "old", tag)
                self.out_dir.rename(old)
            try:
                self.path.rename(self.out_dir)
            except OSError:
                if old is not None:
                    old.rename(self.out_dir)
                raise
        except OSError as exc:
            raise BuildError(f"{self.out_dir}: could not replace the output folder ({exc.strerror})") from None
        self.committed = True
        self.folder.path = self.out_dir
        if old is not None:
            remove_replaced(old, _aside(self.out_dir, "trash", tag))

    def discard(self) -> None:
        _REPLACES.pop(self.path, None)
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Staging]:
    """Yield a staging folder; on any exception it is removed and ``out_dir`` stays as it was."""
    stage = Staging(out_dir)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    else:
        stage.discard()


def write_error(out_dir: Path, exc: OSError) -> BuildError:
    """A BuildError for a failed write (disk full, read-only folder…), naming the folder."""
    reason = exc.strerror or str(exc)
    return BuildError(f"{out_dir}: could not write the build ({reason}); the previous output is untouched")
