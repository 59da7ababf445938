"""print/fontmerge: the subsets of one font that stitched PDFs embed become one font, their
union; subsets that are not of one font stay apart."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from fontTools.ttLib import TTFont

from mentorbook.base.paths import CONTENT_DIR
from mentorbook.print import fontmerge

FONT = (CONTENT_DIR / "fonts" / "NotoSans-Regular.ttf").as_uri()
TEXTS = ("Mentors and mentees meet.", "Quixotic jazz: 7 fjords, 0 wharves!")


def _document(text: str) -> bytes:
    return weasyprint.HTML(string=f"<style>@font-face {{ font-family: Body; src: url({FONT}) }} "
                                  f"body {{ font-family: Body }}</style><p>{text}</p>").write_pdf()


@pytest.fixture(scope="module")
def sources() -> list[bytes]:
    return [_document(text) for text in TEXTS]


def _stitched(sources: list[bytes], tmp_path: Path) -> pikepdf.Pdf:
    """One PDF with each source's pages (and so each source's subset of the font)."""
    out = pikepdf.new()
    for data in sources:
        out.pages.extend(pikepdf.open(io.BytesIO(data)).pages)
    return out


def _fonts(pdf: pikepdf.Pdf) -> list:
    found = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            found.setdefault(font.objgen, font)
    return list(found.values())


def _program(font) -> bytes:
    return bytes(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes())


def _glyphs(data: bytes) -> dict[int, bytes]:
    font = TTFont(io.BytesIO(data), checkChecksums=2)  # a wrong checksum raises
    table = font["glyf"]
    return {gid: table[name].compile(table) for gid, name in enumerate(font.getGlyphOrder())
            if table[name].numberOfContours != 0}


def _text(pdf: pikepdf.Pdf, tmp_path: Path) -> str:
    path = tmp_path / "merged.pdf"
    pdf.save(path)
    assert "No syntax or stream encoding errors" in subprocess.run(["qpdf", "--check", str(path)],
                                                                   capture_output=True, text=True).stdout
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_two_subsets_of_one_font_become_their_union(sources, tmp_path):
    pdf = _stitched(sources, tmp_path)
    before = [_glyphs(_program(font)) for font in _fonts(pdf)]
    maps = [fontmerge._unicode(font.ToUnicode) for font in _fonts(pdf)]
    names = {str(font.BaseFont) for font in _fonts(pdf)}
    assert len(before) == 2 and before[0].keys() != before[1].keys()
    assert fontmerge.merge_subsets(pdf) == 1
    [font] = _fonts(pdf)
    union = _glyphs(_program(font))
    for glyphs in before:
        assert all(union[gid] == outline for gid, outline in glyphs.items()), "every glyph at its id"
    name = str(font.BaseFont)
    assert name == str(font.DescendantFonts[0].BaseFont) == str(font.DescendantFonts[0].FontDescriptor.FontName)
    assert re.fullmatch(r"/[A-Z]{6}\+Body", name) and name not in names, "a tag of its own"
    assert fontmerge._unicode(font.ToUnicode) == {**maps[1], **maps[0]}
    assert set(fontmerge._widths(font.DescendantFonts[0].W)) == set(maps[0]) | set(maps[1])
    text = _text(pdf, tmp_path)
    assert all(t in text for t in TEXTS), text


def test_subsets_whose_glyphs_differ_stay_apart(sources, tmp_path):
    """Same name, same measures, but a glyph both hold is not the same: not one font."""
    pdf = _stitched(sources, tmp_path)
    first, second = _fonts(pdf)
    font = TTFont(io.BytesIO(_program(second)))
    shared = sorted(_glyphs(_program(first)).keys() & _glyphs(_program(second)).keys())
    glyph = font["glyf"][font.getGlyphOrder()[shared[-1]]]
    glyph.expand(font["glyf"])
    glyph.coordinates[0] = (glyph.coordinates[0][0] + 40, glyph.coordinates[0][1])
    changed = io.BytesIO()
    font.save(changed)
    second.DescendantFonts[0].FontDescriptor.FontFile2.write(changed.getvalue())
    assert fontmerge.merge_subsets(pdf) == 0
    assert len(_fonts(pdf)) == 2
    assert all(t in _text(pdf, tmp_path) for t in TEXTS)


def test_a_program_that_is_not_truetype_is_left_alone():
    with pytest.raises(fontmerge._Differ):
        fontmerge._program(b"OTTO" + b"\0" * 60)
    with pytest.raises(fontmerge._Differ):
        fontmerge._program(b"\0\1\0\0\0\1" + b"\0" * 6)  # a table directory that runs off the end


def test_an_empty_glyph_one_part_uses_keeps_its_width():
    """A no-break space is an empty glyph: the subset that uses it gives it its width, the others
    none. The union's widths are those of the subsets that use each glyph, as its /W says."""
    pdf = pikepdf.new()
    for text in ("Meet on 1\u00a0September", "\u03a9mega and \u03b6eta plans"):
        pdf.pages.extend(pikepdf.open(io.BytesIO(_document(text))).pages)
    assert fontmerge.merge_subsets(pdf) == 1
    [font] = _fonts(pdf)
    program = TTFont(io.BytesIO(_program(font)), checkChecksums=2)
    order, hmtx, units = program.getGlyphOrder(), program["hmtx"].metrics, program["head"].unitsPerEm
    widths = fontmerge._widths(font.DescendantFonts[0].W)
    assert len(widths) >= 20
    assert {gid: round(hmtx[order[gid]][0] * 1000 / units) for gid in widths} == \
        {gid: round(width) for gid, width in widths.items()}
