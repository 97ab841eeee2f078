"""Phrase lists the wording rules look for, per locale, and how they are matched.

The lists shipped here can be extended per locale in rules.yaml::

    checks:
      phrases:
        pressure: {ja: [まとめ買いがお得], en: [stock up now]}

A phrase is plain text with two wildcards: ``#`` stands for a number (with an
optional ¥, $ or € sign and thousands separators: ``¥3,000``, ``２``, ``10``)
and ``…`` for one to twenty characters on the same line. Japanese phrases
match anywhere (Japanese has no spaces between words) and may be broken by a
single space, as a line break in the source is; other phrases match whole
words only. Matching ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

#: Locales whose phrases match without word boundaries.
NO_WORD_BOUNDARIES = frozenset({"ja", "zh", "ko", "th"})

DEFAULTS: dict[str, dict[str, tuple[str, ...]]] = {
    "forced_signup": {
        "ja": (
            "会員登録が必要",
            "会員登録が必須",
            "会員登録をしないと",
            "会員登録しないと",
            "会員のみ購入",
            "会員様のみ購入",
            "会員のみご購入",
            "会員様のみご購入",
            "ログインが必要",
            "ログインしないと",
            "登録しないと購入",
            "購入には会員登録",
            "ご購入には会員登録",
            "会員登録後にご購入",
        ),
        "en": (
            "registration required",
            "registration is required",
            "must register",
            "must sign up",
            "must create an account",
            "login required",
            "log in to purchase",
            "sign in to purchase",
            "account required",
            "an account is required",
            "sign up to buy",
            "sign up to purchase",
            "register to purchase",
            "members only checkout",
        ),
    },
    "signup_invite": {
        "ja": ("会員登録", "新規登録", "アカウント作成", "アカウントを作成", "会員になる"),
        "en": ("sign up", "create an account", "create your account", "become a member", "join our membership"),
    },
    "guest_checkout": {
        "ja": ("ゲスト", "会員登録なし", "登録しなくても", "会員登録をしなくても", "登録不要", "登録は任意"),
        "en": ("guest", "without an account", "without signing up", "no account needed", "without registering"),
    },
    "presumes_patronage": {
        "ja": ("いつも", "毎度", "平素より", "日頃より", "引き続き", "再度のご利用", "前回"),
        "en": ("as always", "welcome back", "again", "your last order", "once more"),
    },
    "first_order": {
        "ja": ("初めて", "はじめて", "はじめまして", "初回"),
        "en": ("first order", "first purchase", "first time", "nice to meet you"),
    },
    "pressure": {
        "ja": (
            "今すぐ",
            "急いで",
            "お急ぎください",
            "お見逃しなく",
            "どんどん",
            "残りわずか",
            "残り#個",
            "残り#点",
            "在庫わずか",
            "本日限り",
            "今だけ",
            "ラストチャンス",
            "なくなり次第",
        ),
        "en": (
            "limited time",
            "hurry",
            "only # left",
            "act now",
            "don't miss out",
            "last chance",
            "ends today",
            "while stocks last",
            "buy now",
        ),
    },
    "progress": {
        "ja": ("あと#", "次のランクまで", "ランクアップまで", "昇格まで"),
        "en": ("# more to", "more to reach", "to the next rank", "until the next rank", "away from the next"),
    },
    "selected": {
        "ja": ("選ばれ", "選出", "ご招待"),
        "en": ("selected", "chosen", "invited"),
    },
    "reached": {
        "ja": ("到達", "達成", "を超えました", "以上のお買い物"),
        "en": ("you reached", "you've reached", "you have reached", "you hit", "you spent"),
    },
    "unsubscribe": {
        "ja": ("配信停止", "配信解除", "メール設定", "購読解除", "受信設定"),
        "en": ("unsubscribe", "email preferences", "opt out", "manage your email"),
    },
    "next_order": {
        "ja": ("次のご注文", "次回のご注文", "次回のお買い物", "次のお買い物", "次回以降"),
        "en": ("next order", "next purchase", "future order"),
    },
    "saved_address": {
        "ja": ("お届け先", "ご住所"),
        "en": ("address",),
    },
    "newsletter": {
        "ja": ("メールマガジン", "メルマガ", "ニュースレター"),
        "en": ("newsletter",),
    },
}
LIST_NAMES: tuple[str, ...] = tuple(DEFAULTS)

_NUMBER = r"[¥￥$€]?[ ]?[0-9０-９][0-9０-９,，.]*"
_GAP = r"[^\n]{1,20}?"


@dataclass(frozen=True)
class PhraseMatch:
    phrase: str
    start: int  # index in the visible text
    end: int


@lru_cache(maxsize=4096)
def compile_phrase(phrase: str, locale: str) -> re.Pattern[str]:
    """The regular expression for ``phrase`` in ``locale`` (see the module docs)."""
    words = locale.split("-")[0] not in NO_WORD_BOUNDARIES
    parts: list[str] = []
    for char in phrase.strip():
        if char == "#":
            parts.append(_NUMBER)
        elif char == "…":
            parts.append(_GAP)
        elif char.isspace():
            if not parts or parts[-1] != "[ ]+":
                parts.append("[ ]+")
        else:
            parts.append(re.escape(char))
    body = "".join(parts) if words else "[ ]?".join(parts)
    if words:
        stripped = phrase.strip()
        if stripped[:1].isalnum():
            body = r"(?<!\w)" + body
        if stripped[-1:].isalnum():
            body = body + r"(?!\w)"
    return re.compile(body, re.IGNORECASE)


class PhraseBook:
    """The shipped phrase lists plus the shop's own, searchable per locale."""

    def __init__(self, extra: Mapping[str, Mapping[str, list[str] | tuple[str, ...]]] | None = None) -> None:
        self.lists: dict[str, dict[str, tuple[str, ...]]] = {
            name: dict(by_locale) for name, by_locale in DEFAULTS.items()
        }
        for name, by_locale in (extra or {}).items():
            target = self.lists.setdefault(name, {})
            for locale, phrases in by_locale.items():
                current = target.get(locale, ())
                target[locale] = current + tuple(p for p in phrases if p.strip() and p not in current)

    def phrases(self, name: str, locale: str | None) -> list[tuple[str, str]]:
        """(locale, phrase) pairs of list ``name`` for ``locale`` (every locale when None)."""
        by_locale = self.lists.get(name, {})
        locales = [locale] if locale else sorted(by_locale)
        return [(loc, phrase) for loc in locales for phrase in by_locale.get(loc, ())]

    def search(self, name: str, locale: str | None, text: str) -> list[PhraseMatch]:
        """Non-overlapping matches of list ``name`` in ``text``, leftmost first, longest at a tie."""
        found: list[PhraseMatch] = []
        for loc, phrase in self.phrases(name, locale):
            found.extend(PhraseMatch(phrase, m.start(), m.end()) for m in compile_phrase(phrase, loc).finditer(text))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[PhraseMatch] = []
        for item in found:
            if kept and item.start < kept[-1].end:
                continue
            kept.append(item)
        return kept

    def contains(self, name: str, locale: str | None, text: str) -> bool:
        return bool(self.search(name, locale, text))
