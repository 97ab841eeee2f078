"""Compiled phrases are kept in the project's cache folder: a second run reads them instead of compiling.

Each run is a fresh interpreter, as a real ``check`` is; what it compiled is compared in a canonical
form, so a cache that changed any phrase (and so any finding) fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from otokui import cache
from otokui.lint import phrases

if sys.argv[2] != "-":
    cache.use_project(Path(sys.argv[2]))
calls = [0]
parse = phrases._parse
def counted(*args):
    calls[0] += 1
    return parse(*args)
phrases._parse = counted

def canonical(element):
    if isinstance(element, frozenset):
        return sorted(element)
    if isinstance(element, tuple):
        return [canonical(e) for e in element]
    return element

out = {}
for name, by_locale in phrases.shipped().items():
    for locale, plist in by_locale.items():
        for phrase in plist.entries + plist.exceptions + plist.labels:
            out[f"{name}/{locale}/{phrase}"] = canonical(phrases.compile_phrase(phrase, locale).elements)
print(json.dumps({"compiled": calls[0], "patterns": out}, ensure_ascii=False, sort_keys=True))
"""


def run(policy: Path | None, cwd: Path = ROOT) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT), str(policy) if policy else "-"],
        capture_output=True,
        text=True,
        check=True,
        cwd=policy.parent if policy else cwd,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_second_run_reads_the_phrases_compiled_by_the_first(tmp_path: Path) -> None:
    policy = tmp_path / "rules.yaml"
    policy.write_text("shop: {}\n", encoding="utf-8")
    first = run(policy)
    assert first["compiled"], "the first run compiles every shipped phrase"
    files = list((tmp_path / ".otokui-cache" / "phrases").glob("*.marshal"))
    assert len(files) == 1
    second = run(policy)
    assert second["compiled"] == 0, "the second run compiled again instead of reading the cache"
    assert second["patterns"] == first["patterns"]
    assert second["patterns"] == run(None)["patterns"], "a cached phrase differs from a freshly compiled one"


def test_a_damaged_cache_file_is_compiled_again(tmp_path: Path) -> None:
    policy = tmp_path / "rules.yaml"
    policy.write_text("shop: {}\n", encoding="utf-8")
    expected = run(policy)["patterns"]
    (cached,) = (tmp_path / ".otokui-cache" / "phrases").glob("*.marshal")
    cached.write_bytes(b"\x00not a compile")
    again = run(policy)
    assert again["compiled"] and again["patterns"] == expected
    assert cached.read_bytes() != b"\x00not a compile", "the damaged file is written again"


def test_without_a_project_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text("shop: {}\n", encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*"))
    result = run(None, cwd=tmp_path)
    assert result["compiled"]
    assert sorted(p for p in tmp_path.rglob("*")) == before
