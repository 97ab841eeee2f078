"""Outputs to check, read from disk: a built ``dist/`` folder, or HTML files given by path.

A built folder is read as the build wrote it:

- ``emails/manifest.json`` lists every email variant with its context (see
  ``docs/checker.md`` for the fields); each variant's ``.html`` and ``.txt``
  become artifacts. Without a manifest, emails are found by path
  (``emails/<kind>/<locale>/<variant>.html``) and the tier and rank are read
  from the variant name when a policy is given;
- ``site/**.html`` are member pages; the page kind comes from the path
  (``index``, ``benefits``, ``ranks``, ``ranks/<rank>``, ``notices``, ``faq``,
  else ``page``) and the locale from the folder (``en/…``) or ``<html lang>``;
- ``snippets/notices/<id>.<locale>.html`` are checkout snippets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from otokui.artifacts import CONTEXT_FLAGS, Artifact, Context
from otokui.errors import UsageError, printable
from otokui.lint.decode import decode_html
from otokui.policy.model import EMAIL_KINDS, Policy
from otokui.policy.semantics import suggest

#: What ``--kind`` may name: an email kind, a member-site page kind, or a checkout snippet.
INPUT_KINDS: tuple[str, ...] = (*EMAIL_KINDS, "home", "benefits", "ranks", "rank", "notices", "faq", "notice")

MANIFEST = "emails/manifest.json"
PAGE_KINDS = {"index": "home", "benefits": "benefits", "ranks": "ranks", "notices": "notices", "faq": "faq"}
_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)
_SNIPPET = re.compile(r"^snippets/notices/([a-z][a-z0-9_]*)\.([A-Za-z-]+)\.html$")


def artifacts_from_dir(dist: Path, manifest: Path | None = None, policy: Policy | None = None) -> list[Artifact]:
    """Every email, page and snippet under ``dist``, with its context.

    ``manifest`` defaults to ``dist/emails/manifest.json``. ``policy``, when
    given, fills in what the files cannot say (disclosure mode, email
    categories, default locale). Raises UsageError when ``dist`` is not a
    folder or the manifest cannot be read.
    """
    if not dist.is_dir():
        raise UsageError(f"{dist}: no such folder (build first, or give the output folder)")
    if manifest is None:
        manifest = dist / MANIFEST
        if manifest.is_symlink() and _inside(dist, MANIFEST) is None:
            raise UsageError(f"{manifest}: points outside {dist}; not read")
    artifacts: list[Artifact] = []
    if manifest.is_file():
        artifacts += _emails_from_manifest(dist, manifest, policy)
    else:
        artifacts += _emails_by_path(dist, policy)
    artifacts += _site(dist, policy)
    artifacts += _snippets(dist)
    return artifacts


def artifacts_from_paths(
    paths: Sequence[Path], context_flags: Mapping[str, str | Sequence[str] | None], policy: Policy | None = None
) -> list[Artifact]:
    """HTML files the kit did not build (``check --input``), all with the context the flags give.

    ``context_flags`` holds :class:`~otokui.artifacts.Context` fields
    (``surface`` defaults to ``email``; ``locale`` to each file's
    ``<html lang>``; ``category`` to the policy's for ``kind``; ``notices`` is
    a list or a comma-separated text). Folders are searched for ``*.html``. A
    ``.txt`` file beside an HTML file is taken as its plain-text part.
    """
    unknown = sorted(set(context_flags) - set(CONTEXT_FLAGS))
    if unknown:
        raise UsageError(f"unknown context flag(s): {', '.join(unknown)}")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.html") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    artifacts: list[Artifact] = []
    for file in files:
        name = file.as_posix()
        data = decode_html(file.read_bytes(), name).encode("utf-8")  # every encoding becomes UTF-8 here
        context = _flags_context(context_flags, data, policy)
        artifacts.append(Artifact(name, data, context, "text/html"))
        text = file.with_suffix(".txt")
        if text.is_file():
            plain = decode_html(text.read_bytes(), text.as_posix()).encode("utf-8")
            artifacts.append(Artifact(text.as_posix(), plain, context, "text/plain"))
    return artifacts


# --------------------------------------------------------------------------- emails


def _emails_from_manifest(dist: Path, manifest: Path, policy: Policy | None) -> list[Artifact]:
    try:
        body: Any = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{manifest}: cannot read the email manifest: {error}") from None
    entries = body.get("variants") if isinstance(body, dict) else body
    if not isinstance(entries, list):
        raise UsageError(f'{manifest}: expected a list of variants (or {{"variants": [...]}})')
    artifacts: list[Artifact] = []
    problems: list[str] = []
    for number, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(f"{manifest}: variant {number}: not an object")
            continue
        html = entry.get("html") or entry.get("path")
        inside = _inside(dist, html) if isinstance(html, str) and html else None
        if isinstance(html, str) and html and inside is None and (dist / html).exists():
            problems.append(f"{manifest}: variant {number}: {printable(repr(html))} points outside {dist}; not read")
            continue
        if not isinstance(html, str) or inside is None:
            problems.append(f"{manifest}: variant {number}: no HTML file {printable(repr(html))} under {dist}")
            continue
        kind = _str(entry.get("kind"))
        context = Context(
            surface="email",
            locale=_str(entry.get("locale")) or _default_locale(policy),
            kind=kind,
            category=_str(entry.get("category")) or _category(policy, kind),
            tier=_str(entry.get("tier")),
            rank=_str(entry.get("rank")),
            notices=tuple(str(n) for n in entry.get("notices") or ()),
            disclosure=_str(entry.get("disclosure")) or _disclosure(policy),
            variant=_str(entry.get("variant")) or Path(html).stem,
        )
        extra = {key: str(entry[key]) for key in ("subject", "preheader") if isinstance(entry.get(key), str)}
        artifacts.append(Artifact(html, (dist / html).read_bytes(), context, "text/html", None, extra))
        text = entry.get("text") or html.rsplit(".", 1)[0] + ".txt"
        if isinstance(text, str) and _inside(dist, text) is not None:
            artifacts.append(Artifact(text, (dist / text).read_bytes(), context, "text/plain", None, dict(extra)))
    if problems:
        raise UsageError("\n".join(problems))
    return artifacts


def _emails_by_path(dist: Path, policy: Policy | None) -> list[Artifact]:
    artifacts: list[Artifact] = []
    tiers = {t.id for t in policy.wording.purchase_count_tiers} if policy else set()
    ranks = {r.id for r in policy.membership.ranks} if policy else set()
    for html in sorted((dist / "emails").glob("*/*/*.html")):
        if _inside(dist, html.relative_to(dist).as_posix()) is None:  # a link leading out of the build
            continue
        kind, locale, variant = html.parent.parent.name, html.parent.name, html.stem
        parts = variant.split("--")
        context = Context(
            surface="email",
            locale=locale,
            kind=kind,
            category=_category(policy, kind),
            tier=next((p for p in parts if p in tiers), None),
            rank=next((p for p in parts if p in ranks), None),
            notices=tuple(p.removeprefix("notice-") for p in parts if p.startswith("notice-")),
            disclosure=_disclosure(policy),
            variant=variant,
        )
        name = html.relative_to(dist).as_posix()
        artifacts.append(Artifact(name, html.read_bytes(), context, "text/html"))
        text = html.with_suffix(".txt")
        if _inside(dist, text.relative_to(dist).as_posix()) is not None:
            artifacts.append(Artifact(text.relative_to(dist).as_posix(), text.read_bytes(), context, "text/plain"))
    return artifacts


# --------------------------------------------------------------------------- site and snippets


def _site(dist: Path, policy: Policy | None) -> list[Artifact]:
    root = dist / "site"
    if not root.is_dir():
        return []
    locales = set(policy.shop.locales) if policy else {"ja", "en"}
    artifacts: list[Artifact] = []
    for html in sorted(root.rglob("*.html")):
        relative = html.relative_to(root).as_posix()
        if _inside(root, relative) is None:
            continue
        first, _, rest = relative.partition("/")
        locale = first if rest and first in locales else None
        page = rest if locale else relative
        data = html.read_bytes()
        locale = locale or _lang(data) or _default_locale(policy)
        stem = page.removesuffix(".html")
        kind, rank = PAGE_KINDS.get(stem, "page"), None
        if stem.startswith("ranks/") and stem.count("/") == 1:
            kind, rank = "rank", stem.split("/", 1)[1]
        context = Context(surface="page", locale=locale, kind=kind, rank=rank, disclosure=_disclosure(policy))
        artifacts.append(Artifact(f"site/{relative}", data, context, "text/html"))
    return artifacts


def _snippets(dist: Path) -> list[Artifact]:
    artifacts: list[Artifact] = []
    for html in sorted((dist / "snippets").rglob("*.html")) if (dist / "snippets").is_dir() else []:
        name = html.relative_to(dist).as_posix()
        if _inside(dist, name) is None:
            continue
        match = _SNIPPET.match(name)
        data = html.read_bytes()
        if match:
            context = Context(surface="snippet", locale=match.group(2), kind="notice", notices=(match.group(1),))
        else:
            context = Context(surface="snippet", locale=_lang(data) or "ja")
        artifacts.append(Artifact(name, data, context, "text/html"))
    return artifacts


# --------------------------------------------------------------------------- helpers


def _flags_context(flags: Mapping[str, str | Sequence[str] | None], data: bytes, policy: Policy | None) -> Context:
    def flag(name: str) -> str | None:
        value = flags.get(name)
        return value if isinstance(value, str) and value else None

    notices_flag = flags.get("notices") or ()
    notices: Iterable[str] = notices_flag.split(",") if isinstance(notices_flag, str) else notices_flag
    surface = flag("surface") or "email"
    if surface not in ("email", "page", "snippet", "data", "letter"):
        raise UsageError(f"unknown surface {surface!r}: use email, page or snippet")
    kind = flag("kind")
    if kind is not None and kind not in INPUT_KINDS:
        raise UsageError(f"unknown --kind {kind!r}{suggest(kind, INPUT_KINDS)}; use one of {', '.join(INPUT_KINDS)}")
    tier = flag("tier")
    if tier is not None and policy is not None:
        tiers = [t.id for t in policy.wording.purchase_count_tiers]
        if tier not in tiers:
            raise UsageError(
                f"unknown --tier {tier!r}{suggest(tier, tiers)}; the policy's tiers are {', '.join(tiers)}"
            )
    return Context(
        surface=surface,  # type: ignore[arg-type]
        locale=flag("locale") or _lang(data) or _default_locale(policy),
        kind=kind,
        category=flag("category") or _category(policy, kind),
        tier=tier,
        rank=flag("rank"),
        notices=tuple(n.strip() for n in notices if n.strip()),
        disclosure=flag("disclosure") or _disclosure(policy),
        variant=flag("variant"),
    )


def _inside(dist: Path, name: str) -> Path | None:
    """``dist / name`` if it is a file inside ``dist``: no absolute path, no ``..``, no link that leads out."""
    pure = PurePosixPath(name)
    if not name or "\x00" in name or "\\" in name or pure.is_absolute() or ".." in pure.parts:
        return None
    path = dist.joinpath(*pure.parts)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if real.is_relative_to(dist.resolve()) and real.is_file() else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _lang(data: bytes) -> str | None:
    match = _LANG.search(data[:4096])
    return match.group(1).decode("ascii").split("-")[0].lower() if match else None


def _default_locale(policy: Policy | None) -> str:
    return policy.shop.default_locale if policy else "ja"


def _disclosure(policy: Policy | None) -> str | None:
    return policy.membership.disclosure.mode if policy else None


def _category(policy: Policy | None, kind: str | None) -> str | None:
    if kind is None:
        return None
    if policy is None:  # the shop decides each kind's category; rules that depend on it ask (see the engine)
        return None
    email = getattr(policy.emails, kind, None)
    category = getattr(email, "category", None)
    return category if isinstance(category, str) else None
