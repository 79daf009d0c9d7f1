"""The report in a real browser: headless Chromium (Debian's ``chromium``, installed by .ci/run) opens the page
and takes a screenshot, and the picture must be a real, non-blank rendering of the report.

Regenerate the screenshot in docs/ with ``python -m tests.test_report_browser``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from xl_campaign.render.html import write_report as report_file

from .conftest import ROOT, WORKBOOK_DIR, find_binary, need_binary

WIDTH = 1280
HEIGHT = 5600  # taller than the example's page: the bottom is cropped for docs/
BACKGROUND = (0xF3, 0xF4, 0xF6)
DOCS_SHOT = ROOT / "docs" / "report.png"


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium_path() -> str | None:
    return find_binary(*BROWSERS)


def need_chromium() -> str:
    return need_binary(BROWSERS, "chromium", "chromium")


def screenshot(html: Path, png: Path, *, width: int = WIDTH, height: int = HEIGHT, browser: str | None = None) -> Path:
    """Open ``html`` in headless Chromium with a fresh profile, no network services, and save a screenshot."""
    browser = browser or chromium_path()
    assert browser is not None, "chromium not installed"
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        result = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
             "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", f"--screenshot={png}", html.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    assert png.exists(), f"chromium wrote no screenshot: {result.stdout}\n{result.stderr}"
    return png


def content_height(image: object) -> int:
    """The height down to the last row that is not plain page background."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()
    assert pixels is not None
    for y in range(height - 1, -1, -1):
        if any(pixels[x, y] != BACKGROUND for x in range(0, width, 4)):
            return y + 1
    return 0


def count_near(image: object, color: tuple[int, int, int], tolerance: int = 6) -> int:
    from PIL import Image

    assert isinstance(image, Image.Image)
    histogram = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(n for n, rgb in histogram
               if all(abs(a - b) <= tolerance for a, b in zip(rgb, color, strict=True)))  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_in_chromium(tmp_path: Path, lang: str) -> None:
    from PIL import Image

    browser = need_chromium()
    html = tmp_path / "report.html"
    report_file(str(WORKBOOK_DIR / f"example_{lang}.xlsx"), str(html))
    png = screenshot(html, tmp_path / "shot.png", browser=browser)
    image = Image.open(png)
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    colors = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    assert len(colors) > 500  # text, charts and gradients, not a blank or error page
    background = sum(n for n, rgb in colors if rgb in (BACKGROUND, (255, 255, 255)))
    assert background < 0.85 * WIDTH * HEIGHT
    # the page is laid out all the way down: the findings section ends well below the first screen
    assert content_height(image) > 3000
    # the pictures were drawn: header gradient, Gantt stage bars, ROI bars, the status-date line
    top = image.crop((0, 0, WIDTH, 240))
    assert count_near(top, (0x25, 0x63, 0xEB), 30) > 1000  # the blue header
    for colour in ((0x54, 0x82, 0x35), (0x2F, 0x55, 0x97), (0x16, 0xA3, 0x4A), (0xDC, 0x26, 0x26)):
        assert count_near(image, colour) > 150, colour


def make_docs_screenshot(out: Path = DOCS_SHOT, lang: str = "en") -> Path:
    """The screenshot in docs/: the example's report, cropped to its content."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "report.html"
        report_file(str(WORKBOOK_DIR / f"example_{lang}.xlsx"), str(html))
        png = screenshot(html, Path(folder) / "shot.png")
        image = Image.open(png)
        image = image.crop((0, 0, WIDTH, min(HEIGHT, content_height(image) + 24))).convert("RGB")
        image.quantize(256, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)  # a third of the size
    return out


def test_docs_screenshot_is_a_real_picture() -> None:
    from PIL import Image

    image = Image.open(DOCS_SHOT)
    assert image.format == "PNG" and image.size[0] == WIDTH and image.size[1] > 3000
    assert count_near(image, (0x54, 0x82, 0x35)) > 150  # the Gantt's burst bars


if __name__ == "__main__":
    print(make_docs_screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_SHOT))
