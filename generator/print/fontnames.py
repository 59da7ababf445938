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

from pikepdf import Array, Dictionary, Name, Object, Stream

_NAMES = ("/BaseFont", "/FontName")
_PROGRAMS = ("/FontFile2", "/FontFile", "/FontFile3")


def is_font(obj) -> bool:
    """A font dictionary a page names (not a descendant of one) with an embedded program."""
    return isinstance(obj, Dictionary) and obj.get("/Type") == "/Font" \
        and str(obj.get("/Subtype")) in ("/Type0", "/TrueType", "/Type1", "/MMType1")


def untagged(name: str) -> str:
    """A font's name without its subset tag (``/ABCDEF+Noto-Sans``: ``Noto-Sans``)."""
    return name[8:] if is_subset(name) else name


def is_subset(name: str) -> bool:
    """A font name with a subset tag: a slash, six capital letters and a plus sign before the name."""
    return len(name) > 8 and name[7] == "+" and name[1:7].isalpha() and name[1:7].isupper()


def _canonical(obj, digest, depth: int = 0) -> None:
    """Feed ``obj`` (following references) into ``digest``, subset tags left out."""
    if depth > 8:
        raise ValueError("a font nested too deep")
    is_stream = isinstance(obj, Stream)
    if is_stream:  # its data, then its dictionary
        data = obj.read_raw_bytes()
        digest.update(b"stream%d:" % len(data) + data)
    if is_stream or isinstance(obj, Dictionary):
        digest.update(b"<<")
        for key in sorted(obj.keys()):
            if key == "/Length":
                continue
            digest.update(key.encode() + b" ")
            value = obj[key]
            if key in _NAMES:
                digest.update(untagged(str(value)).encode())
            else:
                _canonical(value, digest, depth + 1)
        digest.update(b">>")
    elif isinstance(obj, Array):
        digest.update(b"[")
        for item in obj:
            _canonical(item, digest, depth + 1)
            digest.update(b" ")
        digest.update(b"]")
    elif isinstance(obj, Object):  # a name or a string
        digest.update(obj.unparse() + b"|")
    else:  # a number, a boolean or null
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
    return Name(f"/{tag}{name[7:]}") if is_subset(name) else value


def is_indirect(obj) -> bool:
    """A reference to an object of the PDF (not a direct value, nor a Python number)."""
    return isinstance(obj, Object) and obj.is_indirect


def font_parts(font) -> tuple[list[int], Object | None]:
    """The object numbers below a font that carry its name (descendant font, descriptor),
    and its program (an indirect stream)."""
    parts: list[int] = []
    program = None
    queue = [font]
    for _ in range(4):  # Type 0 font -> CIDFont -> descriptor -> program
        if not queue:
            break
        obj = queue.pop()
        for kid in obj.get("/DescendantFonts") or []:
            if is_indirect(kid):
                parts.append(kid.objgen[0])
            queue.append(kid)
        descriptor = obj.get("/FontDescriptor")
        if is_indirect(descriptor):
            parts.append(descriptor.objgen[0])
        if descriptor is not None:
            queue.append(descriptor)
        for key in _PROGRAMS:
            if is_indirect(obj.get(key)):
                program = obj.get(key)
    return parts, program


def program_digest(program: Object) -> bytes:
    return hashlib.sha256(program.read_raw_bytes()).digest()
