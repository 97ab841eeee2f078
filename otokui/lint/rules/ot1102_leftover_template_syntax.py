"""No template syntax or empty values are left in what customers see.

## What it does
Looks in the visible text, the `<title>` and the attributes customers can see
or follow (`href`, `src`, `alt`, `title`) for leftovers of templating: `{{`,
`}}`, `{%`, `%}`, `{name}` placeholders; other platforms' merge tags
(Mailchimp `*|MC:SUBJECT|*`, `[[HEADLINE]]`, `%%FirstName%%`, `${name}`,
`<%= %>`); bracketed placeholder text (`[Sender_Name]`, `[Product Name]`,
`[First name]`); and the words in `words` (by default `None`, `undefined`,
`NaN`, matched as whole words, case-sensitively).

## Why
Guideline 11: "Dear {name}" or "Your order None" tells the customer that
nobody looked at the email before it was sent.

## Options
- `words` (default `[None, undefined, NaN]`): whole words that mark a missing value.

## Example
Fail:
```html
<p>{name} 様、ご注文番号 None を承りました。</p>
```
Pass:
```html
<p>山田 花子 様、ご注文番号 KC-10234 を承りました。</p>
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule

_PLACEHOLDER_WORDS = (
    "Name|Product|Sender|Company|Address|Date|Link|URL|Url|Title|Headline|Subject|Email|Phone|Number|Code|Price|City"
)
_SYNTAX = "|".join(
    (
        r"\{\{|\}\}|\{%|%\}|\{[A-Za-z_][A-Za-z0-9_.]*\}",  # Jinja, Liquid, Twig, Handlebars; {name}
        r"\*\|[A-Za-z0-9_:]+\|\*",  # Mailchimp *|MC:SUBJECT|*, *|FNAME|*
        r"\[\[[^\[\]\n]{1,40}\]\]",  # [[HEADLINE]]
        r"%%=?[A-Za-z_][A-Za-z0-9_.]*=?%%",  # Salesforce Marketing Cloud %%FirstName%%
        r"\$\{[A-Za-z_][A-Za-z0-9_.]*\}",  # ${name}
        r"<%=?",  # ERB and ASP
        # a bracketed placeholder: [Sender_Name], [SENDER NAME], [Product Name], [First name]
        rf"\[(?:[A-Za-z]+[ _])*(?:{_PLACEHOLDER_WORDS}|{_PLACEHOLDER_WORDS.upper()}|name)(?:[ _][A-Za-z]+)*\]",
    )
)
ATTRIBUTES = ("href", "src", "alt", "title")


class LeftoverTemplateSyntax(Rule):
    __doc__ = __doc__
    id = "OT1102"
    name = "leftover-template-syntax"
    level = "error"
    options: ClassVar[dict[str, OptionValue]] = {"words": ("None", "undefined", "NaN")}

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        words = "|".join(re.escape(word) for word in options.strings("words"))
        pattern = re.compile(_SYNTAX + (rf"|(?<![\w-])(?:{words})(?![\w-])" if words else ""))
        hint = "Check the placeholder names in rules.yaml and the template's variables."
        for match in pattern.finditer(output.text):
            yield Hit(f"leftover template text '{match.group(0)}'", hint, output.at(match.start()))
        doc = output.doc
        for title in doc.find("title"):
            for run in doc.runs:
                if run.element == title.index:
                    for match in pattern.finditer(run.text):
                        yield Hit(
                            f"leftover template text '{match.group(0)}' in the title", hint, run.offsets[match.start()]
                        )
        for element in doc.elements:
            if element.in_head:
                continue
            for attribute in ATTRIBUTES:
                value = element.get(attribute)
                if value and (found := pattern.search(value)):
                    yield Hit(
                        f"leftover template text '{found.group(0)}' in {attribute}=\"{value[:60]}\"",
                        hint,
                        element.attr_offset(output.source, attribute),
                    )
