"""Colours in a real browser: the WCAG 2.2 A and AA rules a colour scheme can change, in the dark
scheme (every rule is run in the light one by the crawl of test_browser_site.py), and focus rings
that show in both.

Run over the sample and the example program (its own brand colours), at phone and desk widths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import AXE

from mentorbook.program.colours import contrast

WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
# The WCAG 2.2 A and AA rules whose outcome a colour scheme can change (the others are run on every
# page in the light scheme by test_browser_site.py; focus rings: test_every_focus_ring_...)
SCHEME_RULES = ["color-contrast", "link-in-text-block"]

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


def test_no_wcag_violation_in_the_dark_scheme(browser, site):
    problems = []
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 7
    scheme = "dark"
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        context.add_init_script(path=str(AXE))  # axe in every document, loaded by the browser
        page = context.new_page()
        for path in pages:
            page.goto(path.resolve().as_uri(), wait_until="load")
            results = page.evaluate("async rules => await axe.run(document, {runOnly: {type: 'rule', values: rules},"
                                    " resultTypes: ['violations'], preload: false})", SCHEME_RULES)
            for violation in results["violations"]:
                targets = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{scheme} {width}px {path.name}: {violation['id']}: {violation['help']} {targets}")
        context.close()
    assert problems == [], "\n".join(problems)


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
