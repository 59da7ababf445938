"""The structure WeasyPrint tags, mended for PDF/UA-1 as the PDF is written.

``mend(document, pdf)`` is a WeasyPrint finisher (see ua.write_pdf): it works on the
objects WeasyPrint made (pydyf dictionaries, arrays and the operators of each page's
content stream, not yet serialised), so nothing is parsed or written twice.

- Running headers and footers: WeasyPrint marks their text with MCIDs that no
  structure element uses; they become pagination artifacts (the marked-content
  operators are rewritten in the page's operator list).
- Contents leaders (the dots of ``leader(". ")``) become layout artifacts, so a
  screen reader does not spell them out. Text is read only for the marked content
  of links, where leaders and link labels are.
- Lists: the Div WeasyPrint puts between an L and its LI is taken out; a list nested
  in an item (which WeasyPrint hangs on the outer list) goes into the item's LBody.
- Table headers get a Scope: Column in a header row, Row at the start of a body row.
- Links: a Link inside a Link is merged into it, each Link keeps one annotation (its
  rectangles joined) and the annotation's /Contents is the link's text.
- The parent tree is made again from the mended tree: each page's array lists the
  element of every MCID still in it (null for the ones now artifacts), so it names
  no element the tree does not hold; the elements WeasyPrint made for the running
  heads, held by nothing, are emptied.
"""

from __future__ import annotations

import re

import pydyf

from .tagtree import PdfObjects, StructTree, empty_strays, is_element, is_kind, is_objr, parent_tree

LEADER = re.compile(r"^[\s\u00a0]*\.[.\s\u00a0]*$")  # one piece of a dot leader
_GLYPHS = re.compile(rb"<([0-9a-fA-F]*)>")


def _mcid_refs(tree: StructTree, elements) -> dict[int, set[int]]:
    refs: dict[int, set[int]] = {}
    for node, _ in elements:
        page = tree.page_of(node)
        for kid in tree.kids(node):
            if isinstance(kid, int) and page is not None:
                refs.setdefault(page, set()).add(kid)
            elif isinstance(kid, dict) and kid.get("Type") == "/MCR":
                target = tree.page_of(kid, page)
                if target is not None:
                    refs.setdefault(target, set()).add(int(kid["MCID"]))
    return refs


def _marks(operators: list) -> dict[int, int]:
    """MCID -> the index of its property list in a page's operator list."""
    return {item["MCID"]: i for i, item in enumerate(operators)
            if isinstance(item, pydyf.Dictionary) and "MCID" in item}


def _texts(operators: list, wanted: set[int], fonts: dict) -> dict[int, str]:
    """The text of the MCIDs in ``wanted`` on one page (decoded with WeasyPrint's own
    glyph -> text maps of the fonts it drew with)."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []
    font = None
    for i, item in enumerate(operators):
        if isinstance(item, pydyf.Dictionary):
            continue
        if isinstance(item, str) or not isinstance(item, bytes):
            continue
        if item == b"BDC":
            props = operators[i - 1]
            mcid = props.get("MCID") if isinstance(props, dict) else None
            stack.append(mcid if mcid in wanted else None)
            if stack[-1] is not None:
                texts.setdefault(mcid, "")
        elif item == b"BMC":
            stack.append(None)
        elif item == b"EMC":
            if stack:
                stack.pop()
        elif item.endswith(b" Tf"):
            font = fonts.get(item.split()[0][1:].decode("latin-1"))
        elif item.endswith(b"TJ") and stack and stack[-1] is not None and font is not None:
            mapping = font.to_unicode
            codes = b"".join(_GLYPHS.findall(item))
            texts[stack[-1]] += "".join(mapping.get(int(codes[j:j + 4], 16), "")
                                        for j in range(0, len(codes) - 3, 4))
    return texts


def _link_mcids(tree: StructTree, elements) -> dict[int, set[int]]:
    """The MCIDs held by Link elements (or inside them), by page: the only text read."""
    wanted: dict[int, set[int]] = {}

    def collect(node, page):
        page = tree.page_of(node, page)
        for kid in tree.kids(node):
            if isinstance(kid, int) and page is not None:
                wanted.setdefault(page, set()).add(kid)
            elif is_element(kid):
                collect(kid, page)

    for node, parent in elements:
        if is_kind(node, "/Link") and not is_kind(parent, "/Link"):
            collect(node, None)
    return wanted


def _leaders(tree: StructTree, elements, texts: dict[int, dict[int, str]]) -> dict[int, set[int]]:
    """MCIDs of dot leaders: runs of at least three dots-only pieces of text in one element."""
    found: dict[int, set[int]] = {}
    for node, _ in elements:
        page = tree.page_of(node)
        if page is None or page not in texts:
            continue
        on_page = texts[page]
        run: list[int] = []
        for kid in [*tree.kids(node), None]:
            if isinstance(kid, int) and LEADER.match(on_page.get(kid, "")):
                run.append(kid)
                continue
            if len(run) >= 3:
                found.setdefault(page, set()).update(run)
            run = []
    return found


def _artifacts(doc: PdfObjects, refs: dict[int, set[int]], leaders: dict[int, set[int]]) -> None:
    """Unused MCIDs become pagination artifacts, leaders layout artifacts, in place."""
    for index in range(len(doc.page_refs)):
        operators = doc.operators(index)
        used, dots = refs.get(index, set()), leaders.get(index, set())
        for mcid, at in _marks(operators).items():
            if mcid not in used:
                kind = "/Pagination"
            elif mcid in dots:
                kind = "/Layout"
            else:
                continue
            operators[at - 1] = "/Artifact"
            operators[at] = pydyf.Dictionary({"Type": kind})


def _drop_mcids(tree: StructTree, elements, drop: dict[int, set[int]]) -> None:
    for node, _ in elements:
        page = tree.page_of(node)
        if page is None or page not in drop:
            continue
        kids = tree.kids(node)
        kept = [k for k in kids if not (isinstance(k, int) and k in drop[page])]
        if len(kept) != len(kids):
            tree.set_kids(node, kept)


def _lift_list_divs(tree: StructTree, elements) -> None:
    """A Div (a dt/dd group) between an L and its items: its items go into the L."""
    for node, _ in elements:
        if not is_kind(node, "/L"):
            continue
        kids, changed = [], False
        for kid in tree.kids(node):
            if isinstance(kid, dict) and kid.get("S") in ("/Div", "/NonStruct") and \
                    all(is_kind(k, "/LI") for k in tree.kids(kid)):
                for item in tree.kids(kid):
                    item["P"] = node.reference
                    kids.append(item)
                kid.clear()  # held by nothing now
                changed = True
            else:
                kids.append(kid)
        if changed:
            tree.set_kids(node, kids)


def _nest_lists(tree: StructTree, elements) -> None:
    """An L in an L: into the LBody of the item before it (or its items into the outer L);
    again while one is left (a list nested in a nested list)."""
    lists = [node for node, _ in elements if is_kind(node, "/L")]
    for _ in range(32):
        nested = [node for node in lists if is_kind(node, "/L") and any(is_kind(k, "/L") for k in tree.kids(node))]
        if not nested:
            return
        for node in nested:
            _nest(tree, node)


def _nest(tree: StructTree, node) -> None:
    kids: list = []
    for kid in tree.kids(node):
        item = kids[-1] if kids and is_kind(kids[-1], "/LI") else None
        if not is_kind(kid, "/L"):
            kids.append(kid)
        elif item is None:  # no item to hold it: its items join the outer list
            for grandchild in tree.kids(kid):
                if is_element(grandchild):
                    grandchild["P"] = node.reference
                kids.append(grandchild)
            kid.clear()
        else:
            body = next((k for k in tree.kids(item) if is_kind(k, "/LBody")), None)
            if body is None:
                body = tree.doc.add(pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody",
                                                      "P": item.reference, "K": pydyf.Array()}))
                tree.set_kids(item, [*tree.kids(item), body])
            kid["P"] = body.reference
            tree.set_kids(body, [*tree.kids(body), kid])
    tree.set_kids(node, kids)


def _scope_headers(tree: StructTree, elements) -> None:
    for node, parent in elements:
        if not is_kind(node, "/TR"):
            continue
        cells = [k for k in tree.kids(node) if is_element(k)]
        header_row = is_kind(parent, "/THead") or all(is_kind(c, "/TH") for c in cells)
        for i, cell in enumerate(cells):
            if not is_kind(cell, "/TH"):
                continue
            scope = "/Column" if header_row or i else "/Row"
            attributes = tree.doc.get(cell.get("A"))
            items = list(attributes) if isinstance(attributes, list) else [attributes] if attributes else []
            items = [tree.doc.get(a) for a in items]
            table = next((a for a in items if isinstance(a, dict) and a.get("O") == "/Table"), None)
            if table is not None:
                table["Scope"] = scope
            else:
                extra = pydyf.Dictionary({"O": "/Table", "Scope": scope})
                cell["A"] = pydyf.Array([*(tree.ref(a) for a in items), extra]) if items else extra


def _text_of(tree: StructTree, node, texts: dict[int, dict[int, str]], page=None) -> str:
    page = tree.page_of(node, page)
    out = []
    for kid in tree.kids(node):
        if isinstance(kid, int) and page is not None:
            out.append(texts.get(page, {}).get(kid, ""))
        elif is_element(kid):
            out.append(f" {_text_of(tree, kid, texts, page)} ")  # an element is a word or more of its own
    return "".join(out)


def _mend_links(tree: StructTree, elements, texts) -> None:
    links = [node for node, _ in elements if is_kind(node, "/Link")]  # an emptied one is no longer a Link
    inner = {id(kid) for node in links for kid in tree.kids(node) if is_kind(kid, "/Link")}
    for node in links:  # a Link in a Link: its content and annotations belong to the outer one
        if id(node) in inner:
            continue
        flat = _flatten_links(tree, node, tree.page_of(node), node)
        flat += [objr for kid in flat if is_element(kid) for objr in _pull_objrs(tree, kid)]
        objrs = [k for k in flat if is_objr(k)]
        if len(objrs) > 1:
            home = tree.page_of(node)
            first_page = tree.page_of(objrs[0], home)
            keep = tree.doc.get(objrs[0]["Obj"])
            same_page = [o for o in objrs[1:] if tree.page_of(o, home) == first_page]
            x1, y1, x2, y2 = (float(v) for v in keep["Rect"])
            for objr in same_page:
                annotation = tree.doc.get(objr["Obj"])
                r = [float(v) for v in annotation["Rect"]]
                x1, y1, x2, y2 = min(x1, r[0], r[2]), min(y1, r[1], r[3]), max(x2, r[0], r[2]), max(y2, r[1], r[3])
                _remove_annotation(tree.doc, first_page, annotation)
                objr.clear()
            keep["Rect"] = pydyf.Array([x1, min(y1, y2), x2, max(y1, y2)])
            flat = [k for k in flat if not (isinstance(k, dict) and not k)]
        tree.set_kids(node, flat)
        label = " ".join(_text_of(tree, node, texts).split())
        for objr in (k for k in flat if is_objr(k)):
            if label:
                tree.doc.get(objr["Obj"])["Contents"] = pydyf.String(label)


def _pull_objrs(tree: StructTree, element) -> list:
    """Link annotations WeasyPrint hangs on a Span inside the Link, taken out of it."""
    pulled, kept = [], []
    kids = tree.kids(element)
    for kid in kids:
        if is_objr(kid):
            pulled.append(kid)
        else:
            kept.append(kid)
            if is_element(kid):
                pulled += _pull_objrs(tree, kid)
    if len(kept) != len(kids):
        tree.set_kids(element, kept)
    return pulled


def _flatten_links(tree: StructTree, node, page, outer) -> list:
    flat = []
    for kid in tree.kids(node):
        if is_kind(kid, "/Link"):
            flat += _flatten_links(tree, kid, tree.page_of(kid, page), outer)
            kid.clear()  # its content now hangs on the outer link
        elif isinstance(kid, int) and node is not outer and page is not None and page != tree.page_of(outer):
            flat.append(pydyf.Dictionary({"Type": "/MCR", "Pg": tree.doc.page_refs[page], "MCID": kid}))
        else:
            if is_element(kid) and node is not outer:
                kid["P"] = outer.reference
            flat.append(kid)
    return flat


def _remove_annotation(doc: PdfObjects, page: int | None, annotation) -> None:
    pages = [page] if page is not None else range(len(doc.page_refs))
    for index in pages:
        annots = doc.get(doc.page(index).get("Annots"))
        if annots is not None and annotation.reference in annots:
            annots.remove(annotation.reference)
            annotation.clear()
            return


def mend(document, pdf) -> None:
    """Mend the structure of the tagged PDF WeasyPrint is writing (a finisher; see the module docstring)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    doc = PdfObjects(pdf)
    tree = StructTree(doc)
    elements = tree.elements()
    refs = _mcid_refs(tree, elements)
    fonts = {font.hash: font for font in document.fonts.values()}
    wanted = _link_mcids(tree, elements)
    texts = {page: _texts(doc.operators(page), mcids, fonts) for page, mcids in wanted.items()}
    leaders = _leaders(tree, elements, texts)
    _artifacts(doc, refs, leaders)
    _drop_mcids(tree, elements, leaders)
    _lift_list_divs(tree, elements)
    _nest_lists(tree, elements)  # the elements below keep their parents, or are emptied
    _scope_headers(tree, elements)
    _mend_links(tree, elements, texts)
    empty_strays(doc, parent_tree(tree))


