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
from otokui.lint.rule import Batch, Options, Output, Rule
from otokui.policy.model import Policy


def lint(
    artifacts: Iterable[Artifact], policy: Policy | None, config: LintConfig, *, on_policy: bool = True
) -> list[Finding]:
    """Check ``artifacts`` with every enabled rule, and ``policy`` itself too unless ``on_policy`` is False."""
    batch = Batch(artifacts, policy, config)
    found: set[Finding | None] = set()
    for rule, level, options in _enabled(config):
        asked = False
        for output in batch.outputs:
            if rule.runs_on(output, options) and not config.ignored(rule, output.path):
                found.update(_stamp(rule, level, hit, output.path, batch) for hit in rule.check(output, options))
            elif not asked and policy is None and _needs_policy_for(rule, output):
                asked = True
                found.add(_stamp(rule, "info", _ASK_FOR_POLICY, output.path, batch))
        if config.files_only:
            continue
        found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_batch(batch, options))
        if policy is not None and on_policy:
            found.update(_stamp(rule, level, hit, None, batch) for hit in rule.check_policy(policy, options))
    return sorted((f for f in found if f is not None), key=sort_key)


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


def _needs_policy_for(rule: Rule, output: Output) -> bool:
    """Whether ``rule`` would check ``output`` but for the missing policy."""
    return (
        rule.needs_policy
        and output.is_html
        and output.surface in rule.surfaces
        and (not rule.kinds or output.kind in rule.kinds)
        and (not rule.categories or output.category in rule.categories)
    )


def _stamp(rule: Rule, level: Level, hit: Hit, path: str | None, batch: Batch) -> Finding | None:
    """``hit`` as a finding, or None when it is switched off where it is."""
    config = batch.config
    if hit.key is not None:
        line, column = config.positions.of(hit.key) if config.positions else (1, 1)
        return Finding(config.policy_file, line, column, rule.id, level, hit.message, hit.hint)
    path = hit.path or path
    if path is None:
        line, column = hit.line or 1, hit.column or 1
        return Finding(config.policy_file, line, column, rule.id, level, hit.message, hit.hint)
    if config.ignored(rule, path):
        return None
    output = batch.by_path.get(path)
    line, column = hit.line or 1, hit.column or 1
    if output is not None and output.is_html:
        offset = hit.offset if hit.offset is not None else output.start()
        if output.doc.disabled(rule.id, offset):
            return None
        if hit.offset is not None:
            line, column = output.position(hit.offset)
    elif output is not None and hit.offset is not None:
        line, column = output.position(hit.offset)
    return Finding(config.path_prefix + path, line, column, rule.id, level, hit.message, hit.hint)
