"""Phrase-aware line breaking for Japanese, with BudouX.

Japanese has no spaces, so browsers and mail clients break a line between
any two characters: あ/りがとう, クーポ/ン. :func:`phrase_breaks` puts a
zero-width space (U+200B) between the phrases BudouX finds, and the output
styles Japanese text with ``word-break: keep-all`` (:data:`CSS`), so a line
can end only between phrases. The last phrases of a text are kept together
until they make at least :data:`MIN_LAST_LINE` characters, so no line ends
with an orphan of one or two characters (…ござい/ます。).

The zero-width spaces are inert elsewhere: mail headers drop them, the plain
text part leaves them out (:func:`strip_breaks`) and the checker reads past them.
Web pages and checkout snippets carry ``<wbr>`` elements instead (:func:`html_breaks`),
so copied text and the search index hold no invisible character.
"""

from __future__ import annotations

import functools
import re

import budoux

ZWSP = "\u200b"
#: The fewest characters the last line of a Japanese text may have.
MIN_LAST_LINE = 4
#: Where Japanese is written: lines end only where a break was put (or at spaces); a phrase too long
#: for its line still wraps rather than overflow.
CSS = "word-break: keep-all; overflow-wrap: anywhere; line-break: strict;"

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]")


@functools.cache
def _parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


@functools.lru_cache(maxsize=8192)
def phrase_breaks(text: str) -> str:
    """``text`` with a zero-width space between its phrases (only where Japanese is written)."""
    if not has_japanese(text) or ZWSP in text:
        return text
    out: list[str] = []
    for run in re.split(r"(\s+)", text):
        if not run or run.isspace() or not has_japanese(run):
            out.append(run)
            continue
        phrases = _parser().parse(run)
        while len(phrases) > 1 and len(phrases[-1]) < MIN_LAST_LINE:
            phrases[-2:] = [phrases[-2] + phrases[-1]]
        out.append(ZWSP.join(phrases))
    return "".join(out)


def html_breaks(text: str) -> str:
    """``text`` (already escaped for HTML) with each phrase break as a ``<wbr>`` element.

    For web pages: a ``<wbr>`` lets a line end there as a zero-width space does, but copying the
    text or indexing it for search yields no invisible character.
    """
    return text.replace(ZWSP, "<wbr>")


def strip_breaks(text: str) -> str:
    """``text`` without the zero-width spaces :func:`phrase_breaks` adds."""
    return text.replace(ZWSP, "")
