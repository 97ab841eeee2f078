"""The second shop's folder (a pottery): its rules.yaml, schema and the images rules.yaml names."""

from __future__ import annotations

import shutil
from pathlib import Path

CERAMICS = Path(__file__).resolve().parent / "ceramics"


def copy_ceramics(target: Path, text: str | None = None) -> Path:
    """The pottery's folder copied into ``target`` (rules.yaml replaced by ``text`` if given); its rules.yaml."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CERAMICS / "images", target / "images", dirs_exist_ok=True)
    shutil.copy(CERAMICS / "rules.schema.json", target / "rules.schema.json")
    policy = target / "rules.yaml"
    if text is None:
        shutil.copy(CERAMICS / "rules.yaml", policy)
    else:
        policy.write_text(text, encoding="utf-8")
    return policy
