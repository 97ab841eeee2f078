"""Templates for the shop's own sending platform: one module per target.

Public API::

    export(policy, templates_dir, target) -> ExportResult    # files under dist/export/<target>/
    export_artifacts(policy, templates_dir) -> (artifacts, problems)   # every target in export.targets
    TARGETS                                                    # the target names
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from otokui.artifacts import Artifact, Context
from otokui.emails.content import ContentBuilder
from otokui.emails.fill import CompiledEmail, Compiler
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.export.core import ExportFile, ExportProblem, ExportResult, export_conditional, html_cuts
from otokui.policy.model import EXPORT_TARGETS, Policy
from otokui.policy.source import Positions, dotted

TARGETS: tuple[str, ...] = EXPORT_TARGETS


Labels = dict[str, dict[str, str]]


def _labels(content: ContentBuilder, policy: Policy) -> Labels:
    return {locale: content.labels(locale) for locale in policy.shop.locales}


def _build(target: str) -> Callable[[Policy, Labels, Sequence[CompiledEmail]], ExportResult]:
    if target in ("shopify", "ec-cube", "klaviyo"):
        from otokui.export.eccube import EcCube
        from otokui.export.klaviyo import Klaviyo
        from otokui.export.shopify import Shopify

        dialect = {"shopify": Shopify, "ec-cube": EcCube, "klaviyo": Klaviyo}[target]
        return lambda policy, labels, compiled: export_conditional(dialect(policy, labels), compiled)
    if target in ("makeshop", "futureshop"):
        from otokui.export.tagcart import FutureShop, MakeShop, export_tagcart

        cart = {"makeshop": MakeShop, "futureshop": FutureShop}[target]
        return lambda policy, labels, compiled: export_tagcart(cart(policy, labels), compiled)
    raise ValueError(f"unknown export target {target!r}")


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
    builder = _build(target)
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
    result = builder(policy, _labels(content, policy), compiled)
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
    entries = [
        {
            "file": f.path,
            "kind": f.kind,
            "locale": f.locale,
            "slot": f.slot,
            "variants": list(f.variants),
            **({"customer_group": f.group} if f.group else {}),
        }
        for f in result.files
    ]
    body = {"target": result.target, "files": entries, "problems": [p.message for p in result.problems]}
    return ExportFile("manifest.json", json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


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
    policy: Policy, templates_dir: Path, compiled: Sequence[CompiledEmail] | None = None
) -> Iterator[tuple[list[Artifact], list[ExportProblem]]]:
    """:func:`export_artifacts` one target at a time: its files and problems, then the next target's.

    A caller that writes each target's files before asking for the next never holds every target's at once.
    """
    if not policy.export.targets:
        return
    if compiled is None:
        compiler = Compiler(Renderer(policy, templates_dir))
        compiled = [compiler.get(v) for v in list_variants(policy)]
    try:
        for target in policy.export.targets:
            result = export(policy, templates_dir, target, compiled=compiled)
            artifacts = []
            for f in result.files:
                context = Context(surface="export", locale=f.locale or policy.shop.default_locale, kind=f.kind or None)
                artifacts.append(Artifact(f"export/{target}/{f.path}", f.data, context, _media(f.path)))
            problems = result.problems
            del result  # its files are the artifacts now: the caller may drop them
            yield artifacts, problems
            del artifacts
    finally:
        html_cuts.cache_clear()  # the emails' cut points, shared by the targets: not kept past the export


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
