"""Subset font names in a joined PDF, tagged from the font program itself.

Each workbook's fonts are subsets of the same fonts, and the six-letter tags its PDF
gives them repeat from one workbook to the next; in a joined file two different
programs would then share a name. ``subset_name`` makes the tag from the program's
own bytes, so equal names mean equal programs.
"""

from __future__ import annotations

import hashlib

from pypdf.generic import NameObject


def font_program(obj) -> bytes | None:
    """The embedded font file of a font or font descriptor dictionary, as stored."""
    for _ in range(3):  # Type 0 font -> CIDFont -> descriptor
        if obj is None:
            return None
        for key in ("/FontFile2", "/FontFile", "/FontFile3"):
            if key in obj:
                return obj[key].get_object()._data
        if "/FontDescriptor" in obj:
            obj = obj["/FontDescriptor"].get_object()
        elif "/DescendantFonts" in obj:
            obj = obj["/DescendantFonts"].get_object()[0].get_object()
        else:
            return None
    return None


def subset_name(value, obj):
    """A subset font's name (``value``, of font dictionary ``obj``) with its six-letter tag
    made from its font program; other names as they are."""
    name = str(value)
    if len(name) < 8 or name[7] != "+" or not name[1:7].isalpha() or not name[1:7].isupper():
        return value
    program = font_program(obj)
    if program is None:
        return value
    digest = hashlib.sha256(program).digest()
    tag = "".join(chr(ord("A") + byte % 26) for byte in digest[:6])
    return NameObject(f"/{tag}{name[7:]}")
