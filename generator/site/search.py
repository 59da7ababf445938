"""The site's search index: built from the rendered pages, shipped as a local script.

Browsers refuse to fetch JSON from file:// pages, so the index is a small JavaScript
file that assigns the entries to a global; templates/search.js reads it. Each page's
<main> is split into sections at its h1-h3 headings; a section is anchored at its
heading's id or, failing that, at the last element with an id before the heading
(a worksheet, an entry).
"""

from __future__ import annotations

import html as htmllib
import json
import re

MAX_TEXT = 600
_HEADING = re.compile(r"<h([1-3])\b([^>]*)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r'\bid="([^"]+)"')
_SKIP = re.compile(r"<(script|style|svg|nav|form)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(_TAG.sub(" ", fragment)).split())


def page_sections(html: str) -> list[dict]:
    start, end = html.find("<main"), html.rfind("</main>")
    if start != -1 and end != -1:  # only the content is indexed
        html = html[start:end]
    html = _SKIP.sub(" ", html)
    sections: list[dict] = []
    loose = ""  # text before the first heading belongs to the first section
    previous_end = 0
    current: dict | None = None
    for match in _HEADING.finditer(html):
        between = html[previous_end:match.start()]
        if current is None:
            loose = _text(between)
        else:
            current["text"] = _text(between)
            sections.append(current)
        own_id = _ID.search(match.group(2))
        earlier_ids = _ID.findall(between)
        anchor = own_id.group(1) if own_id else (earlier_ids[-1] if earlier_ids else "")
        current = {"heading": _text(match.group(3)), "anchor": anchor, "text": ""}
        if loose:
            current["text"], loose = loose, ""
        previous_end = match.end()
    if current is not None:
        current["text"] = " ".join(filter(None, [current["text"], _text(html[previous_end:])]))
        sections.append(current)
    for section in sections:
        section["text"] = section["text"][:MAX_TEXT]
    return [s for s in sections if s["heading"] or s["text"]]


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
