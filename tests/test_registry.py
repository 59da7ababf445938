"""The field-type registry: every type is complete, and a program adds a type of its own
with a Python class and a macro file only."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import TODAY, pdf_text
from pypdf import PdfReader, PdfWriter

from mentorbook import fields
from mentorbook.base.errors import MentorbookError
from mentorbook.base.paths import CONTENT_DIR, TEMPLATES_DIR
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.model import Worksheet
from mentorbook.core.render import Renderer, field_value
from mentorbook.core.validate import validate
from mentorbook.fields.fielddef import FieldDef
from mentorbook.program.definitions import load_definitions
from mentorbook.program.schema import workbook_schema

EXAMPLE = CONTENT_DIR / "examples" / "program"
BUILT_IN = tuple(fields.names())  # before this module registers a type of its own


# -- every built-in type ---------------------------------------------------------------

@pytest.fixture(scope="module")
def every_type(tmp_path_factory):
    """A worksheet holding each registered type's example field, and its example answers."""
    folder = tmp_path_factory.mktemp("every-type")
    sheet = {"id": "all_types", "title": "All types", "practice": "self-reflect",
             "fields": [fields.get(name).example for name in BUILT_IN]}
    (folder / "all.yml").write_text(yaml.safe_dump(sheet, sort_keys=False))
    definitions, problems = load_definitions(folder)
    assert problems == [] and len(definitions) == 1
    answers = {f["id"]: fields.get(f["type"]).example_value for f in sheet["fields"]
               if not fields.get(f["type"]).element}  # elements (headings, instructions) hold no value
    return definitions[0], answers


def test_every_type_has_each_capability(every_type):
    definition, _ = every_type
    renderer = Renderer([TEMPLATES_DIR])
    assert {f.type for f in definition.fields} == set(BUILT_IN)
    for name in BUILT_IN:
        ftype = fields.get(name)
        assert ftype.name == name and ftype.description and ftype.template
        assert (TEMPLATES_DIR / ftype.template).is_file(), ftype.template
        assert set(ftype.requires) <= set(ftype.accepts())
        assert set(ftype.example) <= set(ftype.accepts()), name
        for key in (*fields.COMMON_KEYS, *ftype.keys):
            assert key.doc and key.example is not None, (name, key.name)
        for role in fields.ROLES:
            if ftype.macro(role):  # "" draws nothing there, on purpose
                assert callable(renderer.field_macro(FieldDef("x", "X", name), role)), (name, role)
        assert ftype.nested == (name in ("table", "cards", "group", "matrix"))
        assert ftype.element == (ftype.example_value is None) == (name in ("heading", "instructions"))


def test_example_answers_validate_and_match_the_schema(every_type):
    definition, answers = every_type
    data = {"trainee": {"name": "T"}, definition.id: answers}
    checked = validate(data, [definition], Path("me.yml"))
    assert checked.problems == []
    assert set(checked.data[definition.id]) == set(answers)
    jsonschema.validate(data, workbook_schema([definition]))
    for f in definition.fields:
        if not fields.get(f.type).nested and not fields.get(f.type).element:
            assert field_value(f, checked.data[definition.id][f.id]), f.type


def test_wrong_values_are_refused_by_their_type(every_type):
    definition, answers = every_type
    data = {"trainee": {"name": "T"}, definition.id: {"decision": "maybe", "competence": 9, "hours": "many",
                                                      "first_meeting": "soon", "position": {"a": 1}}}
    messages = {p.field: p.message for p in validate(data, [definition], Path("me.yml")).problems}
    assert messages == {
        "all_types.decision": "'maybe' is not a choice for decision",
        "all_types.competence": "rating 9 is outside the scale 1 to 5",
        "all_types.hours": "expected a number, got 'many'",
        "all_types.first_meeting": "'soon' is not a date",
        "all_types.position": "expected one line of text, got a mapping",
    }


def test_every_type_renders_filled_blank_and_fillable(every_type):
    definition, answers = every_type
    clean = validate({"trainee": {"name": "T"}, definition.id: answers}, [definition], Path("me.yml")).data
    renderer = Renderer([TEMPLATES_DIR])
    macros = renderer.env.get_template("_worksheet.html").module
    form = renderer.env.get_template("_fillable.html").module
    ws = Worksheet(definition, (clean[definition.id],))
    filled = BeautifulSoup(str(macros.worksheet(ws, False)), "html.parser")
    blank = BeautifulSoup(str(macros.worksheet(Worksheet(definition, ()), True)), "html.parser")
    fillable = BeautifulSoup(str(form.form_sheet(ws)), "html.parser")
    for f in definition.fields:
        if fields.get(f.type).element:  # no answer and no form field: drawn as it is everywhere
            text = f.text.replace("*", "")
            assert all(text in page.get_text() for page in (filled, blank, fillable)), f.type
            continue
        shown = filled.select_one(f".field-{f.id} dd")
        assert shown is not None and shown.get_text(strip=True), f.type
        assert blank.select_one(f".bfield-{f.type}") is not None, f.type
        names = [i["name"] for i in fillable.select("input, textarea")]
        assert any(n.startswith(f"mb:all_types/{f.id}") for n in names), f.type
    assert filled.select_one(".field-decision .chip").get_text() == "ask"
    assert filled.select_one(".field-first_meeting dd").get_text(strip=True) == "15 March 2026"
    assert [li.get_text() for li in filled.select(".field-agenda li")] == ["Career plan", "Grant deadline"]
    assert fillable.select_one('input[name="mb:all_types/competence"][checked]')["value"] == "4"


def test_a_missing_macro_is_an_error_naming_the_template_and_macro():
    class Half(fields.ScalarType):
        name, description, template = "half", "half a type", "fields/text.html"

    fields.register(Half)
    try:
        with pytest.raises(MentorbookError, match="fields/text.html: no macro 'half_filled' for filled"):
            Renderer([TEMPLATES_DIR]).field_macro(FieldDef("x", "X", "half"), "filled")
    finally:
        fields.unregister("half")
    with pytest.raises(KeyError, match="unknown field type 'half'"):
        fields.get("half")


def test_a_project_template_redraws_a_type(every_type, tmp_path):
    definition, answers = every_type
    (tmp_path / "fields").mkdir()
    date_macros = (TEMPLATES_DIR / "fields" / "date.html").read_text()
    (tmp_path / "fields" / "date.html").write_text(date_macros.replace(
        "{{ f | field_value(value) }}", '<mark class="redrawn">{{ f | field_value(value) }}</mark>'))
    clean = validate({"trainee": {"name": "T"}, definition.id: answers}, [definition], Path("me.yml")).data
    for dirs, wrapped in (([tmp_path, TEMPLATES_DIR], True), ([TEMPLATES_DIR], False)):
        macros = Renderer(dirs).env.get_template("_worksheet.html").module
        page = BeautifulSoup(str(macros.worksheet(Worksheet(definition, (clean[definition.id],)), False)),
                             "html.parser")
        assert (page.select_one(".field-first_meeting dd mark.redrawn") is not None) == wrapped
        assert page.select_one(".field-first_meeting dd").get_text(strip=True) == "15 March 2026"


def test_the_reference_lists_each_type_with_its_keys_and_defaults():
    reference = {entry["type"]: entry for entry in fields.reference()}
    assert list(reference)[:len(BUILT_IN)] == list(BUILT_IN)
    for name in BUILT_IN:
        entry = reference[name]
        assert entry["summary"] and entry["description"] == fields.get(name).description
        keys = {k["name"]: k for k in entry["keys"]}
        assert set(entry["example"]) | set(entry["requires"]) <= set(keys), name
        assert all(k["doc"] for k in keys.values())
    defaults = {name: {k["name"]: k["default"] for k in reference[name]["keys"]} for name in BUILT_IN}
    assert (defaults["text"]["lines"], defaults["longtext"]["lines"], defaults["list"]["lines"]) == (1, 4, 3)
    assert defaults["rating"]["scale"] == (1, 5) and defaults["table"]["rows"] == 3
    assert reference["choice"]["requires"] == ["choices"] and reference["group"]["requires"] == ["fields"]


def test_a_key_of_another_type_is_a_located_error(tmp_path):
    (tmp_path / "w.yml").write_text("id: w\ntitle: W\npractice: cultivate\nfields:\n"
                                    "  - {id: due, type: date, lines: 3}\n")
    _, problems = load_definitions(tmp_path)
    assert [(p.severity, p.line, p.column, p.field) for p in problems] == [("error", 5, 27, "lines")]
    assert problems[0].message == "unknown key 'lines' in a date field"
    assert problems[0].hint.startswith("a date field takes: id, label, type")


def test_a_key_of_another_type_stops_a_program_before_its_workbook(tmp_path, capsys):
    root = tmp_path / "program"
    shutil.copytree(EXAMPLE, root)
    sheet = root / "worksheets" / "due.yml"
    sheet.write_text("id: due\ntitle: Due\npractice: cultivate\nfields:\n  - {id: due, type: date, lines: 3}\n")
    assert main(["schema", "--project", str(root)]) == 2
    assert f"{sheet}:5:27: error: lines: unknown key 'lines' in a date field" in capsys.readouterr().err
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee:\n  name: T\ndue:\n  due: not a date\n")
    assert main(["check", str(workbook), "--project", str(root)]) == 2
    out = capsys.readouterr().out
    assert f"{sheet}:5:27: error: lines: unknown key 'lines' in a date field" in out
    assert "not a date" not in out and str(workbook) + ":" not in out


# -- a type of a program's own --------------------------------------------------------

class YesNo(fields.ScalarType):
    name = "yesno"
    description = "yes or no"
    example = {"id": "ready", "label": "Ready to meet", "type": "yesno"}
    example_value = True
    template = "fields/yesno.html"
    macros = {"blank_cell": ""}

    def clean(self, walker, fdef, value, path, where):
        if isinstance(value, bool):
            return "yes" if value else "no"
        if str(value).strip().lower() in ("yes", "no"):
            return str(value).strip().lower()
        walker.error(where, path, f"expected {self.description}, got '{value}'")
        return None

    def schema(self, fdef):
        return {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no"]}]}

    def text(self, fdef, value, lang=None):
        return str(value).capitalize()

    def read_text(self, fdef, text):
        return text.lower()


YESNO_MACROS = """{% from "_fillable.html" import line_input %}
{% macro yesno_cell(f, value) %}<span class="yesno yesno-{{ value }}">{{ f | field_value(value) }}</span>{% endmacro %}
{% macro yesno_filled(f, value, level=3) %}{{ yesno_cell(f, value) }}{% endmacro %}
{% macro yesno_blank(f) %}<span class="yesno-boxes">Yes / No</span>{% endmacro %}
{% macro yesno_form(f, name, value, title) %}{{ line_input(name, title, value, 'fill-box', 3) }}{% endmacro %}
{% macro yesno_form_cell(c, name, value, title) %}{{ line_input(name, title, value, 'fill-cell', 3) }}{% endmacro %}
"""

CHECKIN = """id: checkin
title: Check-in
practice: cultivate
order: 20
fields:
  - {id: ready, label: Ready to meet, type: yesno}
  - id: steps
    label: Steps
    type: table
    fields:
      - {id: step, label: Step, type: text}
      - {id: done, label: Done, type: yesno}
"""


@pytest.fixture(scope="module")
def yesno_project(tmp_path_factory):
    fields.register(YesNo)
    root = tmp_path_factory.mktemp("yesno") / "program"
    shutil.copytree(EXAMPLE, root)
    (root / "worksheets" / "checkin.yml").write_text(CHECKIN)
    with open(root / "mentorbook.yml", "a", encoding="utf-8") as config:  # the practice of the new sheet alone
        config.write("\npractices: [cultivate]\n")
    (root / "templates" / "fields").mkdir(parents=True)
    (root / "templates" / "fields" / "yesno.html").write_text(YESNO_MACROS)
    workbook = root.parent / "me.yml"
    workbook.write_text("trainee:\n  name: Dr. Ada Quinn\ncheckin:\n  ready: true\n"
                        "  steps:\n    - {step: Book a room, done: false}\n")
    yield root, workbook
    fields.unregister("yesno")


def test_a_new_type_validates_with_located_errors(yesno_project, capsys):
    root, workbook = yesno_project
    wrong = workbook.with_name("wrong.yml")
    wrong.write_text("trainee:\n  name: T\ncheckin:\n  ready: maybe\n")
    assert main(["check", str(wrong), "--project", str(root)]) == 2
    assert f"{wrong}:4:10: error: checkin.ready: expected yes or no, got 'maybe'" in capsys.readouterr().out
    assert main(["check", str(workbook), "--project", str(root)]) == 0


def test_a_new_type_is_in_the_json_schema(yesno_project, capsys):
    root, workbook = yesno_project
    assert main(["schema", "--project", str(root)]) == 0
    schema = json.loads(capsys.readouterr().out)
    checkin = schema["properties"]["checkin"]["properties"]
    assert checkin["ready"] == {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no"]}], "title": "Ready to meet"}
    assert checkin["steps"]["items"]["properties"]["done"]["title"] == "Done"
    jsonschema.validate(yaml.safe_load(workbook.read_text()), schema)


def test_a_new_type_renders_filled_blank_and_fillable_and_reads_back(yesno_project, tmp_path):
    root, workbook = yesno_project
    assert main(["build", str(workbook), "--project", str(root), "--out", str(tmp_path / "s"), "-q",
                 "--today", TODAY.isoformat()]) == 0
    page = BeautifulSoup((tmp_path / "s" / "site" / "cultivate.html").read_text(), "html.parser")
    assert page.select_one("#ws-checkin .field-ready .yesno-yes").get_text() == "Yes"
    assert page.select_one("#ws-checkin .table-steps .yesno-no").get_text() == "No"
    text = pdf_text(PdfReader(tmp_path / "s" / "workbook.pdf"))
    assert "READY TO MEET\nYes\n" in text and "Book a room No" in text  # labels are upper case on paper

    assert main(["build", "--blank", "--project", str(root), "--out", str(tmp_path / "b"), "-q", "--format", "html",
                 "--today", TODAY.isoformat()]) == 0
    blank = BeautifulSoup((tmp_path / "b" / "site" / "cultivate.html").read_text(), "html.parser")
    assert blank.select_one("#ws-checkin .bfield-yesno .yesno-boxes").get_text() == "Yes / No"

    assert main(["build", str(workbook), "--fillable", "--project", str(root), "--out", str(tmp_path / "f"), "-q",
                 "--today", TODAY.isoformat()]) == 0
    pdf = tmp_path / "f" / "workbook.pdf"
    form = PdfReader(pdf).get_fields()
    assert form["mb:checkin/ready"].get("/V") == "yes"
    assert form["mb:checkin/steps[0]/done"].get("/V") == "no"
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.update_page_form_field_values(None, {"mb:checkin/ready": "NO"}, auto_regenerate=False)
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    out = tmp_path / "back.yml"
    assert main(["import", str(filled), "-o", str(out), "--project", str(root), "-q"]) == 0
    back = read_yaml(out)  # as mentorbook reads workbooks: 'no' is a text
    assert back["checkin"] == {"ready": "no", "steps": [{"step": "Book a room", "done": "no"}]}


def test_an_unknown_type_is_a_located_error_naming_the_registered_types(yesno_project, capsys):
    root, workbook = yesno_project
    sheet = root / "worksheets" / "checkin.yml"
    sheet.write_text(CHECKIN.replace("type: yesno}", "type: yes-no}", 1))
    try:
        assert main(["check", str(workbook), "--project", str(root)]) == 2
    finally:
        sheet.write_text(CHECKIN)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert f"{sheet}:6:39: error: type: unknown field type 'yes-no'" in text
    assert "use one of " + ", ".join(fields.names()) in text and ", yesno)" in text
