"""The automatic eye (tests/eye.py) on every page people are given as HTML, in Chromium
at a phone's width and a desktop's: no overlapping text, nothing past the edge of the
screen, no choice ids or Python representations, no stretched chips, and the current
page in view in the navigation.

One browser for the module, one tab per width; the pages come from the session builds.
The sample's site and the example program's are read by the eye in the crawl of
test_browser_site.py, which opens each of their pages at both widths already.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eye import choice_ids, look

WIDTHS = (390, 1280)


def _pages(request, kind: str) -> tuple[list[Path], Path | None]:
    """The HTML pages of one kind of output, and the project folder they were built from."""
    from conftest import INSTRUMENTS

    site = {
        "blank": lambda: (request.getfixturevalue("blank_build").site_index.parent, None),
        "init scaffold": lambda: (request.getfixturevalue("init_scaffold_output") / "site",
                                  request.getfixturevalue("init_scaffold_output").parent / "project"),
        "Spanish sample": lambda: (request.getfixturevalue("spanish_sample_site"), None),
        "instruments example": lambda: (request.getfixturevalue("instruments_site"), INSTRUMENTS),
    }
    if kind in site:
        folder, project = site[kind]()
        return sorted(folder.glob("*.html")), project
    if kind == "cohort index":
        return [request.getfixturevalue("example_cohort").out_dir / "index.html"], None
    return [request.getfixturevalue("example_report")], None


def _ids(project: Path | None) -> set[str]:
    from mentorbook.core.load import load_sources
    from mentorbook.program.config import load_project
    from mentorbook.program.project import BUILTIN

    sources, _ = load_sources(load_project(project) if project else BUILTIN)
    return choice_ids(sources.definitions)


@pytest.fixture(scope="module")
def tabs(browser):
    """A tab per width, kept open for every page of the module."""
    contexts = [browser.new_context(viewport={"width": width, "height": 900}) for width in WIDTHS]
    yield {width: context.new_page() for width, context in zip(WIDTHS, contexts, strict=True)}
    for context in contexts:
        context.close()


@pytest.mark.parametrize("kind", ["blank", "init scaffold", "Spanish sample", "instruments example",
                                  "cohort index", "report"])
def test_every_page_reads_cleanly_on_a_phone_and_a_desktop(kind, request, tabs):
    pages, project = _pages(request, kind)
    assert len(pages) >= (7 if kind not in ("cohort index", "report") else 1), pages
    ids = _ids(project)
    problems = []
    for path in pages:
        for width, tab in tabs.items():
            tab.goto(path.resolve().as_uri(), wait_until="load")
            problems += [f"{path.name} at {width}px: {problem}" for problem in look(tab, ids)]
    assert problems == [], "\n".join(problems)


PLANTED = """
<div id="planted" style="position: relative; width: 20rem">
  <p style="margin: 0">Two lines of text</p>
  <p style="margin: -1.2em 0 0 1em">drawn on top of each other</p>
  <p style="white-space: nowrap">A line of text that runs far past the right-hand edge of a phone's screen</p>
  <p>{'labels': ['a Python dict']}</p>
  <table><tr><td>in-progress</td></tr></table>
  <p><span class="chip" style="display: block">Done</span></p>
  <p class="visually-hidden">Hidden words are never seen</p>
  <p style="visibility: hidden; margin-top: -1.6em">Hidden words are never seen</p>
  <div style="overflow: hidden; height: 0"><p>Clipped words are never seen</p></div>
</div>
"""


def test_the_eye_sees_each_defect_and_nothing_hidden(sample_build, tabs):
    """The eye is live: planted defects are each reported once, hidden text never, and a
    label laid over its neighbour by a stylesheet's ::before is seen too."""
    tab = tabs[390]
    tab.goto((sample_build.site_index.parent / "index.html").resolve().as_uri(), wait_until="load")
    assert look(tab, {"in-progress"}) == []
    tab.evaluate("html => document.querySelector('main').insertAdjacentHTML('afterbegin', html)", PLANTED)
    found = "\n".join(look(tab, {"in-progress"}))
    assert "text overlaps text" in found and '"Two lines of text"' in found and '"drawn on top of each other"' in found
    assert 'text runs past the right edge' in found and '"A line of text that runs far' in found
    assert "a Python representation in visible text" in found
    assert 'a choice id instead of its label: "in-progress"' in found
    assert 'a chip stretched' in found and '"Done"' in found
    assert "never seen" not in found, found
    tab.evaluate("""() => {
        const style = document.createElement('style');
        style.textContent = '#planted-label::before { content: attr(data-label); position: absolute; }';
        document.head.append(style);
        document.querySelector('main').insertAdjacentHTML('afterbegin',
            '<p id="planted-label" data-label="Skill area">Skill area</p>');
    }""")
    assert "p#planted-label > span" in "\n".join(look(tab, ()))


def test_the_current_page_is_scrolled_into_the_phone_navigation(sample_build, tabs):
    """The last practice's link sits far to the right of the row: it is shown, and the eye
    says so when the row is scrolled back."""
    tab = tabs[390]
    tab.goto((sample_build.site_index.parent / "refine-or-conclude.html").resolve().as_uri(), wait_until="load")
    assert tab.evaluate("document.querySelector('.site-nav ol').scrollLeft") > 0
    assert not [p for p in look(tab) if "navigation" in p]
    tab.evaluate("document.querySelector('.site-nav ol').scrollLeft = 0")
    assert [p for p in look(tab) if "out of view in the navigation" in p]
