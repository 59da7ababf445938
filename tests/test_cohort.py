"""Cohorts: a workbook per trainee, a print-ready combined PDF, an index and a summary."""

from __future__ import annotations

import csv
import json

import pytest
from bs4 import BeautifulSoup
from conftest import COHORT_TRAINEES, EXAMPLE_COHORT, TODAY, outline_entries, pdf_text
from pypdf import PdfReader

from mentorbook.base.names import UniqueNames, slug
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.writer import MANIFEST
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_sources
from mentorbook.pipeline import BuildOptions, analyse_data
from mentorbook.print.join import PdfJoiner
from mentorbook.program.config import load_project
from mentorbook.staff.cohort import build_cohort, merge, roster_workbook
from mentorbook.staff.roster import read_roster

ROSTER = EXAMPLE_COHORT / "roster.csv"
COUNT = len(COHORT_TRAINEES)


@pytest.fixture(scope="module")
def cohort(example_cohort):
    return example_cohort


def test_the_example_roster_is_forty_trainees_who_all_check(tmp_path):
    """The example's 40 rows, each checked as a cohort build reads it (bench/ builds cohorts of 40 and 200)."""
    roster = read_roster(ROSTER)
    assert roster.problems == [] and len(roster.rows) == 40
    assert len({slug(row.name) for row in roster.rows}) == 40
    sources, problems = load_sources()
    assert problems == []
    for row in roster.rows:
        own = row.workbook is not None
        raw = merge(read_yaml(row.workbook), row) if own else roster_workbook(row)
        options = BuildOptions(workbook=row.workbook or ROSTER, blank=not own, prefilled=not own, today=TODAY)
        analysis = analyse_data(raw, row.workbook or ROSTER, options, sources)
        assert analysis.errors == [] and row.name in analysis.workbook.trainee.name, row.name


def test_every_trainee_gets_a_pdf(cohort):
    assert [o.name for o in cohort.outcomes] == list(COHORT_TRAINEES) and cohort.failures == []
    pdfs = sorted((cohort.out_dir / "trainees").glob("*.pdf"))
    assert len(pdfs) == COUNT
    first = PdfReader(pdfs[0])
    assert len(first.pages) >= 12


def test_personalized_pdf_has_name_and_assigned_mentors(cohort):
    reader = PdfReader(cohort.out_dir / "trainees" / "amara-nwosu.pdf")
    assert "Amara Nwosu" in reader.pages[0].extract_text()
    assert "Amara Nwosu" in reader.pages[5].extract_text(), "the running header names the trainee"
    text = pdf_text(reader)
    assert "Dr. Helen Osei" in text and "Assigned mentor" in text
    assert "Marchetti" not in text  # blank worksheets otherwise


def test_own_workbook_answers_are_used(cohort):
    chen = next(o for o in cohort.outcomes if o.name == "Chen Wei")
    assert chen.ok and chen.pages >= 8  # cover, contents, two practices and their sheets
    text = pdf_text(PdfReader(cohort.out_dir / "trainees" / "chen-wei.pdf"))
    assert "Present a morning report case" in text
    assert "Dr. Priya Natarajan" in text and "Dr. Jonah Feldman" in text  # roster mentors added


def test_combined_pdf_starts_every_trainee_on_an_odd_page(cohort):
    combined = PdfReader(cohort.out_dir / "cohort.pdf")
    top = [item for item in combined.outline if not isinstance(item, list)]
    marks = [(item.title, combined.get_destination_page_number(item) + 1) for item in top]
    assert len(marks) == COUNT
    own = [len(PdfReader(pdf).pages) for pdf in (cohort.out_dir / "trainees").glob("*.pdf")]
    assert sum(own) <= len(combined.pages) < sum(pages + 1 for pages in own)
    assert [title for title, _ in marks][:2] == ["Amara Nwosu", "Benjamin Carter"]
    for title, page in marks:
        assert page % 2 == 1, (title, page)
        first_line = combined.pages[page - 1].extract_text()
        assert "Mentoring workbook" in first_line
    assert "Ана Мария Петрова" in [t for t, _ in marks]


def test_combined_pdf_keeps_each_trainees_bookmarks_and_links_inside_their_own_pages(cohort):
    combined = PdfReader(cohort.out_dir / "cohort.pdf")
    outline = combined.outline
    starts = [combined.get_destination_page_number(item) for item in outline if not isinstance(item, list)]
    ends = starts[1:] + [len(combined.pages)]
    children = [item for item in outline if isinstance(item, list)]
    assert len(children) == COUNT, "every trainee's own bookmarks hang under their name"
    for start, end, own in zip(starts, ends, children, strict=True):
        titles = [item.title for item in own if not isinstance(item, list)]
        assert titles[:3] == ["Introduction", "Self-reflect", "Identify mentors"]  # the two-practice guide
        for item in own:
            if not isinstance(item, list):
                assert start <= combined.get_destination_page_number(item) < end, (item.title, start, end)
    # the contents page's links go to the same trainee's pages, not the first trainee's
    named = combined.named_destinations
    for start, end in list(zip(starts, ends, strict=True))[:3] + list(zip(starts, ends, strict=True))[-2:]:
        links = [annot.get_object() for page in combined.pages[start:start + 3] for annot in page.get("/Annots") or []]
        targets = [named[str(link["/Dest"])] for link in links if "/Dest" in link]
        assert targets, "the contents page has links"
        for target in targets:
            assert start <= combined.get_destination_page_number(target) < end


def test_index_and_summary(cohort):
    doc = BeautifulSoup((cohort.out_dir / "index.html").read_text(), "html.parser")
    rows = doc.select("tbody tr")
    assert len(rows) == COUNT
    for row in rows:
        for link in row.select("a"):
            assert (cohort.out_dir / link["href"]).is_file(), link["href"]
    with open(cohort.out_dir / "summary.csv", newline="", encoding="utf-8") as handle:
        summary = list(csv.DictReader(handle))
    assert len(summary) == COUNT and {r["status"] for r in summary} == {"ok"}
    assert all(int(r["pages"]) >= 8 for r in summary)


def test_bad_row_and_broken_workbook_do_not_stop_the_others(tmp_path, short_guide, capsys):
    broken = tmp_path / "broken.yml"
    broken.write_text("trainee:\n  name: Broken Person\nmentors:\n  - name: [unclosed\n")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,role,program,start_date,mentors,email,workbook\n"
        "Good One,PGY-1,IM,2026-07-01,Dr. A,,\n"
        "Bad Row,PGY-1,IM,2026-13-40,Dr. A,,\n"
        f"Broken Person,PGY-2,IM,2025-07-01,Dr. B,,{broken.name}\n"
        "Good Two,PGY-2,IM,2025-07-01,,,\n"
    )
    code = main(["cohort", str(roster), "--project", str(short_guide), "--out", str(tmp_path / "out"),
                 "--jobs", "2", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{roster}:3" in err and "'2026-13-40' is not a date" in err
    assert f"{broken}:4" in err
    built = sorted(p.name for p in (tmp_path / "out" / "trainees").glob("*.pdf"))
    assert built == ["good-one.pdf", "good-two.pdf"]
    with open(tmp_path / "out" / "summary.csv", newline="", encoding="utf-8") as handle:
        statuses = {r["trainee"]: r["status"] for r in csv.DictReader(handle)}
    assert list(statuses.values()).count("failed") == 2 and statuses["Good One"] == "ok"


def test_safe_unique_names():
    names = UniqueNames()
    made = [names(n) for n in ("Ana Silva", "Ana Silva", "../../etc/x", "Ана Мария", "  ", ".hidden")]
    assert made[0] != made[1] and len(set(made)) == len(made)
    assert made[3] == "ана-мария"
    for name in made:
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name
    assert slug("../../etc/x") == "etc-x"


def test_roster_workbook_path_is_relative_to_roster(tmp_path, monkeypatch):
    (tmp_path / "me.yml").write_text(SAMPLE_WORKBOOK.read_text())
    roster = tmp_path / "r.csv"
    roster.write_text("name,workbook\nLena,me.yml\n")
    monkeypatch.chdir(SAMPLE_WORKBOOK.parent)  # not where the roster is
    rows = read_roster(roster).rows
    assert [(row.name, row.workbook) for row in rows] == [("Lena", tmp_path / "me.yml")]
    # and a cohort builds from it: Chen Wei's own answers come from 'workbooks/chen-wei.yml'
    # beside the example roster (test_own_workbook_answers_are_used)


def test_one_changed_answer_rebuilds_exactly_one_pdf(tmp_path, short_guide, monkeypatch):
    project = load_project(short_guide)
    for name in ("a", "b"):
        (tmp_path / f"{name}.yml").write_text(f"trainee:\n  name: Person {name.upper()}\nself_reflection:\n"
                                              f"  values: [Honesty]\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,workbook,mentors\nPerson A,a.yml,Dr. X\nPerson B,b.yml,Dr. Y\nPerson C,,Dr. Z\n")
    out = tmp_path / "out"
    events = []
    add = PdfJoiner.add

    def joined(joiner, path, title, prefix):
        events.append(("joined", title))
        add(joiner, path, title, prefix)

    monkeypatch.setattr(PdfJoiner, "add", joined)
    first = build_cohort(roster, out, jobs=1, today=TODAY, project=project,
                         progress=lambda outcome, done, total: events.append(("built", outcome.name)))
    assert [o.rendered for o in first.outcomes] == [True, True, True]
    # the combined PDF is joined while the others are built, in roster order
    assert events == [(kind, f"Person {n}") for n in "ABC" for kind in ("built", "joined")]
    again = build_cohort(roster, out, jobs=1, today=TODAY, project=project)
    assert [o.rendered for o in again.outcomes] == [False, False, False]
    (tmp_path / "b.yml").write_text((tmp_path / "b.yml").read_text().replace("Honesty", "Candour"))
    before = {p.name: p.read_bytes() for p in (out / "trainees").glob("*.pdf")}
    changed = build_cohort(roster, out, jobs=1, today=TODAY, project=project)
    assert [o.name for o in changed.outcomes if o.rendered] == ["Person B"]
    after = {p.name: p.read_bytes() for p in (out / "trainees").glob("*.pdf")}
    assert [name for name in after if after[name] != before[name]] == ["person-b.pdf"]
    top = [title for level, title, _ in outline_entries(PdfReader(out / "cohort.pdf")) if level == 1]
    assert top == ["Person A", "Person B", "Person C"]


def test_a_broken_project_is_reported_before_any_worker_starts(tmp_path, capsys):
    project = tmp_path / "program"
    (project / "worksheets").mkdir(parents=True)
    (project / "mentorbook.yml").write_text("program: Broken program\n")
    (project / "worksheets" / "extra.yml").write_text("id: extra\ntitle: [unclosed\n")
    out = tmp_path / "out"
    code = main(["cohort", str(ROSTER), "--project", str(project), "--out", str(out), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{project / 'worksheets' / 'extra.yml'}:2:" in err and "Traceback" not in err
    assert not out.exists()


def test_a_trainee_file_mentorbook_did_not_make_is_kept_and_reported(tmp_path, short_guide):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,mentors\nPerson A,Dr. X\nPerson B,Dr. Y\n")
    out = tmp_path / "out"
    mine = out / "trainees" / "person-a" / "site" / "index.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own page")
    result = build_cohort(roster, out, jobs=1, today=TODAY, project=load_project(short_guide))
    assert [o.name for o in result.failures] == ["Person A"]
    assert "not overwriting files mentorbook did not create" in result.failures[0].problems[0]
    assert mine.read_text() == "my own page" and not (out / "trainees" / "person-a.pdf").exists()
    manifest = json.loads((out / MANIFEST).read_text())
    assert "trainees/person-b/site/index.html" in manifest["files"]
    assert "trainees/person-b.pdf" in manifest["files"] and "trainees/person-a.pdf" not in manifest["files"]


def test_combined_pdf_passes_qpdf_and_is_no_bigger_than_its_workbooks(cohort):
    """Its small objects are packed in compressed object streams, as each workbook's are:
    written one by one as text they made the file about three times its workbooks' size."""
    import subprocess

    combined = cohort.out_dir / "cohort.pdf"
    workbooks = sorted((cohort.out_dir / "trainees").glob("*.pdf"))
    for pdf in [combined, *workbooks[:2]]:
        checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert checked.returncode == 0 and "No syntax or stream encoding errors" in checked.stdout, checked.stdout
    assert combined.stat().st_size <= 1.2 * sum(pdf.stat().st_size for pdf in workbooks)
    xref = subprocess.run(["qpdf", "--show-xref", str(combined)], capture_output=True, text=True, check=True).stdout
    assert sum(1 for line in xref.splitlines() if "compressed" in line) > 1000


PROGRAM_COMPACT = """\
id: agreements
role: agreements
title: Our compact
practice: establish
repeat: true
entry_title: partner
fields:
  - {id: partner, role: mentor, label: Mentor, type: text, required: true, ref: mentors.name}
  - {id: aims, role: purpose, label: What we aim for, type: longtext}
  - {id: mentee_sign, label: Mentee, type: signature}
  - {id: mentor_sign, label: Mentor, type: signature}
"""


def test_the_assigned_mentor_goes_into_every_trainees_compact_through_the_roles(tmp_path, capsys):
    """The program's compact names its mentor field 'partner': the roster's mentor is written there for a
    trainee who sent a workbook with that mentor already on the map, as for one who sent none."""
    project = tmp_path / "program"
    (project / "worksheets").mkdir(parents=True)
    (project / "mentorbook.yml").write_text("program: Compact Program\n", encoding="utf-8")
    (project / "worksheets" / "compact.yml").write_text(PROGRAM_COMPACT, encoding="utf-8")
    (tmp_path / "own.yml").write_text(
        "trainee:\n  name: Own Workbook\nmentors:\n  - {name: Dr. Assigned, found_via: assigned, decision: ask}\n"
        "  - {name: Dr. Other, decision: ask}\nagreements:\n  - {partner: Dr. Other, aims: Writing}\n",
        encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,mentors,workbook\nOwn Workbook,Dr. Assigned,own.yml\n"
                                         "No Workbook,Dr. Assigned,\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["cohort", str(tmp_path / "roster.csv"), "--out", str(out), "--format", "html", "--jobs", "1",
                 "--project", str(project), "--today", TODAY.isoformat(), "-q"]) == 0
    for slug_ in ("own-workbook", "no-workbook"):
        site = out / "trainees" / slug_ / "site"
        compact = BeautifulSoup((site / "establish.html").read_text(encoding="utf-8"), "html.parser").find(
            id="ws-agreements")
        known = [(k.select_one(".blabel").get_text(strip=True), k.select_one(".known").get_text(strip=True))
                 for k in compact.select(".bfield-known")]
        assert ("Mentor", "Dr. Assigned") in known, (slug_, known)
        mentors = BeautifulSoup((site / "identify-mentors.html").read_text(encoding="utf-8"), "html.parser")
        assert mentors.find(id="ws-mentors").get_text().count("Dr. Assigned") == 1, "on the map once"
    own = BeautifulSoup((out / "trainees" / "own-workbook" / "site" / "establish.html").read_text(encoding="utf-8"),
                        "html.parser").find(id="ws-agreements")
    assert [h.get_text(strip=True) for h in own.select("article.card h3")] == ["Dr. Other"]  # their own, as written
    home = (out / "trainees" / "own-workbook" / "site" / "index.html").read_text(encoding="utf-8")
    assert "The agreement with Dr. Assigned has no purpose." in home  # the compact's one part the advice knows
    assert "Agree on a purpose and fill in &#39;What we aim for&#39;." in home
