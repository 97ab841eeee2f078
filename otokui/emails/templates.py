"""The email templates: a sandboxed Jinja environment over ``email_templates/``.

Designers edit these templates, so they run in a sandbox
(:mod:`otokui.emails.sandbox`: no Python internals, bounded time and size)
with autoescaping on and undefined names refused. Every template is compiled
once, when :class:`Templates` is made; a syntax error in any of them, or a
failure while rendering, becomes :class:`otokui.errors.TemplateError` naming
the template file and line.
"""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from otokui import cache
from otokui.emails import sandbox
from otokui.errors import TemplateError

LAYOUT = "layout.mjml.j2"
INLINE_CSS = "styles/inline.css.j2"
TEMPLATE_SUFFIXES = (".j2",)


class UnsafeTemplate(jinja2.TemplateNotFound):
    """A template the loader refuses to read: a symbolic link, or a file outside the templates folder."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name, reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class ConfinedLoader(jinja2.BaseLoader):
    """Loads templates from one folder only: no symbolic links, nothing whose real path leaves the folder.

    A template is untrusted: a link to ``/proc/self/environ`` or ``/etc/passwd``
    included by another template would put the machine's secrets into every
    email. Every path component is checked, and the file is opened with
    ``O_NOFOLLOW`` so a link swapped in after the check is refused too.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory).resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        parts = [part for part in template.replace("\\", "/").split("/") if part not in ("", ".")]
        if not parts or ".." in parts or "\x00" in template:
            raise jinja2.TemplateNotFound(template)
        path = self.directory
        for part in parts:
            path = path / part
            if path.is_symlink():
                raise UnsafeTemplate(template, "a symbolic link; templates must be plain files")
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        real = path.resolve()
        if not real.is_relative_to(self.directory):
            raise UnsafeTemplate(template, "resolves outside the templates folder")
        try:
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as error:
            raise UnsafeTemplate(template, f"cannot be read ({error.strerror})") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnsafeTemplate(template, "not a regular file")
            try:
                source = handle.read().decode("utf-8")
            except UnicodeDecodeError:
                raise UnsafeTemplate(template, "not UTF-8 text (save it as UTF-8)") from None
        mtime = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime
            except OSError:
                return False

        return source, str(real), uptodate


class Templates:
    """The compiled templates of one templates folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory).resolve()
        if not (self.directory / LAYOUT).is_file():
            raise TemplateError(self.display(self.directory / LAYOUT), None, "the email layout template is missing")
        self.env = sandbox.BudgetedSandbox(
            loader=ConfinedLoader(self.directory),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,
            cache_size=-1,
            bytecode_cache=cache.bytecode_cache("email-sandbox"),
        )
        self._compiled: dict[str, jinja2.Template] = {}
        for path in sorted(self.directory.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and (path.is_file() or path.is_symlink()):
                name = path.relative_to(self.directory).as_posix()
                self._compiled[name] = self._load(name)

    def display(self, path: Path | str) -> str:
        """``path`` as reported to the user: relative to the folder holding the templates folder."""
        for resolve in (False, True):  # a link is named as itself; resolved only when that is outside
            candidate = Path(path).resolve() if resolve else Path(os.path.abspath(path))
            if candidate.is_relative_to(self.directory.parent):
                return candidate.relative_to(self.directory.parent).as_posix()
        return str(path)

    def _load(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateSyntaxError as error:
            file = self.display(error.filename or self.directory / (error.name or name))
            raise TemplateError(file, error.lineno, error.message or "syntax error") from error
        except UnsafeTemplate as error:
            raise TemplateError(self.display(self.directory / name), None, error.reason) from None

    def for_kind(self, kind: str) -> tuple[str, jinja2.Template]:
        """The template of an email kind: ``kinds/<kind>.mjml.j2``, or the layout itself."""
        name = f"kinds/{kind}.mjml.j2"
        if name not in self._compiled:
            name = LAYOUT
        return name, self._compiled[name]

    def has(self, name: str) -> bool:
        return name in self._compiled

    def names(self) -> list[str]:
        """Every compiled template, by its name under the templates folder."""
        return list(self._compiled)

    def compiled(self, name: str) -> jinja2.Template:
        return self._compiled[name]

    def render(self, name: str, data: dict[str, Any]) -> str:
        """Render template ``name`` with ``data``; any failure names the file and line at fault."""
        template = self._compiled.get(name)
        if template is None:
            raise TemplateError(self.display(self.directory / name), None, "template not found")
        try:
            with sandbox.time_limit():
                return sandbox.collect(template.generate(data))
        except sandbox.RenderBudgetExceeded as error:
            file, line = self._template_line(error, name)
            raise TemplateError(file, line, sandbox.describe(error)) from None
        except jinja2.TemplateSyntaxError as error:  # a syntax error in a template loaded late
            file = self.display(error.filename or self.directory / name)
            raise TemplateError(file, error.lineno, error.message or "syntax error") from error
        except TemplateError:
            raise
        except Exception as error:
            file, line = self._where(error, name)
            raise TemplateError(file, line, _describe(error)) from error

    def _template_line(self, error: BaseException, fallback: str) -> tuple[str, int | None]:
        """The innermost template line of an error Jinja did not rewrite (it only rewrites ``Exception``)."""
        found: tuple[str, int | None] = (self.display(self.directory / fallback), None)
        tb = error.__traceback__
        while tb is not None:
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None and template.filename:
                found = (self.display(template.filename), template.get_corresponding_lineno(tb.tb_lineno))
            tb = tb.tb_next
        return found

    def _where(self, error: BaseException, fallback: str) -> tuple[str, int | None]:
        """The innermost template frame of ``error``'s traceback (Jinja maps frames to template lines)."""
        root = str(self.directory)
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.startswith(root):
                return self.display(frame.filename), frame.lineno
        return self.display(self.directory / fallback), None


class References:
    """Which templates of a folder include, import or extend which: read, never compiled or run.

    Used to tell which emails a saved template file can change.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory).resolve()
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.directory)))
        self._refs: dict[str, list[str | None]] = {}

    def name_of(self, path: Path) -> str | None:
        """The template name of a file in this folder (``None``: not a template of it)."""
        try:
            name = Path(path).resolve().relative_to(self.directory).as_posix()
        except ValueError:
            return None
        return name if name.endswith(TEMPLATE_SUFFIXES) else None

    def uses(self, name: str) -> tuple[frozenset[str], bool]:
        """Every template ``name`` includes, imports or extends, directly or not, and whether it
        names one only while rendering (``{% include "blocks/" ~ block %}``) or could not be read."""
        found: set[str] = set()
        dynamic = False
        todo = [name]
        while todo:
            for used in self._references(todo.pop()):
                if used is None:
                    dynamic = True
                elif used not in found:
                    found.add(used)
                    todo.append(used)
        return frozenset(found), dynamic

    def _references(self, name: str) -> list[str | None]:
        cached = self._refs.get(name)
        if cached is None:
            try:
                source, _, _ = self._env.loader.get_source(self._env, name)  # type: ignore[union-attr]
                cached = list(meta.find_referenced_templates(self._env.parse(source)))
            except jinja2.TemplateNotFound:
                cached = []
            except (jinja2.TemplateError, OSError, RecursionError):
                cached = [None]
            self._refs[name] = cached
        return cached


Signature = tuple[tuple[str, int, int], ...]
_SHARED: dict[tuple[Path, Path | None], tuple[Signature, Templates]] = {}


def signature(directory: Path) -> Signature:
    """(path, mtime_ns, size) of every file in a templates folder: changes whenever a file is saved."""
    found = []
    for path in Path(directory).rglob("*"):
        try:
            info = path.stat()
        except OSError:
            continue
        if not path.is_dir():
            found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def shared(directory: Path) -> Templates:
    """The compiled templates of ``directory``, shared by everything rendered from it in this process.

    Emails, letters and the preview use one environment per folder; it is made
    again (from the bytecode cache, when there is one) as soon as any file in
    the folder changes.
    """
    key = (Path(directory).resolve(), cache.current())
    now = signature(key[0])
    found = _SHARED.get(key)
    if found is not None and found[0] == now:
        return found[1]
    templates = Templates(key[0])
    _SHARED.clear()  # one templates folder at a time: the latest
    _SHARED[key] = (now, templates)
    return templates


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message} (the data given to email templates has no such name)"
    if isinstance(error, UnsafeTemplate):
        return f"refused to include {error.name}: {error.reason}"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"included template not found: {error.name}"
    if isinstance(error, jinja2.exceptions.SecurityError):
        return f"not allowed in email templates: {error}"
    if isinstance(error, MemoryError):
        return "the template needs more memory than a render may use, and was stopped"
    if isinstance(error, RecursionError):
        return "a macro or include calls itself without end"
    return f"{type(error).__name__}: {error}"
