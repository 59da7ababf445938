"""Cohort PDFs that lay out the shared guidance once.

Every trainee of a cohort gets the same guidance pages (the practices' text, the extra
pages, and the introduction unless it is personalised with "where you stand"); only
the cover, contents, worksheets and personal notes differ. Laying the guidance out
again for every trainee is most of the work of a PDF, so a worker lays it out once
per distinct guidance (same HTML, styles, page size and branding: the cache key is
the guidance document itself) and keeps the pages.

A worksheet the roster fills in part (say, with the trainee's mentors) is cut where its
pages start: its head and first entry, then each entry after it (which starts a page of
its own). Each piece is a chunk too, kept by its text like the guidance; an entry is laid
out alone inside the start tags open where it stands (its worksheet's section, without
ids). A worksheet's empty copies are then laid out once (per run: the workers share
them, chunkstore.py), and so is the entry of a mentor who guides several trainees: the
trainee's own part is the cover, the contents and the empty pages standing in for the
chunks.

For each trainee, the print layout is rendered with the guidance marked off
(``render_print(split=True)``). The trainee's own part is laid out with each
guidance chapter replaced by as many empty pages as it fills, each chapter's anchor
and running head set on its first empty page: so the contents page numbers, the
page counter and the running heads (chapter, program, trainee) come out as in a full
layout. After a chunk's empty pages the part opens again what the chunk left open (a
chapter's section, whose worksheets follow), so what the part lays out after it is
tagged where a whole layout tags it. Chunks are laid out without margin boxes and
written once as tagged PDFs; the trainee's part is written as the frame, and
stitch.py takes each chunk's pages in place of its empty pages, under the frame's
margin boxes (running heads, page number), with the bookmarks, named destinations,
structure tree and fonts a whole layout has. The layout is cut only where its styles
start a page (``CUT_PROBE``).
"""

from __future__ import annotations

import hashlib
import html as htmllib
import re
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.paths import TEMPLATES_DIR
from ..core.model import Workbook
from ..core.options import RenderOptions
from ..program.project import Project
from .chunkstore import MISSING
from .pdf import PRINT_HTML

START, END = "<!--mb-shared-->", "<!--/mb-shared-->"
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)
_ID = re.compile(r"<[a-z0-9]+\b[^>]*?\bid=\"([^\"]+)\"")
_TAG = re.compile(r"<[^>]+>")
_BODY = re.compile(r"<body\b[^>]*>")
_PERSONAL_HEAD = re.compile(r"<title>.*?</title>|<meta\b[^>]*>", re.S)  # names the trainee; not laid out
_CHOICE_ID = re.compile(r"[a-z0-9_-]+")
_ANCHORING = re.compile(r'\s(?:id|aria-labelledby)="[^"]*"')
_ELSEWHERE = object()  # a chunk another worker is making
CHUNK_STAMP = "2000-01-01T12:00:00+00:00"  # a chunk's own metadata date (the trainee's frame gives the PDF's)
SLOT = "mb-chunk-"  # the id of a chunk's first slot when the chunk holds none
CACHE_SIZE = 64  # chunks kept per worker: a program's chapters and blank worksheets, in a size or two
# Where the layout is cut, in miniature: every chunk must start a page in a whole layout.
# Laid out with the print layout's own head (its stylesheets), it fills CUT_PAGES pages
# when the styles start a page before each chapter, worksheet and entry after a worksheet's first.
CUT_PROBE = ('<p>front</p><section class="chapter intro"><h1>I</h1></section>'
             '<section class="chapter practice"><h1>P</h1>'
             '<section class="worksheet is-blank"><header class="ws-head"><h2>W</h2></header>'
             '<div class="bentry bentry-repeat"><p>1</p></div><div class="bentry bentry-repeat"><p>2</p></div>'
             '</section><section class="worksheet is-blank"><header class="ws-head"><h2>V</h2></header>'
             '<div class="bentry"><p>3</p></div><div class="bentry"><p>4</p></div></section></section>'
             '<section class="chapter extra"><h1>E</h1></section>')
CUT_PAGES = 8


class _Chunk(Struct):
    anchor: str  # the id of its first element (where the contents link to), or a slot's own
    first_title: str  # its first and last chapter headings, for the running head
    last_title: str
    context: str = ""  # the start tags open where it begins (an entry: its worksheet's section)
    carry: str = ""  # what the trainee's part carries on with after its empty pages (see contexts)
    pages: int = 0
    own_anchor: bool = False  # the anchor is the slot's only: the chunk holds no id


class _Laid(Struct):
    """One chunk laid out on its own: how many pages it fills, and its tagged PDF (stitch.PartPdf)."""
    count: int
    part: Any


def split_print_html(text: str) -> tuple[str, list[str], list[str], str] | None:
    """(head, trainee parts, shared chunks, tail): the parts interleave, a part before each
    chunk and one after the last. None if the layout marks nothing (a program's own template).
    A chunk may begin inside an element (an entry, inside its worksheet): see ``contexts``."""
    if START not in text:
        return None
    body = _BODY.search(text)
    end = text.rfind("</body>")
    if body is None or end < 0:
        return None
    head, inner, tail = text[:body.end()], text[body.end():end], text[end:]
    parts, chunks = [], []
    rest = inner
    while START in rest:
        before, _, after = rest.partition(START)
        chunk, found, rest = after.partition(END)
        if not found:
            return None
        parts.append(before)
        chunks.append(chunk)
    parts.append(rest)
    return head, parts, chunks, tail


def contexts(parts: list[str], chunks: list[str]) -> list[tuple[str, str]]:
    """For each chunk: the start tags open where it begins, for laying it out alone with
    the styles it has in place; and what the trainee's part carries on with after the
    chunk's empty pages: end tags for the elements the chunk closes, start tags for those
    it leaves open (a chapter's section, whose worksheets follow), so that what the part
    lays out after it sits where it does in a whole layout. Ids are left out (they belong
    to the pages that hold them), and a start tag opened again does not break the page
    (the page it stands on is the chunk's; what follows breaks the page as it would)."""
    from .parts import scan_tags

    stack: list[tuple[str, str]] = []
    found = []
    for part, chunk in zip(parts, chunks, strict=False):
        scan_tags(part, stack)
        before = list(stack)
        scan_tags(chunk, stack)
        kept = next((i for i, (a, b) in enumerate(zip(before, stack, strict=False)) if a != b),
                    min(len(before), len(stack)))  # the elements open before and after it
        carry = "".join(f"</{name}>" for name, _ in reversed(before[kept:])) + \
            "".join(_reopened(tag) for _, tag in stack[kept:])
        found.append(("".join(_ANCHORING.sub("", tag) for _, tag in before), carry))
    return found


def _reopened(tag: str) -> str:
    """A start tag opened again in the trainee's part: without ids, not breaking the page."""
    tag = _ANCHORING.sub("", tag)
    if "style=" in tag:
        return tag  # never in mentorbook's print layout; a program's own keeps its style
    return tag[:-1].rstrip("/") + ' style="break-before: auto">'


def _heading(chunk: str, around: tuple[str, str], index: int) -> _Chunk:
    """Where a chunk starts (its first id, else an id of the slot's own), the chapter headings
    in it (none: a worksheet or an entry), and ``around`` it (see contexts)."""
    anchor = _ID.search(chunk)
    titles = [" ".join(htmllib.unescape(_TAG.sub("", text)).split()) for text in _H1.findall(chunk)]
    first, last = (titles[0], titles[-1]) if titles else ("", "")
    if anchor is None:
        return _Chunk(f"{SLOT}{index}", first, last, *around, own_anchor=True)
    return _Chunk(htmllib.unescape(anchor.group(1)), first, last, *around)


def personal_texts(workbook: Workbook) -> frozenset[str]:
    """What a workbook says of its person: the trainee's details and every value of every
    worksheet entry (the roster's mentors included), as text of three characters or more;
    not a choice's id (``assigned``: the program's word, in its guidance too)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            text = " ".join(value.split())
            if len(text) >= 3 and not _CHOICE_ID.fullmatch(text):
                found.add(text)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk([getattr(workbook.trainee, name) for name in workbook.trainee.__struct_fields__])
    walk([sheet.entries for practice in workbook.practices for sheet in practice.worksheets])
    return frozenset(found)


def publishable(text: str, personal: frozenset[str]) -> bool:
    """Whether a chunk may be kept in the user cache, which holds what a program publishes and
    nothing of a person: it prints no value the roster or a workbook filled in (the print
    layout's ``bfield-known``) and shows none of the ``personal`` texts, as words of its own (a
    role "Resident" leaves guidance about "Residents" kept)."""
    if "bfield-known" in text:
        return False
    shown = " ".join(htmllib.unescape(_TAG.sub(" ", text)).split())
    return not any(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", shown) for value in personal if value in shown)


def _slots(chunk: _Chunk) -> str:
    """Empty pages standing in for a laid-out chunk in the trainee's part."""
    from ..core.render import css_string

    def slot(title: str, anchor: str = "") -> str:
        style = "break-before: page" + (f"; string-set: chapter {css_string(title)}" if title else "")
        where = f' id="{htmllib.escape(anchor)}"' if anchor else ""
        return f'<div class="mb-slot"{where} style="{htmllib.escape(style)}"></div>'

    first = slot(chunk.first_title, chunk.anchor)
    more = [slot("")] * (chunk.pages - 1)
    if chunk.pages > 1 and chunk.last_title != chunk.first_title:
        more[-1] = slot(chunk.last_title)
    return "\n".join([first, *more]) + "\n"


class SharedLayouts:
    """A worker's laid-out chunks of guidance, each by its own content and the styles around it."""

    def __init__(self, size: int = CACHE_SIZE, store: Path | None = None, kept=None):
        from .chunkstore import ChunkStore

        self.cache: dict[str, _Laid] = {}
        self.store = ChunkStore(store) if store is not None else None  # a cohort's workers share chunks
        self.kept = kept  # chunkstore.KeptChunks: those of earlier runs, in the user cache
        self.own_templates: dict[tuple, bool] = {}  # by template folders: whether a program has templates
        self.cuts: dict[str, bool] = {}  # by head and files: whether the styles start a page at each cut
        self.size = size
        self.hits = self.misses = 0

    def pdf(self, workbook: Workbook, options: RenderOptions, project: Project, renderer) -> bytes | None:
        """The trainee's PDF with the guidance laid out once; None when the layout cannot be split."""
        from .pdf import render_print_files

        files = render_print_files(workbook, options, project, renderer, split=True)
        split = split_print_html(str(files[PRINT_HTML]))
        if split is None:
            return None
        head, parts, chunk_html, tail = split
        if not chunk_html:
            return None
        chunks = [_heading(c, around, i)
                  for i, (c, around) in enumerate(zip(chunk_html, contexts(parts, chunk_html), strict=True))]
        context = hashlib.sha256(_PERSONAL_HEAD.sub("", head).encode("utf-8"))
        for name in sorted(files):
            if name != PRINT_HTML:
                value = files[name]
                context.update(name.encode() + b"\0" + (value.encode() if isinstance(value, str) else value) + b"\0")
        if not self._cuts_start_pages(head, context.hexdigest(), files, project):
            return None
        personal = personal_texts(workbook) if self._keeps(project, files) else None
        laid: list = []
        for chunk, text in zip(chunks, chunk_html, strict=True):  # the chunks another worker is making last
            laid.append(self._chunk(head, text, chunk, context.copy(), files, project, options, personal, wait=False))
        for i, found in enumerate(laid):
            if found is _ELSEWHERE:
                laid[i] = self._chunk(head, chunk_html[i], chunks[i], context.copy(), files, project, options,
                                      personal)
        if None in laid:
            return None
        for chunk, found in zip(chunks, laid, strict=True):
            chunk.pages = found.count
        own_html = head + "".join(part + (_slots(c) + c.carry if i < len(chunks) else "")
                                  for i, (part, c) in enumerate(zip(parts, [*chunks, None], strict=True))) + tail
        return self._join(own_html, chunks, laid, files, workbook, options, project)

    def _keeps(self, project: Project, files) -> bool:
        """Whether chunks may be kept in the user cache: the print templates are mentorbook's own (a
        program's own may show a person's values anywhere, in attributes too), and the layout
        names no file on disk (one that may change between runs, unknown to the chunk's key)."""
        if self.kept is None:
            return False
        folders = project.template_dirs
        if folders not in self.own_templates:
            self.own_templates[folders] = any(folder != TEMPLATES_DIR and any(folder.rglob("*.html"))
                                              for folder in folders)
        return not self.own_templates[folders] and not any(isinstance(value, str) and "file:" in value
                                                           for value in files.values())  # the print HTML's head too

    def _cuts_start_pages(self, head: str, key: str, files, project: Project) -> bool:
        """Whether the print layout's styles start a page where it is cut (CUT_PROBE laid out
        once per head and files): a program's own print.css that runs entries or worksheets
        on gets its PDFs laid out whole."""
        from .pdf import layout

        if key not in self.cuts:
            probe = layout(_PERSONAL_HEAD.sub("", head) + CUT_PROBE + "</body>\n</html>\n", None,
                           project.allowed_roots, files=files)
            self.cuts[key] = len(probe.pages) == CUT_PAGES
        return self.cuts[key]

    def _chunk(self, head: str, text: str, chunk: _Chunk, digest, files, project: Project,
               options: RenderOptions, personal: frozenset[str] | None = None, wait: bool = True) -> Any:
        """A chunk's page count and PDF, laid out as a document of its own and written once per
        worker (per cohort, with a store): None if it cannot stand in for its place, _ELSEWHERE
        if another worker is making it and ``wait`` is false. With ``personal`` (see ``_keeps``),
        it is kept for later runs unless it shows one of those texts (see ``publishable``)."""
        digest.update(chunk.context.encode("utf-8") + b"\0" + text.encode("utf-8"))
        key = digest.hexdigest()
        if key in self.cache:
            self.hits += 1
            self.cache[key] = found = self.cache.pop(key)  # the most recently used last
            return found
        found = self.kept.get(key) if self.kept is not None else MISSING
        if found is not MISSING:
            self.hits += 1
        elif self.store is not None:
            found = self.store.get(key)
            if found is MISSING and not self.store.claim(key):
                if not wait:
                    return _ELSEWHERE
                found = self.store.wait(key)
        if found is MISSING:
            self.misses += 1
            try:
                found = self._lay_out(head, text, chunk, key, files, project, options)
            except BaseException:
                if self.store is not None:  # the others make it themselves (and say what is wrong)
                    self.store.give_up(key)
                raise
            if self.store is not None:
                self.store.put(key, found)
            if personal is not None and publishable(text, personal):
                self.kept.put(key, found)
        if found is not None:
            while len(self.cache) >= self.size:
                self.cache.pop(next(iter(self.cache)))
            self.cache[key] = found
        return found

    def _lay_out(self, head: str, text: str, chunk: _Chunk, key: str, files, project: Project,
                 options: RenderOptions) -> _Laid | None:
        from .parts import without_margins
        from .pdf import layout
        from .workers import Job

        # without margin boxes: the trainee's frame draws them
        document = layout(without_margins(_PERSONAL_HEAD.sub("", head)) + chunk.context + text + "</body>\n</html>\n",
                          None, project.allowed_roots, forms=options.fillable, files=files)
        if not document.pages or not (chunk.own_anchor or chunk.anchor in document.pages[0].anchors):
            return None
        job = Job(None, files, project.allowed_roots, options.fillable, CHUNK_STAMP)
        # a number of its own (from its key): its table ids stay apart from other chunks' in a PDF
        return _Laid(len(document.pages), job.write(document, int(key[:12], 16) + 1))

    def _join(self, own_html: str, chunks: list[_Chunk], laid: list[_Laid], files, workbook: Workbook,
              options: RenderOptions, project: Project) -> bytes | None:
        """The trainee's own layout (the frame: cover, contents, the empty pages with their running
        heads) written as a PDF, the chunks' PDFs (written once) stitched into it."""
        from .pdf import layout, metadata_date
        from .stitch import NotAsWhole, stitch_slots
        from .workers import Job

        own = layout(own_html, None, project.allowed_roots, forms=options.fillable, files=files)
        starts = []
        for chunk in chunks:
            first = next((i for i, p in enumerate(own.pages) if chunk.anchor in p.anchors), None)
            if first is None or first + chunk.pages > len(own.pages):
                return None
            starts.append(first)
        job = Job(None, files, project.allowed_roots, options.fillable, metadata_date(workbook))
        try:
            return stitch_slots(job.write(own), starts, [found.part for found in laid], forms=options.fillable)
        except NotAsWhole:
            return None
