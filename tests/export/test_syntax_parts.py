"""Exported templates read part by part, with what was read before remembered: the faults of each file alone."""

from __future__ import annotations

from otokui.export.syntax import Memo, problems

LINES = [
    "{%- assign otk_orders = 1 -%}{%- assign otk_tier = 'first' -%}",
    "{%- if otk_orders >= 2 -%}{%- assign otk_tier = 't2' -%}{%- endif -%}",
    "<p>{{ customer.first_name | escape }} 様</p>",
    "{% if otk_tier == 'first' %}<p>{{ order_name }}</p>{% endif %}",
    "<p>{{ otk_late }}</p>",
]


def _faults(source: str, memo: Memo | None = None) -> list[str]:
    return [f"{source[:offset].count(chr(10)) + 1}: {message}" for offset, message in problems(source, "shopify", memo)]


def test_the_same_lines_in_another_state_are_read_in_that_state() -> None:
    memo: Memo = {}
    plain = "\n".join(LINES) + "\n"
    assert _faults(plain, memo) == ["5: unknown field 'otk_late'"]
    assert _faults("{%- assign otk_late = 1 -%}\n" + plain, memo) == []
    assert _faults("{% if customer %}\n" + plain + "{% endif %}{% endif %}\n", memo) == [
        "6: unknown field 'otk_late'",
        "7: '{% endif %}' without its start",
    ]
    assert _faults(plain, memo) == _faults(plain)


def test_a_tag_over_several_lines_is_read_as_one() -> None:
    memo: Memo = {}
    lines = [
        *LINES[:3],
        "{% if otk_tier ==",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "  'first' %}{{ custmer }}",
        "{% endif %}",
    ]
    source = "\n".join(lines)
    assert _faults("\n".join(LINES), memo) == ["5: unknown field 'otk_late'"]
    assert _faults(source, memo) == ["13: unknown field 'custmer'"]
    assert _faults(source + "\n{% raw %}\n{% if %}\n", memo) == [
        "13: unknown field 'custmer'",
        "15: '{% raw %}' has no '{% endraw %}'",
    ]
    assert _faults(source + "\n{% raw %}\n{% if %}\n{% endraw %}\n{{ x", memo) == [
        "13: unknown field 'custmer'",
        "18: '{{' is never closed with '}}'",
    ]
