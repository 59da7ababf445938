"""`mentorbook check`: every mistake at once, and mentoring insights from the practices."""

from __future__ import annotations

import json

import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import outline_entries, write
from pypdf import PdfReader

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main

GROUPS = {"smart", "goals", "network", "agreements", "cultivation", "conclusion"}
TODAY = "2026-11-25"


def check(capsys, *args):
    code = main(["check", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def insights(capsys, text, tmp_path, today=TODAY):
    path = write(tmp_path, "wb.yml", text)
    code, out, _ = check(capsys, path, "--format", "json", "--today", today)
    report = json.loads(out)
    assert report["errors"] == 0, report
    return [p["message"] for p in report["problems"]]


def test_five_mistakes_five_located_messages(tmp_path, capsys):
    text = """\
trainee:
  name: Test Person
  rol: Resident
self_reflection:
  structure: lots
  goals:
    - title: Paper
      term: short
      target_date: 2027-13-01
mentors:
  - name: Dr. A
    competence: 9
meetings:
  - date: 2026-10-01
    mentor: Dr. B
"""
    path = write(tmp_path, "five.yml", text)
    code, out, err = check(capsys, path)
    assert code == 2
    lines = [line for line in out.splitlines() if ": error: " in line]
    assert len(lines) == 5, out
    expected = {3: "did you mean 'role'?", 5: "did you mean 'close'", 9: "is not a date",
                12: "outside the scale", 15: "is not in the mentors list"}
    for line_no, text_part in expected.items():
        assert any(line.startswith(f"{path}:{line_no}:") and text_part in line for line in lines), (line_no, out)
    assert all(line.split(":")[2].isdigit() for line in lines), "every message has a column"
    assert "5 errors" in err


def test_sample_triggers_every_group_and_json_lists_them(capsys):
    code, out, _ = check(capsys, SAMPLE_WORKBOOK, "--format", "json", "--today", TODAY)
    assert code == 0
    report = json.loads(out)
    assert report["errors"] == 0 and report["warnings"] == len(report["problems"]) > 0
    assert {p["group"] for p in report["problems"]} == GROUPS
    for problem in report["problems"]:
        assert problem["line"] and problem["column"] and problem["field"] and problem["practice"]


def test_strict_exit_codes(tmp_path, capsys):
    assert check(capsys, SAMPLE_WORKBOOK, "--today", TODAY)[0] == 0
    assert check(capsys, SAMPLE_WORKBOOK, "--today", TODAY, "--strict")[0] == 1
    clean = write(tmp_path, "clean.yml", "trainee:\n  name: New Trainee\n")
    code, out, err = check(capsys, clean, "--strict")
    assert code == 0 and out == "" and "0 errors, 0 warnings" in err


def test_text_format_is_file_line_col_severity(capsys):
    _, out, _ = check(capsys, SAMPLE_WORKBOOK, "--today", TODAY)
    first = out.splitlines()[0]
    file_part, line, col, rest = first.split(":", 3)
    assert file_part == str(SAMPLE_WORKBOOK) and line.isdigit() and col.isdigit()
    assert rest.startswith(" warning: ")


def test_insights_show_on_site_and_in_pdf(sample_build):
    doc = BeautifulSoup(sample_build.site_index.read_text(), "html.parser")
    panel = doc.select_one(".next-steps")
    assert panel is not None
    items = panel.select("li.insight")
    assert {cls.removeprefix("insight-") for li in items for cls in li["class"] if cls != "insight"} == GROUPS
    reader = PdfReader(sample_build.pdf)
    first_practice = next(page for level, title, page in outline_entries(reader) if title == "Self-reflect") - 1
    text = " ".join(" ".join(page.extract_text() for page in reader.pages[:first_practice]).split())
    assert "Next steps" in text  # in the introduction, before the first practice
    assert "Dr. Martin Greaves ended without a shared reflection" in text


GOAL = """\
trainee:
  name: T
self_reflection:
  skill_areas:
    - {area: Research methods, priority: high}
  goals:
    - title: Abstract
      term: short
      skill_area: Research methods
      specific: Submit an abstract
      measurable: Abstract submitted
      achievable: Data ready
      relevant: Fellowship
      time_bound: By March
      target_date: 2027-03-01
"""


def test_a_complete_goal_raises_nothing(tmp_path, capsys):
    assert insights(capsys, GOAL, tmp_path) == []


@pytest.mark.parametrize("change, expected", [
    (("      relevant: Fellowship\n", ""), "missing its SMART part: relevant"),
    (("      target_date: 2027-03-01\n", ""), "has no target date"),
    (("2027-03-01", "2026-09-01"), "was due on 1 September 2026 and is not done"),
    (("2027-03-01", "2028-06-01"), "short-term goal 'Abstract' is due more than 12 months away"),
    (("term: short", "term: long"), "long-term goal 'Abstract' is due in under 5 years"),
    (("Abstract submitted", "Do better at research"), "the measure of goal 'Abstract' is vague"),
    (("      skill_area: Research methods\n", ""), "is not tied to a skill area"),
    (("skill_area: Research methods", "skill_area: Statistics"), "which is not in your skill areas"),
])
def test_smart_and_goal_insights(tmp_path, capsys, change, expected):
    text = GOAL.replace(*change)
    assert text != GOAL
    found = insights(capsys, text, tmp_path)
    assert any(expected in message for message in found), found


def test_high_priority_area_without_goal(tmp_path, capsys):
    text = GOAL.replace("    - {area: Research methods, priority: high}\n",
                        "    - {area: Research methods, priority: high}\n    - {area: Networking, priority: high}\n")
    assert "high-priority skill area 'Networking' has no goal" in insights(capsys, text, tmp_path)


NETWORK = """\
trainee:
  name: T
self_reflection:
  skill_areas:
    - {area: Networking, priority: high}
mentors:
  - {name: Dr. A, career_stage: senior, serves: [Research methods], decision: ask, first_meeting: 2026-01-01}
  - {name: Dr. B, career_stage: senior, decision: ask, first_meeting: 2026-02-01}
  - {name: Dr. C, career_stage: near-peer, decision: undecided, first_meeting: 2026-10-01}
  - {name: Dr. D, decision: ask}
agreements:
  - {mentor: Dr. A, purpose: Research, feedback_plan: Drafts, frequency: monthly, communication: Email}
  - {mentor: Dr. B, frequency: monthly}
meetings:
  - date: 2026-11-20
    mentor: Dr. A
    agenda: [Paper]
    action_items:
      - {task: Draft, owner: me, due: 2026-11-01, status: open}
  - date: 2026-05-01
    mentor: Dr. B
transitions:
  - {mentor: Dr. D, outcome: conclude}
"""


def test_network_agreement_cultivation_and_conclusion_insights(tmp_path, capsys):
    found = insights(capsys, NETWORK, tmp_path)
    expected = [
        "all your mentors are at one career stage (senior)",
        "no active mentor serves your high-priority need 'Networking'",
        "you met Dr. C on 1 October 2026 and have no agreement yet",
        "the agreement with Dr. B has no purpose",
        "the agreement with Dr. B has no feedback plan",
        "the agreement with Dr. B has no way to communicate between meetings",
        "action item 'Draft' (Dr. A) was due on 1 November 2026",
        "no meeting with Dr. B for 208 days; you agreed to meet monthly",
        "the meeting with Dr. B on 1 May 2026 has no agenda",
        "the meeting with Dr. B on 1 May 2026 ended without action items",
        "the relationship with Dr. D ended without a shared reflection",
        "after concluding with Dr. D you have not re-evaluated your mentoring needs",
    ]
    for message in expected:
        assert message in found, (message, found)


def test_advice_names_fields_by_their_labels_never_their_ids(tmp_path, capsys, sample_build):
    path = write(tmp_path, "wb.yml", NETWORK.replace("  - {mentor: Dr. B, frequency: monthly}\n",
                                                     "  - {mentor: Dr. B, frequency: monthly}\n  - {mentor: Dr. C}\n")
                 .replace("    - {area: Networking, priority: high}\n",
                          "    - {area: Networking, priority: high}\n  goals:\n"
                          "    - {title: Talk, term: short, skill_area: Teaching}\n    - {title: Walk, term: short}\n"))
    code, out, _ = check(capsys, path, "--format", "json", "--today", TODAY)
    hints = {p["message"]: p["hint"] for p in json.loads(out)["problems"]}
    assert hints["the agreement with Dr. B has no way to communicate between meetings"] == \
        "agree on a way to communicate between meetings and fill in 'Between meetings we communicate by'"
    assert hints["the agreement with Dr. B has no purpose"] == \
        "agree on a purpose and fill in 'Purpose of our mentoring'"
    assert hints["goal 'Talk' has no target date"] == "fill in 'Target date', written YYYY-MM-DD"
    assert hints["goal 'Walk' is not tied to a skill area"] == "fill in 'Skill area it serves'"
    assert hints["goal 'Talk' serves 'Teaching', which is not in your skill areas"] == \
        "add it to 'Knowledge and skill areas to develop' or pick one that is listed"
    # an agreement that names only its mentor gets one piece of advice, naming every part to write
    assert [m for m in hints if "Dr. C" in m and "agreement" in m] == ["the agreement with Dr. C is not written yet"]
    assert hints["the agreement with Dr. C is not written yet"].startswith(
        "write it together: 'Purpose of our mentoring', 'How we give feedback and evaluate progress', 'Frequency'")
    ids = ("communication", "purpose", "target_date", "skill_area", "skill_areas", "feedback_plan")
    assert not [h for h in hints.values() for i in ids if f"add {i}" in h or f"'{i}'" in h or "_" in h]
    # the same words on the site (and so in the PDF, from the same insights)
    home = BeautifulSoup(sample_build.site_index.read_text(), "html.parser").select_one(".next-steps").get_text()
    assert "fill in 'Between meetings we communicate by'" in home and "add communication" not in home


def test_spanish_advice_names_the_spanish_labels(capsys):
    code, out, _ = check(capsys, SAMPLE_WORKBOOK.with_name("sample-workbook-es.yml"), "--today", TODAY)
    assert "completa «Entre reuniones nos comunicamos por»" in out and "communication" not in out


def test_single_mentor(tmp_path, capsys):
    text = "trainee:\n  name: T\nmentors:\n  - {name: Dr. A, decision: ask}\nagreements:\n  - {mentor: Dr. A}\n"
    assert "you have 1 active mentor" in insights(capsys, text, tmp_path)


def test_today_decides_what_is_overdue(tmp_path, capsys):
    early = insights(capsys, NETWORK, tmp_path, today="2026-10-01")
    late = insights(capsys, NETWORK, tmp_path, today="2026-11-25")
    assert not any("action item 'Draft'" in m for m in early)
    assert any("action item 'Draft'" in m for m in late)


def test_build_runs_the_same_validation(tmp_path, capsys):
    bad = write(tmp_path, "bad.yml", "trainee:\n  name: T\n  rol: x\n")
    assert main(["build", str(bad), "--out", str(tmp_path / "o"), "-q"]) == 2
    assert f"{bad}:3:3: error: trainee.rol: unknown field 'rol' (did you mean 'role'?)" in capsys.readouterr().err




def test_schema_validates_sample_and_rejects_broken(tmp_path, capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    sample = json.loads(json.dumps(read_yaml(SAMPLE_WORKBOOK)))
    jsonschema.validate(sample, schema)
    for broken in (
        {**sample, "mentrs": []},
        {**sample, "trainee": {"role": "no name"}},
        {**sample, "mentors": [{"name": "A", "competence": 9}]},
        {**sample, "mentors": [{"name": "A", "career_stage": "senoir"}]},
        {**sample, "meetings": [{"date": "1 March", "mentor": "A"}]},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)
