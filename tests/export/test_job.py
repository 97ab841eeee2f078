"""Export targets made in a process of their own, beside the ones the build makes itself."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

import otokui.export.job as job
from otokui.errors import BuildError, OtokuiError
from otokui.export.job import ExportJob, split
from otokui.pipeline import Project, build
from tests.folders import snapshot


def test_split_keeps_each_family_together_when_both_are_there() -> None:
    targets = ["shopify", "ec-cube", "klaviyo", "makeshop", "futureshop"]
    assert split(targets) == (["makeshop", "futureshop"], ["shopify", "ec-cube", "klaviyo"])
    assert split(["futureshop", "shopify"]) == (["futureshop"], ["shopify"])  # the policy's order kept


def test_split_shares_one_family_by_weight() -> None:
    assert split(["shopify", "ec-cube", "klaviyo"]) == (["ec-cube", "klaviyo"], ["shopify"])
    assert split(["makeshop", "futureshop"]) == (["futureshop"], ["makeshop"])


def test_many_variants_share_every_target_by_weight() -> None:
    """Made one target at a time, the targets are shared so both processes have as much to make, check and write."""
    targets = ["shopify", "ec-cube", "klaviyo", "makeshop", "futureshop"]
    here, there = split(targets, together=False)
    assert (here, there) == (["ec-cube", "klaviyo", "futureshop"], ["shopify", "makeshop"])
    weight = job.WEIGHTS
    assert abs(sum(weight[t] for t in here) - sum(weight[t] for t in there)) <= 1


def test_one_target_is_made_by_the_build_alone() -> None:
    assert split(["klaviyo"]) == (["klaviyo"], [])
    assert split([]) == ([], [])


def _begun(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The targets each build handed to its export process.

    The process is forked whatever other tests left running in this one (a render's watchdog
    thread, idle): the build itself forks only while it runs one thread.
    """
    monkeypatch.setattr(job, "can_fork", lambda: True)
    handed: list[list[str]] = []
    begin = ExportJob.begin

    def recorded(self: ExportJob, compiled: Any, targets: list[str]) -> None:
        handed.append(list(targets))
        begin(self, compiled, targets)

    monkeypatch.setattr(ExportJob, "begin", recorded)
    return handed


def _report(result: Any) -> list[tuple[str, int, int, str, str]]:
    """The findings, each file named within the output folder."""
    prefix = str(result.out_dir).rstrip("/") + "/"
    return [(f.file.removeprefix(prefix), f.line, f.column, f.rule, f.message) for f in result.findings]


def test_a_build_with_the_export_process_writes_and_finds_what_one_without_it_does(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = _begun(monkeypatch)
    project = Project.locate(shop / "rules.yaml")
    beside = build(project, shop / "beside", site=False)
    assert handed == [["shopify", "ec-cube", "klaviyo"]]
    monkeypatch.setattr(job, "can_fork", lambda: False)
    alone = build(project, shop / "alone", site=False)
    assert handed == [["shopify", "ec-cube", "klaviyo"]], "no process when a fork is not safe"
    assert snapshot(shop / "beside") == snapshot(shop / "alone")
    assert [(a.path, a.size, a.context) for a in beside.artifacts] == [
        (a.path, a.size, a.context) for a in alone.artifacts
    ]
    assert _report(beside) == _report(alone) and beside.export_problems == alone.export_problems
    exported = [a for a in beside.artifacts if a.path.startswith("export/shopify/")]
    assert exported and exported[0].data == (shop / "beside" / exported[0].path).read_bytes()


def test_templates_exported_beside_are_compared_from_their_files(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export-syntax rule (OT1105) reads every template the export process made, from its written file."""
    from otokui.lint.rules.ot1105_export_template_syntax import ExportTemplateSyntax

    handed = _begun(monkeypatch)
    read: dict[str, str] = {}
    check_batch = ExportTemplateSyntax.check_batch

    def reading(self: ExportTemplateSyntax, batch: Any, options: Any) -> Any:
        read.update({o.path: o.source for o in batch.outputs if o.path.startswith("export/")})
        return check_batch(self, batch, options)

    monkeypatch.setattr(ExportTemplateSyntax, "check_batch", reading)
    result = build(Project.locate(shop / "rules.yaml"), shop / "dist", site=False)
    assert handed == [["shopify", "ec-cube", "klaviyo"]]
    assert set(read) == {a.path for a in result.artifacts if a.path.startswith("export/")}
    beside = [p for p in read if p.split("/")[1] in handed[0] and not p.endswith(".json")]
    assert any(p.startswith("export/klaviyo/") for p in beside)
    for path in beside:  # each template the process made is read from its file
        assert read[path] == (shop / "dist" / path).read_text(encoding="utf-8"), path


def test_a_full_disk_in_the_export_process_fails_the_build_and_keeps_the_output(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _begun(monkeypatch)
    out = shop / "dist"
    project = Project.locate(shop / "rules.yaml")
    build(project, out, run_checks=False, site=False)
    before = snapshot(out)
    real = job.make

    def full(*args: Any) -> Any:  # runs in the export process
        import otokui.writer

        def refuse(root: Path, relative: Any, data: bytes, folders: set[Path]) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        otokui.writer.write_file = refuse
        return real(*args)

    monkeypatch.setattr(job, "make", full)
    with pytest.raises(BuildError, match="No space left on device"):
        build(project, out, run_checks=False, site=False)
    assert snapshot(out) == before
    assert not list(shop.glob(".dist-build-*"))


def test_an_export_process_that_dies_is_an_error_not_a_hang(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _begun(monkeypatch)
    out = shop / "dist"
    project = Project.locate(shop / "rules.yaml")
    build(project, out, run_checks=False, site=False)
    before = snapshot(out)
    monkeypatch.setattr(job, "make", lambda *args: os._exit(3))
    with pytest.raises(BuildError, match=r"export process stopped \(exit code 3\)"):
        build(project, out, run_checks=False, site=False)
    assert snapshot(out) == before


def test_no_export_process_is_left_behind(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether the build succeeds, fails before the export or needs no second process, its process has ended."""
    _begun(monkeypatch)
    started: list[Any] = []
    init = ExportJob.__init__

    def recorded(self: ExportJob, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        started.append(self._process)

    monkeypatch.setattr(ExportJob, "__init__", recorded)
    project = Project.locate(shop / "rules.yaml")
    build(project, shop / "dist", run_checks=False, site=False)
    layout = shop / "email_templates" / "layout.mjml.j2"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(OtokuiError):
        build(project, shop / "dist", run_checks=False, site=False)
    assert len(started) == 2 and all(process is not None for process in started)
    assert all(not process.is_alive() and process.exitcode is not None for process in started)


def test_a_target_made_is_not_held_while_the_next_is_made(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each target's files are dropped once written: none of them is alive while the next target is made."""
    import gc
    import weakref

    import otokui.export as export

    alive: list[weakref.ref[Any]] = []
    held: list[int] = []
    each, make = export.export_each, export._export

    def watched(*args: Any, **kwargs: Any) -> Any:
        for artifacts, problems in each(*args, **kwargs):
            alive.extend(weakref.ref(a) for a in artifacts)
            yield artifacts, problems
            del artifacts

    def making(*args: Any) -> Any:
        gc.collect()
        held.append(sum(1 for ref in alive if ref() is not None))  # files of the targets made before
        return make(*args)

    monkeypatch.setattr(export, "export_each", watched)
    monkeypatch.setattr(export, "_export", making)
    monkeypatch.setattr(export, "TOGETHER_UP_TO", 0)  # one target at a time, as for a large policy
    monkeypatch.setattr(job, "can_fork", lambda: False)  # every target made here, where it can be watched
    build(Project.locate(shop / "rules.yaml"), shop / "dist", run_checks=False, site=False)
    assert len(alive) > 600 and held == [0] * 5
