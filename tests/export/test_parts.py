"""Exports written from shared work are the files each target writes on its own, byte for byte.

Every target of a build reads each compiled variant once; the tag carts write each section and
paragraph once for every variant that has it. Both must give exactly the files a target writes
from the whole of each variant.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable

import pytest

from otokui.emails.fill import Compiler, Piece, _merge, parse_html, parse_html_part, parse_text, parse_text_part
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.export import export, export_artifacts, tagcart
from otokui.export.core import ExportFile, text_chunks
from otokui.policy.model import Policy
from tests.emails.conftest import TEMPLATES, load_example, make_policy
from tests.export.test_many_notices import _many_notices
from tests.export.test_shopify import second_policy


def _policies() -> dict[str, Policy]:
    return {"example": load_example(), "second": second_policy(), "many notices": make_policy(_many_notices())}


@pytest.fixture(scope="module", params=["example", "second", "many notices"])
def policy(request: pytest.FixtureRequest) -> Policy:
    return _policies()[request.param]


def _files(files: list[ExportFile]) -> dict[str, bytes]:
    return {f.path: f.data for f in files}


def test_every_target_read_together_writes_what_it_writes_alone(policy: Policy) -> None:
    artifacts, problems = export_artifacts(policy, TEMPLATES)
    together = {a.path: a.data for a in artifacts}
    alone: dict[str, bytes] = {}
    alone_problems = []
    for target in policy.export.targets:
        result = export(policy, TEMPLATES, target)
        alone.update({f"export/{target}/{path}": data for path, data in _files(result.files).items()})
        alone_problems += result.problems
    assert list(together) == list(alone)
    assert together == alone
    assert problems == alone_problems


@pytest.mark.parametrize("target", ["makeshop", "futureshop"])
def test_a_cart_written_part_by_part_is_the_cart_written_whole(
    policy: Policy, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_parts = export(policy, TEMPLATES, target)
    monkeypatch.setattr(tagcart, "_by_parts", lambda cart: False)
    whole = export(policy, TEMPLATES, target)
    assert _files(by_parts.files) == _files(whole.files)
    assert by_parts.problems == whole.problems


def _flat(pieces: Iterable[Piece]) -> list[Piece]:
    """Adjacent text joined: what a writer that writes text as it is makes of the pieces."""
    return list(_merge(list(pieces)))


def _parts(html: str, cuts: list[int]) -> list[Piece] | None:
    """The pieces of ``html`` read part by part (cut at ``cuts``), or None if a part is refused."""
    points = [0, *cuts, len(html)]
    pieces: list[Piece] = []
    for index, (a, b) in enumerate(itertools.pairwise(points)):
        part = parse_html_part(html[a:b], first=index == 0, last=index == len(points) - 2)
        if part is None:
            return None
        pieces += part
    return _flat(pieces)


def _without_lines(html: str) -> str:
    """A compiled email's HTML without its order-line rows (a part holding a loop is never read alone)."""
    start = html.rfind("<tr", 0, html.find("OTKline__"))
    end = html.find("</tr>", html.rfind("OTKline__")) + len("</tr>")
    return html[:start] + html[end:]


def test_html_read_in_parts_is_the_html_read_whole() -> None:
    policy = load_example()
    compiler = Compiler(Renderer(policy, TEMPLATES))
    rng = random.Random(7)
    accepted = refused = 0
    for variant in list_variants(policy)[:12]:
        html = _without_lines(compiler.get(variant).html)
        whole = _flat(parse_html(html))
        starts = [i for i, c in enumerate(html) if c == "<"]
        for _ in range(40):
            cuts = rng.sample(starts, rng.randint(1, 3)) + rng.sample(range(1, len(html)), rng.randint(0, 1))
            cuts = sorted(set(cuts) - {0})
            parts = _parts(html, cuts)
            if parts is None:
                refused += 1
            else:
                accepted += 1
                assert parts == whole
    assert accepted > 40 and refused > 40


FIELD = "OTKorder__tracking_numberKTO"  # an optional field


@pytest.mark.parametrize(
    ("html", "cut"),
    [
        (f"<div><p>{FIELD}</p></div>", "</p>"),  # the field's element closes in the next part
        (f"<div><p>x</p><b></b>{FIELD}</div>", "<b>"),  # the field's element opens in the part before
        (f"<div><!-- x > y <b> -->{FIELD}</b></div>", "<b>"),  # a cut inside a comment
        (f"<div><p title='<b>'>{FIELD}</b></p></div>", "<b>"),  # a cut inside a tag
        (f"<div><p>{FIELD}</p></div>", "cking"),  # a cut inside a field
        ("<table><tr><td>OTKline__nameKTO</td></tr><tr><td>OTKline__totalKTO</td></tr></table>", "<tr><td>OTKline__t"),
    ],
)
def test_a_part_read_otherwise_alone_is_refused(html: str, cut: str) -> None:
    assert _parts(html, [html.index(cut)]) is None


def test_text_in_paragraphs_is_the_text_read_whole() -> None:
    text = f"A\n\n{FIELD}\n{FIELD}\n\nB OTKorder__idKTO\n\n\nC {FIELD}\n"
    chunks = text_chunks(text)
    pieces: list[Piece] = []
    for index, chunk in enumerate(chunks):
        part = parse_text_part(chunk, last=index == len(chunks) - 1)
        assert part is not None
        pieces += part
    assert _flat(pieces) == _flat(parse_text(text))
    assert parse_text_part("A\nB", last=False) is None  # a part before the last ends with a blank line


def test_tags_are_read_as_the_plain_pattern_reads_them() -> None:
    import re

    from otokui.emails import fill
    from otokui.export import core

    plain = {
        fill._TAG: re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>", re.DOTALL),
        core._TAG: re.compile(r"<!--.*?-->|<(/?)([A-Za-z][\w:-]*)([^>]*?)(/?)>", re.DOTALL),
    }
    rng = random.Random(3)
    sources = ["".join(rng.choice("<>/-!ab: \n=\"'") for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    sources.append(
        _without_lines(Compiler(Renderer(load_example(), TEMPLATES)).get(list_variants(load_example())[0]).html)
    )
    for pattern, reference in plain.items():
        for source in sources:
            assert [(m.span(), m.groups()) for m in pattern.finditer(source)] == [
                (m.span(), m.groups()) for m in reference.finditer(source)
            ], source


def test_the_manifest_is_the_json_of_its_entries() -> None:
    import json

    from otokui.export import _manifest
    from otokui.export.core import ExportProblem, ExportResult

    result = ExportResult(
        "makeshop",
        [
            ExportFile(
                'ja/"a"\\b.html', b"", "order_confirmation", "ja", ("first", "t2"), "リピーター注文確認", "member"
            ),
            ExportFile("en/x.txt", b"", "", "", ()),
        ],
        [ExportProblem(("export",), 'a "quoted"\n\tproblem 日本'), ExportProblem(("wording",), "")],
    )
    for problems in (result.problems, []):
        result.problems = problems
        entries = [
            {
                "file": f.path,
                "kind": f.kind,
                "locale": f.locale,
                "slot": f.slot,
                "variants": list(f.variants),
                **({"customer_group": f.group} if f.group else {}),
            }
            for f in result.files
        ]
        body = {"target": "makeshop", "files": entries, "problems": [p.message for p in problems]}
        assert _manifest(result).data == json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    assert (
        _manifest(ExportResult("shopify")).data == b'{\n  "target": "shopify",\n  "files": [],\n  "problems": []\n}\n'
    )
