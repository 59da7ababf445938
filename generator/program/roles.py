"""The worksheets, fields and choices that mentorbook's features read, declared once.

The worksheet definitions (content/worksheets/) say what a workbook may hold. Some of
it also means something to a feature: the model's typed goals, mentors, agreements,
meetings and transitions, the insights, the agenda, the brief, the calendar and the
home page's counts. A definition says so with a ``role:`` key (on a worksheet or a
field); :data:`ROLES` lists every role a feature reads and what it turns on, and
program/contract.py finds them in the loaded definitions, so a program's own worksheet
that declares ``role: goals`` feeds every feature that reads goals.

The ids and choice values of the built-in worksheets are also named here (the
sample's paths, the roster's data); tests/test_roles.py checks each against the
built-in definitions. A worksheet that declares no role is shown and printed like any
other and read by no feature, so it can never break one.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Struct

from ..base.i18n import N_

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
PROGRAM = "program"  # FOUND_VIA: suggested by the program, from its mentor directory (insights/suggest.py)
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


class Frequency(Struct, frozen=True):
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


def period(text: str) -> Frequency | None:
    """A choice's ``every:`` ("3 weeks", "2 months", "week") as a Frequency; None if unreadable."""
    match = re.fullmatch(r"(?:(\d+)\s+)?(week|month)s?", str(text).strip().lower())
    if not match or (match.group(1) is not None and int(match.group(1)) < 1):
        return None
    interval = int(match.group(1) or 1)
    if match.group(2) == "week":
        return Frequency("weekly", interval, 7 * interval)
    return Frequency("monthly", interval, 31 * interval if interval < 3 else 92 * interval // 3)


# --- the list roles features ask the contract for by name (each declared in ROLES below) -------
GOALS_LIST, SKILL_AREAS_LIST, MENTOR_MAP, AGREEMENT_LIST, MEETING_LOG, REVIEW_LIST = (
    "goals", "skill_areas", "mentors", "agreements", "meetings", "transitions")


# --- roles: what a definition's ``role:`` key says a field is to the features ----------------
class Role(Struct, frozen=True):
    """One role a feature reads. ``within`` is the role of the list it sits in ("" for one
    that sits anywhere outside such a list); ``kinds`` the field types it may have ("entries"
    stands for a repeated worksheet, a cards or a table field)."""

    name: str
    within: str
    kinds: tuple[str, ...]
    doc: str
    turns_on: str  # what is off when no field declares it (completes "... is off")


LIST_KINDS = ("entries",)
TEXT_KINDS = ("text", "longtext", "choice")
_R = Role
ROLES: dict[str, Role] = {r.name: r for r in (
    _R("goals", "", LIST_KINDS, "the trainee's goals, one entry each",
       N_("the goal insights, the home page's goal count and goals in agendas and briefs")),
    _R("goal_title", "goals", TEXT_KINDS, "what a goal is, in a few words", N_("goal titles in insights and agendas")),
    _R("goal_term", "goals", ("choice",), "short or long term (choices 'short' and 'long')",
       N_("the short- and long-term goal checks")),
    _R("goal_skill_area", "goals", TEXT_KINDS, "the skill area a goal builds", N_("the goal-to-skill-area insights")),
    _R("specific", "goals", TEXT_KINDS, "the S of a SMART goal", N_("the SMART check of this part")),
    _R("measurable", "goals", TEXT_KINDS, "the M of a SMART goal", N_("the SMART and vague-measure checks")),
    _R("achievable", "goals", TEXT_KINDS, "the A of a SMART goal", N_("the SMART check of this part")),
    _R("relevant", "goals", TEXT_KINDS, "the R of a SMART goal", N_("the SMART check of this part")),
    _R("time_bound", "goals", TEXT_KINDS, "the T of a SMART goal", N_("the SMART check of this part")),
    _R("target_date", "goals", ("date",), "when a goal is due", N_("the overdue-goal and target-date insights")),
    _R("goal_status", "goals", ("choice",), "a goal's status (choices 'not-started', 'in-progress', 'done')",
       N_("telling done goals from open ones")),
    _R("skill_areas", "", LIST_KINDS, "the skill areas the trainee wants to develop", N_("the skill-area insights")),
    _R("skill_area", "skill_areas", TEXT_KINDS, "the name of a skill area", N_("the skill-area insights")),
    _R("priority", "skill_areas", ("choice",), "its priority (choices 'high', 'medium', 'low')",
       N_("the high-priority checks and the brief's order of needs")),
    _R("structure", "", ("choice",), "how much structure the trainee needs ('light', 'moderate', 'close')",
       N_("the brief's proposed meeting rhythm")),
    _R("mentors", "", LIST_KINDS, "the mentor map, one entry per person", N_("everything that reads mentors")),
    _R("mentor_name", "mentors", ("text",), "the mentor's name (other worksheets name mentors by it)",
       N_("everything that reads mentors")),
    _R("position", "mentors", TEXT_KINDS, "the mentor's position and field", N_("positions in briefs")),
    _R("found_via", "mentors", ("choice",), "how the trainee found them (choice 'assigned' for a program's)",
       N_("assigned mentors in cohorts")),
    _R("career_stage", "mentors", ("choice",), "the mentor's career stage", N_("the career-stage insight")),
    _R("serves", "mentors", ("list",), "the needs and goals the mentor could serve",
       N_("the unserved-need insight and the brief")),
    _R("competence", "mentors", ("rating", "number"), "a rating of the mentor's competence", N_("ratings in briefs")),
    _R("confidence", "mentors", ("rating", "number"), "a rating as role model and advocate", N_("ratings in briefs")),
    _R("commitment", "mentors", ("rating", "number"), "a rating of their commitment", N_("ratings in briefs")),
    _R("first_meeting", "mentors", ("date",), "the first conversation", N_("the met-but-no-agreement insight")),
    _R("decision", "mentors", ("choice",), "whether to ask them (choices 'ask', 'undecided', ...)",
       N_("the current practice and the met-but-no-agreement insight")),
    _R("agreements", "", LIST_KINDS, "mentoring agreements, one per mentor",
       N_("active mentors, the agreement insights, briefs, agendas and the calendar")),
    _R("mentor", "agreements meetings transitions", ("text",), "the mentor an entry is about (a mentor's name)",
       N_("linking entries to mentors")),
    _R("purpose", "agreements", TEXT_KINDS, "what the mentoring is for", N_("the 'no purpose' insight and briefs")),
    _R("shared_goals", "agreements", ("list",), "the goals both work on", N_("shared goals in agendas and briefs")),
    _R("feedback_plan", "agreements", TEXT_KINDS, "how feedback is given", N_("the 'no feedback plan' insight")),
    _R("meeting_time", "agreements", TEXT_KINDS, "when they meet, in words (\"First Tuesday, 07:30\")",
       N_("meeting times in the calendar and briefs")),
    _R("meeting_frequency", "agreements", ("choice",),
       "how often they meet; a choice the features do not know gives its period with 'every'",
       N_("the meeting-gap insight and the calendar's recurring meetings")),
    _R("place", "agreements", TEXT_KINDS, "where they meet", N_("places in the calendar and briefs")),
    _R("agenda_topics", "agreements", ("choice",), "fixed or rotating topics", N_("the agenda format in agendas")),
    _R("agenda_horizon", "agreements", ("choice",), "short-term, long-term or both", N_("the agenda's horizon")),
    _R("agenda_focus", "agreements", ("choice",), "projects, goals or both", N_("the agenda's focus")),
    _R("topic_list", "agreements", ("list",), "the topics in order", N_("rotating topics in agendas")),
    _R("between_meetings", "agreements", TEXT_KINDS, "how the pair keeps in touch between meetings",
       N_("the 'between meetings' advice of insights, briefs, handouts and the calendar")),
    _R("start_date", "agreements", ("date",), "when the agreement starts", N_("the calendar's recurring meetings")),
    _R("review_date", "agreements", ("date",), "when to review it", N_("review reminders in agendas and the calendar")),
    _R("meetings", "", LIST_KINDS, "the meeting log, one entry per meeting",
       N_("the meeting insights, open action items, agendas and the home page's counts")),
    _R("meeting_date", "meetings transitions", ("date",), "the day of a meeting (or of a transition)",
       N_("everything that reads meetings by date")),
    _R("meeting_agenda", "meetings", ("list",), "the agenda the trainee set", N_("the 'no agenda' insight")),
    _R("action_items", "meetings", LIST_KINDS, "what each one will do, one row per item",
       N_("open action items, the overdue-item insight and the home page's count")),
    _R("task", "action_items", TEXT_KINDS, "what is to be done", N_("action items")),
    _R("owner", "action_items", ("choice",), "who does it (choices 'me', 'mentor', 'both')", N_("owners in agendas")),
    _R("due", "action_items", ("date",), "when it is due", N_("the overdue-item insight")),
    _R("item_status", "action_items", ("choice",), "open or done (choices 'open', 'done')",
       N_("telling done items from open ones")),
    _R("next_meeting", "meetings", ("date",), "the next meeting agreed", N_("next meetings in the calendar")),
    _R("transitions", "", LIST_KINDS, "refine-or-conclude reviews, one per mentor",
       N_("concluded mentors and the conclusion insights")),
    _R("outcome", "transitions", ("choice",), "refine or conclude (choices 'refine', 'conclude')",
       N_("concluded mentors")),
    _R("reflection", "transitions", TEXT_KINDS, "what the pair learned", N_("the shared-reflection insight")),
    _R("reevaluated_needs", "transitions", ("list",), "the trainee's needs now", N_("the re-evaluated-needs insight")),
)}
del _R, LIST_KINDS, TEXT_KINDS


def dotted(path: tuple[str, ...]) -> str:
    """A field path as problems and field names write it: ``self_reflection.goals``."""
    return ".".join(path)


def lookup(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in validated workbook data, or None where anything is missing."""
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value
