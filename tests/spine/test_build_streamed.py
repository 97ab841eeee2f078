"""Files are written into the staging folder as they are made; the build keeps records of them, not their bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import otokui.writer
from otokui.artifacts import Sent, Written
from otokui.emails.fill import CompiledStore, compile_variant, pack
from otokui.emails.render import Renderer
from otokui.emails.variants import list_variants
from otokui.errors import TemplateError
from otokui.pipeline import Project, build, export, read_policy, render
from otokui.writer import MARKER
from tests.folders import snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_written_files_are_what_rendering_and_export_make(shop: Path) -> None:
    """Written as the workers send them and one export target at a time, byte for byte the in-memory outputs."""
    project = Project.locate(shop / "rules.yaml")
    result = build(project, shop / "dist", site=False)
    files = snapshot(shop / "dist")
    policy, positions, _ = read_policy(project.policy)
    made = render(policy, project) + export(policy, positions, project)[0]
    assert {a.path: a.data for a in made} == {path: data for path, data in files.items() if path != MARKER}
    assert [a.path for a in result.artifacts] == [a.path for a in made]  # in the order they were made


def test_the_result_reads_each_file_back_from_the_output_folder(shop: Path) -> None:
    result = build(Project.locate(shop / "rules.yaml"), shop / "dist", run_checks=False, site=False)
    files = snapshot(shop / "dist")
    assert result.emails > 0
    for record in result.artifacts:
        assert isinstance(record, Written)
        assert record.data == files[record.path] and record.size == len(files[record.path])
    manifest = next(r for r in result.artifacts if r.path == "emails/manifest.json")
    assert manifest.text.startswith("{") and manifest.media_type == "application/json"


def test_a_template_failing_after_emails_were_written_keeps_the_previous_output(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = shop / "dist"
    build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False)
    before = snapshot(out)
    layout = shop / "email_templates" / "layout.mjml.j2"
    last = list_variants(read_policy(shop / "rules.yaml")[0])[-1].kind  # every other kind renders first
    layout.write_text(
        layout.read_text(encoding="utf-8") + f'\n{{% if kind == "{last}" %}}{{{{ 1 // 0 }}}}{{% endif %}}\n',
        encoding="utf-8",
    )
    written: list[str] = []  # the render workers write the emails' files, and the build takes their records
    adopt = otokui.writer.Writer.adopt

    def counted(self: otokui.writer.Writer, files: list[Sent]) -> list[Written]:
        written.extend(f.path for f in files)
        return adopt(self, files)

    monkeypatch.setattr(otokui.writer.Writer, "adopt", counted)
    with pytest.raises(TemplateError):
        build(Project.locate(shop / "rules.yaml"), out, run_checks=False, site=False)
    assert any(path.endswith(".html") for path in written), "the failure came before any email was written"
    assert snapshot(out) == before
    assert not list(shop.glob(".dist-build-*"))


def test_compiled_store_reads_back_what_was_put_in_any_order() -> None:
    policy = read_policy(ROOT / "rules.yaml")[0]
    renderer = Renderer(policy, ROOT / "email_templates")
    variants = list_variants(policy)[:3]
    compiled = [compile_variant(renderer, v) for v in variants]
    store = CompiledStore()
    for index in (2, 0, 1):
        store.put(index, variants[index], pack(compiled[index]))
    assert len(store) == 3 and store.variants == variants
    assert store[0] == compiled[0] and store[-1] == compiled[2] and store[1:] == compiled[1:]
    with pytest.raises(IndexError):
        store[3]
    store.close()
    assert len(store) == 0


def test_the_japanese_dictionary_is_read_in_the_workers_alone(shop: Path) -> None:
    """A first build (the phrase lists compiled) and one after an edit of the policy (every output checked again,
    letters and snippets too) read the checker's Japanese dictionary in the render workers, never in the main process."""
    policy = shop / "rules.yaml"
    script = (
        "import sys; from pathlib import Path; from otokui.pipeline import Project, build; import otokui.lint.morph as m;"
        " r = build(Project.locate(Path(sys.argv[1])), Path(sys.argv[2]), site=False);"
        " print(len(r.findings), bool(m._SUDACHI))"
    )

    def built() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, str(policy), str(shop / "dist")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        return done.stdout.split()

    assert built() == ["0", "False"]
    assert list((shop / ".otokui-cache" / "phrases").glob("*.marshal")), "the compiled phrase lists were kept"
    policy.write_text(policy.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert built() == ["0", "False"]
