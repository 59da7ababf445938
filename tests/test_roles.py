"""The roles (program/roles.py): what features read is what the worksheets define, and a
worksheet no role names is read by no feature."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.core.load import load_sources
from mentorbook.pipeline import BuildOptions, prepare
from mentorbook.program import roles
from mentorbook.program.config import load_project
from mentorbook.program.project import BUILTIN

PROGRAM = CONTENT_DIR / "examples" / "program"
PATHS = {name: value for name, value in vars(roles).items()
         if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value) and name != "PRACTICE_IDS"
         and name not in ("PRIORITY_ORDER", "CAREER_STAGES")}


@pytest.fixture(scope="module")
def fields():
    """Every field of the built-in worksheets by its path, e.g. ('agreements', 'agenda', 'topics')."""
    sources, problems = load_sources(BUILTIN)
    assert problems == []
    found = {}

    def walk(fdef, path):
        found[path] = fdef
        for child in fdef.fields:
            walk(child, (*path, child.id))
    for definition in sources.definitions:
        walk(definition.as_field(), (definition.id,))
    return found


def choices(fields, path) -> set[str]:
    return {str(c.value) for c in fields[path].choices}


@pytest.mark.parametrize("name", sorted(PATHS))
def test_every_field_role_names_a_built_in_field(fields, name):
    assert PATHS[name] in fields, f"roles.{name} = {PATHS[name]} is not a field of the built-in worksheets"


def test_every_choice_role_is_a_choice_of_its_field(fields):
    assert {roles.SHORT_TERM, roles.LONG_TERM} == choices(fields, roles.GOAL_TERM)
    assert {roles.NOT_STARTED, roles.IN_PROGRESS, roles.GOAL_DONE} == choices(fields, roles.GOAL_STATUS)
    assert list(roles.PRIORITY_ORDER) == [str(c.value) for c in fields[roles.PRIORITY].choices]
    assert roles.HIGH_PRIORITY in roles.PRIORITY_ORDER
    assert roles.ASSIGNED in choices(fields, roles.FOUND_VIA)
    assert roles.PROGRAM in choices(fields, roles.FOUND_VIA)
    assert list(roles.CAREER_STAGES) == [str(c.value) for c in fields[roles.CAREER_STAGE].choices]
    assert set(roles.ACTIVE_DECISIONS) | {roles.UNDECIDED} <= choices(fields, roles.DECISION)
    assert set(roles.UNDECIDED_AGAINST) - {""} <= choices(fields, roles.DECISION)
    assert set(roles.FREQUENCIES) == choices(fields, roles.FREQUENCY)
    assert roles.DEFAULT_FREQUENCY in roles.FREQUENCIES
    assert set(roles.PROPOSED_FREQUENCY) == choices(fields, roles.STRUCTURE)
    assert set(roles.PROPOSED_FREQUENCY.values()) <= set(roles.FREQUENCIES)
    assert {roles.FIXED_TOPICS, roles.ROTATING_TOPICS} == choices(fields, roles.AGENDA_TOPICS)
    assert {roles.SHORT_HORIZON, roles.LONG_HORIZON, roles.BOTH} == choices(fields, roles.AGENDA_HORIZON)
    assert {roles.PROJECTS, roles.GOALS_FOCUS, roles.BOTH} == choices(fields, roles.AGENDA_FOCUS)
    assert {roles.ME, roles.MENTOR, roles.BOTH} == choices(fields, roles.ITEM_OWNER)
    assert {roles.ITEM_OPEN, roles.ITEM_DONE} == choices(fields, roles.ITEM_STATUS)
    assert {roles.REFINE, roles.CONCLUDE} == choices(fields, roles.OUTCOME)


def test_frequencies_grow_with_their_gap():
    days = [f.days for f in roles.FREQUENCIES.values()]
    assert days == sorted(days) and all(f.unit in ("weekly", "monthly") for f in roles.FREQUENCIES.values())


def test_a_programs_own_worksheet_is_read_by_no_feature(tmp_path):
    from mentorbook.handouts.agenda import make_agenda
    from mentorbook.handouts.brief import make_brief
    from mentorbook.handouts.calendar import make_calendar

    project = load_project(PROGRAM)
    sample = SAMPLE_WORKBOOK.read_text(encoding="utf-8")
    own = tmp_path / "own.yml"
    own.write_text(sample + "\nmentoring_team:\n  roles:\n    - {role: Career mentor, person: Dr. Samuel Whitcombe,"
                   " status: filled}\n    - {role: Near-peer mentor, status: searching}\n"
                   "  biggest_gap: A near-peer mentor.\n", encoding="utf-8")
    plain = tmp_path / "plain.yml"
    plain.write_text(sample, encoding="utf-8")
    with_team = prepare(BuildOptions(workbook=own, project=project, today=TODAY))
    without = prepare(BuildOptions(workbook=plain, project=project, today=TODAY))
    assert any(ws.id == "mentoring_team" and ws.filled for ws in with_team.worksheets)

    day = dt.date(2026, 12, 1)
    assert make_agenda(with_team, "whitcombe", day) == make_agenda(without, "whitcombe", day)
    assert make_brief(with_team, "whitcombe", day) == make_brief(without, "whitcombe", day)
    assert make_calendar(with_team).ics == make_calendar(without).ics
    assert [p.message for p in with_team.insights] == [p.message for p in without.insights]
    assert (with_team.goals, with_team.mentors, with_team.current_practice) == \
        (without.goals, without.mentors, without.current_practice)


def test_the_built_ins_declare_every_role_a_feature_reads():
    from mentorbook.program.contract import declared

    sources, problems = load_sources(BUILTIN)
    assert problems == []
    found = declared(sources.contract)
    assert set(found) == set(roles.ROLES)
    # the roles sit where the named paths say
    assert found["goals"] == [roles.dotted(roles.GOALS)] and found["goal_status"] == [roles.dotted(roles.GOAL_STATUS)]
    assert found["meeting_frequency"] == [roles.dotted(roles.FREQUENCY)]
    assert found["agenda_topics"] == [roles.dotted(roles.AGENDA_TOPICS)]
    assert found["action_items"] == [roles.dotted(roles.ACTION_ITEMS)]
    assert found["item_status"] == [roles.dotted(roles.ITEM_STATUS)]
    assert found["mentors"] == [roles.MENTORS] and found["meetings"] == [roles.MEETINGS]
    assert sorted(found["mentor"]) == [f"{sheet}.mentor" for sheet in (roles.AGREEMENTS, roles.MEETINGS,
                                                                        roles.TRANSITIONS)]
    # every known frequency has its period, and the period of a choice's 'every' matches the built-in ones
    assert dict(sources.contract.frequencies) == roles.FREQUENCIES
    assert [roles.period(text) for text in ("week", "2 weeks", "month", "2 months", "3 months")] == \
        list(roles.FREQUENCIES.values())
    assert roles.period("fortnight") is None and roles.period("0 weeks") is None
