"""Join many PDFs into one, streaming: one source file in memory at a time.

A cohort's combined PDF can hold hundreds of workbooks. Merging them with an
in-memory writer keeps every page of every trainee alive until the end, so memory
grows with the roster. ``PdfJoiner`` reads one workbook, writes its pages (and all
they use) straight to the output, and forgets it; what it keeps between workbooks
is a handful of numbers per object and per bookmark. qpdf (pikepdf) parses each
source; the joiner walks its objects and writes them renumbered, streams as they are.

Each workbook is filed under a prefix (its slug): its named destinations, link
targets and form fields are renamed ``prefix/name`` so that equal names in two
workbooks stay apart, and its own bookmarks hang under one bookmark per workbook.

Small objects go into compressed object streams (xref.py), as in the sources.
Fonts are written once: a font equal to one written before (most are, in a cohort of
blank workbooks) is that object, an equal program is that stream, and each font
written has a subset name of its own (fontnames.py).

The joined file is tagged (PDF/UA-1) like its sources: each workbook's structure
tree becomes a Part of one Document, its parent tree keys moved past the ones
before it, and the file has XMP metadata, a title shown by readers and a language.
"""

from __future__ import annotations

import functools
import hashlib
from array import array
from pathlib import Path
from typing import BinaryIO

import pikepdf
from msgspec import Struct, field
from pikepdf import Array, Dictionary, Name, Object, Stream, String

from .fontnames import font_digest, font_parts, is_font, is_indirect, program_digest, subset_tag, tagged
from .xref import Packer, XrefTable

_PARENT_KEYS = {"/StructParents", "/StructParent"}  # keys into the parent tree, moved per source
_DROPPED: set[str] = set()
_RESERVED = 8  # 1 catalog, 2 page tree, 3 outlines, 4 info, 5 names, 6 structure root, 7 Document, 8 XMP


class _Bookmark(Struct):
    number: int
    title: str
    page: int  # object number of the first page
    first: int | None = None
    last: int | None = None
    count: int = 0


class _Source(Struct):
    """Object numbers of one source file mapped into the joined file."""
    prefix: str
    numbers: dict[int, int] = field(default_factory=dict)
    queue: list = field(default_factory=list)
    tree_base: int | None = None  # added to its parent tree keys; None: the source is not tagged
    parts: set[int] = field(default_factory=set)  # its top structure elements, which become Parts
    tags: dict[int, str] = field(default_factory=dict)  # object -> the subset tag of the font it belongs to


class PdfJoiner:
    """Write ``add``-ed PDFs one after another into ``out``; call ``close`` at the end."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.table = XrefTable()  # where each object is: at an offset, or in an object stream
        self.packer = Packer(self.table)  # small objects waiting for their object stream
        self.next_number = _RESERVED + 1
        self.pages: list[int] = []
        self.bookmarks: list[_Bookmark] = []
        self.dests: list[tuple[bytes, bytes, bytes]] = []  # (sort key, written name, destination)
        self.fields: list[int] = []
        self.form: bytes | None = None  # the /AcroForm entries other than /Fields, from the first form
        self.parts: list[int] = []  # each source's top structure elements
        self.tree_keys, self.tree_values = array("Q"), array("Q")  # parent tree: key -> object number
        self.next_key = 0  # the next free parent tree key
        self.fonts: dict[bytes, int] = {}  # font digest -> its object; program digest -> its stream
        self.digest = hashlib.sha256()
        self.position = 0
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    # -- output ---------------------------------------------------------------
    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _allocate(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number

    def _object(self, number: int, body: bytes, stream: bool = False) -> None:
        if not stream:
            if self.packer.add(number, body):
                self._pack()
            return
        self.table.at_offset(number, self.position)
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _pack(self) -> None:
        if self.packer.pending:
            number = self._allocate()
            self._object(number, self.packer.flush(number), stream=True)

    # -- sources --------------------------------------------------------------
    def add(self, path: Path, title: str, prefix: str) -> None:
        """Append every page of ``path`` under a bookmark ``title``."""
        with pikepdf.open(path) as pdf:
            self._add(pdf, title, prefix)

    def _add(self, pdf: pikepdf.Pdf, title: str, prefix: str) -> None:
        source = _Source(prefix)
        root = pdf.Root
        pages = [page.obj for page in pdf.pages]
        if len(self.pages) % 2 == 1 and len(pages):  # each workbook starts on a right-hand page
            self._blank_page(pages[0].get("/MediaBox"))
        self._tagged(source, root)
        page_numbers = []
        for page in pages:
            number = self._ref(source, page)
            page_numbers.append(number)
        self._drain(source)  # pages first, so that destinations below find them numbered
        self.pages += page_numbers
        if not page_numbers:
            return
        bookmark = _Bookmark(self._allocate(), title, page_numbers[0])
        self._outline(source, root, bookmark)
        self._named_dests(source, root)
        self._form(source, root)
        self._structure(source, root)
        self._drain(source)
        self.bookmarks.append(bookmark)

    def _tagged(self, source: _Source, root) -> None:
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return
        source.tree_base = self.next_key
        if tree.is_indirect:
            source.numbers[tree.objgen[0]] = 7  # its elements' /P: the joined Document

    def _structure(self, source: _Source, root) -> None:
        tree = root.get("/StructTreeRoot")
        if tree is None or source.tree_base is None:
            return
        kids = tree.get("/K")
        kids = kids if isinstance(kids, Array) else [kids] if kids is not None else []
        for kid in kids:
            if is_indirect(kid):
                source.parts.add(kid.objgen[0])
                self.parts.append(self._ref(source, kid))
        highest = -1
        parent_tree = tree.get("/ParentTree")
        for key, value in _number_tree(parent_tree) if parent_tree is not None else ():
            if is_indirect(value):
                number = self._ref(source, value)
            else:  # a page's array, written now: only its number stays in memory
                number = self._allocate()
                self._object(number, self._serialize(source, value))
            self.tree_keys.append(source.tree_base + key)
            self.tree_values.append(number)
            highest = max(highest, key)
        self.next_key = source.tree_base + max(highest + 1, int(tree.get("/ParentTreeNextKey", 0)))

    def _ref(self, source: _Source, reference: Object) -> int:
        """The number in the joined file of an indirect object of ``source``."""
        idnum = reference.objgen[0]
        number = source.numbers.get(idnum)
        if number is None:
            number = self._font(source, reference)
            if number is None:
                number = self._allocate()
                source.queue.append((number, reference))
            source.numbers[idnum] = number
        return number

    def _font(self, source: _Source, reference: Object) -> int | None:
        """The object of an equal font written before, or None: a new font, tagged."""
        if not is_font(reference):
            return None
        digest = font_digest(reference)
        if digest not in self.fonts:
            self.fonts[digest] = self._allocate()
            source.queue.append((self.fonts[digest], reference))
            parts, program = font_parts(reference)
            source.tags.update(dict.fromkeys([reference.objgen[0], *parts], subset_tag(digest)))
            if program is not None and program.objgen[0] not in source.numbers:  # an equal program: that stream
                key = b"program" + program_digest(program)
                self.fonts[key] = source.numbers[program.objgen[0]] = self.fonts.get(key) or self._ref(source, program)
        return self.fonts[digest]

    def _drain(self, source: _Source) -> None:
        while source.queue:
            number, obj = source.queue.pop()
            idnum = obj.objgen[0]
            extra = _PAGE_PARENT if _is_page(obj) else b""
            if idnum in source.parts:  # a workbook's Document, a Part of the joined one
                extra = b"/S /Part"
            body = self._serialize(source, obj, extra, source.tags.get(idnum), top=True)
            self._object(number, body, stream=isinstance(obj, Stream))

    def _serialize(self, source: _Source, obj, extra: bytes = b"", tag: str | None = None, top: bool = False) -> bytes:
        if isinstance(obj, Object):
            if obj.is_indirect and not top:
                return b"%d 0 R" % self._ref(source, obj)
            if isinstance(obj, Name):  # the most frequent direct objects, written the quick way
                return _name(str(obj))
            if isinstance(obj, Stream):
                data = obj.read_raw_bytes()  # the encoded bytes, copied as they are (filters kept)
                head = self._dictionary(source, obj, b"/Length %d" % len(data), skip={"/Length"})
                return head + b"\nstream\n" + data + b"\nendstream"
            if isinstance(obj, Dictionary):
                return self._dictionary(source, obj, extra, tag=tag)
            if isinstance(obj, Array):
                return b"[" + b" ".join(self._serialize(source, item, tag=tag) for item in obj) + b"]"
            return obj.unparse()  # a string
        if obj is None:
            return b"null"
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if isinstance(obj, int):
            return b"%d" % obj
        return _real(obj)

    def _dictionary(self, source: _Source, obj, extra: bytes = b"", skip: set[str] = frozenset(),
                    tag: str | None = None) -> bytes:
        parts = [extra] if extra else []
        is_link_target = obj.get("/S") == "/GoTo"
        if extra == _PAGE_PARENT:  # a page (_drain): its parent is the joined page tree
            skip = {*skip, "/Parent"}
        if extra == b"/S /Part":
            skip = {*skip, "/S"}
        for key, value in obj.items():
            if key in skip or key in _DROPPED:
                continue
            if key in _PARENT_KEYS:
                if source.tree_base is not None:
                    parts.append(_name(key) + b" %d" % (source.tree_base + int(value)))
                continue
            if key == "/Dest" or (key == "/D" and is_link_target):
                value = self._prefixed(source, value)
            elif key == "/T" and _is_top_field(obj):
                value = String(f"{source.prefix}/{value}")
            elif key in ("/BaseFont", "/FontName") and tag:
                value = tagged(value, tag)
            parts.append(_name(key) + b" " + self._serialize(source, value, tag=tag))
        return b"<<" + b" ".join(parts) + b">>"

    def _prefixed(self, source: _Source, value):
        """A named destination's name under the source's prefix (an explicit one as it is)."""
        if isinstance(value, (String, Name)):
            return String(f"{source.prefix}/{str(value).lstrip('/')}")
        return value

    def _blank_page(self, box) -> None:
        number = self._allocate()
        media = " ".join(f"{float(v):g}" for v in box)
        self._object(number, f"<</Type /Page /Parent 2 0 R /MediaBox [{media}] /Resources <<>>>>".encode())
        self.pages.append(number)

    def _outline(self, source: _Source, root, bookmark: _Bookmark) -> None:
        outlines = root.get("/Outlines")
        if outlines is None or "/First" not in outlines:
            return
        if outlines.is_indirect:
            source.numbers[outlines.objgen[0]] = bookmark.number  # its children's /Parent: the trainee's bookmark
        bookmark.first = self._ref(source, outlines.get("/First"))
        bookmark.last = self._ref(source, outlines.get("/Last"))
        bookmark.count = abs(int(outlines.get("/Count", 0)))

    def _named_dests(self, source: _Source, root) -> None:
        names = root.get("/Names")
        tree = names.get("/Dests") if names is not None else None
        if tree is None:
            return
        for name, dest in _name_tree(tree):
            if isinstance(dest, Dictionary) and "/D" in dest:
                dest = dest["/D"]
            key = String(f"{source.prefix}/{name}")
            self.dests.append((bytes(key), key.unparse(), self._serialize(source, dest, top=True)))

    def _form(self, source: _Source, root) -> None:
        form = root.get("/AcroForm")
        if form is None:
            return
        for reference in form.get("/Fields") or []:
            self.fields.append(self._ref(source, reference) if is_indirect(reference) else 0)
        if self.form is None:
            rest = {k: v for k, v in form.items() if k != "/Fields"}
            self.form = b" ".join(_name(k) + b" " + self._serialize(source, v) for k, v in rest.items())

    # -- the end --------------------------------------------------------------
    def close(self, title: str) -> None:
        kids = b" ".join(b"%d 0 R" % n for n in self.pages)
        self._object(2, b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids, len(self.pages)))
        marks = self.bookmarks
        for i, mark in enumerate(marks):
            entries = [b"/Title " + _text(mark.title), b"/Parent 3 0 R", b"/Dest [%d 0 R /Fit]" % mark.page]
            if i:
                entries.append(b"/Prev %d 0 R" % marks[i - 1].number)
            if i + 1 < len(marks):
                entries.append(b"/Next %d 0 R" % marks[i + 1].number)
            if mark.first:  # the trainee's own bookmarks, closed until opened
                entries += [b"/First %d 0 R" % mark.first, b"/Last %d 0 R" % mark.last]
                entries += [b"/Count -%d" % mark.count] if mark.count else []
            self._object(mark.number, b"<<" + b" ".join(entries) + b">>")
        outline = b"<</Type /Outlines"
        if marks:
            outline += b" /First %d 0 R /Last %d 0 R /Count %d" % (marks[0].number, marks[-1].number, len(marks))
        self._object(3, outline + b">>")
        self._object(4, b"<</Title " + _text(title) + b" /Creator (mentorbook)>>")
        pairs = b" ".join(k + b" " + v for _, k, v in sorted(self.dests))
        self._object(5, b"<</Dests <</Names [" + pairs + b"]>>>>")
        catalog = [b"/Type /Catalog /Pages 2 0 R /Outlines 3 0 R /Names 5 0 R /PageMode /UseOutlines"]
        self._tags(title, catalog)
        if self.fields:
            fields = b" ".join(b"%d 0 R" % n for n in self.fields if n)
            catalog.append(b"/AcroForm <<" + (self.form or b"") + b" /Fields [" + fields + b"]>>")
        self._object(1, b"<<" + b" ".join(catalog) + b">>")
        self._xref()

    def _tags(self, title: str, catalog: list[bytes]) -> None:
        """The structure root, its Document, XMP metadata and the catalog entries PDF/UA asks for."""
        from .ua import xmp_packet

        tree = b" ".join(b"%d %d 0 R" % pair for pair in sorted(zip(self.tree_keys, self.tree_values, strict=True)))
        self._object(6, b"<</Type /StructTreeRoot /K 7 0 R /ParentTree <</Nums [" + tree + b"]>>"
                     b" /ParentTreeNextKey %d>>" % self.next_key)
        parts = b" ".join(b"%d 0 R" % n for n in self.parts)
        self._object(7, b"<</Type /StructElem /S /Document /P 6 0 R /K [" + parts + b"]>>")
        xmp = xmp_packet({"Title": title, "Creator": "mentorbook", "Producer": "mentorbook"})
        self._object(8, b"<</Type /Metadata /Subtype /XML /Length %d>>\nstream\n" % len(xmp) + xmp
                     + b"\nendstream", stream=True)
        catalog.append(b"/StructTreeRoot 6 0 R /MarkInfo <</Marked true>> /Lang (en) /Metadata 8 0 R"
                       b" /ViewerPreferences <</DisplayDocTitle true>>")

    def _xref(self) -> None:
        self._pack()
        number = self._allocate()  # the cross-reference stream, the last object
        identifier = self.digest.hexdigest()[:32].encode()
        start = self.position
        self.table.at_offset(number, start)
        trailer = b"/Root 1 0 R /Info 4 0 R /ID [<%s> <%s>]" % (identifier, identifier)
        body = self.table.stream_body(number + 1, trailer)
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)


_PAGE_PARENT = b"/Parent 2 0 R"  # a page's parent: the joined file's page tree


def _is_page(obj) -> bool:
    return isinstance(obj, Dictionary) and obj.get("/Type") == "/Page"


def _is_top_field(obj) -> bool:
    """A form field with no parent field: its name is the first part of every full name below it."""
    return "/Parent" not in obj and ("/FT" in obj or "/Kids" in obj)


def _real(value) -> bytes:
    """A real number (a Decimal, as pikepdf reads it) as a PDF writes it: no exponent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text.encode()


@functools.lru_cache(maxsize=4096)
def _name(key: str) -> bytes:
    return Name(key).unparse()


def _text(value: str) -> bytes:
    return String(value).unparse()


def _number_tree(node):
    """Every (key, value) of a PDF number tree, leaves in order."""
    return _tree(node, "/Nums", int)


def _name_tree(node):
    """Every (name, value) of a PDF name tree, leaves in order."""
    return _tree(node, "/Names", str)


def _tree(node, entries: str, key):
    pairs = node.get(entries)
    if pairs is not None:
        for i in range(0, len(pairs) - 1, 2):
            yield key(pairs[i]), pairs[i + 1]
    for kid in node.get("/Kids") or []:
        yield from _tree(kid, entries, key)
