"""A new shop from zero: a commented starter ``rules.yaml`` and, on request, copies of the defaults.

:func:`write_starter` writes ``rules.yaml`` with the schema beside it
(``rules.schema.json``, which its first line points at, so editors complete keys
wherever the folder is). :func:`eject` copies the default email templates or
site sources into the folder for a designer to change. Neither overwrites a file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from otokui.defaults import SITE_SRC, TEMPLATES, copy_defaults, default_dir
from otokui.errors import UsageError

STARTER = Path(__file__).resolve().parent / "rules.yaml"
EJECT = {"templates": TEMPLATES, "site": SITE_SRC}


@dataclass(frozen=True)
class Answers:
    """What ``init --interactive`` asks; the defaults are neutral placeholders to replace."""

    shop_ja: str = "私のお店"
    shop_en: str = "My Shop"
    url: str = "https://shop.example.com/"
    email: str = "hello@shop.example.com"


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_answers(answers: Answers) -> None:
    """Refuse answers that would make a policy the loader rejects, with the fix."""
    if not answers.url.startswith("https://"):
        raise UsageError(f"shop url {answers.url!r}: expected an https:// address")
    if not _EMAIL.fullmatch(answers.email):
        raise UsageError(f"contact email {answers.email!r}: expected an address like hello@example.com")
    for label, value in (("shop name (ja)", answers.shop_ja), ("shop name (en)", answers.shop_en)):
        if not value.strip():
            raise UsageError(f"{label}: expected a name")


def starter_text(answers: Answers) -> str:
    """The starter policy with the answers filled in (quoted, so any name is safe YAML)."""
    url = answers.url if answers.url.endswith("/") else answers.url + "/"
    text = STARTER.read_text(encoding="utf-8")
    names = {"__SHOP_JA__": answers.shop_ja, "__SHOP_EN__": answers.shop_en}
    for token, value in names.items():
        text = text.replace(token, json.dumps(value.strip(), ensure_ascii=False))
    return text.replace("__URL__", url).replace("__EMAIL__", answers.email)


def write_starter(directory: Path, answers: Answers | None = None) -> list[Path]:
    """Write ``rules.yaml`` and ``rules.schema.json`` into ``directory``; the files written."""
    from otokui.policy.schema import schema

    answers = answers or Answers()
    check_answers(answers)
    policy, schema_file = directory / "rules.yaml", directory / "rules.schema.json"
    for path in (policy, schema_file):
        if path.exists():
            raise UsageError(f"{path}: already exists; nothing was written (init never overwrites a file)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        schema_file.write_text(json.dumps(schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        policy.write_text(starter_text(answers), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{directory}: cannot write the starter policy ({error.strerror})") from None
    return [policy, schema_file]


def eject(directory: Path, what: str) -> list[Path]:
    """Copy the default ``templates`` or ``site`` sources into ``directory``; the files written."""
    name = EJECT[what]
    target = directory / name
    if target.exists():
        raise UsageError(f"{target}: already exists; nothing was copied (move it away to eject again)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return copy_defaults(name, default_dir(name), target)
    except OSError as error:
        raise UsageError(f"{target}: cannot copy the defaults ({error.strerror})") from None
