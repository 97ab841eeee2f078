"""The locale catalogues: complete, consistent, the only home of customer-facing words, and overridable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otokui.errors import PolicyError
from otokui.i18n.catalogue import CatalogueError, catalogue, check_overrides, keys, locales, read_catalogues
from otokui.policy.load import load_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "rules.yaml").read_text(encoding="utf-8")
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def test_every_locale_has_every_key_with_the_same_placeholders() -> None:
    assert set(locales()) >= {"ja", "en"}
    for locale in locales():
        table = catalogue(locale)
        assert set(table) == set(keys())
        assert all(isinstance(text, str) and text for key, text in table.items() if key != "sentence_sep")


def test_a_catalogue_missing_a_key_or_a_placeholder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text('dear: "Dear {name},"\ntotal: "Total"\n', encoding="utf-8")
    (tmp_path / "fr.yaml").write_text('dear: "Cher {nom},"\n', encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        read_catalogues(tmp_path)
    message = str(caught.value)
    assert "fr.yaml: total: missing (en.yaml has it)" in message
    assert "fr.yaml: dear: placeholders {nom} differ from en.yaml's {name}" in message


def test_a_new_language_is_a_new_file(tmp_path: Path) -> None:
    for locale in ("en", "fr"):
        (tmp_path / f"{locale}.yaml").write_text('dear: "Dear {name},"\n', encoding="utf-8")
    assert set(read_catalogues(tmp_path)) == {"en", "fr"}


def test_catalogues_ship_as_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"**/*.yaml"' in pyproject or "i18n/locales/*.yaml" in pyproject  # tests/newshop/test_wheel.py installs it


@pytest.mark.parametrize(
    "module",
    sorted(
        p.relative_to(ROOT).as_posix()
        for folder in ("otokui/emails", "otokui/site", "otokui/preview")
        for p in (ROOT / folder).rglob("*.py")
    ),
)
def test_no_python_module_carries_japanese_words(module: str) -> None:
    """Customer-facing words live in the catalogue; code may mention Japanese only in comments and docstrings."""
    import ast

    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and JAPANESE.search(node.value)
        and not re.fullmatch("[円年月日]", node.value)  # money and date formats: otokui.i18n.format
    ]
    assert found == []


def policy_with(tmp_path: Path, labels: str) -> Path:
    text = EXAMPLE.replace("wording:\n", "wording:\n  labels:\n" + labels, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_shop_overrides_a_label_per_locale(tmp_path: Path) -> None:
    from otokui.i18n.catalogue import for_policy

    path = policy_with(tmp_path, "    order_number: {ja: ご注文番号}\n    total: Sum\n")
    policy = load_policy(path)
    assert for_policy(policy, "ja")["order_number"] == "ご注文番号"
    assert for_policy(policy, "en")["order_number"] == catalogue("en")["order_number"]  # en left as it was
    assert for_policy(policy, "en")["total"] == "Sum" == for_policy(policy, "ja")["total"]


def test_an_unknown_label_names_its_line_and_the_closest_key(tmp_path: Path) -> None:
    path = policy_with(tmp_path, "    order_numbr: {ja: ご注文番号}\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    lines = [str(p) for p in caught.value.problems]
    line = path.read_text(encoding="utf-8").splitlines().index("    order_numbr: {ja: ご注文番号}") + 1
    assert any(
        text.startswith(f"{path}:{line}:")
        and "wording.labels.order_numbr: unknown label (did you mean 'order_number'?)" in text
        for text in lines
    ), lines


def test_a_label_may_only_use_the_placeholders_the_kit_fills() -> None:
    found = check_overrides({"dear": {"ja": "{nam} 様", "en": "Dear {name},"}, "total": "Total {shop}"})
    assert found == [
        (("wording", "labels", "dear", "ja"), "{nam} cannot be filled here; available: {name}"),
        (("wording", "labels", "total"), "{shop} cannot be filled here; available: none"),
    ]


def test_the_wording_page_lists_every_label() -> None:
    from otokui.i18n.docs import render

    assert (ROOT / "docs" / "wording.md").read_text(encoding="utf-8") == render(), "run `make docs`"
