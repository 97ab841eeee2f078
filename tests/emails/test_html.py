"""Email technique (guidelines 9-12, 14) on every rendered variant."""

from __future__ import annotations

import re

import pytest

from otokui.color import contrast
from otokui.emails import RenderedEmail
from otokui.emails.theme import NOTICE_COLORS, readable, text_on, theme
from otokui.policy.model import Policy
from tests.emails.conftest import make_policy, policy_data


def test_html_root_has_lang_and_dir(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        root = re.search(r"<html\b[^>]*>", email.html)
        assert root, email.variant.stem
        assert f'lang="{email.variant.locale}"' in root.group(0) and 'dir="ltr"' in root.group(0)


def test_dark_mode_meta_tags(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        head = email.html.split("</head>")[0]
        assert '<meta name="color-scheme" content="light dark"' in head
        assert '<meta name="supported-color-schemes" content="light dark"' in head
        assert "prefers-color-scheme: dark" in head


def test_layout_tables_are_presentational_and_images_have_alt(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        for table in re.findall(r"<table\b[^>]*>", email.html):
            assert 'role="presentation"' in table, (email.variant.stem, table)
        for img in re.findall(r"<img\b[^>]*>", email.html):
            assert re.search(r'\balt="[^"]+"', img), (email.variant.stem, img)


def test_preheader_and_title(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        assert email.preheader and email.preheader in email.html
        assert email.subject and email.subject.replace("&", "&amp;") in email.html


def test_links_are_absolute_https(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        hrefs = re.findall(r'href="([^"]*)"', email.html)
        assert hrefs
        assert all(h.startswith("https://") and len(h) > len("https://") for h in hrefs), email.variant.stem


def test_no_template_leftovers(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        for part in (email.html, email.text, email.subject, email.preheader):
            for leftover in ("{{", "{%", "}}", "None", "undefined", "{shop}", "{name}", "{rank}", "{order_id}"):
                assert leftover not in part, (email.variant.stem, leftover)


def test_sizes_stay_under_gmail_clipping(rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        assert len(email.html.encode()) < 80_000, email.variant.stem
        styles = re.findall(r"<style\b[^>]*>(.*?)</style>", email.html, re.DOTALL)
        assert sum(len(s.encode()) for s in styles) < 16_000


def test_footer_per_category(policy: Policy, rendered: list[RenderedEmail]) -> None:
    for email in rendered:
        locale, text = email.variant.locale, email.text
        assert policy.shop.legal_name.get(locale) in text
        assert policy.shop.address.get(locale) in text
        assert policy.shop.contact.email in text
        unsubscribe = str(policy.legal.unsubscribe_url)
        if email.variant.category == "marketing":
            assert unsubscribe in email.html and unsubscribe in text
            assert policy.shop.name.get(locale) in text
        if email.variant.category == "transactional":
            assert unsubscribe not in text
            assert str(policy.shop.contact.inquiry_url) in text


def test_marketing_footer_kept_even_when_the_policy_footer_is_switched_off() -> None:
    from otokui.emails import list_variants
    from otokui.emails.render import Renderer

    from .conftest import TEMPLATES

    data = policy_data()
    data["legal"]["footer"] = {"sender": False, "address": False, "inquiry": False, "unsubscribe_for_marketing": False}
    policy = make_policy(data)
    birthday = next(v for v in list_variants(policy) if v.kind == "birthday")
    email = Renderer(policy, TEMPLATES).render(birthday)
    assert str(policy.legal.unsubscribe_url) in email.text
    assert policy.shop.address.get("ja") in email.text


INLINE_PAIR = re.compile(r'style="([^"]*)"')


def _colors(style: str) -> tuple[str | None, str | None]:
    fg = re.search(r"(?:^|;)\s*color:\s*(#[0-9a-fA-F]{6})", style)
    bg = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", style)
    return (fg.group(1) if fg else None, bg.group(1) if bg else None)


def test_inline_text_colours_have_contrast(policy: Policy, rendered: list[RenderedEmail]) -> None:
    colors = theme(policy)
    page = colors["page"]
    for email in rendered:
        body = email.html.split("<body", 1)[1].split(">", 1)[1]
        body = re.sub(r'<div style="display:none[^"]*">.*?</div>', "", body, count=1)  # the hidden preheader
        for style in INLINE_PAIR.findall(body):
            fg, bg = _colors(style)
            if fg is None:
                continue
            # without its own background, text may sit on the white card or on the page colour
            for background in [bg] if bg else [colors["surface"], page]:
                assert contrast(fg, background) >= 4.5, (email.variant.stem, style)


@pytest.mark.parametrize(("fg", "bg"), [(t, b) for b, _, t in NOTICE_COLORS.values()])
def test_notice_palette_contrast(fg: str, bg: str) -> None:
    assert contrast(fg, bg) >= 4.5


def test_brand_colours_fall_back_when_too_light() -> None:
    assert readable("#ffe066", "#ffffff") == "#222222"
    assert readable("#5b4030", "#ffffff") == "#5b4030"
    assert text_on("#ffe066") == "#222222" and text_on("#5b4030") == "#ffffff"
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
