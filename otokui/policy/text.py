"""Localised text: one string per locale, written ``{ja: …, en: …}`` in rules.yaml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

#: The locales every Text names as keys of its own (otokui's catalogues); a shop's own catalogue adds more.
LOCALES: tuple[str, ...] = ("ja", "en")
#: A key of a Text that may name a locale (which ones have catalogues, the loader checks).
LOCALE_KEY = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"


class Text(BaseModel):
    """A text in each of the shop's locales.

    A plain string is accepted too and stands for the same text in every locale
    (handy for names and numbers that do not change between languages).
    """

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        json_schema_extra={
            "description": "A text per locale, e.g. {ja: …, en: …}, or one string for all locales.",
            "additionalProperties": {"type": "string"},
        },
    )

    ja: str | None = None
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any, info: ValidationInfo) -> Any:
        """A plain string stands for every locale: otokui's, and the shop's own (the loader's context)."""
        if isinstance(value, str):
            extra = (info.context or {}).get("locales", ()) if info is not None else ()
            return {locale: value for locale in (*LOCALES, *extra)}
        if isinstance(value, dict):
            for key, text in value.items():
                if key in LOCALES:
                    continue
                if not isinstance(key, str) or not isinstance(text, str) or not re.match(LOCALE_KEY, key):
                    # reported by the loader as an unknown key of the text (a comma in a flow mapping, a typo)
                    raise PydanticCustomError("text_key", "not a locale", {"key": str(key), "input": text})
        return value

    def get(self, locale: str) -> str:
        """The text in ``locale``; the loader has made sure every shop locale is present."""
        value = getattr(self, locale, None)
        if value is None:
            raise KeyError(f"no {locale!r} text")
        return str(value)

    def locales(self) -> list[str]:
        """The locales this text is written in."""
        return [locale for locale, value in self.model_dump().items() if value is not None]

    def missing(self, locales: Sequence[str]) -> list[str]:
        return [locale for locale in locales if getattr(self, locale, None) in (None, "")]
