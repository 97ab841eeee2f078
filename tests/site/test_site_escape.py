"""User text is data, never markup: hostile names and messages in the built site and the snippets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from otokui.artifacts import Artifact
from otokui.color import contrast
from otokui.site import render_snippets
from otokui.site.snippets import COLORS
from tests.site.pagetext import article, html_files, read, visible_text
from tests.site.site_variants import HOSTILE, BuiltSite, hostile_data, make_policy

EXPECTED = " ".join(HOSTILE.split())


def test_no_markup_from_user_text_anywhere(hostile_site: BuiltSite) -> None:
    for page in html_files(hostile_site.out):
        content = page.read_text(encoding="utf-8")
        assert "<script>alert" not in content, page
        assert "evil.example/" not in " ".join(ref for _attr, ref in read(content).refs), page
        assert "<em>Bold" not in content and "<em>it" not in content and "<code>c" not in content, page


@pytest.mark.parametrize(("path", "prefix"), [("index.html", "木漏れ日"), ("en/index.html", "Komorebi")])
def test_shop_name_reads_literally(hostile_site: BuiltSite, path: str, prefix: str) -> None:
    html = hostile_site.page(path)
    assert f"{prefix}{EXPECTED}" in visible_text(article(html))
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert visible_text(title.group(1)) == visible_text(
        f"{prefix}{EXPECTED}".replace("&", "&amp;").replace("<", "&lt;")
    )
    assert f"© {EXPECTED}" in visible_text(html)


def test_rank_benefit_and_notice_texts_read_literally(hostile_site: BuiltSite) -> None:
    ranks = visible_text(article(hostile_site.page("ranks.html")))
    assert f"シルバー{EXPECTED}" in ranks
    assert f"ポイント{EXPECTED}" in ranks
    silver = hostile_site.page("ranks/silver.html")
    assert f"シルバー{EXPECTED}会員に選ばれました" in visible_text(article(silver))
    assert EXPECTED in visible_text(article(hostile_site.page("notices.html")))
    assert EXPECTED in visible_text(article(hostile_site.page("en/notices.html")))


def test_newlines_cannot_start_blocks(hostile_site: BuiltSite) -> None:
    ranks = article(hostile_site.page("ranks.html"))
    assert "<li>list" not in ranks and "<h1>heading" not in ranks and ">heading" not in ranks
    assert "説明 - list # heading" in visible_text(ranks)


# ---------------------------------------------------------------------------- snippets


class _Shape(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.roots: list[tuple[str, dict[str, str | None]]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            self.roots.append((tag, dict(attrs)))
        self.tags.append(tag)
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1


def test_snippets_cover_checkout_notices() -> None:
    policy = make_policy(hostile_data())
    snippets = render_snippets(policy)
    expected = {
        f"snippets/notices/{notice.id}.{locale}.html"
        for notice in policy.notices
        if "checkout" in notice.show_in
        for locale in policy.shop.locales
    }
    assert {s.path for s in snippets} == expected
    for snippet in snippets:
        assert snippet.context is not None
        assert snippet.context.surface == "snippet" and snippet.context.kind == "notice"
        notice_id, locale = snippet.path.rsplit("/", 1)[1].split(".")[:2]
        assert snippet.context.notices == (notice_id,) and snippet.context.locale == locale


def test_snippets_are_standalone_and_escaped() -> None:
    for snippet in render_snippets(make_policy(hostile_data())):
        html = snippet.text
        shape = _Shape()
        shape.feed(html)
        assert len(shape.roots) == 1, snippet.path
        tag, attrs = shape.roots[0]
        assert snippet.context is not None
        assert tag == "div" and attrs.get("lang") == snippet.context.locale
        assert "style" in attrs and "class" in attrs
        assert set(shape.tags) <= {"div", "p", "span", "wbr"}, snippet.path
        assert "<style" not in html and "<link" not in html and "<script" not in html
        if snippet.path.startswith("snippets/notices/bank_transfer_fast."):
            assert visible_text(html).count(EXPECTED) == 2  # title and message, literally


def test_snippet_text_of_example(snippets: list[Artifact]) -> None:
    by_path = {s.path: s for s in snippets}
    ja = visible_text(by_path["snippets/notices/bank_transfer_fast.ja.html"].text)
    assert "銀行振込でお急ぎの方へ" in ja and "対象：お支払い方法が銀行振込" in ja
    en = visible_text(by_path["snippets/notices/remote_island.en.html"].text)
    assert "Deliveries to Okinawa and remote islands" in en


def test_snippet_colours_are_readable() -> None:
    for accent, background in COLORS.values():
        for text in (accent, "#1f1f1f", "#444444"):
            assert contrast(text, background) >= 4.5, (text, background)
