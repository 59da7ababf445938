"""PDF/UA-1: every kind of PDF mentorbook writes passes the Matterhorn checks of
tests/pdfua_check.py, and the mended structure is what a screen reader needs."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

import pdfua_check
from mentorbook import BuildOptions, build
from mentorbook.base.paths import SAMPLE_WORKBOOK
from conftest import TODAY

KINDS = ["sample", "blank letter", "blank a4", "fillable", "example program", "agenda", "brief", "cohort"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_matterhorn_failures(pdf_kinds, kind):
    failures = pdfua_check.check(pdf_kinds[kind])
    assert not failures, "\n".join(map(str, failures[:20]))


def test_the_checker_finds_what_weasyprint_alone_leaves(tmp_path, monkeypatch):
    """Without the finishing step the same workbook fails: the checker is not a rubber stamp."""
    import mentorbook.print.ua as pdfua

    monkeypatch.setattr(pdfua, "finish", lambda data, lang="en": data)
    built = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path, today=TODAY, format="pdf"))
    found = {f.condition for f in pdfua_check.check(built.pdf)}
    assert {"06-001", "09-005", "16-001", "15-003", "18-001", "28-011", "01-005"} <= found


def test_metadata_names_the_document(pdf_kinds):
    with pikepdf.open(pdf_kinds["sample"]) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == str(pdf.docinfo["/Title"]) == "Mentoring workbook: Dr. Lena Marchetti"
        assert pdf.Root.Lang == "en" and pdf.Root.ViewerPreferences.DisplayDocTitle


def test_one_described_link_per_contents_entry(pdf_kinds):
    with pikepdf.open(pdf_kinds["sample"]) as pdf:
        contents = pdf.pages[1]
        links = [a for a in contents.Annots if a.Subtype == "/Link"]
        labels = [str(a.Contents) for a in links]
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, 1)}
        names = pdf.Root.Names.Dests.Names
        dests = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert [re.sub(r" \d+$", "", label) for label in labels[:3]] == [
            "Introduction", "1 Self-reflect", "Worksheet: Self-reflection"]
        for label, link in zip(labels, links):  # the number each link reads is the page it opens
            dest = dests[str(link.Dest)]
            dest = dest.D if isinstance(dest, pikepdf.Dictionary) else dest
            assert label.endswith(f" {pages[dest[0].objgen]}"), label
        assert len(links) == 11  # introduction, five practices, five worksheets
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf_kinds["sample"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert ". . . ." in text  # the leaders are still printed, only no longer tagged


def test_the_pdf_is_reproducible(pdf_kinds, tmp_path):
    again = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path, today=TODAY, format="pdf"))
    assert again.pdf.read_bytes() == pdf_kinds["sample"].read_bytes()


def test_site_pages_skip_no_heading_level(sample_build):
    """The goal cards went H2 -> H4 on the site as in the PDF; headings now step one level at a time."""
    import re

    site = sample_build.site_index.parent
    for page in sorted(site.glob("*.html")):
        levels = [int(m) for m in re.findall(r"<h([1-6])[\s>]", page.read_text(encoding="utf-8"))]
        assert levels and levels[0] <= 2, page.name
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{page.name}: h{before} followed by h{after}"


def test_the_combined_cohort_pdf_keeps_each_trainees_structure(pdf_kinds):
    with pikepdf.open(pdf_kinds["cohort"]) as pdf:
        document = pdf.Root.StructTreeRoot.K
        assert document.S == "/Document"
        parts = list(document.K)
        assert [str(p.S) for p in parts] == ["/Part"] * 3  # one per trainee
        assert all(len(p.K) > 5 for p in parts)
        assert str(pdf.Root.Lang) == "en" and pdf.Root.MarkInfo.Marked
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1" and xmp["dc:title"] == "Cohort workbooks"
        keys = [int(p.StructParents) for p in pdf.pages if "/StructParents" in p]
        assert len(keys) == len(set(keys)) > 0  # moved apart per trainee
