"""Shopify notifications, in Liquid: one template per notification, every variant as a branch.

Fields come from Shopify's notification variables: ``customer.first_name`` /
``last_name``, ``order_name``, the ``line_items`` loop (``line.title``,
``line.quantity``, ``line.final_line_price``), ``subtotal_price``,
``shipping_price``, ``total_price`` (all through ``| money``), ``gateway``,
``shipping_address.province_code``, ``fulfillment.tracking_url``,
``fulfillment.tracking_number``, ``fulfillment.tracking_company``. The
purchase-count tier is read from ``customer.orders_count``, the rank from
the customer's tags (``rank-gold``), membership from
``customer.has_account``. Every per-order value goes through ``| escape`` in
HTML; plain text and the subject write it as it is.

The conditions are worked out once, at the top of each template, into
``otk_*`` variables (Liquid evaluates ``and``/``or`` right to left without
parentheses, so conditions are never combined in one expression).
"""

from __future__ import annotations

from typing import ClassVar

from otokui.export.core import ConditionalDialect, ExportProblem, Merged, Part, Pred, unmapped
from otokui.policy.model import Condition

#: otokui field → Liquid expression (None: Shopify has no such variable in notifications).
FIELD_EXPR: dict[str, str | None] = {
    "order.id": "order_name",
    "line.name": "line.title",
    "line.quantity": "line.quantity",
    "line.total": "line.final_line_price | money",
    "order.subtotal": "subtotal_price | money",
    "order.shipping": "shipping_price | money",
    "order.total": "total_price | money",
    "order.tracking_url": "fulfillment.tracking_url",
    "order.tracking_number": "fulfillment.tracking_number",
    "order.carrier": "fulfillment.tracking_company",
    "order.estimated_delivery": None,
    "order.desired_days": None,
    "order.pre_order": None,
}
_RAW = {"line.quantity", "line.total", "order.subtotal", "order.shipping", "order.total"}  # numbers and money


def _t(*statements: str) -> str:
    """Liquid tags that write nothing (white space around them trimmed)."""
    return "".join("{%- " + statement + " -%}" for statement in statements)


def _q(value: str) -> str:
    """A Liquid string literal (values are validated: no quotes reach here, but be safe)."""
    return "'" + value.replace("'", "") + "'"


class Shopify(ConditionalDialect):
    name = "shopify"
    kinds: ClassVar[dict[str, str]] = {
        "order_confirmation": "Order confirmation",
        "payment_received": "Order payment receipt",
        "shipped": "Shipping confirmation",
    }
    suffixes: ClassVar[dict[str, str]] = {"html": ".html.liquid", "text": ".txt.liquid", "subject": ".subject.liquid"}

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        return self.policy.export.shopify

    # ------------------------------------------------------------------ fields

    def literal(self, text: str) -> str:
        if ("{{" in text or "{%" in text) and "endraw" not in text:
            return "{% raw %}" + text + "{% endraw %}"
        return text

    def field(self, name: str, context: str, merged: Merged) -> str:
        if name == "customer.name":
            first, last = "customer.first_name", "customer.last_name"
            parts = (last, first) if merged.locale == "ja" else (first, last)
            return " ".join(self._out(p, context) for p in parts)
        if name == "order.payment_method":
            return self._case("gateway", self.settings.payment_gateways, "pm_", merged, context, "gateway")
        if name == "order.region":
            return self._case("shipping_address.province_code", self.settings.regions, "region_", merged, context, None)
        expr = FIELD_EXPR.get(name)
        if expr is None:
            return self.left_out(name, merged)
        if name in _RAW:
            return "{{ " + expr + " }}"
        return self._out(expr, context)

    def _out(self, expr: str, context: str) -> str:
        return "{{ " + expr + (" | escape" if context in ("html", "attr") else "") + " }}"

    def _case(
        self,
        variable: str,
        names: dict[str, list[str]],
        prefix: str,
        merged: Merged,
        context: str,
        otherwise: str | None,
    ) -> str:
        labels = self.labels[merged.locale]
        from otokui.emails.fill import ESCAPE

        escape = ESCAPE["html" if context in ("html", "attr") else "text"]
        out = ["{% case " + variable + " %}"]
        for value, platform_names in names.items():
            if platform_names and f"{prefix}{value}" in labels:
                out.append("{% when " + ", ".join(_q(n) for n in platform_names) + " %}")
                out.append(escape(labels[f"{prefix}{value}"]))
        out.append("{% else %}")
        if otherwise is not None:
            out.append(self._out(otherwise, context))
        else:
            out.append(escape(labels.get(f"{prefix}mainland", "")))
        out.append("{% endcase %}")
        return "".join(out)

    def loop(self, name: str, body: str) -> str:
        return "{% for line in line_items %}" + body + "{% endfor %}"

    def optional(self, name: str, body_for: dict[str, str] | str, merged: Merged) -> str:
        if name == "order.bank_transfer" and isinstance(body_for, str):
            gateways = self.settings.payment_gateways.get("bank_transfer")
            if not gateways:
                return self.left_out(name, merged)
            return "{% if " + " or ".join(f"gateway == {_q(g)}" for g in gateways) + " %}" + body_for + "{% endif %}"
        if name == "order.payment_note" and isinstance(body_for, dict):
            out = []
            for method, body in body_for.items():
                gateways = self.settings.payment_gateways.get(method)  # type: ignore[call-overload,unused-ignore]
                if gateways:
                    out.append("{% when " + ", ".join(_q(g) for g in gateways) + " %}" + body)
            return "{% case gateway %}" + "".join(out) + "{% endcase %}" if out else ""
        expr = FIELD_EXPR.get(name)
        if expr is None or isinstance(body_for, dict):
            return self.left_out(name, merged)
        return "{% if " + expr + " != blank %}" + body_for + "{% endif %}"

    # ------------------------------------------------------------------ branches

    def branch(self, branches: list[tuple[Pred | None, str]], merged: Merged) -> str:
        out = []
        for index, (pred, body) in enumerate(branches):
            word = "if" if index == 0 else "elsif"
            out.append("{% " + word + " " + self.cond(pred) + " %}" + body)
        return "".join(out) + "{% endif %}"

    def cond(self, pred: Pred | None) -> str:
        if pred is None:
            return "true"
        if pred.dim == "notice":
            return f"otk_notice_{pred.values[0]}"
        var = {"tier": "otk_tier", "rank": "otk_rank", "member": "otk_member", "variants": "otk_variant"}[pred.dim]
        return " or ".join(f"{var} == {_q(v)}" for v in pred.values)

    def prelude(self, merged: Merged, part: Part) -> str:
        """The ``otk_*`` variables, worked out from Shopify's objects before anything is written."""
        head: str | None = self.__dict__.get("_prelude_head")
        if head is None:
            head = self.__dict__["_prelude_head"] = self._prelude_head()
        return head + self._variant_names(merged) + "\n"

    def _prelude_head(self) -> str:
        """What the prelude of every template starts with: tier, rank, membership, notices."""
        policy = self.policy
        out = ["{%- comment -%} otokui: the customer's tier, rank and notices {%- endcomment -%}"]
        add = out.append
        add("{%- assign otk_orders = customer.orders_count | default: 1 -%}")
        tiers = policy.wording.purchase_count_tiers
        add(f"{{%- assign otk_tier = {_q(tiers[0].id)} -%}}")
        for tier in tiers[1:]:
            add(f"{{%- if otk_orders >= {tier.min_orders} -%}}{{%- assign otk_tier = {_q(tier.id)} -%}}{{%- endif -%}}")
        add("{%- assign otk_rank = '' -%}")
        prefix = self.settings.rank_tag_prefix
        for rank in policy.membership.ranks:
            tag = _q(prefix + rank.id)
            add(_t(f"if customer.tags contains {tag}", f"assign otk_rank = {_q(rank.id)}", "endif"))
        add(_t("assign otk_member = 'no'", "if customer.has_account", "assign otk_member = 'yes'", "endif"))
        for index, notice in enumerate(policy.notices):
            if not self.notice_problems(index)[0]:
                any_of = [
                    c
                    for i, c in enumerate(notice.when.any or [])
                    if not self.condition_problems(c, ("notices", index, "when", "any", i))
                ]
                out.extend(self._notice(notice.id, notice.when.all or [], any_of))
        return "\n".join(out) + "\n"

    def _variant_names(self, merged: Merged) -> str:
        out = ["{%- assign otk_variant = '' -%}"]
        by_member = len({v.member for v in merged.variants}) > 1
        sayable = self._sayable()
        for variant in merged.variants:
            conds = [f"otk_tier == {_q(variant.tier)}"]
            if by_member:
                conds.append(f"otk_member == {_q('yes' if variant.member else 'no')}")
            if variant.rank:
                conds.append(f"otk_rank == {_q(variant.rank)}")
            conds.extend(f"otk_notice_{n}" for n in variant.notices if n in sayable)
            opening = "".join("{%- if " + c + " -%}" for c in conds)
            out.append(opening + f"{{%- assign otk_variant = {_q(variant.name)} -%}}" + "{%- endif -%}" * len(conds))
        return "\n".join(out)

    def _sayable(self) -> set[str]:
        """The notices a template can test (worked out once)."""
        known: set[str] | None = self.__dict__.get("_sayable_notices")
        if known is None:
            known = {n.id for i, n in enumerate(self.policy.notices) if not self.notice_problems(i)[0]}
            self.__dict__["_sayable_notices"] = known
        return known

    def _notice(self, notice_id: str, all_of: list[Condition], any_of: list[Condition]) -> list[str]:
        var = f"otk_notice_{notice_id}"
        out = [f"{{%- assign {var} = true -%}}"]
        for index, condition in enumerate(all_of):
            name = f"otk_c{index}"
            out.extend(self._condition(name, condition))
            out.append(f"{{%- unless {name} -%}}{{%- assign {var} = false -%}}{{%- endunless -%}}")
        if any_of:
            out.append("{%- assign otk_any = false -%}")
            for index, condition in enumerate(any_of):
                name = f"otk_a{index}"
                out.extend(self._condition(name, condition))
                out.append(f"{{%- if {name} -%}}{{%- assign otk_any = true -%}}{{%- endif -%}}")
            out.append(f"{{%- unless otk_any -%}}{{%- assign {var} = false -%}}{{%- endunless -%}}")
        return out

    def _condition(self, name: str, condition: Condition) -> list[str]:
        """``name`` = whether every key of ``condition`` holds for this order."""
        out = [f"{{%- assign {name} = true -%}}"]
        if condition.payment_method:
            gateways = [g for m in condition.payment_method for g in self.settings.payment_gateways.get(m, [])]
            test = " or ".join(f"gateway == {_q(g)}" for g in gateways)
            out.append(f"{{%- unless {test} -%}}{{%- assign {name} = false -%}}{{%- endunless -%}}")
        if condition.region:
            codes = [c for r in condition.region for c in self.settings.regions.get(r, [])]
            mapped = [c for codes_ in self.settings.regions.values() for c in codes_]
            if "mainland" in condition.region and "mainland" not in self.settings.regions:
                # mainland: any code not mapped to another area
                test = " or ".join(f"shipping_address.province_code == {_q(c)}" for c in mapped) or "false"
                out.append(
                    f"{{%- assign otk_r = true -%}}{{%- if {test} -%}}{{%- assign otk_r = false -%}}{{%- endif -%}}"
                )
                if codes:
                    test2 = " or ".join(f"shipping_address.province_code == {_q(c)}" for c in codes)
                    out.append(f"{{%- if {test2} -%}}{{%- assign otk_r = true -%}}{{%- endif -%}}")
                out.append(f"{{%- unless otk_r -%}}{{%- assign {name} = false -%}}{{%- endunless -%}}")
            else:
                test = " or ".join(f"shipping_address.province_code == {_q(c)}" for c in codes)
                out.append(f"{{%- unless {test} -%}}{{%- assign {name} = false -%}}{{%- endunless -%}}")
        if condition.cart_tag:
            out.append("{%- assign otk_t = false -%}{%- for otk_line in line_items -%}")
            for tag in condition.cart_tag:
                out.append(
                    f"{{%- if otk_line.product.tags contains {_q(tag)} -%}}{{%- assign otk_t = true -%}}{{%- endif -%}}"
                )
            out.append(f"{{%- endfor -%}}{{%- unless otk_t -%}}{{%- assign {name} = false -%}}{{%- endunless -%}}")
        return out

    def condition_problems(self, condition: Condition, where: tuple[str | int, ...]) -> list[ExportProblem]:
        """Why Shopify cannot test ``condition`` (empty: it can)."""
        problems: list[ExportProblem] = []
        if condition.desired_delivery_within_days is not None:
            problems.append(
                ExportProblem(
                    (*where, "desired_delivery_within_days"),
                    "Shopify notifications have no requested delivery date",
                )
            )
        if condition.pre_order is not None:
            problems.append(
                ExportProblem((*where, "pre_order"), "Shopify has no pre-order flag: tag the products, use cart_tag")
            )
        problems += unmapped(
            where,
            "payment_method",
            condition.payment_method or [],
            self.settings.payment_gateways,
            "export.shopify.payment_gateways names no gateway",
        )
        regions = [region for region in condition.region or [] if region != "mainland"]
        problems += unmapped(
            where, "region", regions, self.settings.regions, "export.shopify.regions names no province codes"
        )
        return problems
