"""A print layout cut into parts that are laid out on their own, and the frame around them.

The print layout marks with ``<!--mb-part-->`` where a part starts: a chapter or a
worksheet, each of which begins on a page of its own. What comes before the first
part (the cover and contents) is the *front*. Parts, or runs of consecutive parts,
are laid out as documents of their own: the layout's head, the start tags open where
the run begins (a worksheet's chapter section, opened again), the run, and the end
of the document. Their pages are then the pages a whole layout gives them, less
their margin boxes, which a run is laid out without (see ``NO_MARGINS``).

The margin boxes (page number, running heads) and the page numbers the contents
print come from the *frame*: the front followed by one empty page for each page of
the parts, carrying that page's anchors (so the contents' ``target-counter`` finds
them) and setting the running head where a chapter heading is (so the running heads
carry on as in a whole layout). stitch.py lays each frame page's margins over the
part's page. A run's PDF depends on nothing but its own text, so ``serve`` keeps the
PDF of each part by its content (live/preview.py).
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from itertools import accumulate

from msgspec import Struct

MARK = "<!--mb-part-->"
_BODY = re.compile(r"<body\b[^>]*>")
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>", re.S)
_H1 = re.compile(r"<h1\b[^>]*?\bid=\"([^\"]+)\"[^>]*>(.*?)</h1>", re.S)
_MARKUP = re.compile(r"<[^>]+>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
                "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
                "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")
NO_MARGINS = "<style>@page { " + " ".join(f"@{box} {{ content: none !important; }}"
                                          for box in MARGIN_BOXES) + " }</style>\n"
SLOT = "mb-slot-"  # the id of the frame's first page for the parts


def without_margins(head: str) -> str:
    """A print layout's head (up to and including <body>), its pages without margin boxes."""
    at = head.rfind("</head>")
    return head[:at] + NO_MARGINS + head[at:] if at >= 0 else head


class Split(Struct):
    """A print layout cut at its part marks."""
    head: str  # up to and including <body>
    front: str  # the body before the first part: the cover and contents
    parts: list[str]
    contexts: list[str]  # the start tags open where each part begins
    tail: str  # </body> and what follows

    def run(self, start: int, end: int) -> str:
        """Parts ``start`` to ``end`` (excluded) as a document of their own, without margin boxes."""
        return without_margins(self.head) + self.contexts[start] + "".join(self.parts[start:end]) + self.tail

    def key(self, index: int, files_key: str) -> str:
        """What part ``index``'s PDF depends on: its text, where it stands, the head and the files."""
        digest = hashlib.sha256(files_key.encode())
        for text in (self.head, self.contexts[index], self.parts[index], self.tail):
            digest.update(text.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def titles(self) -> dict[str, str]:
        """Chapter headings by their id, as a running head shows them."""
        return {htmllib.unescape(anchor): " ".join(htmllib.unescape(_MARKUP.sub("", text)).split())
                for part in self.parts for anchor, text in _H1.findall(part)}


def split(text: str) -> Split | None:
    """The parts of a print layout, or None if it marks none (a program's own template)."""
    body = _BODY.search(text)
    end = text.rfind("</body>")
    if body is None or end < 0 or MARK not in text[body.end():end]:
        return None
    head, inner, tail = text[:body.end()], text[body.end():end], text[end:]
    pieces = inner.split(MARK)
    front, parts, contexts = pieces[0], pieces[1:], []
    stack: list[tuple[str, str]] = []
    scan_tags(front, stack)
    for part in parts:
        contexts.append("".join(tag for _, tag in stack))
        scan_tags(part, stack)
    return Split(head, front, parts, contexts, tail)


def scan_tags(text: str, stack: list[tuple[str, str]]) -> None:
    """Follow the elements opened and closed in ``text`` (the stack: name, start tag)."""
    for match in _TAG.finditer(text):
        closing, name, selfclosing = match.group(1), match.group(2), match.group(3)
        if name is None or selfclosing:
            continue
        name = name.lower()
        if closing:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
        elif name not in VOID:
            stack.append((name, match.group(0)))


def cost(part: str) -> float:
    """About how long a part takes to lay out: by its elements and its words."""
    return part.count("<") + len(_MARKUP.sub(" ", part).split()) / 7.5


def runs(layout: Split, jobs: int, first_share: float = 0.7, end: int | None = None) -> list[tuple[int, int]]:
    """Consecutive parts (start, end) of the first ``end`` for each of ``jobs`` processes, of
    about equal cost; the first process also lays out the frame and stitches, so it takes
    ``first_share`` of a share."""
    sizes = [cost(part) for part in layout.parts[:end]]
    jobs = max(1, min(jobs, len(sizes)))
    weights = [first_share] + [1.0] * (jobs - 1)
    cumulative = list(accumulate(sizes))
    bounds, start = [], 0
    for k in range(jobs - 1):
        target = cumulative[-1] * sum(weights[:k + 1]) / sum(weights)
        ends = range(start + 1, len(sizes) - (jobs - 2 - k))
        end = min(ends, key=lambda e: abs(cumulative[e - 1] - target))
        bounds.append((start, end))
        start = end
    bounds.append((start, len(sizes)))
    return bounds


def frame_html(layout: Split, pages: list[list[str]]) -> str:
    """The front, then an empty page for each page of the parts (``pages``: the anchors on
    each), carrying its anchors and its chapter headings' running head."""
    from ..core.render import css_string

    titles = layout.titles()
    out = [layout.head, layout.front]
    for number, anchors in enumerate(pages):
        marks = []
        for name in anchors:
            style = f' style="string-set: chapter {htmllib.escape(str(css_string(titles[name])))}"' \
                if name in titles else ""
            marks.append(f'<div id="{htmllib.escape(name)}"{style}></div>')
        first = f' id="{SLOT}0"' if number == 0 else ""
        out.append(f'<div class="mb-slot"{first} style="break-before: page">{"".join(marks)}</div>\n')
    out.append(layout.tail)
    return "".join(out)


def front_pages(frame) -> int | None:
    """How many pages of a laid-out frame the front fills (the page of the first slot)."""
    return next((i for i, page in enumerate(frame.pages) if f"{SLOT}0" in page.anchors), None)
