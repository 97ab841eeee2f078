"""``docs/wording.md``: every label of the catalogue, its placeholders and its text per locale.

Run ``python -m otokui.i18n.docs > docs/wording.md`` (``make docs`` does).
"""

from __future__ import annotations

from otokui.i18n.catalogue import catalogue, keys, locales, placeholders_in

INTRO = """\
# Wording: every label, and how to use your own

Every word a customer reads that does not come from your rules.yaml — labels such as
「注文番号」, the sentences of the member pages, the checkout notices — comes from the kit's
locale catalogue (`otokui/i18n/locales/<locale>.yaml`). Replace any of them, per locale,
under `wording.labels` in rules.yaml:

```yaml
wording:
  labels:
    review_text: {ja: 器の使い心地を、ぜひお聞かせください。, en: We would love to hear how the pieces feel in use.}
    order_number: {ja: ご注文番号}        # English keeps the kit's text
    tracking_button: Track your parcel     # one text for every locale
```

A label may use only the placeholders listed for it (the kit fills them); an unknown key or
placeholder stops the build with the line, the column and the closest key. To add a language,
add a catalogue file with every key below.

| key | placeholders | """


def render() -> str:
    tables = {locale: catalogue(locale) for locale in locales()}
    head = INTRO + " | ".join(locales()) + " |\n|" + " --- |" * (2 + len(tables)) + "\n"
    rows = []
    for key in keys():
        names = ", ".join("`{" + n + "}`" for n in sorted(placeholders_in(tables[locales()[0]][key])))
        cells = [tables[locale][key].replace("|", "\\|") or "(empty)" for locale in tables]
        rows.append(f"| `{key}` | {names} | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render())
