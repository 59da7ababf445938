"""Definitions are checked before any workbook: every mistake in a project's worksheet
stops build and check with exit 2, located in the definition file, and no workbook
error is reported beside it."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from mentorbook import fields
from mentorbook.base.paths import CONTENT_DIR
from mentorbook.cli import main
from mentorbook.program.definitions import load_definitions

PROGRAM = CONTENT_DIR / "examples" / "program"

GOOD = """\
id: plan
title: Plan
practice: cultivate
repeat: true
entry_title: mentor
fields:
  - {id: mentor, label: Mentor, type: text, ref: mentors.name}
  - {id: hours, label: Hours, type: number}
  - {id: effort, label: Effort, type: rating, scale: [1, 5]}
  - id: kind
    label: Kind
    type: choice
    choices: [a, b]
  - id: steps
    label: Steps
    type: table
    fields:
      - {id: step, label: Step, type: text, width: "3"}
      - {id: due, label: Due, type: date, width: "2"}
"""

# (what is wrong, the text to replace in GOOD, its replacement, line:column, the message, a hint it gives)
MISTAKES = [
    ("ref to a misspelled field", "ref: mentors.name", "ref: mentors.nmae", "7:45",
     "no field 'nmae' in worksheet 'mentors'", "did you mean 'name'?"),
    ("ref to a missing worksheet", "ref: mentors.name", "ref: mentor.name", "7:45",
     "no worksheet 'mentor'", "did you mean 'mentors'?"),
    ("duplicate field id", "{id: hours,", "{id: mentor,", "8:6", "duplicate field id 'mentor'", "line 7"),
    ("duplicate id in a table", "{id: due, label: Due", "{id: step, label: Due", "19:10",
     "duplicate field id 'step'", "line 18"),
    ("unknown key", "type: number}", "type: number, requried: true}", "8:45",
     "unknown key 'requried' in a number field", "did you mean 'required'?"),
    ("scale on a number field", "type: number}", "type: number, scale: [1, 3]}", "8:45",
     "unknown key 'scale' in a number field", "a number field takes:"),
    ("inverted scale", "scale: [1, 5]", "scale: [5, 1]", "9:47", "the scale [5, 1] is inverted", "[1, 5]"),
    ("a scale of one point", "scale: [1, 5]", "scale: [3, 3]", "9:47", "the scale [3, 3] is a single point", ""),
    ("empty choices", "choices: [a, b]", "choices: []", "13:5", "the list of choices is empty", ""),
    ("unknown type", "type: number}", "type: nubmer}", "8:31", "unknown field type 'nubmer'",
     "did you mean 'number'?"),
    ("bad entry_title", "entry_title: mentor", "entry_title: mentr", "5:1",
     "entry_title 'mentr' is not a field of this worksheet", "did you mean 'mentor'?"),
    ("width not a number", 'width: "2"', 'width: "wide"', "19:43", "width 'wide' is not a positive number", ""),
    ("width zero", 'width: "2"', 'width: "0"', "19:43", "width '0' is not a positive number", ""),
    ("percentages over the row", 'width: "3"}\n      - {id: due, label: Due, type: date, width: "2"}',
     'width: "60%"}\n      - {id: due, label: Due, type: date, width: "50%"}', "19:43",
     "the column widths add up to 110%, more than the row", "100%"),
    ("fractions over the row", 'width: "3"}\n      - {id: due, label: Due, type: date, width: "2"}',
     'width: "0.7"}\n      - {id: due, label: Due, type: date, width: "0.5"}', "19:43",
     "the column widths add up to 1.2, more than the row", ""),
    ("unknown worksheet key", "repeat: true", "repeat: true\nrepaet: true", "5:1",
     "unknown key 'repaet' in a worksheet definition", "did you mean 'repeat'?"),
    ("unknown choice key", "choices: [a, b]", "choices: [{value: a, lable: A}]", "13:26",
     "unknown key 'lable' in a choice", "did you mean 'label'?"),
    ("a column too narrow for its scale", '{id: due, label: Due, type: date, width: "2"}',
     '{id: due, label: Due, type: rating, scale: [0, 10], width: "0.5"}', "17:5",
     "column 'due' of 'steps' is 14.29% of the row, 57pt on a printed page, and its scale of 11 points needs "
     "121pt", "give 'due' a larger width (at least 28% of the row)"),
    ("a column too narrow for a choice", '{id: due, label: Due, type: date, width: "2"}',
     '{id: due, label: Due, type: choice, choices: [Together with my mentor], width: "0.5"}', "17:5",
     "the choice 'Together with my mentor' needs 116pt", "give 'due' a larger width"),
    ("a choice wider than an equal share of the row",
     'width: "3"}\n      - {id: due, label: Due, type: date, width: "2"}',
     '}\n      - {id: due, label: Due, type: choice, '
     'choices: [Together with my mentor and the program director]}',
     "17:5", "column 'due' of 'steps' is 50% of the row, 225pt on a printed page, and the choice 'Together with "
     "my mentor and the program director' needs", "give 'due' a width (at least"),
    ("a matrix wider than the page", 'type: table\n    fields:\n      - {id: step, label: Step, type: text, '
     'width: "3"}\n      - {id: due, label: Due, type: date, width: "2"}',
     "type: matrix\n    fields:\n" + "".join(f"      - {{id: r{i}, label: R{i}, type: rating, scale: [0, 10]}}\n"
                                          for i in range(3)), "17:5",
     "the columns of 'steps' need 475pt side by side, more than the 470pt a printed page has",
     "use fewer columns, a shorter scale or shorter choice labels"),
]


@pytest.fixture()
def program(tmp_path):
    """The example program with a worksheet of its own, and a workbook with a mistake of its own."""
    root = tmp_path / "program"
    shutil.copytree(PROGRAM, root)
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee:\n  name: T\nplan:\n  - {mentor: Nobody, hours: lots}\n", encoding="utf-8")
    return root, root / "worksheets" / "plan.yml", workbook


def test_the_good_definition_loads_cleanly(program, capsys):
    root, sheet, workbook = program
    sheet.write_text(GOOD, encoding="utf-8")
    assert main(["check", str(workbook), "--project", str(root)]) == 2  # the workbook's own mistakes
    out = capsys.readouterr().out
    assert f"{workbook}:4:" in out and str(sheet) not in out


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("what, old, new, where, message, hint", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_definition_mistake_stops_before_the_workbook(program, tmp_path, capsys, command, what, old, new,
                                                        where, message, hint):
    root, sheet, workbook = program
    assert old in GOOD
    sheet.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    argv = [command, str(workbook), "--project", str(root)]
    if command == "build":
        argv += ["--out", str(tmp_path / "out"), "--format", "html", "-q"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    lines = [line for line in text.splitlines() if ": error: " in line]
    assert lines and all(line.startswith(f"{sheet}:") for line in lines), text
    assert any(line.startswith(f"{sheet}:{where}: error: ") and message in line and hint in line
               for line in lines), text
    assert "Nobody" not in text and "lots" not in text  # no workbook error beside it
    assert not (tmp_path / "out").exists()


def test_every_mistake_is_listed_at_once(program, capsys):
    root, sheet, workbook = program
    broken = GOOD.replace("ref: mentors.name", "ref: mentors.nmae").replace("scale: [1, 5]", "scale: [5, 1]")
    sheet.write_text(broken.replace("type: number}", "type: number, unit: h}"), encoding="utf-8")
    (root / "worksheets" / "other.yml").write_text("id: other\ntitle: O\npractice: cultivate\nfields:\n"
                                                   "  - {id: a, type: text}\n  - {id: a, type: date}\n")
    assert main(["check", str(workbook), "--project", str(root)]) == 2
    out = capsys.readouterr().out
    assert out.count(": error: ") == 3, out  # the ref, the scale and the duplicate id; 'unit' is a number's key
    assert "other.yml:6:6: error: a: duplicate field id 'a'" in out


def test_the_same_worksheet_id_twice_in_one_folder(program, capsys):
    root, sheet, workbook = program
    sheet.write_text(GOOD, encoding="utf-8")
    twin = root / "worksheets" / "zz-plan.yml"
    twin.write_text(GOOD, encoding="utf-8")
    assert main(["check", str(workbook), "--project", str(root)]) == 2
    out = capsys.readouterr().out
    assert f"{twin}:1:1: error: id: duplicate worksheet id 'plan' (plan.yml has it already" in out


@pytest.mark.parametrize("command", ["schema", "agenda", "brief", "calendar", "import", "report", "cohort", "log"])
def test_every_command_checks_the_definitions(program, tmp_path, capsys, command):
    root, sheet, workbook = program
    sheet.write_text(GOOD.replace("scale: [1, 5]", "scale: [5, 1]"), encoding="utf-8")
    sample = CONTENT_DIR / "examples" / "sample-workbook.yml"
    roster = tmp_path / "roster.csv"
    roster.write_text("name,mentor\nA Trainee,Dr. B\n", encoding="utf-8")
    argv = {
        "schema": ["schema"],
        "agenda": ["agenda", str(sample), "--mentor", "whitcombe", "--out", str(tmp_path / "o")],
        "brief": ["brief", str(sample), "--mentor", "whitcombe", "--out", str(tmp_path / "o")],
        "calendar": ["calendar", str(sample), "-o", str(tmp_path / "c.ics")],
        "import": ["import", str(tmp_path), "-o", str(tmp_path / "back")],
        "report": ["report", str(sample), "--out", str(tmp_path / "r")],
        "cohort": ["cohort", str(roster), "--out", str(tmp_path / "co")],
        "log": ["log", str(tmp_path / "copy.yml"), "--mentor", "whitcombe"],
    }[command]
    shutil.copy(sample, tmp_path / "copy.yml")
    assert main([*argv, "--project", str(root)]) == 2
    assert f"{sheet}:9:47: error: " in capsys.readouterr().err


def test_the_built_in_definitions_pass_every_check():
    for directory in (CONTENT_DIR / "worksheets", PROGRAM / "worksheets", CONTENT_DIR / "scaffold" / "worksheets"):
        definitions, problems = load_definitions(directory)
        assert definitions and problems == [], directory


class Distinct(fields.ScalarType):
    """A test type whose definition check looks at its siblings: its label is its own."""

    name = "distinct_test"
    description = "a text with a label of its own"
    example = {"id": "a", "label": "A", "type": "distinct_test"}
    example_value = "x"
    template = "fields/text.html"
    macros = {"blank_cell": ""}

    def check_definition(self, fdef, siblings, report):
        if any(s.label == fdef.label for s in siblings if s is not fdef):
            report("label", f"another field is labelled '{fdef.label}' too", "give it a label of its own")


def test_a_type_checks_its_own_definition_through_the_hook(tmp_path):
    fields.register(Distinct)
    try:
        (tmp_path / "w.yml").write_text(textwrap.dedent("""\
            id: w
            title: W
            practice: cultivate
            fields:
              - {id: a, type: distinct_test, label: Same}
              - {id: b, type: text, label: Same}
              - id: rows
                type: table
                fields:
                  - {id: c, type: distinct_test, label: Other}
                  - {id: d, type: text, label: Same}
            """))
        _, problems = load_definitions(tmp_path)
    finally:
        fields.unregister("distinct_test")
    assert [(p.line, p.column, p.field, p.message, p.hint) for p in problems] == [
        (5, 34, "a", "another field is labelled 'Same' too", "give it a label of its own")]


def test_widths_as_relative_numbers_may_add_up_to_anything(tmp_path):
    Path(tmp_path / "w.yml").write_text(GOOD.replace('width: "3"', 'width: "9"'))
    assert load_definitions(tmp_path)[1] == []
