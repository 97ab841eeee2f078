"""Phrase lists the wording rules look for, per locale, and how they are matched.

The shipped lists are files, one per locale and list:
``otokui/lint/data/phrases/<locale>/<list>.yaml``, each entry with a comment
saying why it is there::

    negation: true          # a negated phrase ("no need to hurry") is not a finding
    entries:
      - 急ぐ                 # hurrying the reader, in any form: 急いで, お急ぎください
      - 残り {n} (点|個|枚)   # a count of what is left: 残り3点
    except:
      - 急ぐ 便              # お急ぎ便 is a delivery option, not pressure

A shop's ``checks.phrases`` adds entries to a list, per locale::

    checks:
      phrases:
        pressure: {ja: [まとめ買いがお得], en: [stock up now]}

How a phrase matches:

- Text and phrase are normalised (:mod:`otokui.lint.normalize`) and split into
  words (:mod:`otokui.lint.morph`); words are compared by dictionary form in
  Japanese and by stem in English, so one entry covers a verb's inflections and
  polite forms (急ぐ matches 急いで, お急ぎください), and spelling variants
  (わずか/僅か, 今すぐ/いますぐ/今スグ). Case never matters; English matches whole
  words only.
- ``{n}`` (or ``#``) is a number (``3``, ``３``, ``¥3,000``, ``$5``, "three");
  ``…`` is up to eight words (Japanese) or six (English) within one sentence;
  ``(a|b|c)`` is any one of the alternatives, ``(a|b)?`` one or none; ``$`` is the end of
  a sentence (お早めに $: said on its own, not お早めにお召し上がりください).
- ``words:`` names a class of words once (``account: [会員 登録, ログイン, アカウント]``) for
  the entries of the same file to use as ``{account}``: a construction ("{purchase} … {account}
  … 必要") is written once for every way of naming its parts.
- ``except:`` entries are other senses of the same words: a match that overlaps
  an exception is not a finding (いつもより is "than usual", not patronage); exceptions
  that overlap one another each apply.
- A match that is not a finding (excepted, negated, a label, a name) hides no other: a
  shorter match at the same place, or one starting inside it, is still read.
- With ``negation: true``, a negated or denied phrase is not a finding: in
  Japanese a negative ending after the phrase in the same clause (急がなくて大丈夫,
  急ぐ必要はありません; but not the conditional 急がないと), in English a negation
  up to four words before it in the same clause ("no need to hurry",
  "you don't have to rush"); a ``…`` never spans a negation.
- ``labels:`` are plain calls to action (今すぐ購入, "Buy now"): a match on a
  line that is, as a whole, one of them is a button label, never a finding.
- With ``names_in_quotes: true``, text in quotes or 「」『』 is a name (a product,
  a campaign) and never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from otokui.lint import phrase_cache
from otokui.lint.morph import NEGATION, NUMBER, Token, language, tokenize

DATA = Path(__file__).resolve().parent / "data" / "phrases"
GAP_WORDS = {"ja": 8, "en": 6}  # Japanese words are finer (particles are words of their own)
_JA_LOOKAHEAD = 5
_EN_LOOKBEHIND = 4
_CONDITIONAL = frozenset({"と", "ば", "なら"})
_OPEN_QUOTES = {"「": "」", "『": "』", '"': '"', "“": "”"}
_SYNTAX = re.compile(r"(\.\.\.|…|#|\{n\}|\$|\(|\)\?|\)|\|)")
_FILE_KEYS = frozenset({"negation", "names_in_quotes", "words", "entries", "except", "labels"})
_CLASS = re.compile(r"\{([a-z_]+)\}")


class PhraseError(ValueError):
    """A phrase or phrase file that cannot be used, with where it is."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(f"{file}:{line}:{column}: {message}" if file else message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column


# --------------------------------------------------------------------------- compiling a phrase

Element = tuple[Any, ...]  # ("key", frozenset[str]) | ("num",) | ("gap",) | ("alt", tuple[tuple[Element, ...], ...])


def _parse(phrase: str, lang: str) -> tuple[Element, ...]:
    pieces = [p for p in _SYNTAX.split(phrase) if p]
    elements, rest = _sequence(pieces, 0, lang, phrase, top=True)
    if rest != len(pieces):
        raise PhraseError(f"unbalanced ')' in {phrase!r}")
    return elements


def _sequence(pieces: list[str], i: int, lang: str, phrase: str, top: bool) -> tuple[tuple[Element, ...], int]:
    out: list[Element] = []
    while i < len(pieces):
        piece = pieces[i]
        if piece in (")", ")?", "|"):
            if top:
                raise PhraseError(f"{piece!r} outside '( … )' in {phrase!r}")
            return tuple(out), i
        if piece in ("#", "{n}"):
            out.append(("num",))
        elif piece in ("…", "..."):
            out.append(("gap",))
        elif piece == "$":
            out.append(("end",))
        elif piece == "(":
            close = _closing(pieces, i)
            key = ("".join(pieces[i : close + 1]), lang) if close is not None else None
            if key is not None and key in _GROUPS:
                out.append(_GROUPS[key])
                i = close + 1  # type: ignore[operator]
                continue
            start = i
            alternatives: list[tuple[Element, ...]] = []
            i += 1
            while True:
                alternative, i = _sequence(pieces, i, lang, phrase, top=False)
                if not alternative:
                    raise PhraseError(f"an empty alternative in {phrase!r}")
                alternatives.append(alternative)
                if i >= len(pieces):
                    raise PhraseError(f"'(' without ')' in {phrase!r}")
                if pieces[i] in (")", ")?"):
                    break
                i += 1  # "|"
            if pieces[i] == ")?":
                alternatives.append(())
            group: Element = ("alt", tuple(alternatives))
            _GROUPS[("".join(pieces[start : i + 1]), lang)] = group
            out.append(group)
        else:
            out.extend(_literal_elements(piece, lang))
        i += 1
    if not top:
        raise PhraseError(f"'(' without ')' in {phrase!r}")
    return tuple(out), i


#: Groups already parsed, by their text and language: a word class is used by many entries.
_GROUPS: dict[tuple[str, str], Element] = {}


def _closing(pieces: list[str], i: int) -> int | None:
    """The index of the piece closing the group opened at ``i``, or None when it is unbalanced."""
    depth = 0
    for j in range(i, len(pieces)):
        if pieces[j] == "(":
            depth += 1
        elif pieces[j] in (")", ")?"):
            depth -= 1
            if depth == 0:
                return j
    return None


_JA_SKIPPED_WORDS = frozenset({"お", "ご", "御", "ます", "です"})


def _literal_elements(piece: str, lang: str) -> list[Element]:
    """The elements of a literal part of a phrase.

    English is tokenized as the text is. A Japanese word written on its own
    (between spaces) matches a text word whose dictionary form or spelling it
    is (為る, 頂く, いる; わずか also as 僅か), or the words it splits into
    (見逃しなく → 見る 逃す NEG); a part with several words also matches
    as the words of the whole part written without spaces.
    """
    if lang != "ja":
        return [("key", frozenset({t.key})) for t in tokenize(piece, lang) if t.kind != "stop"]
    out: list[Element] = []
    for word in piece.split():
        if word in _JA_SKIPPED_WORDS:
            continue
        tokens = [t for t in tokenize(word, lang) if t.kind != "stop"]
        if word in (NEGATION, NUMBER) or not tokens:
            out.append(("key", frozenset({word})))
        elif len(tokens) == 1:
            out.append(("key", frozenset({word, tokens[0].key})))
        else:
            split = tuple(("key", frozenset({t.key})) for t in tokens)
            out.append(("alt", ((("key", frozenset({word})),), split)))
    if len(piece.split()) > 1:
        joined = tuple(("key", frozenset({t.key})) for t in tokenize("".join(piece.split()), lang) if t.kind != "stop")
        if joined and list(joined) != out:
            return [("alt", (tuple(out), joined))]
    return out


@dataclass(frozen=True)
class Pattern:
    """One compiled phrase."""

    phrase: str
    elements: tuple[Element, ...]
    gap: int = 6  # words a "…" may stand for

    @property
    def first(self) -> frozenset[str] | None:
        """Keys the first word may have, or None when it may be anything."""
        return _first(self.elements)

    def ends(self, tokens: Sequence[Token], i: int) -> Iterator[int]:
        return _ends(self.elements, 0, tokens, i, self.gap)

    @cached_property
    def needs(self) -> tuple[frozenset[str], ...]:
        """Sets of words of which a text must hold one each for the phrase to match in it (see :func:`_words`)."""
        return _needs(self.elements)


#: The word a text's numbers stand for in :func:`_words` (no token has it as its key).
_ANY_NUMBER = "\0num"


def _needs(elements: tuple[Element, ...]) -> tuple[frozenset[str], ...]:
    """For each element every match needs a word of, the words (keys or spellings) it may be."""
    out: list[frozenset[str]] = []
    for element in elements:
        kind = element[0]
        if kind == "key":
            out.append(element[1])
        elif kind == "num":
            out.append(frozenset({_ANY_NUMBER}))
        elif kind == "alt":
            words: set[str] = set()
            for alternative in element[1]:
                inner = _needs(alternative)
                if not inner:  # an empty alternative, or one of wildcards only: nothing is needed
                    break
                words |= min(inner, key=len)
            else:
                out.append(frozenset(words))
    return tuple(out)


@lru_cache(maxsize=8192)
def _line_words(line: str, locale: str) -> frozenset[str]:
    """:func:`_words` of the tokens of ``line``."""
    return _words(tokenize(line, locale))


def _words(tokens: Sequence[Token]) -> frozenset[str]:
    """What a phrase's words are compared with in ``tokens``: keys, spellings, and whether there is a number."""
    words = {t.key for t in tokens}
    words.update(t.surface for t in tokens)
    if any(t.kind == "num" for t in tokens):
        words.add(_ANY_NUMBER)
    return frozenset(words)


def _first(elements: tuple[Element, ...]) -> frozenset[str] | None:
    if not elements:
        return None
    head = elements[0]
    if head[0] == "key":
        return frozenset(head[1])
    if head[0] == "num":
        return frozenset({NUMBER})
    if head[0] == "alt":
        keys: set[str] = set()
        for alternative in head[1]:
            sub = _first(alternative) if alternative else _first(elements[1:])
            if sub is None:
                return None
            keys |= sub
        return frozenset(keys)
    return None


def _ends(elements: tuple[Element, ...], k: int, tokens: Sequence[Token], i: int, gap: int = 6) -> Iterator[int]:
    if k == len(elements):
        yield i
        return
    element = elements[k]
    kind = element[0]
    if k and kind != "gap":  # commas between words do not break a phrase
        while i < len(tokens) and tokens[i].kind == "comma" and not (kind == "key" and "、" in element[1]):
            i += 1
    if kind == "key":
        if i < len(tokens) and (tokens[i].key in element[1] or tokens[i].surface in element[1]):
            yield from _ends(elements, k + 1, tokens, i + 1, gap)
    elif kind == "num":
        if i < len(tokens) and tokens[i].kind == "num":
            yield from _ends(elements, k + 1, tokens, i + 1, gap)
    elif kind == "end":
        if i == len(tokens) or tokens[i].kind == "stop":
            yield from _ends(elements, k + 1, tokens, i, gap)
    elif kind == "gap":
        words = 0
        j = i
        while True:
            yield from _ends(elements, k + 1, tokens, j, gap)
            if j >= len(tokens) or tokens[j].kind in ("stop", "neg"):
                break
            words += tokens[j].kind != "comma"
            if words > gap:
                break
            j += 1
    else:
        for alternative in element[1]:
            for end in _ends(alternative, 0, tokens, i, gap):
                yield from _ends(elements, k + 1, tokens, end, gap)


@lru_cache(maxsize=8192)
def compile_phrase(phrase: str, locale: str) -> Pattern:
    """The pattern of ``phrase`` in ``locale``; raises PhraseError when it is not a usable phrase."""
    text = phrase.strip()
    if not text:
        raise PhraseError("an empty phrase")
    lang = language(locale)
    kept = phrase_cache.lookup((text, lang))
    if kept is not None:  # compiled by an earlier run, and valid then
        return Pattern(text, kept, GAP_WORDS[lang])
    elements = _parse(text, lang)
    if elements and elements[0][0] == "end":
        raise PhraseError(f"{phrase!r} starts with '$' (the end of a sentence)")
    if not any(e[0] in ("key", "alt") for e in elements):
        raise PhraseError(f"{phrase!r} has no words, only wildcards")
    if elements[0][0] == "gap" or elements[-1][0] == "gap":
        raise PhraseError(f"{phrase!r} starts or ends with '…'")
    phrase_cache.remember((text, lang), elements)
    return Pattern(text, elements, GAP_WORDS[lang])


# --------------------------------------------------------------------------- phrase lists


@dataclass(frozen=True)
class PhraseList:
    """One list in one locale: its entries, its exceptions, and how it reads scope."""

    entries: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    negation: bool = False
    names_in_quotes: bool = False
    labels: tuple[str, ...] = ()


def load_file(path: Path, name: str = "") -> PhraseList:
    """One phrase file, validated; raises PhraseError naming the file, line and column."""
    label = name or str(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise PhraseError(str(getattr(error, "problem", error)), label, *_at(mark)) from None
    if not isinstance(node, yaml.MappingNode):
        raise PhraseError("expected a mapping with 'entries'", label, *_at(node.start_mark if node else None))
    values: dict[str, Any] = {}
    classes: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in _FILE_KEYS:
            raise PhraseError(f"unknown key {key!r} (expected {', '.join(sorted(_FILE_KEYS))})", label, *_at(key_node))
        if key == "words":
            classes.update(_word_classes(value_node, label, path.parent.name))
            continue
        if key in ("negation", "names_in_quotes"):
            if not (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("true", "false")):
                raise PhraseError(f"{key}: expected true or false", label, *_at(value_node))
            values[key] = value_node.value == "true"
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise PhraseError(f"{key}: expected a list of phrases", label, *_at(value_node))
        items: list[str] = []
        for item in value_node.value:
            if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
                raise PhraseError(f"{key}: expected a phrase (a text)", label, *_at(item))
            try:
                phrase = _expand(item.value, classes)
                compile_phrase(phrase, path.parent.name)
            except PhraseError as error:
                raise PhraseError(error.message, label, *_at(item)) from None
            if phrase in items:
                raise PhraseError(f"{key}: {item.value!r} is listed twice", label, *_at(item))
            items.append(phrase)
        values[{"entries": "entries", "except": "exceptions", "labels": "labels"}[key]] = tuple(items)
    if not values.get("entries"):
        raise PhraseError("no entries", label, 1, 1)
    return PhraseList(**values)


def _word_classes(node: Any, label: str, locale: str) -> dict[str, str]:
    """``words:``: name → its alternatives as one ``( … | … )`` group."""
    if not isinstance(node, yaml.MappingNode):
        raise PhraseError("words: expected a mapping of names to lists of words", label, *_at(node))
    out: dict[str, str] = {}
    for key_node, value_node in node.value:
        name = key_node.value
        if not re.fullmatch(r"[a-z_]+", name) or name == "n":
            raise PhraseError(
                f"words: {name!r} is not a usable name (lower-case letters and _, not 'n')", label, *_at(key_node)
            )
        if not isinstance(value_node, yaml.SequenceNode) or not value_node.value:
            raise PhraseError(f"words: {name}: expected a list of words", label, *_at(value_node))
        alternatives: list[str] = []
        for item in value_node.value:
            if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
                raise PhraseError(f"words: {name}: expected a word (a text)", label, *_at(item))
            try:
                alternatives.append(_expand(item.value, out))
            except PhraseError as error:
                raise PhraseError(f"words: {name}: {error.message}", label, *_at(item)) from None
        out[name] = "(" + "|".join(alternatives) + ")"
        try:
            compile_phrase(out[name], locale)
        except PhraseError as error:
            raise PhraseError(f"words: {name}: {error.message}", label, *_at(value_node)) from None
    return out


def _expand(phrase: str, classes: Mapping[str, str]) -> str:
    """``phrase`` with each ``{name}`` of a word class written out (``{n}`` stays a number)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "n":
            return match.group()
        if name not in classes:
            known = ", ".join(sorted(classes)) or "none defined"
            raise PhraseError(f"{{{name}}} is not a word class of this file (words: {known})")
        return classes[name]

    return _CLASS.sub(one, phrase)


def _at(mark: Any) -> tuple[int, int]:
    mark = getattr(mark, "start_mark", mark)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _shipped_names() -> tuple[str, ...]:
    return tuple(sorted({p.stem for p in DATA.glob("*/*.yaml")}))


@lru_cache(maxsize=1)
def shipped() -> dict[str, dict[str, PhraseList]]:
    """Every shipped list: name → locale → list (read and validated once per process)."""
    lists: dict[str, dict[str, PhraseList]] = {}
    for path in sorted(DATA.glob("*/*.yaml")):
        relative = path.relative_to(DATA.parent.parent.parent).as_posix()
        lists.setdefault(path.stem, {})[path.parent.name] = load_file(path, f"otokui/{relative}")
    phrase_cache.save()
    return lists


LIST_NAMES: tuple[str, ...] = _shipped_names()


def defaults() -> dict[str, dict[str, tuple[str, ...]]]:
    """The shipped entries, name → locale → phrases (as written in the files)."""
    return {name: {loc: pl.entries for loc, pl in by_locale.items()} for name, by_locale in shipped().items()}


# --------------------------------------------------------------------------- searching


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str
    start: int  # index in the visible text
    end: int


@dataclass
class _Compiled:
    by_first: dict[str, list[Pattern]] = field(default_factory=dict)
    anywhere: list[Pattern] = field(default_factory=list)
    exceptions: list[Pattern] = field(default_factory=list)
    excepted_by: _Compiled | None = None  # the exceptions, indexed by their first word like the entries
    labels: list[Pattern] = field(default_factory=list)
    negation: bool = False
    names_in_quotes: bool = False


def _index(patterns: list[Pattern], compiled: _Compiled) -> None:
    for pattern in patterns:
        first = pattern.first
        if first is None:
            compiled.anywhere.append(pattern)
        else:
            for key in first:
                compiled.by_first.setdefault(key, []).append(pattern)


def validate_extra(phrase: str, locale: str) -> str | None:
    """Why ``phrase`` cannot be added to a list in ``locale``, or None when it can."""
    try:
        compile_phrase(phrase, locale)
    except PhraseError as error:
        return error.message
    return None


class PhraseBook:
    """The shipped phrase lists plus the shop's own, searchable per locale."""

    def __init__(self, extra: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> None:
        self.lists: dict[str, dict[str, PhraseList]] = {name: dict(by) for name, by in shipped().items()}
        for name, by_locale in (extra or {}).items():
            target = self.lists.setdefault(name, {})
            for locale, phrases in by_locale.items():
                current = target.get(locale, PhraseList(()))
                added = tuple(p for p in phrases if p.strip() and p not in current.entries)
                target[locale] = PhraseList(
                    current.entries + added,
                    current.exceptions,
                    current.negation,
                    current.names_in_quotes,
                    current.labels,
                )
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lines: dict[tuple[str, str], dict[str, tuple[PhraseMatch, ...]]] = {}

    def phrases(self, name: str, locale: str | None) -> list[tuple[str, str]]:
        """(locale, phrase) pairs of list ``name`` for ``locale`` (every locale when None)."""
        by_locale = self.lists.get(name, {})
        locales = [_base(locale)] if locale else sorted(by_locale)
        return [(loc, phrase) for loc in locales for phrase in by_locale.get(loc, PhraseList(())).entries]

    def _compile(self, name: str, locale: str) -> _Compiled | None:
        key = (name, locale)
        if key not in self._compiled:
            phrase_list = self.lists.get(name, {}).get(locale)
            if phrase_list is None:
                return None
            compiled = _Compiled(negation=phrase_list.negation, names_in_quotes=phrase_list.names_in_quotes)
            _index([p for p in (_safe(e, locale) for e in phrase_list.entries) if p], compiled)
            compiled.exceptions = [p for p in (_safe(e, locale) for e in phrase_list.exceptions) if p]
            compiled.excepted_by = _Compiled()
            _index(compiled.exceptions, compiled.excepted_by)
            compiled.labels = [p for p in (_safe(e, locale) for e in phrase_list.labels) if p]
            self._compiled[key] = compiled
        return self._compiled[key]

    def search(self, name: str, locale: str | None, text: str) -> list[PhraseMatch]:
        """Matches of list ``name`` in ``text`` that are findings: leftmost first, longest at a tie.

        A phrase never spans a line break, so each line is read once per list and locale,
        however many outputs share it (footers, labels, tier messages).
        """
        locales = [_base(locale)] if locale else sorted(self.lists.get(name, {}))
        found: list[PhraseMatch] = []
        for loc in locales:
            compiled = self._compile(name, loc)
            if compiled is None:
                continue
            cache = self._lines.setdefault((name, loc), {})
            for line, position in _lines_of(text):
                matches = cache.get(line)
                if matches is None:
                    matches = cache[line] = _line_search(compiled, line, loc)
                if matches:
                    found.extend(PhraseMatch(m.phrase, m.start + position, m.end + position) for m in matches)
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[PhraseMatch] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            kept.append(item)
        return kept

    def contains(self, name: str, locale: str | None, text: str) -> bool:
        return bool(self.search(name, locale, text))


@lru_cache(maxsize=1024)
def _lines_of(text: str) -> tuple[tuple[str, int], ...]:
    """The non-empty lines of ``text`` with their offsets (the same string objects on every call)."""
    out: list[tuple[str, int]] = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((line, position))
        position += len(line) + 1
    return tuple(out)


def _base(locale: str) -> str:
    return locale.split("-")[0].lower()


def _safe(phrase: str, locale: str) -> Pattern | None:
    try:
        return compile_phrase(phrase, locale)
    except PhraseError:
        return None


def _spans(
    patterns: list[Pattern],
    tokens: Sequence[Token],
    index: dict[str, list[Pattern]] | None = None,
    accept: Callable[[int, int], bool] | None = None,
    overlapping: bool = False,
    words: frozenset[str] | None = None,
) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping (start token, end token, phrase) matches.

    With ``accept``, only matches it accepts count: one it refuses (a negated phrase) hides
    neither a shorter match at the same place nor one starting inside it. With ``overlapping``,
    the longest match at every place (exceptions: one never hides another). A pattern needing
    a word the tokens (``words``) do not hold anywhere is not tried (decided once per pattern).
    """
    out: list[tuple[int, int, str]] = []
    if words is None:
        words = _words(tokens)
    possible: dict[int, bool] = {}
    i = 0
    while i < len(tokens):
        best: tuple[int, str] | None = None
        token = tokens[i]
        candidates = patterns
        if index is not None:
            candidates = index.get(token.key, []) + (index.get(token.surface, []) if token.surface else []) + patterns
        for pattern in candidates:  # each pattern's first end: gaps as short as they can be
            can = possible.get(id(pattern))
            if can is None:
                can = possible[id(pattern)] = all(not group.isdisjoint(words) for group in pattern.needs)
            if not can:
                continue
            end = next((e for e in pattern.ends(tokens, i) if e > i), None)
            if end is not None and (best is None or end > best[0]) and (accept is None or accept(i, end)):
                best = (end, pattern.phrase)
        if best is not None:
            out.append((i, best[0], best[1]))
            i = i + 1 if overlapping else best[0]
        else:
            i += 1
    return out


def _line_search(compiled: _Compiled, line: str, locale: str) -> tuple[PhraseMatch, ...]:
    """:func:`_search` on one line: none, at once, when no phrase of the list can start in it."""
    words = _line_words(line, locale)
    if not compiled.anywhere and words.isdisjoint(compiled.by_first):
        return ()
    return tuple(_search(compiled, tokenize(line, locale), language(locale), words))


def _search(
    compiled: _Compiled, tokens: Sequence[Token], lang: str, words: frozenset[str] | None = None
) -> Iterator[PhraseMatch]:
    if words is None:
        words = _words(tokens)
    excepted: list[tuple[int, int, str]] | None = None  # read when a phrase first matches
    quoted: list[bool] | None = None

    def finding(start: int, end: int) -> bool:
        nonlocal excepted, quoted
        if excepted is None:
            by = compiled.excepted_by
            excepted = (
                _spans(by.anywhere, tokens, by.by_first, overlapping=True, words=words)
                if by and compiled.exceptions
                else []
            )
        if any(s < end and start < e for s, e, _ in excepted):
            return False
        if compiled.labels and _is_label(compiled.labels, tokens, start):
            return False
        if compiled.names_in_quotes:
            quoted = _quoted(tokens) if quoted is None else quoted
            if quoted[start]:
                return False
        return not (compiled.negation and _negated(tokens, start, end, lang))

    for start, end, phrase in _spans(compiled.anywhere, tokens, compiled.by_first, finding, words=words):
        yield PhraseMatch(phrase, tokens[start].start, tokens[end - 1].end)


def _is_label(labels: list[Pattern], tokens: Sequence[Token], index: int) -> bool:
    """Whether the line holding token ``index`` is, as a whole, one of ``labels`` (a button, a link)."""
    first = index
    while first > 0 and tokens[first - 1].key != "\n":
        first -= 1
    last = index
    while last < len(tokens) and tokens[last].key != "\n":
        last += 1
    while last > first and tokens[last - 1].kind in ("stop", "punct"):
        last -= 1
    return any(end == last for pattern in labels for end in pattern.ends(tokens, first))


def _negated(tokens: Sequence[Token], start: int, end: int, lang: str) -> bool:
    if lang == "ja":
        for j in range(end, min(end + _JA_LOOKAHEAD, len(tokens))):
            token = tokens[j]
            if token.kind in ("stop", "comma"):
                return False
            if token.key == NEGATION:
                following = tokens[j + 1].key if j + 1 < len(tokens) else ""
                return following not in _CONDITIONAL
            if token.key == "知れる" and j >= 2 and tokens[j - 1].key == "も" and tokens[j - 2].key == "か":
                return False  # …ないかもしれません: "may not", the phrase itself stands
        return False
    for j in range(start - 1, max(start - 1 - _EN_LOOKBEHIND, -1), -1):
        token = tokens[j]
        if token.kind in ("stop", "comma"):
            return False
        if token.kind == "neg":
            return True
    return False


def _quoted(tokens: Sequence[Token]) -> list[bool]:
    inside: list[bool] = []
    closing: str | None = None
    for token in tokens:
        if closing is not None and token.key == closing:
            closing = None
            inside.append(True)
        elif closing is None and token.key in _OPEN_QUOTES:
            closing = _OPEN_QUOTES[token.key]
            inside.append(True)
        else:
            if token.key == "\n":
                closing = None
            inside.append(closing is not None)
    return inside
