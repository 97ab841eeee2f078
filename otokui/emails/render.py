"""Rendering emails: policy + templates → subject, preheader, HTML and text, per variant.

The pipeline for one variant is: template data (:mod:`~otokui.emails.content`)
→ Jinja, sandboxed (:mod:`~otokui.emails.templates`) → MJML → HTML with CSS
inlined (:mod:`~otokui.emails.compile`), and the plain-text part from the same
MJML (:mod:`~otokui.emails.plaintext`). A :class:`Renderer` compiles the
templates and the inline CSS once; it is cheap to build one per worker
process and hand each a slice of :func:`~otokui.emails.variants.list_variants`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from otokui.artifacts import Artifact, Context, Sent
from otokui.emails.compile import finish, make_inliner, mjml_to_html
from otokui.emails.content import ContentBuilder
from otokui.emails.plaintext import plain_text
from otokui.emails.templates import INLINE_CSS, LAYOUT, References, Signature, shared
from otokui.emails.templates import signature as _signature
from otokui.emails.theme import theme
from otokui.emails.variants import Variant, list_variants
from otokui.policy.model import Policy

MANIFEST = "emails/manifest.json"


@dataclass(frozen=True)
class RenderedEmail:
    """One email variant, ready to send or preview."""

    variant: Variant
    subject: str
    preheader: str
    html: str
    text: str
    context: Context
    mjml: str  # the rendered MJML, for debugging templates


class Renderer:
    """Renders variants of one policy with one templates folder (both compiled once)."""

    def __init__(self, policy: Policy, templates_dir: Path) -> None:
        self.policy = policy
        self.templates = shared(templates_dir)
        self.content = ContentBuilder(policy)
        self.theme = theme(policy)
        css = self.templates.render(INLINE_CSS, {"theme": self.theme}) if self.templates.has(INLINE_CSS) else ""
        self.inline = make_inliner(policy.build.inliner, css)

    def context(self, variant: Variant) -> Context:
        return Context(
            surface="email",
            locale=variant.locale,
            kind=variant.kind,
            category=variant.category,
            tier=variant.tier,
            rank=variant.rank,
            notices=variant.notices,
            disclosure=self.policy.membership.disclosure.mode,
            variant=variant.name,
        )

    def render(self, variant: Variant, tokens: bool = False) -> RenderedEmail:
        """Render ``variant`` with the sample customer, or with inert field tokens (see ``otokui.emails.fill``)."""
        data = self.content.build(variant, tokens=tokens)
        data["theme"] = self.theme
        name, _ = self.templates.for_kind(variant.kind)
        source = self.templates.render(name, data)
        html = mjml_to_html(source, self.templates.display(self.templates.directory / name))
        html = finish(self.inline(html), variant.locale)
        return RenderedEmail(
            variant=variant,
            subject=data["subject"],
            preheader=data["preheader"],
            html=html,
            text=plain_text(source, variant.locale, data["L"]),
            context=self.context(variant),
            mjml=source,
        )


_CACHE: dict[str, tuple[Policy, Signature, Renderer]] = {}


def renderer_for(policy: Policy, templates_dir: Path) -> Renderer:
    """A renderer for ``policy``, reused while the policy object and the template files stay the same."""
    key = str(Path(templates_dir).resolve())
    signature = _signature(templates_dir)
    cached = _CACHE.get(key)
    if cached and cached[0] is policy and cached[1] == signature:
        return cached[2]
    renderer = Renderer(policy, templates_dir)
    _CACHE.clear()  # one policy at a time: the preview re-renders the latest
    _CACHE[key] = (policy, signature, renderer)
    return renderer


def render_variant(policy: Policy, templates_dir: Path, variant: Variant) -> RenderedEmail:
    """Render one variant, for the live preview (templates are recompiled only when they change)."""
    return renderer_for(policy, templates_dir).render(variant)


def artifacts_for(email: RenderedEmail) -> list[Artifact]:
    """The HTML and text files of one rendered email."""
    stem = email.variant.stem
    extra = {"subject": email.subject, "preheader": email.preheader}
    return [
        Artifact(f"{stem}.html", email.html.encode("utf-8"), email.context, "text/html", None, dict(extra)),
        Artifact(f"{stem}.txt", email.text.encode("utf-8"), email.context, "text/plain", None, dict(extra)),
    ]


def manifest_entry(email: RenderedEmail) -> dict[str, object]:
    variant = email.variant
    return {
        "kind": variant.kind,
        "locale": variant.locale,
        "variant": variant.name,
        "tier": variant.tier,
        "rank": variant.rank,
        "notices": list(variant.notices),
        "category": variant.category,
        "subject": email.subject,
        "preheader": email.preheader,
        "html": f"{variant.stem}.html",
        "text": f"{variant.stem}.txt",
        "bytes": len(email.html.encode("utf-8")),
    }


def manifest_artifact(policy: Policy, emails: list[RenderedEmail] | list[dict[str, object]]) -> Artifact:
    """``emails/manifest.json``: each email, or each email's manifest entry, in order."""
    body = {"variants": [e if isinstance(e, dict) else manifest_entry(e) for e in emails]}
    data = json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    return Artifact(MANIFEST, data, Context(surface="data", locale=policy.shop.default_locale), "application/json")


@dataclass(frozen=True)
class Built:
    """What a build keeps of one rendered email (see :func:`render_and_check`)."""

    files: list[Artifact] | list[Sent]  # its HTML and text, or their records where the worker wrote them
    entry: dict[str, object]  # its line in emails/manifest.json
    found: list[Any]  # what the per-output rules found in it
    summaries: list[Any]  # what it leaves for the rules that compare outputs
    compiled: bytes | None  # the variant compiled with field tokens, pickled (otokui.emails.fill.pack), if asked for
    key: bytes | None = None  # what a memo of the checks keeps them by (otokui.lint.memo.Memo.keep)


# Below this many variants per process, a pool costs more (start-up, imports) than it saves.
MIN_VARIANTS_PER_WORKER = 40


def worker_count(policy: Policy, variants: int) -> int:
    """Processes to render ``variants`` with: ``build.workers`` (0: by CPU count), one when few."""
    wanted = policy.build.workers or os.cpu_count() or 1
    return max(1, min(wanted, variants // MIN_VARIANTS_PER_WORKER))


def kinds_using(policy: Policy, templates_dir: Path, paths: Iterable[Path]) -> set[str] | None:
    """The email kinds whose output may change when ``paths`` change (``None``: every kind).

    A kind uses its own template (``kinds/<kind>.mjml.j2``, else the layout), what
    that includes (the layout's blocks are the kind's ``blocks`` in the policy),
    and the inline style sheet every email uses. The templates are read, not run.
    """
    refs = References(templates_dir)
    names = set()
    for path in paths:
        name = refs.name_of(path)
        if name is None or name == INLINE_CSS:
            return None  # not a template (an image, a folder…), or used by every email
        names.add(name)
    kinds = set()
    for kind, email in policy.emails.items():
        root = f"kinds/{kind}.mjml.j2"
        if not (refs.directory / root).is_file():
            root = LAYOUT
        used, dynamic = refs.uses(root)
        used |= {root}
        if dynamic:  # the layout includes the kind's blocks by name
            for block in email.blocks:
                block_name = f"blocks/{block}.mjml.j2"
                block_uses, block_dynamic = refs.uses(block_name)
                if block_dynamic:
                    return None
                used |= {block_name, *block_uses}
        if used & names:
            kinds.add(kind)
    return kinds


def render_all(
    policy: Policy,
    templates_dir: Path,
    variants: list[Variant] | None = None,
    workers: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[RenderedEmail]:
    """Render ``variants`` (default: every variant of the policy), in order, in worker processes.

    Templates are untrusted, so they never run in this process: see
    :mod:`otokui.emails.workers` for the limits. Large builds are split between
    ``workers`` processes (default: :func:`worker_count`).
    """
    from otokui.emails.workers import run_isolated

    todo = list_variants(policy) if variants is None else variants
    count = worker_count(policy, len(todo)) if workers is None else max(1, workers)
    return run_isolated(policy, templates_dir, todo, count, cancelled=cancelled)


def render_emails(policy: Policy, templates_dir: Path) -> list[Artifact]:
    """Every email variant as HTML and text artifacts, ``emails/manifest.json``, and the printable letters."""
    return render_and_check(policy, templates_dir)[0]


def render_and_check(
    policy: Policy, templates_dir: Path, checker: Any = None, compiled: Any = None
) -> tuple[list[Artifact], list[Any], list[Any]]:
    """:func:`render_emails`, each email checked by ``checker`` in the worker that rendered it.

    Returns the artifacts, the findings of the per-output rules on the emails and
    the letters, and their summaries (empty without a checker); the manifest is the
    caller's to check. Given ``compiled`` (an empty
    :class:`~otokui.emails.fill.CompiledStore`), each variant is compiled with field
    tokens once (for the export targets), its email filled from that compile, and the
    compiled emails are added to it, in variant order.
    """
    emails, manifest, letters, found, summaries = render_into(policy, templates_dir, _kept, checker, compiled)
    return [*emails, manifest, *letters], found, summaries


def _kept(artifact: Artifact) -> Artifact:
    return artifact


Kept = TypeVar("Kept")


def render_into(
    policy: Policy,
    templates_dir: Path,
    write: Callable[[Artifact], Kept],
    checker: Any = None,
    compiled: Any = None,
    also_check: Sequence[Artifact] = (),
    written_by_workers: tuple[Path, Callable[[list[Sent]], list[Kept]]] | None = None,
) -> tuple[list[Kept], Artifact, list[Artifact], list[Any], list[Any]]:
    """:func:`render_and_check`, each email's files handed to ``write`` as soon as a worker sends them.

    With ``written_by_workers`` (a folder, and what takes the records of the files written there),
    each worker writes its emails' files into the folder itself and sends their records instead.

    The workers go on rendering while the files are written; what ``write`` returns
    (the record of a written file) is kept instead of the file. The letters are
    checked in the worker that renders them, and ``also_check`` (outputs made
    elsewhere) in a worker too. Returns what ``write`` returned for every email
    file, in variant order; ``emails/manifest.json`` and the printable letters (not
    written: the caller writes them after the manifest is checked); the findings
    and the summaries of everything checked (emails, letters, ``also_check``).
    """
    from otokui.emails.workers import LETTERS, Check, run_isolated

    variants = list_variants(policy)
    count = worker_count(policy, len(variants))
    want = compiled is not None
    record = getattr(checker, "record", None)  # a memo of the checks (otokui.lint.memo) keeps them for next time
    keep = getattr(checker, "keep", None)  # … by the key the worker looked them up with
    # where the workers write the emails' files (a build's: only they are Built, with files to write)
    folder = written_by_workers[0] if written_by_workers is not None and (checker is not None or want) else None

    def arrived(index: int, result: Any) -> Any:
        if index >= len(variants):  # the letters, or what was given to check
            if checker is not None and record is not None:
                record(result[0] if index == len(variants) else tasks[index].artifacts, result[-2:])
            return result
        if checker is None and not want:
            return manifest_entry(result), [write(a) for a in artifacts_for(result)], [], []
        built: Built = result
        if built.key is not None and keep is not None:
            keep(built.key, (built.found, built.summaries))
        elif record is not None:
            record(built.files, (built.found, built.summaries))
        if compiled is not None and built.compiled is not None:
            compiled.put(index, variants[index], built.compiled)
        if folder is not None and written_by_workers is not None:  # the worker wrote them: these are records
            return built.entry, written_by_workers[1](cast(list[Sent], built.files)), built.found, built.summaries
        return built.entry, [write(a) for a in cast(list[Artifact], built.files)], built.found, built.summaries

    tasks: list[Any] = [*variants, LETTERS]
    if checker is not None and also_check:
        tasks.append(Check(tuple(also_check), "the checkout snippets"))
    results = run_isolated(
        policy, templates_dir, tasks, count, checker=checker, compiled=want, arrived=arrived, write_to=folder
    )
    found: list[Any] = []
    summaries: list[Any] = []
    files: list[Kept] = []
    entries: list[dict[str, object]] = []
    for entry, written, email_found, email_summaries in results[: len(variants)]:
        entries.append(entry)
        files += written
        found += email_found
        summaries += email_summaries
    letters: list[Artifact] = results[len(variants)]
    if checker is not None:
        letters, letters_found, letters_summaries = results[len(variants)]
        found += letters_found
        summaries += letters_summaries
        for more_found, more in results[len(variants) + 1 :]:
            found += more_found
            summaries += more
    return files, manifest_artifact(policy, entries), letters, found, summaries
