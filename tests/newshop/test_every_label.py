"""Every label is the shop's to change: one override of each kind reaches where that kind lands."""

from __future__ import annotations

from pathlib import Path

from .shop import copy_ceramics
from .test_init import call

CERAMICS = Path(__file__).resolve().parent / "ceramics" / "rules.yaml"

OVERRIDES = """\
  labels:
    order_number: {ja: ご注文番号（工房控え）}
    letter_sign_off: {ja: "{owner}（工房より）"}
    site_faq_title: {ja: 工房へのよくあるご質問}
    notice_label_info: {ja: 工房からのお知らせ}
    bullet: {ja: "◆"}
    heading_rank_up: {ja: "{rank}のご縁をいただきました"}
    site_benefits_title: {en: What members receive from the studio}
"""


def test_one_override_of_each_kind_reaches_its_output(tmp_path: Path) -> None:
    text = CERAMICS.read_text(encoding="utf-8")
    start = text.index("  labels:")
    end = text.index("\n\n", start)
    copy_ceramics(tmp_path, text[:start] + OVERRIDES.rstrip("\n") + text[end:])
    code, out, err = call("build", "--policy", str(tmp_path / "rules.yaml"), "--out", str(tmp_path / "dist"))
    assert code == 0, out + err
    dist = tmp_path / "dist"

    def read(path: Path) -> str:
        # phrase breaks are invisible: zero-width spaces in mails and letters, <wbr> in pages and snippets
        return path.read_text(encoding="utf-8").replace("\u200b", "").replace("<wbr>", "")

    order = read(dist / "emails" / "order_confirmation" / "ja" / "first.txt")
    assert "ご注文番号（工房控え）：1001" in order  # an email label
    assert "◆" in read(dist / "emails" / "thanks_review" / "ja" / "first.txt")  # plain text
    letter = read(dist / "letters" / "thanks-first.ja.html")
    assert "高橋灯子（工房より）" in letter  # a letter sentence with a placeholder
    assert "工房へのよくあるご質問" in read(dist / "site" / "faq.html")  # a site page
    snippet = read(dist / "snippets" / "notices" / "transfer_first.ja.html")
    assert "工房からのお知らせ" in snippet  # a checkout snippet
    rank_up = read(dist / "emails" / "rank_up" / "ja" / "hi--repeat.html")
    assert "火のご縁をいただきました" in rank_up  # a default heading
    english = read(dist / "site" / "en" / "benefits.html")
    assert "What members receive from the studio" in english  # the English text alone, the Japanese one kept
    assert "会員特典のご案内" in read(dist / "site" / "benefits.html")
