"""An email fits a phone's and a desktop client's width when a browser lays it out.

## What it does
With `check --render`, lays out each email and checkout snippet in headless Chromium at
each width in `widths` (375 px, a phone; 600 px, a desktop client's reading pane) and reports,
at the element's line and column:

- a page wider than the screen, naming the outermost element that sticks out and by how much
  (a fixed `width="600"` table at 375 px);
- an image laid out wider than the screen;
- text an element hides (`overflow: hidden` on a box too small for its text, a fixed
  `height`, `text-overflow: ellipsis`).

Nothing outside the document is fetched (remote images and fonts are refused, as in an
offline mail client) and its scripts do not run. Without `--render` the rule does not run;
where Chromium is missing, `check --render` says so and checks everything else (under
`CI=true` it stops with exit 2 instead).

## Why
Half of shop mail is read on a phone. A layout that only fits 600 px makes the reader
scroll sideways, and the price or the button ends up off screen; hidden text is text the
customer never reads (a notice, the shop's address).

## Options
- `widths` (default `[375, 600]`): the viewport widths, in CSS pixels.
- `limit` (default `5`): at most this many problems of each kind per width and output.

## Example
Fail:
```html
<table width="640"><tr><td>ご注文ありがとうございます。</td></tr></table>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="800" alt="">
```
Pass:
```html
<table width="100%" style="max-width:600px"><tr><td>ご注文ありがとうございます。</td></tr></table>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="600" style="max-width:100%;height:auto" alt="">
```
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from otokui.errors import BuildError
from otokui.lint.finding import Hit
from otokui.lint.rule import Options, OptionValue, Output, Rule

_HINTS = {
    "overflow": "Give the element a fluid width (width:100%; max-width:600px) instead of a fixed one.",
    "image": 'Let the image shrink with the screen: style="max-width:100%;height:auto".',
    "cut": "Let the box grow with its text: drop the fixed height or overflow:hidden.",
}


class RenderedLayout(Rule):
    __doc__ = __doc__
    id = "OT1501"
    name = "rendered-layout"
    level = "error"
    surfaces = ("email", "snippet")
    options: ClassVar[dict[str, OptionValue]] = {"widths": ("375", "600"), "limit": 5}
    #: Runs only when the check is asked to render (``check --render``).
    renders: ClassVar[bool] = True

    def applies(self, output: Output, options: Options) -> bool:
        return output.batch.config.render

    def check(self, output: Output, options: Options) -> Iterable[Hit]:
        from otokui.lint.layout import LayoutUnavailable, measure

        widths = tuple(int(w) for w in options.strings("widths") if str(w).isdigit())
        try:
            problems = measure(output.source, widths or (375, 600), int(options.number("limit")))
        except LayoutUnavailable as error:
            raise BuildError(f"check --render needs a browser: {error}") from None
        for problem in problems:
            element = f"<{problem.tag}>"
            if problem.kind == "overflow":
                message = f"at {problem.width} px, {element} sticks out {problem.pixels} px past the screen's edge"
            elif problem.kind == "image":
                message = f"at {problem.width} px, an image is laid out {problem.pixels} px wide"
                if problem.detail and not problem.detail.startswith("data:"):
                    message += f" ({problem.detail[:80]})"
            else:
                text = " ".join(problem.detail.split())
                message = f"at {problem.width} px, {element} hides {problem.pixels} px of its text ('{text}')"
            yield Hit(message, _HINTS[problem.kind], problem.offset if problem.offset is not None else output.start())
