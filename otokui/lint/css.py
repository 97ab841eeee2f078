"""CSS as the checker reads it: declarations, at-rules, media features, functions, and what a browser drops.

Parsed with tinycss2 (the CSS Syntax Level 3 parser), so strings and URLs are
read as the browser reads them: ``content:"/*"`` does not open a comment and
``url(data:…;base64,…)`` does not end a declaration. Offsets are kept so
findings point at the right line of an inline ``style`` attribute or a
``<style>`` element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import tinycss2

_FUNCTION = re.compile(r"(?<![\w-])([A-Za-z][\w-]*)\(")
_LITERAL_ESCAPE = re.compile(r"\\[nrt](?![0-9A-Fa-f])")
_NO_DECLARATIONS = ("font-face", "page")


@dataclass(frozen=True)
class Declaration:
    name: str  # lower-case
    value: str  # without !important
    important: bool
    offset: int  # of the property name
    value_offset: int

    def functions(self) -> list[tuple[str, int]]:
        return [(m.group(1).lower(), self.value_offset + m.start()) for m in _FUNCTION.finditer(self.value)]

    def keywords(self) -> list[str]:
        return [word.lower() for word in re.findall(r"[A-Za-z][\w-]*", self.value)]


@dataclass(frozen=True)
class AtRule:
    name: str  # lower-case, without "@"
    prelude: str
    offset: int
    media_features: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Dropped:
    """A piece of CSS a browser ignores: what is wrong, and where."""

    message: str
    offset: int


@dataclass(frozen=True)
class Sheet:
    at_rules: list[AtRule]
    declarations: list[Declaration]


class _Positions:
    """Offsets of tinycss2's 1-based lines and columns in one text."""

    def __init__(self, text: str, base: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.base = base

    def of(self, node: Any) -> int:
        line = min(max(int(node.source_line), 1), len(self.starts))
        return self.base + self.starts[line - 1] + int(node.source_column) - 1


def _declaration(node: Any, where: _Positions) -> Declaration:
    tokens = [t for t in node.value if t.type not in ("whitespace", "comment")]
    value = tinycss2.serialize(node.value).strip()
    value_offset = where.of(tokens[0]) if tokens else where.of(node)
    return Declaration(node.lower_name, value, bool(node.important), where.of(node), value_offset)


def _contents(nodes: Iterable[Any], where: _Positions) -> list[Declaration]:
    return [_declaration(node, where) for node in nodes if node.type == "declaration"]


def declarations(style: str, base: int = 0) -> list[Declaration]:
    """The declarations of a ``style`` attribute or a rule block; offsets are ``base`` + index."""
    where = _Positions(style, base)
    return _contents(tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True), where)


def dropped(style: str, base: int = 0) -> list[Dropped]:
    """What a browser drops from a ``style`` attribute: unreadable declarations, with the reason."""
    where = _Positions(style, base)
    out: list[Dropped] = []
    for node in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if node.type == "error":
            offset = where.of(node)
            escape = _LITERAL_ESCAPE.search(style)
            if escape is not None:
                reason = f"a literal '{escape.group(0)}' (an escaped line break, not a real one)"
                offset = base + escape.start()
            else:
                start = style.rfind(";", 0, offset - base) + 1  # the declaration the error is in
                end = style.find(";", offset - base)
                piece = style[start : end if end != -1 else len(style)]
                snippet = piece.strip()[:40]
                offset = base + start + (len(piece) - len(piece.lstrip()))
                reason = f"'{snippet}' cannot be read (a missing ':' or a stray character)"
            out.append(Dropped(f"a declaration is dropped: {reason}", offset))
        elif node.type in ("qualified-rule", "at-rule"):
            out.append(Dropped("a rule block inside a style attribute is dropped", where.of(node)))
    return out


@lru_cache(maxsize=8192)
def style_map(style: str) -> Mapping[str, str]:
    """Property → value of a ``style`` attribute (the last declaration wins)."""
    return MappingProxyType({d.name: d.value for d in declarations(style)})


def _media_features(prelude: Iterable[Any], where: _Positions) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    for token in prelude:
        if token.type == "() block":
            inner = [t for t in token.content if t.type not in ("whitespace", "comment")]
            if inner and inner[0].type == "ident":
                out.append((inner[0].lower_value, where.of(inner[0])))
            out.extend(_media_features(token.content, where))
        elif token.type == "function":
            out.extend(_media_features(token.arguments, where))
    return tuple(out)


def scan(css: str, base: int = 0) -> Sheet:
    """At-rules (with their media features) and declarations of a style sheet."""
    where = _Positions(css, base)
    at_rules: list[AtRule] = []
    found: list[Declaration] = []

    def walk(nodes: Iterable[Any]) -> None:
        for node in nodes:
            if node.type == "qualified-rule":
                found.extend(_contents(tinycss2.parse_blocks_contents(node.content, skip_comments=True), where))
            elif node.type == "at-rule":
                prelude = tinycss2.serialize(node.prelude).strip()
                at_rules.append(
                    AtRule(node.lower_at_keyword, prelude, where.of(node), _media_features(node.prelude, where))
                )
                if node.content is None or node.lower_at_keyword in _NO_DECLARATIONS:
                    continue
                inner = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
                if any(n.type == "qualified-rule" for n in inner):
                    walk(inner)
                else:
                    found.extend(_contents(inner, where))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return Sheet(at_rules, found)


@dataclass(frozen=True)
class StyleRule:
    """One rule of a style sheet: its selector list and its declarations."""

    selectors: tuple[str, ...]
    declarations: tuple[Declaration, ...]


def _selector_list(prelude: str) -> tuple[str, ...]:
    """The selectors of a rule's prelude, split at its top-level commas (not inside ``:is(a, b)``)."""
    from otokui.lint.selectors import split_list

    return tuple(split_list(prelude))


def dark_scheme_rules(css: str, base: int = 0, *, with_plain: bool = False) -> list[StyleRule]:
    """The rules inside ``@media (prefers-color-scheme: dark)`` blocks, in order; with ``with_plain``,
    the rules outside any at-rule too (they apply in either scheme), in their order in the sheet."""
    where = _Positions(css, base)
    out: list[StyleRule] = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if with_plain and node.type == "qualified-rule":
            selectors = _selector_list(tinycss2.serialize(node.prelude))
            found = _contents(tinycss2.parse_blocks_contents(node.content, skip_comments=True), where)
            out.append(StyleRule(selectors, tuple(found)))
            continue
        if node.type != "at-rule" or node.lower_at_keyword != "media" or node.content is None:
            continue
        prelude = re.sub(r"\s+", "", tinycss2.serialize(node.prelude).lower())
        if "prefers-color-scheme:dark" not in prelude:
            continue
        for rule in tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue
            selectors = _selector_list(tinycss2.serialize(rule.prelude))
            found = _contents(tinycss2.parse_blocks_contents(rule.content, skip_comments=True), where)
            out.append(StyleRule(selectors, tuple(found)))
    return out
