"""The caniemail extraction: tabs, version order, matchers; and the committed data file."""

from __future__ import annotations

import json
from pathlib import Path

from otokui.lint.caniemail import DATA, describe, features, used_features
from otokui.lint.data.update_caniemail import extract, main, matcher_for
from otokui.lint.html import HtmlDoc

FEATURE = """---
title: "display:flex"
category: css
stats: {
\tgmail: {
\t\tandroid: {
\t\t\t"2019-02": "y",
\t\t\t"2026-03": "a #1"
\t\t}
\t},
\toutlook: {
\t\twindows: {
\t\t\t"2019": "y",
\t\t\t"2007": "n"
\t\t},
\t\tmacos: {
\t\t\t"16.80": "n",
\t\t\t"2019-02": "y",
\t\t}
\t}
}
notes_by_num: {
\t"1": "Not with non-Google accounts.",
\t"2": "Unused note --- with dashes."
}
---
Body text.
"""


def test_extract_takes_the_last_version_and_survives_tabs(tmp_path: Path) -> None:
    (tmp_path / "_features").mkdir()
    (tmp_path / "_features" / "css-display-flex.md").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "_features" / "css-selector-id.md").write_text(
        '---\ntitle: "ID selector"\nstats: {}\n---\n', encoding="utf-8"
    )
    (tmp_path / "_features" / "_template.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    extracted = extract(tmp_path)
    assert list(extracted) == ["css-display-flex"]
    entry = extracted["css-display-flex"]
    assert entry["support"] == {"gmail": {"android": "a #1"}, "outlook": {"windows": "n", "macos": "y"}}
    assert entry["notes"] == {"1": "Not with non-Google accounts."}
    assert entry["match"] == {"property": "display", "values": ["flex", "inline-flex"]}
    output = tmp_path / "out.json"
    assert main([str(tmp_path), "--commit", "abc", "--output", str(output)]) == 0
    assert json.loads(output.read_text(encoding="utf-8"))["commit"] == "abc"


def test_matchers_from_titles() -> None:
    assert matcher_for("css-text-shadow", "text-shadow") == {"properties": ["text-shadow"]}
    assert matcher_for("css-min-width", "min-width property") == {"properties": ["min-width"]}
    assert matcher_for("html-abbr", "<abbr> element") == {"elements": ["abbr"]}
    assert matcher_for("html-loading-attribute", "loading attribute") == {"attributes": ["loading"]}
    assert matcher_for("css-unit-rem", "rem unit") is None
    assert matcher_for("image-webp", "webP image format") is None


def test_committed_data_is_complete() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(raw["commit"]) == 40
    assert (DATA.parent / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert (DATA.parent / "SOURCE.txt").is_file()
    known = features()
    for slug in ("css-display-flex", "css-at-media-prefers-color-scheme", "html-role", "css-border-radius"):
        assert slug in known
    for feature in known.values():
        for platforms in feature.support.values():
            assert all(value.split()[0] in "ynau" for value in platforms.values())


def test_used_features_and_description() -> None:
    doc = HtmlDoc(
        "<html><head><style>@media (prefers-color-scheme: dark) { a { color: red !important } }</style>"
        "<!--[if mso]><style>x { display: grid }</style><![endif]--></head>"
        '<body><div style="display:flex; background-image: linear-gradient(red, blue)" role="article">'
        "x</div></body></html>"
    )
    used = used_features(doc)
    assert {
        "css-at-media",
        "css-at-media-prefers-color-scheme",
        "css-important",
        "css-display-flex",
        "css-display",
        "css-background-image",
        "css-linear-gradient",
        "html-role",
        "html-div",
        "html-body",
        "html-style",
    } <= set(used)
    assert "css-display-grid" not in used
    where, _ = describe(features()["css-display-flex"], ("outlook",), "n")
    assert where == "Outlook (windows, windows-mail)"
