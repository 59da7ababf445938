"""A program's milestones on each trainee's home page and in the PDF's "where you stand",
judged like the report and the calendar judge them (core.milestones)."""

from __future__ import annotations

import datetime as dt

import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from mentorbook.cli import main

TODAY = dt.date(2026, 11, 25)
MILESTONES = """\
program: Milestone Program
milestones:
  - {title: A self-reflection, by: week 4, done: self-reflection}
  - {title: An agreement, by: week 8, done: agreement}
  - {title: A review, by: month 6, done: review}
"""
# Started 2026-06-01: the self-reflection is met (a goal), the agreement late (none), the review due.
WORKBOOK = {
    "trainee": {"name": "Mo Planted", "start_date": "2026-06-01"},
    "self_reflection": {"goals": [{"title": "Write a paper", "term": "short"}]},
}
WANT = [("A self-reflection", "29 June 2026", "met"), ("An agreement", "27 July 2026", "late"),
        ("A review", "1 December 2026", "due")]


def test_milestones_show_on_the_home_page_and_in_the_pdf(tmp_path):
    project = tmp_path / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text(MILESTONES, encoding="utf-8")
    book = tmp_path / "mo.yml"
    book.write_text(yaml.safe_dump(WORKBOOK, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(book), "--project", str(project), "-o", str(out), "--today", TODAY.isoformat(),
                 "-q"]) == 0
    home = BeautifulSoup((out / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = home.find("section", class_="milestones")
    rows = [tuple(td.get_text(" ", strip=True) for td in tr.find_all("td")) for tr in section.select("tbody tr")]
    assert rows == WANT
    assert "1 June 2026" in section.find("p").get_text(" ", strip=True)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out / "workbook.pdf").pages[:8])
    for title, due, status in WANT:
        assert f"{title}, by {due}: {status}" in text


def test_no_milestones_without_a_start_date_or_a_program(tmp_path):
    project = tmp_path / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text(MILESTONES, encoding="utf-8")
    book = tmp_path / "no.yml"
    book.write_text("trainee:\n  name: No Start\n", encoding="utf-8")
    for args in (["--project", str(project)], []):
        out = tmp_path / f"out{len(args)}"
        assert main(["build", str(book), *args, "-o", str(out), "--today", TODAY.isoformat(), "--format", "html",
                     "-q"]) == 0
        home = BeautifulSoup((out / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert home.find("section", class_="milestones") is None
        assert home.find(id="practices-title") is not None
