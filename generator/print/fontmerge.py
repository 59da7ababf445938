"""Subsets of one font that several stitched PDFs embedded, made one font again.

A workbook's PDF made of parts (a parallel build's runs, a cohort's shared chunks) gets
each font once from every part that uses it, each a subset with only that part's
glyphs. WeasyPrint subsets with HarfBuzz keeping every glyph at its id, and encodes the
text by glyph id (Identity-H, CIDToGIDMap Identity), so subsets of one font differ only
in which glyphs they hold: their union is a subset of that font too, which draws every
part's text. ``merge_subsets`` stores that union once per font, with the widths and the
Unicode map of all the parts, under a new subset tag, and points every page at it: the
PDF has the fonts a whole layout has, and about its size.

Subsets are taken for one font only when their names (less the tag), descriptors, units
per em and encoding agree, every glyph two of them hold is the same bytes at the same id,
and the widths they give a glyph agree; fonts that are not TrueType-outline CID fonts
encoded by glyph id are left as they are. A glyph two parts map to different text keeps
the first part's (a space and a no-break space may share one glyph).
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections import OrderedDict
from itertools import chain

from msgspec import Struct

from .fontnames import is_subset, subset_tag, tagged, untagged

_SAME = ("/FontFamily", "/Flags", "/ItalicAngle", "/Ascent", "/Descent", "/StemV", "/StemH")
_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>")
_MEMO_SIZE = 512  # subsets read, kept per process (a cohort's chunks repeat for every trainee)
_memo: OrderedDict[bytes, tuple] = OrderedDict()


class _Program(Struct):
    """A subset's font program, as far as merging needs it."""
    data: bytes
    tables: dict[bytes, bytes]  # tag -> table, in the font's order
    count: int  # glyphs
    glyphs: dict[int, bytes]  # glyph id -> its outline's bytes (the glyphs it holds)
    metrics: list[tuple[int, int]]  # per glyph id: advance width, left side bearing
    used: dict[int, tuple[int, int]]  # the metrics of the glyphs it holds or gives a width (a space)


class _Differ(ValueError):
    """Subsets that are not of one font, or a font this module does not merge."""


# Tables that hold something per glyph besides outlines and horizontal metrics: a font that
# has one is left as it is (none of them is in a font WeasyPrint embeds for text).
_PER_GLYPH = {b"CFF ", b"CFF2", b"gvar", b"vmtx", b"hdmx", b"VDMX", b"COLR", b"CBDT", b"sbix", b"SVG ", b"EBDT"}
_MAXP = range(6, 32, 2)  # maxp 1.0: maxPoints ... maxComponentDepth, each a uint16
_HHEA_MAX, _HHEA_MIN = (10, 16), (12, 14)  # advanceWidthMax, xMaxExtent; min left and right side bearings


def _program(data: bytes) -> _Program:
    """A TrueType font's tables, glyphs and metrics, read as the OpenType specification lays them out."""
    try:
        version, count = struct.unpack_from(">IH", data)
        if version not in (0x00010000, 0x74727565):
            raise _Differ("not a TrueType font")
        tables = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            if offset + length > len(data):
                raise _Differ("a table beyond the font's end")
            tables[tag] = data[offset:offset + length]
        if _PER_GLYPH & tables.keys() or not {b"head", b"maxp", b"hhea", b"hmtx", b"loca", b"glyf"} <= tables.keys():
            raise _Differ("not a font of TrueType outlines this module merges")
        head, maxp, hhea = tables[b"head"], tables[b"maxp"], tables[b"hhea"]
        glyphs_count = struct.unpack_from(">H", maxp, 4)[0]
        long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
        loca = tables[b"loca"]
        offsets = struct.unpack_from(f">{glyphs_count + 1}{'I' if long_offsets else 'H'}", loca)
        if not long_offsets:
            offsets = tuple(2 * o for o in offsets)
        glyf = tables[b"glyf"]
        if offsets[-1] > len(glyf):
            raise _Differ("glyphs beyond the glyf table")
        glyphs = {gid: glyf[start:end]
                  for gid, (start, end) in enumerate(zip(offsets, offsets[1:], strict=False)) if end > start}
        advances = struct.unpack_from(">H", hhea, 34)[0]
        hmtx = tables[b"hmtx"]
        metrics = list(struct.iter_unpack(">Hh", hmtx[:4 * advances]))
        last = metrics[-1][0] if metrics else 0
        metrics += [(last, side) for side in struct.unpack_from(f">{glyphs_count - advances}h", hmtx, 4 * advances)]
    except struct.error:
        raise _Differ("a font that does not parse") from None
    used = {gid: metric for gid, metric in enumerate(metrics) if metric[0] or gid in glyphs}
    return _Program(data, tables, glyphs_count, glyphs, metrics, used)


def _union(programs: list[_Program]) -> bytes:
    """One font program holding every glyph of ``programs`` at its id: the largest subset's
    tables with every subset's glyphs and their metrics; its head, maxp and hhea values that
    bound the glyphs are the extremes of the subsets' own (each bounds its glyphs)."""
    base = max(programs, key=lambda p: (p.count, len(p.glyphs)))
    glyphs, metrics = dict(base.glyphs), list(base.metrics)
    units = {struct.unpack_from(">H", p.tables[b"head"], 18)[0] for p in programs}  # unitsPerEm
    if len(units) != 1:
        raise _Differ("fonts of different units per em")
    given: set[int] = set()  # glyph ids whose metrics came from another subset than the base
    for program in programs:
        if program.count > base.count:
            raise _Differ("a glyph beyond the largest subset's")
        for gid, raw in program.glyphs.items():
            held = glyphs.get(gid)
            if held is None:
                glyphs[gid] = raw
            elif held != raw:
                raise _Differ(f"glyph {gid} differs")
        # a subset gives the glyphs it does not use no width: a glyph's metrics are those of the
        # subsets that hold it or give it a width (an empty glyph too, a space), which agree
        for gid, metric in program.used.items():
            if metric != metrics[gid]:
                if gid in base.used or gid in given:
                    raise _Differ(f"glyph {gid} has two widths")
                metrics[gid] = metric
                given.add(gid)
    if len(glyphs) == len(base.glyphs) and metrics == base.metrics:
        return base.data
    head, maxp, hhea = (bytearray(base.tables[tag]) for tag in (b"head", b"maxp", b"hhea"))
    held = [p for p in programs if p.glyphs]
    for offset, pick in ((36, min), (38, min), (40, max), (42, max)):  # xMin, yMin, xMax, yMax
        struct.pack_into(">h", head, offset, pick(struct.unpack_from(">h", p.tables[b"head"], offset)[0] for p in held))
    struct.pack_into(">h", head, 50, 1)  # long loca offsets
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set below
    if struct.unpack_from(">I", maxp)[0] == 0x00010000:
        for offset in _MAXP:
            struct.pack_into(">H", maxp, offset, max(struct.unpack_from(">H", p.tables[b"maxp"], offset)[0]
                                                      for p in programs))
    for offsets, kind, pick in ((_HHEA_MAX, ">H", max), (_HHEA_MIN, ">h", min)):
        for offset in offsets:
            struct.pack_into(kind, hhea, offset, pick(struct.unpack_from(kind, p.tables[b"hhea"], offset)[0]
                                                      for p in held))
    struct.pack_into(">H", hhea, 34, base.count)  # a width for every glyph
    glyf, loca = bytearray(), []  # loca: where each glyph starts, and where the last one ends
    for gid in sorted(glyphs):
        loca.extend([len(glyf)] * (gid + 1 - len(loca)))  # the empty glyphs before it start where it does
        glyf += glyphs[gid] + b"\0" * (-len(glyphs[gid]) % 4)
    loca.extend([len(glyf)] * (base.count + 1 - len(loca)))
    tables = dict(base.tables)
    tables.update({b"head": bytes(head), b"maxp": bytes(maxp), b"hhea": bytes(hhea), b"glyf": bytes(glyf),
                   b"loca": struct.pack(f">{len(loca)}I", *loca),
                   b"hmtx": struct.pack(">" + "Hh" * len(metrics), *chain.from_iterable(metrics))})
    return _font_file(tables)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _font_file(tables: dict[bytes, bytes]) -> bytes:
    """A TrueType font file of ``tables``: directory, tables 4-byte aligned, checksums."""
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    directory, body = [], bytearray()
    offset, head = 12 + 16 * count, None
    for tag in sorted(tables):  # the directory sorted by tag, as the specification asks
        data = tables[tag]
        if tag == b"head":
            head = offset + len(body)
        directory.append(struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data)))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + b"".join(directory) + body)
    if head is not None:  # the whole font's checksum comes out as the specification's constant
        struct.pack_into(">I", font, head + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _widths(array) -> dict[int, float]:
    """A CIDFont's /W array as glyph id -> width."""
    from pikepdf import Array

    found: dict[int, float] = {}
    items = list(array) if array is not None else []
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], Array):
            for offset, width in enumerate(items[i + 1]):
                found[first + offset] = float(width)
            i += 2
        elif i + 2 < len(items):
            for cid in range(first, int(items[i + 1]) + 1):
                found[cid] = float(items[i + 2])
            i += 3
        else:
            raise _Differ("a /W array that does not parse")
    return found


def _width_array(widths: dict[int, float]):
    from pikepdf import Array

    out, run = [], None
    for cid in sorted(widths):
        if run is None or cid - 1 not in widths:
            run = []
            out += [cid, run]
        width = widths[cid]
        run.append(int(width) if width == int(width) else width)
    return Array([Array(item) if isinstance(item, list) else item for item in out])


def _unicode(stream) -> dict[int, bytes]:
    data = stream.read_bytes() if stream is not None else b""
    if b"beginbfrange" in data or b"begincidrange" in data:
        raise _Differ("a ToUnicode map with ranges")
    return {int(gid, 16): text.lower() for gid, text in _BFCHAR.findall(data.split(b"endcodespacerange", 1)[-1])}


def _unicode_stream(pdf, mapping: dict[int, bytes]):
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>",
             b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(b"%d beginbfchar" % len(batch))
        lines += [b"<%04x> <%s>" % (gid, text) for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return pdf.make_stream(b"\n".join(lines))


def merge_subsets(pdf) -> int:
    """Store each font the pages name in several subsets once, as their union (see above), and
    each font program two fonts embed alike once; returns how many font dictionaries the
    pages no longer name."""
    holders = font_holders(pdf)
    fonts: dict[tuple, object] = {}
    for holder in holders:
        for font in holder.values():
            if font.is_indirect:
                fonts.setdefault(font.objgen, font)
    groups: dict[tuple, list] = {}
    for font in fonts.values():
        face = _face(font)
        if face is not None:
            groups.setdefault(face, []).append(font)
    replaced: dict[tuple, object] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        try:
            survivor = _merge(pdf, group)
        except (ValueError, KeyError, IndexError, TypeError, struct.error):
            continue  # not subsets of one font after all: each keeps its own
        replaced.update((font.objgen, survivor) for font in group[1:])
    for holder in holders:
        for key, font in list(holder.items()):
            if font.is_indirect and font.objgen in replaced:
                holder[key] = replaced[font.objgen]
    _share_programs([font for holder in holders for font in holder.values()])
    return len(replaced)


def _share_programs(fonts: list) -> None:
    """Font programs two fonts embed alike (the same glyphs of a font, left apart): stored once."""
    from pikepdf import Dictionary

    seen: dict[bytes, object] = {}
    for font in fonts:
        for kid in font.get("/DescendantFonts") or [font]:
            descriptor = kid.get("/FontDescriptor") if isinstance(kid, Dictionary) else None
            if not isinstance(descriptor, Dictionary):
                continue
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if (program := descriptor.get(key)) is not None:
                    descriptor[key] = seen.setdefault(hashlib.sha256(program.read_raw_bytes()).digest(), program)


def font_holders(pdf) -> list:
    """Every /Font dictionary the pages use: their resources, their forms' (and theirs), their
    annotations' appearances', and the interactive form's default resources."""
    from pikepdf import Dictionary, Stream

    holders, seen = [], set()

    def add(resources, depth: int = 0) -> None:
        if not isinstance(resources, Dictionary) or depth > 8:
            return
        fonts = resources.get("/Font")
        if isinstance(fonts, Dictionary) and (fonts.objgen if fonts.is_indirect else id(fonts)) not in seen:
            seen.add(fonts.objgen if fonts.is_indirect else id(fonts))
            holders.append(fonts)
        forms = resources.get("/XObject")
        for xobject in forms.values() if isinstance(forms, Dictionary) else ():
            if isinstance(xobject, Stream) and xobject.get("/Subtype") == "/Form" \
                    and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                add(xobject.get("/Resources"), depth + 1)

    def appearances(value) -> None:
        if isinstance(value, Stream):
            add(value.get("/Resources"))
        elif isinstance(value, Dictionary):
            for state in value.values():
                appearances(state)

    for page in pdf.pages:
        add(page.obj.get("/Resources"))
        for annotation in page.obj.get("/Annots") or ():
            if isinstance(annotation, Dictionary) and isinstance(annotation.get("/AP"), Dictionary):
                for value in annotation.AP.values():
                    appearances(value)
    form = pdf.Root.get("/AcroForm")
    if isinstance(form, Dictionary):
        add(form.get("/DR"))
    return holders


def _face(font) -> tuple | None:
    """What subsets of one font share: its name without the tag and its descriptor's
    measures; None for a font this module leaves alone."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return None
    kids = font.get("/DescendantFonts")
    if kids is None or len(kids) != 1:
        return None
    cid = kids[0]
    descriptor = cid.get("/FontDescriptor")
    if cid.get("/Subtype") != "/CIDFontType2" or cid.get("/CIDToGIDMap") != "/Identity" \
            or descriptor is None or "/FontFile2" not in descriptor or "/ToUnicode" not in font:
        return None
    name = str(font.get("/BaseFont"))
    if not is_subset(name):
        return None
    return untagged(name), tuple(str(descriptor.get(key)) for key in _SAME)


def _subset(font) -> tuple[_Program, dict[int, float], dict[int, bytes]]:
    """A subset font's program, widths and Unicode map, read once per process: kept by the stored
    bytes of its program, map and widths."""
    cid = font.DescendantFonts[0]
    program, mapping = cid.FontDescriptor.FontFile2, font.ToUnicode
    digest = hashlib.sha256()
    for stream in (program, mapping):
        raw = stream.read_raw_bytes()
        digest.update(b"%d:%s:" % (len(raw), str(stream.get("/Filter")).encode()) + raw)
    widths = cid.get("/W")
    digest.update(bytes(widths.unparse()) if widths is not None else b"-")
    key = digest.digest()
    found = _memo.get(key)
    if found is None:
        found = (_program(bytes(program.read_bytes())), _widths(widths), _unicode(mapping))
        _memo[key] = found
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
    return found


def _merge(pdf, group: list):
    """The first font of ``group`` made the union of all of them."""
    from pikepdf import Array

    subsets = [_subset(font) for font in group]
    data = _union([program for program, _, _ in subsets])
    widths: dict[int, float] = {}
    unicode: dict[int, bytes] = {}
    for _, its_widths, its_unicode in subsets:
        for gid, width in its_widths.items():
            if widths.setdefault(gid, width) != width:
                raise _Differ(f"glyph {gid} has two widths")
        for gid, text in its_unicode.items():
            unicode.setdefault(gid, text)
    digest = hashlib.sha256(data)
    digest.update(repr(sorted(widths.items())).encode() + repr(sorted(unicode.items())).encode())
    survivor = group[0]
    name = tagged(survivor.BaseFont, subset_tag(digest.digest()))
    cid = survivor.DescendantFonts[0]
    descriptor = cid.FontDescriptor
    program = pdf.make_stream(data)
    program.Length1 = len(data)
    descriptor.FontFile2 = program
    descriptor.FontName = cid.BaseFont = survivor.BaseFont = name
    box = list(descriptor.get("/FontBBox") or [0, 0, 0, 0])
    if len(box) == 4 and widths:
        descriptor.FontBBox = Array([box[0], box[1], max(max(widths.values()), float(box[2])), box[3]])
    if "/CIDSet" in descriptor:
        bits = bytearray((max(widths) // 8 + 1) if widths else 1)
        for gid in widths:
            bits[gid // 8] |= 0x80 >> (gid % 8)
        descriptor.CIDSet = pdf.make_stream(bytes(bits))
    cid.W = _width_array(widths)
    survivor.ToUnicode = _unicode_stream(pdf, unicode)
    return survivor
