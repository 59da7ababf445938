"""PDF/UA-1: every kind of PDF mentorbook writes passes the Matterhorn checks of
tests/pdfua_check.py, the mended structure is what a screen reader needs, and the text
layer gives back every word of the print layout (tests/pdfwords.py). The checks find
each defect when it is put back into a finished file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfua_check
import pikepdf
import pytest
from conftest import TODAY
from pdfwords import cohort_layouts, expected_words, missing, pdf_words, print_layout

from mentorbook import BuildOptions, build
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.program.config import load_project

KINDS = ["sample", "blank letter", "blank a4", "fillable", "fillable blank", "spanish", "example program",
         "agenda", "brief", "report", "cohort"]


@pytest.mark.parametrize("kind", KINDS)
def test_no_matterhorn_failures(pdf_kinds, kind):
    failures = pdfua_check.check(pdf_kinds[kind])
    assert not failures, "\n".join(map(str, failures[:20]))


def test_the_checker_finds_what_weasyprint_alone_leaves(tmp_path, monkeypatch, cohort_guide):
    """Without the mending finisher (WeasyPrint's pdf/ua-1 variant alone) the same workbook
    fails: the checker is not a rubber stamp. (Two practices show every failure the whole
    guide shows, a link between chapters included, in 40% of its time.)"""
    import mentorbook.print.tags as tags

    monkeypatch.setattr(tags, "mend", lambda document, pdf: None)
    built = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path, today=TODAY, format="pdf", jobs=1,
                               project=load_project(cohort_guide)))
    found = {f.condition for f in pdfua_check.check(built.pdf)}
    assert {"09-005", "16-001", "15-003", "18-001", "28-011", "01-005", "ST-01", "ST-02", "ST-04"} <= found


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
        for label, link in zip(labels, links, strict=True):  # the number each link reads is the page it opens
            dest = dests[str(link.Dest)]
            dest = dest.D if isinstance(dest, pikepdf.Dictionary) else dest
            assert label.endswith(f" {pages[dest[0].objgen]}"), label
        assert len(links) == 11  # introduction, five practices, five worksheets
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf_kinds["sample"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert ". . . ." in text  # the leaders are still printed, only no longer tagged


def test_site_pages_skip_no_heading_level(sample_build):
    """The goal cards went H2 -> H4 on the site as in the PDF; headings now step one level at a time."""
    import re

    site = sample_build.site_index.parent
    for page in sorted(site.glob("*.html")):
        levels = [int(m) for m in re.findall(r"<h([1-6])[\s>]", page.read_text(encoding="utf-8"))]
        assert levels and levels[0] <= 2, page.name
        for before, after in zip(levels, levels[1:], strict=False):
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


# -- a text layer a reader can trust ------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_word_of_the_print_layout_is_in_the_text_layer(pdf_kinds, report_build, short_guide, kind):
    """Each word of the print HTML, as many times, in pdftotext of the PDF (see pdfwords.py)."""
    expected = expected_words(kind, pdf_kinds[kind], report_build[0], short_guide)
    assert sum(expected.values()) > 150, kind  # the layout was found and read
    lost = missing(expected, pdf_words(pdf_kinds[kind]))
    assert not lost, f"{kind}: words of the print layout missing from the PDF's text: {lost}"


def test_each_trainees_pdf_of_a_cohort_reads_as_its_print_layout(pdf_kinds, short_guide):
    """The cohort's own PDFs (laid out with the guidance shared) and the combined one."""
    cohort = pdf_kinds["cohort"].parent
    layouts = cohort_layouts(cohort, short_guide)
    assert len(layouts) == 3
    for name, expected in layouts.items():
        assert not missing(expected, pdf_words(cohort / name)), name


def test_the_fillable_sample_reads_first_meeting_and_refine(pdf_kinds):
    text = subprocess.run(["pdftotext", str(pdf_kinds["fillable"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    assert "A first meeting" in text and "refine" in text and "different" in text
    assert " rst " not in text and "re ned" not in text and "di erent" not in text


def test_the_combined_pdf_stores_each_font_once(pdf_kinds):
    """Equal fonts of different trainees are one object; fewer programs than the trainees' PDFs hold."""
    def programs(path):
        with pikepdf.open(path) as pdf:
            return sum(1 for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/Length1" in o)

    cohort = pdf_kinds["cohort"].parent
    separate = sum(programs(p) for p in (cohort / "trainees").glob("*.pdf"))
    assert 0 < programs(cohort / "cohort.pdf") < separate


# -- the checks fail when a defect is put back ------------------------------------


def _copy(source: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(source, tmp_path / source.name))


def _conditions(path: Path) -> set[str]:
    return {f.condition for f in pdfua_check.check(path)}


def test_a_tounicode_map_without_ligatures_is_found(pdf_kinds, tmp_path):
    """The fillable's text font (each subset of it: a PDF laid out side by side has one per
    process) with its ToUnicode made from the character map alone (as WeasyPrint writes a
    font shared with a form field): ligatures lose their text."""
    path = _copy(pdf_kinds["fillable"], tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        fonts = {f.objgen: f for page in pdf.pages for f in page.Resources.Font.values()
                 if str(f.BaseFont).endswith("+Noto-Sans")}
        assert fonts
        for font in fonts.values():
            pairs = re.findall(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>", font.ToUnicode.read_bytes())
            kept = [(code, text) for code, text in pairs if len(text) == 4]
            assert len(kept) < len(pairs)  # the map had ligatures ("fi": one code, two characters)
            font.ToUnicode = pikepdf.Stream(pdf, _cmap(kept))
        pdf.save(path)
    assert "FN-03" in _conditions(path)
    lost = missing(print_layout(pdf_kinds["fillable"].parent / "print"), pdf_words(path))
    assert {"refine", "different", "fit"} <= set(lost)


def _cmap(pairs: list[tuple[bytes, bytes]]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        lines += [b"%d beginbfchar" % len(chunk), *(b"<%s> <%s>" % pair for pair in chunk), b"endbfchar"]
    return b"\n".join([*lines, b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"])


def test_unreachable_elements_and_a_list_in_a_list_are_found(pdf_kinds, tmp_path):
    """The sample with an element the tree does not hold in its parent tree (as WeasyPrint
    leaves its running heads), and a nested list hung on its outer list."""
    path = _copy(pdf_kinds["sample"], tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
        stray = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=document,
                                                     K=pikepdf.Array([])))
        nums[1].append(stray)
        body, nested = _nested_list(root)
        body.K = pikepdf.Array([k for k in body.K if k.objgen != nested.objgen])
        item = body.P
        outer = item.P
        outer.K = pikepdf.Array([*outer.K, nested])
        nested.P = outer
        pdf.save(path)
    assert {"ST-01", "ST-02", "ST-04", "09-005"} <= _conditions(path)


def _nested_list(root):
    """(LBody, L): a list nested in an item."""
    queue = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    while queue:
        node = queue.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if node.get("/S") == "/LBody" and kid.S == "/L":
                    return node, kid
                queue.append(kid)
    raise AssertionError("the sample has no nested list")


def test_fonts_joined_without_sharing_are_found(pdf_kinds, tmp_path, monkeypatch):
    """Trainees' PDFs joined with every font copied under its own tag (as before fonts
    were shared): one name on several font objects, one program stored several times."""
    from mentorbook.print import join as pdfjoin

    monkeypatch.setattr(pdfjoin.PdfJoiner, "_font", lambda self, source, reference: None)
    path = tmp_path / "joined.pdf"
    with path.open("wb") as out:
        joiner = pdfjoin.PdfJoiner(out)
        for i, trainee in enumerate(sorted((pdf_kinds["cohort"].parent / "trainees").glob("*.pdf"))):
            joiner.add(trainee, trainee.stem, f"t{i}")
        joiner.close("Joined")
    assert {"FN-01", "FN-02"} <= _conditions(path)
