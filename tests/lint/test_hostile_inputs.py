"""Hostile input to the checker: names and links that would break a report, encodings, quadratic markup.

Reports: a file name with a newline or ESC, an href with a control
character, undecodable bytes of a file name; each format stays valid and a
text report stays one line per finding with nothing raw reaching the
terminal. Encodings: ``check --input`` reads a file the way a browser would,
or refuses it by name. Markup: 30,000 stray end tags or ``data-otokui-disable``
switches are checked in seconds (these tests would run for minutes
otherwise; the timeout is a hang guard, the figures live in bench/run.py).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from otokui.errors import UsageError
from otokui.lint.decode import decode_html
from otokui.lint.finding import Finding
from otokui.lint.html import HtmlDoc
from otokui.lint.report import render
from tests.reliability.conftest import ROOT, cli

HOSTILE_NAMES = ["mail\n.html", "mail\x1b[31m.html", "bell\x07\x00.html", "rtl\u202e.html", "bytes\udcff.html"]
HOSTILE_TEXT = "href 'http://x/\x1b]8;;evil\x07\n' ok \x0b\x0c\ufffe"


def findings() -> list[Finding]:
    return [
        Finding(name, 3, 4, "OT1101", "error", f"link {HOSTILE_TEXT} is not https", "use https \x1b[0m")
        for name in HOSTILE_NAMES
    ]


def test_a_text_report_is_one_line_per_finding_and_sends_no_control_characters() -> None:
    text = render(findings(), "text")
    lines = text.splitlines()
    assert len(lines) == 2 * len(HOSTILE_NAMES) + 1  # a finding and its hint each, and the summary
    for bad in ("\x1b", "\x07", "\x00", "\x0b", "\x0c", "\u202e", "\udcff"):
        assert bad not in text
    assert lines[0] == (
        "bell\\x07\\x00.html:3:4: OT1101 [error] link href 'http://x/\\x1b]8;;evil\\x07 ' ok   \\ufffe is not https"
    )
    assert "mail\\x1b[31m.html:3:4:" in text and "mail\\n.html:3:4:" in text


def test_junit_is_valid_xml_for_any_input() -> None:
    report = render(findings(), "junit")
    root = ET.fromstring(report.encode("utf-8"))
    failure = root.find(".//failure")
    assert failure is not None and failure.text is not None
    assert len(failure.text.splitlines()) == len(HOSTILE_NAMES)


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_sarif_and_json_are_valid_utf8_json_for_any_input(fmt: str) -> None:
    report = render(findings(), fmt)
    body = json.loads(report.encode("utf-8"))
    assert body


def test_github_annotations_stay_one_line_each() -> None:
    report = render(findings(), "github")
    assert len(report.splitlines()) == len(HOSTILE_NAMES)
    assert "\x1b" not in report


def test_check_input_with_a_hostile_file_name_and_href(tmp_path: Path) -> None:
    page = tmp_path / "mail\x1b[2J\n.html"
    page.write_text(
        '<html lang="ja"><body><a href="http://example.com/\x1b[2Jx">注文</a></body></html>', encoding="utf-8"
    )
    for fmt in ("text", "junit", "sarif"):
        code, out, err = cli("check", "--policy", str(ROOT / "rules.yaml"), "--input", str(page), "--format", fmt)
        assert code == 1 and err == ""
        assert "\x1b" not in out
        if fmt == "junit":
            ET.fromstring(out.encode("utf-8"))
        elif fmt == "sarif":
            json.loads(out)
        else:
            assert all(line.startswith((str(tmp_path), "    hint:", "rules.yaml", "")) for line in out.splitlines())
            assert "\\x1b[2J\\n.html:" in out


# --------------------------------------------------------------------------- encodings

JAPANESE = "お得意様へのご案内"


def page(charset_meta: str = "") -> str:
    return f'<html lang="ja"><head>{charset_meta}<title>t</title></head><body><p>{JAPANESE}</p></body></html>'


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (page().encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + page().encode("utf-8"), "utf-8"),
        (page().encode("utf-16"), "utf-16 with a byte-order mark"),
        (page().encode("utf-16-le"), "utf-16-le without one"),
        (page().encode("utf-16-be"), "utf-16-be without one"),
        (page('<meta charset="shift_jis">').encode("shift_jis"), "shift_jis"),
        (page('<meta charset="Shift_JIS">').encode("cp932") + "①".encode("cp932"), "cp932 characters"),
        (page('<meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">').encode("euc_jp"), "euc-jp"),
        (page('<meta charset="iso-2022-jp">').encode("iso2022_jp"), "iso-2022-jp"),
        (page().encode("iso2022_jp"), "iso-2022-jp undeclared"),
        (('<?xml version="1.0" encoding="EUC-JP"?>' + page()).encode("euc_jp"), "xml declaration"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_input_files_are_decoded_like_a_browser(data: bytes, codec: str) -> None:
    assert JAPANESE in decode_html(data, "mail.html")


def test_an_undeclared_legacy_encoding_is_an_error_naming_the_file() -> None:
    with pytest.raises(UsageError) as caught:
        decode_html(page().encode("shift_jis"), "mail.html")
    assert str(caught.value).startswith("mail.html:1: cannot be read as utf-8 (from the default (no charset declared))")


def test_a_wrong_declaration_is_an_error_not_a_replacement() -> None:
    with pytest.raises(UsageError, match=r"^mail\.html:1: cannot be read as euc_jp \(from its declared charset"):
        decode_html(page('<meta charset="euc-jp">').encode("utf-8") + b"\xff\xff", "mail.html")


def test_an_unknown_charset_is_named() -> None:
    with pytest.raises(UsageError, match=r"^mail\.html: declares the charset 'klingon', which is not a known"):
        decode_html(page('<meta charset="klingon">').encode("utf-8"), "mail.html")


def test_check_input_reads_utf16_and_shift_jis_files(tmp_path: Path) -> None:
    text = '<html lang="ja"><body><img src="https://example.com/a.png"><p>今すぐ</p></body></html>'
    utf16 = tmp_path / "utf16.html"
    utf16.write_bytes(text.encode("utf-16"))
    sjis = tmp_path / "sjis.html"
    sjis.write_bytes(text.replace("<body>", '<body><meta charset="shift_jis">').encode("shift_jis"))
    for path in (utf16, sjis):
        code, out, _ = cli("check", "--policy", str(ROOT / "rules.yaml"), "--input", str(path), "--format", "json")
        assert code == 1
        rules = {f["rule"] for f in json.loads(out)["findings"] if f["file"] == path.as_posix()}
        assert "OT1001" in rules  # the image without alt was found: the markup was read, not mojibake


def test_check_input_refuses_an_undecodable_file_by_name(tmp_path: Path) -> None:
    path = tmp_path / "legacy.html"
    path.write_bytes(page().encode("euc_jp"))
    code, out, err = cli("check", "--policy", str(ROOT / "rules.yaml"), "--input", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:1: cannot be read as utf-8")
    assert len(err.splitlines()) == 1


# --------------------------------------------------------------------------- quadratic markup

COUNT = 30_000


@pytest.mark.timeout(120)
def test_thirty_thousand_stray_end_tags_under_a_deep_stack() -> None:
    doc = HtmlDoc("<body>" + "<div>" * COUNT + "</span>" * COUNT + "</div>" * COUNT + "</body>")
    divs = doc.find("div")
    assert len(divs) == COUNT
    assert all(div.end > div.start for div in divs[:10])  # the stray tags closed nothing; the divs closed


@pytest.mark.timeout(120)
def test_thirty_thousand_disable_switches() -> None:
    unit = '<p data-otokui-disable="OT1104"><a href="javascript:x">a</a></p>'
    doc = HtmlDoc("<body>" + unit * COUNT + "<a href='javascript:y'>b</a></body>")
    links = doc.find("a")
    assert sum(doc.disabled("OT1104", link.start) for link in links) == COUNT
    assert not doc.disabled("OT1104", links[-1].start)
    assert not any(doc.disabled("OT1001", link.start) for link in links)
