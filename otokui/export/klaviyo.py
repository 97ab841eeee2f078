"""Klaviyo, in its Django-style template tags: the relationship and marketing mails.

``thanks_review``, ``membership_invite``, ``rank_up`` and ``birthday`` are
flow emails in Klaviyo. Fields: ``person.first_name`` / ``last_name``; for
mails sent from an order event, ``event.extra.order_number`` and the
``event.extra.line_items`` loop (``item.title``, ``item.quantity``). The tier,
rank and membership are profile properties read with ``person|lookup:'…'``
(names set in ``export.klaviyo``): Klaviyo has no assignment tag, so each
branch carries its whole condition (Django's ``and`` binds tighter than
``or``). HTML values are escaped (``|escape``); the text part and the subject
are written with autoescape off.
"""

from __future__ import annotations

from typing import ClassVar

from otokui.export.core import ConditionalDialect, ExportProblem, Merged, Part, Pred
from otokui.policy.model import Condition

FIELD_EXPR: dict[str, str | None] = {
    "order.id": "event.extra.order_number",
    "line.name": "item.title",
    "line.quantity": "item.quantity",
}


def _q(value: str) -> str:
    return "'" + value.replace("'", "") + "'"


class Klaviyo(ConditionalDialect):
    name = "klaviyo"
    kinds: ClassVar[dict[str, str]] = {
        "thanks_review": "Flow: Fulfilled Order (a few days after delivery)",
        "membership_invite": "Flow: Fulfilled Order, guests only (is_member is not true)",
        "rank_up": "Flow: profile property rank changed",
        "birthday": "Flow: date property birthday",
    }
    suffixes: ClassVar[dict[str, str]] = {"html": ".html", "text": ".txt", "subject": ".subject.txt"}

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.policy.export.klaviyo

    def literal(self, text: str) -> str:
        if ("{{" in text or "{%" in text or "{#" in text) and "endverbatim" not in text:
            return "{% verbatim %}" + text + "{% endverbatim %}"
        return text

    def field(self, name: str, context: str, merged: Merged) -> str:
        escape = "|escape" if context in ("html", "attr") else ""
        if name == "customer.name":
            parts = ("person.last_name", "person.first_name")
            if merged.locale != "ja":
                parts = parts[::-1]
            return " ".join("{{ " + p + escape + " }}" for p in parts)
        expr = FIELD_EXPR.get(name)
        if expr is None:
            return self.left_out(name, merged)
        return "{{ " + expr + escape + " }}"

    def loop(self, name: str, body: str) -> str:
        return "{% for item in event.extra.line_items %}" + body + "{% endfor %}"

    def optional(self, name: str, body_for: dict[str, str] | str, merged: Merged) -> str:
        expr = FIELD_EXPR.get(name)
        if expr is None or isinstance(body_for, dict):
            return self.left_out(name, merged)
        return "{% if " + expr + " %}" + body_for + "{% endif %}"

    def branch(self, branches: list[tuple[Pred | None, str]], merged: Merged) -> str:
        out = []
        for index, (pred, body) in enumerate(branches):
            word = "if" if index == 0 else "elif"
            out.append("{% " + word + " " + self.cond(pred, merged) + " %}" + body)
        return "".join(out) + "{% endif %}"

    def _prop(self, name: str) -> str:
        return f"person|lookup:{_q(name)}"

    def _tier(self, tier_id: str) -> str:
        tier = next(t for t in self.policy.wording.purchase_count_tiers if t.id == tier_id)
        orders = self._prop(self.settings.orders_property)
        test = f"{orders} >= {tier.min_orders}"
        return f"{test} and {orders} <= {tier.max_orders}" if tier.max_orders is not None else test

    def _rank(self, rank_id: str) -> str:
        return f"{self._prop(self.settings.rank_property)} == {_q(rank_id)}"

    def _member(self, yes: bool) -> str:
        member = self._prop(self.settings.member_property)
        return member if yes else f"not {member}"

    def cond(self, pred: Pred | None, merged: Merged | None = None) -> str:
        if pred is None:
            return "True"
        if pred.dim == "tier":
            return " or ".join(self._tier(v) for v in pred.values)
        if pred.dim == "rank":
            return " or ".join(self._rank(v) for v in pred.values)
        if pred.dim == "member":
            return self._member(pred.values[0] == "yes")
        if pred.dim == "variants" and merged is not None:
            by_name = {v.name: v for v in merged.variants}
            alternatives = []
            for name in pred.values:
                variant = by_name[name]
                terms = [self._tier(variant.tier)]
                if variant.rank:
                    terms.append(self._rank(variant.rank))
                if len({v.member for v in merged.variants}) > 1:
                    terms.append(self._member(variant.member))
                alternatives.append(" and ".join(terms))
            return " or ".join(alternatives)
        return "False"  # notices are not part of these mails

    def prelude(self, merged: Merged, part: Part) -> str:
        return "{% autoescape off %}" if part in ("text", "subject") else ""

    def finish(self, text: str, part: Part) -> str:
        return text + "{% endautoescape %}" if part in ("text", "subject") else text

    def condition_problems(self, condition: Condition, where: tuple[str | int, ...]) -> list[ExportProblem]:
        return [ExportProblem(where, "Klaviyo mails here carry no caution notices")]
