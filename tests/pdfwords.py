"""The words of a print layout and of a PDF's text layer, to compare them (pdftotext).

The words of the print HTML are its rendered text: what the print layout shows
(nothing in <head>, scripts, SVG titles and descriptions, form controls, whose
contents are form fields, or elements the stylesheets hide), split into words. Each
word must be in the PDF's text at least as many times as in the HTML (``missing``):
a word that a broken ToUnicode map turns into something else ("first" read as "rst")
is missing even when the same word is printed elsewhere in a font that maps it.
"""

from __future__ import annotations

import csv
import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import TODAY

UNSEEN = ["head", "script", "style", "template", "title", "desc", "textarea", "select", "input", "noscript"]
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def _hidden(css: str):
    """Selectors of the rules that hide what they select (display: none)."""
    for selectors, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        if re.search(r"display\s*:\s*none", body):
            yield from (s.strip() for s in selectors.split(",") if s.strip() and "::" not in s)


def html_words(html: str, css: str = "") -> Counter:
    """The words the print layout ``html`` (with stylesheets ``css``) shows."""
    soup = BeautifulSoup(html, "html.parser")
    css += "".join(style.get_text() for style in soup.find_all("style"))
    for tag in soup(UNSEEN):
        tag.decompose()
    for selector in ["[hidden]", *_hidden(css)]:
        for tag in soup.select(selector):
            tag.decompose()
    return Counter(words(soup.get_text(" ")))


def pdf_words(path: Path) -> Counter:
    """The words of the PDF's text layer, in content order (-raw: no joining of a word
    broken at a line's hyphen with the next line, no columns guessed)."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return Counter(words(text))


def missing(expected: Counter, found: Counter) -> dict[str, int]:
    """Each word found fewer times than expected, and how many times fewer."""
    return {word: count - found[word] for word, count in expected.items() if found[word] < count}


def print_layout(folder: Path) -> Counter:
    """The words of a build's print layout, kept in its print/ folder."""
    css = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.css")))
    return html_words((folder / "workbook.html").read_text(encoding="utf-8"), css)


def cohort_layouts(cohort: Path, project: Path | None = None) -> dict[str, Counter]:
    """PDF file (in the cohort folder) -> the words of its trainee's print layout, made as
    the cohort makes it (roster rows, no workbook of their own), with ``project``'s guide."""
    from mentorbook import BuildOptions
    from mentorbook.core.load import load_sources
    from mentorbook.pipeline import analyse_data
    from mentorbook.print.pdf import PRINT_HTML, render_print_files
    from mentorbook.program.config import load_project
    from mentorbook.program.project import BUILTIN
    from mentorbook.staff.cohort import roster_workbook
    from mentorbook.staff.roster import read_roster

    roster = cohort.parent / "roster.csv"
    files = {row["trainee"]: row["pdf"] for row in csv.DictReader((cohort / "summary.csv").open(encoding="utf-8"))}
    program = load_project(project) if project else BUILTIN
    sources, _ = load_sources(program)
    layouts = {}
    for row in read_roster(roster).rows:
        options = BuildOptions(workbook=roster, blank=True, prefilled=True, today=TODAY, project=program)
        workbook = analyse_data(roster_workbook(row), roster, options, sources).workbook
        print_files = render_print_files(workbook, options.render_options)
        layouts[files[row.name]] = html_words(str(print_files[PRINT_HTML]), str(print_files["print.css"]))
    return layouts


def expected_words(kind: str, pdf: Path, report=None, project: Path | None = None) -> Counter:
    """The words of the print layout of the PDF ``pdf`` of kind ``kind`` (see conftest.pdf_kinds)."""
    if kind in ("agenda", "brief"):  # the HTML copy beside the PDF: the same page, with web fonts
        return html_words(pdf.with_suffix(".html").read_text(encoding="utf-8"))
    if kind == "report":
        from mentorbook.core.fonts import font_face_css
        from mentorbook.staff.report_render import report_html

        return html_words(report_html(report, print_css=font_face_css(lambda name: name)))
    if kind == "cohort":
        return sum(cohort_layouts(pdf.parent, project).values(), Counter())
    return print_layout(pdf.parent / "print")
