"""EC-CUBE 4 mail templates, in Twig: ``Mail/<name>.twig`` (text) and ``Mail/<name>.html.twig`` (HTML).

EC-CUBE renders the order mail with ``Order`` and the shipping mail with
``Order`` and ``Shipping``. Fields: ``Order.name01`` / ``name02`` (family and
given name), ``Order.order_no``, the ``Order.MergedProductOrderItems`` loop
(``product_name``, ``quantity``, ``total_price``), ``Order.subtotal``,
``Order.delivery_fee_total``, ``Order.payment_total`` (all through EC-CUBE's
``|price``), ``Order.payment_method``, the shipping's ``Pref.name``,
``shipping_delivery_date`` (the requested date), ``tracking_number``,
``Delivery.confirm_url`` and ``shipping_delivery_name``. The purchase-count
tier comes from ``Order.Customer.buy_times`` (guests: their first order),
membership from ``Order.Customer`` being set. HTML is escaped by Twig's
autoescape; the text template runs under EC-CUBE's ``safe_textmail``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from otokui.emails.fill import ESCAPE
from otokui.export.core import ConditionalDialect, ExportProblem, Merged, Part, Pred, unmapped
from otokui.policy.model import Condition

FIELD_EXPR: dict[str, str | None] = {
    "order.id": "Order.order_no",
    "line.name": "OrderItem.product_name",
    "line.quantity": "OrderItem.quantity",
    "line.total": "OrderItem.total_price|price",
    "order.subtotal": "Order.subtotal|price",
    "order.shipping": "Order.delivery_fee_total|price",
    "order.total": "Order.payment_total|price",
    "order.tracking_url": "otk_ship.Delivery.confirm_url",
    "order.tracking_number": "otk_ship.tracking_number",
    "order.carrier": "otk_ship.shipping_delivery_name",
    "order.desired_days": "otk_desired_days",
    "order.estimated_delivery": None,
    "order.pre_order": None,
}


_TAG_NEWLINE = re.compile(r"(?<!-)%\}\n")


def _q(value: str) -> str:
    return "'" + value.replace("\\", "").replace("'", "") + "'"


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


class EcCube(ConditionalDialect):
    name = "ec-cube"
    kinds: ClassVar[dict[str, str]] = {
        "order_confirmation": "注文受付メール (Mail/order.twig)",
        "shipped": "出荷通知メール (Mail/shipping_notify.twig)",
    }
    suffixes: ClassVar[dict[str, str]] = {"html": ".html.twig", "text": ".twig", "subject": ".subject.twig"}
    _files: ClassVar[dict[str, str]] = {"order_confirmation": "order", "shipped": "shipping_notify"}

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.policy.export.ec_cube

    def file_stem(self, kind: str, locale: str) -> str:
        return f"{locale}/Mail/{self._files[kind]}"

    def extra_problems(self, kinds: list[str]) -> list[ExportProblem]:
        return [
            ExportProblem(
                ("emails", kind, "subject"),
                "EC-CUBE sends a fixed subject (設定 › 店舗設定 › メール設定 › 件名): paste one line of "
                f"{self._files[kind]}.subject.twig there; per-order values in it are not filled",
            )
            for kind in kinds
        ]

    def field(self, name: str, context: str, merged: Merged) -> str:
        if name == "customer.name":
            parts = ("Order.name01", "Order.name02") if merged.locale == "ja" else ("Order.name02", "Order.name01")
            return " ".join("{{ " + p + " }}" for p in parts)
        if name == "order.payment_method":
            return self._choice("Order.payment_method", self.settings.payment_methods, "pm_", merged, context, True)
        if name == "order.region":
            return self._choice("otk_pref", self.settings.regions, "region_", merged, context, False)
        expr = FIELD_EXPR.get(name)
        return self.left_out(name, merged) if expr is None else "{{ " + expr + " }}"

    def _choice(
        self, var: str, names: dict[str, list[str]], prefix: str, merged: Merged, context: str, raw_else: bool
    ) -> str:
        labels = self.labels[merged.locale]
        escape = ESCAPE["html" if context in ("html", "attr") else "text"]
        out: list[str] = []
        for value, platform in names.items():
            if platform and f"{prefix}{value}" in labels:
                word = "if" if not out else "elseif"
                out.append("{% " + word + f" {var} in {_list(platform)} %}}" + escape(labels[f"{prefix}{value}"]))
        otherwise = "{{ " + var + " }}" if raw_else else escape(labels.get(f"{prefix}mainland", ""))
        if not out:
            return otherwise
        return "".join(out) + "{% else %}" + otherwise + "{% endif %}"

    def loop(self, name: str, body: str) -> str:
        return "{% for OrderItem in Order.MergedProductOrderItems %}" + body + "{% endfor %}"

    def optional(self, name: str, body_for: dict[str, str] | str, merged: Merged) -> str:
        if name == "order.bank_transfer" and isinstance(body_for, str):
            names = self.settings.payment_methods.get("bank_transfer")
            if not names:
                return self.left_out(name, merged)
            return "{% if Order.payment_method in " + _list(names) + " %}" + body_for + "{% endif %}"
        if name == "order.payment_note" and isinstance(body_for, dict):
            out: list[str] = []
            for method, body in body_for.items():
                platform = self.settings.payment_methods.get(method)  # type: ignore[call-overload,unused-ignore]
                if platform:
                    word = "if" if not out else "elseif"
                    out.append("{% " + word + f" Order.payment_method in {_list(platform)} %}}" + body)
            return "".join(out) + "{% endif %}" if out else ""
        expr = FIELD_EXPR.get(name)
        if expr is None or isinstance(body_for, dict):
            return self.left_out(name, merged)
        return "{% if " + expr.split("|")[0] + " is not empty %}" + body_for + "{% endif %}"

    def branch(self, branches: list[tuple[Pred | None, str]], merged: Merged) -> str:
        out = []
        for index, (pred, body) in enumerate(branches):
            word = "if" if index == 0 else "elseif"
            out.append("{% " + word + " " + self.cond(pred) + " %}" + body)
        return "".join(out) + "{% endif %}"

    def cond(self, pred: Pred | None) -> str:
        if pred is None:
            return "true"
        if pred.dim == "notice":
            return f"otk_notice_{pred.values[0]}"
        var = {"tier": "otk_tier", "rank": "otk_rank", "member": "otk_member", "variants": "otk_variant"}[pred.dim]
        return f"{var} in {_list(list(pred.values))}"

    def prelude(self, merged: Merged, part: Part) -> str:
        head: list[str] | None = self.__dict__.get("_prelude_head")
        if head is None:
            head = self.__dict__["_prelude_head"] = self._prelude_head()
        out = list(head)
        out.append("{%- set otk_variant = '' -%}")
        by_member = len({v.member for v in merged.variants}) > 1
        sayable = self.__dict__.get("_sayable_notices")
        if sayable is None:
            sayable = {n.id for i, n in enumerate(self.policy.notices) if not self.notice_problems(i)[0]}
            self.__dict__["_sayable_notices"] = sayable
        for variant in merged.variants:
            conds = [f"otk_tier == {_q(variant.tier)}"]
            if by_member:
                conds.append(f"otk_member == {_q('yes' if variant.member else 'no')}")
            conds += [f"otk_notice_{n}" for n in variant.notices if n in sayable]
            out.append(f"{{%- if {' and '.join(conds)} %}}{{% set otk_variant = {_q(variant.name)} %}}{{% endif -%}}")
        text = "\n".join(out) + "\n"
        if part == "text":
            text = "{%- autoescape 'safe_textmail' -%}\n" + text
        return text

    def _prelude_head(self) -> list[str]:
        """The lines every template's prelude starts with: shipping, tier, notices."""
        policy = self.policy
        out = [
            "{#- otokui: the customer's tier and the order's notices, worked out once -#}",
            "{%- set otk_ship = Shipping is defined and Shipping ? Shipping : Order.Shippings|first -%}",
            "{%- set otk_pref = otk_ship and otk_ship.Pref ? otk_ship.Pref.name : '' -%}",
            "{%- set otk_desired_days = otk_ship and otk_ship.shipping_delivery_date and Order.order_date"
            " ? ((otk_ship.shipping_delivery_date|date('U') - Order.order_date|date('U')) / 86400)|round(0, 'ceil')"
            " : null -%}",
            "{%- set otk_orders = Order.Customer ? Order.Customer.buy_times : 1 -%}",
            "{%- set otk_member = Order.Customer ? 'yes' : 'no' -%}",
            "{%- set otk_rank = '' -%}",
        ]
        tiers = policy.wording.purchase_count_tiers
        out.append(f"{{%- set otk_tier = {_q(tiers[0].id)} -%}}")
        for tier in tiers[1:]:
            out.append(f"{{%- if otk_orders >= {tier.min_orders} %}}{{% set otk_tier = {_q(tier.id)} %}}{{% endif -%}}")
        for index, notice in enumerate(policy.notices):
            if self.notice_problems(index)[0]:
                continue
            all_of = [self._condition(c) for c in notice.when.all or []]
            any_of = [
                self._condition(c)
                for i, c in enumerate(notice.when.any or [])
                if not self.condition_problems(c, ("notices", index, "when", "any", i))
            ]
            parts = [*all_of, *(["(" + " or ".join(any_of) + ")"] if any_of else [])]
            out.append(f"{{%- set otk_notice_{notice.id} = {' and '.join(parts) or 'true'} -%}}")
        return out

    def finish(self, text: str, part: Part) -> str:
        # Twig drops the first newline after a tag: write it twice where one must stay
        text = _TAG_NEWLINE.sub("%}\n\n", text)
        return text + "{% endautoescape %}" if part == "text" else text

    def literal(self, text: str) -> str:
        if ("{{" in text or "{%" in text or "{#" in text) and "endverbatim" not in text:
            return "{% verbatim %}" + text + "{% endverbatim %}"
        return text

    def _condition(self, condition: Condition) -> str:
        tests: list[str] = []
        if condition.payment_method:
            names = [n for m in condition.payment_method for n in self.settings.payment_methods.get(m, [])]
            tests.append(f"Order.payment_method in {_list(names)}")
        if condition.region:
            prefs = [p for r in condition.region for p in self.settings.regions.get(r, [])]
            if "mainland" in condition.region and "mainland" not in self.settings.regions:
                mapped = [p for ps in self.settings.regions.values() for p in ps]
                tests.append(f"(otk_pref not in {_list(mapped)} or otk_pref in {_list(prefs)})")
            else:
                tests.append(f"otk_pref in {_list(prefs)}")
        if condition.desired_delivery_within_days is not None:
            days = condition.desired_delivery_within_days
            tests.append(f"(otk_desired_days is not null and otk_desired_days <= {days})")
        if condition.cart_tag:
            tags = _list(list(condition.cart_tag))
            tests.append(
                "(Order.ProductOrderItems|filter(i => i.Product and "
                f"(i.Product.ProductTag|map(t => t.Tag.name)|filter(n => n in {tags})|length > 0))|length > 0)"
            )
        return "(" + " and ".join(tests or ["true"]) + ")"

    def condition_problems(self, condition: Condition, where: tuple[str | int, ...]) -> list[ExportProblem]:
        problems: list[ExportProblem] = []
        if condition.pre_order is not None:
            problems.append(
                ExportProblem((*where, "pre_order"), "EC-CUBE has no pre-order flag: tag the products, use cart_tag")
            )
        problems += unmapped(
            where,
            "payment_method",
            condition.payment_method or [],
            self.settings.payment_methods,
            "export.ec_cube.payment_methods names no 支払方法",
        )
        regions = [region for region in condition.region or [] if region != "mainland"]
        problems += unmapped(
            where, "region", regions, self.settings.regions, "export.ec_cube.regions names no prefectures"
        )
        return problems
