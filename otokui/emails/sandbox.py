"""The sandbox email templates run in: no Python internals, bounded time and size.

Designers edit the templates, so a template is treated as untrusted code:

* Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` refuses
  ``__class__``, ``__mro__`` and friends, and any change to the data a
  template is given.
* No value may grow beyond :data:`MAX_OUTPUT` characters: ``*`` and ``**``
  are checked before they run, filters and calls are checked before (width
  and count arguments) and after, and values read by attribute or index are
  checked as they are read.
* The rendered output is counted as it streams; past :data:`MAX_OUTPUT` the
  render stops.
* A watchdog stops a render that runs longer than :data:`MAX_SECONDS` (nested
  loops: ``range`` is capped at 100,000 items, but loops multiply), by raising
  :class:`RenderBudgetExceeded` inside the rendering thread.

Every refusal surfaces as :class:`RenderBudgetExceeded` or Jinja's
``SecurityError``, which the template loader turns into a TemplateError
naming the file and line.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 4_000_000  # characters; a whole email's MJML is some tens of thousands
MAX_SECONDS = 10.0  # per render; a variant renders in milliseconds


class RenderBudgetExceeded(BaseException):  # not Exception: Jinja's own `except Exception` must not eat it
    """A template ran too long or made too much; the message says which."""


# Functions and filters whose number arguments say how big a result gets.
_AMPLIFIERS = frozenset(
    {"range", "center", "ljust", "rjust", "zfill", "indent", "wordwrap", "truncate", "format", "expandtabs", "batch"}
)
# Functions and filters whose result can be as big as two of their arguments multiplied.
_MULTIPLIERS = frozenset({"replace", "join", "format", "format_map", "center", "ljust", "rjust", "indent", "wordwrap"})


_BIG_NUMBER = re.compile(r"\d{7,}")


def _size(value: Any) -> int:
    """How many items or characters ``value`` holds (0 for numbers, undefined values and generators)."""
    if isinstance(value, Undefined) or not hasattr(value, "__len__"):
        return 0
    try:
        return len(value)
    except (TypeError, OverflowError):
        return MAX_OUTPUT + 1


def _check_size(value: Any, what: str) -> Any:
    if _size(value) > MAX_OUTPUT:
        raise SecurityError(f"{what} makes a value of more than {MAX_OUTPUT:,} items")
    return value


def _big_width(text: str) -> bool:
    """Whether a format string asks for a field wider than :data:`MAX_OUTPUT` (``'{:>999999999}'``)."""
    return any(int(digits) > MAX_OUTPUT for digits in _BIG_NUMBER.findall(text))


def _check_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], owner: Any = None) -> None:
    """Refuse arguments that would make a huge value before the work is done."""
    values = [*args, *kwargs.values()]
    if name in ("format", "format_map") and any(isinstance(v, str) and _big_width(v) for v in (owner, *values)):
        raise SecurityError(f"{name}() with a field wider than {MAX_OUTPUT:,}")
    sizes = sorted((_size(v) for v in values), reverse=True)
    if sizes and sizes[0] > MAX_OUTPUT:
        raise SecurityError(f"{name}() given a value of more than {MAX_OUTPUT:,} items")
    if name in _AMPLIFIERS and any(
        isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_OUTPUT for v in values
    ):
        raise SecurityError(f"{name}() with a number above {MAX_OUTPUT:,}")
    if name in _MULTIPLIERS and len(sizes) >= 2 and sizes[0] * max(sizes[1], 1) > MAX_OUTPUT * 4:
        raise SecurityError(f"{name}() would make a value of more than {MAX_OUTPUT:,} characters")


def _guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if name in _MULTIPLIERS:  # a generator has no length: count it
            args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        _check_args(name, args, kwargs)
        return _check_size(function(*args, **kwargs), f"the filter {name!r}")

    return guarded


def _checked_join(parts: Iterable[str]) -> str:
    return str(_check_size("".join(parts), "joining text"))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` checked for size."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """A sandbox whose values and output stay under :data:`MAX_OUTPUT` characters."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _CodeGenerator
    concat = staticmethod(_checked_join)  # block bodies, macros and `{% set %}…{% endset %}`

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _guarded(name, f) for name, f in self.filters.items()}

    @staticmethod
    def checked_concat(value: Any) -> Any:
        return _check_size(value, "joining text with ~")

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 64 and abs(left) > 1:
            raise SecurityError(f"{left} ** {right} is too large a number")
        if operator == "*":
            repeat = right if isinstance(right, int) else left if isinstance(left, int) else 0
            if max(_size(left), _size(right)) * repeat > MAX_OUTPUT:
                raise SecurityError(f"repeating a value makes more than {MAX_OUTPUT:,} items")
        if operator == "%" and isinstance(left, str) and _big_width(left):
            raise SecurityError(f"formatting with a field wider than {MAX_OUTPUT:,}")
        if operator == "+" and _size(left) + _size(right) > MAX_OUTPUT:
            raise SecurityError(f"adding makes a value of more than {MAX_OUTPUT:,} items")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        return _check_size(super().getattr(obj, attribute), f"reading {attribute!r}")

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _check_size(super().getitem(obj, argument), "reading an item")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        name = str(getattr(__obj, "__name__", None) or getattr(__obj, "name", None) or "a function")
        name = name.removeprefix("safe_")
        if name in _MULTIPLIERS:
            args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # the text of 'text'.format(...)
        _check_args(name, args, kwargs, owner)
        return _check_size(super().call(__context, __obj, *args, **kwargs), f"{name}()")


def collect(chunks: Iterable[str]) -> str:
    """Join a template's output stream, stopping past :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > MAX_OUTPUT:
            raise RenderBudgetExceeded(f"the template renders more than {MAX_OUTPUT:,} characters")
        out.append(chunk)
    return "".join(out)


class _Watchdog:
    """One daemon thread that interrupts renders past their deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._deadlines: dict[int, tuple[float, float]] = {}
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        with self._cond:
            if ident in self._deadlines:  # a render inside a render keeps the outer deadline
                nested = True
            else:
                nested = False
                self._deadlines[ident] = (time.monotonic() + seconds, seconds)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="otokui-render-watchdog", daemon=True)
                    self._thread.start()
                self._cond.notify()
        try:
            yield
        finally:
            if not nested:
                with self._cond:
                    self._deadlines.pop(ident, None)
                    if ident in self._fired:  # fired as the render ended: withdraw the pending exception
                        self._fired.discard(ident)
                        _interrupt(ident, None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for ident, (deadline, seconds) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        self._fired.add(ident)
                        _interrupt(ident, seconds)
                nearest = min((d for d, _ in self._deadlines.values()), default=None)
                self._cond.wait(None if nearest is None else max(nearest - now, 0.001))


def _interrupt(ident: int, seconds: float | None) -> None:
    """Raise RenderBudgetExceeded in thread ``ident`` (``None``: withdraw a pending one)."""
    if seconds is None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)
        return
    exc = type("RenderTimedOut", (RenderBudgetExceeded,), {"seconds": seconds})
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc))


_WATCHDOG = _Watchdog()


def time_limit(seconds: float | None = None) -> contextlib.AbstractContextManager[None]:
    """Stop the code in the ``with`` block after ``seconds`` (default :data:`MAX_SECONDS`)."""
    return _WATCHDOG.limit(MAX_SECONDS if seconds is None else seconds)


def describe(error: RenderBudgetExceeded) -> str:
    seconds = getattr(error, "seconds", None)
    if seconds is not None:
        return f"the template ran longer than {seconds:g} s and was stopped (a loop inside a loop?)"
    return str(error)
