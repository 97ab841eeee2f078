"""The MkDocs plugin that turns rules.yaml into the member site.

Registered as ``otokui`` (entry point ``otokui.site.plugin:OtokuiPlugin``)::

    plugins:
      - search:
          lang: [ja, en]
      - otokui:
          policy: ../rules.yaml        # relative to mkdocs.yml
          locale: !ENV [OTOKUI_LOCALE, ""]   # empty: the shop's default locale

One build makes one locale. The default locale is the site's root and each
other locale lives in a folder named after it (``site/`` = ja,
``site/en/`` = en); :func:`otokui.site.build.build_site` runs one build per
locale into those folders, and the language selector links each page to
the same page in the other locale.

What the plugin does, event by event:

- ``on_config``: reads the policy; sets the theme language, site name,
  copyright, the brand palette (``palette.primary: custom`` plus a generated
  stylesheet), the logo (the policy's ``logo_url``, used as a remote image:
  nothing is fetched while building), the navigation and the language selector.
- ``on_files``: keeps the hand-written pages of this locale
  (``docs/<locale>/…``, re-rooted), drops the other locales', and adds the
  generated pages and stylesheet. A hand-written page with the same path as
  a generated one replaces it.
- ``on_page_context``: per-page language selector links.
- ``on_serve``: watches rules.yaml too, so ``mkdocs serve`` reloads when it changes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from otokui import cache, images
from otokui.errors import OtokuiError
from otokui.i18n.catalogue import locales as catalogue_locales
from otokui.i18n.linebreak import html_breaks, phrase_breaks
from otokui.policy.load import load_policy
from otokui.policy.model import Policy
from otokui.site import layout
from otokui.site.pages import GeneratedPage, generate_pages
from otokui.site.search import unused, worker_scripts
from otokui.site.theme import STYLESHEET, brand_css
from otokui.site.wording import ui


def safe_striptags(value: object) -> Markup:
    """``striptags`` that returns escaped text, for a theme without autoescape."""
    return Markup.escape(Markup(str(value)).striptags())


_SKIP_ELEMENTS = re.compile(r"(<(code|pre|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_TEXT = re.compile(r"(?:(?<=>)|^)([^<]+)(?=<|$)")
_ENTITY = re.compile(r"(&[#\w]+;)")


def html_phrase_breaks(html: str) -> str:
    """Phrase breaks (:mod:`otokui.i18n.linebreak`) in the text of an HTML fragment: not in tags, entities or code.

    Each break is a ``<wbr>`` element rather than a zero-width space: a reader who copies the text, the
    site's search index and a search engine get the words as they are written.
    """

    def text(match: re.Match[str]) -> str:
        parts = _ENTITY.split(match.group(1))
        return "".join(part if _ENTITY.fullmatch(part) else html_breaks(phrase_breaks(part)) for part in parts)

    out: list[str] = []
    last = 0
    for skipped in _SKIP_ELEMENTS.finditer(html):
        out.append(_TEXT.sub(text, html[last : skipped.start()]))
        out.append(skipped.group(0))
        last = skipped.end()
    out.append(_TEXT.sub(text, html[last:]))
    return "".join(out)


class OtokuiConfig(Config):  # type: ignore[no-untyped-call]
    policy = c.Type(str, default="rules.yaml")
    locale = c.Type(str, default="")
    handwritten = c.Type(bool, default=True)  # publish the hand-written pages of docs/<locale>/


LOGO = "assets/images/shop-logo"


def logo_asset(policy: Policy) -> tuple[str, bytes] | None:
    """The shop's ``logo_file`` as the site's header logo: its path in the site and its bytes."""
    if not policy.shop.brand.logo_file:
        return None
    try:
        data, kind = images.read(Path(policy.shop.brand.logo_file))
    except (OSError, ValueError) as exc:
        raise PluginError(f"otokui: {policy.shop.brand.logo_file}: the logo cannot be read ({exc})") from None
    return LOGO + images.KINDS[kind][1], data


def locale_root(policy: Policy, locale: str) -> str:
    """The folder of ``locale`` within the site: ``""`` for the default locale, else ``"<locale>/"``."""
    return "" if locale == policy.shop.default_locale else f"{locale}/"


def read_policy(path: Path) -> Policy:
    """Read rules.yaml with the kit's loader (every problem, with its line), as a MkDocs plugin error."""
    try:
        return load_policy(path)
    except OtokuiError as error:
        raise PluginError("\n".join(error.lines())) from None


def search_plugin(config: MkDocsConfig) -> Any:
    """The site's search plugin, if it has one."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def search_languages(config: MkDocsConfig) -> list[str]:
    """The languages the site's search works in (``plugins: search: lang:``); none without search."""
    search = search_plugin(config)
    if search is None or not search.config.get("enabled", True):
        return []
    return list(search.config.get("lang") or [])


class OtokuiPlugin(BasePlugin[OtokuiConfig]):  # type: ignore[no-untyped-call]
    """Member pages from rules.yaml; see the module docstring."""

    def __init__(self) -> None:
        self.policy: Policy | None = None  # set by build_site to skip reading the file again
        self.policy_path: Path | None = None
        self.locale = ""
        self.pages: list[GeneratedPage] = []
        self._uris: dict[str, set[str]] = {}
        self._policy_in_use: Policy | None = None
        self._logo: tuple[str, bytes] | None = None
        self._sidebar = True

    @property
    def _current(self) -> Policy:
        if self._policy_in_use is None:
            raise PluginError("otokui: the policy is read in on_config, which has not run")
        return self._policy_in_use

    # ------------------------------------------------------------------ config

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        path = Path(self.config.policy)
        if not path.is_absolute():
            path = Path(config.config_file_path or ".").parent / path
        self.policy_path = path.resolve()
        policy = self.policy if self.policy is not None else read_policy(self.policy_path)
        locale = self.config.locale or policy.shop.default_locale
        if locale not in policy.shop.locales:
            raise PluginError(f"otokui: locale {locale!r} is not one of the shop's locales {policy.shop.locales}")
        self.locale = locale
        self.pages = generate_pages(policy, locale)
        self._policy_in_use = policy

        config.theme["language"] = locale
        # MkDocs' theme templates print these without escaping: hand them over escaped, as Markup.
        config.site_name = Markup.escape(policy.shop.name.get(locale))
        config.copyright = Markup.escape(f"© {policy.shop.legal_name.get(locale)}")
        if not config.theme.get("palette"):
            config.theme["palette"] = {"primary": "custom", "accent": "custom"}
        self._logo = logo_asset(policy)
        if not config.theme.get("logo"):
            if self._logo is not None:
                config.theme["logo"] = self._logo[0]
            elif policy.shop.brand.logo_url is not None:
                config.theme["logo"] = str(policy.shop.brand.logo_url)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)

        docs = Path(config.docs_dir)
        generated = {page.src_uri for page in self.pages}
        self._uris = {
            other: generated
            | (
                {p.relative_to(docs / other).as_posix() for p in (docs / other).rglob("*.md")}
                if self.config.handwritten
                else set()
            )
            for other in policy.shop.locales
        }
        if config.nav is None:
            handwritten = sorted(self._uris[locale] - generated)
            config.nav = [{page.nav_title: page.src_uri} for page in self.pages if page.nav_title] + handwritten
        features = config.theme.setdefault("features", [])
        self._sidebar = not layout.flat(config.nav)
        if not self._sidebar and "navigation.tabs" not in features:
            features.append("navigation.tabs")
        search = search_plugin(config)
        if search is not None and not layout.wants_search(len(self._uris[locale])):
            search.config.enabled = False
        if len(policy.shop.locales) > 1:
            config.extra["alternate"] = [
                {
                    "name": ui(policy, other, "alternate_name"),
                    "lang": other,
                    "link": get_relative_url(
                        locale_root(policy, other) + "index.html", locale_root(policy, locale) + "index.html"
                    ),
                }
                for other in policy.shop.locales
            ]
        return config

    # ------------------------------------------------------------------ files

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs = Path(config.docs_dir).resolve()
        locales = set(self._current.shop.locales) | set(catalogue_locales(self._current))
        scripts = worker_scripts(search_languages(config))
        kept: list[File] = []
        for file in files:
            source = Path(file.abs_src_path).resolve() if file.abs_src_path else None
            if source is None or not source.is_relative_to(docs):
                if not unused(file.src_uri, scripts):
                    kept.append(file)  # theme assets, but no search script this site's search never loads
                continue
            first, _, rest = file.src_uri.partition("/")
            if first not in locales:
                kept.append(file)  # shared assets, e.g. docs/images/
            elif first == self.locale and rest and self.config.handwritten:
                kept.append(File.generated(config, rest, abs_src_path=str(source)))
        taken = {file.src_uri for file in kept}
        for page in self.pages:
            if page.src_uri not in taken:
                kept.append(File.generated(config, page.src_uri, content=page.markdown))
        kept.append(File.generated(config, STYLESHEET, content=brand_css(self._current)))
        if self._logo is not None:
            kept.append(File.generated(config, self._logo[0], content=self._logo[1]))
        return Files(kept)

    # ------------------------------------------------------------------ pages

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        policy = self._current
        here = locale_root(policy, self.locale) + page.url
        links = []
        for other in policy.shop.locales:
            src = page.file.src_uri if page.file.src_uri in self._uris.get(other, set()) else "index.md"
            target = File(src, src_dir=None, dest_dir="", use_directory_urls=config.use_directory_urls).url
            links.append(
                {
                    "name": ui(policy, other, "alternate_name"),
                    "lang": other,
                    "href": get_relative_url(locale_root(policy, other) + target, here),
                    "current": other == self.locale,
                }
            )
        context["otokui_alternates"] = links  # type: ignore[typeddict-unknown-key]
        return context

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # MkDocs takes the title from the heading's HTML (entities kept): mark it as such, so the
        # theme's ``| e`` does not escape it twice.
        if page.title is not None and not isinstance(page.title, Markup):
            page.title = Markup(page.title)
        hide = set(page.meta.get("hide") or ())
        if not self._sidebar:
            hide.add("navigation")
        if not layout.wants_toc(page.toc):
            hide.add("toc")
        page.meta["hide"] = sorted(hide)
        return html_phrase_breaks(html)

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # Jinja's striptags un-escapes what it returns; the theme prints that raw inside <title>.
        env.filters["striptags"] = safe_striptags
        if env.bytecode_cache is None:  # the theme compiled once, then loaded from the project's cache
            env.bytecode_cache = cache.bytecode_cache("site-theme")
        return env

    # ------------------------------------------------------------------ serve

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.policy_path is not None:
            server.watch(str(self.policy_path))
        return server
