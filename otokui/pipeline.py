"""The build, in order: read the policy, check it, render everything, write, check the outputs.

Data flows one way::

    rules.yaml → Policy (+ checker configuration) → policy rules → findings
               → emails, snippets, exports + site, each written into staging as it is made
               → swap staging in as the output folder → output rules → findings

Each email's files are written as its render worker sends them (the workers
go on rendering), each export target's as it is made; the build keeps only a
record of each file (:class:`~otokui.artifacts.Written`), never every file's
bytes at once.

A policy that cannot be built at all (a wrong key, a missing locale, a bad
``checks:`` section) stops here with a PolicyError; a policy that builds but
breaks a guideline (too many ranks, thresholds out of order, guest checkout
off…) is built and reported by the checker. Nothing reaches the output folder
until every step before the swap has succeeded, so a broken policy or template
leaves the last good build as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from otokui.artifacts import Artifact, Written
from otokui.defaults import SITE_SRC, TEMPLATES, default_dir
from otokui.errors import BuildError
from otokui.policy.load import load_with_positions
from otokui.policy.model import Policy
from otokui.policy.source import Positions

if TYPE_CHECKING:
    from otokui.artifacts import Folder
    from otokui.export.job import ExportJob
    from otokui.lint import Finding, LintConfig
    from otokui.writer import Writer


@dataclass(frozen=True)
class Project:
    """Where a shop's sources are: its policy, email templates and site sources."""

    policy: Path
    templates: Path
    site_src: Path
    own_site_src: bool = True  # False: otokui's default site sources, whose hand-written pages are never published

    @classmethod
    def locate(cls, policy: Path, templates: Path | None = None, site_src: Path | None = None) -> Project:
        """Sources beside the policy file, else the ones shipped with otokui."""

        def pick(explicit: Path | None, name: str) -> Path:
            if explicit is not None:
                return explicit
            beside = policy.resolve().parent / name
            return beside if beside.is_dir() else default_dir(name)

        site = pick(site_src, SITE_SRC)
        own = site_src is not None or (policy.resolve().parent / SITE_SRC).is_dir()
        return cls(policy, pick(templates, TEMPLATES), site, own)

    def sources(self) -> dict[str, Path]:
        """What the build reads, by how a message names it (the output folder may be none of these)."""
        return {
            "the project folder": self.policy.resolve().parent,
            "the policy file": self.policy,
            "the email templates folder": self.templates,
            "the site sources folder": self.site_src,
        }


@dataclass
class BuildResult:
    policy: Policy
    out_dir: Path
    artifacts: list[Written]  # every file of the build: read back from the output folder where its bytes are wanted
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    export_problems: list[str] = field(default_factory=list)  # what an export target cannot say, by policy line

    @property
    def emails(self) -> int:
        return sum(
            1
            for a in self.artifacts
            if a.context is not None and a.context.surface == "email" and a.path.endswith(".html")
        )

    @property
    def pages(self) -> int:
        return sum(1 for a in self.artifacts if a.context is not None and a.context.surface == "page")


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        """Time since the last lap, added to ``name``."""
        now = time.perf_counter()
        self.timings[name] = round(self.timings.get(name, 0.0) + now - self._last, 4)
        self._last = now


def render(policy: Policy, project: Project) -> list[Artifact]:
    """Everything that is rendered, in memory: every email variant, letters, checkout snippets."""
    from otokui.emails.render import render_and_check
    from otokui.site import render_snippets

    return render_and_check(policy, project.templates)[0] + render_snippets(policy)


def render_written(
    policy: Policy, project: Project, checker: Any, compiled: Any, writer: Writer
) -> tuple[list[Written], list[Any], list[Any]]:
    """:func:`render`, every output checked by ``checker`` and written by ``writer`` as it is made.

    Emails are checked and written in the worker that rendered them;
    letters and snippets are checked in a worker too, the emails' manifest here.

    Returns the records of the written files, the findings and the summaries.
    """
    from otokui.emails.render import render_into
    from otokui.site import render_snippets

    snippets = render_snippets(policy)  # checked in a render worker, with the letters: the checker's Japanese
    # dictionary is then read in the workers alone, never in this process
    written, manifest, letters, found, summaries = render_into(
        policy,
        project.templates,
        writer.write,
        checker,
        compiled,
        also_check=snippets,
        written_by_workers=(writer.folder.path, writer.adopt),  # each worker writes its emails' files
    )
    if checker is not None:
        more_found, more = checker.check([manifest])
        found += more_found
        summaries += more
    written += [writer.write(artifact) for artifact in [manifest, *letters, *snippets]]
    return written, found, summaries


def _config(policy: Policy, positions: Positions | None, policy_file: str, out_prefix: str = "") -> Any:
    from otokui.lint import LintConfig

    config = LintConfig.from_policy(policy, policy_file=policy_file, positions=positions)
    return replace(config, path_prefix=out_prefix) if out_prefix else config


def _checker(policy: Policy, positions: Positions | None, policy_file: str, out_prefix: str = "") -> Any:
    from otokui.lint.engine import Checker

    return Checker(policy, _config(policy, positions, policy_file, out_prefix))


def read_policy(path: Path) -> tuple[Policy, Positions, LintConfig]:
    """The policy and the checker's configuration from its ``checks:`` section; PolicyError if either is wrong."""
    from otokui.lint import LintConfig

    policy, positions = load_with_positions(path)
    return policy, positions, LintConfig.from_policy(policy, policy_file=str(path), positions=positions)


def export(
    policy: Policy, positions: Positions | None, project: Project, compiled: Any = None
) -> tuple[list[Artifact], list[str]]:
    """The templates of every target in ``export.targets``, and what they cannot say (one line each).

    ``compiled``: every variant compiled with tokens by the render workers (else compiled here).
    """
    artifacts: list[Artifact] = []
    problems: list[str] = []
    for files, found in export_each(policy, positions, project, compiled):
        artifacts += files
        problems += found
    return artifacts, problems


def export_each(
    policy: Policy,
    positions: Positions | None,
    project: Project,
    compiled: Any = None,
    targets: Sequence[str] | None = None,
) -> Iterator[tuple[list[Artifact], list[str]]]:
    """:func:`export` one target at a time (its files, what it cannot say), then the next target's.

    ``targets``: these of ``export.targets`` only (default: every one).
    """
    if not policy.export.targets:
        return
    from otokui.export import describe
    from otokui.export import export_each as each_target

    for artifacts, problems in each_target(policy, project.templates, compiled, targets):
        yield artifacts, [describe(p, positions, str(project.policy)) for p in problems]
        del artifacts  # not held while the next target is made


def export_written(
    policy: Policy,
    positions: Positions | None,
    project: Project,
    compiled: Any,
    writer: Writer,
    checker: Any,
    job: ExportJob | None,
    clock: _Clock,
) -> tuple[list[Written], list[str], list[Any], list[Any]]:
    """Every export target made, checked by ``checker`` and written by ``writer``, some by ``job`` meanwhile.

    Returns the records of the written files, what the targets cannot say, the findings and the
    summaries, each in the policy's order of targets wherever the target was made.
    """
    targets: list[str] = list(policy.export.targets)
    if job is not None:
        from otokui.export import TOGETHER_UP_TO
        from otokui.export.job import split

        targets, theirs = split(targets, together=len(compiled) <= TOGETHER_UP_TO)
        if theirs:
            job.begin(compiled, theirs)  # made beside the targets made here
        else:
            job.cancel()
    if targets:
        writer.in_background()  # the export's files written while the next target is made
    made: dict[str, tuple[list[Written], list[str], list[Any], list[Any]]] = {}
    each = export_each(policy, positions, project, compiled, targets)
    for name in targets:  # one target at a time (not zip(), whose kept tuple would hold the last one's files)
        exported, problems = next(each)
        clock.lap("export")
        found, summaries = checker.check(exported) if checker is not None else ([], [])
        clock.lap("check")
        files = [writer.write(artifact) for artifact in exported]
        if checker is not None:  # an exported template's source is read back from its file when it is needed
            summaries = [_read_back(s, a, f) for s, a, f in zip(summaries, exported, files, strict=True)]
        made[name] = (files, problems, found, summaries)
        del exported  # this target's bytes are in its files now, not held while the next one is made
        clock.lap("write")
    if job is not None:
        from otokui.export import describe

        for target in job.result():
            files = writer.adopt(target.files)
            summaries = target.kept(files)
            problems = [describe(p, positions, str(project.policy)) for p in target.problems]
            made[target.target] = (files, problems, target.found, summaries)
        clock.lap("export")
    records: list[Written] = []
    described: list[str] = []
    all_found: list[Any] = []
    all_summaries: list[Any] = []
    for name in policy.export.targets:
        files, problems, found, summaries = made.pop(name)
        records += files
        described += problems
        all_found += found
        all_summaries += summaries
    return records, described, all_found, all_summaries


def check(
    artifacts: list[Artifact],
    policy: Policy,
    positions: Positions | None,
    policy_file: str,
    out_prefix: str = "",
    *,
    on_policy: bool = True,
    render: bool = False,
) -> list[Finding]:
    """Lint what was built (and, unless ``on_policy`` is False, the policy); the caller decides what findings mean.

    With ``render``, the rules that lay outputs out in a browser run too (``check --render``).
    """
    from otokui.lint import lint

    config = _config(policy, positions, policy_file, out_prefix)
    return lint(artifacts, policy, replace(config, render=render), on_policy=on_policy)


def check_files(
    artifacts: list[Artifact],
    policy: Policy | None,
    positions: Positions | None,
    policy_file: str,
    *,
    render: bool = False,
) -> list[Finding]:
    """Lint files the kit did not build (``check --input``): each file on its own.

    Rules that compare a whole build (a notice in every place it names, the tiers'
    messages) or check the policy do not run; without a policy, rules that compare a
    file with the shop's name, address or benefits say so instead of guessing.
    """
    from otokui.lint import LintConfig, lint

    base = LintConfig.from_policy(policy, policy_file=policy_file, positions=positions) if policy else LintConfig()
    return lint(artifacts, policy, replace(base, files_only=True, render=render), on_policy=False)


def build(
    project: Project,
    out_dir: Path,
    *,
    run_checks: bool = True,
    site: bool | None = None,
    before_commit: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build the shop into ``out_dir`` atomically, then check it.

    ``before_commit`` is called with the staging folder just before the swap
    (tests use it to simulate a failure mid-build).
    """
    from otokui import cache
    from otokui.lint import lint_policy
    from otokui.writer import Writer, build_lock, claim_output, staging, write_error

    target = claim_output(out_dir, project.sources())  # refused before anything is read or written
    clock = _Clock()
    policy, positions, config = read_policy(project.policy)
    cache.use_project(project.policy, out_dir)
    checker = _checker(policy, positions, str(project.policy), _display_prefix(out_dir)) if run_checks else None
    findings = lint_policy(policy, config) if run_checks else []  # before rendering: nothing is built to judge it
    memo = _memo(checker, project.policy)  # the last build's checks of outputs that have not changed
    clock.lap("policy")
    found: list[Any] = []
    summaries: list[Any] = []
    export_problems: list[str] = []
    with build_lock(target), staging(target) as stage:
        job = None
        if policy.build.site if site is None else site:
            from otokui.site.background import SiteJob

            job = SiteJob(  # beside the emails, its pages checked there
                policy, project.policy, project.site_src, stage.path / "site", memo, handwritten=project.own_site_src
            )
        writer = Writer(stage.folder)  # every file goes into the staging folder as soon as it is made
        compiled = _store(stage.path) if policy.export.targets else None  # one compile for the emails and the export
        export_job = _export_job(policy, project, stage.folder, checker)  # forked now, while this process is small
        try:
            artifacts, found, summaries = render_written(policy, project, memo, compiled, writer)  # checked as made
            clock.lap("render")
            exported, export_problems, export_found, export_summaries = export_written(
                policy, positions, project, compiled, writer, checker, export_job, clock
            )
            artifacts += exported
            found += export_found
            summaries += export_summaries
            writer.finish()
            clock.lap("write")
            if job is not None:
                pages, page_found, page_summaries = job.result()
                if memo is not None:
                    memo.record(pages, (page_found, page_summaries))
                artifacts += [Written.of(page, stage.folder) for page in pages]  # written by the site's process
                found += page_found
                summaries += page_summaries
                clock.lap("site")
            if before_commit is not None:
                before_commit(stage.path)
            stage.commit()
        except OSError as exc:
            raise write_error(out_dir, exc) from None
        finally:
            writer.stop()  # a failed build: what is still being written is not waited for
            if export_job is not None:
                export_job.cancel()
            if job is not None:
                job.cancel()
            if compiled is not None:
                compiled.close()
        if checker is not None:  # still holding the lock: what is read back is this build's
            from otokui.lint.engine import sorted_findings

            findings = sorted_findings([*findings, *found, *checker.finish(summaries, on_policy=False)])
            if memo is not None:
                memo.save()
            clock.lap("check")
    return BuildResult(policy, out_dir, artifacts, findings, clock.timings, export_problems)


def _read_back(summary: Any, artifact: Artifact, file: Written) -> Any:
    """``summary`` of ``artifact``, keeping the record of its written file instead of its bytes."""
    if isinstance(summary.kept, bytes) and summary.kept is artifact.data:
        return replace(summary, kept=file)
    return summary


def _export_job(policy: Policy, project: Project, folder: Folder, checker: Any) -> ExportJob | None:
    """A process making some export targets beside this one, if the policy has two targets or more and it helps."""
    if len(policy.export.targets) < 2:
        return None
    from otokui.export.job import ExportJob

    job = ExportJob(policy, project.templates, folder, checker)
    return job if job.in_background else None


def _store(folder: Path) -> Any:
    from otokui.emails.fill import CompiledStore

    return CompiledStore(folder)


def _memo(checker: Any, policy_file: Path) -> Any:
    """The checker behind a memo of the last build's per-output checks (see :mod:`otokui.lint.memo`)."""
    if checker is None:
        return None
    from otokui import cache
    from otokui.lint.memo import Memo

    try:
        policy_bytes = policy_file.read_bytes()
    except OSError:
        return checker
    # The phrase lists are read where they are used, in the render workers: compiling them (on a first build)
    # reads the checker's Japanese dictionary, which this process would then hold to the end of the build.
    return Memo(checker, policy_bytes, cache.current())


def _display_prefix(out_dir: Path) -> str:
    """How output paths are shown in findings: relative to the working folder where possible."""
    try:
        shown = out_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = out_dir
    text = shown.as_posix()
    return "" if text in ("", ".") else text.rstrip("/") + "/"


def check_built(project: Project, out_dir: Path, *, render: bool = False) -> tuple[Policy, list[Finding]]:
    """Lint an existing output folder and the policy (``check`` without building); ``render`` as in :func:`check`."""
    from otokui import cache
    from otokui.lint import artifacts_from_dir

    cache.use_project(project.policy, out_dir)  # the phrase compiles kept by the last build or check
    policy, positions, _ = read_policy(project.policy)
    if not out_dir.is_dir():
        raise BuildError(f"{out_dir}: no build found (run `build` first, or pass --out)")
    artifacts = artifacts_from_dir(out_dir, policy=policy)
    return policy, check(artifacts, policy, positions, str(project.policy), _display_prefix(out_dir), render=render)
