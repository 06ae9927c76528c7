"""progress --html: a page with a title, light and dark, that fits the window; checked in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest


@pytest.fixture
def page(ok, demo, tmp_path) -> str:
    out = tmp_path / "progress.html"
    ok("progress", "--html", str(out))
    return out.read_text(encoding="utf-8")


def _palettes(page: str) -> tuple[str, str]:
    """Return the page's light and dark style rules."""
    styles = page.split("<style>")[1].split("</style>")[0]
    light, dark = styles.rsplit("@media (prefers-color-scheme: dark)", 1)
    return light, dark


def test_the_page_has_a_title_and_says_what_it_is(page):
    assert "<title>ProDev Backend Engineering · progress</title>" in page
    assert '<meta name="viewport"' in page and '<html lang="en">' in page


def test_empty_cells_are_pale_on_the_light_page(page):
    light, dark = _palettes(page)
    assert "#3a3a3a" not in light and "#4e4e4e" not in light  # grey23 / grey30: dark grey on white
    assert "#d0d7de" in light and "#ebedf0" in light
    assert "#3a3a3a" in dark  # in the dark palette, as in the terminal


def test_the_dark_page_uses_the_svg_picture_s_colours(page):
    assert re.search(r"prefers-color-scheme: dark\)\{\s*:root\{--bg:#292929", page)


def test_the_view_is_drawn_for_several_window_widths(page):
    drawings = re.findall(r'<pre class="view w(\d)">', page)
    assert drawings == ["0", "1", "2", "3"]
    assert page.count("@media (min-width:") >= 3


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_pixels(path: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) into pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, *_ = header
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks)
    stride = width * step
    rows: list[bytearray] = []
    previous = bytearray(stride)
    i = 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(line)
        previous = line
    pixels = [(row[x], row[x + 1], row[x + 2]) for row in rows for x in range(0, stride, step)]
    return width, height, pixels


def _screenshot(browser: str, page: Path, shot: Path, size: str, *extra: str) -> None:
    profile = tempfile.mkdtemp()
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            f"--window-size={size}",
            *extra,
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.skipif(_chromium() is None, reason="no Chromium to look at the page with")
@pytest.mark.parametrize("size", ["1400,1000", "800,1000", "420,900"])
def test_in_a_real_browser_the_light_page_is_light_and_fits_the_window(ok, demo, tmp_path, size):
    page = tmp_path / "progress.html"
    ok("progress", "--html", str(page))
    shot = tmp_path / "shot.png"
    _screenshot(_chromium(), page, shot, size)  # type: ignore[arg-type]
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == tuple(int(n) for n in size.split(","))
    background = sum(1 for p in pixels if min(p) >= 245)
    dark_grey = sum(1 for p in pixels if max(p) <= 90 and max(p) - min(p) <= 8 and min(p) >= 40)
    assert background / len(pixels) > 0.6, "the light page is not mostly white"
    assert dark_grey / len(pixels) < 0.002, "dark grey cells on the light page"
    # the drawing fits: the right-most column of pixels is page background, not a cut-off view
    right_edge = [pixels[y * width + width - 3] for y in range(height)]
    assert sum(1 for p in right_edge if min(p) >= 245) / height > 0.95


@pytest.mark.skipif(_chromium() is None, reason="no Chromium to look at the page with")
def test_in_a_real_browser_the_dark_page_is_dark(ok, demo, tmp_path):
    page = tmp_path / "progress.html"
    ok("progress", "--html", str(page))
    shot = tmp_path / "dark.png"
    _screenshot(_chromium(), page, shot, "1200,900", "--blink-settings=preferredColorScheme=0")  # type: ignore[arg-type]
    _, _, pixels = _png_pixels(shot)
    assert sum(1 for p in pixels if max(p) <= 60) / len(pixels) > 0.6


def test_docs_screenshot_is_a_small_png():
    picture = Path(__file__).resolve().parent.parent / "docs" / "progress-page.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size < 250_000
    assert os.path.getsize(picture) > 10_000
