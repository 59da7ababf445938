"""The validate stage alone: each field type accepts what it should and rejects the rest
with a message located at FILE:LINE:COLUMN and the field's dotted path.

Definitions are read from YAML as a program would write them, and workbooks are parsed
by the YAML reader (which records positions), so only validate's own rules are tested.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from mentorbook.base.yamlio import parse_yaml
from mentorbook.core.validate import Validated, validate
from mentorbook.program.definitions import load_definitions

SHEETS = """\
id: sheet
title: Every type
practice: self-reflect
fields:
  - {id: title, label: Title, type: text}
  - {id: story, label: Story, type: longtext}
  - {id: when, label: When, type: date}
  - id: term
    label: Term
    type: choice
    choices: [short, long]
  - {id: score, label: Score, type: rating, scale: [1, 5]}
  - {id: hours, label: Hours, type: number}
  - {id: values, label: Values, type: list}
  - id: rows
    label: Rows
    type: table
    fields:
      - {id: area, label: Area, type: text, required: true}
      - {id: level, label: Level, type: choice, choices: [low, high]}
  - id: box
    label: Box
    type: group
    fields:
      - {id: note, label: Note, type: text}
---
id: people
title: People
practice: identify-mentors
repeat: true
fields:
  - {id: name, label: Name, type: text, required: true}
  - {id: met, label: Met, type: date}
---
id: talks
title: Talks
practice: cultivate
repeat: true
fields:
  - {id: who, label: Who, type: text, ref: people.name}
"""


@pytest.fixture(scope="module")
def definitions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("worksheets")
    for i, text in enumerate(SHEETS.split("---\n")):
        (folder / f"{i}.yml").write_text(text, encoding="utf-8")
    found, problems = load_definitions(folder)
    assert problems == [] and [d.id for d in found] == ["people", "sheet", "talks"]
    return found


WORKBOOK = Path("/work/me.yml")  # only named in messages: nothing is read from disk


def check(definitions, text: str) -> Validated:
    return validate(parse_yaml(textwrap.dedent(text), WORKBOOK), definitions, WORKBOOK)


def one_error(result: Validated):
    assert len(result.errors) == 1, [p.format() for p in result.problems]
    return result.errors[0]


def sheet(definitions, body: str) -> Validated:
    """A workbook with a trainee and the 'sheet' section holding ``body`` (indented YAML)."""
    return check(definitions, "trainee:\n  name: Ana\nsheet:\n" + textwrap.indent(textwrap.dedent(body), "  "))


# --- accepted values ---------------------------------------------------------------

def test_every_type_accepts_its_values_and_returns_clean_python(definitions):
    result = sheet(definitions, """\
        title: "  A title  "
        story: |
          Two lines
          of text
        when: 2026-03-15
        term: short
        score: 4
        hours: 2.5
        values: [Honesty, Curiosity]
        rows:
          - {area: Writing, level: high}
          - {area: Statistics}
        box: {note: kept}
        """)
    assert result.problems == []
    assert result.data["trainee"] == {"name": "Ana"}
    assert result.data["sheet"] == {
        "title": "A title",  # stripped
        "story": "Two lines\nof text",
        "when": dt.date(2026, 3, 15),
        "term": "short",
        "score": 4,
        "hours": 2.5,
        "values": ["Honesty", "Curiosity"],
        "rows": [{"area": "Writing", "level": "high"}, {"area": "Statistics"}],
        "box": {"note": "kept"},
    }


def test_a_quoted_date_is_parsed_too(definitions):
    assert sheet(definitions, "when: '2026-03-15'\n").data["sheet"]["when"] == dt.date(2026, 3, 15)


def test_a_choice_in_other_case_becomes_the_defined_value(definitions):
    result = sheet(definitions, "term: LONG\n")
    assert result.problems == [] and result.data["sheet"]["term"] == "long"


def test_a_single_text_is_a_list_of_one(definitions):
    assert sheet(definitions, "values: Honesty\n").data["sheet"]["values"] == ["Honesty"]


def test_empty_answers_are_left_out(definitions):
    result = sheet(definitions, "title: ''\nvalues: [Honesty, '', null]\nrows: []\nbox: {}\n")
    assert result.problems == []
    assert result.data["sheet"] == {"values": ["Honesty"]}


def test_rating_bounds_are_inclusive(definitions):
    for score in (1, 5):
        assert sheet(definitions, f"score: {score}\n").data["sheet"]["score"] == score


def test_where_each_answer_came_from_is_recorded(definitions):
    result = sheet(definitions, "title: A\nrows:\n  - area: Writing\n")
    assert result.locations["sheet.title"] == (4, 10)
    assert result.locations["sheet.rows"] == (6, 5)  # the list starts at its first '-'
    assert result.locations["sheet.rows[0]"] == (6, 7)
    assert result.locations["sheet.rows[0].area"] == (6, 13)


# --- rejected values, each with its location ------------------------------------------

@pytest.mark.parametrize("body, field, line, column, message", [
    ("when: 2026-02-30\n", "sheet.when", 4, 9, "'2026-02-30' is not a date"),
    ("when: next week\n", "sheet.when", 4, 9, "'next week' is not a date"),
    ("term: medium\n", "sheet.term", 4, 9, "'medium' is not a choice for term"),
    ("score: 7\n", "sheet.score", 4, 10, "rating 7 is outside the scale 1 to 5"),
    ("score: 0\n", "sheet.score", 4, 10, "rating 0 is outside the scale 1 to 5"),
    ("score: 2.5\n", "sheet.score", 4, 10, "rating 2.5 is outside the scale 1 to 5"),
    ("score: high\n", "sheet.score", 4, 10, "expected a whole number on the rating scale, got 'high'"),
    ("score: true\n", "sheet.score", 4, 10, "expected a whole number on the rating scale, got 'True'"),
    ("hours: many\n", "sheet.hours", 4, 10, "expected a number, got 'many'"),
    ("hours: false\n", "sheet.hours", 4, 10, "expected a number, got 'False'"),
    ("title: {a: 1}\n", "sheet.title", 4, 10, "expected one line of text, got a mapping"),
    ("story: [a, b]\n", "sheet.story", 4, 10, "expected a paragraph of text, got a list"),
    ("when: [2026-01-01]\n", "sheet.when", 4, 9, "expected a date written YYYY-MM-DD, got a list"),
    ("values: {a: 1}\n", "sheet.values", 4, 11, "expected a list of texts, got a mapping"),
    ("values:\n  - ok\n  - {nested: mapping}\n", "sheet.values[1]", 6, 7, "expected a text, got a mapping"),
    ("rows: Writing\n", "sheet.rows", 4, 9, "expected a list (lines starting with '- '), got 'Writing'"),
    ("rows:\n  - Writing\n", "sheet.rows[0]", 5, 7, "expected a mapping of fields, got 'Writing'"),
    ("rows:\n  - {level: low}\n", "sheet.rows[0].area", 5, 7, "'area' is required"),
    ("rows:\n  - {area: A, level: middling}\n", "sheet.rows[0].level", 5, 24, "'middling' is not a choice for level"),
    ("box: [a]\n", "sheet.box", 4, 8, "expected a mapping of fields, got a list"),
    ("titel: A\n", "sheet.titel", 4, 3, "unknown field 'titel'"),
])
def test_each_type_rejects_what_it_cannot_hold(definitions, body, field, line, column, message):
    problem = one_error(sheet(definitions, body))
    assert (problem.file, problem.line, problem.column, problem.field) == (WORKBOOK, line, column, field)
    assert problem.message == message
    assert problem.format().startswith(f"{WORKBOOK}:{line}:{column}: error: {field}: {message}")


def test_a_rejected_value_is_left_out_of_the_clean_data(definitions):
    result = sheet(definitions, "title: Kept\nwhen: 2026-02-30\nscore: 9\n")
    assert len(result.errors) == 2
    assert result.data["sheet"] == {"title": "Kept"}


@pytest.mark.parametrize("body, hint", [
    ("when: 31/12/2026\n", "write dates as YYYY-MM-DD, e.g. 2026-03-15"),
    ("term: shrot\n", "did you mean 'short'?"),
    ("term: x\n", "expected one of: short, long"),
    ("titel: A\n", "did you mean 'title'?"),
    ("box: 3\n", "fields: note"),
    ("rows:\n  - {level: low}\n", "add a line 'area: ...'"),
])
def test_messages_say_how_to_fix_it(definitions, body, hint):
    assert one_error(sheet(definitions, body)).hint == hint


# --- the workbook as a whole ---------------------------------------------------------------

def test_every_problem_is_reported_at_once(definitions):
    result = check(definitions, """\
        trainee:
          name: Ana
          start_date: soon
        sheet:
          when: 2026-13-01
          term: maybe
        peeple: []
        """)
    assert [(p.line, p.field) for p in result.errors] == [
        (7, "peeple"), (3, "trainee.start_date"), (5, "sheet.when"), (6, "sheet.term")]
    assert "did you mean 'people'?" in result.errors[0].hint


def test_the_trainee_needs_a_name(definitions):
    problem = one_error(check(definitions, "trainee:\n  role: PGY-1\n"))
    assert (problem.line, problem.field, problem.message) == (2, "trainee.name", "'name' is required")
    assert problem.hint == "add a line 'name: ...'"


def test_a_workbook_without_a_trainee_is_an_error_at_its_start(definitions):
    problem = one_error(check(definitions, "sheet:\n  title: A\n"))
    assert (problem.line, problem.column, problem.field) == (1, 1, "trainee")
    assert "needs a 'trainee' section" in problem.message


def test_a_workbook_that_is_not_a_mapping(definitions):
    problem = one_error(check(definitions, "- just\n- a list\n"))
    assert (problem.line, problem.column) == (1, 1) and "got a list" in problem.message


def test_an_empty_file_asks_for_the_trainee(definitions):
    assert "needs a 'trainee' section" in one_error(check(definitions, "")).message


def test_the_profile_fields_are_typed(definitions):
    result = check(definitions, """\
        trainee:
          name: Ana
          start_date: 2026-07-01
          current_practice: Cultivate
        """)
    assert result.problems == []
    assert result.data["trainee"] == {"name": "Ana", "start_date": dt.date(2026, 7, 1), "current_practice": "cultivate"}
    problem = one_error(check(definitions, "trainee:\n  name: Ana\n  current_practice: cultivating\n"))
    assert problem.field == "trainee.current_practice" and problem.hint == "did you mean 'cultivate'?"


def test_repeated_sheets_are_lists_of_entries(definitions):
    result = check(definitions, "trainee: {name: Ana}\npeople:\n  - {name: Dr. A, met: 2026-01-02}\n  - name: Dr. B\n")
    assert result.problems == []
    assert result.data["people"] == [{"name": "Dr. A", "met": dt.date(2026, 1, 2)}, {"name": "Dr. B"}]
    problem = one_error(check(definitions, "trainee: {name: Ana}\npeople: {name: Dr. A}\n"))
    assert (problem.line, problem.field) == (2, "people") and "expected a list" in problem.message


# --- references between worksheets ------------------------------------------------------

def test_a_reference_must_name_an_entry_of_the_other_sheet(definitions):
    text = ("trainee: {name: Ana}\npeople:\n  - name: Dr. Ada Quinn\n"
            "talks:\n  - who: Dr. Ada Quinn\n  - who: Dr. Ada Quin\n")
    problem = one_error(check(definitions, text))
    assert (problem.line, problem.column, problem.field) == (6, 10, "talks[1].who")
    assert problem.message == "'Dr. Ada Quin' is not in the people list"
    assert problem.hint == "did you mean 'Dr. Ada Quinn'?"


def test_a_reference_to_a_list_without_entries_says_to_fill_it_first(definitions):
    text = "trainee: {name: Ana}\npeople:\n  - Dr. A\ntalks:\n  - who: Dr. A\n"
    result = check(definitions, text)
    assert [p.field for p in result.errors] == ["people[0]", "talks[0].who"]
    assert result.errors[1].hint == "add them under 'people:' first"


def test_references_are_not_checked_when_the_other_sheet_is_absent(definitions):
    assert check(definitions, "trainee: {name: Ana}\ntalks:\n  - who: Dr. A\n").problems == []
