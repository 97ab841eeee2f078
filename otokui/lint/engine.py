"""Running the rules: every output, the whole project and the policy, into sorted findings.

The engine owns what rules do not: which rules run and at which level, the
``ignore`` globs, the in-content switch ``data-otokui-disable``, and turning
offsets and key paths into file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
        self.policy = policy
        self.config = config
        self.batch = Batch((), policy, config)
        self.rules: list[tuple[Rule, Level, Options]] = list(_enabled(config))
        self._asked: set[str] = set()  # rules that said once they need the policy
        self._per_output = [entry for entry in self.rules if type(entry[0]).check is not Rule.check]
        self._compares = tuple(r for r, _, _ in self.rules if type(r).check_batch is not Rule.check_batch)

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
                elif rule.id not in self._asked and _needs_category_for(rule, output, options):
                    self._asked.add(rule.id)
                    found.add(_stamp(rule, "info", _ASK_FOR_CATEGORY, output, self.batch))
                elif rule.id not in self._asked and self.policy is None and _needs_policy_for(rule, output):
                    self._asked.add(rule.id)
                    found.add(_stamp(rule, "info", _ASK_FOR_POLICY, output, self.batch))
            summaries.append(output.summary(self._compares))
        return [f for f in found if f is not None], summaries

    def finish(self, summaries: Iterable[Summary], *, on_policy: bool = True) -> list[Finding]:
        """Findings of the rules that compare outputs (over ``summaries``) and, unless ``on_policy`` is
        False, of the policy rules; none of either for files checked on their own (``files_only``)."""
        batch = Batch(summaries, self.policy, self.config)
        found: set[Finding | None] = set()
        if self.config.files_only:
            return []
        for rule, level, options in self.rules:
            found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_batch(batch, options))
            if self.policy is not None and on_policy:
                found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_policy(self.policy, options))
        return [f for f in found if f is not None]


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One list of findings from several checkers: duplicates dropped, in report order."""
    return sorted(set(findings), key=sort_key)


def lint(
    artifacts: Iterable[Artifact], policy: Policy | None, config: LintConfig, *, on_policy: bool = True
) -> list[Finding]:
    """Check ``artifacts`` with every enabled rule, and ``policy`` itself too unless ``on_policy`` is False."""
    checker = Checker(policy, config)
    found, summaries = checker.check(artifacts)
    return sorted_findings([*found, *checker.finish(summaries, on_policy=on_policy)])


def lint_policy(policy: Policy, config: LintConfig) -> list[Finding]:
    """The rules on the policy alone (rank count, thresholds, benefits…): run before anything is rendered."""
    batch = Batch((), policy, config)
    found = {
        _stamp(rule, level, hit, None, batch)
        for rule, level, options in _enabled(config)
        for hit in rule.check_policy(policy, options)
    }
    return sorted((f for f in found if f is not None), key=sort_key)


def _enabled(config: LintConfig) -> Iterator[tuple[Rule, Level, Options]]:
    from otokui.lint.rules import RULES

    for rule_class in RULES:
        rule = rule_class()
        level = config.level_for(rule)
        if level is not None:
            yield rule, level, config.options_for(rule)


_ASK_FOR_POLICY = Hit(
    "not checked: this rule compares the file with the shop's policy (name, address, contact, benefits)",
    "Pass --policy rules.yaml to check it against your shop.",
)


_ASK_FOR_CATEGORY = Hit(
    "not checked: this rule depends on the email's category (transactional, relationship or marketing),"
    " which nothing says for this file",
    "Pass --category, or --kind with --policy rules.yaml (the policy gives each kind its category).",
)


def _needs_category_for(rule: Rule, output: Output, options: Options) -> bool:
    """Whether ``rule`` reads only some categories of email and ``output`` is an email of unknown category."""
    return (
        output.is_html
        and output.surface == "email"
        and output.category is None
        and "email" in rule.surfaces
        and (bool(rule.categories) or "categories" in options)
        and not output.batch.config.ignored(rule, output.path)
    )


def _needs_policy_for(rule: Rule, output: Output) -> bool:
    """Whether ``rule`` would check ``output`` but for the missing policy."""
    return (
        rule.needs_policy
        and output.is_html
        and output.surface in rule.surfaces
        and (not rule.kinds or output.kind in rule.kinds)
        and (not rule.categories or output.category in rule.categories)
    )


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
