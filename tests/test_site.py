"""The HTML site: pages, navigation, local-only links and assets, the cycle figure."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import PRACTICE_TITLES, SAMPLE_GOAL, SAMPLE_NAME

PRACTICE_PAGES = ["self-reflect", "identify-mentors", "establish", "cultivate", "refine-or-conclude"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_site_has_home_intro_and_a_page_per_practice(sample_build):
    site = sample_build.site_index.parent
    names = {p.stem for p in site_pages(site)}
    assert names == {"index", "introduction", *PRACTICE_PAGES}
    assert sample_build.site_index == sample_build.out_dir / "site" / "index.html"


def test_every_local_link_and_asset_resolves(sample_build):
    site = sample_build.site_index.parent
    checked = 0
    for page in site_pages(site):
        doc = soup(page)
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src")):
            for element in doc.find_all(tag):
                url = element.get(attr)
                if not url or url.startswith(("#", "mailto:")):
                    continue
                parsed = urlparse(url)
                assert not parsed.scheme and not parsed.netloc, f"{page.name}: external {tag} {url}"
                target = (page.parent / unquote(parsed.path)).resolve()
                assert target.is_file(), f"{page.name}: {url} does not resolve"
                assert site.resolve() in target.parents, f"{page.name}: {url} leaves the site"
                if parsed.fragment:
                    assert soup(target).find(id=parsed.fragment), f"{page.name}: no #{parsed.fragment} in {target.name}"
                checked += 1
    assert checked > 50


def test_stylesheet_fonts_are_local(sample_build):
    css_path = sample_build.site_index.parent / "assets" / "style.css"
    css = css_path.read_text(encoding="utf-8")
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert urls, "fonts are declared"
    for url in urls:
        assert not urlparse(url).scheme, url
        assert (css_path.parent / url).is_file(), url
    assert "@import" not in css


def test_no_inline_script_or_external_reference(sample_build):
    for page in site_pages(sample_build.site_index.parent):
        text = page.read_text(encoding="utf-8")
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in text


def test_home_page_shows_person_cycle_position_and_counts(sample_build):
    doc = soup(sample_build.site_index)
    assert doc.h1.get_text(strip=True) == SAMPLE_NAME
    stats = {s.select_one(".stat-label").get_text(strip=True): int(s.select_one(".stat-num").get_text())
             for s in doc.select(".stat")}
    assert stats == {"goals": 5, "active mentors": 2, "open action items": 4}
    where = doc.select_one(".where").get_text(" ", strip=True)
    assert "Cultivate the relationship" in where
    assert doc.find("a", href="workbook.pdf")
    svg = doc.select_one("figure.cycle-figure svg")
    assert svg is not None and svg.get("role") == "img"
    assert [g["data-practice"] for g in svg.select("g.node")] == PRACTICE_PAGES
    assert svg.select_one("g.node.current")["data-practice"] == "cultivate"


def test_home_lists_open_action_items_with_overdue_marked(sample_build):
    doc = soup(sample_build.site_index)
    rows = doc.select(".panel tbody tr")
    tasks = [r.td.get_text(strip=True) for r in rows]
    assert tasks[0] == "Write a one-page reflection on the feedback conversation"  # soonest due first
    assert "Finish chart abstraction" in tasks and "Share a talk outline" not in tasks  # done items absent
    overdue = [r.td.get_text(strip=True) for r in rows if r.select_one(".chip-overdue")]
    assert overdue == ["Write a one-page reflection on the feedback conversation",
                       "Draft the introduction of the case report"]  # due before 2026-11-25


def test_practice_pages_show_guidance_then_worksheets(sample_build):
    site = sample_build.site_index.parent
    for slug, title in zip(PRACTICE_PAGES, PRACTICE_TITLES, strict=True):
        doc = soup(site / f"{slug}.html")
        main = doc.find("main")
        assert main.h1.get_text(strip=True) == title
        blocks = list(main.find_all(["article", "section"], recursive=False))
        assert blocks[0].name == "article" and "guide" in blocks[0]["class"]
        last = blocks[0].find_all(recursive=False)[-1]
        assert "key-point" in last["class"], "guidance ends with its key point"
        assert all("worksheet" in b["class"] for b in blocks[1:]) and len(blocks) > 1


def test_worksheets_are_laid_out_not_dumped(sample_build):
    site = sample_build.site_index.parent
    reflect = soup(site / "self-reflect.html")
    goal_titles = [h.get_text(strip=True) for h in reflect.select(".card-goals h3")]
    assert SAMPLE_GOAL in goal_titles and len(goal_titles) == 5
    table = reflect.select_one("table.table-skill_areas")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["Skill area", "Priority", "Notes"]
    meetings = soup(site / "cultivate.html")
    rows = meetings.select("table.table-action_items tbody tr")
    assert len(rows) == 10
    assert "Dr. Samuel Whitcombe" in meetings.select_one(".entry h3").get_text()
    text = reflect.get_text()
    assert "self_reflection:" not in text and "{'" not in text


def test_previous_next_navigation_chains_all_pages(sample_build):
    site = sample_build.site_index.parent
    order = ["index", "introduction", *PRACTICE_PAGES]
    for i, name in enumerate(order):
        doc = soup(site / f"{name}.html")
        nxt = doc.find("a", rel="next")
        prev = doc.find("a", rel="prev")
        assert (nxt["href"] if nxt else None) == (f"{order[i + 1]}.html" if i + 1 < len(order) else None)
        assert (prev["href"] if prev else None) == (f"{order[i - 1]}.html" if i else None)


@pytest.mark.parametrize("name", ["index", "self-reflect"])
def test_pages_are_semantic_and_responsive(sample_build, name):
    doc = soup(sample_build.site_index.parent / f"{name}.html")
    assert doc.html["lang"] == "en"
    assert doc.find("meta", attrs={"name": "viewport"})
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.find(landmark), landmark
    assert doc.find("nav").find("a", attrs={"aria-current": "page"})
    css = (sample_build.site_index.parent / "assets" / "style.css").read_text()
    assert "@media (max-width" in css


def test_blank_site_has_empty_forms(blank_build):
    doc = soup(blank_build.site_index.parent / "self-reflect.html")
    assert doc.select(".bfield") and not doc.select(".card-goals")
    assert "Marchetti" not in (blank_build.site_index).read_text()


def search_entries(site: Path) -> list[dict]:
    import json

    script = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.MENTORBOOK_SEARCH = ")
    return json.loads(script[script.index("["):script.rindex("]") + 1])


def test_search_index_covers_guidance_and_worksheets_with_working_anchors(sample_build):
    site = sample_build.site_index.parent
    entries = search_entries(site)
    smart = [e for e in entries if "SMART" in e["text"] or "SMART" in e["heading"]]
    assert any(e["url"].startswith("self-reflect.html") for e in smart)
    headings = {e["heading"] for e in entries}
    assert {"Meeting log", "Set goals you can act on", "1 September 2026 with Dr. Samuel Whitcombe"} <= headings
    for entry in entries:
        path, _, anchor = entry["url"].partition("#")
        assert (site / path).is_file(), entry["url"]
        if anchor:
            assert soup(site / path).find(id=anchor), entry["url"]


def test_search_texts_keep_labels_apart_and_end_on_whole_words(sample_build):
    """A section's text reads as the page does: "Label: value", a table cell after its
    column's label, list items and cells apart; a shortened text ends on a whole word."""
    from mentorbook.site.search import MAX_TEXT

    entries = {e["url"]: e for e in search_entries(sample_build.site_index.parent)}
    meeting = next(e for e in entries.values() if e["heading"] == "1 September 2026 with Dr. Samuel Whitcombe")
    assert meeting["text"].startswith("Date: 1 September 2026 · Agenda (set by me): Case report outline; ")
    assert "Task: Send the case report outline; Owner: Me; Due: 15 September 2026; Status: Done" in meeting["text"]
    mentor = next(e for e in entries.values() if e["heading"] == "Dr. Samuel Whitcombe" and "mentors" in e["url"])
    assert "Competence in the field: 5/5 · " in mentor["text"]
    words = {w.strip(".,;:()·…“”'") for e in entries.values() for w in e["text"].split()}
    page_text = " ".join(soup(p).get_text(" ") for p in site_pages(sample_build.site_index.parent))
    page_words = {w.strip(".,;:()·…“”'") for w in page_text.split()}
    assert words - page_words <= {""}, sorted(words - page_words)[:10]  # no word cut in two, none run together
    shortened = [e["text"] for e in entries.values() if e["text"].endswith("…")]
    assert shortened and all(len(t) <= MAX_TEXT for t in shortened)


def test_every_page_has_the_search_box_and_local_scripts(sample_build):
    for page in site_pages(sample_build.site_index.parent):
        doc = soup(page)
        form = doc.find("form", id="search")
        assert form and form.get("role") == "search"
        field = form.find("input", id="search-input")
        assert field["type"] == "search" and doc.find("label", attrs={"for": "search-input"})
        assert [s["src"] for s in doc.find_all("script")] == ["assets/search-index.js", "assets/search.js"]
