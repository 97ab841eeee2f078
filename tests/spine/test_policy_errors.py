"""A broken rules.yaml gives every problem at once, as file:line:col: key: message."""

from __future__ import annotations

from pathlib import Path

import pytest

from otokui.errors import PolicyError
from otokui.policy.load import load_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "rules.yaml").read_text(encoding="utf-8")


def patched(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = EXAMPLE
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def where(path: Path, needle: str, occurrence: int = 1) -> str:
    """``rules.yaml:LINE:COL`` of the ``occurrence``-th ``needle`` in the patched file."""
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{path}:{line}:{column}"


def problems(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return [str(p) for p in caught.value.problems]


def test_example_policy_is_valid() -> None:
    policy = load_policy(ROOT / "rules.yaml")
    assert policy.membership.disclosure.mode == "surprise"
    assert len(policy.membership.ranks) == 4
    assert [t.id for t in policy.wording.purchase_count_tiers] == ["first", "repeat", "loyal"]
    assert any(n.id == "bank_transfer_fast" for n in policy.notices)


CASES = [
    pytest.param(
        [("  legal_name:", "  legal_nam:")],
        [
            ("legal_nam:", "shop.legal_nam: unknown key (did you mean 'legal_name'?)"),
            ("shop:\n", "shop.legal_name: required key is missing"),
        ],
        id="misspelt-key",
    ),
    pytest.param(
        [("mode: surprise", "mode: suprise")],
        [
            (
                "suprise",
                "membership.disclosure.mode: expected one of 'published', 'surprise' or 'hybrid', "
                "got 'suprise' (did you mean 'surprise'?)",
            )
        ],
        id="misspelt-choice",
    ),
    pytest.param(
        [("threshold: {spend: 20000}", "threshold: {spend: lots}")],
        [("lots", "membership.ranks[1].threshold.spend: expected a whole number, got 'lots'")],
        id="wrong-type",
    ),
    pytest.param(
        [("min_orders: 5", "min_orders: 6")],
        [
            (
                "6\n",
                "wording.purchase_count_tiers[2].min_orders: tiers must cover every order count without gaps: expected 5, got 6",
            )
        ],
        id="tier-gap",
    ),
    pytest.param(
        [("ご注文を承りました（注文番号 {order_id}）", "ご注文を承りました（{rank}）")],
        [
            (
                '"【{shop}】ご注文を承りました（{rank}',
                "emails.order_confirmation.subject.ja: {rank} cannot be filled here; "
                "available: {shop}, {order_id}, {name}",
            )
        ],
        id="placeholder-not-available",
    ),
    pytest.param(
        [('primary_color: "#5b4030"', "primary_color: brown")],
        [("brown", "shop.brand.primary_color: 'brown' is not in the expected form (a colour like '#5b4030')")],
        id="bad-colour",
    ),
    pytest.param(
        [("url: https://komorebi-coffee.example.jp/\n", "url: komorebi-coffee.example.jp\n")],
        [
            (
                "komorebi-coffee.example.jp\n",
                "shop.url: expected an absolute address (https://…), got 'komorebi-coffee.example.jp'",
            )
        ],
        id="relative-url",
    ),
    pytest.param(
        [("  name: {ja: 木漏れ日珈琲, en: Komorebi Coffee}", "  name: {ja: 木漏れ日珈琲}")],
        [("{ja: 木漏れ日珈琲}", "shop.name: no 'en' text (every text needs one per shop locale: ja, en)")],
        id="missing-translation",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_bad_policy_reports_exact_problem(
    tmp_path: Path, edits: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    path = patched(tmp_path, *edits)
    wanted = sorted(f"{where(path, needle)}: {message}" for needle, message in expected)
    assert sorted(problems(path)) == wanted


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = patched(
        tmp_path,
        ("  legal_name:", "  legal_nam:"),
        ("mode: surprise", "mode: suprise"),
        ("threshold: {spend: 20000}", "threshold: {spend: lots}"),
        ("ご注文を承りました（注文番号 {order_id}）", "ご注文を承りました（{rank}）"),
    )
    found = problems(path)
    keys = [line.split(": ")[1] for line in found]
    assert keys == [
        "shop.legal_name",
        "shop.legal_nam",
        "membership.disclosure.mode",
        "membership.ranks[1].threshold.spend",
        "emails.order_confirmation.subject.ja",
    ]


def test_yaml_syntax_error_has_the_same_form(tmp_path: Path) -> None:
    path = patched(tmp_path, ("  timezone: Asia/Tokyo", "  timezone: [Asia/Tokyo"))
    (message,) = problems(path)
    assert message.startswith(f"{path}:")
    assert ": YAML syntax error: " in message
    line = int(message.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip() or line > 0


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = patched(tmp_path, ("  timezone: Asia/Tokyo", "  timezone: Asia/Tokyo\n  timezone: UTC"))
    (message,) = problems(path)
    first = where(path, "  timezone: Asia/Tokyo").split(":")[1]
    assert message == f"{where(path, 'timezone: UTC')}: shop.timezone: duplicate key (first set on line {first})"


def test_tabs_are_a_syntax_error_with_position(tmp_path: Path) -> None:
    path = patched(tmp_path, ("  currency: JPY", "\tcurrency: JPY"))
    (message,) = problems(path)
    assert message.startswith(f"{path}:")
    assert "tab" in message.lower() or "syntax" in message.lower()


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("version: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    (message,) = problems(path)
    assert message.startswith(f"{path}:1:10: ")
    assert "could not determine a constructor" in message


def test_empty_policy(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert problems(path) == [f"{path}:1:1: the policy is empty"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    path = tmp_path / "rules.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (message,) = problems(path)
    assert "alias bomb" in message
