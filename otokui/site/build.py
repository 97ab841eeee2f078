"""Running MkDocs from Python: one strict build per locale, quietly, with errors as BuildError.

MkDocs reports through the ``mkdocs`` logger. While a build runs, that logger
is detached from the root logger and feeds a collector instead, so a normal
build prints nothing (only the command line prints) and a failed one can
say exactly which warnings stopped it.
"""

from __future__ import annotations

import copy
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.theme import Theme
from mkdocs.utils.yaml import yaml_load

from otokui import cache
from otokui.artifacts import Artifact, Context
from otokui.errors import BuildError
from otokui.policy.model import Policy
from otokui.site.pages import GeneratedPage
from otokui.site.plugin import OtokuiPlugin, locale_root

SITE = "site"  # artifact paths are "site/<page>", as the pipeline stages the site in <stage>/site
PLUGIN = "otokui"
CONFIG = "mkdocs.yml"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


@contextmanager
def quiet_mkdocs() -> Iterator[_Collector]:
    """Silence MkDocs' logging for the duration, collecting its warnings and errors."""
    logger = logging.getLogger("mkdocs")
    collector = _Collector()
    saved = (logger.propagate, logger.level, list(logger.handlers))
    logger.propagate = False
    for handler in saved[2]:
        logger.removeHandler(handler)
    logger.addHandler(collector)
    logger.setLevel(logging.INFO)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        for handler in saved[2]:
            logger.addHandler(handler)
        logger.propagate, logger.level = saved[0], saved[1]


class ThemeLoader(FileSystemLoader):
    """The theme's templates, listed without hidden folders and files.

    MkDocs lists every file of the theme to copy its assets, then drops each hidden
    path (``.*``, ``*/.*``) from that list; Material keeps some 14 000 icons in
    ``.icons/``. Not walking hidden folders gives MkDocs the same list at a
    fraction of the cost; a template that includes an icon still finds it by name.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                for filename in filenames:
                    if filename.startswith("."):
                        continue
                    template = os.path.join(dirpath, filename)[len(searchpath) :].strip(os.path.sep)
                    found.add(template.replace(os.path.sep, "/").removeprefix("./"))
        return sorted(found)


def theme_environments(theme: Theme) -> None:
    """Every Jinja environment ``theme`` makes loads compiled templates from the project's cache.

    MkDocs makes one per build and Material's search plugin one more while
    configuring (to read its translations); each would otherwise compile the
    templates it uses again. Their loader lists files as :class:`ThemeLoader`.
    """
    make = theme.get_env

    def get_env() -> Environment:
        env = make()
        loader = env.loader
        if type(loader) is FileSystemLoader:
            env.loader = ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
        if env.bytecode_cache is None:
            env.bytecode_cache = cache.bytecode_cache("site-theme")
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _split_plugins(config_file: Path) -> tuple[list[Any], dict[str, Any]]:
    """The other plugins of mkdocs.yml, and the options of ours.

    The otokui plugin is instantiated here rather than through its entry point,
    so a build works whether or not the package is installed.
    """
    with config_file.open("rb") as fd:
        raw = yaml_load(fd) or {}
    entries = raw.get("plugins", [])
    if isinstance(entries, dict):
        entries = [{name: options} for name, options in entries.items()]
    others: list[Any] = []
    ours: dict[str, Any] | None = None
    for entry in entries:
        name = entry if isinstance(entry, str) else next(iter(entry), None)
        if name == PLUGIN:
            ours = {} if isinstance(entry, str) else dict(entry[PLUGIN] or {})
        else:
            others.append(entry)
    if ours is None:
        raise BuildError(f"{config_file}: the '{PLUGIN}' plugin is not listed under plugins:")
    return others, ours


def _build_locale(
    policy: Policy,
    policy_path: Path,
    config_file: Path,
    plugins: tuple[list[Any], dict[str, Any]],
    site_dir: Path,
    locale: str,
    handwritten: bool,
    docs_dir: Path | None,
) -> list[GeneratedPage]:
    """Build one locale into ``site_dir``; returns its generated pages."""
    others, options = copy.deepcopy(plugins)  # MkDocs keeps (and plugins may change) what it is given
    with quiet_mkdocs() as collector:
        try:
            extra = {"docs_dir": str(docs_dir)} if docs_dir is not None else {}
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True, plugins=others, **extra)
            theme_environments(config.theme)
            plugin = OtokuiPlugin()
            errors, warnings = plugin.load_config(
                {**options, "policy": str(policy_path), "locale": locale, "handwritten": handwritten},
                str(config_file),
            )
            if errors or warnings:
                problems = "; ".join(f"{key}: {message}" for key, message in [*errors, *warnings])
                raise BuildError(f"{config_file}: plugins: {PLUGIN}: {problems}")
            plugin.policy = policy
            config.plugins[PLUGIN] = plugin
            build(config)
            return plugin.pages
        except MkDocsException as error:
            details = [f"  {message}" for message in collector.messages]
            raise BuildError("\n".join([f"member site ({locale}): MkDocs build failed: {error}", *details])) from None


def build_site(
    policy: Policy, policy_path: Path, site_src: Path, out_dir: Path, *, handwritten: bool = True
) -> list[Artifact]:
    """Build the member site from ``site_src/mkdocs.yml`` into ``out_dir``, every locale, strictly.

    ``handwritten=False`` (otokui's own default site sources) publishes no hand-written
    page of ``site_src/docs/<locale>/``: those are the example shop's, not this shop's.
    Site sources without a ``docs/`` folder (as a wheel ships them) build the generated pages only.

    The default locale is built at ``out_dir`` and each other one in
    ``out_dir/<locale>/``. Any MkDocs warning fails the build with
    :class:`~otokui.errors.BuildError`. Returns the generated pages (read back
    from disk) as artifacts with paths ``site/<locale root><page>.html``.
    """
    config_file = site_src / CONFIG
    if not config_file.is_file():
        raise BuildError(f"{config_file}: no MkDocs configuration for the member site")
    locales = sorted(policy.shop.locales, key=lambda loc: loc != policy.shop.default_locale)
    plugins = _split_plugins(config_file)
    generated: dict[str, list[GeneratedPage]] = {}
    with tempfile.TemporaryDirectory(prefix="otokui-docs-") as empty:
        docs_dir = None if (site_src / "docs").is_dir() else Path(empty)
        for locale in locales:  # the default locale first: its build empties out_dir
            root = out_dir / locale_root(policy, locale)
            generated[locale] = _build_locale(
                policy, policy_path, config_file, plugins, root, locale, handwritten, docs_dir
            )
    return site_artifacts(policy, site_src, out_dir, generated, handwritten=handwritten)


def site_artifacts(
    policy: Policy,
    site_src: Path,
    out_dir: Path,
    generated: dict[str, list[GeneratedPage]],
    *,
    handwritten: bool = True,
) -> list[Artifact]:
    """The pages of a built site, read back from ``out_dir``, with their contexts.

    ``generated`` holds each locale's generated pages, as its build made them.
    Generated pages carry their kind (``home``, ``benefits``, ``ranks``, ``rank``,
    ``notices``, ``faq``); hand-written pages (``site_src/docs/<locale>/``) carry ``page``.
    """
    artifacts: list[Artifact] = []
    disclosure = policy.membership.disclosure.mode
    for locale in policy.shop.locales:
        root = locale_root(policy, locale)
        pages: dict[str, tuple[str, str | None]] = {}
        for page in generated[locale]:
            pages[page.html_uri] = (page.kind, page.rank)
        own = site_src / "docs" / locale
        for source in sorted(own.rglob("*.md")) if handwritten else []:
            pages.setdefault(source.relative_to(own).with_suffix(".html").as_posix(), ("page", None))
        for uri, (kind, rank) in sorted(pages.items()):
            built = out_dir / root / uri
            if not built.is_file():
                raise BuildError(f"member site ({locale}): {uri} was not built")
            context = Context(surface="page", locale=locale, kind=kind, rank=rank, disclosure=disclosure)
            artifacts.append(Artifact(f"{SITE}/{root}{uri}", built.read_bytes(), context))
    return artifacts
