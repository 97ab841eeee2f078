"""Fixtures for the checker tests: a frozen copy of the example policy, and a case runner.

Cases live in ``cases/<RULE>/``, named ``pass_*`` or ``fail_*``:

- ``*.html``: one output. Its first line is a comment giving the context,
  ``<!-- case: surface=email kind=thanks_review locale=ja tier=first -->``
  (``policy=none`` checks without a policy; ``preheader="…"`` sets the
  manifest's preheader).
- ``*.yaml``: a patch merged into the example policy (mappings merged, other
  values replaced; ``~`` deletes a key), for rules on the policy.
- a folder: several outputs, each ``.html`` with its own case comment, and
  ``.txt`` files as plain-text parts; an optional ``policy.yaml`` patch.

``<case>.expected`` holds the findings of that rule alone, one per line as
``path:line:col: RULE [level] message``; a ``pass_`` case has none.
"""

from __future__ import annotations

import copy
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from otokui.artifacts import CONTEXT_FLAGS, Artifact, Context
from otokui.lint.config import LintConfig
from otokui.lint.engine import lint
from otokui.lint.finding import Finding
from otokui.policy.load import parse
from otokui.policy.model import Policy
from otokui.policy.source import read

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
POLICY_FILE = HERE / "data" / "policy.yaml"


def base_policy_data() -> dict[str, Any]:
    data = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(out.get(key), value)
        return out
    return copy.deepcopy(patch)


def make_policy(patch: dict[str, Any] | None = None) -> Policy:
    """The example policy with ``patch`` merged in, read by the policy loader as a shop's file would be."""
    data = merge(base_policy_data(), patch or {})
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    return parse(read(raw, "rules.yaml"), "rules.yaml")


def parse_case_comment(text: str) -> dict[str, str]:
    first = text.split("\n", 1)[0].strip()
    if not (first.startswith("<!-- case:") and first.endswith("-->")):
        return {}
    body = first[len("<!-- case:") : -len("-->")]
    return dict(part.split("=", 1) for part in shlex.split(body))


def artifact_for(path: str, data: bytes, fields: dict[str, str], policy: Policy | None) -> Artifact:
    context_fields: dict[str, Any] = {"surface": "email", "locale": "ja"}
    for key in CONTEXT_FLAGS:
        if key in fields:
            context_fields[key] = tuple(fields[key].split(",")) if key == "notices" else fields[key]
    if context_fields["surface"] == "email" and "category" not in fields and policy and "kind" in fields:
        email = getattr(policy.emails, fields["kind"], None)
        context_fields["category"] = email.category if email else None
    if "disclosure" not in fields and policy is not None:
        context_fields["disclosure"] = policy.membership.disclosure.mode
    extra: dict[str, str] = {key: fields[key] for key in ("preheader", "subject") if key in fields}
    media = "text/plain" if path.endswith(".txt") else "text/html"
    return Artifact(path, data, Context(**context_fields), media, None, extra)


def load_case(case: Path) -> tuple[list[Artifact], Policy | None]:
    """The outputs and policy of one case (a file or a folder)."""
    if case.suffix == ".yaml":
        return [], make_policy(yaml.safe_load(case.read_text(encoding="utf-8")) or {})
    files = [case] if case.is_file() else sorted(p for p in case.rglob("*") if p.is_file())
    patch_file = case / "policy.yaml" if case.is_dir() else None
    patch = yaml.safe_load(patch_file.read_text(encoding="utf-8")) if patch_file and patch_file.is_file() else {}
    policy: Policy | None = make_policy(patch)
    artifacts: list[Artifact] = []
    for file in files:
        if file.name == "policy.yaml":
            continue
        data = file.read_bytes()
        fields = parse_case_comment(data.decode("utf-8")) if file.suffix == ".html" else {}
        if fields.get("policy") == "none":
            policy = None
        name = file.name if case.is_file() else file.relative_to(case).as_posix()
        artifacts.append(artifact_for(name, data, fields, policy))
    if case.is_dir():  # plain-text parts take the context of their HTML part
        contexts = {a.path.rsplit(".", 1)[0]: a for a in artifacts if a.path.endswith(".html")}
        artifacts = [
            Artifact(a.path, a.data, contexts[a.path[:-4]].context, a.media_type)
            if a.path.endswith(".txt") and a.path[:-4] in contexts
            else a
            for a in artifacts
        ]
    return artifacts, policy


def format_findings(findings: list[Finding]) -> list[str]:
    return [f"{f.file}:{f.line}:{f.column}: {f.rule} [{f.level}] {f.message}" for f in findings]


def run_rule(rule_id: str, artifacts: list[Artifact], policy: Policy | None) -> list[Finding]:
    base = LintConfig.from_policy(policy) if policy is not None else LintConfig()
    config = LintConfig(
        clients=base.clients,
        rules=base.rules,
        phrases=base.phrases,
        select=(rule_id,),
        policy_file="rules.yaml",
        render=True,  # a rule that lays outputs out in a browser (OT1501) runs only when asked to
    )
    return lint(artifacts, policy, config)


@pytest.fixture
def policy() -> Policy:
    return make_policy()


@pytest.fixture
def policy_with() -> Callable[[dict[str, Any]], Policy]:
    return make_policy
