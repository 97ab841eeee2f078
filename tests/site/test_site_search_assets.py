"""The search scripts a built site publishes: what its search languages need, and nothing else."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from otokui.site import build_site
from otokui.site.search import LUNR, worker_scripts
from tests.site.site_variants import RULES, SITE_SRC, BuiltSite, example_data, make_policy

JA_EN = {
    "tinyseg.js",
    "min/lunr.ja.min.js",
    "min/lunr.multi.min.js",
    "min/lunr.stemmer.support.min.js",
}


def published_scripts(site: Path) -> set[str]:
    folder = site / LUNR
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


@pytest.mark.parametrize("root", ["", "en/"])
def test_each_locale_publishes_the_japanese_and_english_search_scripts_only(
    surprise_site: BuiltSite, root: str
) -> None:
    assert published_scripts(surprise_site.out / root) == JA_EN


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["en"], set()),
        (["ja"], {"tinyseg.js", "min/lunr.ja.min.js", "min/lunr.stemmer.support.min.js"}),
        (["th"], {"wordcut.js", "min/lunr.th.min.js", "min/lunr.stemmer.support.min.js"}),
        (
            ["hi", "th"],
            {
                "wordcut.js",
                "min/lunr.hi.min.js",
                "min/lunr.th.min.js",
                "min/lunr.multi.min.js",
                "min/lunr.stemmer.support.min.js",
            },
        ),
        (["de", "en"], {"min/lunr.de.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}),
        ([], set()),
    ],
)
def test_worker_scripts_follow_the_search_languages(languages: list[str], expected: set[str]) -> None:
    assert worker_scripts(languages) == {LUNR + script for script in expected}


def test_the_rule_is_the_one_materials_search_worker_follows() -> None:
    """Material's worker (as installed) loads exactly the scripts otokui.site.search describes."""
    import material

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    (worker,) = [p for p in workers.glob("search.*.min.js")]
    source = worker.read_text(encoding="utf-8")
    loading = re.search(r"let e=\"\.\./lunr\".*?importScripts\([^)]*\)", source, re.DOTALL)
    assert loading is not None, "Material's search worker no longer loads lunr's languages as expected"
    code = loading.group(0)
    for piece in (
        'case"ja":r.push(`${e}/tinyseg.js`)',
        'case"hi":case"th":r.push(`${e}/wordcut.js`)',
        'n!=="en"&&r.push(`${e}/min/lunr.${n}.min.js`)',
        "t.lang.length>1&&r.push(`${e}/min/lunr.multi.min.js`)",
        "r.length&&(yield importScripts(`${e}/min/lunr.stemmer.support.min.js`,...r)",
    ):
        assert piece in code, piece
    assert code.count("case") == 3, code  # no other language brings a script of its own


def _site_with_search(tmp_path: Path, lang: str) -> Path:
    src = tmp_path / "site_src"
    shutil.copytree(SITE_SRC, src, ignore=shutil.ignore_patterns("docs"))
    config = src / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "lang: [ja, en]" in text
    config.write_text(text.replace("lang: [ja, en]", f"lang: {lang}"), encoding="utf-8")
    out = tmp_path / "site"
    build_site(make_policy(example_data()), RULES, src, out)
    return out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("[en]", set()),
        ("[de, en]", {"min/lunr.de.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}),
    ],
)
def test_other_search_languages_publish_their_own_scripts(tmp_path: Path, lang: str, expected: set[str]) -> None:
    out = _site_with_search(tmp_path, lang)
    for root in ("", "en/"):
        assert published_scripts(out / root) == expected, root
        assert (out / root / "assets/javascripts/workers").is_dir()  # the search worker itself stays
