"""The locale catalogues: every customer-facing label and sentence, one data file per locale.

``otokui/i18n/locales/<locale>.yaml`` maps a key to a text (``order_number: 注文番号``),
with placeholders in braces that the kit fills (``dear: "{name} 様"``). The files are
read and checked once, on first use: every locale has every key, and each key uses the
same placeholders in every locale. Adding a language is adding a file.

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

if TYPE_CHECKING:
    from otokui.policy.model import Policy

LOCALES_DIR = Path(__file__).parent / "locales"

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
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
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


def locales() -> tuple[str, ...]:
    """The locales that have a catalogue."""
    return tuple(_tables())


def keys() -> tuple[str, ...]:
    """Every label key, in catalogue order."""
    return tuple(next(iter(_tables().values())))


def default(locale: str, key: str) -> str:
    """The kit's own text for ``key`` in ``locale``."""
    return _tables()[locale][key]


def catalogue(locale: str, overrides: Mapping[str, str] | None = None) -> Mapping[str, str]:
    """Every label of ``locale``, with the shop's overrides for that locale applied (read-only)."""
    try:
        table = dict(_tables()[locale])
    except KeyError:
        raise KeyError(f"no catalogue for locale {locale!r} (have: {', '.join(locales())})") from None
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
