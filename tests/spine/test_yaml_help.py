"""The YAML mistakes shop owners really make each get one line: where, which key, what happened, the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from otokui.errors import PolicyError
from otokui.policy.load import load_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "rules.yaml").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, old: str, new: str) -> tuple[Path, list[str]]:
    assert old in EXAMPLE, old
    path = tmp_path / "rules.yaml"
    path.write_text(EXAMPLE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return path, [str(p) for p in caught.value.problems]


def line_of(path: Path, needle: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in row)


def test_a_tab_says_use_spaces(tmp_path: Path) -> None:
    path, found = problems_of(tmp_path, "  currency: JPY", "\tcurrency: JPY")
    assert found == [
        f"{path}:{line_of(path, 'currency')}:1: shop.currency: a tab character in the indentation"
        " (YAML allows only spaces); indent with spaces, two per level, as in the lines around it"
    ]


def test_a_full_width_colon_says_type_a_half_width_one(tmp_path: Path) -> None:
    path, found = problems_of(tmp_path, "  timezone: Asia/Tokyo", "  timezone：Asia/Tokyo")
    assert found == [
        f"{path}:{line_of(path, 'timezone')}:11: shop.timezone: the key 'timezone' is followed by a full-width"
        " colon '：'; type a half-width ':' and a space instead"
    ]


def test_a_comma_inside_a_flow_text_says_quote_it(tmp_path: Path) -> None:
    old = 'hours: {ja: 平日 10:00〜17:00（土日祝休み）, en: "Weekdays 10:00–17:00 JST (closed weekends and holidays)"}'
    new = "hours: {ja: 平日 10:00〜17:00（土日祝休み）, en: Weekdays 10:00–17:00, closed weekends}"
    path, found = problems_of(tmp_path, old, new)
    line = line_of(path, "closed weekends}")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("closed weekends") + 1
    assert found == [
        f"{path}:{line}:{column}: shop.contact.hours.en: a comma inside {{ja: …, en: …}} ended the en text,"
        " and 'closed weekends' was read as another key; put the whole text in quotes: en: \"…, closed weekends\""
    ]


def test_an_unquoted_colour_says_quote_it(tmp_path: Path) -> None:
    path, found = problems_of(tmp_path, 'primary_color: "#5b4030"', "primary_color: #7a4b2a")
    assert found == [
        f"{path}:{line_of(path, 'primary_color')}:19: shop.brand.primary_color: '#7a4b2a' was read as a comment"
        ' (a # after a space starts one), so the value is empty; put it in quotes: primary_color: "#7a4b2a"'
    ]


def test_the_command_line_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    import io

    from otokui.cli import run

    path = tmp_path / "rules.yaml"
    path.write_text(EXAMPLE.replace("  currency: JPY", "\tcurrency: JPY", 1), encoding="utf-8")
    err = io.StringIO()
    assert run(["validate", "--policy", str(path)], io.StringIO(), err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and "use" not in lines[1] and "Traceback" not in err.getvalue()
    assert "indent with spaces" in lines[0]
