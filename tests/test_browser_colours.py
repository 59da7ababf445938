"""Colours in a real browser: the dark scheme is dark, and focus rings show in both schemes.

Run over the sample and the example program (its own brand colours). The WCAG rules a colour
scheme can change are run in the dark scheme on every page by the crawl of test_browser_site.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorbook.program.colours import contrast

SCHEMES = ("light", "dark")

# the colour behind an element: the first ancestor with an opaque background
BACKGROUND = """el => {
  for (let node = el; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    const alpha = colour.startsWith('rgba') ? parseFloat(colour.split(',')[3]) : 1;
    if (alpha > 0.5) return colour;
  }
  return 'rgb(255, 255, 255)';
}"""


def hex_of(css: str) -> str:
    parts = css[css.index("(") + 1:css.index(")")].split(",")[:3]
    return "#" + "".join(f"{round(float(p)):02x}" for p in parts)


@pytest.fixture(scope="module", params=["sample", "program"])
def site(request) -> Path:
    """The sample's site, and the example program's (its guide, with blank worksheets, in its colours)."""
    if request.param == "sample":
        return request.getfixturevalue("sample_build").site_index.parent
    return request.getfixturevalue("example_program_output") / "site"


def test_dark_scheme_is_really_dark(browser, site):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    background = hex_of(page.evaluate("getComputedStyle(document.documentElement).backgroundColor"))
    text = hex_of(page.evaluate("getComputedStyle(document.querySelector('main')).color"))
    assert contrast(background, "#000000") < 2 and contrast(text, background) >= 7
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_focus_ring_has_three_to_one_against_its_background(browser, site, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    seen, rings = set(), 0
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        key = page.evaluate("el => el.outerHTML.slice(0, 120)", focused)
        if key in seen or page.evaluate("el => el === document.body", focused):
            break
        seen.add(key)
        style = page.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth,"
                              " s.outlineColor]; }", focused)
        assert style[0] != "none" and float(style[1].rstrip("px")) >= 2, (key, style)
        ring, behind = hex_of(style[2]), hex_of(page.evaluate(BACKGROUND, focused))
        # the ring is drawn outside the element, on what surrounds it
        parent_behind = hex_of(page.evaluate(f"el => ({BACKGROUND})(el.parentElement || el)", focused))
        assert contrast(ring, parent_behind) >= 3, (key, ring, parent_behind, behind)
        rings += 1
    assert rings >= 5, seen
    context.close()
