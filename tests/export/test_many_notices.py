"""Many caution notices: every variant of every target gets a file of its own."""

from __future__ import annotations

import copy
from collections import Counter

import pytest

from otokui.emails import list_variants
from otokui.export import TARGETS, export, export_artifacts
from tests.emails.conftest import TEMPLATES, make_policy, policy_data


def _many_notices() -> dict[str, object]:
    data = policy_data()
    notices = data["notices"]
    for number in range(2, 5):  # notices with the same condition as others: variants that differ by name only
        for notice in list(notices[:3]):
            twin = copy.deepcopy(notice)
            twin["id"] = f"{notice['id']}_{number}"
            twin["title"] = {locale: f"{text} ({number})" for locale, text in notice["title"].items()}
            notices.append(twin)
    return data


@pytest.mark.parametrize("target", TARGETS)
def test_each_variant_is_written_to_its_own_file(target: str) -> None:
    policy = make_policy(_many_notices())
    result = export(policy, TEMPLATES, target)
    paths = Counter(f.path for f in result.files)
    assert [path for path, count in paths.items() if count > 1] == []
    named = Counter(
        name for f in result.files if f.path.endswith((".html", ".html.liquid", ".twig")) for name in f.variants
    )
    wanted = {v.name for v in list_variants(policy) if v.kind == "order_confirmation"}
    assert {"first--notice-bank_transfer_fast_3", "first--notice-bank_transfer_fast"} <= wanted
    if target != "klaviyo":
        assert {"first--notice-bank_transfer_fast_3", "first--notice-bank_transfer_fast"} <= set(named)


def test_the_build_export_of_many_notices_has_distinct_files() -> None:
    policy = make_policy(_many_notices())
    artifacts, _ = export_artifacts(policy, TEMPLATES)
    paths = Counter(a.path for a in artifacts)
    assert [path for path, count in paths.items() if count > 1] == []
    assert any(path.endswith("--first--notice-bank_transfer_fast_4.html.liquid") for path in paths)
