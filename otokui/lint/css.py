"""Just enough CSS scanning for the checker: declarations, at-rules, media features, functions.

This is not a CSS parser. It finds what email clients care about in inline
``style`` attributes and ``<style>`` contents, with offsets so findings point
at the right line: comments are blanked out first (keeping offsets), strings
are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"(?P<name>-{0,2}[A-Za-z][\w-]*)\s*:\s*(?P<value>(?:[^;\"'{}]|\"[^\"]*\"|'[^']*')*)")
_FUNCTION = re.compile(r"(?<![\w-])([A-Za-z][\w-]*)\(")
_AT_RULE = re.compile(r"@(-?[A-Za-z][\w-]*)")
_MEDIA_FEATURE = re.compile(r"\(\s*(-?[A-Za-z][\w-]*)\s*[:)]")
_IMPORTANT = re.compile(r"!\s*important\b", re.IGNORECASE)


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
class Sheet:
    at_rules: list[AtRule]
    declarations: list[Declaration]


def blank_comments(css: str) -> str:
    """``css`` with comments replaced by spaces (offsets unchanged)."""
    return _COMMENT.sub(lambda m: " " * len(m.group(0)), css)


def declarations(style: str, base: int = 0) -> list[Declaration]:
    """The declarations of a ``style`` attribute or a rule block; offsets are ``base`` + index."""
    out: list[Declaration] = []
    text = blank_comments(style)
    for match in _DECLARATION.finditer(text):
        raw = match.group("value")
        important = bool(_IMPORTANT.search(raw))
        value = _IMPORTANT.sub("", raw).strip()
        out.append(
            Declaration(
                match.group("name").lower(), value, important, base + match.start("name"), base + match.start("value")
            )
        )
    return out


@lru_cache(maxsize=8192)
def style_map(style: str) -> Mapping[str, str]:
    """Property → value of a ``style`` attribute (the last declaration wins)."""
    return MappingProxyType({d.name: d.value for d in declarations(style)})


def scan(css: str, base: int = 0) -> Sheet:
    """At-rules (with their media features) and declarations of a style sheet."""
    text = blank_comments(css)
    at_rules: list[AtRule] = []
    for match in _AT_RULE.finditer(text):
        end = len(text)
        for stop in ("{", ";"):
            found = text.find(stop, match.end())
            if found != -1:
                end = min(end, found)
        prelude = text[match.end() : end].strip()
        features = tuple(
            (m.group(1).lower(), base + m.start(1)) for m in _MEDIA_FEATURE.finditer(text, match.end(), end)
        )
        at_rules.append(AtRule(match.group(1).lower(), prelude, base + match.start(), features))
    found_declarations: list[Declaration] = []
    for block in re.finditer(r"([^{}]*)\{([^{}]*)\}", text):
        prelude = block.group(1).strip().lower()
        if prelude.startswith(("@font-face", "@page")):
            continue
        found_declarations.extend(declarations(block.group(2), base + block.start(2)))
    return Sheet(at_rules, found_declarations)
