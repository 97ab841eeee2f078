"""Reading an exported template as its platform would: tags, blocks and the names they use.

:func:`problems` returns ``(offset, message)`` for every fault a platform would
refuse or print wrongly: a block tag without its end (or an end without its
start), a middle tag (``else``, ``elsif``, ``when``…) outside its block, an
unterminated ``{{`` or ``{%``, a field or tag the platform does not have, an
otokui token left in the file. Text inside ``raw`` / ``verbatim`` /
``comment`` is not read. Nothing here imports the renderers: the checker uses it.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"OTK[a-z][a-z0-9_]*?KTO")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAME = re.compile(r"(?<![\w.|:])([A-Za-z_][A-Za-z0-9_]*)")
_FILTER = re.compile(r"\|\s*([A-Za-z_]\w*)")

#: Per template language: blocks (start → end), middle tags (→ the blocks they belong to), verbatim blocks.
LANGUAGES: dict[str, dict[str, object]] = {
    "liquid": {
        "blocks": {"if": "endif", "unless": "endunless", "case": "endcase", "for": "endfor", "capture": "endcapture"},
        "middle": {"elsif": ("if", "unless"), "else": ("if", "unless", "case", "for"), "when": ("case",)},
        "verbatim": {"raw": "endraw", "comment": "endcomment"},
        "comments": False,
        "words": {"and", "or", "contains", "true", "false", "nil", "blank", "empty", "in", "with", "as"},
    },
    "twig": {
        "blocks": {"if": "endif", "for": "endfor", "autoescape": "endautoescape", "block": "endblock"},
        "middle": {"elseif": ("if",), "else": ("if", "for")},
        "verbatim": {"verbatim": "endverbatim"},
        "comments": True,
        "words": {"and", "or", "not", "in", "is", "true", "false", "null", "none", "empty", "defined", "b"},
    },
    "django": {
        "blocks": {"if": "endif", "for": "endfor", "autoescape": "endautoescape", "with": "endwith"},
        "middle": {"elif": ("if",), "else": ("if", "for"), "empty": ("for",)},
        "verbatim": {"verbatim": "endverbatim", "comment": "endcomment"},
        "comments": True,
        "words": {"and", "or", "not", "in", "is", "True", "False", "None", "on", "off"},
    },
}

#: Per conditional target: its language and the names its objects and loops give a template.
TARGETS: dict[str, tuple[str, frozenset[str]]] = {
    "shopify": (
        "liquid",
        frozenset(
            [
                "customer",
                "order_name",
                "order_number",
                "line_items",
                "line",
                "subtotal_price",
                "shipping_price",
                "total_price",
                "total_tax",
                "gateway",
                "gateways",
                "shipping_address",
                "billing_address",
                "fulfillment",
                "shop",
            ]
        ),
    ),
    "ec-cube": ("twig", frozenset(["Order", "OrderItem", "Shipping", "BaseInfo", "i", "t", "n"])),
    "klaviyo": ("django", frozenset(["person", "event", "item", "organization"])),
}

#: Tag carts: the tag pattern and the tags the cart documents.
TAG_CARTS: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "makeshop": (
        re.compile(r"\[([A-Z][A-Z0-9_]*)\]"),
        frozenset(
            [
                "MAIL_HEAD",
                "MAIL_TAIL",
                "SHOP_NAME",
                "SHOP_URL",
                "SHOP_TEL",
                "SHOP_EMAIL",
                "MAIL_ORDER",
                "MAIL_ORDER2",
                "MAIL_ORDERNUM",
                "MAIL_ORDERNUM2",
                "ORDER_DATE",
                "MEMBER_ID",
                "SENDER_NAME",
                "SENDER_TEL",
                "SENDER_URGENT",
                "SENDER_MAIL",
                "SENDER_ADDR",
                "RECEIVER_NAME",
                "RECEIVER_TEL",
                "RECEIVER_AREA",
                "RECEIVER_ADDR",
                "RECEIVER_ETC",
                "DELIVERY_HOPE_DATE",
                "ETC_INFO",
                "PAYMETHOD",
                "DELIVERYMETHOD",
            ]
        ),
    ),
    "futureshop": (
        re.compile(r"\$([A-Z][A-Z0-9_]*)\$"),
        frozenset(["ORDER_NAME", "ORDER_NO", "PAYMENT_METHOD", "ORDER_DETAIL"]),
    ),
}

_PATH = re.compile(r"(?:^|/)export/([a-z-]+)/")


def target_of(path: str) -> str | None:
    """The export target a file belongs to, from its path (``…/export/<target>/…``)."""
    match = _PATH.search(path)
    return match.group(1) if match and (match.group(1) in TARGETS or match.group(1) in TAG_CARTS) else None


def problems(source: str, target: str) -> list[tuple[int, str]]:
    """Every fault of ``source``, an exported file of ``target``, as (offset, message)."""
    found = [(m.start(), f"otokui token '{m.group(0)}' left in the file") for m in _TOKEN.finditer(source)]
    if target in TAG_CARTS:
        pattern, known = TAG_CARTS[target]
        for match in pattern.finditer(source):
            if match.group(1) not in known:
                found.append((match.start(), f"{target} has no tag '{match.group(0)}'"))
        return sorted(found)
    language, names = TARGETS[target]
    return sorted(found + _template_problems(source, LANGUAGES[language], names))


def _template_problems(source: str, lang: dict[str, object], names: frozenset[str]) -> list[tuple[int, str]]:
    blocks: dict[str, str] = lang["blocks"]  # type: ignore[assignment]
    middle: dict[str, tuple[str, ...]] = lang["middle"]  # type: ignore[assignment]
    verbatim: dict[str, str] = lang["verbatim"]  # type: ignore[assignment]
    words: set[str] = lang["words"]  # type: ignore[assignment]
    ends = {end: start for start, end in blocks.items()}
    opener = re.compile(r"\{\{|\{%" + (r"|\{#" if lang["comments"] else ""))
    found: list[tuple[int, str]] = []
    stack: list[tuple[str, int]] = []
    assigned: set[str] = set()
    pos = 0
    while True:
        match = opener.search(source, pos)
        if match is None:
            break
        start, kind = match.start(), match.group(0)
        close = {"{{": "}}", "{%": "%}", "{#": "#}"}[kind]
        end = source.find(close, match.end())
        if end < 0:
            found.append((start, f"'{kind}' is never closed with '{close}'"))
            break
        body = source[match.end() : end].strip("-~ \t\r\n")
        pos = end + len(close)
        if kind == "{#":
            continue
        if kind == "{{":
            found.extend((start, m) for m in _unknown(body, names | assigned, words))
            continue
        word, _, rest = body.partition(" ")
        if word in verbatim:
            closing = re.compile(r"\{%-?\s*" + verbatim[word] + r"\s*-?%\}")
            after = closing.search(source, pos)
            if after is None:
                found.append((start, f"'{{% {word} %}}' has no '{{% {verbatim[word]} %}}'"))
                break
            pos = after.end()
            continue
        if word in ("assign", "set"):
            name = rest.split("=", 1)[0].strip()
            assigned.add(name)
            found.extend((start, m) for m in _unknown(rest.split("=", 1)[-1], names | assigned, words))
            if word == "set" and "=" not in rest:
                stack.append(("set", start))
            continue
        if word == "endset" and stack and stack[-1][0] == "set":
            stack.pop()
            continue
        if word in blocks:
            stack.append((word, start))
            if word == "for":
                loop_var = rest.split(" in ", 1)[0].strip().split(",")[0].strip()
                assigned.add(loop_var)
                rest = rest.split(" in ", 1)[-1]
            if word != "autoescape":
                found.extend((start, m) for m in _unknown(rest, names | assigned, words))
        elif word in ends:
            if not stack or stack[-1][0] != ends[word]:
                open_tag = stack[-1][0] if stack else None
                what = f"inside '{{% {open_tag} %}}'" if open_tag else "without its start"
                found.append((start, f"'{{% {word} %}}' {what}"))
            else:
                stack.pop()
        elif word in middle:
            if not stack or stack[-1][0] not in middle[word]:
                found.append((start, f"'{{% {word} %}}' outside {' or '.join(middle[word])}"))
            elif word != "else":
                found.extend((start, m) for m in _unknown(rest, names | assigned, words))
        elif word not in ("raw", "endraw", "comment", "endcomment", "include", "render", "cycle", "increment"):
            found.append((start, f"unknown tag '{{% {word} %}}'"))
    for word, start in stack:
        found.append((start, f"'{{% {word} %}}' is never closed"))
    return found


def _unknown(expression: str, names: set[str] | frozenset[str], words: set[str]) -> list[str]:
    """The names ``expression`` reads that the template has no value for."""
    text = _STRING.sub("''", expression)
    text = _FILTER.sub("|", text)
    out = []
    for match in _NAME.finditer(text):
        name = match.group(1)
        if name in names or name in words or name.isdigit():
            continue
        out.append(f"unknown field '{name}'")
    return out
