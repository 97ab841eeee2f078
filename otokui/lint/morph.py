"""Words as the wording rules compare them: tokens with a dictionary form, per language.

Japanese is split with SudachiPy and its core dictionary (mode A, the finest
units); each token is compared by Sudachi's normalised dictionary form, so
急いで, お急ぎください and 急がない all carry the form 急ぐ, and 僅か/わずか,
日頃/日ごろ, 直ぐ/すぐ/スグ are one word. The honorific prefixes お/ご and the
polite endings ます/です are left out, so an entry matches plain and polite
forms alike; every negative ending (ない, ず, ん, なく) is the one form ``NEG``.

English is split into words; a contraction is its words (``don't`` → ``do not``);
each word is compared by its Snowball stem, so "hurry", "hurries" and
"hurrying" are one word. Number words up to twenty are numbers.

Every token keeps the span of the original (not normalised) text it came from.
The Sudachi tokenizer is built once per process, when Japanese is first read.
The pages of its dictionary file that a split read are released from the process
every so many characters (:mod:`otokui.lint.resident`), so they do not pile up in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from otokui.lint.normalize import Normalized, normalize
from otokui.lint.resident import MappedFiles

if TYPE_CHECKING:
    from collections.abc import Iterator

Kind = Literal["word", "num", "neg", "stop", "comma", "punct"]
NUMBER = "#"
NEGATION = "NEG"

#: Spelling variants Sudachi's normalised forms leave apart: form → the form used.
JA_VARIANTS: dict[str, str] = {
    "いま": "今",
    "はじめて": "初めて",
    "初回": "初回",
    "ひごろ": "日頃",
    "ただいま": "只今",
    "只今": "只今",
    "さいご": "最後",
    "のこり": "残り",
    "いそぐ": "急ぐ",
    "わずか": "僅か",
    "無し": "NEG",
    "なし": "NEG",
    "イマスグ": "今 直ぐ",
    "イマ": "今",
}
#: Neighbouring forms that are one word, which Sudachi splits in some contexts: いつ + も → いつも.
JA_JOINS: dict[tuple[str, str], str] = {("いつ", "も"): "いつも"}
_JA_NEGATIONS = frozenset({"ない", "ず", "ぬ", "無い", "ん"})
_JA_DROPPED_AUX = frozenset({"ます", "です"})
_JA_STOPS = frozenset("。．！？!?\n")
_JA_COMMAS = frozenset("、，,")

EN_NEGATIONS = frozenset({"not", "no", "never", "without", "nobody", "nothing", "none", "neither", "nor"})
_EN_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty""".split()  # noqa: SIM905
)
_EN_CONTRACTIONS = {
    "n't": "not",
    "'re": "are",
    "'ll": "will",
    "'ve": "have",
    "'m": "am",
    "'d": "would",
}
_EN_IRREGULAR_NOT = {"won't": "will", "can't": "can", "cannot": "can", "shan't": "shall", "ain't": "is"}
_EN_BARE_NOT = {"dont": "do", "doesnt": "does", "didnt": "did", "cant": "can", "isnt": "is", "arent": "are"}
_EN_IS = frozenset({"it", "that", "there", "here", "what", "who", "he", "she", "this", "where", "how", "everyone"})
_EN_TOKEN = re.compile(r"[$£€¥]?\d[\d,.]*(?<![,.])|[a-z]+(?:'[a-z]+)?|[.!?;\n]|,|[^\s-]")
_EN_STOPS = frozenset(".!?;\n")


@dataclass(frozen=True, slots=True)
class Token:
    """One word or sign: the form matching compares, its kind, and its span in the original text."""

    key: str
    kind: Kind
    start: int
    end: int
    surface: str = ""  # as written (normalised), when it differs from ``key``


def language(locale: str | None) -> str:
    """The tokenizer a locale uses: ``ja`` or ``en`` (every other language is split like English)."""
    return "ja" if (locale or "").split("-")[0].lower() == "ja" else "en"


def tokenize(text: str, locale: str | None) -> tuple[Token, ...]:
    """The tokens of ``text`` in the language of ``locale``."""
    return _tokenize(text, language(locale))


@lru_cache(maxsize=8192)
def _tokenize(text: str, lang: str) -> tuple[Token, ...]:
    norm = normalize(text)
    return tuple(_japanese(norm) if lang == "ja" else _english(norm))


# --------------------------------------------------------------------------- Japanese


_SUDACHI: list[Any] = []
#: The dictionary file Sudachi maps, its pages released from this process after every so many characters
#: split (see :mod:`otokui.lint.resident`): else the large build's render workers hold over 140 MB of it.
_DICTIONARY: list[MappedFiles] = []
RELEASE_EVERY = 1000  # characters: the large build's workers split about 7,500 each, cold


def _open_sudachi() -> Any:
    from sudachipy import Dictionary

    dictionary = Dictionary(dict="core")
    make = getattr(dictionary, "tokenizer", None) or dictionary.create  # create() before SudachiPy 0.7
    return make()


def _sudachi() -> Any:
    """The one Sudachi tokenizer of this process (built on first use)."""
    if not _SUDACHI:
        tokenizer, files = MappedFiles.opened_by(_open_sudachi, RELEASE_EVERY)
        _DICTIONARY.append(files)
        _SUDACHI.append(tokenizer)
    return _SUDACHI[0]


def dictionary_files() -> MappedFiles | None:
    """The files the Japanese tokenizer of this process maps (None before Japanese was first read)."""
    return _DICTIONARY[0] if _DICTIONARY else None


def _chunks(text: str, limit: int = 4000) -> Iterator[tuple[int, str]]:
    """``text`` in pieces Sudachi accepts: lines, and long lines cut after 。."""
    position = 0
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            cut = line.rfind("。", 0, limit) + 1 or limit
            yield position, line[:cut]
            position += cut
            line = line[cut:]
        yield position, line
        position += len(line)


def _japanese(norm: Normalized) -> Iterator[Token]:
    from sudachipy import SplitMode

    tokenizer = _sudachi()
    dictionary = _DICTIONARY[0]
    previous: Token | None = None
    for base, chunk in _chunks(norm.text):
        if not chunk.strip():
            if "\n" in chunk:
                yield Token("\n", "stop", *norm.source_span(base, base + 1))
            continue
        morphemes = list(tokenizer.tokenize(chunk, SplitMode.A))
        for n, morpheme in enumerate(morphemes):
            surface = morpheme.surface()
            start, end = norm.source_span(base + morpheme.begin(), base + morpheme.end())
            pos = morpheme.part_of_speech()
            form = morpheme.normalized_form()
            token: Token | None
            if surface.isspace():
                token = Token("\n", "stop", start, end) if "\n" in surface else None
            elif surface in _JA_STOPS:
                token = Token(surface, "stop", start, end)
            elif surface in _JA_COMMAS:
                token = Token("、", "comma", start, end)
            elif _dropped(pos[0], form) and not _before_te(morphemes, n):
                token = None
            elif (form in _JA_NEGATIONS and pos[0] in ("助動詞", "形容詞")) or JA_VARIANTS.get(form) == NEGATION:
                token = Token(NEGATION, "neg", start, end)
            elif pos[1] == "数詞" and any(c.isdigit() for c in surface):
                if previous is not None and previous.kind == "num" and previous.end >= start:
                    previous = Token(NUMBER, "num", previous.start, end)
                    continue
                token = Token(NUMBER, "num", start, end)
            elif pos[0] == "補助記号" or pos[0] == "記号":
                token = Token(surface, "punct", start, end)
            else:
                variant = JA_VARIANTS.get(form, form)
                if " " in variant:
                    *words, variant = variant.split()
                    for word in words:
                        if previous is not None:
                            yield previous
                        previous = Token(word, "word", start, end)
                token = Token(variant, "word", start, end, surface if surface != variant else "")
                joined = JA_JOINS.get((previous.key, token.key)) if previous is not None else None
                if joined is not None and previous is not None:
                    previous = Token(joined, "word", previous.start, end)
                    continue
            if token is None:
                continue
            if previous is not None:
                if token.kind == "num" and previous.key in "¥$€£" and previous.end == token.start:
                    previous = Token(NUMBER, "num", previous.start, token.end)
                    continue
                yield previous
            previous = token
        dictionary.read(len(chunk))  # after the chunk's morphemes have read what they show from the dictionary
    if previous is not None:
        yield previous


def _dropped(pos: str, form: str) -> bool:
    """Whether a morpheme is left out: the prefixes お/ご and the polite endings ます/です."""
    return (pos == "接頭辞" and form == "御") or (pos == "助動詞" and form in _JA_DROPPED_AUX)


def _before_te(morphemes: Any, n: int) -> bool:
    """Whether morpheme ``n`` (a polite ending) is the まし of …まして, kept as a word of its own."""
    return n + 1 < len(morphemes) and morphemes[n + 1].surface() == "て"


# --------------------------------------------------------------------------- English

_STEMMER: list[Any] = []


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """The Snowball stem of an English word (lower case)."""
    if not _STEMMER:
        import snowballstemmer

        _STEMMER.append(snowballstemmer.stemmer("english"))
    return str(_STEMMER[0].stemWord(word))


def _english(norm: Normalized) -> Iterator[Token]:
    """English tokens; a possessive-looking ``'s`` before a verb in -ing is "is" ("time's running out")."""
    tokens = list(_english_tokens(norm))
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.key == "'s" and following is not None and (following.surface or following.key).endswith("ing"):
            tokens[index] = Token("is", "word", token.start, token.end)
    return iter(tokens)


def _english_tokens(norm: Normalized) -> Iterator[Token]:
    text = norm.text.casefold()
    if len(text) != len(norm.text):  # a character that casefolds to two (ß): fall back to lower()
        text = norm.text.lower()
    for match in _EN_TOKEN.finditer(text):
        word = match.group()
        start, end = norm.source_span(match.start(), match.end())
        if word in _EN_STOPS:
            yield Token(word, "stop", start, end)
        elif word == ",":
            yield Token(",", "comma", start, end)
        elif word[0].isdigit() or word[0] in "$£€¥":
            yield Token(NUMBER, "num", start, end)
        elif not word[0].isalpha():
            yield Token(word, "punct", start, end)
        else:
            yield from _english_word(word, start, end)


def _word(word: str, start: int, end: int) -> Token:
    if word in _EN_NUMBER_WORDS:
        return Token(NUMBER, "num", start, end)
    key = stem(word)
    return Token(key, "neg" if word in EN_NEGATIONS else "word", start, end, word if word != key else "")


def _english_word(word: str, start: int, end: int) -> Iterator[Token]:
    if word in _EN_IRREGULAR_NOT:
        yield _word(_EN_IRREGULAR_NOT[word], start, end)
        yield _word("not", start, end)
        return
    if word in _EN_BARE_NOT:
        yield _word(_EN_BARE_NOT[word], start, end)
        yield _word("not", start, end)
        return
    if "'" in word:
        for ending, full in _EN_CONTRACTIONS.items():
            if word.endswith(ending) and len(word) > len(ending):
                yield _word(word[: -len(ending)], start, end)
                yield _word(full, start, end)
                return
        if word.endswith("'s"):
            base = word[:-2]
            yield _word(base, start, end)
            yield _word("is" if base in _EN_IS else "'s", start, end)
            return
    yield _word(word, start, end)
