"""Phrase matching as a reader sees it: dictionary forms, numbers, scope, negation and other senses."""

from __future__ import annotations

from pathlib import Path

import pytest

from otokui.lint.normalize import normalize
from otokui.lint.phrases import DATA, PhraseBook, PhraseError, compile_phrase, load_file, shipped, validate_extra

BOOK = PhraseBook()


def found(name: str, locale: str, text: str) -> list[str]:
    return [text[m.start : m.end] for m in BOOK.search(name, locale, text)]


def test_normalisation_keeps_offsets() -> None:
    norm = normalize("ＨＵＲＲＹ ｹﾞｽﾄ “quoted” ３点 すゝめ")
    assert norm.text == 'HURRY ゲスト "quoted" 3点 すすめ'
    assert len(norm.origin) == len(norm.text)
    start, end = norm.source_span(6, 9)  # ゲスト came from ｹﾞｽﾄ (four characters)
    assert (start, end) == (6, 10)


def test_plain_ascii_text_keeps_every_character_but_a_backtick() -> None:
    norm = normalize('Don`t miss -- 50% off ~ "now"')
    assert norm.text == 'Don\'t miss -- 50% off ~ "now"'
    assert norm.origin == tuple(range(len(norm.text)))
    assert normalize("スーパ-").text == "スーパー"  # a hyphen after kana is a long vowel mark


@pytest.mark.parametrize(
    ("name", "locale", "text", "expected"),
    [
        # one entry, every inflection and spelling
        ("pressure", "ja", "お急ぎください。", ["急ぎ"]),
        ("pressure", "ja", "急いでご注文を。", ["急い"]),
        ("pressure", "ja", "いますぐ", ["いますぐ"]),
        ("pressure", "ja", "今スグどうぞ", ["今スグ"]),
        ("pressure", "ja", "残り３点！", ["残り３"]),
        ("pressure", "ja", "ラスト1点", ["ラスト1"]),
        ("pressure", "en", "ＨＵＲＲＹ!", ["ＨＵＲＲＹ"]),
        ("pressure", "en", "Only 3 left, only 1,000 left", ["Only 3 left", "only 1,000 left"]),
        ("pressure", "en", "Sale ends in 15hrs", ["ends in 15"]),
        ("pressure", "en", "00:57:19", ["00:57:19"]),
        ("pressure", "en", "Don’t miss out.", ["Don’t miss out"]),
        # negation and denial are not findings
        ("pressure", "ja", "急がなくて大丈夫です。", []),
        ("pressure", "ja", "急ぐ必要はありません。", []),
        ("pressure", "ja", "急がないと売り切れます。", ["急がないと売り切れ"]),  # a conditional, not a denial
        ("pressure", "en", "No need to hurry.", []),
        ("pressure", "en", "You don't have to hurry.", []),
        ("forced_signup", "ja", "登録しなくても購入できます。", []),
        ("forced_signup", "ja", "会員登録は必要ありません。", []),
        ("forced_signup", "ja", "ご購入には会員登録が必要です。", ["購入には会員登録が必要"]),
        ("forced_signup", "en", "No registration required.", []),
        ("forced_signup", "en", "Registration required.", ["Registration required"]),
        # other senses
        ("pressure", "ja", "お急ぎの方は速達便をご利用ください。", []),
        ("pressure", "ja", "開封後はお早めにお召し上がりください。", []),
        ("pressure", "en", "In a hurry? Choose express delivery.", []),
        ("presumes_patronage", "ja", "いつもよりお得なセットです。", []),
        ("presumes_patronage", "ja", "「いつものブレンド」が新しくなりました。", []),
        ("presumes_patronage", "ja", "いつもご利用ありがとうございます。", ["いつも"]),
        ("presumes_patronage", "ja", "いつでもご相談ください。", []),
        ("presumes_patronage", "en", "Roasted darker than usual.", []),
        ("presumes_patronage", "en", "We are against waste.", []),
        ("first_order", "ja", "当店で初めて入荷した豆です。", []),
        ("first_order", "ja", "初回限定セットです。", []),
        ("first_order", "ja", "初めてのご注文ありがとうございます。", ["初めてのご注文"]),
        ("first_order", "en", "Our first harvest is in.", []),
        # constructions: the parts of a meaning in any order and wording
        ("forced_signup", "ja", "ログインが必要です。", ["ログインが必要"]),
        ("forced_signup", "ja", "購入手続きはログイン後に行えます。", ["購入手続きはログイン後"]),
        ("forced_signup", "ja", "ポイントを貯めるには会員登録が必要です。", []),
        ("forced_signup", "ja", "会員の条件: 直近12か月のご注文", []),  # what makes a member, not what buying needs
        ("forced_signup", "ja", "登録から60日間有効、3,000円以上のご注文でお使いいただけます。", []),
        ("forced_signup", "ja", "会員登録がなくても、ご注文は問題なくお受けします。", []),
        (
            "forced_signup",
            "en",
            "Purchasing is limited to account holders.",
            ["Purchasing is limited to account holders"],
        ),
        ("forced_signup", "en", "Log in to see your order history.", []),
        ("pressure", "ja", "お早めに！", ["早めに"]),  # on its own, at the end of a sentence
        ("pressure", "ja", "開封後はお早めにお召し上がりください。", []),
        ("pressure", "ja", "二度と手に入らないかもしれません。", ["二度と手に入らない"]),  # "may not" is no denial
        ("pressure", "en", "Quick start guide", []),
        # a plain call to action
        ("pressure", "ja", "今すぐ購入", []),
        ("pressure", "en", "Buy now", []),
    ],
)
def test_search(name: str, locale: str, text: str, expected: list[str]) -> None:
    assert found(name, locale, text) == expected


def test_number_and_gap_wildcards() -> None:
    assert [
        m.phrase for m in PhraseBook({"pressure": {"ja": ["次の…まで"]}}).search("pressure", "ja", "次のゴールドまで")
    ]
    assert not PhraseBook({"pressure": {"ja": ["次の…まで"]}}).search("pressure", "ja", "次の\nまで")
    assert compile_phrase("残り#個", "ja").elements == compile_phrase("残り{n}個", "ja").elements


def test_book_merges_extra_phrases() -> None:
    book = PhraseBook({"pressure": {"ja": ["まとめ買い"]}})
    assert [m.phrase for m in book.search("pressure", "ja", "今すぐまとめ買い")] == ["今 (直ぐ|すぐ)", "まとめ買い"]


def test_locale_selects_the_list() -> None:
    assert BOOK.search("pressure", "ja", "hurry") == []
    assert [m.phrase for m in BOOK.search("pressure", None, "hurry")] == ["hurry"]


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("(急ぐ|", "'(' without ')'"),
        ("急ぐ)", "outside"),
        ("{n} …", "no words"),
        ("… 急ぐ", "starts or ends"),
        ("", "empty"),
    ],
)
def test_bad_phrases_are_refused(phrase: str, problem: str) -> None:
    message = validate_extra(phrase, "ja")
    assert message is not None and problem in message


def test_every_shipped_list_loads_and_every_entry_says_why() -> None:
    lists = shipped()
    assert {"pressure", "forced_signup", "confirmshaming", "social_proof"} <= set(lists)
    for path in DATA.glob("*/*.yaml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("- "):
                assert "  # " in line, f"{path.name}:{number}: an entry without a comment saying why"


def test_a_broken_phrase_file_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "ja" / "pressure.yaml"
    bad.parent.mkdir()
    bad.write_text("entries:\n  - 急ぐ  # ok\n  - (急ぐ|  # broken\n", encoding="utf-8")
    with pytest.raises(PhraseError) as error:
        load_file(bad, "pressure.yaml")
    assert str(error.value).startswith("pressure.yaml:3:5: '(' without ')'")
    typo = tmp_path / "ja" / "typo.yaml"
    typo.write_text("entrys:\n  - 急ぐ  # ok\n", encoding="utf-8")
    with pytest.raises(PhraseError, match=r"typo\.yaml:1:1: unknown key .entrys."):
        load_file(typo, "typo.yaml")


def test_word_classes_name_a_set_of_words_once(tmp_path: Path) -> None:
    path = tmp_path / "ja" / "rule.yaml"
    path.parent.mkdir()
    path.write_text(
        "words:\n  buy: [購入, 注文]\n  need: [必要, 必須]\nentries:\n  - '{buy} … {need}'  # why\n",
        encoding="utf-8",
    )
    (entry,) = load_file(path).entries
    assert entry == "(購入|注文) … (必要|必須)"
    book = PhraseBook({"rule": {"ja": [entry]}})
    assert [m.phrase for m in book.search("rule", "ja", "ご注文には登録が必須です")] == [entry]
    path.write_text("words:\n  buy: [購入]\nentries:\n  - '{buy} {sell}'  # why\n", encoding="utf-8")
    with pytest.raises(PhraseError, match=r"rule\.yaml:4:5: \{sell\} is not a word class of this file \(words: buy\)"):
        load_file(path, "rule.yaml")
    path.write_text("words:\n  n: [購入]\nentries:\n  - 購入  # why\n", encoding="utf-8")
    with pytest.raises(PhraseError, match="not a usable name"):
        load_file(path, "rule.yaml")


def _book_of(tmp_path: Path, text: str) -> PhraseBook:
    path = tmp_path / "ja" / "rule.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    book = PhraseBook()
    book.lists["rule"] = {"ja": load_file(path)}
    return book


def test_a_phrase_that_is_not_a_finding_hides_no_other(tmp_path: Path) -> None:
    """A negated long match leaves the shorter one at the same place, and those inside it, to be read."""
    book = _book_of(
        tmp_path,
        "negation: true\nentries:\n  - 会員 … 専用 … 購入  # why\n  - 会員 専用 ショップ  # why\n"
        "  - ゲスト … 購入 … NEG  # why\n",
    )
    text = "会員専用ショップのため、ゲストの方はご購入いただけません。"
    assert [text[m.start : m.end] for m in book.search("rule", "ja", text)] == [
        "会員専用ショップ",
        "ゲストの方はご購入いただけません",
    ]


def test_exceptions_that_overlap_each_apply(tmp_path: Path) -> None:
    book = _book_of(
        tmp_path, "entries:\n  - ログイン … 必要  # why\nexcept:\n  - 購入 履歴  # why\n  - 履歴 … ログイン  # why\n"
    )
    assert not book.search("rule", "ja", "購入履歴を見るにはログインが必要です。")
    assert book.search("rule", "ja", "ご購入にはログインが必要です。")


def test_a_phrase_is_left_out_only_of_lines_it_cannot_match() -> None:
    """Every phrase that matches a corpus sentence needs only words the sentence holds (the prefilter
    that skips a phrase on other lines never drops a match)."""
    from otokui.lint.morph import tokenize
    from otokui.lint.phrases import _words

    book = PhraseBook()
    corpus = Path(__file__).resolve().parent / "corpus"
    checked = 0
    for locale in ("ja", "en"):
        sentences = [
            line.split("\t")[2]
            for path in sorted(corpus.glob(f"*{locale}.tsv"))
            for line in path.read_text(encoding="utf-8").splitlines()[2:]
            if line and not line.startswith("#")
        ]
        patterns = [p for name in book.lists for p in _patterns(book, name, locale)]
        for sentence in sentences:
            tokens = tokenize(sentence, locale)
            words = _words(tokens)
            for pattern in patterns:
                if any(end > i for i in range(len(tokens)) for end in pattern.ends(tokens, i)):
                    checked += 1
                    assert all(not group.isdisjoint(words) for group in pattern.needs), (pattern.phrase, sentence)
    assert checked > 500


def _patterns(book: PhraseBook, name: str, locale: str) -> list:  # type: ignore[type-arg]
    compiled = book._compile(name, locale)
    if compiled is None:
        return []
    indexed = [compiled, *([compiled.excepted_by] if compiled.excepted_by else [])]  # entries and exceptions
    return [p for c in indexed for p in (*{id(p): p for ps in c.by_first.values() for p in ps}.values(), *c.anywhere)]
