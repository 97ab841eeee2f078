"""Visible text and positions, as the phrase rules see them."""

from __future__ import annotations

import pytest

from otokui.lint.html import HtmlDoc


@pytest.mark.parametrize(
    ("html", "text"),
    [
        pytest.param("<p>a</p><p>b</p>", "a\nb", id="blocks-break"),
        pytest.param("<p>a <b>b</b>\n  c</p>", "a b c", id="inline-and-spaces"),
        pytest.param("<head><title>T</title><style>p{}</style></head><body><p>x</p></body>", "x", id="head"),
        pytest.param("<p>x<script>var y = 1;</script><!-- note --></p>", "x", id="script-comment"),
        pytest.param('<p><img alt="logo" title="t">x</p>', "x", id="attributes"),
        pytest.param(
            "<body><div style='display:none'>pre</div><p>x</p><div hidden>h</div></body>", "pre\nx", id="preheader"
        ),
        pytest.param("<body><p>x</p><div style='display: none'>late</div></body>", "x", id="hidden-later"),
        pytest.param("<p>&yen;20&#44;000&nbsp;円&zwnj;</p>", "¥20,000 円", id="entities"),
        pytest.param("<body><!--[if mso]><p>outlook</p><![endif]--><p>all</p></body>", "all", id="mso"),
    ],
)
def test_visible_text(html: str, text: str) -> None:
    assert HtmlDoc(html).text.text == text


def test_offsets_map_back_to_source() -> None:
    source = "<html>\n<body>\n  <p>前&amp;後</p>\n</body></html>"
    doc = HtmlDoc(source)
    assert doc.text.text == "前&後"
    assert [doc.position(doc.text.offset(i)) for i in range(3)] == [(3, 6), (3, 7), (3, 12)]


def test_offsets_are_kept_as_runs_and_read_like_a_list() -> None:
    import bisect
    import random

    from otokui.lint.html import OffsetMap

    rnd = random.Random(7)
    for _ in range(500):
        expected: list[int] = []
        offsets, pos = OffsetMap(), 0
        for _ in range(rnd.randint(0, 25)):
            roll = rnd.random()
            if roll < 0.4:  # text copied as written
                pos += rnd.randint(0, 3)
                run = range(pos, pos + rnd.randint(0, 6))
                expected.extend(run)
                offsets.extend(run)
                pos = run.stop
            elif roll < 0.7:  # an entity reference: one offset repeated
                repeat = [pos] * rnd.randint(1, 3)
                expected.extend(repeat)
                offsets.extend(repeat)
                pos += rnd.randint(0, 2)
            elif roll < 0.85:
                expected.append(pos)
                offsets.append(pos)
            elif expected:
                assert offsets.pop() == expected.pop()
        assert list(offsets) == expected and [offsets[i] for i in range(len(expected))] == expected
        assert all(offsets.bisect_left(v) == bisect.bisect_left(expected, v) for v in range(-1, pos + 2))


def test_long_text_offsets_stay_small() -> None:
    doc = HtmlDoc("<body><p>" + "あ" * 100_000 + "</p><p>" + "い" * 100_000 + "</p></body>")
    assert len(doc.text.offsets) == 200_001
    assert doc.text.offsets.run_count <= 4  # a few runs, not one number per character
    assert doc.text.text[150_000] == "い"
    assert doc.position(doc.text.offset(150_000)) == (1, 150_016)


def test_preheader_is_found() -> None:
    doc = HtmlDoc("<body><div style='display:none;max-height:0'>要約</div><p>本文</p></body>")
    assert doc.preheader is not None and doc.text_of(doc.preheader) == "要約"


def test_elements_and_ranges() -> None:
    doc = HtmlDoc('<div id="a"><p>x<br>y</p><img src="i.png"></div>')
    tags = [(e.tag, e.start, e.end) for e in doc.elements]
    assert tags == [("div", 0, 48), ("p", 12, 25), ("br", 16, 20), ("img", 25, 42)]
    assert [a.tag for a in doc.ancestors(doc.elements[2])] == ["p", "div"]


def test_style_blocks_outside_comments() -> None:
    doc = HtmlDoc("<style>a{}</style><!--[if mso]><style>b{}</style><![endif]-->")
    assert [s.css for s in doc.styles] == ["a{}"]


def test_chain_numbers_follow_tags_and_attributes_up_to_the_root() -> None:
    first = HtmlDoc('<div class="surface"><p style="color:#222">a</p><p>b</p></div>')
    second = HtmlDoc('<div class="surface"><p>c</p><p style="color:#222">d</p></div>')
    other = HtmlDoc('<div class="page"><p style="color:#222">e</p></div>')
    styled_p = [first.find("p")[0], second.find("p")[1], other.find("p")[0]]
    plain_p = [first.find("p")[1], second.find("p")[0]]
    assert first.chain(styled_p[0]) == second.chain(styled_p[1])  # the same all the way up, text aside
    assert first.chain(plain_p[0]) == second.chain(plain_p[1])
    assert first.chain(styled_p[0]) != first.chain(plain_p[0])  # its own attributes differ
    assert other.chain(styled_p[2]) != first.chain(styled_p[0])  # an ancestor's attributes differ
    assert first.chain(first.find("div")[0]) != other.chain(other.find("div")[0])
