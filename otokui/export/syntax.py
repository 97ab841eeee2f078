"""Reading an exported template as its platform would: tags, blocks and the names they use.

:func:`problems` returns ``(offset, message)`` for every fault a platform would
refuse or print wrongly: a block tag without its end (or an end without its
start), a middle tag (``else``, ``elsif``, ``when``…) outside its block, an
unterminated ``{{`` or ``{%``, a field or tag the platform does not have, an
otokui token left in the file. Text inside ``raw`` / ``verbatim`` /
``comment`` is not read. Nothing here imports the renderers: the checker uses it.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

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


def problems(source: str, target: str, memo: Memo | None = None) -> list[tuple[int, str]]:
    """Every fault of ``source``, an exported file of ``target``, as (offset, message).

    ``memo``: kept between the files of one check (exported files share most of their lines).
    """
    found = [(m.start(), f"otokui token '{m.group(0)}' left in the file") for m in _TOKEN.finditer(source)]
    if target in TAG_CARTS:
        pattern, known = TAG_CARTS[target]
        for match in pattern.finditer(source):
            if match.group(1) not in known:
                found.append((match.start(), f"{target} has no tag '{match.group(0)}'"))
        return sorted(found)
    language, names = TARGETS[target]
    table = {} if memo is None else memo.setdefault(target, {})
    return sorted(found + _template_problems(source, _language(language), names, table))


def cart_file_is_clean(data: bytes, target: str) -> bool:
    """Whether ``data``, a tag cart's file in UTF-8, has no fault (read without decoding it).

    Tokens and tags are ASCII, which UTF-8 writes as the same bytes and never inside another
    character, so they are found in the bytes as in the text.
    """
    if _TOKEN_BYTES.search(data):
        return False
    pattern, known = _TAG_BYTES[target]
    return known.issuperset(pattern.findall(data))


_TOKEN_BYTES = re.compile(_TOKEN.pattern.encode("ascii"))
_TAG_BYTES = {
    target: (re.compile(p.pattern.encode("ascii")), frozenset(tag.encode("ascii") for tag in known))
    for target, (p, known) in TAG_CARTS.items()
}


class _Language(NamedTuple):
    """A template language's tags, ready to read (see :data:`LANGUAGES`)."""

    blocks: dict[str, str]
    middle: dict[str, tuple[str, ...]]
    verbatim: dict[str, str]  # each verbatim block's end
    verbatim_ends: dict[str, re.Pattern[str]]  # the tag ending each verbatim block
    words: frozenset[str]
    ends: dict[str, str]
    opener: re.Pattern[str]


@functools.cache
def _language(name: str) -> _Language:
    lang = LANGUAGES[name]
    blocks: dict[str, str] = lang["blocks"]  # type: ignore[assignment]
    verbatim: dict[str, str] = lang["verbatim"]  # type: ignore[assignment]
    return _Language(
        blocks,
        lang["middle"],  # type: ignore[arg-type]
        verbatim,
        {word: re.compile(r"\{%-?\s*" + end + r"\s*-?%\}") for word, end in verbatim.items()},
        frozenset(lang["words"]),  # type: ignore[call-overload]
        {end: start for start, end in blocks.items()},
        re.compile(r"\{\{|\{%" + (r"|\{#" if lang["comments"] else "")),
    )


_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}

#: What reading one line gave, by the line and the state before it: the faults (offsets in the
#: line), how many open blocks were left of those before, the blocks it opened (offsets in the
#: line) and the names assigned after it.
_Read = tuple[list[tuple[int, str]], int, list[tuple[str, int]], frozenset[str]]
Memo = dict[str, dict[tuple[str, tuple[str, ...], frozenset[str]], _Read]]

#: Lines are read in parts of about this many lines (see :func:`_part_end`).
_EVERY = 4
#: How many more parts a part is read with when a tag in it ends in a later one.
_MORE_PARTS = 3


def _template_problems(
    source: str, lang: _Language, names: frozenset[str], memo: dict[tuple[str, tuple[str, ...], frozenset[str]], _Read]
) -> list[tuple[int, str]]:
    """The faults of ``source``, read line by line: each line holding a tag is read once for every
    file where it comes in the same state (the blocks open before it and the names assigned).

    A line is read as the whole would read it when each tag that starts on it ends on it (else it
    is read with the lines after it, and past a few, the rest of the file is read at once).
    """
    found: list[tuple[int, str]] = []
    stack: list[tuple[str, int]] = []
    open_words: tuple[str, ...] = ()  # the words of ``stack``
    assigned: frozenset[str] = frozenset()
    pos = 0
    while True:
        match = lang.opener.search(source, pos)
        if match is None:
            break
        start = end = source.rfind("\n", 0, match.start()) + 1
        read = None
        for _ in range(_MORE_PARTS + 1):
            end = _part_end(source, end)
            key = (source[start:end], open_words, assigned)
            read = memo.get(key)
            if read is None:
                read = _read_part(key[0], open_words, assigned, lang, names)
                if read is None:
                    continue  # a tag that ends in a later part
                memo[key] = read
            break
        if read is None:  # a tag that does not end within a few parts: the rest read at once
            lines: list[tuple[str, int]] = [(word, -1) for word, _ in stack]
            _read(source[start:], lines, assigned, found, lang, names, start, whole=True)
            stack = stack[: sum(1 for _, at in lines if at < 0)] + [(w, at) for w, at in lines if at >= 0]
            break
        faults, kept, opened, assigned = read
        if faults:
            found.extend((start + offset, message) for offset, message in faults)
        if kept != len(stack) or opened:
            stack = stack[:kept] + [(word, start + offset) for word, offset in opened]
            open_words = tuple(word for word, _ in stack)
        pos = end
    for word, start in stack:
        found.append((start, f"'{{% {word} %}}' is never closed"))
    return found


def _part_end(source: str, start: int) -> int:
    """Where the part of ``source`` from ``start`` (a line's start) ends: after the first line whose
    length is a multiple of :data:`_EVERY`, else at the end. The same lines are cut the same way in
    every file that has them, whatever comes before."""
    while True:
        end = source.find("\n", start)
        if end < 0:
            return len(source)
        if (end - start) % _EVERY == 0:
            return end + 1
        start = end + 1


def _read_part(
    line: str, open_blocks: tuple[str, ...], assigned: frozenset[str], lang: _Language, names: frozenset[str]
) -> _Read | None:
    """What reading ``line`` gives after ``open_blocks`` (None if a tag on it ends further on)."""
    faults: list[tuple[int, str]] = []
    stack: list[tuple[str, int]] = [(word, -1) for word in open_blocks]
    after = _read(line, stack, assigned, faults, lang, names, 0, whole=False)
    if after is None:
        return None
    kept = sum(1 for _, at in stack if at < 0)
    return faults, kept, [(word, at) for word, at in stack if at >= 0], after


def _read(
    source: str,
    stack: list[tuple[str, int]],
    assigned: frozenset[str],
    found: list[tuple[int, str]],
    lang: _Language,
    names: frozenset[str],
    base: int,
    *,
    whole: bool,
) -> frozenset[str] | None:
    """Read ``source`` (at offset ``base`` of its file) after ``stack``, adding to it and to ``found``.

    Returns the names assigned after it. With ``whole``, ``source`` runs to the end of the file;
    otherwise None when a tag or verbatim block starting in it ends further on.
    """
    blocks, middle, verbatim, words, ends = lang.blocks, lang.middle, lang.verbatim, lang.words, lang.ends
    pos = 0
    while True:
        match = lang.opener.search(source, pos)
        if match is None:
            break
        start, kind = match.start(), match.group(0)
        close = _CLOSE[kind]
        end = source.find(close, match.end())
        if end < 0:
            if not whole:
                return None
            found.append((base + start, f"'{kind}' is never closed with '{close}'"))
            break
        body = source[match.end() : end].strip("-~ \t\r\n")
        pos = end + len(close)
        if kind == "{#":
            continue
        if kind == "{{":
            found.extend((base + start, m) for m in _unknown(body, names, assigned, words))
            continue
        word, _, rest = body.partition(" ")
        if word in verbatim:
            after = lang.verbatim_ends[word].search(source, pos)
            if after is None:
                if not whole:
                    return None
                found.append((base + start, f"'{{% {word} %}}' has no '{{% {verbatim[word]} %}}'"))
                break
            pos = after.end()
            continue
        if word in ("assign", "set"):
            name = rest.split("=", 1)[0].strip()
            assigned = assigned | {name} if name not in assigned else assigned
            found.extend((base + start, m) for m in _unknown(rest.split("=", 1)[-1], names, assigned, words))
            if word == "set" and "=" not in rest:
                stack.append(("set", base + start))
            continue
        if word == "endset" and stack and stack[-1][0] == "set":
            stack.pop()
            continue
        if word in blocks:
            stack.append((word, base + start))
            if word == "for":
                loop_var = rest.split(" in ", 1)[0].strip().split(",")[0].strip()
                assigned = assigned | {loop_var} if loop_var not in assigned else assigned
                rest = rest.split(" in ", 1)[-1]
            if word != "autoescape":
                found.extend((base + start, m) for m in _unknown(rest, names, assigned, words))
        elif word in ends:
            if not stack or stack[-1][0] != ends[word]:
                open_tag = stack[-1][0] if stack else None
                what = f"inside '{{% {open_tag} %}}'" if open_tag else "without its start"
                found.append((base + start, f"'{{% {word} %}}' {what}"))
            else:
                stack.pop()
        elif word in middle:
            if not stack or stack[-1][0] not in middle[word]:
                found.append((base + start, f"'{{% {word} %}}' outside {' or '.join(middle[word])}"))
            elif word != "else":
                found.extend((base + start, m) for m in _unknown(rest, names, assigned, words))
        elif word not in ("raw", "endraw", "comment", "endcomment", "include", "render", "cycle", "increment"):
            found.append((base + start, f"unknown tag '{{% {word} %}}'"))
    return assigned


def _unknown(expression: str, names: frozenset[str], assigned: frozenset[str], words: frozenset[str]) -> list[str]:
    """The names ``expression`` reads that the template has no value for."""
    known = (names, assigned, words)
    return [f"unknown field '{name}'" for name in _read_names(expression) if not any(name in k for k in known)]


@functools.lru_cache(maxsize=4096)
def _read_names(expression: str) -> tuple[str, ...]:
    """The names ``expression`` reads (numbers left out), in order."""
    text = _STRING.sub("''", expression)
    text = _FILTER.sub("|", text)
    return tuple(name for match in _NAME.finditer(text) if not (name := match.group(1)).isdigit())
