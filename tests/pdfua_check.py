"""A PDF/UA-1 checker for the machine-checkable Matterhorn Protocol conditions (pikepdf).

``check(path)`` returns a list of ``Failure(condition, message)``; an empty list
means none of the conditions below fails. The conditions it covers, as this checker
tests them:

- 01-005  Content is neither an artifact nor tagged real content: every text, path,
          image or shading painted on a page lies inside /Artifact marked content or
          inside marked content with an MCID that the structure tree refers to.
- 06-001  The catalog has no XMP metadata stream.
- 06-002  The XMP metadata has no PDF/UA identifier (pdfuaid:part = 1).
- 06-003  The XMP metadata has no dc:title.
- 07-001  ViewerPreferences lacks DisplayDocTitle true.
- 09-004  A table element is out of place: TR outside Table/THead/TBody/TFoot,
          TH/TD outside TR, THead/TBody/TFoot outside Table.
- 09-005  A list element is out of place: LI outside L, Lbl/LBody outside LI, an L
          directly in an L (a nested list belongs in the LBody of its item).
- 11-001  The natural language cannot be determined: no /Lang in the catalog.
- 13-004  A Figure has neither Alt nor ActualText.
- 14-002  Headings are numbered, but the first is not H1.
- 14-003  Numbered heading levels are skipped going down (H2 followed by H4).
- 15-003  A TH has no Scope attribute (the tables use no Headers/IDs).
- 16-001  An L holds something other than LI or Caption (an L in an L: 09-005).
- 16-002  An LI holds something other than Lbl and LBody.
- 16-003  An LI has no LBody.
- 18-001  Running headers and footers are not pagination artifacts: a page's text
          sits in its top or bottom margin (outside the body) outside an
          /Artifact <</Type /Pagination>>.
- 28-005  A form field has no TU (and its Form element no Alt).
- 28-008  A page with annotations has no /Tabs.
- 28-009  A page with annotations has /Tabs other than /S.
- 28-011  A Link annotation is not nested in a Link structure element.
- 28-012  A Link annotation has no /Contents.
- 31-001  A Type 0 font's CMap and CIDFont CIDSystemInfo registries differ
          (encodings other than Identity-H/V); also checked, under the same
          number, from the rest of the 31 fonts checkpoint: every font used on a
          page is embedded, and every Type 0 font has a ToUnicode map (so the
          text of a name in any script can be read out and searched).

Conditions of this checker's own (not Matterhorn numbers), which independent
checkers also report:

- ST-01 .. ST-04  The structure tree, the parent tree and the file agree (see
          pdftree_check.py): no element named in the parent tree or held in the file
          that the tree does not hold, a /P that names the holder, parent tree entries
          that give the elements holding each MCID, MCR and OBJR.
- FN-01 .. FN-03  Fonts (see pdffont_check.py): a subset name on two font objects, one
          font program stored twice, a glyph shown whose code the font's ToUnicode
          does not map to text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
from pdffont_check import Shown, shown_text
from pdffont_check import fonts as font_failures
from pdftree_check import tree as tree_failures

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh", "INLINE IMAGE"}
TEXT = {"Tj", "TJ", "'", '"'}
MARGIN = 36.0  # pt: text this close to the top or bottom edge is a running header or footer
TABLE_PARENTS = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
                 "THead": {"Table"}, "TBody": {"Table"}, "TFoot": {"Table"}}
LIST_PARENTS = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}}


@dataclass(frozen=True)
class Failure:
    condition: str
    message: str

    def __str__(self) -> str:
        return f"{self.condition}: {self.message}"


@dataclass
class Element:
    type: str
    obj: pikepdf.Dictionary
    parent: Element | None
    kids: list
    held: list = None  # (page objgen, MCID) and ("annot", annotation objgen) it holds

    def __post_init__(self):
        self.held = []


def _role(name: str, rolemap) -> str:
    seen = 0
    while rolemap is not None and f"/{name}" in rolemap and seen < 10:
        name = str(rolemap[f"/{name}"])[1:]
        seen += 1
    return name


def structure(pdf: pikepdf.Pdf) -> tuple[list[Element], dict[tuple[int, int], set[int]], set[tuple[int, int]]]:
    """Every structure element (document order), MCIDs referred to per page, and OBJR targets."""
    root = pdf.Root.get("/StructTreeRoot")
    elements: list[Element] = []
    mcids: dict[tuple[int, int], set[int]] = {}
    objrs: dict[tuple[int, int], str] = {}
    if root is None:
        return elements, mcids, objrs
    rolemap = root.get("/RoleMap")

    def walk(node, parent: Element | None, page):
        if isinstance(node, int):
            if page is not None:
                mcids.setdefault(page.objgen, set()).add(int(node))
                if parent is not None:
                    parent.held.append((page.objgen, int(node)))
            return
        if not isinstance(node, pikepdf.Dictionary):
            return
        kind = node.get("/Type")
        if kind == "/MCR":
            target = node.get("/Pg", page)
            if target is not None:
                mcids.setdefault(target.objgen, set()).add(int(node.MCID))
                if parent is not None:
                    parent.held.append((target.objgen, int(node.MCID)))
            return
        if kind == "/OBJR":
            objrs[node.Obj.objgen] = parent.type if parent else ""
            if parent is not None:
                parent.held.append(("annot", node.Obj.objgen))
            return
        element = Element(_role(str(node.get("/S", "/"))[1:], rolemap), node, parent, [])
        elements.append(element)
        if parent is not None:
            parent.kids.append(element)
        kids = node.get("/K")
        page = node.get("/Pg", page)
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(kid, element, page)

    kids = root.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        walk(kid, None, None)
    return elements, mcids, objrs


def _content(pdf: pikepdf.Pdf, page: pikepdf.Page, referenced: set[int], height: float, number: int,
             failures: list[Failure], shown: Shown) -> None:
    stack: list[tuple[str, object]] = []
    fonts = page.Resources.get("/Font", {}) if "/Resources" in page else {}
    font, font_stack = None, []
    untagged = outside = running = 0
    ctm, saved = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
    line = text = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            if isinstance(props, pikepdf.Name) and "/Properties" in page.Resources:
                props = page.Resources.Properties.get(str(props))
            stack.append((str(operands[0]), props))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "q":
            saved.append(ctm)
            font_stack.append(font)
        elif op == "Q":
            ctm = saved.pop() if saved else ctm
            font = font_stack.pop() if font_stack else font
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "BT":
            line = text = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif op == "Tm":
            line = text = tuple(float(v) for v in operands)
        elif op in ("Td", "TD"):
            line = text = _multiply((1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])), line)
        if op not in PAINT:
            continue
        if op in TEXT:
            shown_text(shown, font, operands, op)
        artifact = next((p for tag, p in stack if tag == "/Artifact"), False)
        tagged = [p for tag, p in stack if isinstance(p, pikepdf.Dictionary) and "/MCID" in p]
        if artifact is False and not tagged:
            untagged += 1
        elif artifact is False and not any(int(p.MCID) in referenced for p in tagged):
            outside += 1
        if op in TEXT and height:
            y = _multiply(text, ctm)[5]
            in_margin = y > height - MARGIN or y < MARGIN
            pagination = isinstance(artifact, pikepdf.Dictionary) and artifact.get("/Type") == "/Pagination"
            if in_margin and not pagination:
                running += 1
    if untagged:
        failures.append(Failure("01-005", f"page {number}: {untagged} painting operators neither artifact "
                                          "nor tagged"))
    if outside:
        failures.append(Failure("01-005", f"page {number}: {outside} painting operators tagged with MCIDs "
                                          "the structure tree does not use"))
    if running:
        failures.append(Failure("18-001", f"page {number}: {running} text operators in the page margins "
                                          "outside pagination artifacts"))


def _multiply(m, n):
    """The matrix product m × n of two PDF matrices (a b c d e f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def check(path: Path | str) -> list[Failure]:
    failures: list[Failure] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        metadata = root.get("/Metadata")
        if metadata is None:
            failures.append(Failure("06-001", "no XMP metadata stream"))
        else:
            xmp = metadata.read_bytes().decode("utf-8", "replace")
            tree = ElementTree.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.rindex("</x:xmpmeta>") + 12])
            ns = {"pdfuaid": "http://www.aiim.org/pdfua/ns/id/", "dc": "http://purl.org/dc/elements/1.1/"}
            part = tree.find(".//pdfuaid:part", ns)
            attribute = [d.get("{http://www.aiim.org/pdfua/ns/id/}part") for d in tree.iter()]
            if not ((part is not None and part.text == "1") or "1" in attribute):
                failures.append(Failure("06-002", "XMP has no pdfuaid:part 1"))
            title = tree.find(".//dc:title", ns)
            if title is None or not "".join(title.itertext()).strip():
                failures.append(Failure("06-003", "XMP has no dc:title"))
        preferences = root.get("/ViewerPreferences")
        if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
            failures.append(Failure("07-001", "DisplayDocTitle is not true"))
        if not str(root.get("/Lang", "")).strip():
            failures.append(Failure("11-001", "the catalog has no /Lang"))
        if "/StructTreeRoot" not in root:
            failures.append(Failure("01-005", "the document has no structure tree"))
        elements, mcids, objrs = structure(pdf)
        failures += _elements(elements)
        failures += [Failure(condition, message) for condition, message in tree_failures(pdf, elements)]
        shown: Shown = {}
        for number, page in enumerate(pdf.pages, start=1):
            box = [float(v) for v in page.MediaBox]
            _content(pdf, page, mcids.get(page.objgen, set()), box[3] - box[1], number, failures, shown)
            annots = [a for a in page.get("/Annots", []) if a.get("/Subtype") != "/Popup"]
            if annots:
                tabs = page.get("/Tabs")
                if tabs is None:
                    failures.append(Failure("28-008", f"page {number} has annotations and no /Tabs"))
                elif tabs != "/S":
                    failures.append(Failure("28-009", f"page {number} has /Tabs {tabs}"))
            for annot in annots:
                if annot.get("/Subtype") == "/Link":
                    if objrs.get(annot.objgen) != "Link":
                        failures.append(Failure("28-011", f"page {number}: a link is not in a Link element"))
                    if not str(annot.get("/Contents", "")).strip():
                        failures.append(Failure("28-012", f"page {number}: a link has no /Contents"))
            failures += _fonts(page, number)
        form = root.get("/AcroForm")
        for field in (form.get("/Fields", []) if form is not None else []):
            if not str(field.get("/TU", "")).strip():
                failures.append(Failure("28-005", f"form field {field.get('/T')} has no /TU"))
        failures += [Failure(condition, message) for condition, message in font_failures(pdf, shown)]
    return failures


def _elements(elements: list[Element]) -> list[Failure]:
    failures = []
    levels = []
    for e in elements:
        parent = e.parent.type if e.parent else ""
        if e.type in TABLE_PARENTS and parent not in TABLE_PARENTS[e.type]:
            failures.append(Failure("09-004", f"{e.type} inside {parent or 'the root'}"))
        if e.type in LIST_PARENTS and parent not in LIST_PARENTS[e.type]:
            failures.append(Failure("09-005", f"{e.type} inside {parent or 'the root'}"))
        if e.type == "L" and parent == "L":
            failures.append(Failure("09-005", "L directly inside L"))
        if e.type == "L":
            odd = sorted({k.type for k in e.kids} - {"LI", "L", "Caption"})
            if odd:
                failures.append(Failure("16-001", f"L holds {', '.join(odd)}"))
        if e.type == "LI":
            odd = sorted({k.type for k in e.kids} - {"Lbl", "LBody"})
            if odd:
                failures.append(Failure("16-002", f"LI holds {', '.join(odd)}"))
            if not any(k.type == "LBody" for k in e.kids):
                failures.append(Failure("16-003", "LI without LBody"))
        if e.type == "Figure" and not (str(e.obj.get("/Alt", "")).strip() or str(e.obj.get("/ActualText", ""))):
            failures.append(Failure("13-004", "Figure without Alt"))
        if e.type == "TH" and not _scope(e.obj):
            failures.append(Failure("15-003", f"TH without Scope: {_text_of(e)[:40]!r}"))
        match = re.fullmatch(r"H([1-6])", e.type)
        if match:
            levels.append((int(match[1]), _text_of(e)[:40]))
    if levels and levels[0][0] != 1:
        failures.append(Failure("14-002", f"the first heading is H{levels[0][0]}"))
    for (before, _), (after, text) in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            failures.append(Failure("14-003", f"H{before} followed by H{after} ({text!r})"))
    return failures


def _scope(obj) -> bool:
    attributes = obj.get("/A")
    items = attributes if isinstance(attributes, pikepdf.Array) else [attributes] if attributes is not None else []
    return any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in items) or "/Headers" in str(attributes)


def _text_of(element: Element) -> str:
    return str(element.obj.get("/T", element.obj.get("/Alt", "")))


def _fonts(page, number: int) -> list[Failure]:
    failures = []
    fonts = page.Resources.get("/Font", {}) if "/Resources" in page else {}
    for name, font in fonts.items():
        if font.get("/Subtype") == "/Type0":
            cid = font.DescendantFonts[0]
            encoding = font.get("/Encoding")
            if (isinstance(encoding, pikepdf.Stream) and "/CIDSystemInfo" in encoding
                    and str(encoding.CIDSystemInfo.Registry) != str(cid.CIDSystemInfo.Registry)):
                failures.append(Failure("31-001", f"page {number}: font {name} registries differ"))
            descriptor = cid.get("/FontDescriptor")
        else:
            descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") == "/Type3":
            continue
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            failures.append(Failure("31-001", f"page {number}: font {name} is not embedded"))
        if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font:
            failures.append(Failure("31-001", f"page {number}: font {name} has no ToUnicode map"))
    return failures
