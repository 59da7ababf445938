"""Headings, instructions, signatures, matrices and show_when, in every output; and
answers shown in the order the definition gives them."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path

import jsonschema
import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import TODAY, pdf_text
from pypdf import PdfReader, PdfWriter

from mentorbook import BuildOptions, build, fields
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.validate import validate
from mentorbook.program.config import load_project
from mentorbook.program.definitions import load_definitions
from mentorbook.program.schema import workbook_schema

sys.path.insert(0, str(Path(__file__).parent))
from pdfua_check import check as pdfua_check

COMPACT = """\
id: compact
title: Mentoring compact
practice: establish
order: 50
intro: |
  Agree on these **together**.

  - read it
  - sign it
fields:
  - {type: heading, label: Ground rules, text: "What we *both* promise."}
  - {id: start, label: Start date, type: date}
  - {id: goals, label: Goals of the relationship, type: longtext}
  - {id: frequency, label: How often we meet, type: choice, choices: [weekly, monthly, other]}
  - {id: other_frequency, label: Other frequency, type: text, show_when: {field: frequency, is: other}}
  - {id: monthly_day, label: Day of the month, type: text, show_when: {field: frequency, is: [monthly, weekly]}}
  - {type: instructions, text: "Rate each skill: **1** is novice.\\n\\n- before we meet\\n- after we meet"}
  - id: skills
    label: Skills self-assessment
    type: matrix
    item_label: Skill
    suggestions: [Scientific writing, Presenting]
    fields:
      - {id: mine, label: My rating, type: rating}
      - {id: mentor, label: "Mentor's rating", type: rating}
      - {id: priority, label: Priority, type: choice, choices: [high, low], show_when: {field: mine, is: [1, 2]}}
  - {type: heading, label: Sign-off}
  - {id: trainee_signature, label: Trainee signature, type: signature}
  - {id: mentor_signature, label: Mentor signature, type: signature}
"""

REVIEWS = """\
id: reviews
title: Reviews
practice: establish
order: 60
repeat: true
fields:
  - {id: when, label: When, type: date}
  - {type: heading, label: Progress}
  - {id: notes, label: Notes, type: longtext}
  - id: actions
    label: Actions
    type: cards
    fields:
      - {id: title, label: Action, type: text}
      - {type: heading, label: Details}
      - {id: due, label: Due, type: date}
"""

WORKBOOK = """\
trainee: {name: Tess Trainee}
compact:
  start: 2026-01-15
  goals: Learn to write grants.
  frequency: monthly
  other_frequency: Hidden answer
  monthly_day: First Monday
  skills:
    - {item: Scientific writing, mine: 2, mentor: 3, priority: high}
    - {item: Statistics, mine: 4, priority: low}
  trainee_signature: {name: Tess Trainee, date: 2026-01-20}
  mentor_signature: {name: Dr. Mira Mentor, date: 2026-01-21}
reviews:
  - when: 2026-03-01
    notes: On track.
    actions: [{title: Send the draft, due: 2026-04-01}]
"""
ORDER = ["_heading_1", "start", "goals", "frequency", "monthly_day", "_instructions_7", "skills", "_heading_9",
         "trainee_signature", "mentor_signature"]  # other_frequency: its condition does not hold


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("elements")
    (root / "mentorbook.yml").write_text("practices: [establish]\n", encoding="utf-8")
    (root / "worksheets").mkdir()
    (root / "worksheets" / "compact.yml").write_text(COMPACT, encoding="utf-8")
    (root / "worksheets" / "reviews.yml").write_text(REVIEWS, encoding="utf-8")
    (root / "workbook.yml").write_text(WORKBOOK, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def definition(project):
    definitions, problems = load_definitions(project / "worksheets")
    assert problems == [] and definitions[0].id == "compact"
    return definitions[0]


@pytest.fixture(scope="module")
def outputs(project, tmp_path_factory) -> dict[str, Path]:
    """The filled site and PDF, the blank PDF and the blank fillable PDF of the project."""
    out = tmp_path_factory.mktemp("elements-out")
    prj = load_project(project)
    build(BuildOptions(workbook=project / "workbook.yml", out_dir=out / "filled", project=prj, today=TODAY))
    build(BuildOptions(out_dir=out / "blank", blank=True, project=prj, today=TODAY, format="pdf"))
    build(BuildOptions(out_dir=out / "form", blank=True, fillable=True, project=prj, today=TODAY, format="pdf"))
    return {"site": out / "filled" / "site" / "establish.html", "filled": out / "filled" / "workbook.pdf",
            "blank": out / "blank" / "workbook.pdf", "fillable": out / "form" / "workbook.pdf"}


def write_sheet(folder: Path, text: str) -> list:
    folder.mkdir(exist_ok=True)
    (folder / "sheet.yml").write_text(text, encoding="utf-8")
    return load_definitions(folder)[1]


# -- definitions and validation --------------------------------------------------------

def test_elements_need_no_id_and_hold_no_value(definition):
    assert definition.field_ids[0] == "_heading_1" and definition.fields[0].label == "Ground rules"
    assert fields.get("heading").element and fields.get("instructions").element
    text = "trainee: {name: T}\ncompact:\n  _heading_1: text\n  start: 2026-01-15\n"
    problems = validate(read_yaml_text(text), [definition], Path("me.yml")).problems
    assert [(p.field, p.message, p.line) for p in problems] == [
        ("compact._heading_1", "'_heading_1' is a heading of the worksheet: it holds no answer", 3)]


def read_yaml_text(text: str):
    """Workbook data with the positions of its keys, as the validator reads a file."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "me.yml").write_text(text, encoding="utf-8")
        return read_yaml(Path(folder) / "me.yml")


def test_a_required_field_is_required_only_when_it_is_shown(tmp_path):
    write_sheet(tmp_path / "defs", "id: s\ntitle: S\npractice: establish\nfields:\n"
                "  - {id: decision, type: choice, choices: [ask, maybe]}\n"
                "  - {id: why, type: text, required: true, show_when: {field: decision, is: ask}}\n")
    definitions, _ = load_definitions(tmp_path / "defs")
    for decision, errors in (("maybe", []), ("Ask", ["s.why"])):
        data = {"trainee": {"name": "T"}, "s": {"decision": decision}}
        assert [p.field for p in validate(data, definitions, Path("me.yml")).problems] == errors


def test_wrong_signature_and_matrix_values_are_located(definition):
    text = ("trainee: {name: T}\ncompact:\n  trainee_signature: Tess\n  mentor_signature: {name: M, date: soon}\n"
            "  skills:\n    - {mine: 3}\n    - {item: Writing, mine: 9, priority: urgent}\n")
    problems = validate(read_yaml_text(text), [definition], Path("me.yml")).problems
    found = {(p.field, p.line): p.message for p in problems}
    assert found == {
        ("compact.trainee_signature", 3): "expected a mapping with 'name' (the printed name) and 'date' "
                                          "(YYYY-MM-DD), got 'Tess'",
        ("compact.mentor_signature.date", 4): "'soon' is not a date",
        ("compact.skills[0].item", 6): "'item' is required",
        ("compact.skills[1].mine", 7): "rating 9 is outside the scale 1 to 5",
        ("compact.skills[1].priority", 7): "'urgent' is not a choice for priority",
    }


@pytest.mark.parametrize("field, message, hint", [
    ("{id: b, type: text, show_when: {field: decison, is: ask}}",
     "'decison' is not a field beside this one", "did you mean 'decision'?"),
    ("{id: b, type: text, show_when: {field: decision, is: mabye}}",
     "'mabye' is not a choice of 'decision'", "did you mean 'maybe'?"),
    ("{id: b, type: text, show_when: decision}",
     "'show_when' is a mapping with 'field' (a field id) and 'is' (a value or a list)", ""),
    ("{id: b, type: matrix, fields: [{id: note, type: text}]}",
     "a matrix column is a rating, choice, yes_no or checkbox, not a text ('note')", "use a table for other columns"),
    ("{type: heading}", "type 'heading' needs 'label'", ""),
    ("{type: instructions, label: X}", "type 'instructions' needs 'text'", ""),
])
def test_definition_mistakes_are_located(tmp_path, field, message, hint):
    sheet = ("id: s\ntitle: S\npractice: establish\nfields:\n"
             "  - {id: decision, type: choice, choices: [ask, maybe]}\n"
             f"  - {field}\n")
    problems = write_sheet(tmp_path / "defs", sheet)
    assert [(p.message, p.hint, p.line, p.severity) for p in problems] == [(message, hint, 6, "error")]


def test_a_definition_mistake_stops_check_with_its_location(tmp_path, capsys):
    (tmp_path / "mentorbook.yml").write_text("practices: [establish]\n", encoding="utf-8")
    write_sheet(tmp_path / "worksheets", COMPACT.replace("{field: frequency, is: other}", "{field: freq, is: other}"))
    assert main(["check", "--project", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert ("sheet.yml:15:63: error: other_frequency: 'freq' is not a field beside this one "
            "(did you mean 'frequency'?)") in out


# -- schema ----------------------------------------------------------------------------

def test_the_schema_leaves_elements_out_and_describes_the_new_types(definition, project):
    schema = workbook_schema(load_definitions(project / "worksheets")[0])
    properties = schema["properties"]["compact"]["properties"]
    assert list(properties) == [f for f in definition.field_ids if not f.startswith("_")]
    assert properties["trainee_signature"]["properties"]["date"]["format"] == "date"
    assert properties["skills"]["items"]["required"] == ["item"]
    jsonschema.validate(json.loads(json.dumps(yaml.safe_load(WORKBOOK), default=str)), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"trainee": {"name": "T"}, "compact": {"_heading_1": "x"}}, schema)


# -- the filled site -------------------------------------------------------------------

def shown_ids(section) -> list[str]:
    """Field and element ids of a worksheet section, in the order the page shows them."""
    ids = []
    for node in section.select(".ws-element, .field"):
        if node.find_parent(class_="field") is not None:
            continue  # a field inside a card or group
        classes = node["class"]
        ids.append(classes[2][len("field-"):] if "field" in classes else node["data-field"])
    return ids


def test_the_site_shows_each_type_in_definition_order(outputs):
    page = BeautifulSoup(outputs["site"].read_text(encoding="utf-8"), "html.parser")
    sheet = page.select_one("#ws-compact")
    assert shown_ids(sheet) == ORDER
    intro = sheet.select_one(".ws-intro")
    assert intro.strong.get_text() == "together" and [li.get_text() for li in intro.select("li")] == \
        ["read it", "sign it"]
    headings = [(h.name, h.get_text()) for h in sheet.select("h2, h3, h4")]
    assert headings == [("h2", "Mentoring compact"), ("h3", "Ground rules"), ("h3", "Sign-off")]
    assert sheet.select_one(".ws-section em").get_text() == "both"
    assert [li.get_text() for li in sheet.select(".ws-instructions li")] == ["before we meet", "after we meet"]
    assert "Hidden answer" not in sheet.get_text() and "First Monday" in sheet.get_text()
    table = sheet.select_one("table.ws-matrix")
    assert [(th.get_text(), th["scope"]) for th in table.select("thead th")] == [
        ("Skill", "col"), ("My rating", "col"), ("Mentor's rating", "col"),
        ("Priority (if My rating is 1 or 2)", "col")]
    assert [(th.get_text(), th["scope"]) for th in table.select("tbody th")] == [
        ("Scientific writing", "row"), ("Statistics", "row")]
    assert table.select("tbody tr")[0].select_one(".rating")["aria-label"] == "2 of 5"
    priorities = [row.select("td")[-1].get_text(strip=True) for row in table.select("tbody tr")]
    assert priorities == ["high", ""]  # Statistics: rated 4, its priority is not shown
    signature = sheet.select_one(".field-mentor_signature")
    assert signature.select_one(".sig-name .sig-value").get_text() == "Dr. Mira Mentor"
    assert signature.select_one(".sig-date .sig-value").get_text() == "21 January 2026"


def test_headings_take_the_level_below_the_heading_above_them(outputs):
    page = BeautifulSoup(outputs["site"].read_text(encoding="utf-8"), "html.parser")
    entry = page.select_one("#ws-reviews article.entry")
    assert [(h.name, h.get_text(strip=True)) for h in entry.select("h3, h4, h5, h6")] == [
        ("h3", "Reviews 1"), ("h4", "Progress"), ("h4", "Send the draft"), ("h5", "Details")]
    levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3, main h4, main h5, main h6")]
    assert levels[0] == 1 and all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))


def test_the_sample_site_lists_fields_in_definition_order(tmp_path):
    from mentorbook.base.paths import CONTENT_DIR
    from mentorbook.program.definitions import load_definitions as load

    build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path, today=TODAY, format="html"))
    definitions = {d.id: d for d in load(CONTENT_DIR / "worksheets")[0]}
    checked = 0
    for html in (tmp_path / "site").glob("*.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for section in page.select("section.worksheet"):
            definition = definitions[section["id"][len("ws-"):]]
            parts = section.select("article.entry") or [section]
            for part in parts:
                ids = shown_ids(part)
                assert ids == [f for f in definition.field_ids if f in ids], definition.id
                checked += len(ids) > 1
    assert checked >= 5


# -- PDFs ------------------------------------------------------------------------------

def test_the_filled_pdf_shows_each_type(outputs):
    text = pdf_text(PdfReader(outputs["filled"]))
    text = text[text.rindex("Mentoring compact"):]  # the agreement before it is a blank form
    for words in ("Ground rules", "What we both promise.", "Rate each skill: 1 is novice.", "Scientific writing",
                  "Statistics", "Sign-off", "Dr. Mira Mentor", "21 January 2026", "First Monday", "Agree on these"):
        assert words in text, words
    assert "Hidden answer" not in text and "Other frequency" not in text
    labels = ["START DATE", "GOALS OF THE RELATIONSHIP", "HOW OFTEN WE MEET", "DAY OF THE MONTH",
              "SKILLS SELF-ASSESSMENT", "TRAINEE SIGNATURE", "MENTOR SIGNATURE"]  # the labels are in capitals
    assert [text.index(label) for label in labels] == sorted(text.index(label) for label in labels)


def test_the_blank_pdf_shows_everything_with_conditions_noted(outputs):
    text = pdf_text(PdfReader(outputs["blank"]))
    for words in ("Ground rules", "Other frequency (if How often we meet is other)",
                  "Day of the month (if How often we meet is monthly or weekly)", "Scientific writing",
                  "Presenting", "Printed name", "Signature", "Rate each skill"):
        assert words in text, words
    assert text.count("1 2 3 4 5") == 2  # each rating column numbers its scale once, in its heading


@pytest.mark.parametrize("kind", ["filled", "blank", "fillable"])
def test_the_pdfs_stay_pdf_ua(outputs, kind):
    assert [str(f) for f in pdfua_check(outputs[kind])] == []


def structure_parent(pdf, annotation) -> str:
    """The structure element type that holds an annotation's OBJR."""
    found = []

    def walk(node, depth=0):
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/OBJR" and kid.Obj.objgen == annotation.objgen:
                    found.append(str(node.get("/S")))
                elif depth < 200:
                    walk(kid, depth + 1)

    walk(pdf.Root.StructTreeRoot)
    return found[0] if found else ""


def test_the_fillable_pdf_has_form_fields_for_each_type_and_a_signature_field(outputs):
    with pikepdf.open(outputs["fillable"]) as pdf:
        form = pdf.Root.AcroForm
        by_name = {str(f.T): f for f in form.Fields}
        assert int(form.SigFlags) & 1
        for who in ("trainee", "mentor"):
            assert by_name[f"mb:compact/{who}_signature/name"].FT == "/Tx"
            assert by_name[f"mb:compact/{who}_signature/date"].FT == "/Tx"
            sig = by_name[f"mb:compact/{who}_signature/_sign"]
            assert sig.FT == "/Sig" and "/V" not in sig and str(sig.TU).endswith("signature")
            assert "/AP" in sig and "/N" in sig.AP
            page = next(p for p in pdf.pages if any(a.objgen == sig.objgen for a in p.get("/Annots", [])))
            x1, y1, x2, y2 = (float(v) for v in sig.Rect)
            box = [float(v) for v in page.MediaBox]
            assert box[0] <= x1 < x2 <= box[2] and box[1] <= y1 < y2 <= box[3] and x2 - x1 > 100
            assert structure_parent(pdf, sig) == "/Form"
        for row in ("0*", "1*", "2", "3"):
            assert by_name[f"mb:compact/skills[{row}]/item"].FT == "/Tx"
            for column in ("mine", "mentor", "priority"):
                assert by_name[f"mb:compact/skills[{row}]/{column}"].FT == "/Btn"
        assert str(by_name["mb:compact/skills[0*]/item"].V) == "Scientific writing"
        assert {"mb:compact/other_frequency", "mb:compact/monthly_day"} <= set(by_name)
        assert not any("_heading" in name or "_instructions" in name for name in by_name)
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    with open(outputs["fillable"], "rb") as handle:  # a signing tool finds both, empty
        found = [(name, value) for name, value, _ in enumerate_sig_fields(PdfFileReader(handle))]
    assert found == [("mb:compact/trainee_signature/_sign", None), ("mb:compact/mentor_signature/_sign", None)]


def test_every_answer_of_the_fillable_pdf_comes_back_and_checks(outputs, project, tmp_path):
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(outputs["fillable"])
    writer = PdfWriter(clone_from=reader)
    text = {"mb:trainee/name": "Tess Trainee", "mb:compact/start": "2026-02-01",
            "mb:compact/goals": "Two lines\nof goals", "mb:compact/other_frequency": "Fortnightly",
            "mb:compact/monthly_day": "Mondays", "mb:compact/skills[2]/item": "Statistics",
            "mb:compact/skills[3]/item": "Teaching"}
    for who, day in (("trainee", "03"), ("mentor", "04")):
        text[f"mb:compact/{who}_signature/name"] = f"{who.title()} Name"
        text[f"mb:compact/{who}_signature/date"] = f"2026-02-{day}"
    radios = {"mb:compact/frequency": "/other"}
    for row in ("0*", "1*", "2", "3"):
        radios |= {f"mb:compact/skills[{row}]/mine": "/5", f"mb:compact/skills[{row}]/mentor": "/4",
                   f"mb:compact/skills[{row}]/priority": "/low"}
    writer.update_page_form_field_values(None, text | radios, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    out = tmp_path / "me.yml"
    assert main(["import", str(filled), "--project", str(project), "-o", str(out), "-q"]) == 0
    imported = yaml.safe_load(out.read_text(encoding="utf-8"))
    rows = [{"item": item, "mine": 5, "mentor": 4, "priority": "low"}
            for item in ("Scientific writing", "Presenting", "Statistics", "Teaching")]
    assert imported["compact"] == {
        "start": dt.date.fromisoformat("2026-02-01"), "goals": "Two lines\nof goals", "frequency": "other",
        "other_frequency": "Fortnightly", "monthly_day": "Mondays", "skills": rows,
        "trainee_signature": {"name": "Trainee Name", "date": dt.date.fromisoformat("2026-02-03")},
        "mentor_signature": {"name": "Mentor Name", "date": dt.date.fromisoformat("2026-02-04")},
    }
    assert main(["check", str(out), "--project", str(project), "--today", TODAY.isoformat()]) == 0


def test_check_passes_on_a_workbook_using_every_new_type(project):
    assert main(["check", str(project / "workbook.yml"), "--project", str(project),
                 "--today", TODAY.isoformat()]) == 0
