"""Localised text: one string per locale, written ``{ja: …, en: …}`` in rules.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

LOCALES: tuple[str, ...] = ("ja", "en")


class Text(BaseModel):
    """A text in each of the shop's locales.

    A plain string is accepted too and stands for the same text in every locale
    (handy for names and numbers that do not change between languages).
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"description": "A text per locale, e.g. {ja: …, en: …}, or one string for all locales."},
    )

    ja: str | None = None
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {locale: value for locale in LOCALES}
        return value

    def get(self, locale: str) -> str:
        """The text in ``locale``; the loader has made sure every shop locale is present."""
        value = getattr(self, locale, None)
        if value is None:
            raise KeyError(f"no {locale!r} text")
        return str(value)

    def missing(self, locales: Sequence[str]) -> list[str]:
        return [locale for locale in locales if getattr(self, locale, None) in (None, "")]
