"""Phrase matching: Japanese without word boundaries, English with, and the two wildcards."""

from __future__ import annotations

import pytest

from otokui.lint.phrases import PhraseBook, compile_phrase


@pytest.mark.parametrize(
    ("phrase", "locale", "text", "found"),
    [
        ("いつも", "ja", "いつもありがとう", ["いつも"]),
        ("いつも", "ja", "いつでも送料無料", []),
        ("会員登録が必要", "ja", "会員登録 が必要です", ["会員登録 が必要"]),
        ("again", "en", "Thanks again!", ["again"]),
        ("again", "en", "We are against waste", []),
        ("welcome back", "en", "WELCOME  BACK", ["WELCOME  BACK"]),
        ("welcome back", "en", "Welcome back", ["Welcome back"]),
        ("only # left", "en", "Only 3 left, only 1,000 left", ["Only 3 left", "only 1,000 left"]),
        ("あと#", "ja", "あと¥3,000で、あとで", ["あと¥3,000"]),
        ("残り#個", "ja", "残り２個", ["残り２個"]),
        ("次の…まで", "ja", "次のゴールドまで", ["次のゴールドまで"]),
        ("次の…まで", "ja", "次の\nまで", []),
        ("don't miss out", "en", "Don't miss out.", ["Don't miss out"]),
    ],
)
def test_compile_phrase(phrase: str, locale: str, text: str, found: list[str]) -> None:
    assert [m.group(0) for m in compile_phrase(phrase, locale).finditer(text)] == found


def test_book_merges_extra_phrases_and_keeps_longest_match() -> None:
    book = PhraseBook({"pressure": {"ja": ["まとめ買い"]}})
    assert [m.phrase for m in book.search("pressure", "ja", "今すぐまとめ買い")] == ["今すぐ", "まとめ買い"]
    assert [m.phrase for m in book.search("forced_signup", "ja", "会員登録が必要です")] == ["会員登録が必要"]


def test_locale_selects_the_list() -> None:
    book = PhraseBook()
    assert book.search("pressure", "ja", "hurry") == []
    assert [m.phrase for m in book.search("pressure", None, "hurry")] == ["hurry"]
