"""Regenerate ``caniemail.json`` from a checkout of the caniemail data.

Usage::

    python -m otokui.lint.data.update_caniemail PATH/TO/caniemail [--commit SHA]

``PATH`` holds ``_features/*.md`` (one feature per file, YAML front matter
with ``stats.<client>.<platform>.<version>: y|n|a|u [#note…]``). For each
feature the checker knows how to detect (see :data:`MATCHERS`), this keeps the
title, how to match it, and the *current* support per client and platform,
which is the value of the last version key (keys are listed oldest to newest;
they are never sorted, since ``"2019-02"`` and ``"16.80"`` do not compare).

Some files contain tab characters, which PyYAML rejects: tabs are replaced by
spaces before parsing. Features the checker cannot detect (selectors, units,
image formats the HTML does not reveal…) are left out to keep the file small.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "caniemail.json"
FEATURE_URL = "https://www.caniemail.com/features/{slug}/"

Matcher = dict[str, Any]

# How each feature shows up in an email. Keys: "properties" (CSS property names),
# "property"+"values" (a property with one of these keyword values), "functions"
# (CSS functions), "at_rule", "media_features", "important", "elements",
# "element"+"type" (an element with a type attribute), "attributes".
MATCHERS: dict[str, Matcher] = {
    "css-at-font-face": {"at_rule": "font-face"},
    "css-at-import": {"at_rule": "import"},
    "css-at-keyframes": {"at_rule": "keyframes"},
    "css-at-media": {"at_rule": "media"},
    "css-at-supports": {"at_rule": "supports"},
    "css-at-media-device-pixel-ratio": {
        "media_features": ["-webkit-device-pixel-ratio", "-webkit-min-device-pixel-ratio"]
    },
    "css-at-media-hover": {"media_features": ["hover", "any-hover"]},
    "css-at-media-orientation": {"media_features": ["orientation"]},
    "css-at-media-prefers-color-scheme": {"media_features": ["prefers-color-scheme"]},
    "css-at-media-prefers-reduced-motion": {"media_features": ["prefers-reduced-motion"]},
    "css-block-inline-size": {"properties": ["block-size", "inline-size"]},
    "css-border-inline-block": {"properties": ["border-inline", "border-block"]},
    "css-border-inline-block-individual": {
        "properties": [f"border-{axis}-{side}" for axis in ("inline", "block") for side in ("start", "end")]
    },
    "css-border-inline-block-longhand": {
        "properties": [f"border-{axis}-{part}" for axis in ("inline", "block") for part in ("color", "style", "width")]
    },
    "css-border-radius-logical": {
        "properties": [f"border-{a}-{b}-radius" for a in ("start", "end") for b in ("start", "end")]
    },
    "css-color-scheme": {"properties": ["color-scheme"]},
    "css-column-layout-properties": {
        "properties": ["column-fill", "column-gap", "column-rule", "column-span", "column-width", "columns"]
    },
    "css-display-flex": {"property": "display", "values": ["flex", "inline-flex"]},
    "css-display-grid": {"property": "display", "values": ["grid", "inline-grid"]},
    "css-display-none": {"property": "display", "values": ["none"]},
    "css-flex-direction": {"property": "flex-direction", "values": ["column", "column-reverse"]},
    "css-flex-wrap": {"property": "flex-wrap", "values": ["wrap", "wrap-reverse"]},
    "css-font": {"properties": ["font"]},
    "css-function-clamp": {"functions": ["clamp"]},
    "css-function-light-dark": {"functions": ["light-dark"]},
    "css-function-max": {"functions": ["max"]},
    "css-function-min": {"functions": ["min"]},
    "css-conic-gradient": {"functions": ["conic-gradient", "repeating-conic-gradient"]},
    "css-linear-gradient": {"functions": ["linear-gradient", "repeating-linear-gradient"]},
    "css-radial-gradient": {"functions": ["radial-gradient", "repeating-radial-gradient"]},
    "css-modern-color": {"functions": ["lch", "oklch", "lab", "oklab"]},
    "css-rgb": {"functions": ["rgb"]},
    "css-rgba": {"functions": ["rgba"]},
    "css-unit-calc": {"functions": ["calc"]},
    "css-variables": {"functions": ["var"]},
    "css-gap": {"properties": ["gap", "column-gap", "row-gap"]},
    "css-grid-template": {
        "properties": ["grid-template", "grid-template-areas", "grid-template-columns", "grid-template-rows"]
    },
    "css-height": {"properties": ["height"]},
    "css-important": {"important": True},
    "css-inline-size": {"properties": ["inline-size"]},
    "css-left-right-top-bottom": {"properties": ["left", "right", "top", "bottom"]},
    "css-margin-block-start-end": {"properties": ["margin-block-start", "margin-block-end"]},
    "css-margin-inline-block": {"properties": ["margin-inline", "margin-block"]},
    "css-margin-inline-start-end": {"properties": ["margin-inline-start", "margin-inline-end"]},
    "css-max-height": {"properties": ["max-height"]},
    "css-min-height": {"properties": ["min-height"]},
    "css-min-width": {"properties": ["min-width"]},
    "css-padding-block-start-end": {"properties": ["padding-block-start", "padding-block-end"]},
    "css-padding-inline-block": {"properties": ["padding-inline", "padding-block"]},
    "css-padding-inline-start-end": {"properties": ["padding-inline-start", "padding-inline-end"]},
    "css-width": {"properties": ["width"]},
    "html-align": {"attributes": ["align"]},
    "html-aria-describedby": {"attributes": ["aria-describedby"]},
    "html-aria-hidden": {"attributes": ["aria-hidden"]},
    "html-aria-label": {"attributes": ["aria-label"]},
    "html-aria-labelledby": {"attributes": ["aria-labelledby"]},
    "html-aria-live": {"attributes": ["aria-live"]},
    "html-background": {"attributes": ["background"]},
    "html-cellpadding": {"attributes": ["cellpadding"]},
    "html-cellspacing": {"attributes": ["cellspacing"]},
    "html-dir": {"attributes": ["dir"]},
    "html-height": {"attributes": ["height"]},
    "html-hidden": {"attributes": ["hidden"]},
    "html-lang": {"attributes": ["lang"]},
    "html-loading-attribute": {"attributes": ["loading"]},
    "html-popover": {"attributes": ["popover"]},
    "html-required": {"attributes": ["required"]},
    "html-role": {"attributes": ["role"]},
    "html-srcset": {"attributes": ["srcset", "sizes"]},
    "html-target": {"attributes": ["target"]},
    "html-valign": {"attributes": ["valign"]},
    "html-width": {"attributes": ["width"]},
    "html-address": {"elements": ["address"]},
    "html-base": {"elements": ["base"]},
    "html-link": {"elements": ["link"]},
    "html-h1-h6": {"elements": ["h1", "h2", "h3", "h4", "h5", "h6"]},
    "html-lists": {"elements": ["ul", "ol", "dl"]},
    "html-svg": {"elements": ["svg"]},
    "html-image-maps": {"elements": ["map"]},
    "html-semantics": {
        "elements": [
            "article",
            "aside",
            "details",
            "figcaption",
            "figure",
            "footer",
            "header",
            "main",
            "mark",
            "nav",
            "section",
            "summary",
            "time",
        ]
    },
    "html-button-reset": {"element": "button", "type": "reset"},
    "html-button-submit": {"element": "button", "type": "submit"},
    "html-input-checkbox": {"element": "input", "type": "checkbox"},
    "html-input-hidden": {"element": "input", "type": "hidden"},
    "html-input-radio": {"element": "input", "type": "radio"},
    "html-input-reset": {"element": "input", "type": "reset"},
    "html-input-submit": {"element": "input", "type": "submit"},
    "html-input-text": {"element": "input", "type": "text"},
}

# Left out: selectors, pseudo-classes and pseudo-elements (class and id selectors
# are what MJML itself writes), units, comments, nesting, font keywords, image
# formats, AMP, BIMI, doctype, local anchors and mailto links.
SKIPPED_PREFIXES = ("css-selector-", "css-pseudo-", "css-unit-", "image-")
SKIPPED = {
    "amp",
    "bimi",
    "css-comments",
    "css-nesting",
    "css-sytem-ui",
    "css-intrinsic-size",
    "css-inert-attribute",
    "html-anchor-links",
    "html-comments",
    "html-doctype",
    "html-mailto-links",
    "html-meta-color-scheme",
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_PROPERTY_TITLE = re.compile(r"^(-?[a-z][a-z-]*)(?: property)?$")
_ELEMENT_TITLE = re.compile(r"^<([a-z][a-z0-9]*)>(?: element)?$")
_ATTRIBUTE_TITLE = re.compile(r"^([a-z][a-z-]*) attribute$")


def front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of one feature file, tabs replaced by spaces."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError("no front matter")
    data = yaml.safe_load(match.group(1).replace("\t", "    "))
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data


def matcher_for(slug: str, title: str) -> Matcher | None:
    """How to detect the feature ``slug`` in an email, or None if it is not checked."""
    if slug in MATCHERS:
        return MATCHERS[slug]
    if slug in SKIPPED or slug.startswith(SKIPPED_PREFIXES):
        return None
    title = title.strip()
    if slug.startswith("css-") and (match := _PROPERTY_TITLE.match(title)):
        return {"properties": [match.group(1)]}
    if slug.startswith("html-") and (match := _ELEMENT_TITLE.match(title)):
        return {"elements": [match.group(1)]}
    if slug.startswith("html-") and (match := _ATTRIBUTE_TITLE.match(title)):
        return {"attributes": [match.group(1)]}
    return None


def current(stats: dict[str, Any], notes: dict[str, str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Support per client and platform (the last version listed), and the notes it refers to."""
    support: dict[str, dict[str, str]] = {}
    used: dict[str, str] = {}
    for client, platforms in (stats or {}).items():
        if not isinstance(platforms, dict):
            continue
        for platform, versions in platforms.items():
            if not isinstance(versions, dict) or not versions:
                continue
            value = str(list(versions.values())[-1]).strip()
            flag, *refs = value.split()
            support.setdefault(str(client), {})[str(platform)] = value
            for ref in refs:
                number = ref.lstrip("#")
                if number in notes:
                    used[number] = notes[number]
            if flag not in {"y", "n", "a", "u"}:
                raise ValueError(f"{client}.{platform}: unexpected support value {value!r}")
    return support, used


def extract(root: Path) -> dict[str, Any]:
    features: dict[str, Any] = {}
    for path in sorted((root / "_features").glob("*.md")):
        slug = path.stem
        if slug.startswith("_"):
            continue
        data = front_matter(path.read_text(encoding="utf-8"))
        matcher = matcher_for(slug, str(data.get("title", "")))
        if matcher is None:
            continue
        notes = {str(k): str(v) for k, v in (data.get("notes_by_num") or {}).items()}
        support, used = current(data.get("stats") or {}, notes)
        entry: dict[str, Any] = {
            "title": str(data.get("title", slug)).strip(),
            "url": FEATURE_URL.format(slug=slug),
            "match": matcher,
            "support": support,
        }
        if used:
            entry["notes"] = used
        features[slug] = entry
    return features


def dumps(body: dict[str, Any]) -> str:
    """Compact JSON with one feature per line, so that a data update reads well as a diff."""
    features = body["features"]
    head = {key: value for key, value in body.items() if key != "features"}
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "features": {']
    items = [
        f"{json.dumps(slug)}: {json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(',', ':'))}"
        for slug, entry in sorted(features.items())
    ]
    lines.append(",\n".join(items))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="a checkout of hteumeuleu/caniemail (holding _features/)")
    parser.add_argument("--commit", default="", help="the commit the checkout is at, recorded in the output")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    commit = args.commit
    if not commit and (args.source / "SOURCE.txt").is_file():
        found = re.search(r"\b([0-9a-f]{40})\b", (args.source / "SOURCE.txt").read_text(encoding="utf-8"))
        commit = found.group(1) if found else ""
    body = {
        "source": "https://github.com/hteumeuleu/caniemail",
        "commit": commit,
        "license": "MIT (see LICENSE beside this file)",
        "features": extract(args.source),
    }
    args.output.write_text(dumps(body), encoding="utf-8")
    sys.stderr.write(f"{args.output}: {len(body['features'])} features\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
