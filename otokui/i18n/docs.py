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
placeholder stops the build with the line, the column and the closest key.

## Adding a language

A language is one catalogue file. Put `locales/<code>.yaml` beside rules.yaml (`fr.yaml`,
`pt-BR.yaml`) with every key below, in the same form as otokui's `en.yaml` (copy it and
translate), name the locale in `shop.locales`, and give each text of rules.yaml a text in it
(`name: {ja: …, en: …, fr: …}`):

```yaml
shop:
  locales: [ja, en, fr]
checks:
  phrases:
    guest_checkout: {fr: [invité]}   # the checker's phrase lists are per language: teach it yours
```

The loader checks the file: a key missing is named (`locales/fr.yaml:1:1: 12 labels missing:
…`), an unknown key gets "did you mean", a text whose placeholders differ from `en.yaml`'s is
refused, each at its line; a locale with no catalogue, or a text written in an unknown locale
(`{ja: …, em: …}`), is reported in rules.yaml with the closest locale. Dates follow the
catalogue's `date_long` and `month_names`; amounts are written with the currency sign first
(`€19.50`). A catalogue otokui ships itself (ja, en) is changed under `wording.labels`, not
replaced. The member site is built in the new language too (its folder is `site/<code>/`);
Material must know the language code for its interface strings.

## Every label

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
