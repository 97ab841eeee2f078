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
from otokui.lint.rule import Options, Output, Project, Rule, Summary
from otokui.policy.model import Policy


class Checker:
    """Checks outputs one at a time as they are made, then what compares outputs.

    :meth:`check` runs every per-output rule on each output, drops its parsed
    document and keeps the small :class:`~otokui.lint.rule.Summary` the
    project-wide rules read; :meth:`finish` runs those rules (and the policy
    rules) over the summaries. Render workers each run their own checker's
    :meth:`check` and send back findings and summaries; one :meth:`finish`
    in the main process completes the check.
    """

    def __init__(self, policy: Policy | None, config: LintConfig) -> None:
        from otokui.lint.rules import RULES

        self.policy = policy
        self.config = config
        self.project = Project((), policy, config)
        self.rules: list[tuple[Rule, Level, Options]] = []
        for rule_class in RULES:
            rule = rule_class()
            level = config.level_for(rule)
            if level is not None:
                self.rules.append((rule, level, config.options_for(rule)))
        self._per_output = [entry for entry in self.rules if type(entry[0]).check is not Rule.check]
        self._compares = tuple(r.id for r, _, _ in self.rules if type(r).check_project is not Rule.check_project)

    def check(self, artifacts: Iterable[Artifact]) -> tuple[list[Finding], list[Summary]]:
        """Findings of the per-output rules on ``artifacts``, and the summary each leaves behind."""
        config = self.config
        found: set[Finding | None] = set()
        summaries: list[Summary] = []
        for artifact in artifacts:
            output = Output(artifact, self.project)
            if output.is_html:
                for rule, level, options in self._per_output:
                    if output.surface not in rule.surfaces or config.ignored(rule, output.path):
                        continue
                    if rule.applies(output, options):
                        found.update(_stamp(rule, level, p, output, self.project) for p in rule.check(output, options))
            summaries.append(output.summary(self._compares))
        return [f for f in found if f is not None], summaries

    def finish(self, summaries: Iterable[Summary]) -> list[Finding]:
        """Findings of the rules that compare outputs (over ``summaries``) and of the policy rules."""
        project = Project(summaries, self.policy, self.config)
        found: set[Finding | None] = set()
        for rule, level, options in self.rules:
            found.update(_stamp(rule, level, p, None, project) for p in rule.check_project(project, options))
            if self.policy is not None:
                found.update(_stamp(rule, level, p, None, project) for p in rule.check_policy(self.policy, options))
        return [f for f in found if f is not None]


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One list of findings from several checkers: duplicates dropped, in report order."""
    return sorted(set(findings), key=sort_key)


def lint(artifacts: Iterable[Artifact], policy: Policy | None, config: LintConfig) -> list[Finding]:
    """Check ``artifacts`` (and ``policy``, when given) with every enabled rule."""
    checker = Checker(policy, config)
    found, summaries = checker.check(artifacts)
    return sorted_findings([*found, *checker.finish(summaries)])


def _stamp(rule: Rule, level: Level, problem: Problem, output: Output | None, project: Project) -> Finding | None:
    """``problem`` as a finding, or None when it is switched off where it is.

    ``output`` is the output a per-output rule was checking (its parsed document
    at hand); project-wide problems name their output by path, and are placed
    with its summary.
    """
    config = project.config
    if problem.key is not None:
        line, column = config.positions.of(problem.key) if config.positions else (1, 1)
        return Finding(config.policy_file, line, column, rule.id, level, problem.message, problem.hint)
    path = problem.path or (output.path if output is not None else None)
    if path is None:
        line, column = problem.line or 1, problem.column or 1
        return Finding(config.policy_file, line, column, rule.id, level, problem.message, problem.hint)
    if config.ignored(rule, path):
        return None
    line, column = problem.line or 1, problem.column or 1
    if output is not None and output.path == path:
        if output.is_html:
            offset = problem.offset if problem.offset is not None else output.start()
            if output.doc.disabled(rule.id, offset):
                return None
        if problem.offset is not None:
            line, column = output.position(problem.offset)
    elif (summary := project.by_path.get(path)) is not None:
        if summary.is_html:
            offset = problem.offset if problem.offset is not None else summary.start()
            if summary.disabled(rule.id, offset):
                return None
        if problem.offset is not None:
            line, column = summary.position(problem.offset)
    return Finding(config.path_prefix + path, line, column, rule.id, level, problem.message, problem.hint)
