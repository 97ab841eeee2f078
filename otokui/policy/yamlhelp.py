"""What a shop owner's YAML mistake was, in their words, and how to fix it.

The YAML parser reports where it gave up, in its own terms ("found a tab
character that violates indentation", "could not find expected ':'"), and
some mistakes are not syntax errors at all: a comma inside ``{ja: …, en: …}``
quietly splits the text into another key, an unquoted ``#7a4b2a`` quietly
becomes a comment. This module looks at the lines themselves and says what
happened and what to type instead, at the line and column where it happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from otokui.policy.source import KeyPath, dotted

_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#][^:：#]*?)\s*：")
_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")
_COMMENTED_VALUE = re.compile(r":[ \t]+(#\S*)")


@dataclass(frozen=True)
class Help:
    line: int
    column: int
    key: str
    message: str


def key_at(lines: list[str], index: int) -> str:
    """The dotted key of line ``index`` (0-based), read from the indentation of the lines above it."""
    path: list[str | int] = []
    match = _KEY.match(lines[index]) or _loose_key(lines[index])
    if match is None:
        return ""
    indent = _indent(lines[index])
    path.append(match.group(3))
    for line in reversed(lines[:index]):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        own = _indent(line)
        found = _KEY.match(line)
        if found and own < indent:
            path.insert(0, found.group(3))
            indent = own
    return dotted(tuple(path))


def _loose_key(line: str) -> re.Match[str] | None:
    """A key written with a full-width colon or a tab, read as if it were written right."""
    return _KEY.match(line.replace("\t", " ").replace("：", ": ", 1))


def _indent(line: str) -> int:
    stripped = line.replace("\t", " ")
    match = re.match(r"\s*(?:-\s+)?", stripped)
    return match.end() if match else 0


def syntax_help(text: str, line: int, reason: str) -> Help | None:
    """A plain explanation of a YAML syntax error near ``line`` (1-based), or None."""
    lines = text.splitlines()
    near = range(max(0, line - 3), min(len(lines), line))
    for index in reversed(near):
        tab = lines[index].find("\t")
        if tab >= 0 and ("tab" in reason or lines[index][:tab].strip() == ""):
            return Help(
                index + 1,
                tab + 1,
                key_at(lines, index),
                "a tab character in the indentation (YAML allows only spaces);"
                " indent with spaces, two per level, as in the lines around it",
            )
    for index in reversed(near):
        match = _FULL_WIDTH_COLON.match(lines[index])
        if match:
            column = lines[index].index("：", match.end(2)) + 1
            return Help(
                index + 1,
                column,
                key_at(lines, index),
                f"the key {match.group(2).strip()!r} is followed by a full-width colon '：';"
                " type a half-width ':' and a space instead",
            )
    return None


def comment_help(text: str, line: int, key_path: KeyPath) -> str | None:
    """Why a value read as nothing: an unquoted ``#…`` after the colon became a comment."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    match = _COMMENTED_VALUE.search(lines[line - 1])
    if match is None:
        return None
    value = match.group(1)
    name = next((p for p in reversed(key_path) if isinstance(p, str)), "key")
    return (
        f"{value!r} was read as a comment (a # after a space starts one), so the value is empty;"
        f' put it in quotes: {name}: "{value}"'
    )


def comma_help(key: str, previous: str | None) -> str:
    """Why a text grew an unknown key: a comma inside ``{ja: …, en: …}`` ended it."""
    where = f"the {previous} text" if previous else "the text"
    return (
        f"a comma inside {{ja: …, en: …}} ended {where}, and {key!r} was read as another key;"
        f' put the whole text in quotes: {previous or "en"}: "…, {key}"'
    )
