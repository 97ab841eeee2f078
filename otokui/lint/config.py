"""The checker's configuration: rules.yaml ``checks:``, validated with "did you mean" suggestions.

::

    checks:
      clients: [gmail, apple-mail, outlook, yahoo]   # caniemail targets
      rules:
        OT1402: {level: warning}                      # by id…
        pressure-wording:                             # …or by name
          options: {categories: [relationship, marketing]}
          ignore: ["emails/birthday/*"]               # output paths (fnmatch, relative to dist/)
        OT1302: {level: info}                         # a rule that is off by default
      phrases:
        pressure: {ja: [まとめ買いがお得]}              # added to the shipped list

A level is ``error``, ``warning``, ``info`` or ``off``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from otokui.lint.finding import Level
from otokui.lint.phrases import LIST_NAMES, validate_extra
from otokui.lint.rule import Options, OptionValue, Rule
from otokui.policy.source import KeyPath, dotted

if TYPE_CHECKING:
    from otokui.policy.model import Policy
    from otokui.policy.source import Positions

DEFAULT_CLIENTS: tuple[str, ...] = ("gmail", "apple-mail", "outlook", "yahoo")


@dataclass(frozen=True)
class RuleConfig:
    """One rule's settings: ``level`` None keeps the rule's default."""

    level: str | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class LintConfig:
    """Everything the engine needs besides the outputs and the policy."""

    clients: tuple[str, ...] = DEFAULT_CLIENTS
    rules: Mapping[str, RuleConfig] = field(default_factory=dict)  # by rule id
    phrases: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    policy_file: str = "rules.yaml"
    positions: Positions | None = None
    path_prefix: str = ""  # put before output paths in findings, e.g. "dist/"
    select: tuple[str, ...] | None = None  # run only these rule ids
    #: ``check --input``: only the files given are checked; rules comparing a whole build or the policy do not run.
    files_only: bool = False
    #: ``check --render``: rules that lay outputs out in a browser run too (OT1501).
    render: bool = False

    @classmethod
    def from_policy(
        cls, policy: Policy, *, policy_file: str = "rules.yaml", positions: Positions | None = None
    ) -> LintConfig:
        """The configuration in ``policy.checks``; raises PolicyError if it names unknown rules or options."""
        problems = validate_checks(policy)
        if problems:
            from otokui.errors import PolicyError, Problem

            located = []
            for path, message in problems:
                line, column = positions.of(path) if positions else (1, 1)
                located.append(Problem(policy_file, line, column, dotted(path), message))
            raise PolicyError(located)
        checks = policy.checks
        rules: dict[str, RuleConfig] = {}
        for key, settings in checks.rules.items():
            rule = resolve(key)
            assert rule is not None
            rules[rule.id] = RuleConfig(settings.level, dict(settings.options), tuple(settings.ignore))
        phrases: dict[str, Mapping[str, tuple[str, ...]]] = {
            name: {str(locale): tuple(items) for locale, items in by_locale.items()}
            for name, by_locale in checks.phrases.items()
        }
        return cls(
            clients=tuple(checks.clients),
            rules=rules,
            phrases=phrases,
            policy_file=policy_file,
            positions=positions,
        )

    def level_for(self, rule: Rule) -> Level | None:
        """The level findings of ``rule`` get, or None when it is off."""
        if self.select is not None and rule.id not in self.select:
            return None
        setting = self.rules.get(rule.id, RuleConfig()).level or rule.level
        return None if setting == "off" else setting  # type: ignore[return-value]

    def options_for(self, rule: Rule) -> Options:
        values: dict[str, OptionValue] = dict(rule.options)
        for key, value in self.rules.get(rule.id, RuleConfig()).options.items():
            if key in values:
                values[key] = _coerce(value)
        return Options(values)

    def ignored(self, rule: Rule, path: str) -> bool:
        return any(fnmatchcase(path, pattern) for pattern in self.rules.get(rule.id, RuleConfig()).ignore)


def _coerce(value: object) -> OptionValue:
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    assert isinstance(value, bool | int | float | str)
    return value


def resolve(key: str) -> Rule | None:
    """The rule ``key`` names (an id, any case, or a name)."""
    from otokui.lint.rules import BY_ID, BY_NAME

    return BY_ID.get(key.upper()) or BY_NAME.get(key.lower())


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _type_error(default: OptionValue, value: object) -> str | None:
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "expected true or false"
    if isinstance(default, int | float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and isinstance(default, int) and not isinstance(value, int):
            return "expected a whole number"
        return None if ok else "expected a number"
    if isinstance(default, str):
        return None if isinstance(value, str) else "expected a text"
    # a list of texts (numbers are written as texts: widths: [375, 600])
    ok = isinstance(value, list | tuple) and all(
        isinstance(item, str | int) and not isinstance(item, bool) for item in value
    )
    return None if ok else "expected a list of texts"


def validate_options(rule: Rule, options: Mapping[str, object], at: KeyPath) -> list[tuple[KeyPath, str]]:
    problems: list[tuple[KeyPath, str]] = []
    for key, value in options.items():
        if key not in rule.options:
            known = sorted(rule.options)
            listing = f" (it has: {', '.join(known)})" if known else " (it has none)"
            problems.append(((*at, key), f"{rule.id} has no option {key!r}{_suggest(key, known) or listing}"))
            continue
        error = _type_error(rule.options[key], value)
        if error:
            problems.append(((*at, key), f"{rule.id} option {key!r}: {error}"))
            continue
        allowed = rule.choices.get(key)
        if allowed:
            items = list(value) if isinstance(value, list | tuple) else [value]
            for index, item in enumerate(items):
                if item not in allowed:
                    where = (*at, key, index) if isinstance(value, list | tuple) else (*at, key)
                    listing = ", ".join(repr(a) for a in allowed)
                    hint = _suggest(str(item), list(allowed)) or f"; expected one of {listing}"
                    problems.append((where, f"{rule.id} option {key!r}: unknown value {item!r}{hint}"))
    return problems


def validate_checks(policy: Policy) -> list[tuple[KeyPath, str]]:
    """Every problem in ``policy.checks``, as (key path, message), for the loader to report with positions."""
    from otokui.lint.rules import BY_ID, BY_NAME

    problems: list[tuple[KeyPath, str]] = []
    seen: dict[str, str] = {}
    for key, settings in policy.checks.rules.items():
        at: KeyPath = ("checks", "rules", key)
        rule = resolve(key)
        if rule is None:
            guess = key.upper() if key[:2].lower() == "ot" else key.lower()
            choices = list(BY_ID) if key[:2].lower() == "ot" else list(BY_NAME)
            problems.append((at, f"unknown rule {key!r}{_suggest(guess, choices)}"))
            continue
        if rule.id in seen:
            problems.append((at, f"{rule.id} is already configured as {seen[rule.id]!r}"))
        seen[rule.id] = key
        problems += validate_options(rule, settings.options, (*at, "options"))
    for name, by_locale in policy.checks.phrases.items():
        if name not in LIST_NAMES:
            problems.append(
                (("checks", "phrases", name), f"unknown phrase list {name!r}{_suggest(name, list(LIST_NAMES))}")
            )
            continue
        for locale, phrases in by_locale.items():
            for index, phrase in enumerate(phrases):
                why = validate_extra(phrase, str(locale))
                if why:
                    problems.append((("checks", "phrases", name, locale, index), f"{why}; see docs/checker.md"))
    return problems
