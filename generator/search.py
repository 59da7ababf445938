"""The site's search index: built from the rendered pages, shipped as a local script.

Browsers refuse to fetch JSON from file:// pages, so the index is a small JavaScript
file that assigns the entries to a global; templates/search.js reads it.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

SKIP = {"script", "style", "svg", "nav", "footer", "form"}
SECTION_TAGS = {"h1", "h2", "h3"}
MAX_TEXT = 600


class _Sections(HTMLParser):
    """Split a page's <main> into sections at h1-h3.

    A section is anchored at its heading's id or, failing that, at the nearest
    element with an id opened since the previous heading (a worksheet, an entry).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict] = []
        self.in_main = 0
        self.skipping = 0
        self.heading_tag = ""  # the open heading element, while inside it
        self.current: dict | None = None
        self.pending_anchor = ""
        self.loose_text: list[str] = []  # text before the first heading

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            return
        if tag in SKIP:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag in SECTION_TAGS:
            self._flush()
            self.current = {"heading": [], "anchor": attrs.get("id") or self.pending_anchor,
                            "text": list(self.loose_text)}
            self.pending_anchor, self.loose_text, self.heading_tag = "", [], tag
        elif attrs.get("id"):
            self.pending_anchor = attrs["id"]

    def handle_endtag(self, tag):
        if tag == "main" and self.in_main:
            self._flush()
            self.in_main -= 1
        elif tag in SKIP and self.skipping:
            self.skipping -= 1
        elif tag == self.heading_tag:
            self.heading_tag = ""

    def handle_data(self, data):
        if not self.in_main or self.skipping:
            return
        if self.current is None:
            self.loose_text.append(data)
        elif self.heading_tag:
            self.current["heading"].append(data)
        else:
            self.current["text"].append(data)

    def _flush(self) -> None:
        if self.current is not None:
            heading = " ".join(" ".join(self.current["heading"]).split())
            text = " ".join(" ".join(self.current["text"]).split())
            if heading or text:
                self.sections.append({"heading": heading, "anchor": self.current["anchor"], "text": text[:MAX_TEXT]})
        self.current = None


def page_sections(html: str) -> list[dict]:
    parser = _Sections()
    parser.feed(html)
    parser.close()
    return parser.sections


def search_index_script(pages: list[tuple[str, str, str]]) -> str:
    """``pages`` is (path, title, html) per page; returns the index as a script."""
    entries = []
    for path, title, html in pages:
        for section in page_sections(html):
            url = path + (f"#{section['anchor']}" if section["anchor"] else "")
            entries.append({"url": url, "page": title, "heading": section["heading"] or title,
                            "text": section["text"]})
    payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end the script early, whatever the page text holds
    return "window.MENTORBOOK_SEARCH = " + payload.replace("</", "<\\/") + ";\n"
