"""Links in the print layout: a link to another page becomes a link inside the PDF.

In the site, ``[x](expectations.html)`` is a relative link to the page beside it. The
print layout is one document, so the same link points at that page's heading
(``#page-expectations``). A relative link to anything else has no target on paper and
would resolve against wherever WeasyPrint reads the file from: it is dropped, its text
kept. Links to http, https and mailto and to ``#anchors`` stay as they are.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_A_HREF = re.compile(r'(<a\b[^>]*?)\s+href="([^"]*)"', re.IGNORECASE)
_EXTERNAL = ("http", "https", "mailto")


def page_anchors(workbook) -> dict[str, str]:
    """Site page file name -> the anchor of that page's heading in the print layout."""
    anchors = {"introduction.html": "#introduction"}
    anchors.update({f"{p.id}.html": f"#practice-{p.id}" for p in workbook.practices})
    anchors.update({f"{p.id}.html": f"#page-{p.id}" for p in workbook.pages})
    return anchors


def _target(href: str, anchors: dict[str, str]) -> str | None:
    """The href to keep in the print layout, or None to drop the link."""
    url = html.unescape(href)
    if url.startswith("#"):
        return href
    parts = urlsplit(url)
    if parts.scheme:
        return href if parts.scheme.lower() in _EXTERNAL else None
    if parts.netloc:
        return None
    name = parts.path[2:] if parts.path.startswith("./") else parts.path
    anchor = anchors.get(name)
    return html.escape(anchor) if anchor else None


def in_document_links(markup: str, anchors: dict[str, str]) -> str:
    """``markup`` with every link between pages pointing inside the document (see above)."""
    def replace(match: re.Match) -> str:
        target = _target(match.group(2), anchors)
        return match.group(0) if target == match.group(2) else (
            f'{match.group(1)} href="{target}"' if target else match.group(1))

    return _A_HREF.sub(replace, markup)


def keep_real_links(rendered, whole: bool = True) -> int:
    """Drop every link of a laid-out document (WeasyPrint's pages' ``links``) that would lead nowhere
    or into the machine: an address other than http, https or mailto (a relative link WeasyPrint
    resolved against the in-memory layout, ``file:///mentorbook-print/...``, or any ``file:``), and,
    when the document is ``whole`` (not one part of a layout done side by side, whose links may lead
    into another part), an internal link to an anchor the document does not have. Returns how many
    were dropped."""
    anchors = set().union(*(page.anchors for page in rendered.pages))
    dropped = 0
    for page in rendered.pages:
        kept = [link for link in page.links
                if (link[0] == "external" and urlsplit(link[1]).scheme.lower() in _EXTERNAL)
                or (link[0] == "internal" and (link[1] in anchors or not whole))
                or link[0] not in ("external", "internal")]
        dropped += len(page.links) - len(kept)
        page.links[:] = kept
    return dropped
