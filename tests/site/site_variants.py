"""Policy variants for the member-site tests, and a built site's handle."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from otokui.artifacts import Artifact
from otokui.policy.model import Policy
from otokui.site import build_site

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules.yaml"
SITE_SRC = ROOT / "site_src"
GOLDEN_RULES = Path(__file__).parent / "data" / "golden_rules.yaml"
HOSTILE = "<script>alert(1)</script> *Bold* _it_ [x](https://evil.example/) # {{ x }} | & \\ `c`"


def example_data(path: Path = RULES) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def make_policy(data: dict[str, Any]) -> Policy:
    return Policy.model_validate(data)


def published_data() -> dict[str, Any]:
    """The example shop with published thresholds, a retain rule and a hidden fifth rank."""
    data = copy.deepcopy(example_data())
    membership = data["membership"]
    membership["disclosure"] = {"mode": "published", "show_progress": False}
    membership["ranks"][2]["retain"] = {"spend": 40000}
    membership["ranks"].append(
        {
            "id": "obsidian",
            "name": {"ja": "オブシディアン", "en": "Obsidian"},
            "threshold": {"spend": 300000},
            "hidden": True,
            "benefits": ["points_double", "roaster_call"],
        }
    )
    return data


def hostile_data() -> dict[str, Any]:
    """The example shop with markup and Markdown syntax in every kind of user text."""
    data = copy.deepcopy(example_data())
    data["shop"]["name"] = {"ja": f"木漏れ日{HOSTILE}", "en": f"Komorebi{HOSTILE}"}
    data["shop"]["legal_name"] = {"ja": HOSTILE, "en": HOSTILE}
    membership = data["membership"]
    membership["ranks"][1]["name"] = {"ja": f"シルバー{HOSTILE}", "en": f"Silver{HOSTILE}"}
    membership["ranks"][1]["message"] = {"ja": HOSTILE, "en": HOSTILE}
    membership["benefits"][0]["name"] = {"ja": f"ポイント{HOSTILE}", "en": f"Points{HOSTILE}"}
    membership["benefits"][0]["description"] = {"ja": f"説明\n\n- list\n# heading {HOSTILE}", "en": HOSTILE}
    data["notices"][0]["title"] = {"ja": HOSTILE, "en": HOSTILE}
    data["notices"][0]["message"] = {"ja": HOSTILE, "en": HOSTILE}
    return data


@dataclass(frozen=True)
class BuiltSite:
    policy: Policy
    out: Path  # the site folder: <out>/index.html (ja), <out>/en/…
    artifacts: list[Artifact]

    def page(self, path: str) -> str:
        return (self.out / path).read_text(encoding="utf-8")


def build(tmp_path_factory: pytest.TempPathFactory, name: str, data: dict[str, Any]) -> BuiltSite:
    policy = make_policy(data)
    out = tmp_path_factory.mktemp(name) / "site"
    return BuiltSite(policy, out, build_site(policy, RULES, SITE_SRC, out))


def threshold_pattern(value: int) -> re.Pattern[str]:
    """A threshold written any way a page might: 20000, 20,000, 20\\,000, ２０，０００, 2万, 20k.

    Digits either side must not continue the number, so 20,000 is not found inside 120,000.
    """
    digits = str(value)
    groups = [digits[max(0, end - 3) : end] for end in range(len(digits), 0, -3)][::-1]
    sep = r"(?:\\?[,，]|&#44;)?"
    forms = [sep.join(groups)]
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    forms.append("[,，]?".join(group.translate(wide) for group in groups))
    if value % 10_000 == 0:
        forms.append(f"{value // 10_000}万")
    if value % 1_000 == 0:
        forms.append(f"{value // 1_000}[kK]")
    return re.compile(rf"(?<![\d０-９.,，])(?:{'|'.join(forms)})(?![\d０-９万])")


def thresholds(policy: Policy) -> list[int]:
    """Every spend or order threshold of every rank above the base, retain rules included."""
    values: set[int] = set()
    for rank in policy.membership.ranks[1:]:
        for threshold in (rank.threshold, rank.retain):
            if threshold is not None:
                values.update(v for v in (threshold.spend, threshold.orders) if v)
    return sorted(values)
