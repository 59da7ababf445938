"""The model and assemble stages: the typed Workbook made from validated data.

Each workbook is a small YAML file taken through load -> validate -> assemble (no
rendering), so what is tested is what the templates receive.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from mentorbook.base.errors import InputError
from mentorbook.core.model import ActionItem, Meeting, latest_action_items
from mentorbook.pipeline import BuildOptions, prepare
from mentorbook.program.config import load_project
from mentorbook.program.roles import PRACTICE_IDS

TODAY = dt.date(2026, 11, 25)


def workbook(tmp_path: Path, text: str, **options):
    path = tmp_path / "me.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return prepare(BuildOptions(workbook=path, today=TODAY, **options))


MEETINGS = """\
trainee: {name: Ana Silva}
mentors:
  - {name: Dr. A, decision: ask}
  - {name: Dr. B}
agreements:
  - {mentor: Dr. A}
meetings:
  - date: 2026-10-01
    mentor: Dr. A
    action_items:
      - {task: Draft the abstract, due: 2026-10-20}
      - {task: Book the rehearsal}
  - date: 2026-06-01
    mentor: Dr. A
    action_items:
      - {task: Read the two papers, status: done}
  - date: 2026-11-01
    mentor: Dr. A
    action_items:
      - {task: "  draft THE  abstract ", due: 2026-12-01}
      - {task: Send the slides, owner: mentor, due: 2026-11-10}
      - {task: Share the outline, status: done}
  - date: 2026-08-01
    mentor: Dr. B
    action_items:
      - {task: Draft the abstract, due: 2026-09-01}
"""


# --- meetings and action items -----------------------------------------------------

def test_meetings_are_sorted_by_date_and_keep_where_they_stand_in_the_file(tmp_path):
    wb = workbook(tmp_path, MEETINGS)
    assert [(m.date, m.mentor, m.path) for m in wb.meetings] == [
        (dt.date(2026, 6, 1), "Dr. A", "meetings[1]"),
        (dt.date(2026, 8, 1), "Dr. B", "meetings[3]"),
        (dt.date(2026, 10, 1), "Dr. A", "meetings[0]"),
        (dt.date(2026, 11, 1), "Dr. A", "meetings[2]"),
    ]
    first = wb.meetings[2].action_items
    assert [(i.task, i.mentor, i.meeting_date, i.owner, i.status, i.path) for i in first] == [
        ("Draft the abstract", "Dr. A", dt.date(2026, 10, 1), "me", "open", "meetings[0].action_items[0]"),
        ("Book the rehearsal", "Dr. A", dt.date(2026, 10, 1), "me", "open", "meetings[0].action_items[1]"),
    ]


def test_an_item_carried_forward_counts_once_as_its_latest_mention_has_it(tmp_path):
    wb = workbook(tmp_path, MEETINGS)
    items = {(i.mentor, i.task): i for i in wb.action_items}
    # the same task (spacing and case aside) with the same mentor is one item, as of 1 November
    assert ("Dr. A", "Draft the abstract") not in items
    carried = items[("Dr. A", "  draft THE  abstract ".strip())]
    assert carried.meeting_date == dt.date(2026, 11, 1) and carried.due == dt.date(2026, 12, 1)
    # the same task with another mentor is another item
    assert items[("Dr. B", "Draft the abstract")].due == dt.date(2026, 9, 1)
    assert len(wb.action_items) == 6


def test_open_items_soonest_due_first_and_undated_last(tmp_path):
    wb = workbook(tmp_path, MEETINGS)
    assert [i.task for i in wb.open_action_items] == [
        "Draft the abstract",  # Dr. B's, due 2026-09-01
        "Send the slides",
        "draft THE  abstract",
        "Book the rehearsal",  # no due date
    ]
    assert [i.task for i in wb.open_action_items if i.overdue(wb.today)] == ["Draft the abstract", "Send the slides"]
    assert {i.task for i in wb.action_items if not i.open} == {"Read the two papers", "Share the outline"}


def test_latest_action_items_follows_the_meeting_dates_not_the_list_order():
    def meeting(day: int, status: str) -> Meeting:
        date = dt.date(2026, 1, day)
        return Meeting(date, "Dr. A", action_items=(ActionItem("Task", "Dr. A", date, status=status),))

    assert [i.status for i in latest_action_items([meeting(20, "done"), meeting(5, "open")])] == ["done"]
    assert [i.status for i in latest_action_items([meeting(5, "done"), meeting(20, "open")])] == ["open"]


# --- goals, mentors, the rest ------------------------------------------------------------

def test_goals_keep_their_order_answers_and_defaults(tmp_path):
    wb = workbook(tmp_path, """\
        trainee: {name: Ana Silva}
        self_reflection:
          goals:
            - {title: Publish a case report, term: long, target_date: 2027-01-31, status: in-progress,
               specific: Write it up, skill_area: Writing grants or papers}
            - {title: Give a talk, term: short}
        """)
    first, second = wb.goals
    assert (first.title, first.term, first.target_date, first.status, first.specific, first.skill_area, first.path) == (
        "Publish a case report", "long", dt.date(2027, 1, 31), "in-progress", "Write it up",
        "Writing grants or papers", "self_reflection.goals[0]")
    assert (second.title, second.term, second.status, second.target_date, second.path) == (
        "Give a talk", "short", "not-started", None, "self_reflection.goals[1]")
    assert not first.done


def test_mentors_know_their_agreement_and_whether_it_concluded(tmp_path):
    wb = workbook(tmp_path, """\
        trainee: {name: Ana Silva}
        mentors:
          - {name: Dr. A, competence: 4, first_meeting: 2026-02-01, serves: [Writing]}
          - {name: Dr. B}
          - {name: Dr. C}
        agreements:
          - {mentor: Dr. A, frequency: monthly, agenda: {topics: rotating, topic_list: [Research, Career]}}
          - {mentor: Dr. B}
        transitions:
          - {mentor: Dr. B, outcome: conclude}
          - {mentor: Dr. C, outcome: refine}
        """)
    a, b, c = wb.mentors
    assert (a.has_agreement, a.concluded, a.active) == (True, False, True)
    assert (b.has_agreement, b.concluded, b.active) == (True, True, False)
    assert (c.has_agreement, c.concluded, c.active) == (False, False, False)
    assert (a.competence, a.first_meeting, a.serves, a.path) == (4, dt.date(2026, 2, 1), ("Writing",), "mentors[0]")
    assert wb.active_mentors == (a,)
    agreement = wb.agreements[0]
    assert (agreement.frequency, agreement.agenda_topics, agreement.topic_list) == (
        "monthly", "rotating", ("Research", "Career"))
    assert [(t.mentor, t.outcome) for t in wb.reviews] == [("Dr. B", "conclude"), ("Dr. C", "refine")]


def test_the_trainee_and_the_cover_date(tmp_path):
    wb = workbook(tmp_path, "trainee: {name: Ana Silva, role: PGY-1, start_date: 2026-07-01}\n")
    assert (wb.trainee.name, wb.trainee.role, wb.trainee.start_date) == ("Ana Silva", "PGY-1", dt.date(2026, 7, 1))
    assert wb.date == TODAY and wb.today == TODAY and wb.title == "Ana Silva"
    assert workbook(tmp_path, "trainee: {name: Ana, updated: 2026-11-02}\n").date == dt.date(2026, 11, 2)


def test_worksheets_sit_under_their_practice_with_the_entries(tmp_path):
    wb = workbook(tmp_path, MEETINGS)
    assert [p.id for p in wb.practices] == list(PRACTICE_IDS)
    sheets = {w.id: w for w in wb.worksheets}
    assert [w.id for w in wb.practice("identify-mentors").worksheets] == ["mentors"]
    assert [e["name"] for e in sheets["mentors"].entries] == ["Dr. A", "Dr. B"]
    assert len(sheets["meetings"].entries) == 4 and sheets["meetings"].filled
    assert sheets["self_reflection"].entries == () and not sheets["self_reflection"].filled
    assert sheets["mentors"].entry_heading(sheets["mentors"].entries[0], 0) == "Dr. A"
    assert sheets["meetings"].entry_heading(sheets["meetings"].entries[0], 0) == "1 October 2026 with Dr. A"


def test_a_blank_workbook_keeps_the_trainee_and_drops_every_answer(tmp_path):
    wb = workbook(tmp_path, MEETINGS, blank=True)
    assert wb.trainee.name == "Ana Silva" and not hasattr(wb, "blank")  # blank is a render option, not data
    assert wb.meetings == () and wb.mentors == () and wb.action_items == ()
    assert all(w.entries == () for w in wb.worksheets)
    assert wb.current_practice == "self-reflect"


def test_invalid_data_never_reaches_the_model(tmp_path):
    with pytest.raises(InputError) as info:
        workbook(tmp_path, "trainee: {name: Ana}\nmeetings:\n  - {date: 2026-02-30, mentor: Dr. A}\n")
    assert any(p.line == 3 and "'2026-02-30' is not a date" in p.message for p in info.value.problems)


# --- where the trainee stands --------------------------------------------------------------

GOAL = "self_reflection:\n  goals:\n    - {title: A goal, term: short}\n"


@pytest.mark.parametrize("text, practice", [
    ("", "self-reflect"),  # nothing yet: start by reflecting
    (GOAL, "identify-mentors"),  # goals, nobody to ask yet
    (GOAL + "mentors:\n  - {name: Dr. A, decision: undecided}\n", "identify-mentors"),
    (GOAL + "mentors:\n  - {name: Dr. A, decision: ask}\n", "establish"),  # someone to ask, no agreement
    (GOAL + "mentors:\n  - {name: Dr. A}\nagreements:\n  - {mentor: Dr. A}\n", "establish"),  # agreed, not met
    (GOAL + "mentors:\n  - {name: Dr. A}\nagreements:\n  - {mentor: Dr. A}\n"
            "meetings:\n  - {date: 2026-10-01, mentor: Dr. A}\n", "cultivate"),
    (GOAL + "mentors:\n  - {name: Dr. A}\nagreements:\n  - {mentor: Dr. A}\n"
            "transitions:\n  - {mentor: Dr. A, outcome: conclude}\n", "refine-or-conclude"),
])
def test_the_current_practice_is_inferred_from_the_entries(tmp_path, text, practice):
    assert workbook(tmp_path, "trainee: {name: Ana}\n" + text).current_practice == practice


def test_the_trainee_may_say_where_they_stand(tmp_path):
    wb = workbook(tmp_path, "trainee: {name: Ana, current_practice: cultivate}\n")
    assert wb.current_practice == "cultivate" and wb.current.id == "cultivate"


def test_a_programs_practices_and_extra_pages_come_in_its_order(tmp_path):
    root = tmp_path / "program"
    (root / "pages").mkdir(parents=True)
    (root / "mentorbook.yml").write_text("program: P\npractices: [cultivate, self-reflect]\npages: [b, a]\n")
    for page in ("a", "b", "c"):
        (root / "pages" / f"{page}.md").write_text(f"---\nid: {page}\ntitle: Page {page}\norder: 9\n---\nText\n")
    wb = workbook(tmp_path, "trainee: {name: Ana}\n", project=load_project(root))
    assert [p.id for p in wb.practices] == ["cultivate", "self-reflect"]
    assert [(p.id, p.title) for p in wb.pages] == [("b", "Page b"), ("a", "Page a")]  # c is not listed
    assert wb.branding.program == "P" and wb.introduction.id == "introduction"
