"""site/search: the index's own reading of a page gives what html.parser's reading gives."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import pytest

from mentorbook.pipeline import BuildOptions, build
from mentorbook.site import search

TRICKY = """<main><h1 id="top">Fish &amp; chips <em>now</em></h1>
<!-- a comment with <h2>a heading</h2> inside -->
<p title="a > b" data-x='it"s'>One&nbsp;two &lt;three&gt; &#233;t&eacute;</p>
<script>if (a < b) { document.write("<h2>not a heading</h2>"); }</script><script src="x.js"/><p>After</p>
<STYLE>p > em { color: red }</STYLE>
<section id="ws-one"><H2>Second</H2><br/><img src="x.png" alt=""/>
<table><thead><tr><th>Date</th><th>Mentor</th></tr></thead>
<tbody><tr><td>1 May</td><td data-label="Who">Dr. A</td></tr>
<tr><th scope="row">Row</th><td colspan="2">wide</td></tr></tbody></table>
<dl><dt>Term</dt><dd>meaning</dd></dl><ul><li>one</li><li>two</li></ul>
<span class="prompt">What next?</span> a < b and c <3 d
<nav><h3>skipped</h3></nav><svg><text>skipped too</text></svg>
<h3>Third</h3><label>Name</label><input value="x"><p>Lena</p></section></main>"""


class _ByHtmlParser(HTMLParser):
    """The same sections, read by html.parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = search._Sections()

    def handle_starttag(self, tag, attrs):
        self.sections.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.sections.handle_endtag(tag)

    def handle_startendtag(self, tag, attrs):
        self.sections.handle_startendtag(tag, attrs)

    def handle_data(self, data):
        self.sections.handle_data(data)


def by_html_parser(html: str) -> list[dict]:
    parser = _ByHtmlParser()
    parser.feed(html[html.find("<main"):html.rfind("</main>")])
    parser.close()
    parser.sections.close()
    for section in parser.sections.sections:
        section["text"] = search._shorten(section["text"])
    return [s for s in parser.sections.sections if s["heading"] or s["text"]]


def test_a_tricky_page_reads_as_html_parser_reads_it():
    sections = search.page_sections(TRICKY)
    assert sections == by_html_parser(TRICKY)
    assert [s["heading"] for s in sections] == ["Fish & chips now", "Second", "Third"]
    assert "One two <three> été" in sections[0]["text"] and "not a heading" not in str(sections)
    assert "After" in sections[0]["text"], "a script written as <script/> holds nothing"
    assert sections[1]["anchor"] == "ws-one" and "Who: Dr. A" in sections[1]["text"]
    assert "skipped" not in str(sections) and "a < b and c <3 d" in sections[1]["text"]


@pytest.mark.parametrize("blank", [False, True])
def test_every_page_of_a_site_reads_as_html_parser_reads_it(tmp_path, blank):
    result = build(BuildOptions(out_dir=tmp_path / "out", blank=blank, format="html"))
    pages = sorted(result.site_index.parent.glob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert search.page_sections(html) == by_html_parser(html), page.name


def test_a_broken_page_is_read_in_linear_time():
    """A program's template with a tag left open must not stall the build: each of these 200 KB
    pages is read in a fraction of a second (with a pattern that backtracks, reading grows with
    the square of the text: 22 s for the first at 180 KB, minutes for all of them)."""
    script = (
        "from mentorbook.site import search\n"
        "for part in ('<a x=\"', '<a b', '<!a', '<a\\n', '</', '<script', \"<a x='\"):\n"
        "    search.page_sections('<main>' + part * (200_000 // len(part)))\n"
        "search.page_sections('<main><' + 'a' * 200_000)\n"
        "print('read')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout == "read\n", done.stderr


def _entries(cache) -> list:
    folder = cache / "mentorbook" / "search"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_a_page_read_once_is_taken_from_the_cache_afterwards(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(search, "_READ", {})  # a new process: nothing read yet
    script = search.search_index_script([("a.html", "A", TRICKY)], publishable=True)
    [entry] = _entries(tmp_path)
    monkeypatch.setattr(search, "_READ", {})
    monkeypatch.setattr(search, "page_sections", lambda html: pytest.fail("read again"))
    assert search.search_index_script([("a.html", "A", TRICKY)], publishable=True) == script
    assert _entries(tmp_path) == [entry]


def test_a_changed_page_or_an_entry_of_another_shape_is_read_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(search, "_READ", {})
    first = search.search_index_script([("a.html", "A", TRICKY)], publishable=True)
    [entry] = _entries(tmp_path)
    for bad in ('{"heading": "x"}', '[{"heading": "x", "anchor": "", "text": 3}]', "[", "x" * 10_000_000):
        entry.write_text(bad)
        monkeypatch.setattr(search, "_READ", {})
        assert search.search_index_script([("a.html", "A", TRICKY)], publishable=True) == first
    changed = TRICKY.replace("Lena", "Lena Ortiz")
    assert "Lena Ortiz" in search.search_index_script([("a.html", "A", changed)], publishable=True)
    assert len(_entries(tmp_path)) == 2


def test_no_usable_cache_still_reads_the_pages(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(search, "_READ", {})
    assert "Lena" in search.search_index_script([("a.html", "A", TRICKY)], publishable=True)


def test_only_a_guide_for_nobody_is_kept_never_what_a_person_wrote(tmp_path, monkeypatch):
    import datetime as dt

    from mentorbook.base.paths import SAMPLE_WORKBOOK

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(search, "_READ", {})
    today = dt.date(2026, 11, 25)
    for options in (BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path / "sample", today=today, format="html"),
                    BuildOptions(workbook=SAMPLE_WORKBOOK, blank=True, out_dir=tmp_path / "hers", today=today,
                                 format="html")):
        build(options)
    assert _entries(tmp_path / "cache") == []  # her answers, and her name on a blank copy
    build(BuildOptions(blank=True, out_dir=tmp_path / "guide", today=today, format="html"))
    kept = _entries(tmp_path / "cache")
    assert len(kept) >= 7 and not any("Marchetti" in entry.read_text(encoding="utf-8") for entry in kept)
