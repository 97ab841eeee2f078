"""The command line: ``python build.py build|check|serve|schema|rules``.

The only module that prints or exits. Commands import their machinery
lazily, so ``--help`` and ``schema`` stay quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from otokui.artifacts import CONTEXT_FLAGS
from otokui.errors import EXIT_ERROR, EXIT_OK, BuildError, OtokuiError, PolicyError, printable
from otokui.lint.report import FORMATS
from otokui.policy.model import EXPORT_TARGETS


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", type=Path, default=None, help="the shop's policy (default: rules.yaml)")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="the output folder (default: dist)")
    parser.add_argument("--templates", type=Path, default=None, help="email templates (default: email_templates/)")
    parser.add_argument("--site-src", type=Path, default=None, help="MkDocs sources (default: site_src/)")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="how findings are printed (default: text; github under GitHub Actions)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail the run too (exit 1)")
    parser.add_argument(
        "--output", type=Path, default=None, help="write the report to this file instead of standard output"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="build.py",
        description="otokui: one shop policy to customer-first member pages and emails, checked by guideline.",
    )
    main.add_argument("--version", action="version", version=f"otokui {_version()}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="render every page and email into the output folder, then check it")
    _common(build)
    _report_options(build)
    build.add_argument("--no-check", action="store_true", help="skip the guideline checker")
    build.add_argument("--no-site", action="store_true", help="skip the MkDocs member site")

    check = commands.add_parser("check", help="check the built output (or --input files) against the guidelines")
    _common(check)
    _report_options(check)
    check.add_argument("--input", type=Path, nargs="+", default=None, help="lint these HTML files instead of the build")
    check.add_argument(
        "--render",
        action="store_true",
        help="also lay each email out in headless Chromium at 375 and 600 px (OT1501: overflow, cut text, wide images)",
    )
    for flag in CONTEXT_FLAGS:
        what = "notice ids, comma-separated," if flag == "notices" else f"the {flag}"
        check.add_argument(f"--{flag}", default=None, help=f"with --input: {what} the files stand for")

    serve = commands.add_parser("serve", help="live preview of every email variant and the member site")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    schema = commands.add_parser("schema", help="print the JSON Schema of rules.yaml (for editor autocompletion)")
    schema.add_argument("--output", type=Path, default=None, help="write to this file instead of standard output")

    validate = commands.add_parser("validate", help="read the policy and report every problem, building nothing")
    validate.add_argument("--policy", type=Path, default=Path("rules.yaml"))

    commands.add_parser("rules", help="list the guideline rules with their ids and default levels")

    init = commands.add_parser("init", help="start a new shop: a commented rules.yaml and its schema in DIR")
    init.add_argument("dir", type=Path, nargs="?", default=Path("."), help="the shop's folder (default: here)")
    init.add_argument("--interactive", action="store_true", help="ask for the shop's name, address and e-mail")
    init.add_argument(
        "--eject",
        choices=("templates", "site"),
        default=None,
        help="copy the default email templates or site sources into DIR to change them",
    )
    export = commands.add_parser("export", help="write the email templates for one sending platform")
    export.add_argument(
        "--policy", type=Path, default=Path("rules.yaml"), help="the shop's policy (default: rules.yaml)"
    )
    export.add_argument(
        "--target", required=True, choices=EXPORT_TARGETS, help="the platform: " + ", ".join(EXPORT_TARGETS)
    )
    export.add_argument("--out", type=Path, default=None, help="the folder to write (default: dist/export/<target>)")
    export.add_argument("--templates", type=Path, default=None, help="email templates (default: email_templates/)")

    run = commands.add_parser(
        "run", help="the day's mails, letters and ranks for real customers, from the shop's order export"
    )
    run.add_argument("--policy", type=Path, default=Path("rules.yaml"), help="the shop's policy (default: rules.yaml)")
    run.add_argument("--orders", type=Path, required=True, help="the order export (CSV)")
    run.add_argument("--customers", type=Path, default=None, help="the customer export (EC-CUBE 会員CSV…)")
    run.add_argument("--on", type=_date, default=None, metavar="DATE", help="the day to run for (default: today)")
    run.add_argument(
        "--out", type=Path, default=Path("otokui-run"), help="the private run folder (default: otokui-run)"
    )
    run.add_argument("--templates", type=Path, default=None, help="email templates (default: email_templates/)")
    run.add_argument("--dry-run", action="store_true", help="write the report only: no mail, letter or history")
    run.add_argument("--send", action="store_true", help="hand the written mails to run.smtp")
    run.add_argument(
        "--on-error", choices=("skip", "stop"), default="skip", help="a row that cannot be read: skip it or stop"
    )
    run.add_argument(
        "--announce-ranks", action="store_true", help="on the first run, write rank-up mails for ranks already held"
    )
    run.add_argument("--no-check", action="store_true", help="skip the guideline checker on the mails")
    return main


def _date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def _version() -> str:
    from otokui import __version__

    return __version__


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _emit(text: str, output: Path | None, out: TextIO) -> None:
    if output is None:
        if text:
            out.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        from otokui.errors import UsageError

        raise UsageError(f"{output}: cannot write the report ({exc.strerror})") from None


def _project(args: argparse.Namespace) -> Any:
    from otokui.pipeline import Project

    return Project.locate(args.policy, args.templates, args.site_src)


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.lint import exit_code, render
    from otokui.pipeline import build

    result = build(_project(args), args.out, run_checks=not args.no_check, site=False if args.no_site else None)
    seconds = sum(result.timings.values())
    for line in result.export_problems:
        err.write(f"warning: {line}\n")
    err.write(f"built {result.emails} emails and {result.pages} pages into {args.out}/ in {seconds:.2f} s\n")
    if args.no_check:
        return EXIT_OK
    _emit(render(result.findings, _format(args)), args.output, out)
    return exit_code(result.findings, args.strict)


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.lint import exit_code, render

    lay_out = bool(args.render)
    if lay_out:
        from otokui.lint.layout import unavailable

        reason = unavailable()
        if reason and os.environ.get("CI", "").lower() == "true":
            raise BuildError(f"check --render cannot run under CI=true: {reason}")
        if reason:
            err.write(f"note: check --render skipped the layout check (OT1501): {reason}\n")
            lay_out = False
    if args.input:
        from otokui.lint import artifacts_from_paths
        from otokui.pipeline import check_files, read_policy

        policy, positions = read_policy(args.policy)[:2] if args.policy_given else (None, None)
        flags = {name: getattr(args, name) for name in CONTEXT_FLAGS}
        artifacts = artifacts_from_paths(args.input, flags, policy=policy)
        findings = check_files(artifacts, policy, positions, str(args.policy), render=lay_out)
    else:
        from otokui.pipeline import check_built

        _, findings = check_built(_project(args), args.out, render=lay_out)
    _emit(render(findings, _format(args)), args.output, out)
    return exit_code(findings, args.strict)


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from importlib import import_module

    preview = import_module("otokui.preview")
    return int(preview.serve(_project(args), args.out, host=args.host, port=args.port, log=err) or 0)


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.policy.schema import schema

    _emit(json.dumps(schema(), ensure_ascii=False, indent=2) + "\n", args.output, out)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.lint import exit_code, lint_policy, render
    from otokui.pipeline import read_policy

    policy, _, config = read_policy(args.policy)
    findings = lint_policy(policy, config)
    if findings:
        out.write(render(findings, "text"))
    ranks = len(policy.membership.ranks)
    out.write(
        f"{args.policy}: valid ({ranks} ranks, {len(policy.emails.items())} email kinds,"
        f" {len(policy.notices)} notices)\n"
    )
    return exit_code(findings, strict=False)


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.lint.rules import RULES

    for rule in RULES:
        out.write(f"{rule.id:8} {rule.level:8} {rule.name}\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.export import describe, export
    from otokui.pipeline import Project
    from otokui.policy.load import load_with_positions
    from otokui.writer import build_lock, claim_output, staging, write_error

    project = Project.locate(args.policy, args.templates)
    target_dir = args.out or Path("dist") / "export" / args.target
    claimed = claim_output(target_dir, project.sources())  # the same rules as build --out
    policy, positions = load_with_positions(args.policy)
    templates = project.templates
    result = export(policy, templates, args.target)
    try:
        with build_lock(claimed), staging(claimed) as stage:
            for file in result.files:
                path = stage.path / file.path
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(file.data)
            stage.commit()
    except OSError as exc:
        raise write_error(target_dir, exc) from None
    for problem in result.problems:
        err.write(f"warning: {describe(problem, positions, str(args.policy))}\n")
    err.write(f"exported {len(result.files)} files for {args.target} into {target_dir}/\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.customers.engine import Options, run
    from otokui.errors import EXIT_FINDINGS
    from otokui.lint import render
    from otokui.policy.load import load_policy

    policy = load_policy(args.policy)
    from otokui.pipeline import Project

    templates = Project.locate(args.policy, args.templates).templates
    options = Options(
        orders=args.orders,
        customers=args.customers,
        day=args.on,
        out=args.out,
        dry_run=args.dry_run,
        send=args.send,
        on_error=args.on_error,
        announce_ranks=args.announce_ranks,
        check=not args.no_check,
    )
    bar = _progress_bar(err)
    result = run(policy, args.policy, templates, options, bar)
    for problem in result.errors:
        err.write(f"{problem}\n")
    if result.findings:
        _emit(render(result.findings, "text"), None, out)
    err.write(result.summary(result.words) + "\n")
    return EXIT_FINDINGS if result.errors or any(f.level == "error" for f in result.findings) else EXIT_OK


def _progress_bar(err: TextIO) -> Any:
    """A one-line progress bar on a terminal; nothing when the output is a file or a pipe."""
    if not getattr(err, "isatty", lambda: False)():
        return None

    def tick(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} customers")
        if done >= total:
            err.write("\n")
        err.flush()

    return tick


def _policy_annotations(exc: PolicyError) -> str:
    """Policy problems as GitHub annotations on rules.yaml, so they show in the pull request."""
    from otokui.lint.report import escape_data, escape_property

    lines = []
    for p in exc.problems:
        where = f"file={escape_property(p.file)},line={p.line},col={p.column},title=policy"
        message = f"{p.key}: {p.message}" if p.key else p.message
        lines.append(f"::error {where}::{escape_data(message)}\n")
    return "".join(lines)


def _ask(question: str, default: str, out: TextIO) -> str:
    out.write(f"{question} [{default}]: ")
    out.flush()
    answer = sys.stdin.readline()
    return answer.strip() or default


def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from otokui.starter import Answers, eject, write_starter

    if args.eject:
        written = eject(args.dir, args.eject)
        err.write(f"copied {len(written)} files into {args.dir / written[0].relative_to(args.dir).parts[0]}/\n")
        return EXIT_OK
    answers = Answers()
    if args.interactive:
        answers = Answers(
            shop_ja=_ask("お店の名前（日本語） / shop name in Japanese", answers.shop_ja, out),
            shop_en=_ask("shop name in English", answers.shop_en, out),
            url=_ask("shop address (https://…)", answers.url, out),
            email=_ask("contact e-mail", answers.email, out),
        )
    written = write_starter(args.dir, answers)
    err.write(f"wrote {written[0]} and {written[1].name}; edit it, then run: otokui build --policy {written[0]}\n")
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "check": cmd_check,
    "serve": cmd_serve,
    "schema": cmd_schema,
    "validate": cmd_validate,
    "rules": cmd_rules,
    "init": cmd_init,
    "export": cmd_export,
    "run": cmd_run,
}


def run(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit code. Errors the user can fix are printed, never raised."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_ERROR
    if hasattr(args, "policy"):
        args.policy_given = args.policy is not None
        args.policy = args.policy or Path("rules.yaml")
    try:
        return COMMANDS[args.command](args, out, err)
    except OtokuiError as exc:
        for line in (part for text in exc.lines() for part in text.split("\n")):
            err.write(f"{printable(line)}\n")  # a file name with ESC or a line break stays one inert line
        if isinstance(exc, PolicyError) and getattr(args, "format", None) is not None and _format(args) == "github":
            out.write(_policy_annotations(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("interrupted; the previous output is untouched\n")
        return 130


def main(argv: Sequence[str] | None = None) -> None:
    code = run(argv)
    if list(sys.argv[1:] if argv is None else argv)[:1] == ["serve"]:
        # The preview has removed its build folder and stopped its workers; tearing down the
        # interpreter (every module of MkDocs and friends) can take a second, and SIGTERM promises less.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
