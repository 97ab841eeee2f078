"""Running the rules: every output, the whole project and the policy, into sorted findings.

The engine owns what rules do not: which rules run and at which level, the
``ignore`` globs, the in-content switch ``data-otokui-disable``, and turning
offsets and key paths into file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.artifacts import Artifact
from otokui.lint.config import LintConfig
from otokui.lint.finding import Finding, Level, Problem, sort_key
from otokui.lint.rule import Project, Rule
from otokui.policy.model import Policy


def lint(artifacts: Iterable[Artifact], policy: Policy | None, config: LintConfig) -> list[Finding]:
    """Check ``artifacts`` (and ``policy``, when given) with every enabled rule."""
    from otokui.lint.rules import RULES

    project = Project(artifacts, policy, config)
    found: set[Finding | None] = set()
    for rule_class in RULES:
        rule = rule_class()
        level = config.level_for(rule)
        if level is None:
            continue
        options = config.options_for(rule)
        for output in project.outputs:
            if not output.is_html or output.surface not in rule.surfaces or config.ignored(rule, output.path):
                continue
            if rule.applies(output, options):
                found.update(_stamp(rule, level, p, output.path, project) for p in rule.check(output, options))
        found.update(_stamp(rule, level, p, None, project) for p in rule.check_project(project, options))
        if policy is not None:
            found.update(_stamp(rule, level, p, None, project) for p in rule.check_policy(policy, options))
    return sorted((f for f in found if f is not None), key=sort_key)


def _stamp(rule: Rule, level: Level, problem: Problem, path: str | None, project: Project) -> Finding | None:
    """``problem`` as a finding, or None when it is switched off where it is."""
    config = project.config
    if problem.key is not None:
        line, column = config.positions.of(problem.key) if config.positions else (1, 1)
        return Finding(config.policy_file, line, column, rule.id, level, problem.message, problem.hint)
    path = problem.path or path
    if path is None:
        line, column = problem.line or 1, problem.column or 1
        return Finding(config.policy_file, line, column, rule.id, level, problem.message, problem.hint)
    if config.ignored(rule, path):
        return None
    output = project.by_path.get(path)
    line, column = problem.line or 1, problem.column or 1
    if output is not None and output.is_html:
        offset = problem.offset if problem.offset is not None else output.start()
        if output.doc.disabled(rule.id, offset):
            return None
        if problem.offset is not None:
            line, column = output.position(problem.offset)
    elif output is not None and problem.offset is not None:
        line, column = output.position(problem.offset)
    return Finding(config.path_prefix + path, line, column, rule.id, level, problem.message, problem.hint)
