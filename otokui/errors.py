"""The exceptions a user sees. Each carries the exit code the command line uses.

Library code raises these; only :mod:`otokui.cli` prints them and exits.

Exit codes: 0 clean; 1 the checker found errors (or warnings under
``--strict``); 2 anything that stopped the command (usage, policy or build
error), so CI can tell a broken build from a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXIT_OK = 0
#: The checker found errors (or warnings under ``--strict``).
EXIT_FINDINGS = 1
#: The command could not do its work: usage, policy or build error.
EXIT_ERROR = 2


class OtokuiError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = EXIT_ERROR

    def lines(self) -> list[str]:
        return [str(self)]


# Characters that would break a one-line report or play tricks in a terminal:
# controls (line breaks, escape sequences) and bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control and bidi-override characters shown as escapes (``\\n``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One problem in a source file, reported as ``file:line:col: key: message``."""

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{printable(self.file)}:{self.line}:{self.column}"
        key, message = printable(self.key), printable(self.message)
        return f"{where}: {key}: {message}" if key else f"{where}: {message}"


class PolicyError(OtokuiError):
    """rules.yaml could not be read or is not a valid policy; holds every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.key))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        return [str(p) for p in self.problems] + [f"{count} {noun} in the policy; nothing was built."]


class UsageError(OtokuiError):
    """A command-line mistake, or a file that cannot be opened."""


class TemplateError(OtokuiError):
    """A template failed to compile or render; the message names the file and line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = file, line, message
        where = f"{printable(file)}:{line}" if line else printable(file)
        super().__init__(f"{where}: {printable(message)}")  # one line, whatever the file is called


class BuildError(OtokuiError):
    """The build failed after the policy was read (disk full, folder refused…); the previous output is untouched."""
