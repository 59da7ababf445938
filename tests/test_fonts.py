"""mentorbook's own fonts: what they cover, that the site's WOFF2 files match the print
fonts they are cut from, and that a trainee named in Cyrillic, Greek and Vietnamese
gets only those fonts, embedded, in every PDF (no system fallback)."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import TODAY
from fontTools.ttLib import TTFont

from mentorbook.base.paths import FONTS_DIR, SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.core.fontcut import SOURCES, TEXT_RANGES, WEB_SUBSETS, unicodes
from mentorbook.core.fonts import FACES, WEB_DIR, web_faces, web_font_css

NAME = "Ана Мария Петрова Nguyễn Thị Ελένη"
# PostScript names of mentorbook's fonts as PDFs list them (after the subset tag)
# Pango writes a comma after a family ending in a digit
OWN_FONTS = {"Noto-Sans", "Noto-Sans-Italic", "Noto-Sans-Bold", "Noto-Sans-Bold-Italic", "Noto-Serif-Bold",
             "Noto-Sans-Symbols-2,", "Noto-Sans-Math", "NotoSans-Regular"}


def _cmap(font: TTFont) -> dict[int, str]:
    return font.getBestCmap()


def _outline(font: TTFont, glyph: str):
    glyf = font["glyf"]
    coordinates, ends, flags = glyf[glyph].getCoordinates(glyf)
    return list(coordinates), list(ends), [f & 1 for f in flags], font["hmtx"][glyph][0]


def test_text_fonts_cover_every_script_a_name_may_use():
    sample = NAME + " Dvořák Łódź Şahin Əliyev Ğ Ő ẞ «» „“ – — … • № €"
    for _family, _weight, _style, name in FACES:
        if name.startswith(("NotoSansSymbols", "NotoSansMath")):
            continue
        cmap = _cmap(TTFont(FONTS_DIR / name))
        missing = {ch for ch in sample if ord(ch) not in cmap and not ch.isspace()}
        assert not missing, (name, missing)
        assert set(cmap) <= unicodes(TEXT_RANGES), name  # cut: nothing outside its scripts
    symbols = _cmap(TTFont(FONTS_DIR / "NotoSansSymbols2-Regular.ttf"))
    assert all(ord(ch) in symbols for ch in "★✓☐☑◆●"), "the symbols the templates and guides use"
    assert all(ord(ch) in _cmap(TTFont(FONTS_DIR / "NotoSansMath-Arrows.ttf")) for ch in "←→↑↓")


def test_every_shipped_font_has_its_licence():
    licence = (FONTS_DIR / "Noto-OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence
    for named in ("Noto Sans", "Noto Serif", "NotoSerif-Bold.ttf", "NotoSansSymbols2-Regular.ttf",
                  "NotoSansMath-Arrows.ttf", "NotoSans-Form.ttf", "web/*.woff2"):
        assert named in licence, named
    shipped = {p.name for p in FONTS_DIR.glob("*.ttf")}
    assert shipped == {name for *_, name in FACES} | {"NotoSans-Form.ttf"}, "no font without a face rule"


def test_web_fonts_match_the_print_fonts_they_are_cut_from():
    """Each WOFF2 file holds exactly its script's characters of its print font, with the
    same outlines and advance widths; every file is used by a rule, and every rule's file
    ships."""
    faces = web_faces()
    assert {p.name for p in WEB_DIR.glob("*.woff2")} == {name for *_, name, _ in faces}
    ranges_of = {shipped: ranges for _, shipped, ranges in SOURCES}
    subsets = set()
    for _family, _weight, _style, name, unicode_range in faces:
        stem = name.split(".")[0]
        source = TTFont(FONTS_DIR / f"{stem}.ttf")
        web = TTFont(WEB_DIR / name)
        assert web.flavor == "woff2"
        wanted = set()
        for low, high in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", unicode_range):
            wanted |= set(range(int(low, 16), int(high or low, 16) + 1))
        assert wanted <= unicodes(ranges_of[f"{stem}.ttf"])
        source_cmap, web_cmap = _cmap(source), _cmap(web)
        assert set(web_cmap) == set(source_cmap) & wanted, name
        for code in sorted(web_cmap)[::7]:  # every seventh character: outlines and widths as the source
            assert _outline(web, web_cmap[code]) == _outline(source, source_cmap[code]), (name, hex(code))
        subsets.add(name.split(".")[1] if name.count(".") == 2 else "symbols")
    assert {"latin", "latin-ext", "greek", "cyrillic", "vietnamese"} <= subsets


def test_web_font_rules_name_each_file_once_with_its_range():
    css = web_font_css(lambda name: f"fonts/{name}")
    rules = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(rules) == len(web_faces())
    assert all("format(\"woff2\")" in r and "unicode-range: U+" in r for r in rules)
    latin = next(r for r in rules if "NotoSans-Regular.latin.woff2" in r)
    assert "U+0000-00FF" in latin and "U+0400" not in latin


# -- a trainee whose name needs Cyrillic, Vietnamese and Greek -------------------------

@pytest.fixture(scope="module")
def named(tmp_path_factory, short_guide) -> dict[str, Path]:
    """Every kind of PDF in which the trainee's name appears."""
    out = tmp_path_factory.mktemp("named")
    workbook = out / "workbook.yml"
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8").replace("name: Dr. Lena Marchetti", f"name: {NAME}", 1)
    assert NAME in text
    workbook.write_text(text, encoding="utf-8")
    day = TODAY.isoformat()
    assert main(["build", str(workbook), "--project", str(short_guide), "--out", str(out / "book"), "--today", day,
                 "-q"]) == 0
    assert main(["build", str(workbook), "--fillable", "--format", "pdf", "--project", str(short_guide),
                 "--out", str(out / "fillable"), "--today", day, "-q"]) == 0
    assert main(["agenda", str(workbook), "-m", "Whitcombe", "--date", day, "--out", str(out), "-q"]) == 0
    assert main(["brief", str(workbook), "-m", "Whitcombe", "--date", day, "--out", str(out), "-q"]) == 0
    roster = out / "roster.csv"
    roster.write_text("name,role,program,start_date,mentors,email,workbook\n"
                      f"{NAME},PGY-1,IM,2026-07-01,Dr. Ορέστης Κ.,,\n"
                      "Dvořák Łukasz,PGY-2,IM,2025-07-01,Dr. B,,\n"
                      "Good Two,PGY-2,IM,2025-07-01,,,\n", encoding="utf-8")
    assert main(["cohort", str(roster), "--project", str(short_guide), "--out", str(out / "cohort"),
                 "--jobs", "2", "-q"]) == 0
    return {
        "workbook": out / "book" / "workbook.pdf", "fillable": out / "fillable" / "workbook.pdf",
        "agenda": next((out / "agenda").glob("*.pdf")), "brief": next((out / "brief").glob("*.pdf")),
        "personalised blank": next(p for p in (out / "cohort" / "trainees").glob("*.pdf")
                                   if not p.name.startswith(("good", "dvo"))),
        "cohort": out / "cohort" / "cohort.pdf", "site": out / "book" / "site",
    }


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of every font ``pdffonts`` lists."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        fields = line.split()
        emb = fields[-5]
        rows.append((fields[0], emb == "yes"))
    return rows


@pytest.mark.parametrize("kind", ["workbook", "fillable", "agenda", "brief", "personalised blank", "cohort"])
def test_a_name_in_three_scripts_is_set_in_mentorbooks_own_fonts(named, kind):
    path = named[kind]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Петрова" in text and "Ελένη" in text and "Nguyễn" in text, kind
    fonts = pdffonts(path)
    assert fonts, kind
    strange = {name for name, _ in fonts if name.split("+")[-1] not in OWN_FONTS}
    assert not strange, f"{kind}: fonts mentorbook does not ship: {strange}"
    assert all(embedded for _, embedded in fonts), f"{kind}: not embedded: {fonts}"


def test_the_combined_pdf_gives_each_font_program_its_own_name(named):
    """Two trainees' subsets of one font are different programs: they must not share a
    subset name (ABCDEF+Noto-Sans), and one program keeps one name."""
    programs: dict[str, set[str]] = {}
    with pikepdf.open(named["cohort"]) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
                continue
            file = obj.get("/FontFile2") or obj.get("/FontFile") or obj.get("/FontFile3")
            if file is None:
                continue
            digest = hashlib.sha256(file.read_raw_bytes()).hexdigest()
            programs.setdefault(str(obj.FontName), set()).add(digest)
    shared = {name: len(digests) for name, digests in programs.items() if len(digests) > 1}
    assert not shared, f"names shared by distinct font programs: {shared}"
    assert len(programs) > 4, programs  # several trainees' subsets, each under its own name


def test_the_site_ships_only_web_fonts(named):
    fonts = sorted(p.name for p in (named["site"] / "assets" / "fonts").iterdir())
    assert fonts and all(name.endswith(".woff2") for name in fonts), fonts
    css = (named["site"] / "assets" / "style.css").read_text(encoding="utf-8")
    assert sorted(re.findall(r'url\("fonts/([^"]+)"\)', css)) == fonts, "each font the stylesheet names, no other"
    assert any(".greek." in name for name in fonts) and any(".cyrillic." in name for name in fonts), fonts
    assert io.BytesIO((named["site"] / "assets" / "fonts" / fonts[0]).read_bytes()).read(4) == b"wOF2"


def test_a_site_in_latin_letters_ships_the_latin_files_alone(tmp_path, short_guide):
    """The site ships the font files of the scripts its pages, scripts and stylesheet show (a
    browser would fetch no other): a Latin-only site needs five of the 32."""
    assert main(["build", "--format", "html", "--project", str(short_guide), "--out", str(tmp_path / "out"),
                 "--today", TODAY.isoformat(), "-q"]) == 0
    site = tmp_path / "out" / "site"
    shown = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    latin = WEB_SUBSETS["latin"]
    assert all(any(low <= ord(ch) <= high for low, high in latin) for ch in set(shown))  # the Latin file holds all
    fonts = sorted(p.name for p in (site / "assets" / "fonts").iterdir())
    assert fonts == sorted(f"{stem}.latin.woff2" for stem in ("NotoSans-Regular", "NotoSans-Italic", "NotoSans-Bold",
                                                               "NotoSans-BoldItalic", "NotoSerif-Bold")), fonts
    css = (site / "assets" / "style.css").read_text(encoding="utf-8")
    assert sorted(re.findall(r'url\("fonts/([^"]+)"\)', css)) == fonts
    assert len(web_faces()) == 32 and len(web_font_css(lambda name: name).splitlines()) == 32  # all, where asked
