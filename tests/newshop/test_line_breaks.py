"""Japanese lines end between phrases, and no line is an orphan of one or two characters.

Every Japanese paragraph, list item, heading and table cell of the example
shop's and the pottery's emails, letters and member pages is laid out by
Chromium at 375 px; where each line starts is measured character by
character. A line may start only after a phrase break (U+200B), a space or
a punctuation mark, never inside a word (あ/りがとう, クーポ/ン), and the last
line of a text has at least three characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from otokui.i18n.linebreak import ZWSP, has_japanese

from .shop import copy_ceramics
from .test_init import call

ROOT = Path(__file__).resolve().parents[2]
CERAMICS = Path(__file__).resolve().parent / "ceramics" / "rules.yaml"
WIDTH = 375
#: After these a line may start anew without a phrase break (Japanese punctuation, Latin word ends).
BREAKABLE_AFTER = set(" \u3000、。，．・：；！？）」』】〕〉》…‐-–—/")
#: Before these a line may start (opening brackets).
BREAKABLE_BEFORE = set("（「『【〔〈《(")
MIN_LAST = 3

MEASURE_JS = """
() => {
  const out = [];
  const scope = document.querySelector('.md-content') || document.body;  // a site page: its content, not the menus
  const blocks = scope.querySelectorAll('p, li, h1, h2, h3, td, .admonition-title');
  for (const el of blocks) {
    if (el.querySelector('p, li, td, table, h1, h2, h3')) continue;  // measure the innermost blocks
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || el.offsetParent === null) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    const vertical = style.writingMode.startsWith('vertical');  // lines are columns, the next to the left
    let text = '', starts = [], last = null;
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        if (node.tagName === 'BR') text += '\\n';  // a line the author ended
        if (node.tagName === 'WBR') text += '\\u200b';  // a phrase break, as the site writes it
        continue;
      }
      for (let i = 0; i < node.data.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        const ch = node.data[i];
        if (rect && rect.width > 0 && ch.trim() !== '') {
          const next = vertical ? last !== null && rect.left < last - rect.width / 2
                                : last !== null && rect.top > last + rect.height / 2;
          if (next) starts.push(text.length);
          last = vertical ? rect.left : rect.top;
        }
        text += ch;
      }
    }
    out.push({text, starts, tag: el.tagName});
  }
  return out;
}
"""


def _build(tmp: Path, policy: Path | None) -> Path:
    if policy is not None:
        copy_ceramics(tmp)
        args = ["build", "--policy", str(tmp / "rules.yaml"), "--out", str(tmp / "dist"), "--no-check"]
    else:
        args = ["build", "--policy", str(ROOT / "rules.yaml"), "--out", str(tmp / "dist"), "--no-check"]
    code, out, err = call(*args)
    assert code == 0, out + err
    return tmp / "dist"


@pytest.fixture(scope="module")
def shops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "example": _build(tmp_path_factory.mktemp("example"), None),
        "pottery": _build(tmp_path_factory.mktemp("pottery"), CERAMICS),
    }


def japanese_documents(dist: Path) -> list[Path]:
    emails = sorted((dist / "emails").glob("*/ja/*.html"))
    letters = sorted((dist / "letters").glob("*.ja.html"))
    site = dist / "site"
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in ("en", "assets", "search")]
    return [*emails, *letters, *[p for p in pages if p.name != "404.html"]]


def problems_in(text: str, starts: list[int]) -> list[str]:
    found = []
    for start in starts:
        before, after = text[:start].rstrip(ZWSP + " \n"), text[start:]
        if (
            text[start - 1] in (ZWSP, " ", "\n")
            or (before and before[-1] in BREAKABLE_AFTER)
            or after[:1] in BREAKABLE_BEFORE
        ):
            continue
        if not (has_japanese(before[-1:]) or has_japanese(after[:1])):
            continue  # a break inside Latin text follows its own rules
        found.append(f"cut word: {before[-6:]}/{after[:6]}")
    if starts:
        last = "".join(ch for ch in text[starts[-1] :] if ch.strip() and ch != ZWSP)
        if len(last) < MIN_LAST:
            found.append(f"orphan: {last!r} alone on the last line of {text.replace(ZWSP, '')[:30]!r}…")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("shop", ["example", "pottery"])
def test_no_cut_word_and_no_orphan_in_any_japanese_text(page: Any, shops: dict[str, Path], shop: str) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    documents = japanese_documents(shops[shop])
    assert len(documents) > 20
    measured, bad = 0, []
    for document in documents:
        page.goto(document.as_uri())
        for block in page.evaluate(MEASURE_JS):
            if not has_japanese(block["text"]):
                continue
            measured += 1
            bad += [f"{document.name}: {p}" for p in problems_in(block["text"], block["starts"])]
    assert measured > 200
    assert bad == [], "\n".join(sorted(set(bad)))
