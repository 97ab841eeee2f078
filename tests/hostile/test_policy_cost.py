"""A policy is refused for what it would cost, and read with a bounded read: no device, FIFO or giant file."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import yaml

from otokui.emails.variants import count_variants, list_variants
from otokui.policy.load import load_policy
from tests.reliability.conftest import ROOT, cli

TIERS = 1000


def many_tiers(tmp_path: Path, count: int = TIERS, extra_build: dict[str, int] | None = None) -> Path:
    """The example policy with ``count`` purchase-count tiers (about 100 KB of valid YAML for 1,000)."""
    data = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))
    template = data["wording"]["purchase_count_tiers"][0]
    tiers = []
    for number in range(1, count + 1):
        tier = dict(template, id=f"t{number}", min_orders=number, max_orders=number)
        for text in ("greeting", "thanks", "closing"):  # each tier its own words (OT303 checks that)
            tier[text] = {locale: f"{words} ({number})" for locale, words in template[text].items()}
        if number == count:
            tier.pop("max_orders")
        tiers.append(tier)
    data["wording"]["purchase_count_tiers"] = tiers
    data["build"].update(extra_build or {})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def tier_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip().startswith("purchase_count_tiers:"))


def test_a_policy_with_a_thousand_tiers_is_refused_with_its_line(tmp_path: Path) -> None:
    policy = many_tiers(tmp_path)
    assert policy.stat().st_size > 100_000
    started = time.monotonic()
    code, out, err = cli("build", "--policy", str(policy), "--out", str(tmp_path / "dist"))
    assert code == 2 and out == ""
    line = tier_line(policy)
    assert re.fullmatch(
        rf"{re.escape(str(policy))}:{line}:\d+: wording\.purchase_count_tiers: the policy makes 32,000 email"
        r" variants \(1,000 tiers, \d+ ranks, \d+ notices, 2 locales\), more than build\.max_variants \(5,000\);"
        r" use fewer tiers, or raise build\.max_variants\n1 problem in the policy; nothing was built\.\n",
        err,
    ), err
    assert time.monotonic() - started < 30
    assert not (tmp_path / "dist").exists()


def test_the_limit_is_the_policys_own(tmp_path: Path) -> None:
    policy = many_tiers(tmp_path, 40, {"max_variants": 1000})
    code, _, err = cli("validate", "--policy", str(policy))
    assert code == 2 and "more than build.max_variants (1,000)" in err
    policy = many_tiers(tmp_path, 40, {"max_variants": 2000})
    code, out, err = cli("validate", "--policy", str(policy))
    # accepted: each of the 40 tiers has its own words, so the policy is clean
    assert (code, err) == (0, "")
    assert "max_variants" not in out


def test_the_estimated_output_has_a_limit_too(tmp_path: Path) -> None:
    policy = many_tiers(tmp_path, 40, {"max_output_mb": 10})
    code, _, err = cli("validate", "--policy", str(policy))
    assert code == 2
    assert "the policy would make about 45 MB of output (1,280 email variants, 40 tiers," in err
    assert "more than build.max_output_mb (10); use fewer tiers, or raise build.max_output_mb" in err


def test_the_variant_count_is_the_one_the_build_makes(tmp_path: Path) -> None:
    for count in (1, 7):
        policy = load_policy(many_tiers(tmp_path, count))
        assert count_variants(policy) == len(list_variants(policy))
    example = load_policy(ROOT / "rules.yaml")
    assert count_variants(example) == len(list_variants(example)) == 96


def test_a_device_is_refused_before_it_is_read() -> None:
    code, out, err = cli("validate", "--policy", "/dev/zero")
    assert (code, out) == (2, "")
    assert err == "/dev/zero: is not a regular file (a device, FIFO or socket); pass a policy file\n"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    result: list[tuple[int, str, str]] = []
    thread = threading.Thread(target=lambda: result.append(cli("validate", "--policy", str(fifo))), daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():  # let the blocked reader go before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO as the policy hung")
    assert result[0][0] == 2
    assert result[0][2] == f"{fifo}: is not a regular file (a device, FIFO or socket); pass a policy file\n"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "rules.yaml"
    with open(big, "wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: 3 GB that would take all the memory to read
    code, _, err = cli("validate", "--policy", str(big))
    assert code == 2
    assert err.startswith(f"{big}:1:1: file is over 2,000,000 bytes; a policy may be at most 2,000,000\n")
