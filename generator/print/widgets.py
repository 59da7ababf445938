"""Form fields that work in real PDF readers, fixed after WeasyPrint writes the PDF.

WeasyPrint writes each radio button as a field of its own (own /T, /FT and /TU, listed
in /AcroForm /Fields beside its group) and gives text fields no appearance, only
``NeedAppearances``. Readers then lose ticked choices between sittings, and printing or
flattening shows empty fields. ``fix_forms`` rewrites the form as ISO 32000 describes it:

- a radio group is one field; its buttons are widgets without /T, /FT, /TU or /Ff,
  only the group is in /Fields, each button's "on" state is named after the choice it
  stands for, the group's /V is the ticked one and its /TU is the question;
- every widget has an appearance stream (/AP): text fields show their value in the
  form font, sized to fit the box; radio buttons also get an "Off" appearance;
- a check box's "on" state is ``/Yes`` (the name ISO 32000 recommends), with an "Off"
  appearance drawn too, and its /V follows its /AS, so it can be unticked;
- the form font (Noto Sans, cut to Latin, Greek and Cyrillic, shipped in content/fonts)
  is embedded whole, so a reader can show any name typed into a field with it; the
  copy WeasyPrint embedded for the fields (see fonts.form_font_css) becomes this one,
  so the file holds the font once.
"""

from __future__ import annotations

import functools
import re

from msgspec import Struct

from ..base.paths import FONTS_DIR
from ..core.fonts import FORM_FILE

FORM_FONT = FONTS_DIR / FORM_FILE
FONT_KEY = "/MbForm"  # the font's name in /AcroForm /DR and in the fields' /DA
RADIO = 1 << 15
PUSH_BUTTON = 1 << 16
CHECKED = "/Yes"  # the "on" state of a check box
MULTILINE = 1 << 12
MAX_SIZE = 10.0  # pt; field text is never larger than this
MIN_SIZE = 5.0
PADDING = 2.0
_STATE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
_COLOUR = re.compile(r"([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+rg")
_FONT = re.compile(r"/([^\s/]+)\s+[\d.]+\s+Tf")


class FormFont(Struct, frozen=True):
    """Widths and glyph ids of the form font, read once."""

    data: bytes
    units: int
    cmap: dict[int, int]  # code point -> glyph id
    widths: tuple[int, ...]  # per glyph id, in 1/1000 em
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    name: str

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.cmap.get(ord(c), 0)] for c in text) * size / 1000

    def encode(self, text: str) -> bytes:
        return b"".join(self.cmap.get(ord(c), 0).to_bytes(2, "big") for c in text)


@functools.cache
def form_font() -> FormFont:
    from fontTools.ttLib import TTFont

    data = FORM_FONT.read_bytes()
    import io

    font = TTFont(io.BytesIO(data))
    units = font["head"].unitsPerEm
    order = font.getGlyphOrder()
    ids = {name: i for i, name in enumerate(order)}
    cmap = {code: ids[name] for code, name in font.getBestCmap().items()}
    metrics = font["hmtx"].metrics
    widths = tuple(round(metrics[name][0] * 1000 / units) for name in order)
    scale = 1000 / units
    head, hhea = font["head"], font["hhea"]
    return FormFont(
        data=data, units=units, cmap=cmap, widths=widths,
        ascent=round(hhea.ascent * scale), descent=round(hhea.descent * scale),
        cap_height=round(getattr(font["OS/2"], "sCapHeight", 700) * scale),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        name=font["name"].getDebugName(6) or "NotoSans-Regular",
    )


def _font_object(pdf):
    """The form font as a Type 0 font (Identity-H, glyph ids as codes) in ``pdf``."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    font = form_font()
    file = pikepdf.Stream(pdf, font.data)
    file["/Length1"] = len(font.data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/" + font.name), Flags=32,
        FontBBox=Array(list(font.bbox)), ItalicAngle=0, Ascent=font.ascent, Descent=font.descent,
        CapHeight=font.cap_height, StemV=80, FontFile2=pdf.make_indirect(file),
    )
    cid = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/" + font.name),
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=1000,
        W=Array([0, Array(list(font.widths))]), CIDToGIDMap=Name.Identity,
    )
    unicode = pikepdf.Stream(pdf, _to_unicode(font))
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/" + font.name), Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid)]), ToUnicode=pdf.make_indirect(unicode),
    ))


def _to_unicode(font: FormFont) -> bytes:
    pairs = sorted({gid: code for code, gid in sorted(font.cmap.items(), reverse=True)}.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>" for gid, code in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def fit_lines(text: str, width: float, height: float, multiline: bool) -> tuple[float, list[str]]:
    """The size and lines that show ``text`` whole in a box (down to MIN_SIZE)."""
    font = form_font()
    inner_w, inner_h = max(width - 2 * PADDING, 1), max(height - 1, 1)
    size = min(MAX_SIZE, inner_h / 1.15) if not multiline else MAX_SIZE
    while True:
        if multiline:
            lines = wrap(text, inner_w, size)
            fits = len(lines) * size * 1.2 <= inner_h
        else:
            lines = [" ".join(text.split())] if text else []
            fits = not lines or font.width(lines[0], size) <= inner_w
        if fits or size <= MIN_SIZE:
            return size, lines
        size = max(MIN_SIZE, round(size - 0.25, 2))


def wrap(text: str, width: float, size: float) -> list[str]:
    font = form_font()
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and font.width(candidate, size) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _text_appearance(pdf, font_ref, rect, value: str, colour: str, multiline: bool):
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    width, height = abs(float(rect[2]) - float(rect[0])), abs(float(rect[3]) - float(rect[1]))
    size, lines = fit_lines(value, width, height, multiline)
    font = form_font()
    ops = ["/Tx BMC", "q", f"1 1 {width - 2:.2f} {height - 2:.2f} re W n"]
    if lines:
        ops += ["BT", f"{FONT_KEY} {size:g} Tf", f"{colour} rg"]
        if multiline:
            leading = size * 1.2
            ops += [f"{leading:.2f} TL", f"{PADDING:g} {height - 1 - size * font.ascent / 1000:.2f} Td"]
        else:  # one line, centred vertically
            baseline = (height - size * (font.ascent + font.descent) / 1000) / 2
            ops.append(f"{PADDING:g} {baseline:.2f} Td")
        for i, line in enumerate(lines):
            ops.append(("T* " if i else "") + f"<{font.encode(line).hex()}> Tj")
        ops.append("ET")
    ops += ["Q", "EMC"]
    stream = pikepdf.Stream(pdf, "\n".join(ops).encode("ascii"))
    stream.Type, stream.Subtype = Name.XObject, Name.Form
    stream.BBox = Array([0, 0, round(width, 3), round(height, 3)])
    stream.Resources = Dictionary(Font=Dictionary({FONT_KEY: font_ref}))
    return pdf.make_indirect(stream), size


def _empty_appearance(pdf, rect):
    import pikepdf
    from pikepdf import Array, Name

    width, height = abs(float(rect[2]) - float(rect[0])), abs(float(rect[3]) - float(rect[1]))
    stream = pikepdf.Stream(pdf, b"")
    stream.Type, stream.Subtype = Name.XObject, Name.Form
    stream.BBox = Array([0, 0, round(width, 3), round(height, 3)])
    return pdf.make_indirect(stream)


def _text(value) -> str:
    return "" if value is None else str(value)


def question(titles: list[str]) -> str:
    """A radio group's question from its buttons' tooltips ("Question: Choice" each)."""
    if not titles:
        return ""
    prefix = titles[0]
    for title in titles[1:]:
        while not title.startswith(prefix):
            prefix = prefix[:-1]
    cut = prefix.rfind(": ")
    return prefix[:cut] if cut > 0 else titles[0]


def _fix_radio_group(pdf, group) -> None:
    from pikepdf import Dictionary, Name

    kids = list(group.Kids)
    options = [_text(o) for o in group.get("/Opt", [])]
    titles = [_text(k.get("/TU")) for k in kids]
    states = []
    for kid in kids:
        on = [k for k in kid.AP.N if k != "/Off"] if "/AP" in kid else []
        states.append(on[0] if on else None)
    names = {}
    for state in states:
        if state is None:
            continue
        value = options[int(state[1:])] if options and state[1:].isdigit() and int(state[1:]) < len(options) \
            else state[1:]
        names[state] = value
    rename = bool(names) and all(_STATE.match(v) for v in names.values()) \
        and len(set(names.values())) == len(names)
    chosen = Name.Off
    for kid, state in zip(kids, states, strict=True):
        for key in ("/T", "/FT", "/TU", "/Ff", "/V", "/Opt", "/DV"):
            if key in kid:
                del kid[key]
        if "/AP" not in kid:
            kid.AP = Dictionary(N=Dictionary())
        normal = kid.AP.N
        if state is not None and rename and names[state] != state[1:]:  # a scale from 0: state /0 is "0"
            new = Name("/" + names[state])
            normal[new] = normal[state]
            del normal[state]
            if "/D" in kid.AP and state in kid.AP.D:
                kid.AP.D[new] = kid.AP.D[state]
                del kid.AP.D[state]
            if str(kid.get("/AS", "/Off")) == state:
                kid.AS = new
            state = str(new)
        if "/Off" not in normal:
            normal.Off = _empty_appearance(pdf, kid.Rect)
        if str(kid.get("/AS", "/Off")) != "/Off" and chosen == Name.Off:
            chosen = Name(str(kid.AS))
        elif "/AS" not in kid:
            kid.AS = Name.Off
    if rename and "/Opt" in group:
        del group["/Opt"]
    group.V = chosen
    group.TU = question(titles) or _text(group.get("/TU"))


def _fix_check_box(pdf, box) -> None:
    """A check box written by WeasyPrint (state "/on", no "Off" appearance) as readers expect."""
    from pikepdf import Dictionary, Name

    if "/AP" not in box:
        box.AP = Dictionary(N=Dictionary())
    for kind in ("/N", "/D"):
        states = box.AP.get(kind)
        if states is None or not isinstance(states, Dictionary):
            continue
        for state in [k for k in states if k not in ("/Off", CHECKED)]:
            states[CHECKED] = states[state]
            del states[state]
    if "/Off" not in box.AP.N:
        box.AP.N.Off = _empty_appearance(pdf, box.Rect)
    box.AS = Name(CHECKED) if str(box.get("/AS", "/Off")) != "/Off" else Name.Off
    box.V = box.AS


def fix_forms(pdf) -> None:
    """Rewrite the /AcroForm of a pikepdf ``pdf`` written by WeasyPrint (see the module docstring)."""
    from pikepdf import Array, Dictionary, Name, String

    form = pdf.Root.get("/AcroForm")
    if form is None:
        return
    font_ref = _font_object(pdf)
    _share_form_font(pdf, form, font_ref)
    top = [f for f in form.get("/Fields", []) if "/Parent" not in f]
    for field in top:
        if int(field.get("/Ff", 0)) & RADIO and "/Kids" in field:
            _fix_radio_group(pdf, field)
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != Name.Widget:
                continue
            x1, y1, x2, y2 = (float(v) for v in annot.Rect)  # WeasyPrint writes top before bottom
            annot.Rect = Array([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)])
            field = annot if "/FT" in annot or "/Parent" not in annot else annot.Parent
            if field.get("/FT") == Name.Tx:
                colour = _COLOUR.search(_text(field.get("/DA"))) or _COLOUR.search(_text(annot.get("/DA")))
                rgb = " ".join(colour.groups()) if colour else "0 0 0"
                multiline = bool(int(field.get("/Ff", 0)) & MULTILINE)
                stream, size = _text_appearance(pdf, font_ref, annot.Rect, _text(field.get("/V")), rgb, multiline)
                annot.AP = Dictionary(N=stream)
                field.DA = String(f"{FONT_KEY} {size:g} Tf {rgb} rg")
                if "/DA" in annot and annot is not field:
                    del annot["/DA"]
            elif field.get("/FT") == Name.Btn and not int(field.get("/Ff", 0)) & (RADIO | PUSH_BUTTON):
                _fix_check_box(pdf, annot)
            elif "/AP" not in annot:
                annot.AP = Dictionary(N=_empty_appearance(pdf, annot.Rect))
    form.Fields = Array(top)
    form.DR = Dictionary(Font=Dictionary({FONT_KEY: font_ref}))
    form.DA = String(f"{FONT_KEY} {MAX_SIZE:g} Tf 0 0 0 rg")
    if "/NeedAppearances" in form:
        del form["/NeedAppearances"]


def _share_form_font(pdf, form, font_ref) -> None:
    """Put the form font object in place of WeasyPrint's copy of the same font program.

    WeasyPrint embeds the fields' font whole (and draws a text area's hidden text with
    it); pointing its page resources at ``font_ref`` leaves one copy in the file. The
    codes are the same glyph ids, so the text drawn with it is unchanged.
    """
    import hashlib

    keys = set()
    for field in _all_fields(form.get("/Fields", [])):
        match = _FONT.search(_text(field.get("/DA")))
        if match:
            keys.add("/" + match[1])
    wanted = hashlib.sha256(form_font().data).digest()
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font")
        if fonts is None or fonts.objgen in seen and fonts.objgen != (0, 0):
            continue
        seen.add(fonts.objgen)
        for key in keys & set(fonts.keys()):
            if _program_digest(fonts[key]) == wanted:
                fonts[key] = font_ref


def _all_fields(fields):
    for field in fields:
        yield field
        yield from _all_fields(field.get("/Kids", []))


def _program_digest(font) -> bytes | None:
    import hashlib

    descendants = font.get("/DescendantFonts")
    descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
    program = descriptor.get("/FontFile2") if descriptor is not None else None
    return hashlib.sha256(program.read_bytes()).digest() if program is not None else None
