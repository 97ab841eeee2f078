"""Exported templates read as their platform reads them: balanced tags, known fields.

## What it does
Reads every file under `export/<target>/` in the target's own syntax
(Liquid for `shopify`, Twig for `ec-cube`, Klaviyo's Django-style tags,
`[TAG]` for `makeshop`, `$TAG$` for `futureshop`) and reports, with file and
line: a block tag without its end (`{% if %}` … no `{% endif %}`) or an end
without its start, `else` / `elsif` / `when` outside their block, an
unterminated `{{` or `{%`, an unknown tag, a field the platform's objects do
not have (`Ordr.name01`), a cart tag the cart does not document
(`[SENDR_NAME]`), and an otokui field token left in the file. The tags and
fields a target intends are not leftovers: OT1102 does not read these files.
Text inside `raw`, `verbatim` and `comment` is not read.

## Why
Guideline 11: a platform refuses to save a template with a syntax error
(Shopify), or sends "Dear  様" with an empty field, or the raw tag itself, to
every customer. Each branch of an exported template is the email otokui
renders and checks under `emails/` for that variant; this rule makes sure the
platform can read the branches.

## Example
Fail:
```liquid
{% if otk_tier == 'first' %}<p>{{ custmer.first_name | escape }} 様</p>
```
Pass:
```liquid
{% if otk_tier == 'first' %}<p>{{ customer.first_name | escape }} 様</p>{% endif %}
```
"""

from __future__ import annotations

from collections.abc import Iterable

from otokui.export.syntax import TAG_CARTS, Memo, cart_file_is_clean, problems, target_of
from otokui.lint.finding import Hit
from otokui.lint.rule import Batch, Options, Output, Rule


class ExportTemplateSyntax(Rule):
    __doc__ = __doc__
    id = "OT1105"
    name = "export-template-syntax"
    level = "error"

    def reads_source(self, output: Output) -> bool:
        """Every exported template, but a tag cart's file found clean in its bytes (never decoded or read again)."""
        target = target_of(output.path)
        if target is None or output.path.endswith(".json"):
            return False
        artifact = output.artifact
        return not (target in TAG_CARTS and artifact.source is None and cart_file_is_clean(artifact.data, target))

    def check_batch(self, batch: Batch, options: Options) -> Iterable[Hit]:
        hint = "Rebuild the export, or fix the tag by hand in the platform's own syntax."
        memo: Memo = {}  # the files of a target share most of their lines: each is read once
        for output in batch.outputs:
            target = target_of(output.path)
            if target is None or output.path.endswith(".json") or not output.kept:
                continue  # not exported, or a file with nothing to report (see reads_source)
            for offset, message in problems(output.source, target, memo):
                yield Hit(message, hint, offset, path=output.path)
