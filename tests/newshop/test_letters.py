"""The pottery's letters look like letters: logo, date, address, the owner's photo and signature; Japanese vertical.

The letters are printed to PDF by the same function ``build.py run`` uses (Chromium), then read back with
pypdfium2: the text tells where each character stands (a vertical letter has its characters one below the
other, columns from right to left), and the page rendered to pixels tells that the images are there (each
image has a colour nothing else on the letter has). The pages are written as PNG files to
``tests/newshop/actual/`` for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from otokui.customers.letters import Letter, LetterWriter, print_pdf
from otokui.emails.letters import render_letters
from otokui.emails.variants import Variant
from otokui.policy.load import load_policy
from otokui.policy.model import Policy
from tests.conftest import _browser_missing

from .shop import copy_ceramics

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parents[1] / "email_templates"
ACTUAL = HERE / "actual"
#: Colours only one image of the pottery has: the logo's glaze drop, the photo's face, the signature's ink.
LOGO, PHOTO, INK = (224, 160, 48), (236, 200, 170), (29, 42, 90)


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Policy:
    return load_policy(copy_ceramics(tmp_path_factory.mktemp("pottery")))


@pytest.fixture(scope="module")
def printed(policy: Policy, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pdfium.PdfPage]:
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"printing letters cannot be tested under CI=true: {reason}")
        pytest.skip(reason)
    letters = {Path(a.path).name: a.text for a in render_letters(policy, TEMPLATES)}
    names = ["thanks-first.ja.html", "rank-akari.ja.html", "thanks-first.en.html", "rank-akari.en.html"]
    target = tmp_path_factory.mktemp("pdf") / "letters.pdf"
    pages = print_pdf([Letter(name, name.split(".")[1], letters[name]) for name in names], target)
    assert pages == len(names), "each letter prints on one page"
    document = pdfium.PdfDocument(target)
    ACTUAL.mkdir(exist_ok=True)
    for index, name in enumerate(names):
        write_png(document[index], ACTUAL / f"letter-pottery-{name.removesuffix('.html')}.png")
    return {name: document[index] for index, name in enumerate(names)}


def pixels(page: pdfium.PdfPage, scale: float = 2) -> tuple[int, int, bytes]:
    """The page as RGB pixels: width, height, three bytes a pixel."""
    bitmap = page.render(scale=scale, rev_byteorder=True)
    raw, n, stride = bytes(bitmap.buffer), bitmap.n_channels, bitmap.stride
    rgb = b"".join(
        b"".join(raw[y * stride + x * n : y * stride + x * n + 3] for x in range(bitmap.width))
        for y in range(bitmap.height)
    )
    return bitmap.width, bitmap.height, rgb


def write_png(page: pdfium.PdfPage, path: Path) -> None:
    width, height, rgb = pixels(page, scale=1.5)
    rows = b"".join(b"\x00" + rgb[y * width * 3 : (y + 1) * width * 3] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )


def where(page: pdfium.PdfPage, colour: tuple[int, int, int], tolerance: int = 18) -> tuple[float, float] | None:
    """The centre of the pixels of ``colour``, as fractions of the page (0,0 top left), or None if there are none."""
    width, height, rgb = pixels(page)
    xs: list[int] = []
    ys: list[int] = []
    for i in range(0, len(rgb), 3):
        if all(abs(rgb[i + c] - colour[c]) <= tolerance for c in range(3)):
            xs.append((i // 3) % width)
            ys.append((i // 3) // width)
    if len(xs) < 6:
        return None
    return sum(xs) / len(xs) / width, sum(ys) / len(ys) / height


def chars(page: pdfium.PdfPage, text: str) -> list[tuple[float, float]]:
    """The left and top of each character of ``text`` (phrase breaks read past) where it first appears."""
    textpage = page.get_textpage()
    everything = textpage.get_text_range()
    visible = [(i, c) for i, c in enumerate(everything) if c not in "\u200b \r\n"]
    flat = "".join(c for _, c in visible)
    start = flat.index(text.replace(" ", ""))
    return [textpage.get_charbox(visible[start + k][0])[0::3] for k in range(len(text.replace(" ", "")))]


def text_of(page: pdfium.PdfPage) -> str:
    return "".join(c for c in page.get_textpage().get_text_range() if c not in "\u200b \r\n")


def test_each_letter_is_one_a5_page(printed: dict[str, pdfium.PdfPage]) -> None:
    for page in printed.values():
        width, height = page.get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)


def test_japanese_letters_are_set_top_to_bottom_right_to_left(printed: dict[str, pdfium.PdfPage]) -> None:
    page = printed["thanks-first.ja.html"]
    name = chars(page, "山田花子様")
    assert max(x for x, _ in name) - min(x for x, _ in name) < 3  # one column
    assert [y for _, y in name] == sorted((y for _, y in name), reverse=True)  # each character below the last
    closing = chars(page, "ご不明な点があれば")
    assert closing[0][0] < name[0][0] - 40  # later text stands to the left
    assert "二〇二六年十二月三日" in text_of(page)  # the date, in kanji numerals


def test_english_letters_run_across(printed: dict[str, pdfium.PdfPage]) -> None:
    page = printed["thanks-first.en.html"]
    line = chars(page, "Dear Hanako Yamada,")
    assert max(y for _, y in line) - min(y for _, y in line) < 8  # capitals and small letters, one line
    assert [x for x, _ in line] == sorted(x for x, _ in line)
    text = text_of(page)
    assert "3December2026" in text and "TsuchitoAkariPottery(TsuchitoAkariLLC)" in text
    assert "0-0Nagano,Shigaraki-cho,Koka,Shiga529-1851,Japan" in text and "hello@tsuchi-akari.example.jp" in text


def test_logo_photo_and_signature_are_printed_where_a_letter_has_them(printed: dict[str, pdfium.PdfPage]) -> None:
    vertical, across = printed["rank-akari.ja.html"], printed["rank-akari.en.html"]
    logo, photo, ink = where(vertical, LOGO), where(vertical, PHOTO), where(vertical, INK)
    assert logo and logo[0] > 0.75 and logo[1] < 0.15  # the head of a vertical letter: top right
    assert photo and ink and photo[0] < 0.5 and ink[0] < 0.5  # the signature: after the text, to the left
    logo, photo, ink = where(across, LOGO), where(across, PHOTO), where(across, INK)
    assert logo and logo[0] < 0.3 and logo[1] < 0.15  # top left
    assert photo and ink and photo[0] > 0.4 and ink[0] > photo[0]  # right, the photo beside the signature
    assert "〒529-1851滋賀県甲賀市信楽町長野0-0" in text_of(vertical)  # the shop's address block


def test_images_are_carried_in_the_letter_not_linked(policy: Policy) -> None:
    for artifact in render_letters(policy, TEMPLATES):
        assert "data:image/svg+xml;base64," in artifact.text and "data:image/png;base64," in artifact.text
        assert (
            "images/" not in artifact.text and str(Path(policy.shop.brand.logo_file or "").parent) not in artifact.text
        )


def test_run_letters_are_dated_the_day_they_are_printed(policy: Policy) -> None:
    writer = LetterWriter(policy, TEMPLATES, dt.date(2027, 1, 5))
    tier = policy.wording.purchase_count_tiers[0]
    variant = Variant(
        kind="thanks_review",
        locale="ja",
        name=tier.id,
        tier=tier.id,
        orders=1,
        order=policy.samples.order,
        category="relationship",
        member=True,
    )
    html = writer.html(variant, "thanks", "佐藤 太郎", "taro@example.com")
    assert "二〇二七年一月五日" in html and "佐藤 太郎 様" in html.replace("\u200b", "")
    assert "writing-mode: vertical-rl" in html and "data:image/png;base64," in html
    english = writer.html(replace(variant, locale="en"), "thanks", "Taro Sato", "taro@example.com")
    assert "5 January 2027" in english and "writing-mode: vertical-rl" not in english
