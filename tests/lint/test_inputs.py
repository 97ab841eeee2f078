"""Reading outputs back from disk: a built folder, or HTML files with context flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from otokui.errors import UsageError
from otokui.lint.inputs import artifacts_from_dir, artifacts_from_paths
from otokui.policy.model import Policy


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    write(root / "emails/thanks_review/ja/first.html", "<html lang='ja'><p>x</p></html>")
    write(root / "emails/thanks_review/ja/first.txt", "x")
    write(root / "emails/rank_up/ja/gold--repeat.html", "<p>y</p>")
    write(root / "site/index.html", "<html lang='ja'></html>")
    write(root / "site/ranks/gold.html", "<html lang='ja'></html>")
    write(root / "site/en/faq.html", "<html lang='en'></html>")
    write(root / "site/en/guide.html", "<html lang='en'></html>")
    write(root / "snippets/notices/remote_island.en.html", "<div>n</div>")
    return root


def test_manifest(dist: Path, policy: Policy) -> None:
    variants = [
        {
            "kind": "thanks_review",
            "locale": "ja",
            "variant": "first",
            "tier": "first",
            "rank": None,
            "notices": [],
            "category": "relationship",
            "subject": "件名",
            "preheader": "要約",
            "html": "emails/thanks_review/ja/first.html",
            "text": "emails/thanks_review/ja/first.txt",
            "bytes": 30,
        },
        {
            "kind": "rank_up",
            "locale": "ja",
            "tier": "repeat",
            "rank": "gold",
            "path": "emails/rank_up/ja/gold--repeat.html",
        },
    ]
    write(dist / "emails/manifest.json", json.dumps({"variants": variants}))
    artifacts = {a.path: a for a in artifacts_from_dir(dist, policy=policy)}
    first = artifacts["emails/thanks_review/ja/first.html"]
    assert first.context is not None and first.context.tier == "first" and first.context.disclosure == "surprise"
    assert first.extra == {"subject": "件名", "preheader": "要約"}
    assert artifacts["emails/thanks_review/ja/first.txt"].media_type == "text/plain"
    gold = artifacts["emails/rank_up/ja/gold--repeat.html"].context
    assert gold is not None and (gold.rank, gold.category, gold.variant) == ("gold", "relationship", "gold--repeat")


def test_manifest_as_a_bare_list(dist: Path) -> None:
    write(
        dist / "emails/manifest.json",
        json.dumps([{"kind": "rank_up", "locale": "ja", "html": "emails/rank_up/ja/gold--repeat.html"}]),
    )
    assert [a.path for a in artifacts_from_dir(dist) if a.path.startswith("emails/")] == [
        "emails/rank_up/ja/gold--repeat.html"
    ]


def test_manifest_problems(dist: Path) -> None:
    write(dist / "emails/manifest.json", json.dumps({"variants": [{"html": "emails/nope.html"}, 3]}))
    with pytest.raises(UsageError, match=r"no HTML file 'emails/nope\.html'") as raised:
        artifacts_from_dir(dist)
    assert "variant 1: not an object" in str(raised.value)
    write(dist / "emails/manifest.json", "{")
    with pytest.raises(UsageError, match="cannot read the email manifest"):
        artifacts_from_dir(dist)


def test_without_manifest_contexts_come_from_paths(dist: Path, policy: Policy) -> None:
    artifacts = {a.path: a.context for a in artifacts_from_dir(dist, policy=policy)}
    gold = artifacts["emails/rank_up/ja/gold--repeat.html"]
    assert gold is not None and (gold.kind, gold.tier, gold.rank, gold.category) == (
        "rank_up",
        "repeat",
        "gold",
        "relationship",
    )
    pages = {path: (c.kind, c.locale, c.rank) for path, c in artifacts.items() if path.startswith("site/") and c}
    assert pages == {
        "site/index.html": ("home", "ja", None),
        "site/ranks/gold.html": ("rank", "ja", "gold"),
        "site/en/faq.html": ("faq", "en", None),
        "site/en/guide.html": ("page", "en", None),
    }
    snippet = artifacts["snippets/notices/remote_island.en.html"]
    assert snippet is not None and (snippet.surface, snippet.locale, snippet.notices) == (
        "snippet",
        "en",
        ("remote_island",),
    )


def test_missing_dist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        artifacts_from_dir(tmp_path / "nope")


def test_from_paths(tmp_path: Path, policy: Policy) -> None:
    write(tmp_path / "mails/a.html", "<html lang='en'><p>x</p></html>")
    write(tmp_path / "mails/a.txt", "x")
    write(tmp_path / "mails/sub/b.html", "<p>y</p>")
    flags = {"kind": "thanks_review", "tier": "first", "disclosure": "surprise", "notices": "a, b"}
    artifacts = artifacts_from_paths([tmp_path / "mails"], flags, policy)
    assert [Path(a.path).name for a in artifacts] == ["a.html", "a.txt", "b.html"]
    context = artifacts[0].context
    assert context is not None
    assert (context.surface, context.locale, context.category, context.notices) == (
        "email",
        "en",
        "relationship",
        ("a", "b"),
    )
    assert artifacts[2].context is not None and artifacts[2].context.locale == "ja"


def test_from_paths_problems(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown context flag"):
        artifacts_from_paths([], {"tierr": "first"})
    with pytest.raises(UsageError, match="no such file"):
        artifacts_from_paths([tmp_path / "x.html"], {})
    write(tmp_path / "a.html", "<p/>")
    with pytest.raises(UsageError, match="unknown surface"):
        artifacts_from_paths([tmp_path / "a.html"], {"surface": "poster"})


# --------------------------------------------------------------------------- check --input is about the files given

_ROOT = Path(__file__).resolve().parents[2]


def _check(*argv: str) -> tuple[int, str, str]:
    import io

    from otokui.cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run(["check", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _marketing_mail(tmp_path: Path) -> Path:
    mail = tmp_path / "birthday.html"
    mail.write_text(
        '<html lang="ja" dir="ltr"><body><p>お誕生日おめでとうございます。</p>'
        '<p><a href="https://shop.example/unsubscribe">配信停止</a></p></body></html>',
        encoding="utf-8",
    )
    return mail


def test_input_without_policy_asks_for_it_instead_of_judging_against_the_example_shop(tmp_path: Path) -> None:
    _code, out, _err = _check("--input", str(_marketing_mail(tmp_path)), "--kind", "birthday", "--format", "json")
    sender = [f for f in json.loads(out)["findings"] if f["rule"] == "OT1202"]
    assert len(sender) == 1, out
    assert sender[0]["level"] == "info" and "--policy" in sender[0]["hint"]  # asking never fails the check
    assert "does not name the sender" not in out


def test_input_with_policy_judges_the_sender(tmp_path: Path) -> None:
    code, out, _err = _check(
        "--policy", str(_ROOT / "rules.yaml"), "--input", str(_marketing_mail(tmp_path)), "--kind", "birthday"
    )
    assert "OT1202" in out and "does not name the sender" in out
    assert code == 1


def test_input_runs_no_rule_that_compares_a_whole_build(tmp_path: Path) -> None:
    mail = tmp_path / "order.html"
    mail.write_text('<html lang="ja" dir="ltr"><body><p>ご注文ありがとうございます。</p></body></html>', "utf-8")
    _code, out, _err = _check(
        "--policy", str(_ROOT / "rules.yaml"), "--input", str(mail), "--kind", "order_confirmation", "--format", "json"
    )
    rules = {finding["rule"] for finding in json.loads(out)["findings"]}
    assert not rules & {"OT303", "OT601", "OT701"}, rules
    assert not any(str(f["file"]).endswith("rules.yaml") for f in json.loads(out)["findings"])


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--kind", "birthdy", "unknown --kind 'birthdy' (did you mean 'birthday'?)"),
        ("--tier", "frist", "unknown --tier 'frist' (did you mean 'first'?)"),
    ],
)
def test_unknown_kind_or_tier_is_a_usage_error(tmp_path: Path, flag: str, value: str, message: str) -> None:
    code, _out, err = _check(
        "--policy", str(_ROOT / "rules.yaml"), "--input", str(_marketing_mail(tmp_path)), flag, value
    )
    assert code == 2
    assert message in err, err


def test_input_of_unknown_category_asks_instead_of_guessing_the_example_shops(tmp_path: Path) -> None:
    mail = tmp_path / "mail.html"
    mail.write_text('<html lang="ja" dir="ltr"><body><p>今だけ！お急ぎください。</p></body></html>', encoding="utf-8")
    _code, out, _err = _check("--input", str(mail), "--kind", "birthday", "--format", "json")
    found = {f["rule"]: f for f in json.loads(out)["findings"]}
    # which category a birthday mail is, is the shop's to say: without --policy or --category nothing is judged
    assert found["OT501"]["level"] == "info" and "--category" in found["OT501"]["hint"]
    assert found["OT1201"]["level"] == "info"
    _code, out, _err = _check("--input", str(mail), "--kind", "birthday", "--category", "marketing", "--format", "json")
    pressure = [f for f in json.loads(out)["findings"] if f["rule"] == "OT501"]
    assert [f["level"] for f in pressure] == ["error", "error"]
