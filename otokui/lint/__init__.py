"""The guideline checker: rules over built outputs and the policy, findings, reports.

Public API (see ``docs/checker.md``)::

    lint(artifacts, policy, config) -> list[Finding]
    lint_policy(policy, config) -> list[Finding]   # the policy alone, before rendering
    LintConfig.from_policy(policy, policy_file=..., positions=...) -> LintConfig
    validate_checks(policy) -> list[(key path, message)]
    render(findings, fmt) -> str          # text, json, github, sarif, junit
    exit_code(findings, strict) -> int
    artifacts_from_dir(dist, manifest=None, policy=None) -> list[Artifact]
    artifacts_from_paths(paths, context_flags, policy=None) -> list[Artifact]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from otokui.lint.config import LintConfig, RuleConfig, validate_checks
    from otokui.lint.engine import lint, lint_policy
    from otokui.lint.finding import Finding, Hit
    from otokui.lint.inputs import artifacts_from_dir, artifacts_from_paths
    from otokui.lint.report import FORMATS, exit_code, render

# Imported on first use, so that a light module (the report formats, the context
# flags) can be imported without loading every rule.
_HOMES = {
    "LintConfig": "config",
    "RuleConfig": "config",
    "validate_checks": "config",
    "lint": "engine",
    "lint_policy": "engine",
    "Finding": "finding",
    "Hit": "finding",
    "artifacts_from_dir": "inputs",
    "artifacts_from_paths": "inputs",
    "FORMATS": "report",
    "exit_code": "report",
    "render": "report",
}

__all__ = [
    "FORMATS",
    "Finding",
    "Hit",
    "LintConfig",
    "RuleConfig",
    "artifacts_from_dir",
    "artifacts_from_paths",
    "exit_code",
    "lint",
    "lint_policy",
    "render",
    "validate_checks",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
