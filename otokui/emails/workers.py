"""Rendering in worker processes that can be stopped, whatever a template does.

The in-thread watchdog of :mod:`otokui.emails.sandbox` stops a runaway
*Python* loop, but not one long C-level operation (arithmetic on a number of
millions of digits, a regular expression gone wild) and not a crash inside
MRML. So every template, Jinja and MJML alike, runs in a worker process of
its own, under hard limits:

* **address space** (``RLIMIT_AS``): :attr:`Limits.memory_bytes` above what
  the worker holds when it starts; a template that asks for more gets a
  ``MemoryError`` (reported with its line) or the worker ends;
* **CPU time** (``RLIMIT_CPU``): :attr:`Limits.cpu_seconds` per variant;
* **wall clock**: :attr:`Limits.variant_seconds` per variant (the worker's own
  :mod:`faulthandler` timer ends it and writes where it was; the parent kills it
  a moment later if even that fails) and :attr:`Limits.build_seconds` for the
  whole render.

The parent only waits on pipes and process sentinels, with a timeout, so a
worker that dies, overruns or segfaults never hangs the build: it becomes a
:class:`~otokui.errors.TemplateError` naming the template, the file and line
the worker was at (read from the traceback :mod:`faulthandler` wrote as the
worker ended) and the variant it was rendering. The remaining workers are
stopped and the previous output stays as it was.

Workers are forked when the calling process runs one thread (quick: nothing
to import); otherwise (the preview server) they come from a fork server
started before any thread of its own, so no lock held by another thread is
inherited.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import multiprocessing
import os
import re
import resource
import signal
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from otokui import cache
from otokui.emails import compile as mjml_compile
from otokui.emails import sandbox
from otokui.errors import BuildError, OtokuiError, TemplateError
from otokui.policy.model import Policy
from otokui.writer import current_umask

#: A task asking a worker for the printable letters instead of an email variant (checked there, given a checker).
LETTERS = "letters"


@dataclass(frozen=True)
class Check:
    """A task asking a worker to check outputs made elsewhere (the checkout snippets), with the build's checker.

    The checker's word lists and dictionaries are then read in the workers alone.
    """

    artifacts: tuple[Any, ...]
    what: str  # what they are, for a failure's message


#: How long after its own timer the parent waits before killing a worker that has not ended.
GRACE_SECONDS = 2.0
#: How often a waiting parent checks whether it was cancelled.
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Limits:
    """Hard limits on one render; the defaults come from the policy's ``build:`` section."""

    variant_seconds: float = 20.0  # wall clock per variant (the in-thread watchdog stops Python loops at 10 s)
    build_seconds: float = 300.0  # wall clock for every variant together
    cpu_seconds: float = 20.0  # CPU time per variant
    memory_bytes: int = 1 << 30  # address space a worker may take beyond what it has at start
    watchdog_seconds: float = sandbox.MAX_SECONDS  # the in-thread watchdog, inside the worker
    markup_depth: int = mjml_compile.MAX_MARKUP_DEPTH  # deepest element nesting handed to MRML

    @classmethod
    def from_policy(cls, policy: Policy) -> Limits:
        build = policy.build
        return cls(
            variant_seconds=float(build.variant_seconds),
            build_seconds=float(build.build_seconds),
            cpu_seconds=float(build.variant_seconds),
            # read now, so that it reaches workers started from a fork server too
            watchdog_seconds=min(sandbox.MAX_SECONDS, build.variant_seconds / 2),
        )


# --------------------------------------------------------------------------- the worker side


def _set_limits(limits: Limits) -> None:
    """Cap the worker's address space (beyond its current size) before it runs any template."""
    with contextlib.suppress(OSError, ValueError):
        size = _vm_size()
        if size:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            wanted = size + limits.memory_bytes
            if hard != resource.RLIM_INFINITY:
                wanted = min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _cpu_budget(seconds: float) -> None:
    """Let the worker use ``seconds`` more CPU time from now; past it the kernel sends SIGXCPU."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    with contextlib.suppress(OSError, ValueError):
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = math.ceil(used + seconds)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _describe_failure(error: BaseException) -> tuple[str, Any]:
    if isinstance(error, Unwritten):
        return ("unwritten", error.args)
    if isinstance(error, TemplateError):
        return ("template", (error.file, error.line, error.message))
    if isinstance(error, OtokuiError):
        return ("other", (error.exit_code, error.lines()))
    return ("bug", f"{type(error).__name__}: {error}")


def _worker(
    conn: Connection,
    policy: Policy,
    templates_dir: Path,
    limits: Limits,
    log_path: str,
    cache_root: Path | None,
    checker: Any = None,
    compiled: bool = False,
    write_to: tuple[Path, int] | None = None,
) -> None:
    """One render worker: compile the templates, then render what the parent sends until told to stop.

    With a ``checker`` (:class:`otokui.lint.engine.Checker`), each email is
    checked as soon as it is rendered, and the findings and summaries go back
    with it: its parsed documents never leave the worker. With ``compiled``, each
    variant is compiled with field tokens once and its email filled from that
    compile (:func:`otokui.emails.fill.compile_and_fill`); the compile goes back too.
    With ``write_to`` (a build's staging folder, and the build's umask), each email's
    files are written there and only their records go back.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    in_worker = getattr(checker, "in_worker", None)  # a memo of the checks (otokui.lint.memo): the parent records
    if in_worker is not None:
        checker = in_worker()
    if cache_root is not None:  # the parent's compiled-template cache (a forked worker has it already)
        cache.use_project(cache_root.parent / "rules.yaml")
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - open for the worker's whole life
    faulthandler.enable(file=log, all_threads=False)
    faulthandler.register(signal.SIGXCPU, file=log, all_threads=False, chain=True)
    _set_limits(limits)
    sandbox.MAX_SECONDS = limits.watchdog_seconds
    mjml_compile.MAX_MARKUP_DEPTH = limits.markup_depth
    from otokui.emails.letters import render_letters
    from otokui.emails.render import Renderer
    from otokui.emails.templates import signature

    try:
        _cpu_budget(limits.cpu_seconds)
        faulthandler.dump_traceback_later(limits.variant_seconds, exit=True, file=log)
        seen = signature(templates_dir)
        renderer = Renderer(policy, templates_dir)
        faulthandler.cancel_dump_traceback_later()
    except BaseException as error:  # everything goes back to the parent
        conn.send(("failed", -1, _describe_failure(error)))
        return
    conn.send(("ready", -1, _line_maps(renderer, policy)))
    parent = os.getppid()
    folders: set[Path] = set()  # made already under write_to
    folder = None
    if write_to is not None:  # files and folders made as the build would make them (a fork server's umask may differ)
        folder, umask = write_to
        os.umask(umask)
    while True:
        try:
            while not conn.poll(POLL_SECONDS * 10):
                if os.getppid() != parent:  # the build was killed outright (a forked worker holds the pipe's
                    return  # other end too, so it would never read the end of it)
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task, fresh = message
        log.seek(0)
        log.truncate()
        _cpu_budget(limits.cpu_seconds)
        faulthandler.dump_traceback_later(limits.variant_seconds, exit=True, file=log)
        try:
            if fresh and signature(templates_dir) != seen:  # a kept worker, a new render: templates saved since
                seen = signature(templates_dir)
                renderer = Renderer(policy, templates_dir)
                conn.send(("maps", -1, _line_maps(renderer, policy)))
            result: Any
            if isinstance(task, Check):
                result = checker.check(task.artifacts)
            elif task == LETTERS:
                letters = render_letters(policy, templates_dir)
                result = (letters, *checker.check(letters)) if checker is not None else letters
            else:
                result = _render(renderer, task, checker, compiled, folder, folders)
        except BaseException as error:
            faulthandler.cancel_dump_traceback_later()
            conn.send(("failed", index, _describe_failure(error)))
            continue
        faulthandler.cancel_dump_traceback_later()
        conn.send(("done", index, result))


class Unwritten(Exception):
    """A worker could not write an email's file (a full disk…): the build's writing failed, not its template."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.errno or 0, error.strerror or str(error))


def _render(
    renderer: Any,
    variant: Any,
    checker: Any,
    compiled: bool,
    write_to: Path | None = None,
    folders: set[Path] | None = None,
) -> Any:
    """The email; for a build (with a ``checker`` or ``compiled``) a :class:`~otokui.emails.render.Built`.

    A build gets the email's files as bytes and its manifest entry, not the email
    itself: its HTML as a Python string takes two to four bytes a character in the
    parent, for every variant at once. With ``write_to``, the files are written
    there and the build gets their records (:class:`~otokui.artifacts.Sent`) instead.
    """
    if not compiled and checker is None:
        return renderer.render(variant)
    from otokui.emails.render import Built, artifacts_for, manifest_entry

    if compiled:
        from otokui.emails.fill import compile_and_fill, pack

        email, compile = compile_and_fill(renderer, variant)
    else:
        email, compile = renderer.render(variant), None
    files = artifacts_for(email)
    key = None
    if checker is None:
        found, summaries = [], []
    elif hasattr(checker, "checked"):  # a memo of the checks: the build keeps them by this key
        key, (found, summaries) = checker.checked(files)
    else:
        found, summaries = checker.check(files)
    blob = pack(compile) if compile is not None else None  # UTF-8 on the way and in the parent
    if write_to is None:
        return Built(files, manifest_entry(email), found, summaries, blob, key)
    from otokui.artifacts import Sent
    from otokui.writer import safe_relative, write_file

    try:
        for artifact in files:
            write_file(write_to, safe_relative(artifact.path), artifact.data, folders if folders is not None else set())
    except OSError as error:
        raise Unwritten(error) from None
    return Built([Sent.of(a) for a in files], manifest_entry(email), found, summaries, blob, key)


@dataclass(frozen=True)
class LineMaps:
    """What the parent needs to name a template line from a worker's dying traceback."""

    templates: dict[str, tuple[str, tuple[tuple[int, int], ...]]]  # code file → (shown name, (template, code) lines)
    kinds: dict[str, str]  # email kind → shown name of its template


def _line_maps(renderer: Any, policy: Policy) -> LineMaps:
    templates = renderer.templates
    maps: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    for name in templates.names():
        template = templates.compiled(name)
        if template.filename:
            maps[template.filename] = (templates.display(template.filename), tuple(template.debug_info))
    kinds = {}
    for kind, _ in policy.emails.items():
        name, _template = templates.for_kind(kind)
        kinds[kind] = templates.display(templates.directory / name)
    return LineMaps(maps, kinds)


# --------------------------------------------------------------------------- the parent side

_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+) in (?P<name>\S+)', re.MULTILINE)
_SIGNALS = {
    signal.SIGSEGV: "crashed (segmentation fault: markup nested too deep for MJML?)",
    signal.SIGBUS: "crashed (bus error)",
    signal.SIGABRT: "crashed (aborted: out of memory?)",
    signal.SIGILL: "crashed (illegal instruction)",
    signal.SIGFPE: "crashed (arithmetic fault)",
    signal.SIGKILL: "was killed (out of memory, or stopped from outside)",
    signal.SIGTERM: "was stopped from outside",
}


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["otokui.emails.render", "otokui.emails.letters"])
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class _Worker:
    process: Any
    conn: Connection
    log: Path
    ready: bool = False
    task: int | None = None  # index being rendered; -1 while compiling the templates
    started: float = 0.0
    ended: bool = False
    fresh: bool = False  # its next task is the first of a run: read the templates again if they changed


class RenderPool:
    """Workers rendering ``tasks`` (email variants, or :data:`LETTERS`) for one policy and templates folder."""

    def __init__(
        self,
        policy: Policy,
        templates_dir: Path,
        workers: int,
        limits: Limits,
        cancelled: Callable[[], bool] | None = None,
        checker: Any = None,
        compiled: bool = False,
        *,
        keep: bool = False,
        cache_root: Path | bool | None = True,
        arrived: Callable[[int, Any], Any] | None = None,
        write_to: Path | None = None,
    ) -> None:
        self.policy = policy
        self.write_to = write_to  # where each email's files are written by its worker (a build's staging folder)
        self._umask = current_umask() if write_to is not None else 0
        self.checker = checker
        self.compiled = compiled
        # called with each task's index and result as it comes back; what it returns is kept instead
        self.arrived = arrived
        self.keep = keep  # workers stay between runs (the preview): each run reads the saved templates again
        # the compiled-template cache the workers use (True: this process's, see otokui.cache)
        self.cache_root = cache.current() if cache_root is True else cache_root or None
        self._cancelled_by = cancelled
        self.templates_dir = Path(templates_dir)
        self.count = max(1, workers)
        self.limits = limits
        self.maps: LineMaps | None = None
        self._cancelled = threading.Event()  # set by cancel(), from any thread
        self._workers: list[_Worker] = []

    def cancel(self) -> None:
        self._cancelled.set()

    def run(self, tasks: Sequence[Any]) -> list[Any]:
        """Every task's result, in order; the first failure stops every worker and is raised.

        A pool that keeps its workers (``keep``) leaves them running after a good run,
        for the next one; :meth:`close` stops them.
        """
        try:
            results = self._run(list(tasks))
        except BaseException:
            self._stop()
            raise
        if not self.keep:
            self._stop()
        return results

    def close(self) -> None:
        """Stop every worker (a pool that keeps its workers is done with)."""
        self._stop()

    def pids(self) -> tuple[int, ...]:
        """The process ids of the workers running now."""
        return tuple(w.process.pid for w in self._workers if not w.ended and w.process.is_alive())

    def _start(self) -> None:
        for worker in self._workers:  # kept from the last run: their first task reads the templates again
            if not worker.ended and worker.process.is_alive():
                worker.fresh = True
            else:
                self._retire(worker)
        self._workers = [w for w in self._workers if not w.ended]
        context = _context()
        wanted = min(self.count, max(1, len(self._todo)))
        for number in range(len(self._workers), wanted):
            parent_end, child_end = context.Pipe()
            log = _new_log(number)
            process = context.Process(  # type: ignore[attr-defined]
                target=_worker,
                args=(
                    child_end,
                    self.policy,
                    self.templates_dir,
                    self.limits,
                    str(log),
                    self.cache_root,
                    self.checker,
                    self.compiled,
                    (self.write_to, self._umask) if self.write_to is not None else None,
                ),
                name=f"otokui-render-{number}",
                daemon=True,
            )
            process.start()
            child_end.close()
            self._workers.append(_Worker(process, parent_end, log, task=-1, started=time.monotonic()))

    def _run(self, tasks: list[Any]) -> list[Any]:
        self._tasks = tasks
        self._todo: deque[int] = deque(range(len(tasks)))
        results: list[Any] = [None] * len(tasks)
        remaining = len(tasks)
        build_deadline = time.monotonic() + self.limits.build_seconds
        self._start()
        while remaining:
            if self._cancelled.is_set() or (self._cancelled_by is not None and self._cancelled_by()):
                raise BuildError("the render was stopped")
            self._dispatch()
            now = time.monotonic()
            if now > build_deadline:
                raise self._build_overrun()
            live = [w for w in self._workers if not w.ended]
            if not live:
                raise BuildError("every render worker ended before the render was done")
            deadlines = [w.started + self.limits.variant_seconds + GRACE_SECONDS for w in live if w.task is not None]
            timeout = min([build_deadline, *deadlines]) - now
            handles: list[Any] = [w.conn for w in live] + [w.process.sentinel for w in live]
            wait(handles, timeout=max(0.0, min(timeout, POLL_SECONDS)))
            done = [finished for worker in live for finished in self._collect(worker)]
            self._dispatch()  # the next tasks go out before what came back is handled (written…)
            for index, payload in done:  # what ``arrived`` raises (a full disk…) stops the render
                results[index] = payload if self.arrived is None else self.arrived(index, payload)
            remaining -= len(done)
            now = time.monotonic()
            for worker in live:
                late = worker.started + self.limits.variant_seconds + GRACE_SECONDS
                if worker.task is not None and not worker.ended and now > late:
                    self._kill(worker)
                    raise self._overrun(worker)
        return results

    def _dispatch(self) -> None:
        """Give each idle worker its next task."""
        for worker in self._workers:
            if worker.ready and worker.task is None and self._todo and not worker.ended:
                index = self._todo.popleft()
                worker.task, worker.started = index, time.monotonic()
                worker.conn.send((index, self._tasks[index], worker.fresh))
                worker.fresh = False

    def _collect(self, worker: _Worker) -> list[tuple[int, Any]]:
        """Read what ``worker`` has sent: the tasks it finished and their results. Raise on its failure or death."""
        done: list[tuple[int, Any]] = []
        failed: tuple[int, Any] | None = None
        try:
            while failed is None and worker.conn.poll():
                status, index, payload = worker.conn.recv()
                if status == "ready":
                    worker.ready, worker.task = True, None
                    self.maps = self.maps or payload
                elif status == "maps":  # a kept worker compiled the saved templates
                    self.maps = payload
                elif status == "done":
                    done.append((index, payload))
                    worker.task = None
                else:
                    failed = (index, payload)
        except (EOFError, OSError):  # the pipe's end: the worker ended (looked at below)
            pass
        if failed is not None:  # raised here, not in the try: a failure may be an OSError (a full disk)
            raise self._failure(*failed)
        if worker.process.exitcode is not None or (not worker.process.is_alive()):
            worker.process.join(timeout=1)
            worker.ended = True
            if worker.task is not None or not worker.ready:
                raise self._death(worker)
        return done

    # -- what the user is told ------------------------------------------------

    def _what(self, index: int | None) -> str:
        if index is None or index < 0:
            return "while compiling the templates"
        task = self._tasks[index]
        if isinstance(task, Check):
            return f"while checking {task.what}"
        if task == LETTERS:
            return "while rendering the printable letters"
        return f"while rendering {task.stem}"

    def _where(self, worker: _Worker, index: int | None) -> tuple[str, int | None, str]:
        """(template file, line, stage) read from the traceback the worker wrote as it ended."""
        try:
            dump = worker.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            dump = ""
        stage = ""
        maps = self.maps
        for match in _FRAME.finditer(dump):  # most recent call first
            file, line, name = match["file"], int(match["line"]), match["name"]
            if not stage and name == "mjml_to_html":
                stage = " in MJML"
            if maps is not None and file in maps.templates:
                shown, debug = maps.templates[file]
                template_line = next((t for t, code in reversed(debug) if code <= line), None)
                return shown, template_line, stage
        task = self._tasks[index] if index is not None and index >= 0 else None
        kind = getattr(task, "kind", None)  # an email variant's (not the letters', nor a check's)
        if maps is not None and kind in maps.kinds:
            return maps.kinds[kind], None, stage
        return self._default_file(task), None, stage

    def _default_file(self, task: Any) -> str:
        folder = self.templates_dir.resolve()
        if task == LETTERS:
            return f"{folder.name}/letters"
        return folder.name

    def _death(self, worker: _Worker) -> TemplateError:
        code = worker.process.exitcode
        index = worker.task
        file, line, stage = self._where(worker, index)
        dump = _read(worker.log)
        if code is not None and code < 0:
            number = -code
            if number == signal.SIGXCPU:
                reason = f"used more than {self.limits.cpu_seconds:g} s of CPU and was stopped"
            else:
                reason = _SIGNALS.get(signal.Signals(number), f"ended by signal {number}")
        elif "Timeout" in dump:
            reason = f"ran longer than {self.limits.variant_seconds:g} s and was stopped"
        else:
            reason = f"ended unexpectedly (exit status {code})"
        return TemplateError(file, line, f"the render worker {reason}{stage} {self._what(index)}")

    def _overrun(self, worker: _Worker) -> TemplateError:
        file, line, stage = self._where(worker, worker.task)
        reason = f"ran longer than {self.limits.variant_seconds:g} s and was stopped"
        return TemplateError(file, line, f"the render worker {reason}{stage} {self._what(worker.task)}")

    def _build_overrun(self) -> TemplateError:
        busy = next((w for w in self._workers if w.task is not None and not w.ended), None)
        file, line, _ = self._where(busy, busy.task) if busy else (self._default_file(None), None, "")
        seconds = self.limits.build_seconds
        return TemplateError(
            file,
            line,
            f"rendering every email took longer than {seconds:g} s (build.build_seconds) and was stopped",
        )

    def _failure(self, index: int, payload: tuple[str, Any]) -> OtokuiError | OSError:
        kind, detail = payload
        if kind == "unwritten":  # raised as the OSError it was: the build reports what the disk said
            number, reason = detail
            return OSError(number, reason)
        if kind == "template":
            file, line, message = detail
            return TemplateError(file, line, message)
        if kind == "other":
            exit_code, lines = detail
            error = BuildError("\n".join(lines))
            error.exit_code = exit_code
            return error
        task = self._tasks[index] if index >= 0 else None
        return TemplateError(self._default_file(task), None, f"{detail} {self._what(index)}")

    # -- stopping ---------------------------------------------------------------

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.ended = True

    def _retire(self, worker: _Worker) -> None:
        """Forget a kept worker that ended between runs."""
        worker.ended = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            worker.process.join(timeout=0)
        with contextlib.suppress(OSError):
            worker.conn.close()
        with contextlib.suppress(OSError):
            worker.log.unlink()

    def _stop(self) -> None:
        """End every worker: idle ones are told to, busy ones (the render failed or was cancelled) are killed."""
        for worker in self._workers:
            if worker.ended:
                continue
            if worker.task is None and worker.ready:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
            else:
                with contextlib.suppress(OSError, ValueError, AttributeError):
                    worker.process.kill()
        deadline = time.monotonic() + 1.0
        for worker in self._workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None:
                self._kill(worker)
            with contextlib.suppress(OSError):
                worker.conn.close()
            with contextlib.suppress(OSError):
                worker.log.unlink()
        self._workers = []


def _new_log(number: int) -> Path:
    """A fresh, private file a worker writes its dying traceback to (in the system's temporary folder)."""
    while True:
        path = Path(tempfile.gettempdir()) / f"otokui-render-{os.getpid()}-{time.monotonic_ns()}-{number}.log"
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return path


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def run_isolated(
    policy: Policy,
    templates_dir: Path,
    tasks: Sequence[Any],
    workers: int = 1,
    limits: Limits | None = None,
    cancelled: Callable[[], bool] | None = None,
    checker: Any = None,
    compiled: bool = False,
    arrived: Callable[[int, Any], Any] | None = None,
    write_to: Path | None = None,
) -> list[Any]:
    """Render ``tasks`` in ``workers`` worker processes under ``limits`` (default: the policy's).

    ``cancelled`` is asked several times a second; once it says so, the workers are stopped.
    With a ``checker`` or ``compiled``, each email's result is a :class:`~otokui.emails.render.Built`.
    ``arrived`` is called with each task's index and result as soon as a worker sends it back (the
    workers go on rendering); what it returns is the task's result. With ``write_to``, each email's
    files are written there by its worker and its result holds their records (see :func:`_render`).
    """
    pool = RenderPool(
        policy,
        templates_dir,
        workers,
        limits or Limits.from_policy(policy),
        cancelled,
        checker,
        compiled,
        arrived=arrived,
        write_to=write_to,
    )
    return pool.run(tasks)
