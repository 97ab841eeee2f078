"""Property tests: whatever bytes rules.yaml holds, reading it ends in a Policy or a clear PolicyError.

Never another exception, never a hang: every example is bounded by a
hypothesis deadline, and the whole file runs in well under a minute.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otokui.cli import run
from otokui.errors import PolicyError
from otokui.policy.load import parse
from otokui.policy.model import Policy
from otokui.policy.source import read

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "rules.yaml").read_text(encoding="utf-8")
EXAMPLE_LINES = EXAMPLE.splitlines(keepends=True)
LINE = re.compile(r"^[^:]+:\d+:\d+: ")
FAST = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def outcome(raw: bytes) -> Policy | PolicyError:
    """Read and validate ``raw``; a PolicyError is returned, anything else raised is a bug."""
    try:
        return parse(read(raw, "rules.yaml"), "rules.yaml")
    except PolicyError as error:
        return error


def assert_clear(raw: bytes) -> None:
    result = outcome(raw)
    if isinstance(result, PolicyError):
        assert result.problems, "a PolicyError must hold at least one problem"
        for line in str(result).splitlines():
            assert LINE.match(line), line
        assert len(str(result).splitlines()) == len(result.problems), "each problem is one line"


# ------------------------------------------------------------------ random YAML values

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="<>&\"'{}%#:*!|-?[],\r\n\t\u202e\x00\x1b ｺｰﾋｰ☕️", max_size=20),
    st.just("x" * 10_000),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)
keys = st.sampled_from(["version", "shop", "membership", "wording", "emails", "notices", "samples", "legal", "x"])


@FAST
@given(st.dictionaries(keys, values, max_size=6))
def test_random_yaml_documents(data: dict[str, Any]) -> None:
    assert_clear(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    assert_clear(raw)


@FAST
@given(st.text(alphabet="{}[]:,-&*!|>'\"#% \n\tab1", max_size=200))
def test_random_yaml_punctuation(text: str) -> None:
    assert_clear(text.encode("utf-8"))


# ------------------------------------------------------------------ mutations of the real policy


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "scalar", "indent", "dedent", "tab", "swap", "garbage"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "scalar" and ": " in line:
            key = line.split(": ", 1)[0]
            value = draw(
                st.sampled_from(
                    ["", "~", "-1", "1e99", "[]", "{}", "yes", "'x'", '"\\e"', "*nope", "&a b", "2026-13-45"]
                )
            )
            lines[index] = f"{key}: {value}\n"
        elif action == "indent":
            lines[index] = "  " + line
        elif action == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line
        elif action == "tab":
            lines[index] = "\t" + line.lstrip(" ")
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], line
        elif action == "garbage":
            lines.insert(index, draw(st.text(max_size=30)) + "\n")
    raw = "".join(lines).encode("utf-8")
    if draw(st.booleans()):
        raw = raw.replace(b"\n", b"\r\n")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    if draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + b"\xff\xfe" + raw[cut:]
    return raw


@settings(max_examples=200, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_of_the_example_policy(raw: bytes) -> None:
    assert_clear(raw)


@settings(max_examples=25, deadline=3000)
@given(mutated())
def test_validate_command_never_shows_a_traceback(raw: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / "rules.yaml"
        policy.write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        code = run(["validate", "--policy", str(policy)], out, err)
    assert code in (0, 1, 2)  # 1: a policy that reads but breaks a guideline (OT701…), reported as findings
    assert "Traceback" not in err.getvalue()
    if code == 1:
        findings = out.getvalue().splitlines()
        assert any(re.match(r".+:\d+:\d+: OT\d+ \[error\] ", line) for line in findings), findings
    if code == 2:
        lines = err.getvalue().splitlines()
        assert out.getvalue() == ""
        assert all(LINE.match(line) for line in lines[:-1]), lines
        assert lines[-1].endswith("in the policy; nothing was built.")


# ------------------------------------------------------------------ bombs and depth


def _bomb(levels: int, width: int) -> bytes:
    lines = ['a: &a ["lol"' + ', "lol"' * (width - 1) + "]"]
    for number in range(1, levels):
        name, previous = f"l{number}", "a" if number == 1 else f"l{number - 1}"
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=20, deadline=5000)
@given(st.integers(3, 12), st.integers(2, 12))
def test_alias_bombs_are_refused_quickly(levels: int, width: int) -> None:
    raw = _bomb(levels, width)
    started = time.perf_counter()
    result = outcome(raw)
    assert time.perf_counter() - started < 5
    assert isinstance(result, PolicyError)
    if width**levels > 200_000:
        assert "alias bomb" in str(result)


def test_billion_laughs_refused_within_a_second_or_so() -> None:
    started = time.perf_counter()
    result = outcome(_bomb(9, 10))  # 10^9 values once expanded
    elapsed = time.perf_counter() - started
    assert isinstance(result, PolicyError)
    assert "alias bomb" in str(result)
    assert elapsed < 5, f"took {elapsed:.2f} s"


@settings(max_examples=20, deadline=5000)
@given(st.integers(65, 50_000), st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting_is_refused_quickly(depth: int, opener: str) -> None:
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    raw = ("x: " + opener * depth + "1" + closer * depth + "\n").encode()
    if opener == "- ":
        raw = ("- " * depth + "1\n").encode()
    started = time.perf_counter()
    result = outcome(raw)
    assert time.perf_counter() - started < 5
    assert isinstance(result, PolicyError)
    assert "nesting deeper than" in str(result) or "YAML syntax error" in str(result)


def test_many_small_values_are_refused_quickly() -> None:
    raw = b"".join(b"- x\n" for _ in range(499_000))  # just under 2 MB, half a million values
    started = time.perf_counter()
    result = outcome(raw)
    assert time.perf_counter() - started < 5
    assert isinstance(result, PolicyError)
    assert "values; a policy has a few thousand at most" in str(result)
