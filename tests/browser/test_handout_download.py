"""The handout from the Routines page in Chromium: a PDF download whose text holds every
exercise and dosage, its pages kept as screenshots; the page still fits a phone."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.browser.browser_helpers import App
from tests.required import require

from soleus.content import load_catalog, load_routines
from soleus.domain.text import dosage_words

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_handout_downloads_from_the_routines_page(
    app: App, page: Any, shot: Callable[[Any, str], Path], tmp_path: Path
) -> None:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    page.goto(app.url + "/routines")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Handout (PDF) of Full calf routine").click()
    download = caught.value
    assert download.suggested_filename == "full-handout.pdf"
    pdf = tmp_path / "full.pdf"
    download.save_as(str(pdf))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    catalog = load_catalog(app.config_dir)
    full = load_routines(app.config_dir, catalog)["full"]
    for block in full.blocks:
        assert catalog[block.exercise].name in flat
        assert dosage_words(block.dosage_in(catalog)) in flat
    assert "Not medical advice." in flat
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            "-png",
            str(pdf),
            str(SCREENSHOTS / "handout"),
        ],
        check=True,
    )
    print(f"handout pages: {SCREENSHOTS}/handout-1.png, handout-2.png")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(page, "phone-routines-handout-links")
