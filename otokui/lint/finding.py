"""What the checker reports: problems from rules, findings from the engine.

A rule yields :class:`Hit` values: a message, a hint, and where it is
(an offset in the output's readable source, or a key path in rules.yaml).
The engine turns each into a :class:`Finding`, stamping the rule id, the
level configured for the rule, the file, line and column. Rules never know
their own severity.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from otokui.policy.source import KeyPath

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")
#: Settings accepted for a rule's level in ``checks.rules``: a level, or ``off``.
SETTINGS: tuple[str, ...] = (*LEVELS, "off")


@dataclass(frozen=True)
class Hit:
    """One problem a rule found, before the engine stamps id, level and position.

    Where it is, in order of preference:

    - ``key``: a path into rules.yaml (``("membership", "ranks", 2, "threshold")``),
      for rules on the policy itself;
    - ``offset``: a character offset in the readable source of the output
      ``path`` (or, when ``path`` is None, of the output being checked);
    - ``line`` and ``column``: explicit, 1-based;
    - otherwise line 1, column 1 of the file.
    """

    message: str
    hint: str = ""
    offset: int | None = None
    path: str | None = None
    key: KeyPath | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """One reported problem, with everything a report format needs."""

    file: str
    line: int
    column: int
    rule: str
    level: Level
    message: str
    hint: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.file, finding.line, finding.column, finding.rule, finding.message)


def count(findings: list[Finding], level: Level) -> int:
    return sum(1 for finding in findings if finding.level == level)
