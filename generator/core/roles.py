"""The worksheets, fields and choices that mentorbook's features read, declared once.

The worksheet definitions (content/worksheets/) say what a workbook may hold. Some of
it also means something to a feature: the model's typed goals, mentors, agreements,
meetings and transitions, the insights, the agenda, the brief, the calendar and the
home page's counts. Those worksheet ids, field ids and choice values are named here;
features import them instead of spelling the strings, and tests/test_roles.py checks
each against the built-in definitions.

A worksheet that no role names (a program's own) is shown and printed like any other
and read by no feature, so it can never break one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# --- practices, in cycle order ------------------------------------------------------------
SELF_REFLECT = "self-reflect"
IDENTIFY_MENTORS = "identify-mentors"
ESTABLISH = "establish"
CULTIVATE = "cultivate"
REFINE_OR_CONCLUDE = "refine-or-conclude"
PRACTICE_IDS = (SELF_REFLECT, IDENTIFY_MENTORS, ESTABLISH, CULTIVATE, REFINE_OR_CONCLUDE)

# --- worksheets ----------------------------------------------------------------------------
SELF_REFLECTION = "self_reflection"
MENTORS = "mentors"
AGREEMENTS = "agreements"
MEETINGS = "meetings"
TRANSITIONS = "transitions"

# --- fields, as paths from their worksheet ---------------------------------------------------
GOALS = (SELF_REFLECTION, "goals")
GOAL_TERM = (*GOALS, "term")
GOAL_STATUS = (*GOALS, "status")
SKILL_AREAS = (SELF_REFLECTION, "skill_areas")
PRIORITY = (*SKILL_AREAS, "priority")
STRUCTURE = (SELF_REFLECTION, "structure")
FOUND_VIA = (MENTORS, "found_via")
CAREER_STAGE = (MENTORS, "career_stage")
DECISION = (MENTORS, "decision")
FREQUENCY = (AGREEMENTS, "frequency")
AGENDA = (AGREEMENTS, "agenda")
AGENDA_TOPICS = (*AGENDA, "topics")
AGENDA_HORIZON = (*AGENDA, "horizon")
AGENDA_FOCUS = (*AGENDA, "focus")
ACTION_ITEMS = (MEETINGS, "action_items")
ITEM_OWNER = (*ACTION_ITEMS, "owner")
ITEM_STATUS = (*ACTION_ITEMS, "status")
OUTCOME = (TRANSITIONS, "outcome")

# --- choice values ---------------------------------------------------------------------------
SHORT_TERM, LONG_TERM = "short", "long"  # GOAL_TERM
NOT_STARTED, IN_PROGRESS, GOAL_DONE = "not-started", "in-progress", "done"  # GOAL_STATUS
HIGH_PRIORITY = "high"
PRIORITY_ORDER = ("high", "medium", "low")  # PRIORITY, most pressing first
ASSIGNED = "assigned"  # FOUND_VIA: a program's (a roster's) assigned mentor
PROGRAM = "program"  # FOUND_VIA: suggested by the program, from its mentor directory (core/suggest.py)
CAREER_STAGES = ("near-peer", "early-career", "mid-career", "senior")  # CAREER_STAGE, youngest first
ASK, UNDECIDED = "ask", "undecided"  # DECISION
ACTIVE_DECISIONS = frozenset({ASK})  # a mentor the trainee means to work with
UNDECIDED_AGAINST = frozenset({"", ASK, UNDECIDED})  # not yet decided against
FIXED_TOPICS, ROTATING_TOPICS = "fixed", "rotating"  # AGENDA_TOPICS
SHORT_HORIZON, LONG_HORIZON = "short-term", "long-term"  # AGENDA_HORIZON
PROJECTS, GOALS_FOCUS = "projects", "goals"  # AGENDA_FOCUS
BOTH = "both"  # AGENDA_HORIZON, AGENDA_FOCUS and ITEM_OWNER
ME, MENTOR = "me", "mentor"  # ITEM_OWNER
ITEM_OPEN, ITEM_DONE = "open", "done"  # ITEM_STATUS
REFINE, CONCLUDE = "refine", "conclude"  # OUTCOME


@dataclass(frozen=True)
class Frequency:
    """What an agreed meeting frequency means to the calendar and the insights."""

    unit: str  # "weekly" or "monthly" (the calendar's FREQ)
    interval: int  # every so many units
    days: int  # the longest usual gap between two meetings


FREQUENCIES: dict[str, Frequency] = {  # FREQUENCY
    "weekly": Frequency("weekly", 1, 7),
    "every-2-weeks": Frequency("weekly", 2, 14),
    "monthly": Frequency("monthly", 1, 31),
    "every-2-months": Frequency("monthly", 2, 62),
    "quarterly": Frequency("monthly", 3, 92),
}
DEFAULT_FREQUENCY = "monthly"
# how often the brief proposes to meet before there is an agreement, by STRUCTURE
PROPOSED_FREQUENCY = {"light": "every-2-months", "moderate": "monthly", "close": "every-2-weeks"}


def dotted(path: tuple[str, ...]) -> str:
    """A field path as problems and field names write it: ``self_reflection.goals``."""
    return ".".join(path)


def lookup(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in validated workbook data, or None where anything is missing."""
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value
