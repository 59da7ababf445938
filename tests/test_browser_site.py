"""The built site in a real browser: every page, every link, no errors, accessible in the
light and the dark scheme, and read by the automatic eye (tests/eye.py) at each width."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from browser import AXE
from eye import look

WIDTHS = (390, 1280)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The WCAG 2.2 A and AA rules whose outcome a colour scheme can change, run again in the dark
# scheme (focus rings in both: test_browser_colours.py)
SCHEME_RULES = ["color-contrast", "link-in-text-block"]
AXE_RUN = ("async only => await axe.run(document, {runOnly: only, resultTypes: ['violations'],"
           " preload: false})")


@pytest.fixture(scope="module", params=["sample", "program"])
def kind(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def site(kind, request) -> Path:
    """The sample's site, and the example program's (its guide, with blank worksheets)."""
    if kind == "sample":
        return request.getfixturevalue("sample_build").site_index.parent
    return request.getfixturevalue("example_program_output") / "site"


@pytest.fixture(scope="module")
def raw_ids(kind) -> set[str]:
    """The choice ids the eye must not find printed on the site's pages (its project's worksheets)."""
    from conftest import EXAMPLE_PROGRAM
    from eye import choice_ids

    from mentorbook.core.load import load_sources
    from mentorbook.program.config import load_project
    from mentorbook.program.project import BUILTIN

    sources, _ = load_sources(load_project(EXAMPLE_PROGRAM) if kind == "program" else BUILTIN)
    return choice_ids(sources.definitions)


class Tab:
    """A page at one width, kept open for the whole crawl (opening a page costs more than
    visiting one), with axe loaded into every document before the document's own scripts."""

    def __init__(self, browser, width: int, root: str, ids: set[str]):
        self.width, self.ids = width, ids
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda msg: self.problems.append(f"console {msg.type}: {msg.text}")
                     if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("request", lambda req: self.problems.append(f"request leaves the site: {req.url}")
                     if not req.url.startswith(root) else None)

    def visit(self, url: str) -> list[str]:
        """Open ``url``; return every problem found."""
        self.problems = []
        page, width = self.page, self.width
        page.emulate_media(color_scheme="light")
        page.goto(url, wait_until="load")
        overflow = page.evaluate("document.scrollingElement.scrollWidth")
        if overflow > width + 1:
            self.problems.append(f"{width}px wide: the page is {overflow}px wide")
        self.problems += [f"{width}px: {problem}" for problem in look(page, self.ids)]  # what a reader sees
        # at each width, as the layouts differ; axe does not fetch the stylesheets again
        # (preload), which file:// pages may not do. Every WCAG 2.2 A and AA rule whatever its
        # impact in the light scheme, then the same page in the dark one for the colour rules.
        for scheme, only in (("light", {"type": "tag", "values": WCAG}),
                             ("dark", {"type": "rule", "values": SCHEME_RULES})):
            page.emulate_media(color_scheme=scheme)
            for violation in page.evaluate(AXE_RUN, only)["violations"]:
                targets = [n["target"] for n in violation["nodes"][:3]]
                self.problems.append(f"{width}px {scheme}: axe {violation['impact']}: {violation['id']}: "
                                     f"{violation['help']} {targets}")
        return self.problems

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")

    def close(self) -> None:
        self.context.close()


def test_every_page_loads_cleanly_accessibly_and_offline(browser, site, raw_ids):
    """Every page reached from the home page, at a phone's width and a desktop's: no errors,
    nothing fetched from elsewhere, nothing past the screen's edge, axe clean, and nothing the
    eye objects to (overlapping text, choice ids, ...). Every page of the site is reached."""
    root = site.resolve().as_uri() + "/"
    start = root + "index.html"
    queue, seen, report, files = deque([start]), {start}, {}, set()
    tabs = [Tab(browser, width, root, raw_ids) for width in WIDTHS]
    while queue:
        url = queue.popleft()
        problems = [problem for tab in tabs for problem in tab.visit(url)]
        if problems:
            report[url] = problems
        for link in tabs[-1].links():  # as the widest layout shows them
            link, _ = urldefrag(link)
            if not link.startswith(root):
                continue  # mailto: and other non-page links are not crawled
            target = Path(urlparse(link).path)
            assert target.is_file(), f"{url} links to a missing file: {link}"
            files.add(target.name)  # the PDF is checked to exist, not opened
            if target.suffix == ".html" and link not in seen:
                seen.add(link)
                queue.append(link)
    for tab in tabs:
        tab.close()
    assert len(seen) >= 7, seen  # home, introduction and the five practices at least
    assert {Path(urlparse(url).path).name for url in seen} == {page.name for page in site.glob("*.html")}
    assert "workbook.pdf" in files, files
    assert report == {}, "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in report.items())


def test_search_box_finds_guidance(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site.resolve().as_uri() + "/cultivate.html")
    page.locator("#search-input").press_sequentially("SMART")
    page.wait_for_selector("#search-results a", timeout=5000)
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("self-reflect.html") for h in hrefs), hrefs
    page.click("#search-results a[href^='self-reflect.html'] >> nth=0")
    page.wait_for_load_state("load")
    assert page.url.split("/")[-1].startswith("self-reflect.html")
    assert errors == []
    page.close()


def test_the_accessibility_audit_finds_problems(browser, site):
    """The audit is live: a page with an unlabelled field and an image without text fails it."""
    page = browser.new_page()
    page.goto(site.resolve().as_uri() + "/index.html")
    page.evaluate("""() => {
        const main = document.querySelector("main");
        main.insertAdjacentHTML("afterbegin", '<input type="text"><img>');
    }""")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], preload: false})")
    found = {v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")}
    assert {"label", "image-alt"} <= found, found
    page.close()


def test_search_says_when_nothing_matches(browser, site):
    """No empty strip: the message is shown where the results would be, and announced."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(site.resolve().as_uri() + "/index.html")
    page.fill("#search-input", "zzqxv")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('No results')")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status" and status.text_content() == "No results for \u201czzqxv\u201d"
    box = status.bounding_box()
    assert box["width"] > 200 and box["height"] > 20 and status.is_visible()
    assert page.eval_on_selector("#search-results", "e => e.hidden") and page.locator("#search-results li").count() == 0
    page.fill("#search-input", "")
    assert not status.text_content() and status.bounding_box()["width"] <= 1
    page.close()


def test_search_results_show_whole_words_around_the_marked_match(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site.resolve().as_uri() + "/index.html")
    texts = page.evaluate("window.MENTORBOOK_SEARCH.map(e => e.heading + ' ' + e.text).join(' ')")
    words = {w.strip(".,;:()·…“”'\"?!") for w in texts.split()}
    for query in ("agenda", "feedback mentor", "Ziele"):
        page.fill("#search-input", query)
        page.wait_for_function("document.getElementById('search-status').textContent !== ''")
        items = page.eval_on_selector_all("#search-results li", """els => els.map(li => ({
            page: li.querySelector('.search-page').textContent, heading: li.querySelector('a').textContent,
            snippet: li.querySelector('p') ? li.querySelector('p').textContent : '',
            marks: [...li.querySelectorAll('mark')].map(m => m.textContent)}))""")
        if query == "Ziele":
            assert items == []
            continue
        assert 1 <= len(items) <= 8
        status = page.text_content("#search-status")
        assert status == f"{len(items)} result" + ("s" if len(items) > 1 else "")
        for item in items:
            terms = query.split()
            assert item["marks"] and all(any(m.lower().startswith(t) for t in terms) for m in item["marks"]), item
            snippet = item["snippet"]
            assert len(snippet) <= 170, snippet
            for word in snippet.split():
                assert word.strip(".,;:()·…“”'\"?!") in words, (word, snippet)  # never half a word
            assert not snippet.startswith(("…,", "…;", "…·", "… ")) and not snippet.endswith((" …", ";…", ",…"))
    page.close()
