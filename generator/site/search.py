"""The site's search index: built from the rendered pages, shipped as a local script.

Browsers refuse to fetch JSON from file:// pages, so the index is a small JavaScript
file that assigns the entries to a global; templates/search.js reads it. Each page's
<main> is split into sections at its h1-h3 headings; a section is anchored at its
heading's id or, failing that, at the last element with an id before the heading
(a worksheet, an entry).

A section's text reads as the page does: a field's label is followed by a colon
("Date: 1 September 2026"), a table cell by its column's label, and the items of a
list, the cells of a row and the paragraphs are kept apart, so that a search result's
snippet never runs a label into its value.

The pages are mentorbook's own output (templates escape what they show, guidance is
sanitized), so one regular expression reads their tags, as html.parser would, in a
fraction of its time: text between tags with character references resolved, start and
end tags with their attributes, script and style skipped whole, comments dropped.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from contextlib import suppress
from pathlib import Path

from ..base.cache import cache_dir, store_cache_entry
from ..base.patterns import LazyPattern
from ..base.safepath import UnreadableFile, read_limited

MAX_TEXT = 600
_SKIP = {"script", "style", "svg", "nav", "form", "template"}
_HEADINGS = {"h1", "h2", "h3"}
# tags that sit inside a word or a sentence: no space around them
_INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "mark", "q", "s", "small", "strong", "sub", "sup", "time",
           "u", "var", "wbr"}
# tags that keep words apart without ending a piece of text
_SPACED = {"br", "button", "img", "input", "label", "output", "span"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# what ends an element's text: a list item or a cell "; ", a label ": ", anything else
# that is neither inline nor spaced " · " (stronger separators win when several meet)
_LIST, _LABEL, _BLOCK = "; ", ": ", " · "
_RANK = {"": 0, " ": 1, _LABEL: 2, _LIST: 3, _BLOCK: 4}


class _Text:
    """Text built from pieces with at most one separator between two of them."""

    def __init__(self):
        self.parts: list[str] = []
        self.pending = ""

    def gap(self, sep: str) -> None:
        if _RANK[sep] > _RANK[self.pending]:
            self.pending = sep

    def soft_gap(self, sep: str) -> None:
        """``sep`` unless a stronger separator than a space is waiting (a label's colon)."""
        if _RANK[self.pending] <= 1:
            self.pending = sep

    def add(self, text: str) -> None:
        words = " ".join(text.split())
        if text[:1].isspace():
            self.gap(" ")
        if not words:
            return
        if self.parts and self.pending:
            # after a full stop or a colon a space is enough
            self.parts.append(" " if self.parts[-1][-1] in ".!?:;·" else self.pending)
        self.parts.append(words)
        self.pending = " " if text[-1:].isspace() else ""

    def value(self) -> str:
        return "".join(self.parts)


_TOKENS = LazyPattern(
    r"<!--.*?(?:-->|\Z)"  # a comment
    r"|<script\b(?:[^<>\"'/]++|\"[^\"]*+\"|'[^']*+'|/(?!>))*+>.*?(?:</script\s*>|\Z)"  # not the page's text
    r"|<style\b(?:[^<>\"'/]++|\"[^\"]*+\"|'[^']*+'|/(?!>))*+>.*?(?:</style\s*>|\Z)"
    r"|<(/?)([a-zA-Z][^\t\n\f\r /<>]*+)((?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"  # a start or end tag
    r"|<[!?][^<>]*+>"  # a declaration or processing instruction
    r"|([^<]++|<)",  # text
    re.S | re.I)  # possessive, and no tag runs into the next '<': linear time on any text
_ATTRIBUTES = LazyPattern(r"([^\s/>\"'=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]*))?")


# the attributes the sections read (id, class for "prompt", data-label, scope, colspan), found
# case-insensitively or behind a character reference, by a loose look first: a tag without any is not parsed
_READ_ATTRIBUTES = LazyPattern(r"id|prompt|label|scope|colspan|&", re.I)
# (the three are compiled when a page is first read: about 1 ms, which a build whose pages are all
# in the cache does not spend; html.unescape is imported then too)


def _attributes(raw: str) -> dict[str, str | None]:
    """A start tag's attributes, as html.parser gives them (names in lower case, the last of a name wins)."""
    from html import unescape

    found: dict[str, str | None] = {}
    for key, value in _ATTRIBUTES.findall(raw):
        if value[:1] in "\"'" and len(value) > 1:
            value = value[1:-1]
        found[key.lower()] = unescape(value) if value else None
    return found


def _feed(handler: _Sections, html: str) -> None:
    """Hand ``html``'s text and tags to ``handler`` as html.parser's HTMLParser would. Comments,
    declarations, scripts and styles match with every group empty: they are passed over."""
    from html import unescape

    read_attributes = _READ_ATTRIBUTES.search  # looked up once: it is asked for every tag
    for slash, name, raw, text in _TOKENS.findall(html):
        if name:
            name = name.lower()
            if slash:
                handler.end(name)
            elif handler.skipping:  # inside a skipped element only tag names count
                closed = raw.endswith("/")
                handler.start(name, {})
                if closed and name not in _VOID:
                    handler.end(name)
            elif raw.endswith("/"):
                handler.start(name, _attributes(raw[:-1]) if read_attributes(raw) else {})
                if name not in _VOID:
                    handler.end(name)
            else:
                handler.start(name, _attributes(raw) if read_attributes(raw) else {})
        elif text:
            if text.isspace():  # most text between tags: a gap, unless it is skipped
                if not handler.skipping:
                    handler.target().gap(" ")
            elif not handler.skipping:
                handler.target().add(unescape(text))


class _Sections:
    """The sections of a page's main content: heading, anchor and text."""

    def __init__(self):
        self.sections: list[dict] = []
        self.loose = _Text()  # text before the first heading belongs to the first section
        self.current: dict | None = None
        self.text = self.loose
        self.heading: _Text | None = None
        self.heading_id = ""
        self.ids: list[str] = []  # the ids met since the last heading
        self.skipping: list[str] = []
        self.tables: list[dict] = []  # per open table: column labels, the cell being read

    def handle_starttag(self, tag, attrs):  # html.parser's names (tests read pages with it too)
        self.start(tag, dict(attrs))

    def handle_endtag(self, tag):
        self.end(tag)

    def start(self, tag: str, attrs: dict[str, str | None]) -> None:
        if self.skipping:
            if tag == self.skipping[-1] and tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in _SKIP:
            self.skipping.append(tag)
            return
        if tag in _HEADINGS:
            self.heading, self.heading_id = _Text(), attrs.get("id") or ""
            return
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "table":
            self.tables.append({"heads": [], "in_head": False, "column": 0, "cell": None})
        elif tag == "thead" and self.tables:
            self.tables[-1]["in_head"] = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["column"] = 0
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if table["in_head"]:
                table["cell"] = _Text()
            else:
                column = table["column"]
                label = attrs.get("data-label") or (table["heads"][column] if column < len(table["heads"]) else "")
                if attrs.get("scope") == "row":
                    label = ""
                table["cell"] = (label, _Text())
                table["column"] = column + int(attrs.get("colspan") or 1)
        elif "prompt" in (attrs.get("class") or "").split():  # a blank field's question, after its label
            self.target().gap(_LABEL)
        elif tag not in _INLINE:
            self.target().gap(" ")

    def end(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _HEADINGS and self.heading is not None:
            self.start_section(self.heading.value())
            return
        table = self.tables[-1] if self.tables else None
        if tag in ("td", "th") and table and table["cell"] is not None:
            cell, table["cell"] = table["cell"], None
            if table["in_head"]:
                table["heads"].append(cell.value())
                return
            label, text = cell
            if text.value():
                self.text.soft_gap(_LIST)
                if label:
                    self.text.add(label)
                    self.text.gap(_LABEL)
                self.text.add(text.value())
                self.text.gap(_LIST)
            return
        if tag == "thead" and table:
            table["in_head"] = False
            return
        if tag == "table" and table:
            self.tables.pop()
        if tag in ("tbody", "tfoot"):
            return
        if tag == "dt":
            self.target().gap(_LABEL)
        elif tag in ("li", "dd"):
            self.target().gap(_LIST if tag == "li" else _BLOCK)
        elif tag in _SPACED:
            self.target().gap(" ")
        elif tag not in _INLINE:
            self.target().gap(_BLOCK)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if not self.skipping:
            self.target().add(data)

    def target(self) -> _Text:
        if self.heading is not None:
            return self.heading
        cell = self.tables[-1]["cell"] if self.tables else None
        if cell is not None:
            return cell if isinstance(cell, _Text) else cell[1]
        return self.text

    def start_section(self, heading: str) -> None:
        if self.current is not None:
            self.current["text"] = self.text.value()
            self.sections.append(self.current)
        anchor = self.heading_id or (self.ids[-1] if self.ids else "")
        self.current = {"heading": heading, "anchor": anchor, "text": ""}
        self.text = _Text()
        if self.loose.value():  # what came before the first heading starts its text
            self.text.add(self.loose.value())
            self.text.gap(_BLOCK)
            self.loose = _Text()
        self.heading, self.heading_id, self.ids = None, "", []

    def close(self) -> None:
        if self.current is not None:
            self.current["text"] = self.text.value()
            self.sections.append(self.current)
        elif self.loose.value():
            self.sections.append({"heading": "", "anchor": "", "text": self.loose.value()})


def _shorten(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut at the last word boundary within ``limit`` characters, an ellipsis
    saying so."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit - 1]
    return cut.rstrip(" ;:·,") + "…"


def page_sections(html: str) -> list[dict]:
    start, end = html.find("<main"), html.rfind("</main>")
    if start != -1 and end != -1:  # only the content is indexed
        html = html[start:end]
    parser = _Sections()
    _feed(parser, html)
    parser.close()
    for section in parser.sections:
        section["text"] = _shorten(section["text"])
    return [s for s in parser.sections if s["heading"] or s["text"]]


_READ: dict[str, list[dict]] = {}  # a page's sections by its HTML, for builds in one process (serve)
FORMAT = "sections:1"  # bump when the entries' form changes (this file's own changes are seen anyway)
KEEP = 2000  # cached pages; the least recently written beyond this are removed
_SECTION_KEYS = {"heading", "anchor", "text"}


@functools.cache
def _reader_stamp() -> str | None:
    """This reader as it runs in this process (its file), and Python's version, whose html.unescape
    and Unicode data it uses; None when the file cannot be looked at (nothing is kept then)."""
    try:
        reader = Path(__file__).stat()
    except OSError:
        return None
    return f"{FORMAT}:{reader.st_size}:{reader.st_mtime_ns}:{sys.version_info[:2]}"


def _sections(html: str, publishable: bool) -> list[dict]:
    """A page's sections: read once per process; and, for a ``publishable`` page (one that shows
    nobody's answers or name), kept in the user cache between runs under a hash of the page and of
    this reader, so that a guide that did not change is not read again. The user cache never holds
    what a person wrote (docs/safety.md)."""
    import hashlib

    stamp = _reader_stamp()
    key = hashlib.sha256(f"{stamp}\0{html}".encode("utf-8", "surrogatepass")).hexdigest()
    if key not in _READ:
        _READ[key] = _cached_sections(key, html) if stamp and publishable else page_sections(html)
        while len(_READ) > 64:
            _READ.pop(next(iter(_READ)))
    return _READ[key]


def _cached_sections(key: str, html: str) -> list[dict]:
    """The sections kept for this page, else read and kept. An entry is used only if it has the
    shape the reader gives (strings under the three keys, within the text limit)."""
    folder = cache_dir("search")
    if folder is None:
        return page_sections(html)
    entry = folder / f"{key}.json"
    with suppress(UnreadableFile, ValueError):
        kept = json.loads(read_limited(entry, 4 * len(html) + 1024))
        if isinstance(kept, list) and all(
                isinstance(s, dict) and s.keys() == _SECTION_KEYS and all(isinstance(v, str) for v in s.values())
                and len(s["text"]) <= MAX_TEXT + 1 for s in kept):
            return kept
    sections = page_sections(html)
    store_cache_entry(entry, json.dumps(sections, ensure_ascii=False, separators=(",", ":")), KEEP)
    return sections


def _nfc(text: str) -> str:
    """``text`` with each accented letter as one character: search.js folds the index one
    character at a time (accents and case ignored), so a match falls where it is shown."""
    import unicodedata

    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """A text as search compares it, in any language: lower case, accents dropped (NFD, combining
    marks removed): "Reflexión" is "reflexion". search.js does the same to the index and the query."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))


def search_index_script(pages: list[tuple[str, str, str]], publishable: bool = False) -> str:
    """``pages`` is (path, title, html) per page; returns the index as a script. ``publishable``:
    the pages show nobody's answers or name (a blank guide), so what is read of them may be kept."""
    entries = []
    for path, title, html in pages:
        for section in _sections(html, publishable):
            url = path + (f"#{section['anchor']}" if section["anchor"] else "")
            entries.append({"url": url, "page": _nfc(title), "heading": _nfc(section["heading"] or title),
                            "text": _nfc(section["text"])})
    payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    # "</" cannot end the script early, whatever the page text holds
    return "window.MENTORBOOK_SEARCH = " + payload.replace("</", "<\\/") + ";\n"
