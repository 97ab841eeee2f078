"""A language is added by adding a catalogue file: a shop's own ``locales/<code>.yaml`` beside rules.yaml.

The second shop gains French from one file (otokui's English catalogue with a few entries in French) and a
French text beside each of its texts: its mails, letters and member pages are built in French too. A
catalogue that lacks labels, a locale without a catalogue and a text in an unknown locale are each named
at their line.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from otokui.cli import run
from otokui.i18n.catalogue import LOCALES_DIR
from tests.newshop.shop import copy_ceramics

FRENCH = {
    "dear": "Bonjour {name},",
    "heading_thanks_review": "Merci",
    "order_number": "Numéro de commande",
    "date_long": "{day} {month_name} {year}",
    "month_names": "janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,novembre,décembre",
    "alternate_name": "Français",
    "site_guest_title": "Achat possible sans compte",
    "site_guest_body": "Vous pouvez toujours commander en invité. L'adhésion est facultative.",
}


def call(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def with_french(node: Any) -> Any:
    """Every ``{ja: …, en: …}`` text of the policy with a French one beside it (the English, marked)."""
    if isinstance(node, dict):
        if "en" in node and set(node) <= {"ja", "en"} and isinstance(node["en"], str):
            return {**node, "fr": f"{node['en']} (fr)"}
        return {key: with_french(value) for key, value in node.items()}
    if isinstance(node, list):
        return [with_french(item) for item in node]
    return node


def french_shop(folder: Path, catalogue: dict[str, str] | None = None) -> Path:
    rules = copy_ceramics(folder)
    data = with_french(yaml.safe_load(rules.read_text(encoding="utf-8")))
    data["shop"]["locales"] = ["ja", "en", "fr"]
    # the checker's phrase lists are per language: a new one brings the words it looks for
    data.setdefault("checks", {}).setdefault("phrases", {})["guest_checkout"] = {"fr": ["invité"]}
    rules.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    english = yaml.safe_load((LOCALES_DIR / "en.yaml").read_text(encoding="utf-8"))
    (folder / "locales").mkdir()
    table = {**english, **FRENCH} if catalogue is None else catalogue
    (folder / "locales" / "fr.yaml").write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    return rules


@pytest.mark.slow
def test_a_third_catalogue_builds_the_shop_in_that_language(tmp_path: Path) -> None:
    rules = french_shop(tmp_path)
    code, out, err = call("build", "--policy", str(rules), "--out", str(tmp_path / "dist"))
    assert code == 0, out + err
    dist = tmp_path / "dist"
    thanks = (dist / "emails" / "thanks_review" / "fr" / "first.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in thanks and "Thank you (fr)" in thanks and "Bonjour Hanako Yamada (fr)," in thanks
    order = (dist / "emails" / "order_confirmation" / "fr" / "first.txt").read_text(encoding="utf-8")
    assert "Numéro de commande: 1001" in order and "3 décembre 2026" in order
    letter = (dist / "letters" / "thanks-first.fr.html").read_text(encoding="utf-8")
    assert "3 décembre 2026" in letter and "writing-mode: vertical-rl" not in letter  # vertical is for Japanese
    page = (dist / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page and "Tsuchi to Akari Pottery (fr)" in page
    assert "Français" in (dist / "site" / "index.html").read_text(encoding="utf-8")  # the language selector


def test_a_catalogue_missing_labels_names_them(tmp_path: Path) -> None:
    rules = french_shop(tmp_path, {"dear": "Bonjour {name},", "heading_thanks_revue": "Merci", "total": "Total {x}"})
    code, _, err = call("validate", "--policy", str(rules))
    assert code == 2 and "Traceback" not in err
    catalogue = tmp_path / "locales" / "fr.yaml"
    lines = err.splitlines()
    assert any(
        line.startswith(f"{catalogue}:1:1: ") and "labels missing: heading_order_confirmation" in line for line in lines
    ), err
    text = catalogue.read_text(encoding="utf-8").splitlines()
    typo = next(i for i, line in enumerate(text, 1) if line.startswith("heading_thanks_revue:"))
    assert (
        f"{catalogue}:{typo}:1: heading_thanks_revue: not a label of otokui (did you mean 'heading_thanks_review'?)"
        in lines
    )
    assert any("total: placeholders {x} differ from en.yaml's none" in line for line in lines), err


def test_a_locale_without_a_catalogue_says_which_file_to_add(tmp_path: Path) -> None:
    rules = copy_ceramics(tmp_path)
    text = rules.read_text(encoding="utf-8").replace("locales: [ja, en]", "locales: [ja, eng]", 1)
    rules.write_text(text, encoding="utf-8")
    code, _, err = call("validate", "--policy", str(rules))
    assert code == 2
    assert (
        "shop.locales[1]: no catalogue for locale 'eng' (did you mean 'en'?); add locales/eng.yaml beside rules.yaml"
        in err
    )


def test_a_text_in_an_unknown_locale_is_a_typo(tmp_path: Path) -> None:
    rules = copy_ceramics(tmp_path)
    text = rules.read_text(encoding="utf-8").replace(
        'en: "Tsuchi to Akari Pottery"}', 'em: "Tsuchi to Akari Pottery"}', 1
    )
    rules.write_text(text, encoding="utf-8")
    code, _, err = call("validate", "--policy", str(rules))
    assert code == 2
    assert "shop.name.em: unknown locale (did you mean 'en'?)" in err
