"""mentorbook report: a synthetic cohort's report counts what the cohort holds, flags
what needs attention, and never shows a private answer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import pdf_text, poppler_text
from pypdf import PdfReader, PdfWriter

from mentorbook.base.paths import WORKSHEETS_DIR
from mentorbook.cli import main
from mentorbook.program.config import load_project

TODAY = dt.date(2026, 11, 25)
MAX_LOAD = 2
BUSY = "Dr. Busy Mentor"  # planted: four trainees, over the maximum of two
PRIVATE_FIELDS = {"1-self-reflection.yml": ["values", "motivation"], "4-meeting-log.yml": ["notes", "task"]}
SMART = {"specific": "Do it.", "measurable": "Done.", "achievable": "Time set aside.",
         "relevant": "My career.", "time_bound": "By spring."}


def d(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def goal(title: str, smart: bool = True, **more) -> dict:
    parts = SMART if smart else {"specific": "Something."}
    return {"title": title, "term": "short", **parts, **more}


def meeting(mentor: str, days_ago: int, tasks: list[tuple[str, int | None, str]] = (), notes: str = "") -> dict:
    entry = {"date": d(days_ago), "mentor": mentor}
    if notes:
        entry["notes"] = notes
    if tasks:
        entry["action_items"] = [{"task": t, "status": s, **({"due": d(-due)} if due is not None else {})}
                                 for t, due, s in tasks]
    return entry


# Workbooks in several states. Private answers (and every answer of the progress-only
# workbook) carry a SECRET- marker; none may appear in any output file.
WORKBOOKS = {
    "ana": {
        "trainee": {"name": "Ana Active", "role": "PGY-1"},
        "self_reflection": {"values": ["SECRET-ana-value", "Family"], "motivation": "SECRET-ana-motivation",
                            "goals": [goal("Submit a case report"), goal("Learn R", smart=False)]},
        "mentors": [{"name": BUSY}, {"name": "Dr. Second Opinion", "decision": "keep-in-touch"}],
        "agreements": [{"mentor": BUSY, "frequency": "monthly"}],
        "meetings": [meeting(BUSY, 50, [("SECRET-ana-task-old", -10, "done")]),
                     meeting(BUSY, 10, [("SECRET-ana-task", 20, "open")], notes="SECRET-ana-notes")],
    },
    "ben": {
        "trainee": {"name": "Ben Behind", "role": "PGY-2"},
        "self_reflection": {"goals": [goal("Pass the boards", target_date=d(30), status="in-progress")]},
        "mentors": [{"name": BUSY}],
        "agreements": [{"mentor": BUSY}],
        "meetings": [meeting(BUSY, 150, [("SECRET-ben-task-1", -100, "open"), ("SECRET-ben-task-2", -3, "open"),
                                         ("SECRET-ben-task-3", None, "open")])],
    },
    "cara": {
        "trainee": {"name": "Cara Nomentor"},
        "self_reflection": {"goals": [goal("Find a research home")]},
    },
    "dev": {
        "trainee": {"name": "Dev Private", "share": "progress-only"},
        "self_reflection": {"goals": [goal("SECRET-dev-goal")], "work_style": "SECRET-dev-style"},
        "mentors": [{"name": "SECRET-dev-mentor"}, {"name": BUSY}],
        "agreements": [{"mentor": "SECRET-dev-mentor", "purpose": "SECRET-dev-purpose"}],
        "meetings": [meeting("SECRET-dev-mentor", 5, [("SECRET-dev-task", -4, "open")])],
    },
    "fay": {  # her mentor is assigned on the roster only
        "trainee": {"name": "Fay Fresh"},
        "self_reflection": {"goals": [goal("Choose a fellowship", smart=False)]},
    },
}
BROKEN = """\
trainee:
  name: Eve Broken
mentors:
  - name: Dr. Rating
    competence: 9
meetings:
  - date: 2026-13-40
    mentor: Dr. Rating
"""
ROSTER = f"""\
name,role,mentors
Fay Fresh,PGY-1,{BUSY}
Dev Private,PGY-3,{BUSY}
Gus Missing,PGY-1,Dr. Second Opinion
"""
# the two returned PDFs: field name -> value (radio buttons by option index)
PDF_GOOD = {"mb:trainee/name": "Hana Form", "mb:mentors[0]/name": BUSY, "mb:agreements[0]/mentor": BUSY,
            "mb:self_reflection/goals[0]/title": "Write a review", "mb:self_reflection/goals[0]/term": "/short",
            "mb:meetings[0]/date": d(20).isoformat(), "mb:meetings[0]/mentor": BUSY,
            "mb:meetings[0]/notes": "SECRET-hana-notes",
            "mb:meetings[0]/action_items[0]/task": "SECRET-hana-task",
            "mb:meetings[0]/action_items[0]/due": d(6).isoformat()}
PDF_BAD = {"mb:trainee/name": "Ivo Typo", "mb:mentors[0]/name": "Dr. Ivo Mentor",
           "mb:meetings[0]/date": "3/4/27", "mb:meetings[0]/mentor": "Dr. Ivo Mentor"}
SECRETS = sorted({v for wb in WORKBOOKS.values() for v in yaml.safe_dump(wb, allow_unicode=True).split()
                  if "SECRET-" in v} | {"SECRET-hana-notes", "SECRET-hana-task"})


def make_project(root: Path, private: dict[str, list[str]] = PRIVATE_FIELDS,
                 config: str = f"program: Report Test Program\nmax_trainees_per_mentor: {MAX_LOAD}\n") -> Path:
    """A program whose self-reflection and meeting log (or the worksheets of ``private``)
    mark a few fields private."""
    (root / "worksheets").mkdir(parents=True)
    (root / "mentorbook.yml").write_text(config)
    for name, ids in private.items():
        lines = []
        for line in (WORKSHEETS_DIR / name).read_text(encoding="utf-8").splitlines():
            for fid in ids:
                if line.strip() == f"- id: {fid}":
                    line += "\n" + " " * (line.index("-") + 2) + "private: true"
                elif line.strip().startswith(f"- {{id: {fid},"):
                    line = line.rstrip()[:-1] + ", private: true}"
            lines.append(line)
        (root / "worksheets" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def fill(blank: Path, target: Path, values: dict[str, str]) -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(blank))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, fillable_blank) -> dict:
    root = tmp_path_factory.mktemp("report")
    project_dir = make_project(root / "program")
    books = root / "returned"
    books.mkdir()
    for key, data in WORKBOOKS.items():
        (books / f"{key}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (books / "eve.yml").write_text(BROKEN, encoding="utf-8")
    # the blank fillable workbook of the run (its form fields are the program's: marking a field
    # private changes what staff see, not the form)
    fill(fillable_blank, books / "hana.pdf", PDF_GOOD)
    fill(fillable_blank, books / "ivo.pdf", PDF_BAD)
    roster = root / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = root / "out"
    code = main(["report", str(books), "--roster", str(roster), "--out", str(out), "--project", str(project_dir),
                 "--today", TODAY.isoformat(), "-q"])
    assert code == 1  # written, but Ivo's PDF needs fixing
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    html = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    return {"out": out, "rows": rows, "html": html, "books": books}


def expected(data: dict) -> dict:
    """The figures of one generated workbook, counted from the data itself."""
    mentors = data.get("mentors", [])
    agreed = {a["mentor"] for a in data.get("agreements", [])}
    meetings = data.get("meetings", [])
    items = [i for m in meetings for i in m.get("action_items", [])]
    open_items = [i for i in items if i["status"] != "done"]
    goals = data.get("self_reflection", {}).get("goals", [])
    return {
        "mentor_count": str(len(mentors)),
        "mentors_with_agreement": str(sum(1 for m in mentors if m["name"] in agreed)),
        "meetings_last_90_days": str(sum(1 for m in meetings if TODAY - m["date"] <= dt.timedelta(days=90))),
        "open_action_items": str(len(open_items)),
        "overdue_action_items": str(sum(1 for i in open_items if "due" in i and i["due"] < TODAY)),
        "goals": str(len(goals)),
        "smart_goals": str(sum(1 for g in goals if all(g.get(p) for p in SMART))),
    }


def test_counts_equal_those_of_the_generated_workbooks(cohort):
    rows = cohort["rows"]
    for key, data in WORKBOOKS.items():
        row = rows[data["trainee"]["name"]]
        assert row["status"] == "ok", row
        want = expected(data)
        if key == "fay":
            want.update(mentor_count="1")  # the roster's assigned mentor joins her map
        assert {k: row[k] for k in want} == want, key
    hana = rows["Hana Form"]
    assert (hana["status"], hana["mentor_count"], hana["mentors_with_agreement"], hana["meetings_last_90_days"],
            hana["open_action_items"], hana["overdue_action_items"], hana["goals"]) == \
        ("ok", "1", "1", "1", "1", "1", "1")
    assert set(rows) == {*(wb["trainee"]["name"] for wb in WORKBOOKS.values()),
                         "Eve Broken", "Hana Form", "Ivo Typo", "Gus Missing"}
    assert rows["Ana Active"]["current_practice"] == "cultivate"
    assert rows["Cara Nomentor"]["current_practice"] == "identify-mentors"
    # what a private answer leaves: the count of them that are filled in
    assert rows["Ana Active"]["private_answers_filled_in"] == "5"  # values, motivation, 2 tasks, notes
    assert int(rows["Dev Private"]["private_answers_filled_in"]) >= 8


def test_needs_attention_gives_each_reason(cohort):
    reasons = {name: set(r["needs_attention"].split("; ")) - {""} for name, r in cohort["rows"].items()}
    assert reasons["Ana Active"] == set()
    assert reasons["Ben Behind"] == {"2 overdue action items", "no meeting in the last 90 days",
                                     "1 goal past the target date"}
    assert reasons["Cara Nomentor"] == {"no mentor yet", "no meeting logged yet"}
    assert reasons["Fay Fresh"] == {"no mentoring agreement yet", "no meeting logged yet",
                                    "no goal has all five SMART parts"}
    assert "1 overdue action item" in reasons["Dev Private"] and "1 overdue action item" in reasons["Hana Form"]
    assert reasons["Gus Missing"] == {"no workbook returned yet"}
    listed = {li.find("strong").get_text() for li in cohort["html"].select("ul.attention > li")}
    assert listed == {name for name, r in reasons.items() if r}
    overdue_chart = cohort["html"].find(id="cap-overdue").find_parent("figure")
    counts = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text()
              for tr in overdue_chart.select("tbody tr")}
    assert counts == {"Ben Behind": "2", "Dev Private": "1", "Hana Form": "1"}


def test_broken_workbooks_are_listed_as_needing_fixing_with_their_first_errors(cohort):
    eve, ivo = cohort["rows"]["Eve Broken"], cohort["rows"]["Ivo Typo"]
    assert eve["status"] == ivo["status"] == "needs fixing"
    assert "eve.yml:5:17: error: mentors[0].competence: rating 9 is outside the scale 1 to 5" in eve["errors"]
    assert "meetings[0].date: '2026-13-40' is not a date" in eve["errors"]
    page = next(i for i, p in enumerate(PdfReader(cohort["books"] / "ivo.pdf").pages, 1)
                if any(a.get_object().get("/T") == "mb:meetings[0]/date" for a in p.get("/Annots") or []))
    assert f"ivo.pdf, page {page}: error: meetings[0].date: '3/4/27' is not a date" in ivo["errors"]
    assert cohort["rows"]["Gus Missing"]["status"] == "no workbook"


def test_the_overloaded_mentor_is_flagged(cohort):
    figure = cohort["html"].find(id="cap-load").find_parent("figure")
    table = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text(" ", strip=True)
             for tr in figure.select("tbody tr")}
    # Ana, Ben and Hana agreed with him, Fay and Dev have him assigned on the roster
    assert table[BUSY] == "5 over the maximum"
    assert [name for name, text in table.items() if "over" in text] == [BUSY]
    # on Ana's map without an agreement (no place); Gus, without a workbook, has him on the roster
    assert table["Dr. Second Opinion"] == "1"
    assert table["(private)"] == "1"  # Dev's mentor, named in a progress-only workbook: counted, not named
    assert cohort["rows"]["Gus Missing"]["mentor_names"] == "Dr. Second Opinion"
    assert "over the maximum" in figure.find("svg").get_text()
    assert BUSY in cohort["html"].select_one("p.over").get_text()


def test_charts_are_svg_with_text_alternatives(cohort):
    figures = cohort["html"].select("div.charts figure")
    assert [f.find("figcaption").get_text() for f in figures] == \
        ["Trainees per practice", "Meetings per month", "Mentor load", "Overdue action items"]
    for figure in figures:
        svg = figure.find("svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text() and svg.find("desc", id=desc_id).get_text()
        assert figure.select("details table tbody tr"), "each chart has its figures as a table"
    practices = {tr.td.get_text(): int(tr.find_all("td")[1].get_text())
                 for tr in figures[0].select("tbody tr")}
    assert sum(practices.values()) == len(cohort["rows"])
    assert practices["Not known (needs fixing or no workbook)"] == 3
    months = {tr.td.get_text(): int(tr.find_all("td")[1].get_text()) for tr in figures[1].select("tbody tr")}
    dates = [m["date"] for wb in WORKBOOKS.values() for m in wb.get("meetings", [])] + [d(20)]
    assert len(months) == 12
    for label, count in months.items():
        assert count == sum(1 for day in dates if day.strftime("%b %Y") == label), label


def test_no_private_answer_appears_in_any_output(cohort):
    out = cohort["out"]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"report.html", "report.pdf", "report.csv"}
    texts = {p.name: p.read_bytes().decode("latin-1") for p in files}
    texts["report.pdf (text)"] = pdf_text(PdfReader(out / "report.pdf"))
    assert len(SECRETS) >= 12
    leaks = [(name, secret) for name, text in texts.items() for secret in SECRETS if secret in text]
    assert leaks == []
    # what is not private still shows, in every format
    for text in (texts["report.html"], texts["report.pdf (text)"]):
        assert "Ben Behind" in text and "Submit a case report" in text and BUSY in text
    assert "Ben Behind" in texts["report.csv"] and BUSY in texts["report.csv"]
    assert "(private)" in texts["report.csv"]  # Dev's mentor: there, but not named


def test_the_pdf_is_a_report(cohort):
    reader = PdfReader(cohort["out"] / "report.pdf")
    text = pdf_text(reader)  # read once for this and the test above
    assert "Cohort progress report" in text and "Needs attention" in text
    for name in cohort["rows"]:
        assert name in text


def test_axe_finds_nothing_on_the_report(browser, cohort, tmp_path):
    from browser import AXE

    url = (cohort["out"] / "report.html").resolve().as_uri()
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        requests: list[str] = []
        page.on("request", lambda req, requests=requests: requests.append(req.url))
        page.goto(url, wait_until="load")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in found["violations"]] == [], width
        assert all(r.startswith("file://") for r in requests), requests
        page.close()


def test_bad_sources_and_settings_are_located_errors(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty), "--out", str(tmp_path / "out")]) == 2
    assert "no workbooks (.yml) or returned PDFs (.pdf) found" in capsys.readouterr().err
    project = tmp_path / "p"
    project.mkdir()
    (project / "mentorbook.yml").write_text("max_trainees_per_mentor: none\n")
    assert main(["report", str(empty), "--project", str(project)]) == 2
    err = capsys.readouterr().err
    assert "mentorbook.yml:1:26: error: max_trainees_per_mentor:" in err and "Traceback" not in err
    (project / "mentorbook.yml").write_text("program: P\n")
    (project / "worksheets").mkdir()
    (project / "worksheets" / "x.yml").write_text(
        "id: extra\ntitle: Extra\npractice: self-reflect\nfields:\n  - {id: a, label: A, type: text, private: yes}\n")
    assert main(["check", "--project", str(project)]) == 2
    assert "x.yml:5:35: error: private: 'private' must be true or false" in capsys.readouterr().out


def test_an_unreadable_pdf_is_reported_and_the_exit_status_says_so(tmp_path, capsys):
    books = tmp_path / "books"
    books.mkdir()
    (books / "junk.pdf").write_bytes(b"%PDF-1.7\nnot really a PDF\n")
    (books / "ok.yml").write_text("trainee:\n  name: Dr. Olu Fine\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(books), "-o", str(out), "--today", TODAY.isoformat()]) == 1
    err = capsys.readouterr().err
    assert "junk.pdf" in err and "1 needs fixing" in err and "Traceback" not in err
    rows = {r["file"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    assert rows["junk.pdf"]["status"] == "needs fixing" and rows["ok.yml"]["status"] == "ok"
    (books / "junk.pdf").unlink()
    assert main(["report", str(books), "-o", str(out), "--today", TODAY.isoformat(), "-q"]) == 0


def test_format_writes_only_the_files_asked_for_and_the_page_links_only_those(tmp_path, capsys):
    books = tmp_path / "books"
    books.mkdir()
    (books / "ok.yml").write_text("trainee:\n  name: Dr. Olu Fine\n", encoding="utf-8")
    only_csv, two = tmp_path / "csv", tmp_path / "two"
    assert main(["report", str(books), "-o", str(only_csv), "--today", TODAY.isoformat(), "--format", "csv"]) == 0
    assert "(report.csv)" in capsys.readouterr().err
    assert sorted(p.name for p in only_csv.iterdir() if not p.name.startswith(".")) == ["report.csv"]
    assert main(["report", str(books), "-o", str(two), "--today", TODAY.isoformat(), "--format", "csv",
                 "--format", "html", "-q"]) == 0
    assert sorted(p.name for p in two.iterdir() if not p.name.startswith(".")) == ["report.csv", "report.html"]
    links = {a["href"] for a in BeautifulSoup((two / "report.html").read_text(encoding="utf-8"),
                                              "html.parser").find_all("a", href=True)}
    assert "report.csv" in links and "report.pdf" not in links
    assert main(["report", str(books), "-o", str(two), "--format", "docx"]) == 2
    assert "'docx' is not one of 'html', 'pdf', 'csv'" in capsys.readouterr().err


def test_the_combined_cohort_pdf_holds_no_private_answer(cohort, tmp_path):
    books = cohort["books"]
    roster = tmp_path / "roster.csv"
    for key in ("ana", "dev", "cara"):  # beside the roster: a roster's workbooks may not lie outside its folder
        shutil.copy(books / f"{key}.yml", tmp_path / f"{key}.yml")
    roster.write_text("name,workbook\nAna Active,ana.yml\nDev Private,dev.yml\nCara Nomentor,cara.yml\n",
                      encoding="utf-8")
    out = tmp_path / "cohort"
    # every practice whose worksheets hold a secret (the fifth holds none); PDFs, which are the point here
    project = make_project(tmp_path / "program", config=f"program: Report Test Program\nmax_trainees_per_mentor: "
                           f"{MAX_LOAD}\npractices: [self-reflect, identify-mentors, establish, cultivate]\n")
    assert main(["cohort", str(roster), "--out", str(out), "--jobs", "1", "--project", str(project),
                 "--format", "pdf", "--today", TODAY.isoformat(), "-q"]) == 0
    combined = poppler_text(out / "cohort.pdf")
    assert [s for s in SECRETS if s in combined] == []
    assert "(private, filled in)" in combined  # Ana's private answers: only that they are there
    assert "Submit a case report" in combined and "Find a research home" in combined
    assert "SECRET-dev-goal" not in combined and "Dev Private" in combined
    own = poppler_text(out / "trainees" / "ana-active.pdf")
    assert "SECRET-ana-motivation" in own  # her own workbook keeps every answer
    assert not (out / "trainees" / "cara-nomentor" / "shared.pdf").exists()  # nothing private: the same PDF
    # every file for staff (all but each trainee's own PDF and site), PDFs by their text
    staff = [p for p in out.rglob("*") if p.is_file() and "/site/" not in p.relative_to(out).as_posix()
             and not (p.parent == out / "trainees" and p.suffix == ".pdf")]
    assert {p.name for p in staff} >= {"cohort.pdf", "shared.pdf", "index.html", "summary.csv"}
    texts = {p: poppler_text(p) if p.suffix == ".pdf" else p.read_bytes().decode("latin-1") for p in staff}
    assert [(p.name, s) for p, text in texts.items() for s in SECRETS if s in text] == []


def test_required_fields_that_are_not_text_cannot_be_private(tmp_path, capsys):
    (tmp_path / "mentorbook.yml").write_text("program: P\n")
    (tmp_path / "worksheets").mkdir()
    (tmp_path / "worksheets" / "x.yml").write_text(
        "id: extra\ntitle: Extra\npractice: self-reflect\nfields:\n"
        "  - {id: a, label: A, type: date, required: true, private: true}\n")
    assert main(["check", "--project", str(tmp_path)]) == 2
    assert "x.yml:5:51: error: private: a required date field cannot be private" in capsys.readouterr().out


MILESTONES = """\
program: Milestone Program
milestones:
  - {title: A self-reflection, by: week 4, done: self-reflection}
  - {title: An agreement, by: week 8, done: agreement}
  - {title: A meeting every month, every: month, done: meeting}
  - {title: A review, by: month 6, done: review}
"""
PLANTED = {  # trainee: (start date, workbook answers, the milestones' statuses and dates)
    "Mo Met": ("2026-09-01", {
        "self_reflection": {"goals": [goal("Write")]}, "mentors": [{"name": "Dr. M"}],
        "agreements": [{"mentor": "Dr. M"}],
        "meetings": [{"date": dt.date(2026, 10, 15), "mentor": "Dr. M"},
                     {"date": dt.date(2026, 11, 10), "mentor": "Dr. M"}]},
        ["met (2026-09-29)", "met (2026-10-27)", "met (2026-11-30)", "due (2027-03-01)"]),
    "Lu Late": ("2026-06-01", {"meetings": []},
                ["late (2026-06-29)", "late (2026-07-27)", "late (2026-11-30)", "due (2026-12-01)"]),
    "Di Due": ("2026-11-15", {}, ["due (2026-12-13)", "due (2027-01-10)", "due (2026-12-14)", "due (2027-05-15)"]),
    "No Start": (None, {}, []),
}


def test_milestones_are_met_due_or_late(tmp_path):
    project = tmp_path / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text(MILESTONES)
    books = tmp_path / "books"
    books.mkdir()
    for name, (start, answers, _) in PLANTED.items():
        trainee = {"name": name, **({"start_date": start} if start else {})}
        data = {"trainee": trainee, **{k: v for k, v in answers.items() if v}}
        (books / f"{name.split()[0]}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(books), "-o", str(out), "--project", str(project), "--today", TODAY.isoformat(),
                 "-q"]) == 0
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    titles = ["A self-reflection", "An agreement", "A meeting every month", "A review"]
    for name, (_, _, statuses) in PLANTED.items():
        want = "; ".join(f"{t}: {s}" for t, s in zip(titles, statuses, strict=False)) or "no start date"
        assert rows[name]["milestones"] == want, name
    assert "milestone late: An agreement" in rows["Lu Late"]["needs_attention"]
    assert "milestone" not in rows["Di Due"]["needs_attention"]
    html = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    cells = {tr.th.get_text(" ", strip=True).split(" ")[0]: tr.find_all("td")[-1].get_text(" ", strip=True)
             for tr in html.select("#trainees ~ div table tbody tr")}
    assert cells["Lu"].startswith("A self-reflection: late (2026-06-29)")
    assert cells["No"] == "no start date"


def test_milestone_mistakes_are_located(tmp_path, capsys):
    (tmp_path / "mentorbook.yml").write_text(
        "milestones:\n  - {title: X, by: fortnight 2, done: agreement}\n  - {title: Y, every: month, done: lunch}\n")
    assert main(["report", str(tmp_path), "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "mentorbook.yml:2:20: error: milestones[0].by: a milestone needs 'by'" in err
    assert "mentorbook.yml:3:36: error: milestones[1].done: 'done' is one of: self-reflection" in err


def test_a_roster_row_finds_its_own_workbook_whatever_its_name_says(tmp_path):
    book = tmp_path / "zed.yml"
    book.write_text("trainee:\n  name: Dr. Zed Roster\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,workbook,mentors\nZed Roster,zed.yml,Dr. Assigned\nYan Absent,,\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", "--roster", str(roster), "-o", str(out), "--today", TODAY.isoformat(), "-q"]) == 0
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    assert set(rows) == {"Dr. Zed Roster", "Yan Absent"}
    assert (rows["Dr. Zed Roster"]["status"], rows["Dr. Zed Roster"]["mentor_names"]) == ("ok", "Dr. Assigned")
    assert rows["Yan Absent"]["status"] == "no workbook"


def test_milestones_appear_in_the_calendar(tmp_path, monkeypatch):
    from icalendar import Calendar

    project = tmp_path / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text(MILESTONES)
    book = tmp_path / "lu.yml"
    book.write_text("trainee:\n  name: Lu Late\n  start_date: 2026-06-01\n", encoding="utf-8")
    epoch = int(dt.datetime.combine(TODAY, dt.time(12), dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    out = tmp_path / "lu.ics"
    assert main(["calendar", str(book), "-o", str(out), "--project", str(project), "-q"]) == 0
    events = {str(e["summary"]): e.decoded("dtstart") for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert events == {"Milestone: A self-reflection (late)": dt.date(2026, 6, 29),
                      "Milestone: An agreement (late)": dt.date(2026, 7, 27),
                      "Milestone: A meeting every month (late)": dt.date(2026, 11, 30),
                      "Milestone: A review (due)": dt.date(2026, 12, 1)}


# Roster trainees without a readable workbook, and mentors named privately, in the load.
DIRECTORY = """\
mentors:
  - {name: Dr. Grant Writer, areas: [grant writing], career_stage: senior, capacity: 2}
  - {name: Dr. Back Up, areas: [grant writing], career_stage: mid-career, capacity: 5}
"""
DIRECTORY_PROGRAM = "program: Load Program\npractices: [self-reflect, identify-mentors]\nmax_trainees_per_mentor: 2\n"
NOT_YAML = "trainee: [unclosed\n"


def needs(name: str, areas: list[str] = ("Grant writing",), **more) -> dict:
    return {"trainee": {"name": name},
            "self_reflection": {"skill_areas": [{"area": a, "priority": "high"} for a in areas]}, **more}


def report_of(argv: list[str], out: Path, status: int = 0) -> tuple[dict, BeautifulSoup]:
    """The CSV rows and the HTML of a report; ``status``: 1 when a source needs fixing."""
    assert main(["report", *argv, "-o", str(out), "--today", TODAY.isoformat(), "-q"]) == status
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8")))}
    return rows, BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")


def load_chart(html: BeautifulSoup) -> dict[str, str]:
    figure = html.find(id="cap-load").find_parent("figure")
    return {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text(" ", strip=True)
            for tr in figure.select("tbody tr")}


def load_table(html: BeautifulSoup) -> dict[str, list[str]]:
    return {tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in html.select("table.load tbody tr")}


def directory_project(root: Path, directory: str = DIRECTORY) -> Path:
    root.mkdir()
    (root / "mentorbook.yml").write_text(DIRECTORY_PROGRAM, encoding="utf-8")
    (root / "mentors.yml").write_text(directory, encoding="utf-8")
    return root


def test_roster_trainees_without_a_readable_workbook_count_in_the_load_and_its_flag(tmp_path):
    project = tmp_path / "program"
    project.mkdir()
    (project / "mentorbook.yml").write_text("program: P\nmax_trainees_per_mentor: 2\n", encoding="utf-8")
    (tmp_path / "kim.yml").write_text(yaml.safe_dump(needs("Kim Keen")), encoding="utf-8")
    (tmp_path / "bad.yml").write_text(NOT_YAML, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(
        "name,workbook,mentors\nKim Keen,kim.yml,\nNo One,,Dr. Roster Heavy\nNo Two,,Dr. Roster Heavy;Dr. Light\n"
        "Bea Broken,bad.yml,Dr. Roster Heavy\n", encoding="utf-8")
    rows, html = report_of(["--roster", str(tmp_path / "roster.csv"), "--project", str(project)], tmp_path / "out",
                           status=1)
    assert {n: (r["status"], r["mentor_count"], r["mentors_with_agreement"], r["mentor_names"])
            for n, r in rows.items()} == {
        "Kim Keen": ("ok", "0", "0", ""),
        "No One": ("no workbook", "1", "0", "Dr. Roster Heavy"),
        "No Two": ("no workbook", "2", "0", "Dr. Roster Heavy; Dr. Light"),
        "bad": ("needs fixing", "1", "0", "Dr. Roster Heavy")}  # a file it cannot read is named by its file
    assert rows["No One"]["needs_attention"] == "no workbook returned yet"
    assert load_chart(html) == {"Dr. Roster Heavy": "3 over the maximum", "Dr. Light": "1"}
    assert "Dr. Roster Heavy (3)" in html.select_one("p.over").get_text(" ", strip=True)
    listed = {li.find("strong").get_text() for li in html.select("ul.attention > li")}
    assert {"No One", "No Two"} <= listed


def test_a_mentor_full_through_roster_only_trainees_is_suggested_to_nobody(tmp_path):
    project = directory_project(tmp_path / "program")
    (tmp_path / "wa.yml").write_text(yaml.safe_dump(needs("Wa")), encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,workbook,mentors\nWa,wa.yml,\nRo,,Dr. Grant Writer\n"
                                         "Su,,Dr. Grant Writer\n", encoding="utf-8")
    rows, html = report_of(["--roster", str(tmp_path / "roster.csv"), "--project", str(project)], tmp_path / "out")
    assert rows["Wa"]["suggested_mentors"] == "Dr. Back Up"  # Dr. Grant Writer's two places are Ro's and Su's
    load = load_table(html)
    assert load["Dr. Grant Writer"] == ["2: Ro, Su", "0", "2", "2"]
    assert load["Dr. Back Up"] == ["0", "1: Wa", "1", "5"]


def test_the_report_suggests_what_the_cohort_suggests(tmp_path):
    from test_directory import mentor_map

    project = directory_project(tmp_path / "program")
    for name in ("Wa", "Xi"):
        (tmp_path / f"{name.lower()}.yml").write_text(yaml.safe_dump(needs(name)), encoding="utf-8")
    (tmp_path / "bad.yml").write_text(NOT_YAML, encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,workbook,mentors\nWa,wa.yml,\nXi,xi.yml,\nRo,,Dr. Grant Writer\n"
                      "Bo,bad.yml,Dr. Grant Writer\n", encoding="utf-8")
    rows, _ = report_of(["--roster", str(roster), "--project", str(project)], tmp_path / "report", status=1)
    assert {n: r["suggested_mentors"] for n, r in rows.items()} == {
        "Wa": "Dr. Back Up", "Xi": "Dr. Back Up", "Ro": "", "bad": ""}
    out = tmp_path / "cohort"
    assert main(["cohort", str(roster), "--project", str(project), "-o", str(out), "-j", "1", "--format", "html",
                 "--today", TODAY.isoformat(), "-q"]) == 1  # Bo's workbook cannot be read
    for name in ("Wa", "Xi"):
        assert list(mentor_map(out / "trainees" / name.lower() / "site")) == rows[name]["suggested_mentors"].split("; ")


QUIET = "Dr. Quiet Directory"  # in the directory, capacity 1; only private answers name her


def test_privately_named_mentors_count_in_one_private_row_and_are_never_named(tmp_path):
    directory = DIRECTORY + f"  - {{name: {QUIET}, areas: [networking], career_stage: near-peer, capacity: 1}}\n"
    project = make_project(tmp_path / "program", {"2-mentor-map.yml": ["name"]},
                           DIRECTORY_PROGRAM.replace("max_trainees_per_mentor: 2", "max_trainees_per_mentor: 4"))
    (project / "mentors.yml").write_text(directory, encoding="utf-8")
    books = tmp_path / "books"
    books.mkdir()
    for name, mentors in (("Pia", [QUIET, "SECRET-pia-mentor"]), ("Tay", [QUIET]), ("Sol", [])):
        data = needs(name, [] if mentors else ["Networking"])
        if mentors:
            data.update(mentors=[{"name": m} for m in mentors], agreements=[{"mentor": m} for m in mentors])
        (books / f"{name}.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "roster.csv").write_text("name,workbook,mentors\nPia,books/Pia.yml,\nTay,books/Tay.yml,\n"
                                         "Sol,books/Sol.yml,\nNed,,Dr. Grant Writer\n", encoding="utf-8")
    out = tmp_path / "out"
    rows, html = report_of(["--roster", str(tmp_path / "roster.csv"), "--project", str(project)], out)
    # her one place is taken (twice over) by private entries: Sol, who needs her, is not suggested her
    assert {n: r["suggested_mentors"] for n, r in rows.items()} == {"Pia": "", "Tay": "", "Sol": "", "Ned": ""}
    assert rows["Pia"]["mentor_names"] == "(private); (private)" and rows["Pia"]["mentors_with_agreement"] == "2"
    assert rows["Ned"]["mentor_names"] == "Dr. Grant Writer"  # the roster's: the program knows it
    # three places under private names, one row; over, as she has two trainees and room for one
    assert load_chart(html) == {"(private)": "3 over the maximum", "Dr. Grant Writer": "1"}
    assert load_table(html)["(private)"] == ["3: Pia, Pia, Tay", "0", "3 over the maximum", ""]
    texts = {p.name: p.read_bytes().decode("latin-1") for p in out.iterdir()}
    texts["report.pdf (text)"] = "\n".join(page.extract_text() for page in PdfReader(out / "report.pdf").pages)
    assert {"report.html", "report.csv", "report.pdf"} <= set(texts)
    assert [(n, s) for n, text in texts.items() for s in (QUIET, "Quiet", "SECRET-pia-mentor") if s in text] == []
    for name in ("report.html", "report.csv", "report.pdf (text)"):  # what is not private still shows
        assert "Dr. Grant Writer" in texts[name] and "(private)" in texts[name], name


INSTRUMENTS = WORKSHEETS_DIR.parent / "examples" / "instruments"


def compact_workbook(name: str, signed: tuple[str, ...] = (), agreement: bool = True) -> str:
    """A workbook of the instruments' program: one mentor, and a compact signed by ``signed``."""
    blocks = "".join(f"    {who}_signature: {{name: Someone, date: 2026-09-0{i + 1}}}\n"
                     for i, who in enumerate(signed))
    compact = f"agreements:\n  - mentor: Dr. Ada Compact\n    confidentiality: true\n{blocks}" if agreement else ""
    return f"trainee:\n  name: {name}\nmentors:\n  - {{name: Dr. Ada Compact}}\n{compact}"


def test_each_roster_trainee_counts_once_and_each_compact_says_how_far_it_is_signed(tmp_path, capsys):
    """A 6-trainee roster whose workbook column names 4 files, and the 4 returned copies given as
    sources (newer, now signed): 6 trainees, each read from the copy given."""
    signed = {"Anna": ("mentee", "mentor"), "Ben": ("mentee",), "Cara": (), "Dev": None}
    (tmp_path / "workbooks").mkdir()
    (tmp_path / "returned").mkdir()
    lines = ["name,role,mentors,workbook"]
    for first, parties in signed.items():
        name = f"{first} Test"
        (tmp_path / "workbooks" / f"{first.lower()}.yml").write_text(compact_workbook(name, agreement=False))
        (tmp_path / "returned" / f"{first.lower()}.yml").write_text(
            compact_workbook(name, parties or (), agreement=parties is not None))
        lines.append(f"{name},Fellow,Dr. Ada Compact,workbooks/{first.lower()}.yml")
    lines += ["Eli Test,Fellow,Dr. Ada Compact,", "Fay Test,Fellow,,"]
    (tmp_path / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(tmp_path / "returned"), "--roster", str(tmp_path / "roster.csv"), "-o", str(out),
                 "--project", str(INSTRUMENTS), "--today", TODAY.isoformat()]) == 0
    said = capsys.readouterr().err
    assert said.count("note: ") == 4 and "6 trainees," in said
    assert (f"note: Ben Test: read from {tmp_path / 'returned' / 'ben.yml'}, not from "
            f"{tmp_path / 'workbooks' / 'ben.yml'}") in said
    rows = list(csv.DictReader(io.StringIO((out / "report.csv").read_text(encoding="utf-8"))))
    assert sorted(r["trainee"] for r in rows) == [f"{n} Test" for n in ("Anna", "Ben", "Cara", "Dev", "Eli", "Fay")]
    by_name = {r["trainee"]: r for r in rows}
    assert {n: by_name[f"{n} Test"]["agreements_signed"] for n in signed} == {
        "Anna": "Dr. Ada Compact: signed by both", "Ben": "Dr. Ada Compact: signed by one",
        "Cara": "Dr. Ada Compact: not signed", "Dev": ""}
    html = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    cells = {str(th.contents[0]).strip(): th.parent.get_text(" ", strip=True)
             for th in html.select("#trainees ~ div tbody th[scope=row]")}
    assert "agreement (signed by both)" in cells["Anna Test"] and "(signed by one)" in cells["Ben Test"]
    assert "(not signed)" in cells["Cara Test"] and "signed" not in cells["Dev Test"]
    text = " ".join(PdfReader(out / "report.pdf").pages[0].extract_text().split())
    text += " ".join(" ".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages[1:]).split())
    assert "(signed by both)" in text and "(signed by one)" in text and "(not signed)" in text

    from mentorbook.staff.report_build import write_report

    spanish = tmp_path / "es"
    shutil.copytree(INSTRUMENTS, spanish)
    with (spanish / "mentorbook.yml").open("a", encoding="utf-8") as config:
        config.write("language: es\n")
    write_report([tmp_path / "returned"], tmp_path / "out-es", roster=tmp_path / "roster.csv",
                 project=load_project(spanish), today=TODAY, formats=("csv",))
    rows = {r["persona en formación"]: r["acuerdos firmados"]  # the columns headed in the program's language
            for r in csv.DictReader(io.StringIO((tmp_path / "out-es" / "report.csv").read_text(encoding="utf-8")))}
    assert [rows[f"{n} Test"] for n in ("Anna", "Ben", "Cara")] == [
        "Dr. Ada Compact: firmado por las dos partes", "Dr. Ada Compact: firmado por una parte",
        "Dr. Ada Compact: sin firmar"]
