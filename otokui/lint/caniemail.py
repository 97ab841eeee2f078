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
from otokui.lint.html import Element, HtmlDoc, attribute_offset

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
    found: dict[str, int] = {}
    source = doc.source
    for element in doc.elements:
        base = element.start
        for slug, offset in _element_uses(element, source[base : element.tag_end]):
            if slug not in found:
                found[slug] = base + offset
    for block in doc.styles:
        for slug, offset in _sheet_uses(block.css):
            if slug not in found:
                found[slug] = block.offset + offset
    return dict(sorted(found.items(), key=lambda item: item[1]))


# Most start tags of a build are written many times over, attributes and all: each is read once.
_ELEMENT_USES: dict[tuple[str, str], Uses] = {}


def _element_uses(element: Element, start_tag: str) -> Uses:
    """The features ``element`` uses (its tag, type, attributes and inline style), at offsets from its
    start: the same for every element with its tag and start tag text, so worked out once for them."""
    key = (element.tag, start_tag)
    found = _ELEMENT_USES.get(key)
    if found is None:
        if len(_ELEMENT_USES) >= 8192:
            _ELEMENT_USES.clear()
        found = _ELEMENT_USES[key] = _read_element(element, start_tag)
    return found


def _read_element(element: Element, start_tag: str) -> Uses:
    index = _index()
    uses: list[tuple[str, int]] = [(slug, 0) for slug in index.elements.get(element.tag, [])]
    kind = (element.get("type") or "").lower()
    if kind:
        uses.extend((slug, 0) for slug in index.typed.get((element.tag, kind), []))
    for name in element.attrs:
        if name in index.attributes:
            offset = attribute_offset(start_tag, name)
            uses.extend((slug, offset) for slug in index.attributes[name])
    style = element.get("style")
    if style:
        offset = attribute_offset(start_tag, "style")
        uses.extend((slug, offset + relative) for slug, relative in _style_uses(style))
    return tuple(uses)


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


@lru_cache(maxsize=1024)
def described(slug: str, clients: tuple[str, ...], flag: str) -> tuple[str, tuple[str, ...]]:
    """:func:`describe` of the feature ``slug``, worked out once per clients and flag."""
    where, notes = describe(features()[slug], clients, flag)
    return where, tuple(notes)


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
