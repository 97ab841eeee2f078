"""Templates for the shop's own sending platform: one module per target.

Public API::

    export(policy, templates_dir, target) -> ExportResult    # files under dist/export/<target>/
    export_artifacts(policy, templates_dir) -> (artifacts, problems)   # every target in export.targets
    TARGETS                                                    # the target names
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from otokui.artifacts import Artifact, Context
from otokui.emails.content import ContentBuilder
from otokui.emails.fill import CompiledEmail, Compiler, variants_of
from otokui.emails.render import Renderer
from otokui.emails.variants import Variant, list_variants
from otokui.export.core import (
    ConditionalExport,
    ExportFile,
    ExportProblem,
    ExportResult,
    Shared,
    TargetExport,
    groups_of,
    html_cuts,
    parse_chunk,
    run_export,
)
from otokui.policy.model import EXPORT_TARGETS, Policy
from otokui.policy.source import Positions, dotted

TARGETS: tuple[str, ...] = EXPORT_TARGETS


Labels = dict[str, dict[str, str]]

#: Up to this many variants, every target is made from one read of the compiles (their files are
#: small enough to be held together); beyond it, one target at a time.
TOGETHER_UP_TO = 300


def _labels(content: ContentBuilder, policy: Policy) -> Labels:
    return {locale: content.labels(locale) for locale in policy.shop.locales}


def _start(target: str, policy: Policy, labels: Labels, variants: Sequence[Variant]) -> TargetExport:
    """``target``'s export of ``variants``, ready to be fed their compiles (see :class:`TargetExport`)."""
    if target in ("shopify", "ec-cube", "klaviyo"):
        from otokui.export.eccube import EcCube
        from otokui.export.klaviyo import Klaviyo
        from otokui.export.shopify import Shopify

        dialect = {"shopify": Shopify, "ec-cube": EcCube, "klaviyo": Klaviyo}[target]
        return ConditionalExport(dialect(policy, labels), variants)
    if target in ("makeshop", "futureshop"):
        from otokui.export.tagcart import FutureShop, MakeShop, TagCartExport

        cart = {"makeshop": MakeShop, "futureshop": FutureShop}[target]
        return TagCartExport(cart(policy, labels))
    raise ValueError(f"unknown export target {target!r}")


def _export(policy: Policy, labels: Labels, compiled: Sequence[CompiledEmail], target: str) -> ExportResult:
    export = _start(target, policy, labels, variants_of(compiled))
    if isinstance(export, ConditionalExport):
        return run_export(export, compiled)
    for email in compiled:  # one at a time (see CompiledStore)
        export.add_one(email)  # type: ignore[attr-defined]
    return export.finish()


def _read_once(
    policy: Policy, labels: Labels, compiled: Sequence[CompiledEmail], targets: Sequence[str]
) -> list[ExportResult]:
    """The result of each of ``targets``, every compile read once for all of them.

    Each kind and locale is read, then written by every target that wants it, before the next
    is read. Compiles in an order where one kind and locale comes back after another are read
    for each target in turn.
    """
    variants = variants_of(compiled)
    exports = [_start(target, policy, labels, variants) for target in targets]
    groups = groups_of(variants)
    if [i for chosen in groups.values() for i in chosen] != list(range(len(variants))):
        return [_export(policy, labels, compiled, target) for target in targets]
    for (kind, _locale), chosen in groups.items():
        wanting = [export for export in exports if export.wants(kind)]
        if not wanting:
            continue
        group = [compiled[i] for i in chosen]
        shared = Shared()
        for export in wanting:
            export.add(group, shared)
    return [export.finish() for export in exports]


def export(
    policy: Policy,
    templates_dir: Path,
    target: str,
    renderer: Renderer | None = None,
    compiler: Compiler | None = None,
    only: tuple[str, str] | None = None,
    compiled: Sequence[CompiledEmail] | None = None,
) -> ExportResult:
    """The files of ``target`` for ``policy``, with what the target could not say.

    ``compiler`` (with its renderer) may be shared between targets: each variant is compiled once.
    ``compiled``: every variant compiled already (by the build's render workers), in variant order.
    ``only`` (kind, locale) limits the export to one kind in one locale (the preview).
    """
    if compiled is None:
        if compiler is None:
            compiler = Compiler(renderer or Renderer(policy, templates_dir))
        variants = list_variants(policy)
        if only is not None:
            variants = [v for v in variants if (v.kind, v.locale) == only]
        compiled = [compiler.get(v) for v in variants]
        content = compiler.renderer.content
    else:
        if only is not None:
            compiled = [c for c in compiled if (c.variant.kind, c.variant.locale) == only]
        content = ContentBuilder(policy)
    result = _export(policy, _labels(content, policy), compiled, target)
    result.files.append(_manifest(result))
    return result


def kinds_of(target: str) -> tuple[str, ...]:
    """The email kinds ``target`` has a mail for."""
    from otokui.export.eccube import EcCube
    from otokui.export.klaviyo import Klaviyo
    from otokui.export.shopify import Shopify
    from otokui.export.tagcart import FutureShop, MakeShop

    classes = {
        "shopify": Shopify,
        "ec-cube": EcCube,
        "klaviyo": Klaviyo,
        "makeshop": MakeShop,
        "futureshop": FutureShop,
    }
    dialect = classes[target]
    if target in ("makeshop", "futureshop"):
        return tuple(dict.fromkeys(kind for kind, _ in dialect.slots))  # type: ignore[attr-defined]
    return tuple(dialect.kinds)  # type: ignore[attr-defined]


def _manifest(result: ExportResult) -> ExportFile:
    """``manifest.json``: every file with its kind, locale, slot, variants (and group), and the problems.

    Written as ``json.dumps(…, ensure_ascii=False, indent=2)`` writes it (``tests/export/test_parts.py``).
    """
    files = [_entry(f) for f in result.files]
    listed = "[\n" + ",\n".join(files) + "\n  ]" if files else "[]"
    problems = _json([p.message for p in result.problems], "  ")
    body = f'{{\n  "target": {_string(result.target)},\n  "files": {listed},\n  "problems": {problems}\n}}'
    return ExportFile("manifest.json", body.encode("utf-8") + b"\n")


def _entry(f: ExportFile) -> str:
    """One file's entry in the manifest, indented as its place in the ``files`` list."""
    variants = "[\n" + ",\n".join("        " + _string(v) for v in f.variants) + "\n      ]" if f.variants else "[]"
    group = f',\n      "customer_group": {_string(f.group)}' if f.group else ""
    return (
        f'    {{\n      "file": {_string(f.path)},\n      "kind": {_string(f.kind)},\n'
        f'      "locale": {_string(f.locale)},\n      "slot": {_string(f.slot)},\n'
        f'      "variants": {variants}{group}\n    }}'
    )


def _json(value: object, indent: str = "") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` at ``indent``, written quicker for lists and strings."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list) and value:
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _json(item, inner) for item in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


_string = json.encoder.encode_basestring


def export_artifacts(
    policy: Policy, templates_dir: Path, compiled: Sequence[CompiledEmail] | None = None
) -> tuple[list[Artifact], list[ExportProblem]]:
    """Every target in ``export.targets`` as artifacts under ``export/<target>/``.

    ``compiled``: every variant compiled with tokens already (else they are compiled here, once for all targets).
    """
    artifacts: list[Artifact] = []
    problems: list[ExportProblem] = []
    for files, found in export_each(policy, templates_dir, compiled):
        artifacts += files
        problems += found
    return artifacts, problems


def export_each(
    policy: Policy,
    templates_dir: Path,
    compiled: Sequence[CompiledEmail] | None = None,
    targets: Sequence[str] | None = None,
) -> Iterator[tuple[list[Artifact], list[ExportProblem]]]:
    """:func:`export_artifacts` one target at a time: its files and problems, then the next target's.

    A caller that writes each target's files before asking for the next never holds every target's at once.
    ``targets``: these of ``export.targets`` only (default: every one).
    """
    targets = policy.export.targets if targets is None else targets
    if not targets:
        return
    if compiled is None:
        compiler = Compiler(Renderer(policy, templates_dir))
        compiled = [compiler.get(v) for v in list_variants(policy)]
    try:
        labels = _labels(ContentBuilder(policy), policy)
        made: Iterable[tuple[str, ExportResult]]
        if len(compiled) <= TOGETHER_UP_TO:  # a few variants: every target from one read of the compiles
            made = zip(targets, _read_once(policy, labels, compiled, targets), strict=True)
        else:  # many: one target at a time (a tag cart one compile at a time), only its files held
            made = ((target, _export(policy, labels, compiled, target)) for target in targets)
        for target, result in made:
            result.files.append(_manifest(result))
            artifacts = []
            for f in result.files:
                context = Context(surface="export", locale=f.locale or policy.shop.default_locale, kind=f.kind or None)
                artifacts.append(Artifact(f"export/{target}/{f.path}", f.data, context, _media(f.path)))
            problems = result.problems
            del result  # its files are the artifacts now: the caller may drop them
            yield artifacts, problems
            del artifacts
            html_cuts.cache_clear()  # held by whole emails: not kept for the next target
    finally:
        html_cuts.cache_clear()
        parse_chunk.cache_clear()  # the read chunks, shared by the targets: not kept past the export


def _media(path: str) -> str:
    if path.endswith(".json"):
        return "application/json"
    return "text/html" if ".html" in path else "text/plain"


def describe(problem: ExportProblem, positions: Positions | None, policy_file: str) -> str:
    """``rules.yaml:LINE:COL: key: message`` (the line of the policy key the problem is about)."""
    where = policy_file
    if positions is not None:
        line, column = positions.of(problem.path, key=True)
        where = f"{policy_file}:{line}:{column}"
    return f"{where}: {dotted(problem.path)}: {problem.message}"


__all__ = [
    "TARGETS",
    "ExportFile",
    "ExportProblem",
    "ExportResult",
    "describe",
    "export",
    "export_artifacts",
    "export_each",
]
