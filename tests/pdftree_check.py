"""Structure checks of the PDF/UA checker (see pdfua_check.py): the structure tree, the
parent tree and the file agree, so that no element is out of a reader's reach.

- ST-01  The parent tree names a structure element the structure tree does not hold
         (unreachable from the StructTreeRoot).
- ST-02  The file holds a structure element (/Type /StructElem) the tree does not.
- ST-03  A structure element's /P is not the element (or the root) that holds it.
- ST-04  The parent tree disagrees with the tree: a page's array does not give, for an
         MCID an element holds (directly with the element's /Pg, or by an MCR with its
         own), that element, or gives an element for an MCID no element holds; or an
         annotation's /StructParent does not give the element holding its OBJR.
"""

from __future__ import annotations

import pikepdf


def tree(pdf: pikepdf.Pdf, elements) -> list[tuple[str, str]]:
    """ST-01 .. ST-04 for ``elements``, the tree's elements (pdfua_check.structure)."""
    failures = []
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return failures
    held = {e.obj.objgen: e for e in elements}
    by_content: dict[tuple, tuple[int, int]] = {}
    for e in elements:
        for item in e.held:
            by_content[item] = e.obj.objgen
    lost = set()
    for e in elements:
        expected = e.parent.obj.objgen if e.parent else root.objgen
        parent = e.obj.get("/P")
        if parent is None or parent.objgen != expected:
            lost.add(e.obj.objgen)
    if lost:
        failures.append(("ST-03", f"{len(lost)} structure elements whose /P is not the element holding them"))
    tree = dict(_number_tree(root.get("/ParentTree")))
    named = [v for value in tree.values()
             for v in (value if isinstance(value, pikepdf.Array) else [value]) if isinstance(v, pikepdf.Dictionary)]
    unreachable = {v.objgen for v in named if v.objgen not in held}
    if unreachable:
        kinds = sorted({str(pdf.get_object(o).get("/S")) for o in unreachable})
        failures.append(("ST-01", f"the parent tree names {len(unreachable)} structure elements the tree "
                                         f"does not hold ({', '.join(kinds)})"))
    stray = {o.objgen for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
             and o.get("/Type") == "/StructElem" and o.objgen not in held}
    if stray:
        failures.append(("ST-02", f"{len(stray)} structure elements in the file are not in the tree"))
    on_page: dict[tuple[int, int], set[int]] = {}
    for target, mcid in by_content:
        if target != "annot":
            on_page.setdefault(target, set()).add(mcid)
    wrong = 0
    for page in pdf.pages:
        entries = tree.get(int(page.StructParents)) if "/StructParents" in page else None
        entries = entries if isinstance(entries, pikepdf.Array) else []
        for mcid, entry in enumerate(entries):
            owner = entry.objgen if isinstance(entry, pikepdf.Dictionary) else None
            if owner != by_content.get((page.objgen, mcid)):
                wrong += 1
        wrong += sum(1 for mcid in on_page.get(page.objgen, ()) if mcid >= len(entries))
        for annot in page.get("/Annots", []):
            owner = by_content.get(("annot", annot.objgen))
            key = annot.get("/StructParent")
            entry = tree.get(int(key)) if key is not None else None
            if owner is not None and (not isinstance(entry, pikepdf.Dictionary) or entry.objgen != owner):
                wrong += 1
    if wrong:
        failures.append(("ST-04", f"{wrong} parent tree entries disagree with the structure tree"))
    return failures


def _number_tree(node):
    """Every (key, value) of a number tree."""
    if node is None:
        return
    nums = node.get("/Nums")
    for i in range(0, len(nums) - 1 if nums is not None else 0, 2):
        yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)
