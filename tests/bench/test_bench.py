"""The benchmark script runs: a tiny workload, no Node, valid JSON with every expected key.

Nothing here is timed: figures depend on the machine, and live in docs/bench.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "run.py"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--no-node", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "target full_build_warm_s" in done.stdout
    data: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_top_level_keys(results: dict[str, object]) -> None:
    assert {"version", "meta", "workloads", "targets"} <= set(results)
    workloads = results["workloads"]
    assert isinstance(workloads, dict)
    assert set(workloads) == {
        "full_build",
        "build_command",
        "mkdocs_command",
        "full_build_cold",
        "large_build",
        "large_build_cold",
        "large_rebuild",
        "large_emails",
        "incremental",
        "preview",
        "stages",
        "inliner",
        "mjml",
        "node_pipeline",
        "export",
        "large_export",
        "customers_run",
        "hostile_check",
    }


def test_workload_figures(results: dict[str, object]) -> None:
    work = results["workloads"]
    assert isinstance(work, dict)
    full = work["full_build"]
    assert full["wall_s"] > 0 and full["peak_mb"] > 0 and full["emails"] > 0
    assert {"policy", "render", "check"} <= set(full["timings"])
    command = work["build_command"]  # the shop's own command, start-up included: longer than build() alone
    assert command["wall_s"] > full["wall_s"] and len(command["samples_s"]) == results["meta"]["runs"]
    assert work["mkdocs_command"]["wall_s"] > 0 and len(work["mkdocs_command"]["samples_s"]) == results["meta"]["runs"]
    assert set(work["large_emails"]) == {"1", "2"}
    for entry in work["large_emails"].values():
        assert entry["variants"] > 0 and entry["variants_per_s_per_core"] > 0
    assert work["incremental"]["wall_ms"] > 0 and work["incremental"]["variants"] > 0
    assert set(work["stages"]["per_variant_ms"]) == {"data", "jinja", "mjml", "inline", "text"}
    assert work["inliner"]["css-inline"]["per_doc_ms"] > 0
    assert work["mjml"]["mrml"]["per_doc_ms"] > 0
    assert work["mjml"]["node"] == {"skipped": "--no-node"}
    assert work["node_pipeline"] == {"skipped": "--no-node"}
    assert work["full_build_cold"]["wall_s"] > 0
    assert (
        work["large_build_cold"]["wall_s"] > 0 and work["large_build_cold"]["emails"] == work["large_build"]["emails"]
    )
    rebuild = work["large_rebuild"]  # into its own output folder: the replaced copy goes after it returns
    assert rebuild["wall_s"] > 0 and rebuild["removed_after_s"] >= 0
    assert work["preview"]["one_kind"]["wall_ms"] > 0 and work["preview"]["every_kind"]["wall_ms"] > 0
    assert work["preview"]["emails"] > 0
    for key in ("export", "large_export"):
        assert work[key]["compile_s"] > 0 and work[key]["fills_per_cpu_s"] > 0
        assert set(work[key]["targets"]) == {"shopify", "ec-cube", "klaviyo", "makeshop", "futureshop"}
    (customers,) = work["customers_run"].values()
    assert customers["orders"] > customers["customers"] > 0
    assert customers["baseline"]["skipped"] > 0 and customers["next_day"]["wall_s"] > 0
    assert customers["peak_mb"] > 0


def test_targets_reported(results: dict[str, object]) -> None:
    targets = results["targets"]
    assert isinstance(targets, dict)
    assert set(targets) == {
        "full_build_warm_s",
        "full_build_cold_s",
        "large_build_s",
        "large_peak_mb",
        "preview_ms",
        "fills_per_s_per_core",
        "vs_node_ratio",
        "customers_run_s",
    }
    for key, verdict in targets.items():
        if key == "vs_node_ratio":  # --no-node
            assert verdict["met"] is None
        else:
            assert isinstance(verdict["met"], bool) and verdict["value"] > 0


def test_large_policy_is_valid(tmp_path: Path) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import run  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SCRIPT.parent))
    from otokui.emails.variants import list_variants
    from otokui.policy.load import load_policy

    policy = load_policy(run.write_large_policy(tmp_path, {"ranks": 5, "tiers": 5, "notices": 6}))
    assert len(policy.membership.ranks) == 5
    assert len(policy.wording.purchase_count_tiers) == 5
    assert len(policy.notices) == 6
    assert len(list_variants(policy)) > 200
