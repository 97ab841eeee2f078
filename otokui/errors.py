"""The exceptions a user sees. Each carries the exit code the command line uses.

Library code raises these; only :mod:`otokui.cli` prints them and exits.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class OtokuiError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = EXIT_USAGE

    def lines(self) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One problem in a source file, reported as ``file:line:col: key: message``."""

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


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
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class BuildError(OtokuiError):
    """The build failed after the policy was read; the previous output is untouched."""

    exit_code = EXIT_FINDINGS
