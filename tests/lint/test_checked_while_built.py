"""Outputs are checked as they are built (in the render workers and the site process); the findings are
the same as checking the finished output folder."""

from __future__ import annotations

from pathlib import Path

from otokui.pipeline import Project, build, check_built


def test_build_findings_match_checking_the_output_folder(shop: Path) -> None:
    policy = shop / "rules.yaml"
    text = policy.read_text(encoding="utf-8")
    repeat_greeting = "また木漏れ日珈琲を選んでくださり、ありがとうございます。"
    text = text.replace(repeat_greeting, "初めてのご注文、ありがとうございます。")  # a repeat tier says "first"
    for loyal, repeat in (
        ("いつも木漏れ日珈琲をご愛顧いただき、ありがとうございます。", "初めてのご注文、ありがとうございます。"),
        (
            "長くお付き合いくださることが、私たちにとって何よりの喜びです。",
            "前回の豆はいかがでしたか。今回も一杯ずつ楽しんでいただけますように。",
        ),
        ("これからも、毎朝の一杯をご一緒できますように。", "感想をお聞かせいただけると、焙煎の励みになります。"),
    ):
        text = text.replace(loyal, repeat)  # the loyal tier's ja words are the repeat tier's
    policy.write_text(text, encoding="utf-8")
    project = Project.locate(policy)
    built = build(project, shop / "dist")
    _, checked = check_built(project, shop / "dist")
    rules = {f.rule for f in built.findings}
    assert {"OT302", "OT303"} <= rules  # a per-output rule, and one that compares outputs
    assert any(f.file.endswith(".html") and f.rule == "OT303" for f in built.findings)
    assert [str(f) for f in built.findings] == [str(f) for f in checked]
