"""Fonts in a joined PDF: one object per distinct font, one subset name per object.

Each workbook's fonts are subsets of the same fonts, and the six-letter tags its PDF
gives them repeat from one workbook to the next. The joiner writes each distinct
font once: ``font_digest`` is the digest of everything a font is made of (its
dictionaries, widths, ToUnicode map and program, without the tag), so two equal
fonts are one object, and ``subset_tag`` makes the tag from that digest, so two
different fonts never share a name. ``font_parts`` finds the objects below a font
that carry its name, and its program, which equal fonts of different maps share.
"""

from __future__ import annotations

import hashlib

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

_NAMES = ("/BaseFont", "/FontName")
_PROGRAMS = ("/FontFile2", "/FontFile", "/FontFile3")


def is_font(obj) -> bool:
    """A font dictionary a page names (not a descendant of one) with an embedded program."""
    return isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Font" \
        and obj.get("/Subtype") in ("/Type0", "/TrueType", "/Type1", "/MMType1")


def _untagged(name: str) -> str:
    return name[8:] if _is_subset(name) else name


def _is_subset(name: str) -> bool:
    return len(name) > 8 and name[7] == "+" and name[1:7].isalpha() and name[1:7].isupper()


def _canonical(obj, digest, depth: int = 0) -> None:
    """Feed ``obj`` (following references) into ``digest``, subset tags left out."""
    if isinstance(obj, IndirectObject):
        obj = obj.get_object()
    if depth > 8:
        raise ValueError("a font nested too deep")
    if isinstance(obj, StreamObject):  # its data, then its dictionary
        digest.update(b"stream%d:" % len(obj._data) + obj._data)
    if isinstance(obj, DictionaryObject):
        digest.update(b"<<")
        for key in sorted(obj):
            if key == "/Length":
                continue
            digest.update(key.encode() + b" ")
            value = obj.raw_get(key)
            if key in _NAMES:
                digest.update(_untagged(str(value)).encode())
            else:
                _canonical(value, digest, depth + 1)
        digest.update(b">>")
    elif isinstance(obj, ArrayObject):
        digest.update(b"[")
        for item in obj:
            _canonical(item, digest, depth + 1)
            digest.update(b" ")
        digest.update(b"]")
    else:
        digest.update(repr(obj).encode() + b"|")


def font_digest(font) -> bytes:
    """The digest of a font dictionary and everything below it, its subset tag left out."""
    digest = hashlib.sha256()
    _canonical(font, digest)
    return digest.digest()


def subset_tag(digest: bytes) -> str:
    """Six capital letters made from a font's digest."""
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def tagged(value, tag: str):
    """A subset font name (``/ABCDEF+Noto-Sans``) with ``tag`` in place of its own; other names as they are."""
    name = str(value)
    return NameObject(f"/{tag}{name[7:]}") if _is_subset(name) else value


def font_parts(font) -> tuple[list[int], IndirectObject | None]:
    """The object numbers below a font that carry its name (descendant font, descriptor),
    and the reference to its program."""
    parts: list[int] = []
    program = None
    queue = [font]
    for _ in range(4):  # Type 0 font -> CIDFont -> descriptor -> program
        if not queue:
            break
        obj = queue.pop()
        if "/DescendantFonts" in obj:
            kids = obj["/DescendantFonts"]
            kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
            for kid in kids:
                if isinstance(kid, IndirectObject):
                    parts.append(kid.idnum)
                queue.append(kid.get_object())
        reference = obj.raw_get("/FontDescriptor") if "/FontDescriptor" in obj else None
        if isinstance(reference, IndirectObject):
            parts.append(reference.idnum)
        if reference is not None:
            queue.append(reference.get_object())
        for key in _PROGRAMS:
            if isinstance(obj.raw_get(key) if key in obj else None, IndirectObject):
                program = obj.raw_get(key)
    return parts, program


def program_digest(program: IndirectObject) -> bytes:
    return hashlib.sha256(program.get_object()._data).digest()
