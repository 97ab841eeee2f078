"""The hostile-input corpus: each folder under ``cases/`` is one policy and what the user sees.

A case holds either ``policy.yaml`` (the file exactly as given, bytes and all) or
``patch.yaml``, edits to the example ``rules.yaml``:

``replace``       ``[[old, new], …]``: the first ``old`` (which must occur) becomes ``new``
``delete_lines``  lines to delete, each found by a piece of its text
``long``          a marker in a replacement that becomes 10,000 characters
``prefix_hex``    bytes put before the file (``efbbbf``: a byte-order mark)
``crlf``          ``true``: Windows line endings
``pad_bytes``     a comment appended until the file is this many bytes

``expected.txt`` is one of

* the exact lines ``validate`` writes to standard error (exit code 2), with the
  policy called ``rules.yaml``;
* ``valid``: the policy is accepted;
* ``builds``, then one assertion a line, on the whole output folder:
  ``absent: TEXT`` (in no file), ``present: TEXT`` (in some file), or
  ``finding: RULE`` (the checker reports that rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
EXAMPLE = HERE.parents[1] / "rules.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path

    @property
    def expected(self) -> list[str]:
        return (self.folder / "expected.txt").read_text(encoding="utf-8").splitlines()

    @property
    def kind(self) -> str:
        first = self.expected[0] if self.expected else ""
        return first if first in ("valid", "builds") else "errors"

    def policy_bytes(self) -> bytes:
        raw = self.folder / "policy.yaml"
        if raw.exists():
            return raw.read_bytes()
        return apply_patch(yaml.safe_load((self.folder / "patch.yaml").read_text(encoding="utf-8")) or {})


def apply_patch(patch: dict[str, object]) -> bytes:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in patch.get("replace", []) or []:  # type: ignore[attr-defined]
        assert old in text, f"patch text not found in rules.yaml: {old!r}"
        text = text.replace(old, new, 1)
    for piece in patch.get("delete_lines", []) or []:  # type: ignore[attr-defined]
        lines = text.splitlines(keepends=True)
        index = next(i for i, line in enumerate(lines) if piece in line)
        text = "".join(lines[:index] + lines[index + 1 :])
    marker = patch.get("long")
    if isinstance(marker, str):
        text = text.replace(marker, "x" * 10_000)
    if patch.get("crlf"):
        text = text.replace("\n", "\r\n")
    data = bytes.fromhex(str(patch.get("prefix_hex", ""))) + text.encode("utf-8")
    pad = int(patch.get("pad_bytes", 0) or 0)  # type: ignore[call-overload]
    if pad > len(data):
        data += b"# " + b"x" * (pad - len(data) - 3) + b"\n"
    return data


def cases() -> list[Case]:
    return [Case(p.name, p) for p in sorted(CASES.iterdir()) if p.is_dir()]
