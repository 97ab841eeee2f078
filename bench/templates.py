"""False alarms of the wording rules on real email templates (folders you give it).

Run ``.venv/bin/python bench/templates.py DIR… [--show]``: every ``.html``, ``.htm``, ``.mjml``
(compiled to HTML first), ``.twig``, ``.liquid``, ``.hbs``, ``.tpl`` and ``.txt`` file under each
folder is read as the checker reads an email (decoded by its BOM or declared charset; markup,
``<head>``, comments and hidden elements left out), its visible text is split into lines, and each
distinct line is searched by every wording family in the line's locale (Japanese when it has kana
or kanji, else English).

Printed: files and distinct lines read per locale, and per family the lines it flagged; with
``--show``, each flagged line with its file and the words that matched, so that a reader can tell a
false alarm from a template that really does pressure its reader. The templates' text is not
stored anywhere; only the counts and these lines are printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from otokui.lint.decode import decode_html  # noqa: E402
from otokui.lint.html import HtmlDoc  # noqa: E402
from otokui.lint.phrases import PhraseBook  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from wording import FAMILIES  # noqa: E402

SUFFIXES = (".html", ".htm", ".mjml", ".twig", ".liquid", ".hbs", ".tpl", ".txt")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_MARKUP = re.compile(r"<(html|body|p|div|table|td|br|span|h[1-6]|mj-)\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LETTERS = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2}")


def visible_lines(path: Path) -> list[str]:
    """The distinct non-empty lines of visible text of one template, in order."""
    source = decode_html(path.read_bytes(), path.name)
    if path.suffix.lower() == ".mjml":  # what is sent is the compiled HTML, not the MJML source
        import mjml

        source = mjml.mjml2html(source, disable_comments=True, fonts={})
    # a plain-text mail (EC-CUBE's .twig and .tpl text parts) is read line by line as it is
    text = HtmlDoc(source).text.text if _MARKUP.search(source) else _COMMENT.sub("", source)
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = " ".join(line.split())
        if _LETTERS.search(line):
            seen.setdefault(line, None)
    return list(seen)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="list every flagged line")
    args = parser.parse_args(argv)
    book = PhraseBook()
    files = {"ja": 0, "en": 0}
    lines: dict[str, set[str]] = {"ja": set(), "en": set()}
    flagged: dict[str, dict[str, set[str]]] = {"ja": defaultdict(set), "en": defaultdict(set)}
    shown: list[str] = []
    for folder in args.folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()):
            try:
                found = visible_lines(path)
            except Exception as error:  # a template that cannot be read is skipped, with why
                print(f"skipped {path}: {error}", file=sys.stderr)
                continue
            locales = {("ja" if _JAPANESE.search(line) else "en") for line in found}
            for locale in locales:
                files[locale] += 1
            for line in found:
                locale = "ja" if _JAPANESE.search(line) else "en"
                if line in lines[locale]:
                    continue
                lines[locale].add(line)
                for family in FAMILIES:
                    matches = book.search(family, locale, line)
                    if matches:
                        flagged[locale][family].add(line)
                        words = ", ".join(repr(line[m.start : m.end]) for m in matches)
                        shown.append(f"{path}: {family} {words}: {line[:160]}")
    for locale in ("ja", "en"):
        total = len(lines[locale])
        if not total:
            continue
        any_line = set().union(*flagged[locale].values()) if flagged[locale] else set()
        print(f"\n{locale}: {files[locale]} files, {total} distinct lines of visible text")
        for family, rule in FAMILIES.items():
            count = len(flagged[locale][family])
            print(f"  {family:<20} {rule:<6} {count:>4} lines flagged ({count / total:.2%})")
        print(f"  {'any family':<27} {len(any_line):>4} lines flagged ({len(any_line) / total:.2%})")
    if args.show:
        print()
        for line in shown:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
