"""The objects of a tagged PDF as WeasyPrint makes them (pydyf), for the finishers that
mend them as they are written (tags.py): references, pages and their operator lists,
the structure tree, the parent tree made again from it, and the names that must differ
between the PDFs of one workbook's parts (stitch.py).
"""

from __future__ import annotations

import hashlib

import pydyf

NULL = "null"


class PdfObjects:
    """Lookups on the objects of a pydyf PDF: references, pages and their operator lists."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.objects = pdf.objects
        self.page_refs = list(pdf.page_references)
        self.page_index = {ref: i for i, ref in enumerate(self.page_refs)}

    def get(self, value):
        if isinstance(value, bytes) and value.endswith(b" 0 R"):
            return self.objects[int(value[:-4])]
        return value

    def page(self, index: int):
        return self.get(self.page_refs[index])

    def operators(self, index: int) -> list:
        return self.get(self.page(index)["Contents"]).stream

    def add(self, obj):
        self.pdf.add_object(obj)
        return obj


def is_kind(node, kind: str) -> bool:
    return isinstance(node, dict) and node.get("S") == kind


def is_element(node) -> bool:
    return isinstance(node, dict) and "S" in node


class StructTree:
    """The structure elements of a PDF, with the page of each and what holds it."""

    def __init__(self, doc: PdfObjects):
        self.doc = doc
        self.root = doc.get(doc.pdf.catalog["StructTreeRoot"])

    def kids(self, node) -> list:
        kids = node.get("K")
        if kids is None:
            return []
        items = kids if isinstance(kids, list) else [kids]
        return [self.doc.get(k) for k in items]

    def set_kids(self, node, kids: list) -> None:
        node["K"] = pydyf.Array([self.ref(k) for k in kids])

    @staticmethod
    def ref(node):
        """How ``node`` is held in an array: its reference if it is an object of the file."""
        return node.reference if isinstance(node, pydyf.Object) and node.number is not None else node

    def page_of(self, node, default=None):
        page = node.get("Pg")
        return self.doc.page_index.get(page, default) if page is not None else default

    def elements(self) -> list[tuple]:
        found = []

        def walk(node, parent):
            found.append((node, parent))
            for kid in self.kids(node):
                if is_element(kid):
                    walk(kid, node)

        for top in self.kids(self.root):
            if is_element(top):
                walk(top, None)
        return found


def is_objr(node) -> bool:
    return isinstance(node, dict) and node.get("Type") == "/OBJR"


def parent_tree(tree: StructTree) -> set[int]:
    """The parent tree made from the structure tree as it is now (see the module docstring);
    the ids of the elements the tree holds."""
    doc = tree.doc
    mcids: dict[tuple[int, int], object] = {}
    annotations: dict[int, object] = {}
    held: set[int] = set()
    for node, _ in tree.elements():
        held.add(id(node))
        page = tree.page_of(node)
        for kid in tree.kids(node):
            if isinstance(kid, int) and page is not None:
                mcids[page, kid] = node
            elif isinstance(kid, dict) and kid.get("Type") == "/MCR" and tree.page_of(kid, page) is not None:
                mcids[tree.page_of(kid, page), int(kid["MCID"])] = node
            elif is_objr(kid):
                held.add(id(kid))
                annotation = doc.get(kid["Obj"])
                if "StructParent" in annotation:
                    annotations[int(annotation["StructParent"])] = node
    highest: dict[int, int] = {}
    for page, mcid in mcids:
        highest[page] = max(mcid, highest.get(page, -1))
    nums = []
    for index in range(len(doc.page_refs)):
        page = doc.page(index)
        if "StructParents" in page:
            row = [mcids[index, m].reference if (index, m) in mcids else NULL
                   for m in range(highest.get(index, -1) + 1)]
            nums.append((int(page["StructParents"]), pydyf.Array(row)))
    nums += [(key, node.reference) for key, node in annotations.items()]
    nums.sort(key=lambda pair: pair[0])
    parent_tree = doc.get(tree.root["ParentTree"])
    parent_tree.clear()
    parent_tree["Nums"] = pydyf.Array([v for pair in nums for v in pair])
    tree.root["ParentTreeNextKey"] = max((key for key, _ in nums), default=-1) + 1
    return held


def empty_strays(doc: PdfObjects, held: set[int]) -> None:
    """Elements (and their object references) no part of the tree holds any more: WeasyPrint's
    elements for the running heads, and the ones merged away. Emptied, so no reader finds them."""
    for obj in doc.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") in ("/StructElem", "/OBJR") and id(obj) not in held:
            obj.clear()


def rename_apart(pdf, number: int) -> None:
    """Names that must differ between the PDFs of one workbook's parts (stitch.py), given
    by part ``number``: its font subsets' tags (another part's subset of the same font has
    other glyphs) and its table header ids."""
    def retag(name: bytes) -> bytes:
        if len(name) < 8 or name[7:8] != b"+":
            return name
        seed = hashlib.sha256(name[1:7] + b"%d" % number).digest()
        return b"/" + bytes(65 + byte % 26 for byte in seed[:6]) + name[7:]

    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary):
            continue
        if obj.get("Type") in ("/Font", "/FontDescriptor"):
            for key in ("BaseFont", "FontName"):
                if isinstance(obj.get(key), bytes):
                    obj[key] = retag(obj[key])
        elif obj.get("Type") == "/StructElem" and obj.get("S") in ("/TH", "/TD"):
            if isinstance(obj.get("ID"), pydyf.String):
                obj["ID"] = pydyf.String(f"p{number}-{obj['ID'].string}")
            attributes = obj.get("A")
            if isinstance(attributes, dict) and isinstance(attributes.get("Headers"), list):
                attributes["Headers"] = pydyf.Array(
                    [pydyf.String(f"p{number}-{h.string}") if isinstance(h, pydyf.String) else h
                     for h in attributes["Headers"]])
