"""A `done: mentor` milestone: met by a mentor the trainee has, concluded or not, and
never by a mentor the program's directory merely suggests; the home page, the PDF, the
calendar and the report agree."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from mentorbook.cli import main

TODAY = dt.date(2026, 11, 25)
PROGRAM = """\
program: Mentor Milestone Program
milestones:
  - {title: A first mentor, by: week 2, done: mentor}
"""
DIRECTORY = """\
mentors:
  - {name: Dr. Dir Ectory, areas: [research methods], career_stage: senior, capacity: 3}
"""
AREAS = {"skill_areas": [{"area": "Research methods", "priority": "high"}]}
WORKBOOKS = {  # trainee: (workbook answers, the milestone's status)
    "Sam Suggested": ({"self_reflection": AREAS}, "late"),  # only the program's suggestion on the map
    "Cy Concluded": ({"self_reflection": AREAS,
                      "mentors": [{"name": "Dr. Past", "first_meeting": dt.date(2026, 9, 5)}],
                      "agreements": [{"mentor": "Dr. Past"}],
                      "transitions": [{"mentor": "Dr. Past", "date": dt.date(2026, 10, 1), "outcome": "conclude"}]},
                     "met"),
    "Pat Program": ({"mentors": [{"name": "Dr. Pro Gram", "found_via": "program",
                                  "first_meeting": dt.date(2026, 9, 10)}]}, "met"),  # found so, and met
    "Fu Future": ({"mentors": [{"name": "Dr. Later", "first_meeting": dt.date(2026, 12, 10)}]}, "late"),
}
DUE = "2026-09-15"  # two weeks after the start, 2026-09-01


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    root = tmp_path_factory.mktemp("mentor-milestone")
    project = root / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text(PROGRAM, encoding="utf-8")
    (project / "mentors.yml").write_text(DIRECTORY, encoding="utf-8")
    books = root / "books"
    books.mkdir()
    for name, (answers, _) in WORKBOOKS.items():
        data = {"trainee": {"name": name, "start_date": "2026-09-01"}, **answers}
        (books / f"{name.split()[0].lower()}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root, project, books


def home_rows(out) -> list[tuple[str, ...]]:
    home = BeautifulSoup((out / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = home.find("section", class_="milestones")
    return [tuple(td.get_text(" ", strip=True) for td in tr.find_all("td")) for tr in section.select("tbody tr")]


def test_the_report_and_every_workbook_output_agree(program, monkeypatch):
    root, project, books = program
    out = root / "report"
    assert main(["report", str(books), "-o", str(out), "--project", str(project), "--today", TODAY.isoformat(),
                 "--format", "csv", "-q"]) == 0
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    epoch = calendar.timegm(TODAY.timetuple())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))  # the calendar's "today"
    for name, (_, status) in WORKBOOKS.items():
        assert rows[name]["milestones"] == f"A first mentor: {status} ({DUE})", name
        book = books / f"{name.split()[0].lower()}.yml"
        built = root / f"built-{name.split()[0]}"
        fmt = ["--format", "html"] if name != "Sam Suggested" else []
        assert main(["build", str(book), "--project", str(project), "-o", str(built), "--today", TODAY.isoformat(),
                     "-q", *fmt]) == 0
        assert home_rows(built) == [("A first mentor", "15 September 2026", status)], name
        ics = root / f"{name.split()[0]}.ics"
        assert main(["calendar", str(book), "--project", str(project), "-o", str(ics), "-q"]) == 0
        assert f"SUMMARY:Milestone: A first mentor ({status})" in ics.read_text(encoding="utf-8"), name
    sam = root / "built-Sam"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(sam / "workbook.pdf").pages)
    assert "Dr. Dir Ectory" in text  # the suggestion is on her map, and does not meet the milestone
    assert "A first mentor, by 15 September 2026: late" in text


def test_a_misspelled_done_gets_a_did_you_mean(tmp_path, capsys):
    (tmp_path / "mentorbook.yml").write_text(
        "program: P\nmilestones:\n  - {title: Meet, every: month, done: meetings}\n", encoding="utf-8")
    assert main(["report", str(tmp_path), "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "mentorbook.yml:3:39: error: milestones[0].done: 'done' is one of:" in err
    assert "did you mean 'meeting'?" in err and "Traceback" not in err
