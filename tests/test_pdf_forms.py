"""Fillable PDFs as real readers see them: ISO 32000 radio groups, appearance streams,
a form font for every script, text that fits, and two ticked buttons refused by import."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import TODAY, write
from PIL import Image, ImageChops

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.print.widgets import form_font

RADIO = 1 << 15
NAME = "Ана Мария Петрова Nguyễn Thị Ελένη Dvořák"


def widgets(pdf: pikepdf.Pdf):
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") == "/Widget":
                yield number, page, annot


def field_of(annot):
    return annot.Parent if "/Parent" in annot else annot


@pytest.fixture(scope="module", params=["blank", "sample"])
def form(request, fillable_blank, fillable_sample) -> Path:
    return fillable_blank if request.param == "blank" else fillable_sample


def test_every_widget_has_an_appearance_and_radio_buttons_are_widgets_of_one_field(form):
    with pikepdf.open(form) as pdf:
        fields = list(pdf.Root.AcroForm.Fields)
        assert fields and all("/Parent" not in f and "/T" in f for f in fields)  # /Fields holds only fields
        assert "/NeedAppearances" not in pdf.Root.AcroForm
        groups = 0
        for _, page, annot in widgets(pdf):
            assert "/AP" in annot and "/N" in annot.AP
            assert page.get("/Tabs") == "/S"
            if "/Parent" in annot:
                assert not {"/T", "/FT", "/TU", "/Ff"} & set(annot.keys())
                assert "/Off" in annot.AP.N and len(annot.AP.N.keys()) == 2
        for field in fields:
            if int(field.get("/Ff", 0)) & RADIO:
                groups += 1
                states = [str(k) for kid in field.Kids for k in kid.AP.N if k != "/Off"]
                assert len(set(states)) == len(states) == len(field.Kids)
                ticked = [str(k.AS) for k in field.Kids if k.AS != "/Off"]
                assert len(ticked) <= 1 and str(field.V) == (ticked[0] if ticked else "/Off")
        assert groups > 60


def test_export_values_are_the_choices_and_the_tooltip_is_the_question(fillable_sample):
    with pikepdf.open(fillable_sample) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        structure = fields["mb:self_reflection/structure"]
        assert str(structure.TU) == "Self-reflection: How much structure and direction I need"
        assert [str(k) for kid in structure.Kids for k in kid.AP.N if k != "/Off"] == \
            ["/light", "/moderate", "/close"]
        assert structure.V == "/moderate"
        rating = fields["mb:mentors[0]/competence"]
        assert [str(k) for kid in rating.Kids for k in kid.AP.N if k != "/Off"] == \
            ["/1", "/2", "/3", "/4", "/5"]


def test_flattened_and_rendered_pdfs_show_the_prefilled_values(fillable_sample, tmp_path):
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--flatten-annotations=all", str(fillable_sample), str(flat)], check=True)
    with pikepdf.open(flat) as pdf:
        assert not any(True for _ in widgets(pdf))  # the fields are gone, their text stays
    text = subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout
    for value in ("Monthly check-ins with a written plan suit me best.", "Riverside University Hospital",
                  "Retrospective chart review and basic survival analysis"):
        assert value in " ".join(text.split())
    # Poppler draws the appearance: the name's box has ink with annotations and none without.
    with pikepdf.open(fillable_sample) as pdf:
        number, page, annot = next((n, p, a) for n, p, a in widgets(pdf) if str(field_of(a).get("/T")) ==
                                   "mb:trainee/name")
        rect = [float(v) for v in annot.Rect]
        height = float(page.MediaBox[3])
    shots = {}
    for mode in ("shown", "hidden"):
        extra = ["-hide-annotations"] if mode == "hidden" else []
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", str(number), "-l", str(number), *extra,
                        str(fillable_sample), str(tmp_path / mode)], check=True)
        png = next(tmp_path.glob(f"{mode}-*.png"))
        box = (int(rect[0]), int(height - rect[3]), int(rect[2]), int(height - rect[1]))
        shots[mode] = Image.open(png).convert("L").crop(box)
    assert ImageChops.difference(shots["shown"], shots["hidden"]).getbbox() is not None
    assert shots["shown"].getextrema()[0] < 100  # dark text


def test_prefilled_text_fits_its_box(fillable_sample):
    font = form_font()
    with pikepdf.open(fillable_sample) as pdf:
        checked = 0
        for _, _, annot in widgets(pdf):
            field = field_of(annot)
            if field.get("/FT") != "/Tx" or not str(field.get("/V", "")):
                continue
            x1, y1, x2, y2 = (float(v) for v in annot.Rect)
            assert x1 < x2 and y1 < y2  # a normalised rectangle
            width, height = x2 - x1, y2 - y1
            stream = annot.AP.N.read_bytes().decode("ascii")
            size = float(re.search(r"/MbForm ([\d.]+) Tf", stream)[1])
            lines = re.findall(r"<([0-9a-f]+)> Tj", stream)
            assert size >= 5 and size * 1.15 <= height + 0.01 or len(lines) > 1
            assert len(lines) * size <= height + 0.01
            for line in lines:
                glyphs = [int(line[i:i + 4], 16) for i in range(0, len(line), 4)]
                assert 0 not in glyphs  # no missing glyph
                assert sum(font.widths[g] for g in glyphs) * size / 1000 <= width - 3.9
            checked += 1
        assert checked > 200


def test_the_form_font_covers_latin_greek_cyrillic_and_vietnamese(tmp_path, short_guide):
    source = SAMPLE_WORKBOOK.read_text(encoding="utf-8").replace("name: Dr. Lena Marchetti", f"name: {NAME}", 1)
    workbook = write(tmp_path, "names.yml", source)
    out = tmp_path / "out"
    assert main(["build", str(workbook), "--fillable", "--format", "pdf", "--out", str(out),
                 "--project", str(short_guide), "--today", TODAY.isoformat(), "-q"]) == 0  # cover and "About me"
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--flatten-annotations=all", str(out / "workbook.pdf"), str(flat)], check=True)
    text = subprocess.run(["pdftotext", "-l", "8", str(flat), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count(NAME) >= 2  # the cover, and the "About me" field drawn in the form font
    fonts = subprocess.run(["pdffonts", str(flat)], capture_output=True, text=True, check=True).stdout
    assert "NotoSans-Regular" in fonts


def test_import_refuses_a_radio_group_with_two_ticked_buttons(fillable_sample, tmp_path, capsys):
    target = tmp_path / "twice.pdf"
    shutil.copy(fillable_sample, target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        group = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "mb:mentors[0]/found_via")
        kids = list(group.Kids)
        page = next(n for n, _, a in widgets(pdf) if a.objgen == kids[0].objgen)
        for kid in kids[:2]:
            kid.AS = pikepdf.Name(next(k for k in kid.AP.N if k != "/Off"))
        pdf.save(target)
    assert main(["import", str(target), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"twice.pdf, page {page}: error: mentors[0].found_via: two choices are ticked" in err
    assert "Traceback" not in err and not target.with_suffix(".yml").exists()
