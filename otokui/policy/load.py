"""rules.yaml → a validated :class:`Policy`, or every problem at once.

Structural problems come from pydantic and are rewritten into the form a
shop owner can act on: ``rules.yaml:12:5: membership.ranks[1].threshold.spend:
expected a whole number, got 'abc'``. Problems that look across the policy
come from :mod:`otokui.policy.semantics`. Both are gathered before anything
is raised.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from otokui.errors import PolicyError, Problem, UsageError, printable
from otokui.i18n.catalogue import PROJECT_DIR, read_project
from otokui.i18n.catalogue import locales as catalogue_locales
from otokui.policy import cost, files, safety, semantics
from otokui.policy.model import Policy
from otokui.policy.semantics import suggest
from otokui.policy.source import MAX_BYTES, Document, Positions, dotted, read
from otokui.policy.text import LOCALES
from otokui.policy.yamlhelp import comma_help, comment_help

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "url_type": "an address (https://…)",
    "url_parsing": "an absolute address (https://…)",
    "url_scheme": "an https:// address",
}


def describe(value: Any) -> str:
    """How a YAML value reads to a shop owner: ``'abc'``, ``a list``, ``nothing``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """The keys allowed in the mapping at ``path`` (for 'did you mean')."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    """The BaseModel class inside ``X``, ``X | None`` or ``list[X]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _message(error: dict[str, Any], path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "invalid_key":
        return f"a key must be a text, got {describe(value)} (put it in quotes)"
    if kind == "extra_forbidden":
        key = str(path[-1])
        return f"unknown key{suggest(key, _fields_at(Policy, path[:-1]))}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = suggest(str(value), [e.strip(" '") for e in expected.replace(" or ", ", ").split(",")])
        return f"expected one of {expected}, got {describe(value)}{hint}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"{describe(value)} is not in the expected form ({_pattern_hint(path)})"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{error['msg'].replace('Input should be', 'expected a value')}, got {describe(value)}"
    if kind in ("too_short", "too_long"):
        return str(error["msg"]).replace("List should have", "expected").replace("Value should have", "expected")
    return f"{error['msg']}, got {describe(value)}"


def _pattern_hint(path: tuple[str | int, ...]) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if last in ("primary_color", "accent_color", "badge"):
        return "a colour like '#5b4030'"
    if last == "email":
        return "an e-mail address"
    if last == "phone":
        return "digits, spaces, +, - and ()"
    return "lower-case letters, digits and _, starting with a letter"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union tags (``str``, ``Text``…) from an error location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (part[:1].isupper() or part in ("str", "int", "float", "bool", "function-after")):
            continue
        out.append(part)
    return tuple(out)


def structural_problems(
    error: ValidationError, positions: Positions, file: str, text: str = "", data: Any = None
) -> list[Problem]:
    problems: dict[tuple[str, str], Problem] = {}
    for item in error.errors():
        if item["type"] == "text_key":  # a key of a Text that names no locale: an unknown key of that text
            ctx = item.get("ctx") or {}
            item = {
                **item,
                "type": "extra_forbidden",
                "loc": (*item["loc"], ctx.get("key", "")),
                "input": ctx.get("input"),
            }
        path = _clean_loc(tuple(item["loc"]))
        if item["type"] == "missing":
            line, column = positions.of(path[:-1], key=True)
        else:
            line, column = positions.of(path, key=item["type"] == "extra_forbidden")
        key, message = dotted(path), _message(dict(item), path)
        explained = _explain(item, path, line, text, data)
        if explained is not None:
            key, message = explained
        problem = Problem(file, line, column, key, message)
        problems.setdefault((problem.key, problem.message), problem)
    return list(problems.values())


def _explain(item: Any, path: tuple[str | int, ...], line: int, text: str, data: Any) -> tuple[str, str] | None:
    """The owner's mistake behind a structural error, when the YAML source shows it (see yamlhelp)."""
    if not text:
        return None
    if item["type"] == "extra_forbidden" and item.get("input") is None and _is_text(path[:-1]):
        parent = _at(data, path[:-1])
        keys = list(parent) if isinstance(parent, dict) else []
        bogus = str(path[-1])
        previous = keys[keys.index(bogus) - 1] if bogus in keys and keys.index(bogus) > 0 else None
        where = dotted((*path[:-1], previous)) if previous else dotted(path[:-1])
        return where, comma_help(bogus, previous)
    if item.get("input") is None and item["type"] != "missing":
        explained = comment_help(text, line, path)
        if explained is not None:
            return dotted(path), explained
    return None


def _is_text(path: tuple[str | int, ...]) -> bool:
    return sorted(_fields_at(Policy, path)) == sorted(LOCALES)


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def parse(doc: Document, file: str, base: Path | None = None) -> Policy:
    """Validate parsed YAML into a Policy; raise PolicyError with every problem.

    Image files the policy names are looked for in ``base`` (default: the folder of ``file``), and the
    Policy returned names them by their absolute path. The shop's own locale catalogues are read from
    ``base/locales/`` and carried by the Policy.
    """
    if not isinstance(doc.data, dict):
        raise PolicyError([Problem(file, 1, 1, "", f"expected a mapping of keys to values, got {describe(doc.data)}")])
    folder = base if base is not None else Path(file).parent
    own, broken = read_project(folder / PROJECT_DIR)
    catalogue_problems = [Problem(str(path), line, 1, "", message) for path, line, message in broken]
    known = (*catalogue_locales(), *own)
    try:
        policy = Policy.model_validate(doc.data, context={"locales": tuple(own)})
    except ValidationError as exc:
        problems = structural_problems(exc, doc.positions, file, doc.text, doc.data)
        problems += [
            Problem(file, *doc.positions.of(path), dotted(path), message)
            for path, message in [*semantics.check_raw(doc.data), *safety.check(doc.data)]
        ]
        raise PolicyError(catalogue_problems + problems) from None
    found = [
        Problem(file, *doc.positions.of(path), dotted(path), message)
        for path, message in [
            *semantics.check_locales(policy, known),
            *semantics.check(policy, known),
            *files.check(policy, folder),
        ]
    ]
    if not found and not catalogue_problems:  # what the policy costs is only worth counting once it makes sense
        found = [
            Problem(file, *doc.positions.of(path, key=True), dotted(path), message)
            for path, message in cost.check(policy)
        ]
    if found or catalogue_problems:
        raise PolicyError(catalogue_problems + found)
    policy = files.resolved(policy, folder)
    policy._catalogues = {locale: own[locale] for locale in policy.shop.locales if locale in own}
    return policy


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the policy file at ``path``, read only if it is a regular file of at most ``limit`` bytes.

    Devices (``/dev/zero``), FIFOs and sockets are refused before a byte is
    read (a FIFO is opened without waiting for a writer), and so is a file whose
    size is over the limit; a file that grows while it is read (``/proc``) is
    cut off at the limit and refused.
    """
    shown = printable(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such policy file (pass --policy PATH)") from None
    except IsADirectoryError:
        raise UsageError(f"{shown}: is a folder, not a policy file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read the policy file ({exc.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{shown}: is a folder, not a policy file")
        raise UsageError(f"{shown}: is not a regular file (a device, FIFO or socket); pass a policy file")
    with os.fdopen(fd, "rb") as handle:
        too_big = Problem(str(path), 1, 1, "", f"file is over {limit:,} bytes; a policy may be at most {limit:,}")
        if info.st_size > limit:
            raise PolicyError([too_big])
        try:
            os.set_blocking(fd, True)
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise UsageError(f"{shown}: cannot read the policy file ({exc.strerror})") from None
        if len(raw) > limit:
            raise PolicyError([too_big])
        return raw


def load_with_positions(path: Path) -> tuple[Policy, Positions]:
    """The policy at ``path`` and the positions of its keys (for findings against rules.yaml)."""
    raw = read_bounded(path)
    doc = read(raw, str(path))
    return parse(doc, str(path)), doc.positions


def load_policy(path: Path) -> Policy:
    """Read and validate the policy file at ``path``; raise PolicyError with every problem."""
    return load_with_positions(path)[0]
