"""otokui benchmarks: the example shop, a large generated policy, the preview, and the reference tools.

Run ``make bench`` (or ``.venv/bin/python bench/run.py``). It prints a table and
writes ``bench/out/results.json``. Every figure is the median of ``--runs`` runs.

Workloads:

- ``full_build``: ``otokui.pipeline.build`` of the example shop (rules.yaml), in a
  fresh process each run: wall time of ``build()``, its step timings, peak memory.
- ``large_build`` / ``large_emails``: a policy generated from rules.yaml with many
  ranks, purchase-count tiers and caution notices (thousands of email variants):
  the whole build (``large_build_cold``: in a new project folder, every output checked;
  ``large_build``: built there before), and the email pipeline alone on one and on two processes.
- ``incremental``: what the preview does after one template is saved: the
  renderer notices the change, recompiles the templates and re-renders every
  variant of one kind.
- ``stages``: where one variant's time goes (data, Jinja, MRML, inlining, text).
- ``mjml``: otokui's MJML compiler (MRML, via mjml-python) against the reference
  Node ``mjml`` on the same documents (the example shop's rendered MJML), in one
  warm Node process and as a command line per file.
- ``inliner``: css-inline against premailer on the same HTML and CSS.
- ``export`` / ``large_export``: every variant compiled once with field tokens,
  each export target written from them, and how many customers one compiled
  variant is filled for per CPU second.

Peak memory is ``ru_maxrss`` of the child process running the workload (and,
separately, the largest of its worker processes).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
RULES = ROOT / "rules.yaml"
TEMPLATES = ROOT / "email_templates"
SITE_SRC = ROOT / "site_src"

TARGETS = {
    "full_build_warm_s": 1.2,  # example shop, whole build, wall, 2 cores, compiled templates cached
    "full_build_cold_s": 1.8,  # the same with an empty cache
    "large_build_s": 10.0,  # the large policy (1,900 variants), whole build
    "large_peak_mb": 250.0,  # its peak memory (the main process or any worker)
    "preview_ms": 150.0,  # preview: a template saved → the new emails published
    "fills_per_s_per_core": 20000.0,  # one compiled variant filled for one customer (HTML + text)
    "vs_node_ratio": 0.3,  # build.py build (warm) wall / Node mjml + juice + html-to-text wall, one pass each
    "customers_run_s": 60.0,  # build.py run, next day, over ~100,000 orders, 2 cores
}
#: Targets met by a value at or above them (the others: at or below).
AT_LEAST = frozenset({"fills_per_s_per_core"})

# The shape of the large policy (``--quick`` uses a tiny one).
LARGE = {"ranks": 5, "tiers": 25, "notices": 12}
QUICK = {"ranks": 3, "tiers": 2, "notices": 2}

Json = dict[str, Any]


# --------------------------------------------------------------------------- helpers


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    unit = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20
    return round(own, 1), round(kids, 1)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the large policy


def large_policy_data(ranks: int, tiers: int, notices: int) -> Json:
    """rules.yaml with ``ranks`` ranks, ``tiers`` purchase-count tiers and ``notices`` caution notices."""
    import yaml

    data: Json = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    membership = data["membership"]
    base_ranks = membership["ranks"]
    badges = ["#8a8f98", "#b08d2e", "#4b5563", "#7c3aed", "#0f766e", "#9d174d", "#1d4ed8", "#92400e"]
    new_ranks = []
    for i in range(ranks):
        template = base_ranks[min(i, len(base_ranks) - 1)]
        rank = json.loads(json.dumps(template))
        rank["id"] = template["id"] if i < len(base_ranks) else f"{template['id']}{i}"
        if i >= len(base_ranks):
            rank["name"] = {loc: f"{text} {i}" for loc, text in template["name"].items()}
        rank["threshold"] = {"spend": 0 if i == 0 else 20000 * i + 10000 * (i - 1) ** 2}
        if i > 0:
            rank["badge"] = badges[(i - 1) % len(badges)]
        new_ranks.append(rank)
    membership["ranks"] = new_ranks

    base_tiers = data["wording"]["purchase_count_tiers"]
    new_tiers = []
    for i in range(tiers):
        template = base_tiers[0] if i == 0 else base_tiers[1] if i < tiers - 1 else base_tiers[-1]
        tier = json.loads(json.dumps(template))
        tier["id"] = "first" if i == 0 else f"t{i + 1}"
        tier["min_orders"] = i + 1
        tier.pop("max_orders", None)
        if i < tiers - 1:
            tier["max_orders"] = i + 1
        tier["label"] = {"ja": f"{i + 1}回目のご注文", "en": f"Order {i + 1}"}
        if i > 0:  # each tier its own words (identical tier messages are a finding)
            for key in ("greeting", "thanks", "closing"):
                tier[key] = {
                    "ja": f"{tier[key]['ja']}（{i + 1}）",
                    "en": f"{tier[key]['en']} ({i + 1})",
                }
        new_tiers.append(tier)
    data["wording"]["purchase_count_tiers"] = new_tiers

    base_notices = data["notices"]
    new_notices = []
    for i in range(notices):
        notice = json.loads(json.dumps(base_notices[i % len(base_notices)]))
        if i >= len(base_notices):
            notice["id"] = f"{notice['id']}_{i}"
            notice["title"] = {loc: f"{text} ({i})" for loc, text in notice["title"].items()}
        if "payment_received" not in notice["show_in"]:
            notice["show_in"] = [*notice["show_in"], "payment_received"]
        new_notices.append(notice)
    data["notices"] = new_notices
    data.setdefault("checks", {}).setdefault("rules", {})["OT802"] = {"level": "off"}  # many ranks, on purpose
    return data


def write_large_policy(folder: Path, shape: dict[str, int]) -> Path:
    """The large policy as ``folder/rules.yaml``, validated with otokui's loader."""
    import yaml

    from otokui.policy.load import load_policy

    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump(large_policy_data(**shape), allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_policy(path)  # raises PolicyError (with every problem) if the generated policy is wrong
    return path


# --------------------------------------------------------------------------- child workloads


def child_full_build(args: Json) -> Json:
    """One build; the compiled-template cache lives in the policy's folder (warm when built there before)."""
    from otokui.pipeline import Project, build

    policy = Path(args["policy"])
    if "project" in args:  # a project folder of its own: its own cache folder
        policy = Path(args["project"]) / "rules.yaml"
        if not policy.exists():
            shutil.copy(args["policy"], policy)
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.locate(policy, TEMPLATES, SITE_SRC)
        wall, result = timed(lambda: build(project, Path(tmp) / "dist", site=args.get("site")))
        own, kids = peak_mb()
        return {
            "wall_s": wall,
            "timings": result.timings,
            "emails": result.emails,
            "pages": result.pages,
            "artifacts": len(result.artifacts),
            "findings": len(result.findings),
            "peak_mb": own,
            "workers_peak_mb": kids,
        }


def replaced_outputs(out: Path) -> list[Path]:
    """The replaced copies of ``out`` still being removed in the background (``.<name>-trash-…``)."""
    return list(out.parent.glob(f".{out.name}-trash-*"))


def wait_for_removal(out: Path, timeout: float = 600) -> float:
    """Seconds until the background removal of ``out``'s replaced copies is over."""
    start = time.perf_counter()
    while replaced_outputs(out) and time.perf_counter() - start < timeout:
        time.sleep(0.02)
    return time.perf_counter() - start


def child_rebuild(args: Json) -> Json:
    """A build into the output folder of the one before it, as a shop rebuilds; its old copy is removed after."""
    from otokui.pipeline import Project, build

    policy = Path(args["project"]) / "rules.yaml"
    if not policy.exists():
        shutil.copy(args["policy"], policy)
    project = Project.locate(policy, TEMPLATES, SITE_SRC)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        build(project, out)
        wait_for_removal(out)
        os.sync()
        wall, _ = timed(lambda: build(project, out))
        removal = wait_for_removal(out)
        return {"wall_s": wall, "removed_after_s": removal}


def child_emails(args: Json) -> Json:
    from otokui.emails.render import render_all
    from otokui.emails.variants import list_variants
    from otokui.policy.load import load_policy

    policy = load_policy(Path(args["policy"]))
    variants = list_variants(policy)
    workers = int(args["workers"])
    wall, emails = timed(lambda: render_all(policy, TEMPLATES, variants, workers=workers))
    own, kids = peak_mb()
    return {
        "variants": len(emails),
        "workers": workers,
        "wall_s": wall,
        "variants_per_s": len(emails) / wall,
        "variants_per_s_per_core": len(emails) / wall / min(workers, os.cpu_count() or 1),
        "peak_mb": own,
        "workers_peak_mb": kids,
    }


def child_incremental(args: Json) -> Json:
    """Edit one template, then do what the preview does: get the renderer, re-render one kind."""
    from otokui.emails.render import render_variant, renderer_for
    from otokui.emails.variants import list_variants
    from otokui.policy.load import load_policy

    policy = load_policy(RULES)
    kind = args["kind"]
    with tempfile.TemporaryDirectory() as tmp:
        templates = Path(tmp) / "email_templates"
        shutil.copytree(TEMPLATES, templates)
        variants = [v for v in list_variants(policy) if v.kind == kind]
        for variant in variants:  # warm: the preview has rendered this kind already
            render_variant(policy, templates, variant)
        edited = templates / args["template"]
        original = edited.read_text(encoding="utf-8")
        samples: list[float] = []
        signature: list[float] = []
        for i in range(int(args["runs"])):
            edited.write_text(original + "\n" * (i + 1), encoding="utf-8")  # a save that changes the file
            start = time.perf_counter()
            renderer = renderer_for(policy, templates)
            checked = time.perf_counter()
            for variant in variants:
                renderer.render(variant)
            samples.append(time.perf_counter() - start)
            signature.append(checked - start)
            renderer_for(policy, templates)  # unchanged now: must be the cached renderer
        return {
            "kind": kind,
            "template": args["template"],
            "variants": len(variants),
            "wall_ms": median(samples) * 1000,
            "samples_ms": [s * 1000 for s in samples],
            "recompile_ms": median(signature) * 1000,
            "per_variant_ms": median(samples) * 1000 / max(len(variants), 1),
        }


def child_preview(args: Json) -> Json:
    """The preview's path from a saved template to published emails: file event, then re-render.

    The preview state and its file watcher run as in ``otokui serve``; the time is
    from the write to the moment the new emails are published (what the gallery's
    live-reload stream announces).
    """
    from otokui.pipeline import Project
    from otokui.preview.state import PARTS, PreviewState
    from otokui.preview.watch import Watcher

    out: Json = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(TEMPLATES, root / "email_templates")
        shutil.copytree(SITE_SRC, root / "site_src")
        shutil.copy(RULES, root / "rules.yaml")
        (root / "work").mkdir()
        project = Project.locate(root / "rules.yaml")
        state = PreviewState(project, root / "work")
        state.rebuild(PARTS)
        watcher = Watcher(project, state.rebuild).start()
        try:
            time.sleep(0.3)
            for label, name in (("one_kind", "blocks/tracking.mjml.j2"), ("every_kind", "blocks/greeting.mjml.j2")):
                edited = project.templates / name
                original = edited.read_text(encoding="utf-8")
                samples = []
                for i in range(int(args["runs"])):
                    seen = state.version
                    before = state.snapshot().emails
                    start = time.perf_counter()
                    edited.write_text(original + "\n" * (i + 1), encoding="utf-8")  # a save that changes the file
                    while state.snapshot().emails is before:  # until the new emails are published
                        seen = state.wait_for_change(seen, 30)
                        if state.snapshot().errors:
                            raise RuntimeError(f"preview rebuild failed: {state.snapshot().errors}")
                    samples.append(time.perf_counter() - start)
                    time.sleep(0.1)
                snap = state.snapshot()
                out[label] = {
                    "template": name,
                    "wall_ms": median(samples) * 1000,
                    "samples_ms": [x * 1000 for x in samples],
                }
            out["emails"] = len(snap.emails.emails) if snap.emails else 0
        finally:
            watcher.stop()
            state.close()
    out["wall_ms"] = out["one_kind"]["wall_ms"]
    return out


def hostile_markup(kind: str, size: int) -> str:
    """About ``size`` bytes of markup built to make a checker quadratic: ``stray`` end tags under a deep
    stack of open elements, or ``switches``: thousands of ``data-otokui-disable`` elements."""
    head = '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head><body>'
    if kind == "stray":
        count = size // 18
        return head + "<div>" * count + "</span>" * count + "</div>" * count + "</body></html>"
    unit = '<p data-otokui-disable="OT1104"><a href="javascript:x">a</a></p>'
    return head + unit * (size // len(unit)) + "</body></html>"


def child_hostile_check(args: Json) -> Json:
    """``check --input`` on one file of hostile markup: the checker must stay linear in its size."""
    from otokui.cli import run

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{args['kind']}.html"
        path.write_text(hostile_markup(str(args["kind"]), int(args["bytes"])), encoding="utf-8")
        size = path.stat().st_size
        out, err = io.StringIO(), io.StringIO()
        wall, code = timed(lambda: run(["check", "--policy", str(RULES), "--input", str(path)], out, err))
        return {"bytes": size, "wall_s": wall, "exit": code, "mb_per_s": size / wall / 1e6}


def child_export(args: Json) -> Json:
    """Every variant compiled with tokens once, each export target written from them, and the fill rate."""
    from otokui.emails.fill import Compiler, fill, sample_values
    from otokui.emails.render import Renderer
    from otokui.emails.variants import list_variants
    from otokui.export import TARGETS, export
    from otokui.policy.load import load_policy

    policy = load_policy(Path(args["policy"]))
    variants = list_variants(policy)
    compiler = Compiler(Renderer(policy, TEMPLATES))
    compile_s, compiled = timed(lambda: [compiler.get(v) for v in variants])
    targets: Json = {}
    for target in TARGETS:
        wall, result = timed(lambda target=target: export(policy, TEMPLATES, target, compiler=compiler))
        targets[target] = {"wall_s": wall, "files": len(result.files), "problems": len(result.problems)}
    one, values = compiled[0], sample_values(policy, variants[0])
    rounds = int(args.get("fills", 5000))
    start = time.process_time()
    for _ in range(rounds):
        fill(one, values)
    cpu = time.process_time() - start
    return {
        "variants": len(variants),
        "compile_s": compile_s,
        "targets": targets,
        "export_s": compile_s + sum(t["wall_s"] for t in targets.values()),
        "fills_per_cpu_s": rounds / cpu,
    }


def child_customers_export(args: Json) -> Json:
    """Write a generated shop history as an EC-CUBE export (in its own process, so it does not count)."""
    sys.path.insert(0, str(ROOT))
    from tests.customers.history import generate, write

    people = generate(int(args["customers"]), seed=1)
    export = write(people, Path(args["folder"]), "eccube")
    return {"orders": sum(len(p.orders) for p in people), "files": [str(export.orders), str(export.customers)]}


def child_customers_run(args: Json) -> Json:
    """``build.py run`` over the export: the first run (the baseline), then the next day's run."""
    import datetime as dt

    from otokui.customers.engine import Options, run
    from otokui.policy.load import load_policy

    folder = Path(args["folder"])
    orders_file, customers_file = (Path(f) for f in args["files"])
    policy_path = folder / "rules.yaml"
    policy = load_policy(policy_path)
    end = dt.date.fromisoformat(args["end"])
    figures: Json = {}
    for label, day in (("baseline", end - dt.timedelta(days=1)), ("next_day", end)):
        options = Options(orders=orders_file, customers=customers_file, day=day, out=folder / "run")
        wall, result = timed(lambda options=options: run(policy, policy_path, folder / "email_templates", options))
        figures[label] = {
            "wall_s": wall,
            "mails": sum(result.written.values()),
            "letters": result.letters,
            "skipped": result.skipped,
            "orders_per_s": int(args["orders"]) / wall,
        }
    figures["peak_mb"], figures["children_peak_mb"] = peak_mb()
    return figures


CHILDREN: dict[str, Callable[[Json], Json]] = {
    "export": child_export,
    "customers_run": child_customers_run,
    "customers_export": child_customers_export,
    "full_build": child_full_build,
    "rebuild": child_rebuild,
    "preview": child_preview,
    "emails": child_emails,
    "incremental": child_incremental,
    "hostile_check": child_hostile_check,
}


def run_child(name: str, args: Json, timeout: float = 1800) -> Json:
    """Run workload ``name`` in a fresh interpreter; its JSON result, with the process wall time."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name, json.dumps(args)]
    os.sync()  # what earlier work left to write back is not charged to this run
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"workload {name} failed:\n{done.stderr[-4000:]}")
    result: Json = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = elapsed
    return result


def repeat_child(name: str, args: Json, runs: int) -> Json:
    """``runs`` runs of a child workload: the median of every number, the largest peak memory."""
    results = [run_child(name, args) for _ in range(runs)]
    out: Json = {"runs": runs}
    for key, value in results[0].items():
        if key.endswith("peak_mb"):
            out[key] = max(r[key] for r in results)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[key] = int(median([r[key] for r in results]))
        elif isinstance(value, float):
            out[key] = median([r[key] for r in results])
        elif isinstance(value, dict):
            out[key] = {k: round(median([r[key][k] for r in results]), 4) for k in value}
        else:
            out[key] = value
    out["wall_samples_s"] = [round(r.get("wall_s", r.get("wall_ms", 0)), 4) for r in results]
    return out


# --------------------------------------------------------------------------- in-process measurements


def example_emails(limit: int | None) -> tuple[Any, list[Any]]:
    from otokui.emails.render import Renderer
    from otokui.emails.variants import list_variants
    from otokui.policy.load import load_policy

    policy = load_policy(RULES)
    renderer = Renderer(policy, TEMPLATES)
    variants = list_variants(policy)
    return renderer, variants[:limit] if limit else variants


def measure_stages(renderer: Any, variants: list[Any], rounds: int) -> Json:
    """Per variant: template data, Jinja, MRML, inlining (+ finishing touches), plain text."""
    from otokui.emails.compile import finish, mjml_to_html
    from otokui.emails.plaintext import plain_text

    totals: dict[str, list[float]] = {"data": [], "jinja": [], "mjml": [], "inline": [], "text": []}
    for _ in range(rounds):
        spent = dict.fromkeys(totals, 0.0)
        for variant in variants:
            t0 = time.perf_counter()
            data = renderer.content.build(variant)
            data["theme"] = renderer.theme
            t1 = time.perf_counter()
            name, _ = renderer.templates.for_kind(variant.kind)
            source = renderer.templates.render(name, data)
            t2 = time.perf_counter()
            html = mjml_to_html(source, name)
            t3 = time.perf_counter()
            finish(renderer.inline(html), variant.locale)
            t4 = time.perf_counter()
            plain_text(source, variant.locale)
            t5 = time.perf_counter()
            for key, value in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                spent[key] += value
        for key in totals:
            totals[key].append(spent[key])
    per = {key: median(values) * 1000 / len(variants) for key, values in totals.items()}
    total = sum(per.values())
    return {
        "variants": len(variants),
        "rounds": rounds,
        "per_variant_ms": {k: round(v, 4) for k, v in per.items()},
        "total_ms": total,
        "variants_per_s_per_core": 1000 / total if total else 0.0,
    }


def measure_inliners(renderer: Any, sources: list[str], rounds: int) -> Json:
    """css-inline and premailer on the same MRML output and the same CSS, one inliner object each."""
    from otokui.emails.compile import make_inliner, mjml_to_html
    from otokui.emails.templates import INLINE_CSS

    css = renderer.templates.render(INLINE_CSS, {"theme": renderer.theme})
    pages = [mjml_to_html(source, "bench") for source in sources]
    out: Json = {"docs": len(pages), "rounds": rounds, "css_bytes": len(css.encode("utf-8"))}
    for kind in ("css-inline", "premailer"):
        try:
            inline = make_inliner(kind, css)
        except ImportError as error:  # premailer is optional for otokui
            note(f"{kind} unavailable: {error}")
            continue
        inline(pages[0])  # warm
        samples = []
        for _ in range(rounds):
            elapsed, _ = timed(lambda inline=inline: [inline(page) for page in pages])
            samples.append(elapsed)
        out[kind] = {"per_doc_ms": median(samples) * 1000 / len(pages)}
    if "css-inline" in out and "premailer" in out:
        out["speedup"] = out["premailer"]["per_doc_ms"] / out["css-inline"]["per_doc_ms"]
    out["css-inline-no-rules"] = _inline_without_rules(pages, css, rounds)
    return out


def _inline_without_rules(pages: list[str], css: str, rounds: int) -> Json:
    """What writing every inline style while rendering could save: css-inline with no rules to apply.

    The documents are inlined once first (as if their styles were written while rendering), then
    handed to a css-inline with an empty stylesheet: what is left is parsing and writing the
    document, which no render-time style can spare, since css-inline's output is what is sent
    (written its own way: ``<!DOCTYPE html>``, attribute quoting) and so must still be made.
    """
    import css_inline

    from otokui.emails.compile import make_inliner

    styled = [make_inliner("css-inline", css)(page) for page in pages]
    bare = css_inline.CSSInliner(
        inline_style_tags=False, keep_style_tags=True, keep_link_tags=False, load_remote_stylesheets=False
    )
    samples = []
    for _ in range(rounds):
        elapsed, _ = timed(lambda: [bare.inline(page) for page in styled])
        samples.append(elapsed)
    return {
        "per_doc_ms": median(samples) * 1000 / len(pages),
        "output_unchanged": sum(bare.inline(page) == page for page in styled),
        "docs": len(pages),
    }


def measure_mjml(sources: list[str], rounds: int, node: bool, cli_samples: int) -> Json:
    """MRML (mjml-python) against Node mjml on the same MJML documents."""
    import mjml

    out: Json = {"docs": len(sources), "rounds": rounds}
    for source in sources:  # warm, and make sure every document compiles
        mjml.mjml2html(source, disable_comments=True, fonts={})
    samples = []
    for _ in range(rounds):
        elapsed, _ = timed(lambda: [mjml.mjml2html(s, disable_comments=True, fonts={}) for s in sources])
        samples.append(elapsed)
    out["mrml"] = {"per_doc_ms": median(samples) * 1000 / len(sources), "package": "mjml-python"}
    if not node:
        out["node"] = {"skipped": "--no-node"}
        return out
    reason = ensure_node_mjml()
    if reason:
        note(f"Node MJML comparison skipped: {reason}")
        out["node"] = {"skipped": reason}
        return out
    OUT.mkdir(parents=True, exist_ok=True)
    docs = OUT / "mjml_docs.json"
    docs.write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    node_exe = shutil.which("node") or "node"
    done = subprocess.run(
        [node_exe, str(BENCH / "mjml_node.js"), str(docs), str(rounds)], capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        note(f"Node MJML comparison failed: {done.stderr.strip()[-500:]}")
        out["node"] = {"skipped": "node mjml failed"}
        return out
    warm: Json = json.loads(done.stdout.strip().splitlines()[-1])
    out["node"] = {"version": warm["version"], "per_doc_ms": warm["per_doc_ms"], "errors": warm["errors"]}
    out["speedup_in_process"] = warm["per_doc_ms"] / out["mrml"]["per_doc_ms"]
    out["node_cli"] = measure_mjml_cli(sources[:cli_samples])
    if "per_doc_ms" in out["node_cli"]:
        out["speedup_cli"] = out["node_cli"]["per_doc_ms"] / out["mrml"]["per_doc_ms"]
    return out


def measure_mjml_cli(sources: list[str]) -> Json:
    """``npx mjml file.mjml -s`` once per file: what a build that shells out per email pays."""
    npx = shutil.which("npx")
    if npx is None:
        return {"skipped": "npx not found"}
    folder = OUT / "mjml"
    folder.mkdir(parents=True, exist_ok=True)
    samples = []
    for i, source in enumerate(sources):
        path = folder / f"{i:03d}.mjml"
        path.write_text(source, encoding="utf-8")
        command = [npx, "--no-install", "mjml", str(path), "-s", "--config.fonts", "{}"]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=BENCH, timeout=120)
        elapsed = time.perf_counter() - start
        if done.returncode != 0 or "<html" not in done.stdout:
            return {"skipped": f"npx mjml failed: {done.stderr.strip()[-300:]}"}
        samples.append(elapsed)
    return {"files": len(samples), "per_doc_ms": median(samples) * 1000, "samples_ms": [s * 1000 for s in samples]}


NODE_PACKAGES = ("mjml", "juice", "html-to-text")


def ensure_node_mjml() -> str:
    """Install the reference Node tools into bench/node_modules if needed; the reason they cannot be used, or ''.

    ``npm ci`` installs exactly what bench/package-lock.json pins and never rewrites it.
    """
    if shutil.which("node") is None:
        return "node not found"
    if all((BENCH / "node_modules" / name / "package.json").is_file() for name in NODE_PACKAGES):
        return ""
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found"
    note("installing the reference Node tools into bench/node_modules (npm ci --prefix bench)")
    try:
        done = subprocess.run(
            [npm, "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=BENCH,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"npm ci failed: {error}"
    if done.returncode != 0 or not all((BENCH / "node_modules" / name).is_dir() for name in NODE_PACKAGES):
        return f"npm ci failed (registry unreachable?): {done.stderr.strip()[-300:]}"
    return ""


def measure_node_pipeline(sources: list[str], css: str, rounds: int, otokui: Json) -> Json:
    """Node mjml + juice + html-to-text on the same MJML and CSS, as one command (start-up included).

    The command makes one pass over every document and writes each one's HTML and text, as a build
    script would; its median wall over ``rounds`` runs is set beside otokui's whole build as one
    command (``otokui["command_s"]``) and as ``build()`` alone. A second run of several passes gives
    the warm cost per document.
    """
    reason = ensure_node_mjml()
    if reason:
        note(f"Node pipeline comparison skipped: {reason}")
        return {"skipped": reason}
    OUT.mkdir(parents=True, exist_ok=True)
    docs = OUT / "pipeline_docs.json"
    docs.write_text(json.dumps({"css": css, "docs": sources}, ensure_ascii=False), encoding="utf-8")
    node_exe = shutil.which("node") or "node"
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(rounds):
            result = _run_node([node_exe, str(BENCH / "pipeline_node.js"), str(docs), "1", str(Path(tmp) / str(run))])
            if result is None:
                return {"skipped": "node pipeline failed"}
            walls.append(result["process_s"])
    warm = _run_node([node_exe, str(BENCH / "pipeline_node.js"), str(docs), "4"])
    if warm is None:
        return {"skipped": "node pipeline failed"}
    out: Json = {
        "versions": result["versions"],
        "docs": result["docs"],
        "process_s": median(walls),
        "samples_s": [round(w, 3) for w in walls],
        "load_ms": result["load_ms"],
        "first_pass_ms": result["first_pass_ms"],
        "per_doc_ms_warm": warm["per_doc_ms"],
    }
    command_s = otokui.get("command_s")
    if command_s:
        out["otokui_command_s"] = command_s
        out["ratio"] = command_s / out["process_s"]
    build_s = otokui.get("full_build_wall_s")
    if build_s:
        out["otokui_build_s"] = build_s
        out["build_ratio"] = build_s / out["process_s"]
    emails_ms = otokui.get("emails_per_doc_ms")
    if emails_ms:
        out["otokui_emails_per_doc_ms"] = emails_ms
        out["emails_speedup_warm"] = out["per_doc_ms_warm"] / emails_ms
    return out


def _run_node(command: list[str]) -> Json | None:
    """One run of the Node pipeline: its JSON line with the process wall added, or None (said) if it failed."""
    os.sync()  # what earlier work left to write back is not charged to this run
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        note(f"Node pipeline failed: {done.stderr.strip()[-500:]}")
        return None
    result: Json = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = elapsed
    return result


def measure_build_command(project: str, rounds: int) -> Json:
    """``build.py build`` as a shop runs it, start-up, check and report included, warm (built in ``project`` before)."""
    policy = Path(project) / "rules.yaml"
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, str(ROOT / "build.py"), "build", "--policy", str(policy), "--out", f"{tmp}/dist"]
        for _ in range(rounds + 1):  # the first fills the cache for this output folder
            wait_for_removal(Path(tmp) / "dist")  # the last run's replaced output is not charged to this one
            os.sync()
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
            walls.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise RuntimeError(f"build.py build failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return {"wall_s": median(walls[1:]), "samples_s": [round(w, 3) for w in walls[1:]]}


def measure_mkdocs_command(rounds: int) -> Json:
    """``mkdocs build`` of the member site's sources by itself, one command (the otokui plugin builds one locale)."""
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(rounds + 1):  # the first fills the compiled-template cache
            command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(SITE_SRC / "mkdocs.yml")]
            os.sync()
            start = time.perf_counter()
            done = subprocess.run(
                [*command, "-d", f"{tmp}/{run}"], capture_output=True, text=True, timeout=900, cwd=ROOT
            )
            walls.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise RuntimeError(f"mkdocs build failed:\n{done.stderr[-2000:]}")
    return {"wall_s": median(walls[1:]), "samples_s": [round(w, 3) for w in walls[1:]]}


# --------------------------------------------------------------------------- report


#: Customers for the real-customer runs: about 25,000 and 100,000 orders (memory should not grow with them).
CUSTOMER_RUNS = (9200, 36700)


def customers_runs(work: Json, quick: bool, step: Callable[[str], None]) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.customers.history import END

    for customers in (300,) if quick else CUSTOMER_RUNS:
        step(f"build.py run over a generated history of {customers} customers")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            shutil.copytree(TEMPLATES, folder / "email_templates")
            shutil.copy(RULES, folder / "rules.yaml")
            export = run_child("customers_export", {"customers": customers, "folder": str(folder / "exports")})
            args = {"folder": tmp, "files": export["files"], "orders": export["orders"], "end": END.isoformat()}
            figures = run_child("customers_run", args)
            figures.update(customers=customers, orders=export["orders"])
            work.setdefault("customers_run", {})[str(customers)] = figures


#: The peak-memory figures of a build workload.
PEAKS = ("peak_mb", "workers_peak_mb")


def verdicts(results: Json) -> Json:
    work = results["workloads"]
    large = work["large_build"]
    found: dict[str, float | None] = {
        "full_build_warm_s": work["full_build"]["wall_s"],
        "full_build_cold_s": work["full_build_cold"]["wall_s"],
        "large_build_s": large["wall_s"],
        "large_peak_mb": max(
            large["peak_mb"], large["workers_peak_mb"], *(work.get("large_build_cold", {}).get(k, 0) for k in PEAKS)
        ),
        "preview_ms": work["preview"]["wall_ms"],
        "fills_per_s_per_core": work["export"]["fills_per_cpu_s"],
        "vs_node_ratio": work["node_pipeline"].get("ratio"),
    }
    runs = work.get("customers_run", {})
    if runs:
        found["customers_run_s"] = runs[max(runs, key=int)]["next_day"]["wall_s"]
    out: Json = {}
    for key, target in TARGETS.items():
        if key not in found:
            continue
        value = found[key]
        if value is None:
            out[key] = {"target": target, "value": None, "met": None}
            continue
        met = value >= target if key in AT_LEAST else value <= target
        out[key] = {"target": target, "value": round(value, 3), "met": met}
    return out


def table(results: Json) -> str:
    work = results["workloads"]
    rows: list[tuple[str, str, str]] = []

    def row(name: str, value: str, target: str = "") -> None:
        rows.append((name, value, target))

    full = work["full_build"]
    cold = work["full_build_cold"]
    t = full["timings"]
    steps = " / ".join(STEPS)
    row("example build, build() wall, warm cache", f"{full['wall_s']:.2f} s", "< 1.2 s")
    row("example build, build() wall, cold cache", f"{cold['wall_s']:.2f} s", "< 1.8 s")
    row(f"  {steps} (warm)", " / ".join(f"{t.get(k, 0):.2f}" for k in STEPS) + " s")
    command = work.get("build_command")
    if command:
        row("  build.py build, one command (start-up, check, report; warm)", f"{command['wall_s']:.2f} s")
    row("  peak memory (main / workers)", f"{full['peak_mb']:.0f} / {full['workers_peak_mb']:.0f} MB")
    mkdocs = work.get("mkdocs_command")
    if mkdocs:
        row("the member site alone: mkdocs build, one command (one locale)", f"{mkdocs['wall_s']:.2f} s")
    large = work["large_build"]
    for customers, figures in work.get("customers_run", {}).items():
        base, nxt = figures["baseline"], figures["next_day"]
        row(
            f"build.py run, {figures['orders']} orders ({customers} customers), first run",
            f"{base['wall_s']:.1f} s",
            "< 60 s" if customers == str(CUSTOMER_RUNS[-1]) else "",
        )
        row(
            f"  next day: {nxt['mails']} mails, {nxt['letters']} letters",
            f"{nxt['wall_s']:.1f} s",
            "< 60 s" if customers == str(CUSTOMER_RUNS[-1]) else "",
        )
        children = figures.get("children_peak_mb", 0)
        row("  peak memory (main / largest worker or printer)", f"{figures['peak_mb']:.0f} / {children:.0f} MB")
    row(f"large policy build ({large['emails']} variants), warm cache", f"{large['wall_s']:.2f} s", "< 10 s")
    lt = large["timings"]
    row(f"  {steps}", " / ".join(f"{lt.get(k, 0):.2f}" for k in STEPS) + " s")
    row("  peak memory (main / workers)", f"{large['peak_mb']:.0f} / {large['workers_peak_mb']:.0f} MB", "< 250 MB")
    large_cold = work.get("large_build_cold")
    if large_cold:
        lc = large_cold["timings"]
        row("large policy build, cold cache (every output checked)", f"{large_cold['wall_s']:.2f} s")
        row(f"  {steps}", " / ".join(f"{lc.get(k, 0):.2f}" for k in STEPS) + " s")
        row(
            "  peak memory (main / workers)",
            f"{large_cold['peak_mb']:.0f} / {large_cold['workers_peak_mb']:.0f} MB",
        )
    rebuild = work.get("large_rebuild")
    if rebuild:
        row("large policy rebuilt into its own output folder, warm", f"{rebuild['wall_s']:.2f} s")
        row("  its replaced copy removed in the background, after", f"{rebuild['removed_after_s']:.2f} s")
    for workers, entry in work["large_emails"].items():
        row(
            f"email pipeline, {workers} process{'es' if workers != '1' else ''}",
            f"{entry['variants_per_s']:.0f}/s, {entry['variants_per_s_per_core']:.0f}/s/core",
            "",
        )
    for key, label in (("export", "example"), ("large_export", "large policy")):
        ex = work.get(key)
        if ex:
            row(f"export, {label} ({ex['variants']} variants): compile + all targets", f"{ex['export_s']:.2f} s")
            row(
                "  compile with tokens / " + " / ".join(ex["targets"]),
                f"{ex['compile_s']:.2f} / " + " / ".join(f"{t['wall_s']:.2f}" for t in ex["targets"].values()) + " s",
            )
    if work.get("export"):
        row(
            "fill (one customer: HTML + text + subject)",
            f"{work['export']['fills_per_cpu_s']:.0f}/s/core",
            ">= 20000/s/core",
        )
    stages = work["stages"]
    per = stages["per_variant_ms"]
    row(
        "  per variant: data/Jinja/MRML/inline/text",
        " / ".join(f"{per[k]:.2f}" for k in per) + f" = {stages['total_ms']:.2f} ms",
    )
    inc = work["incremental"]
    row(f"re-render one kind in process ({inc['kind']}, {inc['variants']} variants)", f"{inc['wall_ms']:.0f} ms")
    prev = work["preview"]
    row(
        f"preview: save {prev['one_kind']['template']} → emails published",
        f"{prev['one_kind']['wall_ms']:.0f} ms",
        "< 150 ms",
    )
    row(f"preview: save {prev['every_kind']['template']} (every kind)", f"{prev['every_kind']['wall_ms']:.0f} ms")
    node_pipe = work["node_pipeline"]
    if "process_s" in node_pipe:
        v = node_pipe["versions"]
        row(
            f"Node mjml {v['mjml']} + juice {v['juice']} + html-to-text {v['html-to-text']}, "
            f"{node_pipe['docs']} docs, one pass written out, one command",
            f"{node_pipe['process_s']:.2f} s",
        )
        if "ratio" in node_pipe:
            row("  otokui build.py build (warm), one command / Node", f"{node_pipe['ratio']:.2f}x", "<= 0.3x")
        if "build_ratio" in node_pipe:
            row("  otokui build() alone (warm) / Node", f"{node_pipe['build_ratio']:.2f}x")
        if "emails_speedup_warm" in node_pipe:
            row(
                "  email pipeline per doc, warm: otokui / Node",
                f"{node_pipe['otokui_emails_per_doc_ms']:.2f} / {node_pipe['per_doc_ms_warm']:.2f} ms",
            )
    else:
        row("Node mjml + juice + html-to-text", f"skipped ({node_pipe.get('skipped', '?')})")
    for name, entry in work.get("hostile_check", {}).items():
        row(f"check --input, hostile markup {name} B", f"{entry['wall_s']:.2f} s ({entry['mb_per_s']:.2f} MB/s)")
    mj = work["mjml"]
    row("MJML: MRML (mjml-python)", f"{mj['mrml']['per_doc_ms']:.2f} ms/doc")
    node = mj.get("node", {})
    if "per_doc_ms" in node:
        row(f"MJML: Node mjml {node['version']}, warm process", f"{node['per_doc_ms']:.2f} ms/doc")
        row("  MRML speed-up (in process)", f"{mj['speedup_in_process']:.1f}x")
        cli = mj.get("node_cli", {})
        if "per_doc_ms" in cli:
            row(f"MJML: npx mjml per file ({cli['files']} files)", f"{cli['per_doc_ms']:.0f} ms/doc")
            row("  MRML speed-up (against the CLI)", f"{mj['speedup_cli']:.0f}x")
    else:
        row("MJML: Node mjml", f"skipped ({node.get('skipped', '?')})")
    inl = work["inliner"]
    if "css-inline" in inl:
        row("inliner: css-inline", f"{inl['css-inline']['per_doc_ms']:.2f} ms/doc")
    if "premailer" in inl:
        row("inliner: premailer", f"{inl['premailer']['per_doc_ms']:.2f} ms/doc")
    if "speedup" in inl:
        row("  css-inline speed-up", f"{inl['speedup']:.1f}x")
    bare = inl.get("css-inline-no-rules")
    if bare:
        row("  css-inline with no rules (styles written while rendering)", f"{bare['per_doc_ms']:.2f} ms/doc")
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    lines = [f"{name:<{width}}  {value:>{vwidth}}  {target}".rstrip() for name, value, target in rows]
    lines.append("")
    for key, verdict in results["targets"].items():
        status = "not measured" if verdict["met"] is None else "met" if verdict["met"] else "MISSED"
        lines.append(f"target {key}: {verdict['value']} (target {verdict['target']}) {status}")
    return "\n".join(lines)


STEPS = ("policy", "render", "export", "write", "site", "check")


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tiny workload, one run (for tests)")
    parser.add_argument("--no-node", action="store_true", help="skip the Node mjml comparison")
    parser.add_argument("--runs", type=int, default=None, help="runs per workload (default 3, 1 with --quick)")
    parser.add_argument("--out", type=Path, default=OUT / "results.json", help="where to write the JSON results")
    parser.add_argument(
        "--only", choices=("customers",), default=None, help="run one workload (customers: build.py run on orders)"
    )
    parser.add_argument("--child", nargs=2, metavar=("WORKLOAD", "ARGS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        name, raw = args.child
        print(json.dumps(CHILDREN[name](json.loads(raw))))
        return 0

    import otokui

    if args.only == "customers":
        work_only: Json = {}
        customers_runs(work_only, args.quick, lambda message: print(f"... {message}", file=sys.stderr, flush=True))
        print(json.dumps(work_only, indent=2))
        return 0
    runs = args.runs or (1 if args.quick else 3)
    shape = QUICK if args.quick else LARGE
    rounds = 1 if args.quick else 5
    results: Json = {
        "version": 1,
        "meta": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "otokui": str(Path(otokui.__file__).resolve().parent),
            "runs": runs,
            "quick": args.quick,
            "large_shape": shape,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
        "workloads": {},
    }
    work: Json = results["workloads"]

    def step(message: str) -> None:
        print(f"... {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        step("example shop, full build, cold cache (a new project folder each run)")
        colds = [
            run_child("full_build", {"policy": str(RULES), "project": tempfile.mkdtemp(dir=tmp)}) for _ in range(runs)
        ]
        work["full_build_cold"] = {
            "wall_s": median([c["wall_s"] for c in colds]),
            "samples_s": [c["wall_s"] for c in colds],
        }
        step("example shop, full build, warm cache")
        project = tempfile.mkdtemp(dir=tmp)
        run_child("full_build", {"policy": str(RULES), "project": project})  # fills the project's cache
        work["full_build"] = repeat_child("full_build", {"policy": str(RULES), "project": project}, runs)
        step("example shop, build.py build as one command, warm cache")
        work["build_command"] = measure_build_command(project, runs)
        step("the member site alone: mkdocs build, one command")
        work["mkdocs_command"] = measure_mkdocs_command(runs)
    with tempfile.TemporaryDirectory() as tmp:
        step(f"large policy {shape}")
        large = write_large_policy(Path(tmp), shape)
        large_project = {"policy": str(large), "project": tempfile.mkdtemp(dir=tmp)}
        work["large_build_cold"] = run_child("full_build", large_project)  # a new project folder: nothing kept
        work["large_build"] = repeat_child("full_build", large_project, max(1, min(runs, 2)))  # warm
        step("large policy, rebuilt into its own output folder")
        work["large_rebuild"] = run_child("rebuild", large_project)
        step("large policy, export to every target")
        work["large_export"] = run_child("export", {"policy": str(large), "fills": 2000})
        work["large_emails"] = {}
        for workers in (1, 2):
            step(f"large policy, email pipeline on {workers} process(es)")
            work["large_emails"][str(workers)] = repeat_child(
                "emails", {"policy": str(large), "workers": workers}, max(1, min(runs, 2))
            )
    step("example shop, export to every target")
    work["export"] = run_child("export", {"policy": str(RULES), "fills": 1000 if args.quick else 20000})
    step("incremental preview rebuild")
    work["incremental"] = run_child(
        "incremental", {"kind": "order_confirmation", "template": "blocks/greeting.mjml.j2", "runs": max(runs * 3, 3)}
    )
    step("preview: save → emails published")
    work["preview"] = run_child("preview", {"runs": max(runs, 3)})
    work["hostile_check"] = {}
    for kind in ("stray", "switches"):
        for size in (20_000,) if args.quick else (100_000, 1_000_000):
            step(f"check --input on {size:,} bytes of hostile markup ({kind})")
            work["hostile_check"][f"{kind}-{size}"] = run_child("hostile_check", {"kind": kind, "bytes": size})
    renderer, variants = example_emails(8 if args.quick else None)
    step("stages")
    work["stages"] = measure_stages(renderer, variants, rounds)
    sources = [renderer.render(v).mjml for v in variants]
    step("Node mjml + juice + html-to-text")
    if args.no_node:
        work["node_pipeline"] = {"skipped": "--no-node"}
    else:
        from otokui.emails.templates import INLINE_CSS

        css = renderer.templates.render(INLINE_CSS, {"theme": renderer.theme})
        emails_ms = sum(work["stages"]["per_variant_ms"][k] for k in ("mjml", "inline", "text"))
        mine = {
            "command_s": work["build_command"]["wall_s"],
            "full_build_wall_s": work["full_build"]["wall_s"],
            "emails_per_doc_ms": emails_ms,
        }
        work["node_pipeline"] = measure_node_pipeline(sources, css, runs, mine)
    step("inliners")
    work["inliner"] = measure_inliners(renderer, sources, rounds)
    step("MJML compilers")
    work["mjml"] = measure_mjml(sources, rounds, node=not args.no_node, cli_samples=2 if args.quick else 5)
    customers_runs(work, args.quick, step)
    results["targets"] = verdicts(results)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
