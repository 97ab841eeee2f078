"""The checker reads exported files in their platform's syntax: clean exports pass, a broken tag is an error."""

from __future__ import annotations

from dataclasses import replace

from otokui.export import export_artifacts
from otokui.lint import LintConfig, lint
from tests.emails.conftest import TEMPLATES, load_example


def test_every_exported_file_of_the_example_reads_cleanly_and_a_broken_one_does_not() -> None:
    policy = load_example()
    artifacts, _ = export_artifacts(policy, TEMPLATES)
    assert {a.path.split("/")[1] for a in artifacts} == set(policy.export.targets)
    findings = lint(artifacts, policy, LintConfig())
    assert findings == []  # intended fields and tags are not leftovers (OT1102), and every file is balanced
    broken = []
    for artifact in artifacts:
        if artifact.path == "export/shopify/ja/order_confirmation.html.liquid":
            text = artifact.text.replace("{% endfor %}", "", 1).replace("customer.first_name", "customer_first", 1)
            artifact = replace(artifact, data=text.encode("utf-8"))
        broken.append(artifact)
    found = lint(broken, policy, LintConfig())
    messages = sorted(f"{f.rule} {f.message}" for f in found)
    assert "OT1105 unknown field 'customer_first'" in messages
    assert any("'{% for %}' is never closed" in m or "inside '{% for %}'" in m for m in messages)
    assert all(f.file.endswith("order_confirmation.html.liquid") and f.line > 1 for f in found)
