"""Pages a book designer would sign: the measure of running text, and no page left with a
stray line or two (a key point, a heading, "Next meeting" or a table row alone)."""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path

import pytest
from conftest import TODAY, outline_entries
from pypdf import PdfReader

from mentorbook import BuildOptions, build

MIN_LINES = 8
MARGIN = 40  # pt: the running header and footer sit within this far of the top and bottom edges


@pytest.fixture(scope="module")
def blank_a4(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("blank-a4")
    return build(BuildOptions(out_dir=out, blank=True, page_size="a4", today=TODAY, format="pdf")).pdf


def body_lines(pdf: Path, page: int, width: float, height: float) -> list[str]:
    """The non-empty text lines of ``page`` (1-based) inside its margins, as laid out."""
    crop = ["-x", "0", "-y", str(MARGIN), "-W", str(int(width)), "-H", str(int(height - 2 * MARGIN))]
    text = subprocess.run(["pdftotext", "-layout", "-r", "72", *crop, "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [line for line in text.splitlines() if line.strip()]


def short_pages(pdf: Path) -> list[tuple[int, list[str]]]:
    """Pages with fewer than MIN_LINES lines of text, other than the cover (page 1) and
    duplex blanks: a page without any text that comes before an odd page, where a
    workbook or chapter starts on a right-hand page."""
    reader = PdfReader(pdf)
    short = []
    for number, page in enumerate(reader.pages, 1):
        if number == 1:
            continue
        lines = body_lines(pdf, number, float(page.mediabox.width), float(page.mediabox.height))
        if not lines and number % 2 == 0:
            continue
        if len(lines) < MIN_LINES:
            short.append((number, lines))
    return short


@pytest.mark.parametrize("kind", ["sample", "sample a4", "blank letter", "blank a4", "example program"])
def test_no_page_holds_only_a_few_stray_lines(kind, request):
    pdf = {
        "sample": lambda: request.getfixturevalue("sample_build").pdf,
        "blank letter": lambda: request.getfixturevalue("blank_build").pdf,
        "blank a4": lambda: request.getfixturevalue("blank_a4"),
        "sample a4": lambda: request.getfixturevalue("sample_a4"),
        "example program": lambda: request.getfixturevalue("example_program_output") / "workbook.pdf",
    }[kind]()
    short = short_pages(pdf)
    assert not short, "\n".join(f"{kind} page {n}: {len(lines)} lines: {lines}" for n, lines in short)


def test_the_introductions_lines_hold_60_to_80_characters(sample_build, sample_pdf):
    entries = outline_entries(sample_pdf)
    first = next(page for level, title, page in entries if level == 1 and title == "Introduction")
    after = min(page for level, title, page in entries if level == 1 and page > first)
    lengths = []
    for number in range(first, after):
        box = sample_pdf.pages[number - 1].mediabox
        lines = body_lines(sample_build.pdf, number, float(box.width), float(box.height))
        lengths += [len(line.strip()) for line in lines if len(line.strip()) > 25]  # body lines, not headings
    assert len(lengths) > 40
    assert 60 <= statistics.median(lengths) <= 80, statistics.median(lengths)


def test_a_scan_tells_a_stray_line_from_a_full_page(tmp_path):
    """The page scan itself: a document whose second page holds one line is caught."""
    from mentorbook.print.pdf import html_to_pdf

    body = "".join(f"<p>Line {i} of a full page of text.</p>" for i in range(50))
    html = (f"<html><head><style>@page {{ size: letter; margin: 20mm }} p {{ margin: 0 }}</style></head>"
            f"<body>{body}</body></html>")
    pdf, _ = html_to_pdf(html, None, [], "2026-11-25T12:00:00+00:00")
    path = tmp_path / "stray.pdf"
    path.write_bytes(pdf)
    short = short_pages(path)
    assert short and short[0][0] == 2 and len(short[0][1]) < MIN_LINES
