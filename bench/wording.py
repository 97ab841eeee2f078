"""Precision and recall of the wording rules on the labelled corpus (``tests/lint/corpus/<locale>.tsv``).

Run ``.venv/bin/python bench/wording.py`` (``--locale ja``, ``--show`` to list every miss and
false alarm). Each sentence is labelled with the wording families it belongs to (``-`` for none)
and a category (``urgency``, ``negation``, ``other-sense``, ``cta``, ``ordinary``…). A family
"finds" a sentence when its phrase list has a match that is a finding (scope, negation and other
senses applied), the way the checker reads an email's visible text.

``--set NAME`` reads ``NAME-<locale>.tsv`` instead. ``--set heldout`` (or ``--heldout``) is the
first held-out set, written after the lists (its misses were fixed afterwards, so it is training
data now); ``--set heldout2`` is the second, written as a whole and measured before any rule was
changed for it: 40 sentences of each family and 25 hard negatives per family, plus 60 ordinary
shop lines, per locale. ``--part dev`` or ``--part test`` takes every other sentence of the set
(the first, third… or the second, fourth…): improve the rules looking at the dev part's mistakes
only, and the test part stays text the rules were never shaped by.

Printed per locale: for each family, true and false positives, misses, precision and recall;
for each category, how many sentences were flagged by any family (for the hard-negative
categories that is the false-alarm rate).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from otokui.lint.phrases import PhraseBook  # noqa: E402

CORPUS = ROOT / "tests" / "lint" / "corpus"
#: The wording families and the rule each belongs to.
FAMILIES: dict[str, str] = {
    "forced_signup": "OT101",
    "presumes_patronage": "OT301",
    "first_order": "OT302",
    "pressure": "OT501",
    "confirmshaming": "OT502",
    "social_proof": "OT503",
}


@dataclass(frozen=True)
class Sentence:
    labels: frozenset[str]
    category: str
    text: str
    source: str
    licence: str


def load(locale: str, name: str = "", part: str = "") -> list[Sentence]:
    path = CORPUS / (f"{name}-{locale}.tsv" if name else f"{locale}.tsv")
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    out: list[Sentence] = []
    for row in reader:
        labels = frozenset() if row["labels"] == "-" else frozenset(row["labels"].split(","))
        out.append(Sentence(labels, row["category"], row["text"], row["source"], row["licence"]))
    if part:
        return out[(0 if part == "dev" else 1) :: 2]
    return out


def found(book: PhraseBook, locale: str, sentence: Sentence) -> frozenset[str]:
    return frozenset(family for family in FAMILIES if book.search(family, locale, sentence.text))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(
    locale: str, name: str = "", part: str = ""
) -> tuple[dict[str, Score], dict[str, tuple[int, int]], list[str]]:
    """Scores per family, (flagged, total) per category, and a line per mistake."""
    book = PhraseBook()
    scores = {family: Score() for family in FAMILIES}
    categories: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    mistakes: list[str] = []
    for sentence in load(locale, name, part):
        got = found(book, locale, sentence)
        for family in FAMILIES:
            expected = family in sentence.labels
            if expected and family in got:
                scores[family].tp += 1
            elif family in got:
                scores[family].fp += 1
                mistakes.append(f"false alarm {family}: {sentence.text}")
            elif expected:
                scores[family].fn += 1
                mistakes.append(f"missed {family}: {sentence.text}")
        categories[sentence.category][0] += bool(got)
        categories[sentence.category][1] += 1
    return scores, {k: (v[0], v[1]) for k, v in categories.items()}, mistakes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", choices=("ja", "en"), action="append")
    parser.add_argument("--show", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--heldout", action="store_true", help="the first held-out set (same as --set heldout)")
    parser.add_argument("--set", dest="name", default="", help="read NAME-<locale>.tsv (heldout, heldout2)")
    parser.add_argument("--part", choices=("dev", "test"), default="", help="every other sentence of the set")
    args = parser.parse_args(argv)
    name = args.name or ("heldout" if args.heldout else "")
    for locale in args.locale or ["ja", "en"]:
        scores, categories, mistakes = evaluate(locale, name, args.part)
        total = sum(n for _, n in categories.values())
        label = " ".join(x for x in (name, args.part) if x)
        print(f"\n{locale}{f' ({label})' if label else ''}: {total} sentences")
        print(f"  {'family':<20} {'rule':<6} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}")
        for family, score in scores.items():
            rule = FAMILIES[family]
            print(
                f"  {family:<20} {rule:<6} {score.tp:>4} {score.fp:>4} {score.fn:>4}"
                f" {score.precision:>10.3f} {score.recall:>7.3f}"
            )
        print(f"  {'category':<20} {'flagged':>8} {'of':>4} {'rate':>7}")
        for category, (flagged, count) in sorted(categories.items()):
            print(f"  {category:<20} {flagged:>8} {count:>4} {flagged / count:>7.3f}")
        if args.show:
            for line in mistakes:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
