"""checkbox, yes_no, multi_choice, rating anchors and numbers with a unit and a range, in
every output: validation, the JSON Schema, the site, the filled, blank and fillable PDFs,
`import` and `check`. A small project of its own holds one worksheet with all of them,
as fields and as table columns; it is built once for the module."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shutil
from pathlib import Path

import jsonschema
import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import TODAY, pdf_text
from pypdf import PdfReader, PdfWriter

from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.validate import validate
from mentorbook.program.definitions import load_definitions

SHEET = """\
id: instrument
title: Instrument
practice: self-reflect
order: 9
fields:
  - {id: agree, label: I agree to the ground rules, type: checkbox}
  - {id: met_before, label: Have we worked together before?, type: yes_no}
  - id: interests
    label: Career interests
    type: multi_choice
    choices: [teaching, research, {value: industry, label: Industry research}]
  - id: skill
    label: Statistics
    type: rating
    scale: [0, 10]
    anchors: {0: None yet, 5: Competent, 10: Expert}
  - {id: hours, label: Time for mentoring, type: number, unit: hours a month, min: 0, max: 40}
  - id: plan
    label: Plan
    type: table
    rows: 2
    fields:
      - {id: task, label: Task, type: text, width: "4"}
      - {id: done, label: Done, type: checkbox, width: "1"}
      - {id: level, label: Level, type: rating, width: "2", anchors: {1: Novice, 5: Expert}}
      - {id: due, label: Due, type: date, width: "2"}
      - {id: effort, label: Effort, type: number, unit: h, width: "1"}
      - {id: ok, label: On track, type: yes_no, width: "2"}
      - {id: kinds, label: Kinds, type: multi_choice, choices: [read, write], width: "2"}
"""

LONG_TASK = "Take the advanced regression course offered by the graduate school in the spring term"
WORKBOOK = f"""\
trainee:
  name: Ada Types
instrument:
  agree: true
  met_before: false
  interests: [research, Industry]
  skill: 7
  hours: 6
  plan:
    - task: {LONG_TASK}
      done: true
      level: 2
      due: 2027-03-01
      effort: 12
      ok: yes
      kinds: [write]
    - task: Read two papers
      done: false
"""
CLEAN = {"agree": True, "met_before": "no", "interests": ["research", "industry"], "skill": 7, "hours": 6,
         "plan": [{"task": LONG_TASK, "done": True, "level": 2, "due": dt.date(2027, 3, 1), "effort": 12,
                   "ok": "yes", "kinds": ["write"]},
                  {"task": "Read two papers", "done": False}]}


def make_project(folder: Path, sheet: str = SHEET) -> Path:
    (folder / "worksheets").mkdir(parents=True)
    # the instrument is the first practice's: the others' guidance is not what these tests look at
    (folder / "mentorbook.yml").write_text("program: Field Types Program\npractices: [self-reflect]\n",
                                           encoding="utf-8")
    (folder / "worksheets" / "instrument.yml").write_text(sheet, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("types")
    workbook = root / "workbook.yml"
    workbook.write_text(WORKBOOK, encoding="utf-8")
    return make_project(root / "project"), workbook


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> dict[str, Path]:
    folder, workbook = project
    out = tmp_path_factory.mktemp("types-out")
    common = ["--project", str(folder), "--today", TODAY.isoformat(), "-q"]
    assert main(["build", str(workbook), "--out", str(out / "filled"), *common]) == 0
    assert main(["build", "--blank", "--format", "pdf", "--out", str(out / "blank"), *common]) == 0
    assert main(["build", str(workbook), "--fillable", "--format", "pdf", "--out", str(out / "fillable"),
                 *common]) == 0
    return {"site": out / "filled" / "site", "filled": out / "filled" / "workbook.pdf",
            "blank": out / "blank" / "workbook.pdf", "blank_html": out / "blank" / "print" / "workbook.html",
            "fillable": out / "fillable" / "workbook.pdf"}


def definitions(folder: Path):
    found, problems = load_definitions(folder / "worksheets")
    assert [p for p in problems if p.severity == "error"] == []
    return found


def instrument_page(reader: PdfReader, text: str) -> int:
    return next(i for i, page in enumerate(reader.pages) if text in (page.extract_text() or ""))


# -- definitions --------------------------------------------------------------------------

@pytest.mark.parametrize("change, wrong, message, line", [
    ("scale: [0, 10]", "scale: [5, 1]", "the scale [5, 1] is inverted", 15),
    ("scale: [0, 10]", "scale: [0, 20]", "the scale [0, 20] has 21 points; at most 11 fit on a form", 15),
    ("anchors: {0: None yet, 5: Competent, 10: Expert}", "anchors: {0: None yet, 12: Expert}",
     "anchor 12 is not on the scale 0 to 10", 16),
    ("type: number, unit", "type: number, scale: [1, 5], unit", "unknown key 'scale' in a number field", 17),
    ("min: 0, max: 40", "min: 50, max: 40", "'min' (50) is above 'max' (40)", 17),
])
def test_definition_mistakes_of_the_new_keys_stop_with_file_and_line(tmp_path, capsys, change, wrong, message,
                                                                      line):
    folder = make_project(tmp_path / "p", SHEET.replace(change, wrong, 1))
    (tmp_path / "w.yml").write_text(WORKBOOK.replace("skill: 7", "skill: nonsense"), encoding="utf-8")
    assert main(["check", str(tmp_path / "w.yml"), "--project", str(folder), "--today", TODAY.isoformat()]) == 2
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert re.search(rf"instrument\.yml:{line}:\d+: error: .*{re.escape(message)}", said), said
    assert said.count("instrument.yml:") == 1, said  # one problem, said once
    assert "Traceback" not in said


def test_a_zero_to_ten_scale_and_its_anchors_are_read(project):
    sheet = definitions(project[0])[0]
    skill = sheet.child("skill")
    assert skill.scale == (0, 10) and skill.anchors == ((0, "None yet"), (5, "Competent"), (10, "Expert"))
    hours = sheet.child("hours")
    assert (hours.unit, hours.min, hours.max) == ("hours a month", 0, 40)


# -- validation and schema ------------------------------------------------------------------

BAD = """\
trainee: {name: Ada}
instrument:
  agree: maybe
  met_before: perhaps
  interests: [teching]
  skill: 11
  hours: 41
  plan:
    - {task: T, done: 3, level: 6, ok: nope, kinds: [red]}
"""


def test_wrong_values_are_located_with_a_hint(project, tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(BAD, encoding="utf-8")
    result = validate(read_yaml(path), definitions(project[0]), path)
    found = {p.field: (p.line, p.message, p.hint) for p in result.problems}
    assert found["instrument.agree"][:2] == (3, "expected true or false, got 'maybe'")
    assert found["instrument.met_before"][:2] == (4, "'perhaps' is not yes or no")
    assert found["instrument.interests[0]"] == (5, "'teching' is not a choice for career interests",
                                                "did you mean 'teaching'?")
    assert found["instrument.skill"][:2] == (6, "rating 11 is outside the scale 0 to 10")
    assert "0 = None yet" in found["instrument.skill"][2]
    assert found["instrument.hours"] == (7, "41 is above the highest value, 40 hours a month",
                                         "from 0 to 40 hours a month")
    assert found["instrument.plan[0].done"][0] == 9
    assert found["instrument.plan[0].level"][1] == "rating 6 is outside the scale 1 to 5"
    assert found["instrument.plan[0].kinds[0]"][2] == "did you mean 'read'?"
    assert len(result.errors) == 9


def test_good_values_are_cleaned(project, tmp_path):
    path = tmp_path / "good.yml"
    path.write_text(WORKBOOK, encoding="utf-8")
    result = validate(read_yaml(path), definitions(project[0]), path)
    assert result.problems == []
    assert result.data["instrument"] == CLEAN


def test_the_schema_takes_a_good_workbook_and_refuses_a_bad_one(project, tmp_path, capsys):
    folder, workbook = project
    assert main(["schema", "--project", str(folder)]) == 0
    schema = json.loads(capsys.readouterr().out)
    good = yaml.safe_load(workbook.read_text(encoding="utf-8").replace("ok: yes", "ok: 'yes'")
                          .replace("interests: [research, Industry]", "interests: [research, industry]"))
    jsonschema.validate(json.loads(json.dumps(good, default=str)), schema)  # dates as YYYY-MM-DD
    props = schema["properties"]["instrument"]["properties"]
    assert props["agree"]["type"] == "boolean"
    assert props["met_before"]["enum"] == ["yes", "no", True, False]
    assert props["interests"]["items"]["enum"] == ["teaching", "research", "industry"]
    assert (props["skill"]["minimum"], props["skill"]["maximum"]) == (0, 10)
    assert (props["hours"]["minimum"], props["hours"]["maximum"]) == (0, 40)
    for wrong in ({"agree": "maybe"}, {"met_before": "perhaps"}, {"interests": ["teching"]}, {"skill": 11},
                  {"hours": 41}, {"plan": [{"done": 3}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"trainee": {"name": "Ada"}, "instrument": wrong}, schema)


def test_check_passes_on_a_good_workbook(project, capsys):
    folder, workbook = project
    assert main(["check", str(workbook), "--project", str(folder), "--today", TODAY.isoformat()]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err


# -- the site and the filled PDF ------------------------------------------------------------

def test_the_site_shows_every_answer(built):
    soup = BeautifulSoup((built["site"] / "self-reflect.html").read_text(encoding="utf-8"), "html.parser")
    sheet = soup.find(id="ws-instrument")

    def answer(fid):
        return sheet.select_one(f".field-{fid} dd")

    assert answer("agree").select_one(".check.check-on") and answer("agree").get_text(strip=True) == "Yes"
    assert answer("met_before").get_text(strip=True) == "No"
    assert [c.get_text() for c in answer("interests").select(".chip")] == ["research", "Industry research"]
    skill = answer("skill")
    assert len(skill.select(".dot")) == 11 and len(skill.select(".dot.on")) == 8  # 0 to 7
    assert "7/10" in skill.get_text() and "0 = None yet" in skill.select_one(".anchors").get_text()
    assert " ".join(answer("hours").get_text().split()) == "6 hours a month"
    assert sheet.select_one("table.ws-table th .column-note").get_text() == "1 = Novice, 5 = Expert"
    rows = sheet.select("table.ws-table tbody tr")
    first = [" ".join(td.get_text().split()) for td in rows[0].find_all("td")]
    assert first == [LONG_TASK, "Yes", "2/5", "1 March 2027", "12 h", "Yes", "write"]
    assert rows[0].select_one("td .check-on") and not rows[1].select_one("td .check-on")


def test_the_filled_pdf_shows_every_answer(built):
    text = " ".join(pdf_text(PdfReader(built["filled"])).split())
    for shown in ("I AGREE TO THE GROUND RULES Yes", "HAVE WE WORKED TOGETHER BEFORE? No",
                  "research, Industry research", "Industry research", "7/10", "0 = None yet",
                  "6 hours a month", "12 h", "1 March 2027"):
        assert shown in text, shown


# -- the blank PDF ---------------------------------------------------------------------------

def test_the_blank_pdf_prints_boxes_lines_and_anchors(built):
    reader = PdfReader(built["blank"])
    page = instrument_page(reader, "Career interests")
    text = " ".join((reader.pages[page].extract_text() or "").split())
    for shown in ("I agree to the ground rules", "Yes No", "teaching research Industry research",
                  "Tick all that apply", "None yet", "Competent", "Expert", "hours a month (from 0 to 40)"):
        assert shown in text, shown
    html = BeautifulSoup(built["blank_html"].read_text(encoding="utf-8"), "html.parser")
    table = html.find(id="ws-instrument").select_one("table.blank-table")
    assert [n.get_text() for n in table.select("th .column-note")] == ["1 = Novice, 5 = Expert"]
    widths = [float(th["style"].split(":")[1].strip(" %")) for th in table.select("th")]
    assert widths == pytest.approx([28.57, 7.14, 14.29, 14.29, 7.14, 14.29, 14.29], abs=0.01)
    assert sum(widths) == pytest.approx(100, abs=0.05)
    for row in table.select("tbody tr"):
        task, done, level, due, effort, ok, kinds = row.find_all("td")
        assert task.get_text(strip=True) == ""  # room to write
        assert done.select(".tick") and len(level.select(".tick")) == 5
        assert [b.get_text() for b in due.select(".box")] == ["YYYY", "MM", "DD"]
        assert effort.select(".cell-line") and effort.get_text(strip=True) == "h"
        assert len(ok.select(".tick")) == 2 and len(kinds.select(".tick")) == 2


# -- the fillable PDF --------------------------------------------------------------------------

def fields_by_name(pdf) -> dict[str, object]:
    return {str(f.T): f for f in pdf.Root.AcroForm.Fields}


def test_check_boxes_are_real_check_boxes_with_on_and_off(built):
    with pikepdf.open(built["fillable"]) as pdf:
        fields = fields_by_name(pdf)
        for name, on in (("agree", True), ("interests[0]", False), ("interests[1]", True),
                         ("interests[2]", True), ("plan[0]/done", True), ("plan[1]/done", False),
                         ("plan[0]/kinds[1]", True), ("plan[0]/kinds[0]", False)):
            box = fields[f"mb:instrument/{name}"]
            assert box.FT == "/Btn" and not int(box.get("/Ff", 0)) & (1 << 15 | 1 << 16), name  # no radio
            assert set(box.AP.N.keys()) == {"/Yes", "/Off"}, name
            assert box.V == box.AS == ("/Yes" if on else "/Off"), name
            assert str(box.TU)
        yes_no = fields["mb:instrument/met_before"]
        assert int(yes_no.Ff) & (1 << 15) and yes_no.V == "/no"
        assert sorted(str(k) for kid in yes_no.Kids for k in kid.AP.N if k != "/Off") == ["/no", "/yes"]
        skill = fields["mb:instrument/skill"]  # a scale from 0: every button keeps its "on" state
        states = [next(str(k) for k in kid.AP.N if k != "/Off") for kid in skill.Kids]
        assert states == [f"/{n}" for n in range(11)] and skill.V == "/7"
        task = fields["mb:instrument/plan[0]/task"]
        assert int(task.get("/Ff", 0)) & (1 << 12) and str(task.V) == LONG_TASK  # multi-line: it wraps
        assert not int(fields["mb:instrument/plan[1]/task"].get("/Ff", 0)) & (1 << 12)


def test_fillable_table_columns_stay_inside_the_page_margins(built):
    with pikepdf.open(built["fillable"]) as pdf:
        reader = PdfReader(built["fillable"])
        page = pdf.pages[instrument_page(reader, "Career interests")]
        width = float(page.MediaBox[2])
        rects = [[float(v) for v in a.Rect] for a in page.Annots if a.get("/Subtype") == "/Widget"]
        assert rects and max(r[2] for r in rects) <= width - 18 / 25.4 * 72 + 0.5


def fill(pdf: Path, target: Path, values: dict[str, str]) -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)


def imported(out: Path, folder: Path) -> dict:
    """The instrument's answers of an imported workbook file, as validation reads them."""
    result = validate(read_yaml(out), definitions(folder), out)
    assert result.problems == []
    return result.data["instrument"]


def test_every_field_filled_in_comes_back_through_import(built, project, tmp_path):
    folder, _ = project
    names = set(PdfReader(built["fillable"]).get_fields())
    values = {
        "mb:instrument/agree": "/Off",  # unticked
        "mb:instrument/met_before": "/yes",
        "mb:instrument/interests[0]": "/Yes", "mb:instrument/interests[1]": "/Off",
        "mb:instrument/interests[2]": "/Yes",
        "mb:instrument/skill": "/0",
        "mb:instrument/hours": "40",
        "mb:instrument/plan[0]/task": "Write the methods section",
        "mb:instrument/plan[0]/done": "/Off", "mb:instrument/plan[0]/level": "/5",
        "mb:instrument/plan[0]/due": "2027-04-02", "mb:instrument/plan[0]/effort": "2.5",
        "mb:instrument/plan[0]/ok": "/no",
        "mb:instrument/plan[0]/kinds[0]": "/Yes", "mb:instrument/plan[0]/kinds[1]": "/Yes",
        "mb:instrument/plan[1]/done": "/Yes", "mb:instrument/plan[1]/level": "/1",
        "mb:instrument/plan[2]/task": "Present at the retreat", "mb:instrument/plan[2]/ok": "/yes",
        "mb:instrument/plan[2]/kinds[1]": "/Yes",
    }
    assert set(values) <= names
    target = tmp_path / "returned.pdf"
    fill(built["fillable"], target, values)
    out = tmp_path / "returned.yml"
    assert main(["import", str(target), "-o", str(out), "--project", str(folder), "-q"]) == 0
    assert imported(out, folder) == {
        "met_before": "yes", "interests": ["teaching", "industry"], "skill": 0, "hours": 40,
        "plan": [{"task": "Write the methods section", "level": 5, "due": dt.date(2027, 4, 2), "effort": 2.5,
                  "ok": "no", "kinds": ["read", "write"]},
                 {"task": "Read two papers", "done": True, "level": 1},
                 {"task": "Present at the retreat", "ok": "yes", "kinds": ["write"]}],
    }
    assert main(["check", str(out), "--project", str(folder), "--today", TODAY.isoformat()]) == 0


def test_the_prefilled_fillable_pdf_imports_as_the_workbook(built, project, tmp_path):
    folder, _ = project
    target = tmp_path / "as-built.pdf"
    shutil.copy(built["fillable"], target)
    out = tmp_path / "as-built.yml"
    assert main(["import", str(target), "-o", str(out), "--project", str(folder), "-q"]) == 0
    expected = {**CLEAN, "plan": [CLEAN["plan"][0], {"task": "Read two papers"}]}  # unticked: left out
    assert imported(out, folder) == expected


@pytest.mark.parametrize("kind", ["filled", "blank", "fillable"])
def test_the_pdfs_pass_the_pdf_ua_checks(built, kind):
    import pdfua_check

    assert pdfua_check.check(built[kind]) == []
