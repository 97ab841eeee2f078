"""What the preview serves: the last good build of each part, and what is wrong now.

Three parts are rebuilt independently, each keeping its last good result
when a rebuild fails:

- ``policy``: rules.yaml read and validated, with the checker's configuration;
- ``emails``: every variant rendered with a :class:`~otokui.emails.Renderer`
  whose templates are compiled again as soon as any template file changed;
  after a template save only the email kinds that use the saved file are
  rendered again, the others are kept;
- ``site``: the member site built with :func:`~otokui.site.build_site` into a
  new folder under the preview's own working folder (never the user's ``dist/``).

A change to rules.yaml rebuilds all three; a template change, the emails
only; a site source change, the site only. Every rebuild, good or bad, bumps
:attr:`PreviewState.version`, which the ``/events`` stream announces.
"""

from __future__ import annotations

import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from otokui import cache
from otokui.artifacts import Artifact
from otokui.emails import RenderedEmail, list_variants
from otokui.emails.render import kinds_using, worker_count
from otokui.emails.variants import Variant
from otokui.emails.workers import Limits, RenderPool
from otokui.errors import BuildError, OtokuiError, PolicyError
from otokui.lint import Finding, LintConfig, lint
from otokui.pipeline import Project
from otokui.policy.load import load_with_positions
from otokui.policy.model import Policy

#: Parts of the preview, in the order a full rebuild goes through them.
POLICY, EMAILS, SITE = "policy", "emails", "site"
PARTS = (POLICY, EMAILS, SITE)

Key = tuple[str, str, str]  # (kind, locale, variant name)


@dataclass(frozen=True)
class LoadedPolicy:
    policy: Policy
    config: LintConfig


@dataclass(frozen=True)
class EmailBuild:
    """Every variant of one policy rendered with one compilation of the templates."""

    number: int
    policy: Policy
    config: LintConfig
    emails: dict[Key, RenderedEmail]
    seconds: float

    def get(self, kind: str, locale: str, name: str) -> RenderedEmail | None:
        return self.emails.get((kind, locale, name))


@dataclass(frozen=True)
class SiteBuild:
    """One build of the member site in the preview's working folder."""

    directory: Path
    roots: tuple[tuple[str, str], ...]  # (locale, URL of its home page), the default locale first


@dataclass(frozen=True)
class Snapshot:
    """A consistent view of the state for one request."""

    version: int
    emails: EmailBuild | None
    site: SiteBuild | None
    errors: tuple[tuple[str, tuple[str, ...]], ...]  # (part, lines), in PARTS order
    timings: dict[str, float] = field(default_factory=dict)


class PreviewState:
    """The preview's builds and errors; rebuilt by the watcher, read by request handlers."""

    def __init__(self, project: Project, workdir: Path, log: TextIO | None = None) -> None:
        self.project = project
        self.workdir = workdir
        self.log = log
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._version = 0
        self._closed = False
        self._loaded: LoadedPolicy | None = None
        self._emails: EmailBuild | None = None
        self._site: SiteBuild | None = None
        self._errors: dict[str, tuple[str, ...]] = {}
        self._timings: dict[str, float] = {}
        self._builds = 0
        self._findings: dict[tuple[int, Key], list[Finding]] = {}
        self._findings_lock = threading.Lock()
        self._unrendered: set[Path] = set()
        self._pool: RenderPool | None = None  # render workers kept between rebuilds, for one policy
        self._pool_lock = threading.Lock()
        folder = cache.cache_folder(project.policy)  # the render workers keep compiled templates as a build
        inside = folder == workdir.resolve() or workdir.resolve() in folder.parents  # does: a save compiles the
        self._cache = None if inside else folder  # saved template again, the others are read back

    # -- reading ---------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._lock:
            errors = tuple((part, self._errors[part]) for part in PARTS if part in self._errors)
            return Snapshot(self._version, self._emails, self._site, errors, dict(self._timings))

    @property
    def version(self) -> int:
        with self._lock:
            return self._version

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the version differs from ``seen`` (or ``timeout`` passes, or the state closes)."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen or self._closed, timeout)
            return self._version

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        with self._pool_lock:  # a render in progress sees the state closed and stops first
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    @property
    def render_workers(self) -> tuple[int, ...]:
        """The process ids of the render workers kept for the next rebuild."""
        with self._pool_lock:
            return self._pool.pids() if self._pool is not None else ()

    def findings(self, build: EmailBuild, email: RenderedEmail) -> list[Finding]:
        """The checker's findings on this variant's own HTML and text files (cached per build)."""
        from otokui.emails.render import artifacts_for

        variant = email.variant
        key = (build.number, (variant.kind, variant.locale, variant.name))
        with self._findings_lock:
            cached = self._findings.get(key)
        if cached is not None:
            return cached
        artifacts: list[Artifact] = artifacts_for(email)
        own = {artifact.path for artifact in artifacts}
        found = [f for f in lint(artifacts, build.policy, build.config) if f.file in own]
        with self._findings_lock:
            if len(self._findings) > 512:
                self._findings.clear()
            self._findings[key] = found
        return found

    # -- rebuilding ------------------------------------------------------------

    def rebuild(self, parts: Iterable[str], paths: Iterable[Path] = ()) -> None:
        """Rebuild ``parts`` (a policy change implies everything), publishing each part as it is done.

        ``paths`` are the files that changed: when they are email templates, only
        the kinds using them are rendered again.
        """
        if self.closed:
            return
        wanted = set(parts)
        changed = tuple(paths)
        if POLICY in wanted or self._loaded is None:
            wanted = set(PARTS)
            changed = ()
            if not self._run(POLICY, self._load_policy):
                return
        if EMAILS in wanted and not self.closed:
            self._unrendered |= set(changed)  # saves since the last good email build, failed ones included
            since = tuple(self._unrendered) if changed else ()
            if self._run(EMAILS, lambda: self._build_emails(since)):
                self._unrendered.clear()
        if SITE in wanted and not self.closed:
            self._run(SITE, self._build_site)

    def _run(self, part: str, step: Callable[[], None]) -> bool:
        started = time.perf_counter()
        try:
            step()
        except PolicyError as error:  # every problem; its closing "nothing was built" line does not apply here
            self._publish(part, tuple(str(problem) for problem in error.problems), started)
            return False
        except OtokuiError as error:
            self._publish(part, tuple(error.lines()), started)
            return False
        except Exception as error:  # a bug, or something the tools did not anticipate: keep serving
            if self.log is not None:
                self.log.write("".join(traceback.format_exception(error)))
            self._publish(part, (f"{part}: {type(error).__name__}: {error}",), started)
            return False
        self._publish(part, (), started)
        return True

    def _publish(self, part: str, error_lines: tuple[str, ...], started: float) -> None:
        seconds = round(time.perf_counter() - started, 3)
        with self._changed:
            if error_lines:
                self._errors[part] = error_lines
            else:
                self._errors.pop(part, None)
            self._timings[part] = seconds
            self._version += 1
            self._changed.notify_all()
        if self.log is not None:
            if error_lines:
                self.log.write(f"{part}: rebuild failed, still serving the last good build\n")
                self.log.writelines(f"  {line}\n" for line in error_lines)
            else:
                self.log.write(f"{part}: rebuilt in {seconds:.2f} s\n")
            self.log.flush()

    def _load_policy(self) -> None:
        policy, positions = load_with_positions(self.project.policy)
        config = LintConfig.from_policy(policy, policy_file=str(self.project.policy), positions=positions)
        with self._lock:
            self._loaded = LoadedPolicy(policy, config)

    def _build_emails(self, changed: tuple[Path, ...] = ()) -> None:
        loaded = self._loaded
        assert loaded is not None
        started = time.perf_counter()
        previous = self._emails
        kinds: set[str] | None = None
        if changed and previous is not None and previous.policy is loaded.policy:
            kinds = kinds_using(loaded.policy, self.project.templates, changed)
        variants = list_variants(loaded.policy)
        emails: dict[Key, RenderedEmail] = {}
        if kinds is not None and previous is not None:  # only the kinds using the saved files
            emails = {key: email for key, email in previous.emails.items() if key[0] not in kinds}
            variants = [v for v in variants if (v.kind, v.locale, v.name) not in emails]
        rendered = self._render(loaded.policy, variants)
        for email in rendered:
            variant = email.variant
            emails[(variant.kind, variant.locale, variant.name)] = email
        emails = {(v.kind, v.locale, v.name): emails[(v.kind, v.locale, v.name)] for v in list_variants(loaded.policy)}
        with self._lock:
            self._builds += 1
            self._emails = EmailBuild(self._builds, loaded.policy, loaded.config, emails, time.perf_counter() - started)

    def _render(self, policy: Policy, variants: list[Variant]) -> list[RenderedEmail]:
        """``variants`` rendered in the kept worker processes (a template cannot stop the preview).

        The workers stay up between rebuilds and read the templates again when a
        file in the folder changed; a new policy starts new workers, and so does a
        failed render (its workers are stopped).
        """
        with self._pool_lock:
            if self.closed:
                raise BuildError("the preview is closing")
            if self._pool is None or self._pool.policy is not policy:
                if self._pool is not None:
                    self._pool.close()
                count = worker_count(policy, len(list_variants(policy)))
                self._pool = RenderPool(
                    policy,
                    self.project.templates,
                    count,
                    Limits.from_policy(policy),
                    cancelled=lambda: self.closed,
                    keep=True,
                    cache_root=self._cache,
                )
            rendered: list[RenderedEmail] = self._pool.run(variants)
            return rendered

    def _build_site(self) -> None:
        from otokui.site import build_site
        from otokui.site.plugin import locale_root

        loaded = self._loaded
        assert loaded is not None
        with self._lock:
            self._builds += 1
            target = self.workdir / f"site-{self._builds}"
        try:
            build_site(
                loaded.policy, self.project.policy, self.project.site_src, target, handwritten=self.project.own_site_src
            )
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        policy = loaded.policy
        locales = sorted(policy.shop.locales, key=lambda locale: locale != policy.shop.default_locale)
        roots = tuple((locale, f"/site/{locale_root(policy, locale)}") for locale in locales)
        with self._lock:
            previous, self._site = self._site, SiteBuild(target, roots)
        self._prune(keep={target, previous.directory if previous else None})

    def _prune(self, keep: set[Path | None]) -> None:
        """Remove old site builds, keeping the current one and the one before (a request may still read it)."""
        for path in self.workdir.glob("site-*"):
            if path not in keep:
                shutil.rmtree(path, ignore_errors=True)
