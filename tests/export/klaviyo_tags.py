"""Klaviyo's ``lookup`` filter for Django's engine: a profile property by name (None when unset)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None
