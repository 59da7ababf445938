"""The structure WeasyPrint tags, mended for PDF/UA-1 (pikepdf; called by pdfua.finish).

- Running headers and footers: WeasyPrint marks their text with MCIDs that no
  structure element uses; they become pagination artifacts.
- Contents leaders (the dots of ``leader(". ")``) become layout artifacts, so a
  screen reader does not spell them out.
- Lists: the Div WeasyPrint puts between an L and its LI is taken out; a list nested
  in an item (which WeasyPrint hangs on the outer list) goes into the item's LBody,
  and the column boxes of a list set in columns (an L in an L) give up their items.
- Table headers get a Scope: Column in a header row, Row at the start of a body row.
- Links: a Link inside a Link is merged into it, each Link keeps one annotation (its
  rectangles joined) and the annotation's /Contents is the link's text.
- The parent tree is made again from the mended tree: each page's array lists the
  element of every MCID still in it (null for the ones now artifacts), so it names
  no element the tree does not hold (WeasyPrint's elements for the running heads).
"""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Array, Dictionary, Name

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
TEXT_OPS = {"Tj", "TJ", "'", '"'}
LEADER = re.compile(r"^[\s\u00a0]*\.[.\s\u00a0]*$")  # one piece of a dot leader


def _unicode_map(font) -> tuple[dict[int, str], int]:
    """Code -> text of a font's ToUnicode CMap, and the code width in bytes."""
    stream = font.get("/ToUnicode")
    mapping: dict[int, str] = {}
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    if not isinstance(stream, pikepdf.Stream):
        return mapping, width
    data = stream.read_bytes()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in _BFRANGE.findall(block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping, width


class _Fonts:
    def __init__(self):
        self.cache: dict[tuple[int, int], tuple[dict[int, str], int]] = {}

    def decode(self, font, data: bytes) -> str:
        key = font.objgen
        if key not in self.cache:
            self.cache[key] = _unicode_map(font)
        mapping, width = self.cache[key]
        codes = (int.from_bytes(data[i:i + width], "big") for i in range(0, len(data) - width + 1, width))
        return "".join(mapping.get(code, "") for code in codes)


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _set_kids(node, kids: list) -> None:
    node.K = Array(kids)


def _walk(node, visit, parent=None) -> None:
    if not isinstance(node, Dictionary) or "/S" not in node:
        return
    visit(node, parent)
    for kid in _kids(node):
        _walk(kid, visit, node)


def _elements(root) -> list[tuple]:
    found = []
    for top in _kids(root):
        _walk(top, lambda node, parent: found.append((node, parent)))
    return found


def _mcid_refs(elements) -> dict[tuple[int, int], set[int]]:
    refs: dict[tuple[int, int], set[int]] = {}
    for node, _ in elements:
        page = node.get("/Pg")
        for kid in _kids(node):
            if isinstance(kid, int) and page is not None:
                refs.setdefault(page.objgen, set()).add(int(kid))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                target = kid.get("/Pg", page)
                if target is not None:
                    refs.setdefault(target.objgen, set()).add(int(kid.MCID))
    return refs


def _page_texts(page, fonts: _Fonts) -> dict[int, str]:
    """The text of each MCID on a page ("" for one that marks no text: rules, images)."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []
    font = None
    resources = page.Resources.get("/Font", {}) if "/Resources" in page else {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            props = operands[1]
            stack.append(int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None)
            if stack[-1] is not None:
                texts.setdefault(stack[-1], "")
        elif op == "BMC":
            stack.append(None)
        elif op == "EMC" and stack:
            stack.pop()
        elif op == "Tf":
            font = resources.get(str(operands[0]))
        elif op in TEXT_OPS and font is not None:
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is None:
                continue
            parts = operands[0] if op == "TJ" else [operands[-1]]
            text = "".join(fonts.decode(font, bytes(p)) for p in parts if isinstance(p, pikepdf.String))
            texts[mcid] = texts.get(mcid, "") + text
    return texts


def _rewrite(pdf, page, artifacts: dict[int, Dictionary]) -> None:
    """Mark the MCIDs in ``artifacts`` as artifacts (with the given properties)."""
    ops = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC":
            props = operands[1]
            if isinstance(props, Dictionary) and "/MCID" in props and int(props.MCID) in artifacts:
                operands = [Name.Artifact, artifacts[int(props.MCID)]]
        ops.append((operands, operator))
    page.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(ops))


def _drop_mcids(elements, drop: dict[tuple[int, int], set[int]]) -> None:
    for node, _ in elements:
        page = node.get("/Pg")
        if page is None or page.objgen not in drop:
            continue
        kids = _kids(node)
        kept = [k for k in kids if not (isinstance(k, int) and int(k) in drop[page.objgen])]
        if len(kept) != len(kids):
            _set_kids(node, kept)


def _lift_list_divs(root) -> None:
    for node, _ in _elements(root):
        if node.get("/S") != "/L":
            continue
        kids = []
        changed = False
        for kid in _kids(node):
            if isinstance(kid, Dictionary) and kid.get("/S") in ("/Div", "/NonStruct") and \
                    all(isinstance(k, Dictionary) and k.get("/S") == "/LI" for k in _kids(kid)):
                for item in _kids(kid):
                    item.P = node
                    kids.append(item)
                changed = True
            else:
                kids.append(kid)
        if changed:
            _set_kids(node, kids)


def _scope_headers(root) -> None:
    for node, parent in _elements(root):
        if node.get("/S") != "/TR":
            continue
        cells = [k for k in _kids(node) if isinstance(k, Dictionary) and "/S" in k]
        header_row = parent is not None and parent.get("/S") == "/THead" or \
            all(c.get("/S") == "/TH" for c in cells)
        for i, cell in enumerate(cells):
            if cell.get("/S") != "/TH":
                continue
            scope = Name.Column if header_row or i else Name.Row
            attributes = cell.get("/A")
            items = list(attributes) if isinstance(attributes, Array) else [attributes] if attributes else []
            table = next((a for a in items if isinstance(a, Dictionary) and a.get("/O") == "/Table"), None)
            if table is not None:
                table.Scope = scope
            else:
                cell.A = Array([*items, Dictionary(O=Name.Table, Scope=scope)]) if items else \
                    Dictionary(O=Name.Table, Scope=scope)


def _text_of(node, texts: dict[tuple[int, int], dict[int, str]], page=None) -> str:
    page = node.get("/Pg", page)
    out = []
    for kid in _kids(node):
        if isinstance(kid, int) and page is not None:
            out.append(texts.get(page.objgen, {}).get(int(kid), ""))
        elif isinstance(kid, Dictionary) and "/S" in kid:
            out.append(f" {_text_of(kid, texts, page)} ")  # an element is a word or more of its own
    return "".join(out)


def _mend_links(pdf, root, texts) -> None:
    links = [node for node, _ in _elements(root) if node.get("/S") == "/Link"]
    inner = {kid.objgen for node in links for kid in _kids(node)
             if isinstance(kid, Dictionary) and kid.get("/S") == "/Link"}
    for node in links:  # a Link in a Link: its content and annotations belong to the outer one
        if node.objgen in inner:
            continue
        flat = _flatten_links(node, node.get("/Pg"), node)
        flat += [objr for kid in flat if isinstance(kid, Dictionary) and "/S" in kid for objr in _pull_objrs(kid)]
        objrs = [k for k in flat if isinstance(k, Dictionary) and k.get("/Type") == "/OBJR"]
        if len(objrs) > 1:
            keep = objrs[0].Obj
            same_page = [o for o in objrs[1:] if o.get("/Pg", node.get("/Pg")) == objrs[0].get("/Pg", node.get("/Pg"))]
            x1, y1, x2, y2 = (float(v) for v in keep.Rect)
            for objr in same_page:
                r = [float(v) for v in objr.Obj.Rect]
                x1, y1, x2, y2 = min(x1, r[0], r[2]), min(y1, r[1], r[3]), max(x2, r[0], r[2]), max(y2, r[1], r[3])
                _remove_annotation(pdf, objr.Obj)
            keep.Rect = Array([x1, min(y1, y2), x2, max(y1, y2)])
            drop = {o.Obj.objgen for o in same_page}
            flat = [k for k in flat if not (isinstance(k, Dictionary) and k.get("/Type") == "/OBJR"
                                            and k.Obj.objgen in drop)]
        _set_kids(node, flat)
        label = " ".join(_text_of(node, texts).split())
        for objr in (k for k in flat if isinstance(k, Dictionary) and k.get("/Type") == "/OBJR"):
            if label:
                objr.Obj.Contents = pikepdf.String(label)


def _pull_objrs(element) -> list:
    """Link annotations WeasyPrint hangs on a Span inside the Link, taken out of it."""
    pulled, kept = [], []
    for kid in _kids(element):
        if isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR":
            pulled.append(kid)
        else:
            kept.append(kid)
            if isinstance(kid, Dictionary) and "/S" in kid:
                pulled += _pull_objrs(kid)
    if len(kept) != len(_kids(element)):
        _set_kids(element, kept)
    return pulled


def _flatten_links(node, page, outer) -> list:
    flat = []
    for kid in _kids(node):
        if isinstance(kid, Dictionary) and kid.get("/S") == "/Link":
            flat += _flatten_links(kid, kid.get("/Pg", page), outer)
        elif isinstance(kid, int) and node is not outer and page is not None and page != outer.get("/Pg"):
            flat.append(Dictionary(Type=Name.MCR, Pg=page, MCID=kid))
        else:
            flat.append(kid)
    return flat


def _remove_annotation(pdf, annotation) -> None:
    for page in pdf.pages:
        annots = page.get("/Annots")
        if annots is not None and any(a.objgen == annotation.objgen for a in annots):
            page.Annots = Array([a for a in annots if a.objgen != annotation.objgen])
            return


def mend(pdf) -> None:
    """Mend the structure of a tagged pikepdf ``pdf`` (see the module docstring)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    elements = _elements(root)
    refs = _mcid_refs(elements)
    fonts = _Fonts()
    texts = {page.objgen: _page_texts(page, fonts) for page in pdf.pages}
    drop = _leaders(elements, texts)
    for page in pdf.pages:
        artifacts: dict[int, Dictionary] = {}
        used = refs.get(page.objgen, set())
        for mcid in texts[page.objgen]:  # unused: running heads, and rules and images no element holds
            if mcid not in used:
                artifacts[mcid] = Dictionary(Type=Name.Pagination)
            elif mcid in drop.get(page.objgen, ()):
                artifacts[mcid] = Dictionary(Type=Name.Layout)
        if artifacts:
            _rewrite(pdf, page, artifacts)
    _drop_mcids(elements, drop)
    _lift_list_divs(root)
    _nest_lists(pdf, root)
    _scope_headers(root)
    _mend_links(pdf, root, texts)
    _parent_tree(pdf, root)


def _parent_tree(pdf, root) -> None:
    """The parent tree made from the structure tree as it is now (see the module docstring)."""
    mcids: dict[tuple[tuple[int, int], int], Dictionary] = {}
    annotations: dict[int, Dictionary] = {}
    for node, _ in _elements(root):
        page = node.get("/Pg")
        for kid in _kids(node):
            if isinstance(kid, int) and page is not None:
                mcids[page.objgen, int(kid)] = node
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR" and kid.get("/Pg", page) is not None:
                mcids[kid.get("/Pg", page).objgen, int(kid.MCID)] = node
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and "/StructParent" in kid.Obj:
                annotations[int(kid.Obj.StructParent)] = node
    null = pikepdf.Object.parse(b"null")
    highest: dict[tuple[int, int], int] = {}
    for objgen, mcid in mcids:
        highest[objgen] = max(mcid, highest.get(objgen, -1))
    nums = []
    for page in pdf.pages:
        if "/StructParents" in page:
            row = [mcids.get((page.objgen, mcid), null) for mcid in range(highest.get(page.objgen, -1) + 1)]
            nums.append((int(page.StructParents), Array(row)))
    nums += annotations.items()
    nums.sort(key=lambda pair: pair[0])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([v for pair in nums for v in pair])))
    root.ParentTreeNextKey = max((key for key, _ in nums), default=-1) + 1


def _nest_lists(pdf, root) -> None:
    """An L in an L: into the LBody of the item before it, or its items into the outer L."""
    lists = [node for node, _ in _elements(root) if _is(node, "/L")]
    while True:  # again for a column box of a column box, or a list nested in one
        nested = [node for node in lists if any(_is(kid, "/L") for kid in _kids(node))]
        if not nested:
            return
        for node in nested:
            _nest(pdf, node)


def _nest(pdf, node) -> None:
    kids: list = []
    for kid in _kids(node):
        item = kids[-1] if kids and _is(kids[-1], "/LI") else None
        if not _is(kid, "/L"):
            kids.append(kid)
        elif item is None:  # a column box of a list set in columns
            for grandchild in _kids(kid):
                if isinstance(grandchild, Dictionary) and "/S" in grandchild:
                    grandchild.P = node
                kids.append(grandchild)
        else:
            body = next((k for k in _kids(item) if _is(k, "/LBody")), None)
            if body is None:
                body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array()))
                _set_kids(item, [*_kids(item), body])
            kid.P = body
            _set_kids(body, [*_kids(body), kid])
    _set_kids(node, kids)


def _is(node, kind: str) -> bool:
    return isinstance(node, Dictionary) and node.get("/S") == kind


def _leaders(elements, texts) -> dict[tuple[int, int], set[int]]:
    """MCIDs of dot leaders: runs of at least three dots-only pieces of text in one element."""
    found: dict[tuple[int, int], set[int]] = {}
    for node, _ in elements:
        page = node.get("/Pg")
        if page is None:
            continue
        on_page = texts.get(page.objgen, {})
        run: list[int] = []
        for kid in [*_kids(node), None]:
            if isinstance(kid, int) and LEADER.match(on_page.get(int(kid), "")):
                run.append(int(kid))
                continue
            if len(run) >= 3:
                found.setdefault(page.objgen, set()).update(run)
            run = []
    return found
