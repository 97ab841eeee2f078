"""The search scripts a built site publishes: those Material's search worker loads for its languages.

Material ships lunr's language support for some 30 languages in
``assets/javascripts/lunr/``, and MkDocs would copy all of them into every
locale of the site. The search worker only ever fetches the ones for the
languages the search plugin is configured with (``plugins: search: lang:``,
written into the search index). For each language it loads
(``assets/javascripts/workers/search.*.min.js``, Material 9):

- ``lunr/tinyseg.js`` for ``ja`` (the word segmenter ``lunr.ja`` needs);
- ``lunr/wordcut.js`` for ``hi`` and ``th``;
- ``lunr/min/lunr.<lang>.min.js`` for every language but ``en`` (built into lunr);
- ``lunr/min/lunr.multi.min.js`` when there is more than one language;
- ``lunr/min/lunr.stemmer.support.min.js`` whenever it loads any of the above.

A site without search (the plugin disabled) loads none of them.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Where Material keeps lunr and its language support, in the theme and in the built site.
LUNR = "assets/javascripts/lunr/"

_SEGMENTERS = {"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}


def worker_scripts(languages: Iterable[str]) -> frozenset[str]:
    """The files below :data:`LUNR` the search worker loads for ``languages``, as paths in the site."""
    langs = list(languages)
    scripts: set[str] = set()
    for lang in langs:
        if lang in _SEGMENTERS:
            scripts.add(_SEGMENTERS[lang])
        if lang != "en":
            scripts.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        scripts.add("min/lunr.multi.min.js")
    if scripts:
        scripts.add("min/lunr.stemmer.support.min.js")
    return frozenset(LUNR + script for script in scripts)


def unused(src_uri: str, needed: frozenset[str]) -> bool:
    """Whether ``src_uri`` (a theme file) is a lunr script the search worker does not load."""
    return src_uri.startswith(LUNR) and src_uri not in needed
