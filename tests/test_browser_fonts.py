"""The site's fonts in a real browser: a page with everything it loads stays light, and a
name in Cyrillic and Greek is drawn in mentorbook's own fonts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import TODAY

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main

BUDGET = 200 * 1024  # bytes: a page with its CSS, JS and fonts
NAME = "Ана Мария Петрова Nguyễn Thị Ελένη"


@pytest.fixture(scope="module")
def named_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("named-site")
    workbook = out / "workbook.yml"
    workbook.write_text(SAMPLE_WORKBOOK.read_text(encoding="utf-8")
                        .replace("name: Dr. Lena Marchetti", f"name: {NAME}", 1), encoding="utf-8")
    assert main(["build", str(workbook), "--format", "html", "--out", str(out), "--today", TODAY.isoformat(),
                 "-q"]) == 0
    return out / "site"


def covered(unicode_range: str) -> set[int]:
    codes: set[int] = set()
    for part in unicode_range.upper().replace("U+", "").split(","):
        low, _, high = part.strip().partition("-")
        codes |= set(range(int(low, 16), int(high or low, 16) + 1))
    return codes


def load(browser, url: str) -> tuple[int, list[str], list[dict]]:
    """Open ``url`` in a fresh context (nothing cached); return the bytes of every file the
    page requested, their names, and the font faces the page loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url, wait_until="load")
    faces = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.status === 'loaded')
            .map(f => ({family: f.family.replace(/"/g, ''), range: f.unicodeRange, weight: f.weight})); }""")
    context.close()
    files = sorted({unquote(urlparse(u).path) for u in requested if u.startswith("file:")})
    return sum(Path(f).stat().st_size for f in files), files, faces


@pytest.mark.parametrize("page_name", ["index.html", "introduction.html", "cultivate.html"])
def test_a_page_with_its_css_js_and_fonts_weighs_at_most_200_kb(browser, sample_build, page_name):
    site = sample_build.site_index.parent
    size, files, faces = load(browser, (site / page_name).resolve().as_uri())
    names = [Path(f).name for f in files]
    assert page_name in names and "style.css" in names and any(n.endswith(".woff2") for n in names), names
    assert not any(n.endswith((".ttf", ".otf")) for n in names), names
    assert size <= BUDGET, f"{page_name}: {size} bytes: {names}"
    assert {"Noto Sans", "Noto Serif"} <= {f["family"] for f in faces}, faces


def test_a_cyrillic_and_greek_name_is_drawn_in_mentorbooks_fonts(browser, named_site):
    size, files, faces = load(browser, (named_site / "index.html").resolve().as_uri())
    names = {Path(f).name for f in files}
    assert any(".cyrillic." in n for n in names) and any(".greek." in n for n in names), names
    assert any(".vietnamese." in n for n in names), names
    cyrillic = [f for f in faces if 0x41F in covered(f["range"])]  # П
    assert cyrillic and {f["family"] for f in cyrillic} <= {"Noto Sans", "Noto Serif"}, faces
    assert size <= BUDGET + 60 * 1024, f"{size} bytes: {sorted(names)}"  # three more scripts' files


def test_guidance_lines_hold_60_to_75_characters_on_the_site(browser, sample_build):
    """The measure on screen: characters per line of the introduction's paragraphs."""
    site = sample_build.site_index.parent
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((site / "introduction.html").resolve().as_uri(), wait_until="load")
    per_line = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.querySelectorAll('.guide p')].map(p => {
            const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
            return lines > 2 ? p.textContent.length / lines : null; }).filter(x => x); }""")
    context.close()
    assert len(per_line) >= 3, per_line
    median = sorted(per_line)[len(per_line) // 2]
    assert 60 <= median <= 75, per_line
