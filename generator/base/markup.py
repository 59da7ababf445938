"""Guidance Markdown to safe HTML, remembered between runs.

Converting is the same every time for the same text, so the HTML is kept in the
user cache under a hash of the text and of the Markdown and sanitizer packages it
came from. A build whose guidance has not changed then skips Markdown: it reads a
few small files instead. What comes from the cache is sanitized again, so a cache
file edited by hand can never put a script into a page.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import OrderedDict
from pathlib import Path

from markupsafe import Markup

from .cache import cache_dir, packages_stamp, store_cache_entry
from .patterns import LazyPattern
from .safepath import UnreadableFile, read_limited

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align", "scope"},
    "*": {"id"},
}
# Bump when the conversion below changes (extensions, options, sanitizer settings).
CONVERSION = "markdown:tables,sane_lists,toc;html;nh3:v2"

KEEP = 2000  # cache entries; the least recently written beyond this are removed
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # a cache entry larger than this was not written by mentorbook

_converter = None
MEMO_SIZE = 512  # texts remembered in memory; a long `serve` converts new texts on every save
_memo: OrderedDict[str, Markup] = OrderedDict()  # text -> its HTML, least recently used first
_memo_lock = threading.Lock()


_SCHEME = LazyPattern(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def safe_href(url: str) -> str | None:
    """``url`` as a browser reads it, if it is http, https, mailto or a relative path
    inside the site; else None. Browsers drop leading and trailing controls and spaces,
    remove tabs and newlines anywhere and read backslashes as slashes, so
    ``" java\tscript:"`` is ``javascript:`` and ``\\\\host`` is ``//host``: a host (or a
    network share, when the site is opened from disk). Other invisible characters
    (U+2028, zero-width spaces, ...) have no place in a link: it is dropped."""
    text = re.sub(r"[\t\n\r]", "", url.strip(_C0_OR_SPACE))
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
           or (unicodedata.category(ch) == "Zs" and ch != " ") for ch in text):
        return None
    text = text.replace("\\", "/")
    scheme = _SCHEME.match(text)
    if scheme:
        return text if scheme.group(1).lower() in URL_SCHEMES else None
    if text.startswith("/"):
        return None  # //host, or / (the root of the disk when the site is opened from a folder)
    return text


def _filter(tag: str, attribute: str, value: str) -> str | None:
    return safe_href(value) if attribute == "href" else value


def sanitize_html(html: str) -> str:
    """Keep a safe subset of HTML: no scripts, event handlers, styles or frames, and
    links only to http, https, mailto or relative addresses (see safe_href)."""
    import nh3

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True, attribute_filter=_filter)


def convert(text: str) -> str:
    """Markdown to sanitized HTML, always computed (raw HTML in the source is cleaned)."""
    global _converter
    if _converter is None:  # one converter per process: setting up extensions costs more than a page
        import markdown
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.tables import TableExtension
        from markdown.extensions.toc import TocExtension

        # extension objects, not names: a name makes Markdown scan every installed package's entry points
        _converter = markdown.Markdown(extensions=[TableExtension(), SaneListExtension(), TocExtension()],
                                       output_format="html")
    return sanitize_html(_converter.reset().convert(text))


def markdown_to_html(text: str) -> Markup:
    """Markdown to sanitized HTML: once per process for each text (the site and the
    print layout show the same guidance), from the disk cache when it was converted before."""
    with _memo_lock:
        html = _memo.get(text)
        if html is not None:
            _memo.move_to_end(text)
            return html
    html = Markup(_cached_conversion(text))
    with _memo_lock:
        _memo[text] = html
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return html


def _cached_conversion(text: str) -> str:
    folder = cache_dir("markdown")
    if folder is None:
        return convert(text)
    digest = hashlib.sha256(f"{_packages()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    entry = folder / f"{digest}.html"
    try:
        return sanitize_html(read_limited(entry, MAX_ENTRY_BYTES).decode("utf-8"))
    except (UnreadableFile, UnicodeDecodeError):
        pass
    html = convert(text)
    store_cache_entry(entry, html, KEEP)
    return html


def _packages() -> str:
    """What the conversion depends on besides the text: our settings and both packages' files."""
    return f"{CONVERSION}\n{packages_stamp('markdown', 'nh3')}"


# An SVG file is a document that can run code when it is opened by itself (as a page's image
# it cannot, but a reader may open assets/brand/logo.svg): a program's logo may hold none of this.
SVG_ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video"}
SVG_HINT = "export the logo again as a plain drawing (no scripts, links or events), or use a PNG"
MAX_SVG_BYTES = 2 * 1024 * 1024
_SAFE_HREF = LazyPattern(r"^(#|data:image/(png|jpeg|gif|webp);)", re.I)


def svg_problems(path: Path) -> list:
    """Located errors for everything in an SVG file that could run code or fetch something when it
    is opened: script-like elements, event handlers (``onload``), ``javascript:`` and links outside
    the file, entity declarations, style sheets that import. Each names the element."""
    import xml.parsers.expat

    from .errors import Problem
    from .safepath import shorten

    try:
        data = read_limited(path, MAX_SVG_BYTES)
    except UnreadableFile as exc:
        return [Problem(path, None, f"cannot read the logo: {exc.reason}")]
    problems: list = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    open_elements: list[str] = []

    def say(message: str) -> None:
        problems.append(Problem(path, parser.CurrentLineNumber, message, column=parser.CurrentColumnNumber + 1,
                                hint=SVG_HINT))

    def start(name: str, attrs: dict) -> None:
        tag = name.rsplit(" ", 1)[-1]
        open_elements.append(tag.lower())
        if tag.lower() in SVG_ACTIVE:
            say(f"the logo has a <{tag}> element, which could run code in the site's pages")
        for key, value in attrs.items():
            attr = key.rsplit(" ", 1)[-1]
            squashed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
            if attr.lower().startswith("on"):
                say(f"the logo's <{tag}> has an event handler, {attr}, which could run code in the site's pages")
            elif "javascript:" in squashed or "vbscript:" in squashed:
                say(f"the logo's <{tag}> has javascript: in its {attr}")
            elif attr == "href" and not _SAFE_HREF.match(value.strip()):
                say(f"the logo's <{tag}> links to '{shorten(value, 40)}', outside the logo itself")
            elif attr == "attributeName" and (value.lower().startswith("on") or value.endswith("href")):
                say(f"the logo's <{tag}> changes '{shorten(value, 20)}' while it is shown")

    def text(data: str) -> None:
        if open_elements and open_elements[-1] == "style" and re.search(r"@import|url\(\s*['\"]?\s*(?!#|data:)",
                                                                          data, re.I):
            say("the logo's <style> fetches something from outside the logo (@import or url())")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: open_elements.pop() if open_elements else None
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = lambda *args: say("the logo declares an XML entity")
    parser.ProcessingInstructionHandler = lambda target, data: say(f"the logo has an <?{target}?> instruction") \
        if target.lower() == "xml-stylesheet" else None
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        problems.append(Problem(path, exc.lineno, f"the logo is not a well-formed SVG file "
                                f"({xml.parsers.expat.errors.messages[exc.code]})", column=exc.offset + 1,
                                hint=SVG_HINT))
    return problems
