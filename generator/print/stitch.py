"""The PDFs of a workbook's parts and of its frame, stitched into the workbook's PDF.

Runs of parts are laid out without margin boxes and written as tagged PDFs of their
own (workers.py); the frame (parts.py) is the cover and contents followed by a page
for each page of the parts that shows only its margin boxes. ``stitch`` takes the
cover and contents from the frame and each other page from its run, with the frame
page drawn over it as a form XObject marked as a pagination artifact (its running
heads and page number). pikepdf copies the pages with what they use; streams are
copied as they are, never decoded. Then it makes what a whole layout makes for the
document as a whole:

- the structure tree: one Document holding each page's elements in page order (as
  WeasyPrint's own tree does, a page at a time), the parent tree keys of each source
  moved past those of the sources before it;
- the named destinations of every anchor, from the page that holds it (a run also
  names the anchors of other runs its links point to, only so that WeasyPrint keeps
  those links; a link to an anchor found nowhere is dropped, as in a whole layout);
- the bookmarks, from every page's bookmarks, as WeasyPrint builds them;
- the form fields (made to work in real readers, widgets.py), the document
  information, XMP metadata, language and viewer preferences of the frame;
- each font once: the subsets of one font the sources embedded, merged into their
  union (fontmerge.py).
"""

from __future__ import annotations

import io

from msgspec import Struct, field


class NotAsWhole(Exception):
    """The parts cannot stand in for a whole layout: lay the document out whole."""


class PartPdf(Struct):
    """A PDF of some pages of the workbook, and what the whole needs to know of them."""
    data: bytes
    count: int  # pages
    bookmarks: list[tuple] = field(default_factory=list)  # (page, level, label, x, y, state), in order
    anchors: dict[str, int] = field(default_factory=dict)  # anchor -> its page (named in the PDF)
    targets: set[str] = field(default_factory=set)  # the anchors its links point to
    sizes: list[tuple[float, float]] = field(default_factory=list)  # each page's width and height
    refused: list[str] = field(default_factory=list)  # addresses outside the allowed folders


class _Source(Struct):
    part: PartPdf
    pdf: object  # pikepdf.Pdf
    pages: list[int]  # the place in the whole of each page taken from it (-1: not taken)


def stitch(frame: PartPdf, front: int | None, runs: list[PartPdf], forms: bool = False) -> bytes:
    """One PDF of the frame's front and the runs' pages under the frame's margins."""
    if front is None or frame.count != front + sum(run.count for run in runs):
        raise NotAsWhole("the frame does not have a page for each page of the parts")
    starts = [front + sum(run.count for run in runs[:i]) for i in range(len(runs))]
    return stitch_slots(frame, starts, runs, forms)


def stitch_slots(frame: PartPdf, starts: list[int], runs: list[PartPdf], forms: bool = False) -> bytes:
    """One PDF of the frame's pages, each run's pages in place of the frame's from its start on
    (under the frame's margins): a cohort's trainee has pages of their own between the runs."""
    import pikepdf

    taken = list(range(frame.count))
    for start, run in zip(starts, runs, strict=True):
        if start < 0 or start + run.count > frame.count or any(taken[g] < 0 for g in range(start, start + run.count)):
            raise NotAsWhole("the frame does not have a page of its own for each page of the parts")
        if run.sizes != frame.sizes[start:start + run.count]:
            raise NotAsWhole("a part's pages are not the size of the frame's")
        taken[start:start + run.count] = [-1] * run.count
    opened = [pikepdf.open(io.BytesIO(part.data)) for part in [frame, *runs]]  # a run used twice: two copies
    try:
        sources = [_Source(frame, opened[0], taken)]
        for start, run, pdf in zip(starts, runs, opened[1:], strict=True):
            sources.append(_Source(run, pdf, list(range(start, start + run.count))))
        return _stitch(sources, forms)
    finally:
        for pdf in opened:
            pdf.close()


def _stitch(sources: list[_Source], forms: bool) -> bytes:
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    out = pikepdf.new()
    where = {g: (source, local) for source in sources for local, g in enumerate(source.pages) if g >= 0}
    for g in range(len(where)):
        source, local = where[g]
        out.pages.append(source.pdf.pages[local])
    frame = sources[0]
    for g, taken in enumerate(frame.pages):
        if taken < 0:
            _margins(out, out.pages[g], frame.pdf.pages[g], g)
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    document.K = Array(_elements(out, sources, document))
    root.K = Array([document])
    _parent_tree(out, sources, root)
    _catalog(out, frame.pdf, root)
    _dests(out, sources)
    _outline(out, sorted(((source.pages[b[0]], *b[1:]) for source in sources for b in source.part.bookmarks
                          if source.pages[b[0]] >= 0), key=lambda b: b[0]))
    if forms:
        _form(out, sources)
    from .fontmerge import merge_subsets

    merge_subsets(out)  # each font once, as a whole layout has it
    if forms:
        from .ua import fix_form

        fix_form(out)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True, min_version=frame.pdf.pdf_version,
             stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _margins(out, page, frame_page, g: int) -> None:
    """The frame page's content (its margin boxes) drawn over ``page``, as a pagination artifact."""
    from pikepdf import Array, Dictionary, Name

    contents = frame_page.obj.Contents
    coding = contents.get("/Filter")
    coding = [Name(str(f)) for f in coding] if isinstance(coding, Array) else Name(str(coding)) if coding else None
    form = out.make_stream(b"")
    form.write(contents.read_raw_bytes(), filter=coding)
    form.Type, form.Subtype = Name.XObject, Name.Form
    form.BBox = Array([float(v) for v in frame_page.MediaBox])
    form.Resources = out.copy_foreign(frame_page.obj.Resources)
    resources = page.obj.Resources
    if "/XObject" not in resources:
        resources.XObject = Dictionary()
    name = Name(f"/MbMargins{g}")
    resources.XObject[name] = form
    before = out.make_stream(b"q\n")
    after = out.make_stream(b"Q\n/Artifact <</Type /Pagination>> BDC q %s Do Q EMC\n" % bytes(name.unparse()))
    own = page.obj.Contents
    page.obj.Contents = Array([before, *(own if isinstance(own, Array) else [own]), after])


def _kids(node) -> list:
    import pikepdf

    kids = node.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(out, sources, document) -> list:
    """The top elements of the pages taken from each source, copied, in page order."""
    import pikepdf

    by_page: dict[int, list] = {}
    for source in sources:
        tree = source.pdf.Root.get("/StructTreeRoot")
        local = {page.objgen: i for i, page in enumerate(source.pdf.pages)}
        for top in _kids(tree) if tree is not None else []:
            for element in _kids(top):
                if not isinstance(element, pikepdf.Dictionary) or "/Pg" not in element:
                    continue
                g = source.pages[local[element.Pg.objgen]]
                if g >= 0:
                    del element["/P"]  # so that its source's own Document is not copied along
                    by_page.setdefault(g, []).append((source, element))
    held = []
    for g in sorted(by_page):
        for _source, element in by_page[g]:
            copied = out.copy_foreign(element)
            copied.P = document
            held.append(copied)
    return held


def _parent_tree(out, sources, root) -> None:
    """The parent tree entries of the pages taken from each source (and of their annotations),
    their keys moved past those of the sources before."""
    import pikepdf
    from pikepdf import Array, Dictionary

    nums, base = [], 0
    for source in sources:
        tree = source.pdf.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        keys = set()
        for g in source.pages:
            if g < 0:
                continue
            page = out.pages[g]
            if "/StructParents" in page:
                keys.add(int(page.StructParents))
                page.StructParents = int(page.StructParents) + base
            for annot in page.get("/Annots", []):
                if "/StructParent" in annot:
                    keys.add(int(annot.StructParent))
                    annot.StructParent = int(annot.StructParent) + base
        entries = tree.ParentTree.Nums
        for i in range(0, len(entries) - 1, 2):
            if int(entries[i]) not in keys:
                continue
            value = entries[i + 1]
            if isinstance(value, pikepdf.Array):
                value = Array([out.copy_foreign(v) if isinstance(v, pikepdf.Dictionary) else v for v in value])
            else:
                value = out.copy_foreign(value)
            nums.append((int(entries[i]) + base, value))
        base += int(tree.get("/ParentTreeNextKey", 0))
    nums.sort(key=lambda pair: pair[0])
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array([v for pair in nums for v in pair])))
    root.ParentTreeNextKey = base


def _catalog(out, first, root) -> None:
    """The frame's document information, metadata, language and preferences, and the tree."""
    import pikepdf

    out.Root.StructTreeRoot = root
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in first.Root:
            value = first.Root[key]
            if isinstance(value, pikepdf.String):
                out.Root[key] = pikepdf.String(bytes(value))
            elif value.is_indirect:
                out.Root[key] = out.copy_foreign(value)
            else:  # a direct dictionary of plain values
                out.Root[key] = pikepdf.Dictionary(dict(value.items()))
    out.trailer.Info = out.copy_foreign(first.trailer.Info)


def _dests(out, sources) -> None:
    """The named destinations of every anchor, from the page that holds it; links to an
    anchor found nowhere dropped."""
    import pikepdf
    from pikepdf import Array, Dictionary

    found = {}
    for source in sources:
        names = source.pdf.Root.get("/Names")
        dests = names.get("/Dests") if names is not None else None
        flat = dests.Names if dests is not None else []
        for i in range(0, len(flat) - 1, 2):
            name = bytes(flat[i])
            text = name[2:].decode("utf-16-be") if name.startswith(b"\xfe\xff") else name.decode("latin-1")
            local = source.part.anchors.get(text)
            if local is None or source.pages[local] < 0:
                continue  # named only to keep a link, or a frame page that stands for a part's
            g = source.pages[local]
            if text not in found or g < found[text][0]:
                dest = flat[i + 1]
                found[text] = (g, name, Array([out.copy_foreign(dest[0]), *list(dest)[1:]]))
    _drop_dangling(out, set(found))
    if found:
        pairs = []
        for _, name, dest in sorted(found.values(), key=lambda item: item[1]):
            pairs += [pikepdf.String(name), dest]
        out.Root.Names = Dictionary(Dests=out.make_indirect(Dictionary(Names=Array(pairs))))


def _drop_dangling(out, names: set[str]) -> None:
    """Link annotations to an anchor no page has, taken off their page and out of their Link."""
    import pikepdf

    dropped = set()
    for page in out.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = []
        for annot in annots:
            dest = annot.get("/Dest")
            if annot.get("/Subtype") == "/Link" and isinstance(dest, pikepdf.String) and str(dest) not in names:
                dropped.add(annot.objgen)
            else:
                kept.append(annot)
        if len(kept) != len(annots):
            page.Annots = pikepdf.Array(kept)
    if not dropped:
        return
    for obj in out.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Link":
            kids = _kids(obj)
            kept = [k for k in kids if not (isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
                                            and k.Obj.objgen in dropped)]
            if len(kept) != len(kids):
                obj.K = pikepdf.Array(kept)


def _outline(out, bookmarks: list[tuple]) -> None:
    """Bookmarks as WeasyPrint makes them: levels skipped in the headings are not shown."""
    from pikepdf import Array, Dictionary, Name, String

    root: list = []
    skipped: list[int] = []
    last_by_depth = [root]
    previous = 0
    for page, level, label, x, y, state in bookmarks:
        if level > previous:
            skipped.append(level - previous - 1)
        else:
            temporary = level
            while temporary < previous:
                temporary += 1 + skipped.pop()
            if temporary > previous:
                skipped.append(temporary - previous - 1)
        previous = level
        children: list = []
        last_by_depth[level - sum(skipped) - 1].append((label, page, x, y, children, state))
        del last_by_depth[level - sum(skipped):]
        last_by_depth.append(children)
    if not root:
        return

    def write(items, parent) -> int:
        count, made = len(items), []
        for label, page, x, y, children, state in items:
            item = out.make_indirect(Dictionary(Title=String(label), Parent=parent,
                                                Dest=Array([out.pages[page].obj, Name.XYZ, x, y, 0])))
            below = write(children, item)
            item.Count = -below if state == "closed" else below
            count += 0 if state == "closed" else below
            made.append(item)
        for before, after in zip(made, made[1:], strict=False):
            before.Next, after.Prev = after, before
        if made:
            parent.First, parent.Last = made[0], made[-1]
        return count

    outlines = out.make_indirect(Dictionary(Type=Name.Outlines))
    outlines.Count = write(root, outlines)
    out.Root.Outlines = outlines


def _form(out, sources) -> None:
    """The form fields of every source in one /AcroForm, in page order (widgets.fix_forms
    then gives it its resources and appearances)."""
    from pikepdf import Array, Dictionary

    page_of = {annot.objgen: g for g, page in enumerate(out.pages) for annot in page.get("/Annots", [])}
    fields = []
    for source in sources:
        form = source.pdf.Root.get("/AcroForm")
        for entry in form.get("/Fields", []) if form is not None else []:
            copied = widget = out.copy_foreign(entry)
            while "/Kids" in widget and len(widget.Kids):
                widget = widget.Kids[0]
            fields.append((page_of.get(widget.objgen, len(out.pages)), len(fields), copied))
    if fields:
        out.Root.AcroForm = Dictionary(Fields=Array([f for _, _, f in sorted(fields, key=lambda item: item[:2])]))
