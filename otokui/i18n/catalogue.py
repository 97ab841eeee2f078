"""The locale catalogues: every customer-facing label and sentence, one data file per locale.

``otokui/i18n/locales/<locale>.yaml`` maps a key to a text (``order_number: 注文番号``),
with placeholders in braces that the kit fills (``dear: "{name} 様"``). The files are
read and checked once, on first use: every locale has every key, and each key uses the
same placeholders in every locale. Adding a language is adding a file: to otokui itself, or
to the shop's own ``locales/`` folder beside rules.yaml (:data:`PROJECT_DIR`), read by the policy
loader (:func:`read_project`, every missing or unknown key named) and carried by the Policy, so the
shop's ``shop.locales`` may name it.

A shop overrides any entry per locale in rules.yaml::

    wording:
      labels:
        review_text: {ja: ご感想をお聞かせください。, en: Tell us what you thought.}

:func:`check_overrides` is what the policy loader reports about such overrides
(unknown key with "did you mean", a placeholder the kit cannot fill);
:func:`catalogue` applies them.

This module imports only :mod:`otokui.placeholders` at run time, so the policy loader may use it.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import yaml

from otokui import placeholders
from otokui.policy.source import safe_load

if TYPE_CHECKING:
    from otokui.policy.model import Policy

LOCALES_DIR = Path(__file__).parent / "locales"
#: The folder beside rules.yaml where a shop keeps catalogues of its own (``locales/fr.yaml``).
PROJECT_DIR = "locales"
#: What a locale's file name may be: a language code, optionally with a region (``fr``, ``pt-BR``).
LOCALE_NAME = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"

Found = list[tuple[tuple[str | int, ...], str]]


class CatalogueError(ValueError):
    """A catalogue file is unreadable or disagrees with the others (a packaging mistake, not the shop's)."""


def placeholders_in(text: str) -> frozenset[str]:
    """The placeholder names in ``text``."""
    return frozenset(placeholders.placeholders_in(text))


def fill(text: str, **values: str | int) -> str:
    """``text`` with each ``{name}`` replaced in one pass; a name without a value is left as it is."""
    return placeholders.substitute(text, values, keep_unknown=True)


def read_catalogues(directory: Path) -> dict[str, dict[str, str]]:
    """Every ``<locale>.yaml`` in ``directory``, checked against each other; :class:`CatalogueError` if not."""
    tables: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise CatalogueError(f"{path.name}: cannot read the catalogue ({error})") from None
        if not isinstance(data, dict):
            raise CatalogueError(f"{path.name}: expected a mapping of keys to texts")
        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise CatalogueError(f"{path.name}: {key}: expected a text, got {type(value).__name__}")
        tables[path.stem] = data
    if not tables:
        raise CatalogueError(f"{directory}: no catalogue files")
    problems: list[str] = []
    reference_locale = "en" if "en" in tables else next(iter(tables))
    reference = tables[reference_locale]
    for locale, table in tables.items():
        for key in sorted(reference.keys() - table.keys()):
            problems.append(f"{locale}.yaml: {key}: missing ({reference_locale}.yaml has it)")
        for key in sorted(table.keys() - reference.keys()):
            problems.append(f"{locale}.yaml: {key}: not in {reference_locale}.yaml")
        for key in sorted(table.keys() & reference.keys()):
            mine, theirs = placeholders_in(table[key]), placeholders_in(reference[key])
            if mine != theirs:
                problems.append(
                    f"{locale}.yaml: {key}: placeholders {_braces(mine)} differ from {reference_locale}.yaml's"
                    f" {_braces(theirs)}"
                )
    if problems:
        raise CatalogueError("\n".join(problems))
    return tables


def _braces(names: frozenset[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names)) or "none"


@functools.cache
def _tables() -> dict[str, dict[str, str]]:
    return read_catalogues(LOCALES_DIR)


#: Catalogues of shops' own (``locales/`` beside rules.yaml), registered as their policies are used.
_PROJECT: dict[str, dict[str, str]] = {}


def _all() -> dict[str, dict[str, str]]:
    return {**_PROJECT, **_tables()} if _PROJECT else _tables()


def locales(policy: Policy | None = None) -> tuple[str, ...]:
    """The locales that have a catalogue: otokui's own, and those of ``policy``'s shop."""
    own = tuple(_tables())
    if policy is None:
        return own
    return own + tuple(locale for locale in project_tables(policy) if locale not in own)


def project_tables(policy: Policy) -> dict[str, dict[str, str]]:
    """The shop's own catalogues that the loader read beside rules.yaml (registered for :func:`catalogue`)."""
    tables: dict[str, dict[str, str]] = getattr(policy, "_catalogues", None) or {}
    for locale, table in tables.items():
        if _PROJECT.get(locale) is not table:
            _PROJECT[locale] = table
    return tables


def read_project(folder: Path) -> tuple[dict[str, dict[str, str]], list[tuple[Path, int, str]]]:
    """The shop's own catalogues in ``folder`` and what is wrong with them, as ``(file, line, message)``.

    Each file must have every key of otokui's English catalogue, no other key, and the same
    placeholders; a locale otokui already has cannot be redefined (override its labels under
    ``wording.labels`` instead).
    """
    import re

    tables: dict[str, dict[str, str]] = {}
    problems: list[tuple[Path, int, str]] = []
    if not folder.is_dir():
        return tables, problems
    package = _tables()
    reference = package["en"]
    for path in sorted(folder.glob("*.yaml")):
        locale = path.stem
        if not re.match(LOCALE_NAME, locale):
            problems.append((path, 1, f"{path.name}: name the file after its language code (fr.yaml, pt-BR.yaml)"))
            continue
        if locale in package:
            problems.append(
                (path, 1, f"otokui has a {locale!r} catalogue already; change its words under wording.labels instead")
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
            data = safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            problems.append((path, 1, f"cannot read the catalogue ({str(error).splitlines()[0]})"))
            continue
        if not isinstance(data, dict):
            problems.append((path, 1, "expected a mapping of label keys to texts"))
            continue

        def line(key: str, text: str = text) -> int:
            match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
            return text.count("\n", 0, match.start()) + 1 if match else 1

        table: dict[str, str] = {}
        for key, value in data.items():
            key = str(key)
            if key not in reference:
                match = difflib.get_close_matches(key, list(reference), n=1, cutoff=0.6)
                hint = f" (did you mean {match[0]!r}?)" if match else ""
                problems.append((path, line(key), f"{key}: not a label of otokui{hint}"))
            elif not isinstance(value, str):
                problems.append((path, line(key), f"{key}: expected a text, got {type(value).__name__}"))
            elif placeholders_in(value) != placeholders_in(reference[key]):
                problems.append(
                    (
                        path,
                        line(key),
                        f"{key}: placeholders {_braces(placeholders_in(value))} differ from en.yaml's"
                        f" {_braces(placeholders_in(reference[key]))}",
                    )
                )
            else:
                table[key] = value
        missing = [key for key in reference if key not in data]
        if missing:
            shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
            problems.append((path, 1, f"{len(missing)} labels missing: {shown} (copy them from otokui's en.yaml)"))
        tables[locale] = table
    return tables, problems


def keys() -> tuple[str, ...]:
    """Every label key, in catalogue order."""
    return tuple(next(iter(_tables().values())))


def default(locale: str, key: str) -> str:
    """The kit's own text for ``key`` in ``locale``."""
    return _all()[locale][key]


def catalogue(locale: str, overrides: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """Every label of ``locale``, with the shop's overrides for that locale applied (read-only)."""
    try:
        table = dict(_all()[locale])
    except KeyError:
        raise KeyError(f"no catalogue for locale {locale!r} (have: {', '.join(_all())})") from None
    if overrides:
        unknown = overrides.keys() - table.keys()
        if unknown:
            raise KeyError(f"unknown label {sorted(unknown)[0]!r}")
        table.update(overrides)
    return MappingProxyType(table)


def overrides_for(policy: Policy, locale: str) -> dict[str, str]:
    """The shop's ``wording.labels`` texts for ``locale`` (a label written for some locales only keeps the rest)."""
    found: dict[str, str] = {}
    for key, text in policy.wording.labels.items():
        value = getattr(text, locale, None)
        if isinstance(value, str):
            found[key] = value
    return found


_FOR_POLICY: dict[tuple[int, str], tuple[object, Mapping[str, str]]] = {}


def for_policy(policy: Policy, locale: str) -> Mapping[str, str]:
    """The labels a shop's customers read in ``locale``: the catalogue with the shop's ``wording.labels``."""
    key = (id(policy.wording), locale)
    cached = _FOR_POLICY.get(key)
    if cached is not None and cached[0] is policy.wording:
        return cached[1]
    project_tables(policy)
    table = catalogue(locale, overrides_for(policy, locale))
    if len(_FOR_POLICY) > 64:
        _FOR_POLICY.clear()
    _FOR_POLICY[key] = (policy.wording, table)
    return table


def check_overrides(labels: object) -> Found:
    """What is wrong with a policy's ``wording.labels`` mapping, as ``(path, message)`` pairs."""
    found: Found = []
    if not isinstance(labels, dict):
        return found
    known = keys()
    tables = _tables()
    for key, value in labels.items():
        path: tuple[str | int, ...] = ("wording", "labels", str(key))
        if key not in known:
            match = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f" (did you mean {match[0]!r}?)" if match else ""
            found.append((path, f"unknown label{hint}; every label is listed in docs/wording.md"))
            continue
        texts = {locale: value for locale in tables} if isinstance(value, str) else value
        if not isinstance(texts, dict):
            continue
        for locale, text in texts.items():
            if not isinstance(text, str) or locale not in tables:
                continue
            allowed = placeholders_in(tables[locale][key])
            for name in sorted(placeholders_in(text) - allowed):
                where = path if isinstance(value, str) else (*path, locale)
                message = f"{{{name}}} cannot be filled here; available: {_braces(allowed)}"
                if (where, message) not in found:
                    found.append((where, message))
    return found
