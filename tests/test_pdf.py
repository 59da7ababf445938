"""The PDF workbook: pages, contents, outline, running headers, metadata."""

from __future__ import annotations

import re

from conftest import PRACTICE_TITLES, SAMPLE_GOAL, SAMPLE_NAME, WORKSHEET_TITLES, outline_entries, pdf_text
from pypdf import PdfReader


def test_pdf_has_enough_pages(sample_pdf):
    assert len(sample_pdf.pages) >= 12


def test_outline_names_introduction_and_practices_in_page_order(sample_pdf):
    top = [(title, page) for level, title, page in outline_entries(sample_pdf) if level == 1]
    assert [title for title, _ in top] == ["Introduction", *PRACTICE_TITLES]
    pages = [page for _, page in top]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)


def test_worksheets_are_nested_bookmarks(sample_pdf):
    children = [title for level, title, _ in outline_entries(sample_pdf) if level == 2]
    assert children == WORKSHEET_TITLES


def test_contents_page_numbers_match_heading_pages(sample_pdf):
    toc = sample_pdf.pages[1].extract_text()
    assert toc.lstrip().startswith("Contents")
    bookmarks = {title: page for level, title, page in outline_entries(sample_pdf) if level == 1}
    for title in ["Introduction", *PRACTICE_TITLES]:
        match = re.search(rf"{re.escape(title)}[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, f"{title} missing from contents:\n{toc}"
        printed = int(match.group(1))
        assert printed == bookmarks[title], title
        # and the heading really is on that page
        assert title in sample_pdf.pages[printed - 1].extract_text()


def test_each_practice_starts_on_a_new_page_with_running_header(sample_pdf):
    bookmarks = [(title, page) for level, title, page in outline_entries(sample_pdf) if level == 1]
    for title, page in bookmarks[1:]:
        text = sample_pdf.pages[page - 1].extract_text()
        assert f"Page {page}" in text
        # the practice title appears as the page's chapter heading and running header
        assert text.upper().count(title.upper()) >= 2, text[:300]
        previous = sample_pdf.pages[page - 2].extract_text()
        assert f"Page {page - 1}" in previous


def test_running_header_names_practice_on_later_pages(sample_pdf):
    bookmarks = [(title, page) for level, title, page in outline_entries(sample_pdf) if level == 1]
    title, page = bookmarks[1]  # first practice; its guidance runs over more than one page
    assert title.upper() in sample_pdf.pages[page].extract_text().upper()


def test_text_has_trainee_and_goal(sample_pdf):
    text = pdf_text(sample_pdf)
    assert SAMPLE_NAME in text
    assert SAMPLE_GOAL in text
    assert "Zerzan" in text  # the model is credited


def test_metadata_language_and_tags(sample_pdf):
    meta = sample_pdf.metadata
    assert meta.title == f"Mentoring workbook: {SAMPLE_NAME}"
    assert meta.author == SAMPLE_NAME
    root = sample_pdf.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_letter_by_default(sample_pdf):
    box = sample_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a4_on_request(sample_a4):
    box = PdfReader(sample_a4).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_cover_shows_name_program_and_date(sample_pdf):
    cover = sample_pdf.pages[0].extract_text()
    assert "Mentoring workbook" in cover
    assert SAMPLE_NAME in cover
    assert "Internal Medicine Residency Program" in cover
    assert "20 November 2026" in cover  # the workbook's 'updated' date


def test_blank_pdf_has_no_sample_data_but_same_worksheets(blank_pdf, sample_pdf):
    text = pdf_text(blank_pdf)
    assert SAMPLE_NAME not in text
    assert "Marchetti" not in text
    assert SAMPLE_GOAL not in text
    assert "Whitcombe" not in text
    blank_sheets = [t for level, t, _ in outline_entries(blank_pdf) if level == 2]
    filled_sheets = [t for level, t, _ in outline_entries(sample_pdf) if level == 2]
    assert blank_sheets == filled_sheets == WORKSHEET_TITLES
    # the blank form offers the seven example skill areas and date boxes to fill in
    for area in ("Networking", "Research methods", "Work-life balance"):
        assert area in text
    assert "YYYY" in text


def base_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_an_edited_font_face_is_used_by_the_next_pdf_in_the_same_process(tmp_path):
    """PDFs share font set-up while styles stay the same (a cohort); an edited @font-face
    (``serve`` after a save) must not keep the old font file."""
    from mentorbook.base.paths import SAMPLE_WORKBOOK, TEMPLATES_DIR
    from mentorbook.pipeline import BuildOptions, build
    from mentorbook.program.config import load_project

    root = tmp_path / "program"
    (root / "templates").mkdir(parents=True)
    (root / "mentorbook.yml").write_text("program: Font test\npractices: [self-reflect]\n")  # a short PDF
    default_css = (TEMPLATES_DIR / "print.css").read_text(encoding="utf-8")

    def build_with(font_file: str) -> set[str]:
        (root / "templates" / "print.css").write_text(
            default_css + '\n@font-face { font-family: "Brand Face"; '
                          f'src: url("fonts/{font_file}") format("truetype"); }}\n'
                          'h1 { font-family: "Brand Face"; }\n', encoding="utf-8")
        result = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path / "out", format="pdf",
                                    project=load_project(root)))
        return base_fonts(PdfReader(result.pdf))

    assert "Brand-Face-Bold-Italic" in build_with("NotoSans-BoldItalic.ttf")
    after_edit = build_with("NotoSerif-Bold.ttf")
    assert "Brand-Face-Bold-Italic" not in after_edit and "Brand-Face-Bold" in after_edit, after_edit


def test_print_files_are_laid_out_from_memory():
    import io

    from mentorbook.print.pdf import html_to_pdf

    html = ('<html><head><link rel="stylesheet" href="print.css"><link rel="stylesheet" href="gone.css">'
            '<link rel="stylesheet" href="../../etc/passwd"></head><body><p>Hello</p></body></html>')
    files = {"workbook.html": html, "print.css": 'p::after { content: " from memory"; }'}
    pdf, refused = html_to_pdf(html, None, [], "2026-01-01T00:00:00+00:00", files=files)
    assert "Hello from memory" in pdf_text(PdfReader(io.BytesIO(pdf)))
    assert refused == ["file:///etc/passwd"], "a missing file is missing, an address outside is refused"


def test_layout_settings_travel_beside_the_model_not_in_it():
    from msgspec.structs import fields

    from mentorbook import BuildOptions
    from mentorbook.core.model import Workbook, Worksheet
    from mentorbook.core.options import RenderOptions
    from mentorbook.core.render import make_renderer
    from mentorbook.pipeline import prepare
    from mentorbook.print.pdf import print_html

    assert not {"page_size", "blank", "fillable", "prefilled"} & {f.name for f in fields(Workbook)}
    assert "fillable" not in {f.name for f in fields(Worksheet)}
    workbook = prepare(BuildOptions())
    renderer = make_renderer()
    letter = print_html(renderer, workbook)
    a4_blank = print_html(renderer, workbook, "", RenderOptions(page_size="a4", blank=True))
    assert "size: letter;" in letter and '<body class="filled">' in letter
    assert "size: A4;" in a4_blank and '<body class="blank">' in a4_blank
    assert 'type="radio"' not in letter
    assert 'type="radio"' in print_html(renderer, workbook, "", RenderOptions(fillable=True))
