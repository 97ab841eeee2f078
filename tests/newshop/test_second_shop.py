"""A second, different shop (a pottery, from `init`'s starter edited) builds and checks clean, and is its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from .shop import copy_ceramics
from .test_init import call, example_words_in

HERE = Path(__file__).resolve().parent
CERAMICS = HERE / "ceramics"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shop = tmp_path_factory.mktemp("ceramics")
    copy_ceramics(shop)
    code, out, err = call("build", "--policy", str(shop / "rules.yaml"), "--out", str(shop / "dist"))
    assert code == 0, out + err
    assert "No problems found." in out
    return shop / "dist"


def test_it_carries_no_word_of_the_example_shop(built: Path) -> None:
    assert example_words_in(built) == []
    assert not (built / "site" / "about.html").exists()


def test_its_own_words_reach_its_mails(built: Path) -> None:
    thanks = (built / "emails" / "thanks_review" / "ja" / "first.txt").read_text(encoding="utf-8")
    assert "初めての器を、割れないよう丁寧に包みました。" in thanks  # letter_by_tier
    assert "器の使い心地を、よろしければお聞かせください。" in thanks  # wording.labels
    repeat = (built / "emails" / "thanks_review" / "ja" / "repeat.txt").read_text(encoding="utf-8")
    assert "器は、使うほどに手になじんでいきます。" in repeat  # letter
    order = (built / "emails" / "order_confirmation" / "ja" / "first--notice-transfer_first.txt").read_text("utf-8")
    assert "滋賀銀行" in order and "口座番号：7654321" in order


def test_ranks_counted_in_orders_only_have_variants_that_can_happen(built: Path) -> None:
    rank_up = sorted(p.stem for p in (built / "emails" / "rank_up" / "ja").glob("*.html"))
    # tiers: first (1), repeat (2-5), loyal (6+); ranks: hi needs 3 orders, akari 6
    assert rank_up == ["akari--loyal", "hi--loyal", "hi--repeat"]
    html = (built / "emails" / "rank_up" / "ja" / "hi--repeat.html").read_text(encoding="utf-8").replace("\u200b", "")
    title = html.split('class="heading"', 1)[1].split("</h1>", 1)[0]
    assert title.endswith(">火会員になりました")  # the kit's heading: the kind has none of its own
