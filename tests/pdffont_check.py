"""Font checks of the PDF/UA checker (see pdfua_check.py): what a reader needs to turn
the glyphs of a PDF back into text, and a file that names each font once.

- FN-01  A subset name (ABCDEF+Name) is on more than one font object: two font
         dictionaries, or two font descriptors, that are not one object share it.
- FN-02  One font program is stored twice: two font file streams hold the same bytes.
- FN-03  A glyph is shown whose code the font's ToUnicode map does not turn into text
         (no entry, or an empty one, U+0000 or U+FFFD), or a Type 0 font shows text and
         has no ToUnicode map. Text is looked for on every page, in the form XObjects
         they draw and in the appearance streams of annotations.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array

import pikepdf

Shown = dict  # font objgen -> (font, list of the strings shown with it)
TEXT = {"Tj", "TJ", "'", '"'}
_SUBSET = re.compile(r"^/[A-Z]{6}\+")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])")
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")


def shown_text(shown: Shown, font, operands, op: str) -> None:
    """Add the strings a text-showing operator shows with ``font`` to ``shown``."""
    if font is None or not isinstance(font, pikepdf.Dictionary):
        return
    strings = shown.setdefault(font.objgen, (font, []))[1]
    for part in operands[0] if op == "TJ" else [operands[-1]]:
        if isinstance(part, pikepdf.String):
            strings.append(bytes(part))


def _codes(font, strings: list[bytes]) -> set[int]:
    """The character codes in ``strings``: two bytes each in a Type 0 font, else one."""
    if font.get("/Subtype") != "/Type0":
        return set(b"".join(strings))
    codes = array("H")
    for data in strings:
        codes.frombytes(data[:len(data) // 2 * 2])
    if sys.byteorder == "little":
        codes.byteswap()
    return set(codes)


def _stream_text(stream, resources, shown: Shown, seen: set) -> None:
    """Codes shown in a content stream, and in the form XObjects it draws."""
    if stream.objgen in seen and stream.objgen != (0, 0):
        return
    seen.add(stream.objgen)
    resources = stream.get("/Resources", resources) if isinstance(stream, pikepdf.Stream) else resources
    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    font, saved = None, []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op == "q":
            saved.append(font)
        elif op == "Q":
            font = saved.pop() if saved else font
        elif op in TEXT:
            shown_text(shown, font, operands, op)
        elif op == "Do":
            target = xobjects.get(str(operands[0]))
            if isinstance(target, pikepdf.Stream) and target.get("/Subtype") == "/Form":
                _stream_text(target, resources, shown, seen)


def _unicode_map(font) -> dict[int, str] | None:
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return None
    data = stream.read_bytes()
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in _BFRANGE.findall(block):
            codes = range(int(low, 16), int(high, 16) + 1)
            if target.startswith(b"["):
                texts = [bytes.fromhex(t.decode()).decode("utf-16-be", "replace") for t in _HEX.findall(target)]
                mapping.update(zip(codes, texts, strict=False))
            else:
                first = bytes.fromhex(target[1:-1].decode())
                for offset, code in enumerate(codes):
                    value = (int.from_bytes(first, "big") + offset).to_bytes(len(first), "big")
                    mapping[code] = value.decode("utf-16-be", "replace")
    return mapping


def _mapped(text: str | None) -> bool:
    return bool(text) and not any(c in "\x00\ufffd" for c in text)


def fonts(pdf: pikepdf.Pdf, shown: Shown) -> list[tuple[str, str]]:
    """FN-01 .. FN-03 over the whole file; ``shown``: the codes pages show (see shown_text)."""
    failures = []
    names: dict[str, set] = {}
    programs: dict[bytes, set] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if obj.get("/Type") == "/Font" and obj.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            names.setdefault("font " + str(obj.get("/BaseFont")), set()).add(obj.objgen)
        elif obj.get("/Type") == "/FontDescriptor":
            names.setdefault("descriptor " + str(obj.get("/FontName")), set()).add(obj.objgen)
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if isinstance(obj.get(key), pikepdf.Stream):
                    programs.setdefault(hashlib.sha256(obj[key].read_bytes()).digest(), set()).add(obj[key].objgen)
    for name, objects in sorted(names.items()):
        if len(objects) > 1 and _SUBSET.match(name.split(" ", 1)[1]):
            failures.append(("FN-01", f"the subset name {name} is on {len(objects)} objects"))
    twice = sum(len(objects) - 1 for objects in programs.values() if len(objects) > 1)
    if twice:
        failures.append(("FN-02", f"{twice} font programs are stored again in other streams"))
    seen: set = set()
    for page in pdf.pages:
        resources = page.get("/Resources")
        for xobject in (resources.get("/XObject", {}) if resources is not None else {}).values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                _stream_text(xobject, resources, shown, seen)
        for annot in page.get("/Annots", []):
            appearances = annot.get("/AP", {}).get("/N")
            states = [appearances] if isinstance(appearances, pikepdf.Stream) else \
                list(appearances.values()) if isinstance(appearances, pikepdf.Dictionary) else []
            for stream in states:
                if isinstance(stream, pikepdf.Stream):
                    _stream_text(stream, None, shown, seen)
    for font, strings in shown.values():
        codes = _codes(font, strings)
        mapping = _unicode_map(font)
        if mapping is None:
            if font.get("/Subtype") == "/Type0" and codes:
                failures.append(("FN-03", f"font {font.get('/BaseFont')} shows text and has no ToUnicode"))
            continue
        missing = sorted(code for code in codes if not _mapped(mapping.get(code)))
        if missing:
            sample = ", ".join(f"{code:04X}" for code in missing[:8])
            failures.append(("FN-03", f"font {font.get('/BaseFont')}: {len(missing)} glyphs shown without "
                                      f"Unicode text ({sample})"))
    return failures
