"""The built site in a real browser: every page, every link, no errors, accessible."""

from __future__ import annotations

import datetime as dt
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import sync_playwright

from mentorbook import BuildOptions, build
from mentorbook.core.config import load_project
from mentorbook.core.paths import CONTENT_DIR

from browser import AXE, launch

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=["sample", "program"])
def site(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(request.param)
    if request.param == "sample":
        build(BuildOptions(out_dir=out, today=dt.date(2026, 11, 25)))
    else:
        project = load_project(CONTENT_DIR / "examples" / "program")
        build(BuildOptions(out_dir=out, blank=True, project=project))
    return out / "site"


def check_page(browser, url: str, root: str, shots: Path) -> tuple[list[str], list[str]]:
    """Open one page at each width; return its links and every problem found."""
    problems: list[str] = []
    links: list[str] = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("request", lambda req: problems.append(f"request leaves the site: {req.url}")
                if not req.url.startswith(root) else None)
        page.goto(url, wait_until="load")
        name = Path(urlparse(url).path).stem
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.scrollingElement.scrollWidth")
        if overflow > width + 1:
            problems.append(f"{width}px wide: the page is {overflow}px wide")
        # at each width, as the layouts differ; axe does not fetch the stylesheets again
        # (preload), which file:// pages may not do
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], preload: false})")
        for violation in results["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{width}px: axe {violation['impact']}: {violation['id']}: {violation['help']} {targets}")
        if width == WIDTHS[-1]:
            links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        page.close()
    return links, problems


def test_every_page_loads_cleanly_accessibly_and_offline(browser, site, tmp_path):
    root = site.resolve().as_uri() + "/"
    start = root + "index.html"
    queue, seen, report, files = deque([start]), {start}, {}, set()
    while queue:
        url = queue.popleft()
        links, problems = check_page(browser, url, root, tmp_path)
        if problems:
            report[url] = problems
        for link in links:
            link, _ = urldefrag(link)
            if not link.startswith(root):
                continue  # mailto: and other non-page links are not crawled
            target = Path(urlparse(link).path)
            assert target.is_file(), f"{url} links to a missing file: {link}"
            files.add(target.name)  # the PDF is checked to exist, not opened
            if target.suffix == ".html" and link not in seen:
                seen.add(link)
                queue.append(link)
    assert len(seen) >= 7, seen  # home, introduction and the five practices at least
    assert "workbook.pdf" in files, files
    assert report == {}, "\n".join(f"{url}\n  " + "\n  ".join(p) for url, p in report.items())
    assert len(list(tmp_path.glob("*-390.png"))) == len(seen) == len(list(tmp_path.glob("*-1280.png")))


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
    page = browser.new_page()
    page.goto(site.resolve().as_uri() + "/index.html")
    page.fill("#search-input", "zzqxv")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('No results')")
    assert page.eval_on_selector_all("#search-results li", "els => els.length") == 0
    page.close()
