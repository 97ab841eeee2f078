"""Text as the wording rules compare it: one spelling for what a reader sees as the same characters.

:func:`normalize` applies, character by character so every character keeps the
index it came from:

- Unicode NFKC: full-width ``ＨＵＲＲＹ`` and ``３`` become ``HURRY`` and ``3``,
  half-width ``ｹﾞｽﾄ`` becomes ``ゲスト`` (a voiced mark joins its kana);
- curly and other quotes and apostrophes become ``"`` and ``'``;
- dashes and tildes written after a kana as a long-vowel mark become ``ー``;
- kana iteration marks (``ゝ ゞ ヽ ヾ``) become the kana they repeat.

Spelling variants of one word (僅か/わずか, 日頃/日ごろ, 今スグ/いますぐ) are
unified after this, by the dictionary forms of :mod:`otokui.lint.morph`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_LONG_VOWEL_LOOKALIKES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212~\u301c\uff5e\uff70")
_ITERATION = {"ゝ": False, "ゞ": True, "ヽ": False, "ヾ": True}
_COMBINING_VOICED = frozenset("\u3099\u309a")


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters, the index of the character it came from."""

    text: str
    origin: tuple[int, ...]
    length: int  # of the original text

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        first = self.origin[start] if start < len(self.origin) else self.length
        last = self.origin[end] if end < len(self.origin) else self.length
        return first, max(last, first + (1 if first < self.length else 0))


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" and char not in "・"


def _voiced(char: str) -> str:
    composed = unicodedata.normalize("NFC", char + "\u3099")
    return composed if len(composed) == 1 else char


@lru_cache(maxsize=1024)
def normalize(text: str) -> Normalized:
    """``text`` normalised for matching (see the module documentation)."""
    if text.isascii():  # no kana, no width or composition to fold: only a backtick becomes a quote
        return Normalized(text.translate(_QUOTES), tuple(range(len(text))), len(text))
    out: list[str] = []
    origin: list[int] = []
    for index, raw in enumerate(text):
        char = raw.translate(_QUOTES)
        if char in _ITERATION and out and _is_kana(out[-1]):
            char = _voiced(out[-1]) if _ITERATION[char] else out[-1]
        pieces = char if char.isascii() else unicodedata.normalize("NFKC", char)
        for piece in pieces:
            if piece in _COMBINING_VOICED and out:
                joined = unicodedata.normalize("NFC", out[-1] + piece)
                if len(joined) == 1:
                    out[-1] = joined
                    continue
            if piece in _LONG_VOWEL_LOOKALIKES and out and _is_kana(out[-1]):
                piece = "ー"
            out.append(piece)
            origin.append(index)
    return Normalized("".join(out), tuple(origin), len(text))
