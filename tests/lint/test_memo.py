"""An output that has not changed since the last build is not checked again; the findings stay the same."""

from __future__ import annotations

from pathlib import Path

from otokui import cache
from otokui.emails.render import artifacts_for, render_all
from otokui.lint.memo import Memo
from otokui.pipeline import Project, _checker, _display_prefix, build, check_built, read_policy

FIRST = "初めてのご注文、ありがとうございます。"
REPEAT = "また木漏れ日珈琲を選んでくださり、ありがとうございます。"


def _memo_for(project: Project, out_dir: Path) -> Memo:
    policy, positions, _ = read_policy(project.policy)
    cache.use_project(project.policy, out_dir)
    checker = _checker(policy, positions, str(project.policy), _display_prefix(out_dir))
    return Memo(checker, project.policy.read_bytes(), cache.current())


def test_a_second_build_reuses_the_checks_and_names_its_own_folder(shop: Path) -> None:
    policy = shop / "rules.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(REPEAT, FIRST), encoding="utf-8")
    project = Project.locate(policy)
    first = build(project, shop / "one")
    second = build(project, shop / "two")
    assert any(f.rule == "OT302" for f in second.findings)  # a per-output rule found something
    assert [str(f) for f in second.findings] == [str(f) for f in check_built(project, shop / "two")[1]]
    assert not [f for f in second.findings if "/one/" in f.file or f.file.startswith("one/")]
    assert len(first.findings) == len(second.findings)

    memo = _memo_for(project, shop / "two")
    loaded = read_policy(policy)[0]
    emails = render_all(loaded, project.templates)
    hits = [memo.hit(artifacts_for(email)) for email in emails]
    assert all(hit is not None for hit in hits)  # every email of the second build was kept for the next


def test_an_output_that_changed_is_checked_again(shop: Path) -> None:
    project = Project.locate(shop / "rules.yaml")
    clean = build(project, shop / "dist")
    assert not [f for f in clean.findings if f.rule == "OT1102"]
    greeting = shop / "email_templates" / "blocks" / "greeting.mjml.j2"
    text = greeting.read_text(encoding="utf-8")
    greeting.write_text(text.replace("{{ tier.greeting }}", "{{ tier.greeting }} {% raw %}{{ name }}{% endraw %}"))
    changed = build(project, shop / "dist")
    leftover = [f for f in changed.findings if f.rule == "OT1102"]
    assert leftover and all("/emails/" in f.file for f in leftover)
    assert [str(f) for f in changed.findings] == [str(f) for f in check_built(project, shop / "dist")[1]]


def test_a_damaged_memo_costs_a_check_not_the_build(shop: Path) -> None:
    project = Project.locate(shop / "rules.yaml")
    build(project, shop / "dist", site=False)
    (memo,) = (shop / cache.CACHE_DIR / "check").glob("*.pickle")
    memo.write_bytes(b"not a pickle")
    again = build(project, shop / "dist", site=False)
    assert [str(f) for f in again.findings] == [str(f) for f in check_built(project, shop / "dist")[1]]


def test_a_render_workers_memo_keeps_nothing_the_build_did_not_record(shop: Path) -> None:
    project = Project.locate(shop / "rules.yaml")
    email = render_all(read_policy(project.policy)[0], project.templates)[0]
    files = artifacts_for(email)
    in_worker = _memo_for(project, shop / "dist").in_worker()
    found, _summaries = in_worker.check(files)  # checked in a worker: sent back, recorded by the build
    in_worker.save()
    assert _memo_for(project, shop / "dist").hit(files) is None
    memo = _memo_for(project, shop / "dist")
    assert memo.check(files)[0] == found  # checked in the build's own process: kept for the next build
    memo.save()
    assert _memo_for(project, shop / "dist").hit(files) is not None
