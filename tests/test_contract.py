"""The contract between definitions and features: roles declared in a program's own
worksheets feed the features, and what a replaced worksheet drops is switched off
with one located notice instead of advice about a field that is not there."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY

from mentorbook.base.paths import CONTENT_DIR
from mentorbook.cli import main
from mentorbook.core.load import load_sources
from mentorbook.pipeline import BuildOptions, analyse
from mentorbook.program.config import load_project

PROGRAM = CONTENT_DIR / "examples" / "program"
AGREEMENT = (CONTENT_DIR / "worksheets" / "3-agreement.yml").read_text(encoding="utf-8")

WORKBOOK = """\
trainee: {name: Dr. T}
mentors:
  - {name: Dr. A, decision: ask}
agreements:
  - {mentor: Dr. A, purpose: Research, feedback_plan: Monthly review, frequency: FREQ, start_date: 2026-01-05}
meetings:
  - date: 2026-09-01
    mentor: Dr. A
    agenda: [Paper]
    action_items: [{task: Draft, due: 2026-12-01}]
"""

IDP = """\
id: idp
title: Individual development plan
practice: self-reflect
order: 5
fields:
  - id: aims
    label: Goals for the year
    type: cards
    role: goals
    fields:
      - {id: aim, label: Goal, type: text, role: goal_title}
      - {id: by, label: By, type: date, role: target_date}
      - {id: approach, label: Approach, type: longtext}
"""


@pytest.fixture()
def program(tmp_path):
    root = tmp_path / "program"
    shutil.copytree(PROGRAM, root)
    return root


def run(argv, capsys) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_replaced_agreement_without_communication_switches_its_advice_off(program, tmp_path, capsys):
    without = "\n".join(line for line in AGREEMENT.splitlines() if "id: communication" not in line) + "\n"
    assert without != AGREEMENT
    replacing = program / "worksheets" / "agreement.yml"
    replacing.write_text(without, encoding="utf-8")
    workbook = tmp_path / "me.yml"
    workbook.write_text(WORKBOOK.replace("FREQ", "monthly"), encoding="utf-8")
    for argv in (["check", str(workbook), "--today", TODAY.isoformat()],
                 ["build", str(workbook), "--out", str(tmp_path / "out"), "--format", "html",
                  "--today", TODAY.isoformat()]):
        code, text = run([*argv, "--project", str(program)], capsys)
        assert code == 0, text
        assert "communicat" not in text.lower(), text
        notices = [line for line in text.splitlines() if ": notice: " in line]
        assert len(notices) == 1, text
        assert notices[0].startswith(f"{replacing}:1:1: notice: ")
        assert "'between meetings' advice" in notices[0]
    # the built-in agreement still gives the advice
    code, text = run(["check", str(workbook), "--today", TODAY.isoformat()], capsys)
    assert "fill in 'Between meetings we communicate by'" in text and ": notice: " not in text


def test_a_programs_idp_feeds_the_goal_insights_and_the_home_page(program, tmp_path, capsys):
    (program / "worksheets" / "idp.yml").write_text(IDP, encoding="utf-8")
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee: {name: Dr. T}\nidp:\n  aims:\n    - {aim: Pass the boards, by: 2026-01-15}\n"
                        "    - {aim: Teach a session}\n", encoding="utf-8")
    code, text = run(["check", str(workbook), "--project", str(program), "--today", TODAY.isoformat()], capsys)
    assert code == 0
    assert re.search(r"me\.yml:4:\d+: warning: idp\.aims\[0\]\.by: "
                     r"goal 'Pass the boards' was due on 15 January 2026", text)
    assert "goal 'Teach a session' has no target date (fill in 'By', written YYYY-MM-DD)" in text  # its label
    assert "SMART" not in text and "skill area" not in text  # the IDP declares neither: no advice about them
    out = tmp_path / "out"
    code, text = run(["build", str(workbook), "--project", str(program), "--out", str(out), "--format", "html",
                      "-q", "--today", TODAY.isoformat()], capsys)
    assert code == 0, text
    home = BeautifulSoup((out / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    stat = next(s for s in home.select(".stat") if s.select_one(".stat-label").get_text() == "goals")
    assert stat.select_one(".stat-num").get_text() == "2"


@pytest.mark.parametrize("every, gap_found", [("every: 3 weeks", True), ("", False)])
def test_a_programs_own_frequency_declares_its_period(program, tmp_path, capsys, every, gap_found):
    choice = "{value: every-3-weeks, label: Every 3 weeks" + (f", {every}" if every else "") + "}"
    replacing = program / "worksheets" / "agreement.yml"
    replacing.write_text(AGREEMENT.replace("{value: weekly, label: Weekly}", choice), encoding="utf-8")
    workbook = tmp_path / "me.yml"
    workbook.write_text(WORKBOOK.replace("FREQ", "every-3-weeks"), encoding="utf-8")
    analysis = analyse(BuildOptions(workbook=workbook, project=load_project(program), today=TODAY))
    assert analysis.errors == []
    gap = [p for p in analysis.warnings if p.message.startswith("no meeting with Dr. A for")]
    assert bool(gap) == gap_found
    if gap_found:
        assert gap[0].message.endswith("you agreed to meet every 3 weeks")
        assert analysis.workbook.agreements[0].period.days == 21
        assert analysis.notices == []
    else:
        line = AGREEMENT.splitlines().index("      - {value: weekly, label: Weekly}") + 1
        assert [(p.file, p.line, p.severity) for p in analysis.notices] == [(replacing, line, "notice")]
        assert "'every-3-weeks' has no known period" in analysis.notices[0].message


@pytest.mark.parametrize("role, message, hint", [
    ("target_dat", "unknown role 'target_dat'", "did you mean 'target_date'?"),
    ("meeting_frequency", "role 'meeting_frequency' needs a choice field, not a date field", ""),
    ("due", "role 'due' cannot sit inside the 'goals' list", "'action_items'"),
])
def test_a_misplaced_role_is_a_located_error(program, tmp_path, capsys, role, message, hint):
    sheet = program / "worksheets" / "idp.yml"
    sheet.write_text(IDP.replace("role: target_date", f"role: {role}"), encoding="utf-8")
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee: {name: Dr. T}\nidp: {aims: [{aim: X, by: soon}]}\n", encoding="utf-8")
    code, text = run(["check", str(workbook), "--project", str(program)], capsys)
    assert code == 2
    line = next(i for i, text_line in enumerate(IDP.splitlines(), 1) if "id: by" in text_line)
    assert re.search(rf"{re.escape(str(sheet))}:{line}:\d+: error: role: {re.escape(message)}", text), text
    assert hint in text and "soon" not in text


def test_a_list_role_on_a_single_worksheet_is_refused(program):
    unbound = IDP.replace("    role: goals\n", "").replace(", role: goal_title", "").replace(", role: target_date", "")
    (program / "worksheets" / "idp.yml").write_text("role: goals\n" + unbound, encoding="utf-8")
    _, problems = load_sources(load_project(program))
    assert [(p.line, p.message) for p in problems if p.severity == "error"] == [
        (1, "role 'goals' needs a repeated worksheet, cards or table, not a worksheet without repeat")]


def test_a_role_inside_a_list_without_a_role_is_refused(program):
    (program / "worksheets" / "idp.yml").write_text(IDP.replace("    role: goals\n", ""), encoding="utf-8")
    _, problems = load_sources(load_project(program))
    assert [p.message for p in problems if p.severity == "error"] == [
        "role 'goal_title' sits in the list 'aims', which declares no role",
        "role 'target_date' sits in the list 'aims', which declares no role"]
