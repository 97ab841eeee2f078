"""Running the rules: every output, the whole project and the policy, into sorted findings.

The engine owns what rules do not: which rules run and at which level, the
``ignore`` globs, the in-content switch ``data-otokui-disable``, and turning
offsets and key paths into file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.artifacts import Artifact
from otokui.lint.config import LintConfig
from otokui.lint.finding import Finding, Hit, Level, sort_key
from otokui.lint.rule import Batch, Options, Output, Rule, Summary
from otokui.policy.model import Policy


class Checker:
    """Checks outputs one at a time as they are made, then what compares outputs.

    :meth:`check` runs every per-output rule on each output, drops its parsed
    document and keeps the small :class:`~otokui.lint.rule.Summary` the batch
    rules read; :meth:`finish` runs those rules (and the policy rules) over the
    summaries. Render workers each run their own checker's :meth:`check` and
    send back findings and summaries; one :meth:`finish` in the main process
    completes the check.
    """

    def __init__(self, policy: Policy | None, config: LintConfig) -> None:
        from otokui.lint.rules import RULES

        self.policy = policy
        self.config = config
        self.batch = Batch((), policy, config)
        self.rules: list[tuple[Rule, Level, Options]] = []
        for rule_class in RULES:
            rule = rule_class()
            level = config.level_for(rule)
            if level is not None:
                self.rules.append((rule, level, config.options_for(rule)))
        self._per_output = [entry for entry in self.rules if type(entry[0]).check is not Rule.check]
        self._compares = tuple(r.id for r, _, _ in self.rules if type(r).check_batch is not Rule.check_batch)

    def check(self, artifacts: Iterable[Artifact]) -> tuple[list[Finding], list[Summary]]:
        """Findings of the per-output rules on ``artifacts``, and the summary each leaves behind."""
        config = self.config
        found: set[Finding | None] = set()
        summaries: list[Summary] = []
        for artifact in artifacts:
            output = Output(artifact, self.batch)
            for rule, level, options in self._per_output:
                if rule.runs_on(output, options) and not config.ignored(rule, output.path):
                    found.update(_stamp(rule, level, hit, output, self.batch) for hit in rule.check(output, options))
            summaries.append(output.summary(self._compares))
        return [f for f in found if f is not None], summaries

    def finish(self, summaries: Iterable[Summary]) -> list[Finding]:
        """Findings of the rules that compare outputs (over ``summaries``) and of the policy rules."""
        batch = Batch(summaries, self.policy, self.config)
        found: set[Finding | None] = set()
        for rule, level, options in self.rules:
            found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_batch(batch, options))
            if self.policy is not None:
                found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_policy(self.policy, options))
        return [f for f in found if f is not None]


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One list of findings from several checkers: duplicates dropped, in report order."""
    return sorted(set(findings), key=sort_key)


def lint(artifacts: Iterable[Artifact], policy: Policy | None, config: LintConfig) -> list[Finding]:
    """Check ``artifacts`` (and ``policy``, when given) with every enabled rule."""
    checker = Checker(policy, config)
    found, summaries = checker.check(artifacts)
    return sorted_findings([*found, *checker.finish(summaries)])


def _stamp(rule: Rule, level: Level, hit: Hit, output: Output | None, batch: Batch) -> Finding | None:
    """``hit`` as a finding, or None when it is switched off where it is.

    ``output`` is the output a per-output rule was checking (its parsed document
    at hand); batch hits name their output by path, and are placed with its
    summary.
    """
    config = batch.config
    if hit.key is not None:
        line, column = config.positions.of(hit.key) if config.positions else (1, 1)
        return Finding(config.policy_file, line, column, rule.id, level, hit.message, hit.hint)
    path = hit.path or (output.path if output is not None else None)
    if path is None:
        line, column = hit.line or 1, hit.column or 1
        return Finding(config.policy_file, line, column, rule.id, level, hit.message, hit.hint)
    if config.ignored(rule, path):
        return None
    line, column = hit.line or 1, hit.column or 1
    if output is not None and output.path == path:
        if output.is_html:
            offset = hit.offset if hit.offset is not None else output.start()
            if output.doc.disabled(rule.id, offset):
                return None
        if hit.offset is not None:
            line, column = output.position(hit.offset)
    elif (summary := batch.by_path.get(path)) is not None:
        if summary.is_html:
            offset = hit.offset if hit.offset is not None else summary.start()
            if summary.disabled(rule.id, offset):
                return None
        if hit.offset is not None:
            line, column = summary.position(hit.offset)
    return Finding(config.path_prefix + path, line, column, rule.id, level, hit.message, hit.hint)
