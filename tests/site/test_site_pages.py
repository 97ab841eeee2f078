"""The generated Markdown, before MkDocs: what each page says, per disclosure mode."""

from __future__ import annotations

import pytest

from otokui.policy.model import Policy
from otokui.site.markup import md_escape
from otokui.site.pages import generate_pages
from tests.site.site_variants import make_policy, published_data, threshold_pattern, thresholds


def markdown(policy: Policy, locale: str) -> str:
    return "\n".join(page.markdown for page in generate_pages(policy, locale))


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_surprise_markdown_states_no_threshold(example_policy: Policy, locale: str) -> None:
    text = markdown(example_policy, locale)
    assert thresholds(example_policy) == [20000, 50000, 120000]
    for value in thresholds(example_policy):
        assert not threshold_pattern(value).search(text), value


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_published_markdown_states_every_threshold(locale: str) -> None:
    policy = make_policy(published_data())
    text = markdown(policy, locale)
    for rank in policy.membership.ranks[1:4]:
        assert rank.threshold.spend
        assert threshold_pattern(rank.threshold.spend).search(text), rank.id


def test_hidden_rank_has_no_page_and_no_mention() -> None:
    policy = make_policy(published_data())
    pages = generate_pages(policy, "ja")
    assert "ranks/obsidian.md" not in {page.src_uri for page in pages}
    assert all("オブシディアン" not in page.markdown for page in pages)


def test_base_rank_has_no_announcement(example_policy: Policy) -> None:
    uris = {page.src_uri for page in generate_pages(example_policy, "ja")}
    assert {"ranks/silver.md", "ranks/gold.md", "ranks/platinum.md"} <= uris
    assert "ranks/regular.md" not in uris


def test_page_kinds_cover_the_site(example_policy: Policy) -> None:
    kinds = {page.kind for page in generate_pages(example_policy, "en")}
    assert kinds == {"home", "benefits", "ranks", "rank", "notices", "faq"}


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("*bold*", r"\*bold\*"),
        ("a_b", r"a\_b"),
        ("[x](y)", r"\[x\]\(y\)"),
        ("# h\n\n- l", r"\# h \- l"),
        ("a: b", r"a\: b"),
        ("<b>&", "<b>&"),  # left to HTML escaping, which runs after
        ("ゴールド", "ゴールド"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("20,000円", True),
        ("¥20,000", True),
        ("20000", True),
        (r"20\,000", True),
        ("２０，０００円", True),
        ("2万円", True),
        ("20k", True),
        ("120,000円", False),
        ("120000", False),
        ("200,000", False),
        ("12万", False),
        ("1.20,000", False),
    ],
)
def test_threshold_pattern(text: str, found: bool) -> None:
    assert bool(threshold_pattern(20000).search(text)) is found
