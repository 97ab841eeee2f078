"""`init`: a new shop starts from a commented rules.yaml that builds clean and carries nothing of the example."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from otokui.cli import run

ROOT = Path(__file__).resolve().parents[2]
#: Words of the example shop (木漏れ日珈琲) that must never reach another shop's output.
EXAMPLE_WORDS = ("木漏れ日", "こもれび", "珈琲", "コーヒー", "焙煎", "komorebi", "coffee", "roast", "about.html")


def call(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = run(list(argv), out, err)
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def example_words_in(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            found += [(path.relative_to(folder).as_posix(), word) for word in EXAMPLE_WORDS if word in text]
    return found


def test_init_writes_a_policy_and_a_schema_it_points_at(tmp_path: Path) -> None:
    code, _, err = call("init", str(tmp_path / "shop"))
    assert code == 0, err
    policy = (tmp_path / "shop" / "rules.yaml").read_text(encoding="utf-8")
    first = policy.splitlines()[0]
    assert first == "# yaml-language-server: $schema=./rules.schema.json"
    schema = json.loads((tmp_path / "shop" / "rules.schema.json").read_text(encoding="utf-8"))
    assert "shop" in schema["properties"]
    assert policy.count("\n#") + policy.count("  #") > 20  # commented for the owner
    assert example_words_in(tmp_path / "shop") == []


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("mine\n", encoding="utf-8")
    code, _, err = call("init", str(tmp_path))
    assert code == 2
    assert err == f"{tmp_path / 'rules.yaml'}: already exists; nothing was written (init never overwrites a file)\n"
    assert (tmp_path / "rules.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "rules.schema.json").exists()


def test_interactive_init_asks_four_questions(tmp_path: Path) -> None:
    answers = (
        "うつわ工房 土と灯\nTsuchi to Akari Pottery\nhttps://tsuchi-akari.example.jp\nhello@tsuchi-akari.example.jp\n"
    )
    code, out, err = call("init", str(tmp_path), "--interactive", stdin=answers)
    assert code == 0, err
    assert out.count("]: ") == 4
    text = (tmp_path / "rules.yaml").read_text(encoding="utf-8")
    assert 'name: {ja: "うつわ工房 土と灯", en: "Tsuchi to Akari Pottery"}' in text
    assert "url: https://tsuchi-akari.example.jp/\n" in text
    assert "review_url: https://tsuchi-akari.example.jp/reviews" in text


def test_interactive_init_refuses_an_address_that_is_not_https(tmp_path: Path) -> None:
    code, _, err = call("init", str(tmp_path), "--interactive", stdin="a\nb\nhttp://x.example\nme@x.example\n")
    assert code == 2
    assert err.endswith("shop url 'http://x.example': expected an https:// address\n")
    assert not (tmp_path / "rules.yaml").exists()


def test_the_starter_builds_and_checks_clean_with_nothing_of_the_example(tmp_path: Path) -> None:
    assert call("init", str(tmp_path))[0] == 0
    code, out, err = call("build", "--policy", str(tmp_path / "rules.yaml"), "--out", str(tmp_path / "dist"))
    assert code == 0, out + err
    assert "No problems found." in out
    assert (tmp_path / "dist" / "site" / "index.html").is_file()
    assert not (tmp_path / "dist" / "site" / "about.html").exists()
    assert example_words_in(tmp_path / "dist") == []


@pytest.mark.parametrize(
    ("what", "folder", "probe"),
    [("templates", "email_templates", "layout.mjml.j2"), ("site", "site_src", "mkdocs.yml")],
)
def test_eject_copies_the_defaults_without_the_example_pages(
    tmp_path: Path, what: str, folder: str, probe: str
) -> None:
    code, _, err = call("init", str(tmp_path), "--eject", what)
    assert code == 0, err
    assert (tmp_path / folder / probe).is_file()
    assert not list((tmp_path / folder).rglob("about.md"))
    assert example_words_in(tmp_path / folder) == []
    again = call("init", str(tmp_path), "--eject", what)
    assert again[0] == 2 and "already exists" in again[2]


def test_an_ejected_site_and_templates_are_used_by_the_build(tmp_path: Path) -> None:
    for step in (
        ("init", str(tmp_path)),
        ("init", str(tmp_path), "--eject", "site"),
        ("init", str(tmp_path), "--eject", "templates"),
    ):
        assert call(*step)[0] == 0
    (tmp_path / "site_src" / "docs" / "ja").mkdir(parents=True, exist_ok=True)
    (tmp_path / "site_src" / "docs" / "ja" / "story.md").write_text(
        "# 工房のこと\n\n手びねりの器です。\n", encoding="utf-8"
    )
    footer = tmp_path / "email_templates" / "partials" / "footer.mjml.j2"
    footer.write_text(footer.read_text(encoding="utf-8") + "\n{# designer's change #}\n", encoding="utf-8")
    code, out, err = call("build", "--policy", str(tmp_path / "rules.yaml"), "--out", str(tmp_path / "dist"))
    assert code == 0, out + err
    page = (tmp_path / "dist" / "site" / "story.html").read_text(encoding="utf-8")
    assert "手びねりの器です。" in page.replace("<wbr>", "")  # phrase breaks aside
