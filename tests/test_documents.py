"""Instruments that stand alone: documents of chosen worksheets, and practice numbering that
follows the practices a project shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfua_check
import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, outline_entries, pdf_text
from pypdf import PdfReader

from mentorbook.base.paths import CONTENT_DIR
from mentorbook.cli import main

INSTRUMENTS = CONTENT_DIR / "examples" / "instruments"
COMPACT_ONLY = """\
program: Northbridge Mentoring
practices: [establish]
documents:
  - id: compact
    title: {en: Our mentoring compact, es: Nuestro compromiso de mentoría}
    worksheets: [agreements]
"""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def run(capsys, *args) -> tuple[int, str]:
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def compact_project(tmp_path_factory) -> Path:
    """A program whose only worksheet is its compact (the instruments example's, with its signatures)."""
    root = tmp_path_factory.mktemp("compact-only")
    (root / "worksheets").mkdir()
    shutil.copy(INSTRUMENTS / "worksheets" / "compact.yml", root / "worksheets" / "compact.yml")
    (root / "mentorbook.yml").write_text(COMPACT_ONLY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def compact_build(compact_project, tmp_path_factory) -> Path:
    """`mentorbook build --project P --format pdf`: the guide's PDF and, from the documents list, compact.pdf."""
    out = tmp_path_factory.mktemp("compact-out")
    assert main(["build", "--project", str(compact_project), "--out", str(out), "--format", "pdf", "-q",
                 "--today", TODAY.isoformat()]) == 0
    return out


def test_the_documents_list_makes_the_compact_pdf_with_a_cover_that_names_it(compact_build):
    reader = PdfReader(compact_build / "compact.pdf")
    cover = reader.pages[0].extract_text()
    assert "Our mentoring compact" in cover and "Northbridge Mentoring" in cover.title()
    text = pdf_text(reader)
    assert "practice" not in text.lower() and "five" not in text.lower()
    assert "Mentoring compact" in text and "Signatures" in text  # the worksheet itself, every field
    assert reader.metadata.title == "Our mentoring compact"
    assert [title for level, title, _ in outline_entries(reader) if level == 1] == ["Mentoring compact"]
    layout = (compact_build / "print" / "compact.html").read_text(encoding="utf-8")
    assert "chapter-num" not in layout and "cycle" not in layout
    assert pdfua_check.check(compact_build / "compact.pdf") == []


def test_a_guide_of_one_practice_has_no_practice_numbers(compact_build):
    text = pdf_text(PdfReader(compact_build / "workbook.pdf"))
    assert "Practice 3 of 1" not in text and "PRACTICE 3 OF 1" not in text.upper()
    assert "practice 1 of 1" not in text.lower() and "Five practices" not in text
    assert "Guidance for mentees, with worksheets" in text
    layout = soup(compact_build / "print" / "workbook.html")
    assert layout.select(".chapter-num, .toc-num, .cover-figure") == []


def test_build_only_makes_one_worksheet_standing_alone_under_its_title(compact_project, tmp_path, capsys):
    code, said = run(capsys, "build", "--project", compact_project, "--out", tmp_path, "--only", "agreements",
                     "--today", TODAY.isoformat())
    assert code == 0 and f"PDF:  {tmp_path / 'agreements.pdf'}" in said and "Site:" not in said
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["agreements.pdf", "print"]
    cover = PdfReader(tmp_path / "agreements.pdf").pages[0].extract_text()
    assert "Mentoring compact" in cover and "Practice" not in cover


def test_a_documents_title_follows_the_language(compact_project, tmp_path, capsys):
    project = tmp_path / "es"
    shutil.copytree(compact_project, project)
    with (project / "mentorbook.yml").open("a", encoding="utf-8") as config:
        config.write("language: es\n")
    assert main(["build", "--project", str(project), "--out", str(tmp_path / "out"), "--only", "compact", "-q"]) == 0
    layout = soup(tmp_path / "out" / "print" / "compact.html")
    assert layout.select_one(".cover-title").get_text() == "Nuestro compromiso de mentoría"
    assert layout.html["lang"] == "es" and "Hoja de trabajo" in layout.get_text()


def test_unknown_ids_are_located_errors_with_a_suggestion(compact_project, tmp_path, capsys):
    code, said = run(capsys, "build", "--project", compact_project, "--out", tmp_path / "a", "--only", "compakt")
    assert code == 2 and "--only: error: no document or worksheet 'compakt' (did you mean 'compact'?)" in said
    assert "Traceback" not in said and not (tmp_path / "a").exists()
    code, said = run(capsys, "build", "--project", compact_project, "--out", tmp_path / "b", "--only", "compact",
                     "--format", "html")
    assert code == 2 and "--only: error: a document is a PDF" in said

    project = tmp_path / "bad"
    shutil.copytree(compact_project, project)
    config = project / "mentorbook.yml"
    config.write_text(COMPACT_ONLY.replace("[agreements]", "[agreement, mentors]"), encoding="utf-8")
    code, said = run(capsys, "check", "--project", project)
    assert code == 2
    assert (f"{config}:6:18: error: documents[0].worksheets[0]: no worksheet 'agreement' for the document "
            "'compact' (did you mean 'agreements'?)") in said
    config.write_text(COMPACT_ONLY + "  - {id: workbook, titel: X, worksheets: [mentors]}\n"
                      "  - {id: compact, title: Again, worksheets: mentors}\n", encoding="utf-8")
    code, said = run(capsys, "build", "--project", project, "--out", tmp_path / "c")
    assert code == 2 and not (tmp_path / "c").exists()
    for where, message in (("7:10", "documents[1].id: 'workbook' cannot be a document's id"),
                           ("7:20", "documents[1].titel: unknown key 'titel' in a document "
                                    "(did you mean 'title'?; allowed keys: id, title, worksheets)"),
                           ("8:45", "documents[2].worksheets: a document needs 'worksheets', a list of worksheet ids")):
        assert f"{config}:{where}: error: {message}" in said, said


def test_site_numbers_follow_the_practices_shown(tmp_path, capsys):
    root = tmp_path / "two"
    root.mkdir()
    (root / "mentorbook.yml").write_text("practices: [self-reflect, refine-or-conclude]\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--out", str(tmp_path / "out"), "--format", "html", "-q"]) == 0
    site = tmp_path / "out" / "site"
    assert soup(site / "refine-or-conclude.html").select_one(".page-head .kicker").get_text() == "Practice 2 of 2"
    home = soup(site / "index.html")
    assert [n.get_text() for n in home.select(".practice-cards .num")] == ["1", "2"]
    assert home.find(id="practices-title").get_text() == "In this guide"
    assert "five" not in home.select_one(".hero").get_text().lower()
    assert "The practices are adapted" in home.get_text() and "The five practices" not in home.get_text()

    (root / "mentorbook.yml").write_text("practices: [establish]\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--out", str(tmp_path / "one"), "--format", "html", "-q"]) == 0
    site = tmp_path / "one" / "site"
    assert soup(site / "establish.html").select(".page-head .kicker") == []
    assert soup(site / "index.html").select(".num, .cycle-figure") == []


def test_a_fillable_document_leads_with_about_me_and_imports_back(compact_project, tmp_path, capsys):
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee:\n  name: Ada Fellow\nmentors:\n  - {name: Dr. Compact}\nagreements:\n"
                        "  - {mentor: Dr. Compact, confidentiality: true}\n", encoding="utf-8")
    assert main(["build", str(workbook), "--project", str(compact_project), "--out", str(tmp_path / "out"),
                 "--only", "compact", "--fillable", "-q", "--today", TODAY.isoformat()]) == 0
    pdf = tmp_path / "out" / "compact.pdf"
    assert [title for level, title, _ in outline_entries(PdfReader(pdf)) if level == 1] == [
        "About me", "Mentoring compact"]
    back = tmp_path / "back.yml"
    assert main(["import", str(pdf), "-o", str(back), "--project", str(compact_project), "-q"]) == 0
    imported = back.read_text(encoding="utf-8")
    assert "name: Ada Fellow" in imported and "mentor: Dr. Compact" in imported and "current_practice" not in imported
