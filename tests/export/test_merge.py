"""One template per kind: branches sit at section boundaries and give each variant back."""

from __future__ import annotations

import re

import pytest

from otokui.emails.fill import Compiler
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.errors import BuildError
from otokui.export.core import Pred, html_cuts, merge, notice_markers, verify
from tests.emails.conftest import TEMPLATES, load_example


@pytest.fixture(scope="module")
def compiled() -> list:  # type: ignore[type-arg]
    policy = load_example()
    compiler = Compiler(Renderer(policy, TEMPLATES))
    return [compiler.get(v) for v in list_variants(policy) if v.kind == "order_confirmation" and v.locale == "ja"]


def test_cuts_never_fall_inside_an_outlook_comment_or_a_table(compiled: list) -> None:  # type: ignore[type-arg]
    html = compiled[0].html
    cuts = html_cuts(html)
    assert len(cuts) > 8
    comments = [(m.start(), m.end()) for m in re.finditer(r"<!--.*?-->", html, re.DOTALL)]
    for cut in cuts:
        assert not any(start < cut < end for start, end in comments), cut
        before = html[:cut]
        assert before.count("<table") == before.count("</table>"), cut  # not inside any table


def test_branches_give_every_variant_back_and_a_wrong_condition_is_caught(compiled: list) -> None:  # type: ignore[type-arg]
    policy = load_example()
    merged = merge(compiled, notice_markers(policy, "ja"))
    verify(merged, compiled, policy)
    dims = {p.dim for blocks in merged.parts.values() for b in blocks for p, _ in b.branches if p}
    assert {"tier", "notice"} <= dims
    block = next(b for b in merged.parts["html"] if b.branches[0][0] and b.branches[0][0].dim == "tier")
    pred, pieces = block.branches[0]
    block.branches[0] = (Pred("tier", ("loyal",) if pred.values != ("loyal",) else ("first",)), pieces)
    with pytest.raises(BuildError, match="do not give the variant back"):
        verify(merged, compiled, policy)
