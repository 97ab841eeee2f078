from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from otokui.artifacts import Artifact
from otokui.emails import render_emails, render_letters
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES


@pytest.fixture(scope="module")
def letters(policy: Policy) -> list[Artifact]:
    return render_letters(policy, TEMPLATES)


def test_one_thanks_letter_per_tier_and_one_rank_letter_per_rank(policy: Policy, letters: list[Artifact]) -> None:
    tiers = [t.id for t in policy.wording.purchase_count_tiers]
    ranks = [r.id for r in policy.membership.ranks[1:]]
    expected = {f"letters/thanks-{t}.{loc}.html" for t in tiers for loc in policy.shop.locales}
    expected |= {f"letters/rank-{r}.{loc}.html" for r in ranks for loc in policy.shop.locales}
    assert {a.path for a in letters} == expected
    for artifact in letters:
        assert artifact.context is not None and artifact.context.surface == "letter"
        assert "size: 148mm 210mm" in artifact.text and f'lang="{artifact.context.locale}"' in artifact.text


def test_letters_are_part_of_the_build(policy: Policy, letters: list[Artifact]) -> None:
    paths = {a.path for a in render_emails(policy, TEMPLATES)}
    assert {a.path for a in letters} <= paths


def test_surprise_rank_letters_say_selected_and_show_no_threshold(letters: list[Artifact]) -> None:
    for artifact in (a for a in letters if "/rank-" in a.path):
        assert re.search(r"お選びしました|We have selected you", artifact.text)
        assert not re.search(r"20,000|50,000|120,000|あと|more to reach", artifact.text), artifact.path


def test_first_tier_thanks_letter_presumes_nothing(letters: list[Artifact]) -> None:
    first = next(a for a in letters if a.path == "letters/thanks-first.ja.html").text
    assert not [w for w in ("いつも", "毎度", "平素より", "日頃より", "引き続き") if w in first]


@pytest.mark.browser
def test_each_letter_prints_on_one_a5_page(page: Any, letters: list[Artifact], tmp_path: Path) -> None:
    for artifact in letters:
        path = tmp_path / Path(artifact.path).name
        path.write_bytes(artifact.data)
        page.goto(path.as_uri())
        pdf = page.pdf(prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"{artifact.path} prints on {pages} pages"
        box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
        assert box and abs(float(box.group(1)) - 419.5) < 2 and abs(float(box.group(2)) - 595.3) < 2  # A5 in points
