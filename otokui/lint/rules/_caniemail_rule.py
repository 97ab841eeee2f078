"""What OT1301 and OT1302 share: which features degrade gracefully, and the check itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.caniemail import described, features
from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule

#: Features whose lack in a client loses neither content nor layout: the client
#: simply ignores them. Email frameworks (MJML among them) use them on purpose.
GRACEFUL: tuple[str, ...] = (
    # decoration
    "css-border-radius",
    "css-box-shadow",
    "css-opacity",
    "css-outline",
    "css-cursor",
    "css-text-shadow",
    "css-word-spacing",
    "css-letter-spacing",
    "css-white-space",
    "css-word-break",
    "css-border-spacing",
    "css-text-decoration",
    "css-text-transform",
    # progressive enhancement: small screens, dark mode, priorities
    "css-at-media",
    "css-at-media-prefers-color-scheme",
    "css-color-scheme",
    "css-important",
    # hiding the preheader (several techniques are used together)
    "css-display-none",
    "css-max-height",
    "css-overflow",
    # sizing hints, accessibility and link attributes that are dropped harmlessly
    "css-height",
    "css-max-width",
    "html-role",
    "html-aria-label",
    "html-aria-hidden",
    "html-aria-labelledby",
    "html-aria-describedby",
    "html-lang",
    "html-dir",
    "html-target",
    # document structure: clients that drop <style> or <body> fall back to the inline styles
    "html-style",
    "html-body",
)


class CaniemailRule(Rule):
    flag: ClassVar[str]  # "n" or "a"
    verb: ClassVar[str]
    surfaces = ("email",)
    options: ClassVar[dict[str, OptionValue]] = {"graceful": GRACEFUL}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        known = features()
        clients = output.batch.config.clients
        skip = set(options.strings("graceful"))
        for slug, offset in output.features.items():
            if slug in skip:
                continue
            feature = known[slug]
            where, notes = described(slug, clients, self.flag)
            if where:
                hint = " ".join([*notes, feature.url]).strip()
                yield Hit(f"'{feature.title}' is {self.verb} in {where}", hint, offset)
