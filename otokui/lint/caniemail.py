"""Email client support for HTML and CSS features, from the caniemail data shipped in ``data/``.

What is checked, per email:

- every element (its tag, its attributes, ``<input>``/``<button>`` types) that
  is not inside a comment: Outlook-only ``<!--[if mso]>`` blocks are comments,
  so what MJML writes for Outlook alone is not held against other clients;
- every inline ``style`` attribute: properties, keyword values (``display:flex``),
  functions (``linear-gradient()``) and ``!important``;
- every ``<style>`` element outside comments: the same, plus at-rules
  (``@media``, ``@font-face``…) and media features (``prefers-color-scheme``).

Selectors, units and image formats are not checked. See
``data/SOURCE.txt`` for where the data comes from and how to refresh it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from otokui.lint.css import Declaration, declarations, scan
from otokui.lint.html import HtmlDoc

DATA = Path(__file__).resolve().parent / "data" / "caniemail.json"

CLIENT_NAMES = {
    "gmail": "Gmail",
    "apple-mail": "Apple Mail",
    "outlook": "Outlook",
    "yahoo": "Yahoo Mail",
    "samsung-email": "Samsung Email",
    "thunderbird": "Thunderbird",
    "aol": "AOL",
    "protonmail": "Proton Mail",
    "hey": "HEY",
    "fastmail": "Fastmail",
    "orange": "Orange",
    "sfr": "SFR",
    "mail-ru": "Mail.ru",
    "gmx": "GMX",
    "web-de": "WEB.DE",
    "free-fr": "Free",
    "laposte": "La Poste",
    "ionos-1and1": "IONOS 1&1",
}


@dataclass(frozen=True)
class Feature:
    slug: str
    title: str
    url: str
    match: dict[str, Any]
    support: dict[str, dict[str, str]]
    notes: dict[str, str]

    def platforms(self, client: str, flag: str) -> list[tuple[str, list[str]]]:
        """Platforms of ``client`` whose current support is ``flag`` (y, n, a, u), with note texts."""
        out: list[tuple[str, list[str]]] = []
        for platform, value in sorted(self.support.get(client, {}).items()):
            head, *refs = value.split()
            if head == flag:
                out.append((platform, [self.notes[r.lstrip("#")] for r in refs if r.lstrip("#") in self.notes]))
        return out


@lru_cache(maxsize=1)
def features() -> dict[str, Feature]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        slug: Feature(slug, entry["title"], entry["url"], entry["match"], entry["support"], entry.get("notes", {}))
        for slug, entry in raw["features"].items()
    }


class _Index:
    def __init__(self, all_features: dict[str, Feature]) -> None:
        self.properties: dict[str, list[str]] = defaultdict(list)
        self.values: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.functions: dict[str, list[str]] = defaultdict(list)
        self.at_rules: dict[str, list[str]] = defaultdict(list)
        self.media: dict[str, list[str]] = defaultdict(list)
        self.important: list[str] = []
        self.elements: dict[str, list[str]] = defaultdict(list)
        self.typed: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.attributes: dict[str, list[str]] = defaultdict(list)
        for slug, feature in all_features.items():
            match = feature.match
            for name in match.get("properties", []):
                self.properties[name].append(slug)
            for value in match.get("values", []):
                self.values[(match["property"], value)].append(slug)
            for name in match.get("functions", []):
                self.functions[name].append(slug)
            if "at_rule" in match:
                self.at_rules[match["at_rule"]].append(slug)
            for name in match.get("media_features", []):
                self.media[name].append(slug)
            if match.get("important"):
                self.important.append(slug)
            for name in match.get("elements", []):
                self.elements[name].append(slug)
            if "type" in match:
                self.typed[(match["element"], match["type"])].append(slug)
            for name in match.get("attributes", []):
                self.attributes[name].append(slug)


@lru_cache(maxsize=1)
def _index() -> _Index:
    return _Index(features())


Uses = tuple[tuple[str, int], ...]  # (slug, offset relative to the start of the CSS), in the order met


def used_features(doc: HtmlDoc) -> dict[str, int]:
    """Slug → source offset of the first use, for every known feature ``doc`` uses."""
    index = _index()
    found: dict[str, int] = {}

    def add(slugs: list[str], offset: int) -> None:
        for slug in slugs:
            found.setdefault(slug, offset)

    def add_uses(uses: Uses, base: int) -> None:
        for slug, offset in uses:
            found.setdefault(slug, base + offset)

    for element in doc.elements:
        add(index.elements.get(element.tag, []), element.start)
        kind = (element.get("type") or "").lower()
        if kind:
            add(index.typed.get((element.tag, kind), []), element.start)
        for name in element.attrs:
            if name in index.attributes:
                add(index.attributes[name], element.attr_offset(doc.source, name))
        style = element.get("style")
        if style:
            add_uses(_style_uses(style), element.attr_offset(doc.source, "style"))
    for block in doc.styles:
        add_uses(_sheet_uses(block.css), block.offset)
    return dict(sorted(found.items(), key=lambda item: item[1]))


def _declaration_uses(index: _Index, items: list[Declaration]) -> list[tuple[str, int]]:
    uses: list[tuple[str, int]] = []
    for item in items:
        uses.extend((slug, item.offset) for slug in index.properties.get(item.name, []))
        for keyword in item.keywords():
            uses.extend((slug, item.value_offset) for slug in index.values.get((item.name, keyword), []))
        for name, offset in item.functions():
            uses.extend((slug, offset) for slug in index.functions.get(name, []))
        if item.important:
            uses.extend((slug, item.offset) for slug in index.important)
    return uses


# Emails repeat the same inline styles and style sheets many times over: each is read once.
@lru_cache(maxsize=8192)
def _style_uses(style: str) -> Uses:
    return tuple(_declaration_uses(_index(), declarations(style)))


@lru_cache(maxsize=256)
def _sheet_uses(css: str) -> Uses:
    index = _index()
    sheet = scan(css)
    uses: list[tuple[str, int]] = []
    for rule in sheet.at_rules:
        uses.extend((slug, rule.offset) for slug in index.at_rules.get(rule.name, []))
        for name, offset in rule.media_features:
            uses.extend((slug, offset) for slug in index.media.get(name, []))
    uses.extend(_declaration_uses(index, sheet.declarations))
    return tuple(uses)


def describe(feature: Feature, clients: tuple[str, ...], flag: str) -> tuple[str, list[str]]:
    """'Outlook (windows, windows-mail), Yahoo Mail (ios)' for ``flag``, and the notes that apply."""
    parts: list[str] = []
    notes: list[str] = []
    for client in clients:
        platforms = feature.platforms(client, flag)
        if platforms:
            parts.append(f"{CLIENT_NAMES.get(client, client)} ({', '.join(p for p, _ in platforms)})")
            for _, texts in platforms:
                notes.extend(t for t in texts if t not in notes)
    return ", ".join(parts), notes
