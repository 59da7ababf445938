"""Mentoring insights: the feedback a good mentor would give on a workbook.

Each insight is a located warning traced to the practice it comes from. The checks
read the typed workbook; ``locations`` (from validation) turns a field path into a
line and column of the workbook file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from ..core.model import Workbook
from ..fields.date import format_date
from ..core.roles import (CONCLUDE, CULTIVATE, ESTABLISH, HIGH_PRIORITY, IDENTIFY_MENTORS, LONG_TERM,
                          REFINE_OR_CONCLUDE, SELF_REFLECT, SHORT_TERM, UNDECIDED_AGAINST)

Location = tuple[int | None, int | None]

SMART_PARTS = ("specific", "measurable", "achievable", "relevant", "time_bound")  # Goal attributes and roles
GRACE_DAYS = 7
OBSERVABLE = re.compile(
    r"\d|\b(submit\w*|publish\w*|present\w*|deliver\w*|complet\w*|accept\w*|match\w*|approv\w*|"
    r"award\w*|funded|pass\w*|finish\w*|certif\w*|written|drafted|sent|launch\w*|record\w*|count\w*)\b",
    re.IGNORECASE,
)

GROUP_PRACTICE = {
    "smart": SELF_REFLECT,
    "goals": SELF_REFLECT,
    "network": IDENTIFY_MENTORS,
    "agreements": ESTABLISH,
    "cultivation": CULTIVATE,
    "conclusion": REFINE_OR_CONCLUDE,
}
GROUP_TITLES = {
    "smart": "SMART goals",
    "goals": "Goals and skill areas",
    "network": "Mentor network",
    "agreements": "Mentoring agreements",
    "cultivation": "Cultivating relationships",
    "conclusion": "Refining and concluding",
}


def _years_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def find_insights(workbook: Workbook, locations: dict[str, Location], path: Path):
    """Return the insights for one workbook, in practice order."""
    from ..core.errors import Problem

    found: list[Problem] = []
    today = workbook.today

    def add(group: str, field_path: str, message: str, hint: str = "") -> None:
        line, col = _locate(locations, field_path)
        found.append(Problem(path, line, message, column=col, field=field_path, severity="warning",
                             hint=hint, practice=GROUP_PRACTICE[group], group=group))

    _smart(workbook, today, add)
    _goal_links(workbook, add)
    _network(workbook, today, add)
    _agreements(workbook, add)
    _cultivation(workbook, today, add)
    _conclusion(workbook, add)
    order = list(GROUP_PRACTICE)
    return sorted(found, key=lambda p: order.index(p.group))


def _locate(locations: dict[str, Location], field_path: str) -> Location:
    """The closest known position: the field itself or its nearest parent."""
    probe = field_path
    while probe:
        if probe in locations:
            return locations[probe]
        probe = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe) if re.search(r"(\.[^.\[\]]+|\[\d+\])$", probe) else ""
    return (None, None)


def _key(wb: Workbook, entry_path: str, role: str) -> str | None:
    """The field that plays ``role`` in the entry, or None: no advice names a field the definitions lack."""
    return wb.contract.key(entry_path, role) if wb.contract is not None else None


def _smart(wb: Workbook, today: dt.date, add: Callable) -> None:
    for goal in wb.goals:
        parts = [part for part in SMART_PARTS if _key(wb, goal.path, part)]
        missing = [part.replace("_", "-") for part in parts if not getattr(goal, part)]
        if missing:
            add("smart", goal.path, f"goal '{goal.title}' is missing its SMART part{'s' if len(missing) > 1 else ''}: "
                + ", ".join(missing), "a SMART goal is specific, measurable, achievable, relevant and time-bound")
        target = _key(wb, goal.path, "target_date")
        if target is None:
            continue
        if goal.target_date is None:
            add("smart", goal.path, f"goal '{goal.title}' has no target date", f"add {target}: YYYY-MM-DD")
            continue
        if goal.target_date < today and not goal.done:
            add("smart", f"{goal.path}.{target}",
                f"goal '{goal.title}' was due on {format_date(goal.target_date)} and is not done",
                "mark it done, or set a new date and talk about it at your next meeting")
        years = _years_between(today, goal.target_date)
        if goal.term == SHORT_TERM and years > 1 and not goal.done:
            add("smart", f"{goal.path}.{target}",
                f"short-term goal '{goal.title}' is due more than 12 months away",
                "make it long-term, or break it into a step you can reach within a year")
        if goal.term == LONG_TERM and years < 5 and not goal.done:
            add("smart", f"{goal.path}.{target}",
                f"long-term goal '{goal.title}' is due in under 5 years",
                "long-term goals look 5 to 10 years ahead; make it short-term or move the date")
        if goal.measurable and not OBSERVABLE.search(goal.measurable):
            add("smart", f"{goal.path}.{_key(wb, goal.path, 'measurable')}",
                f"the measure of goal '{goal.title}' is vague",
                "name a number, a date or an observable result such as 'submitted' or 'presented'")


def _goal_links(wb: Workbook, add: Callable) -> None:
    areas = {a.area.casefold() for a in wb.skill_areas}
    for goal in wb.goals:
        key = _key(wb, goal.path, "goal_skill_area")
        if key is None:
            continue
        if not goal.skill_area:
            add("goals", goal.path, f"goal '{goal.title}' is not tied to a skill area", f"add {key}")
        elif areas and goal.skill_area.casefold() not in areas:
            add("goals", f"{goal.path}.{key}",
                f"goal '{goal.title}' serves '{goal.skill_area}', which is not in your skill areas",
                "add it to skill_areas or pick one that is listed")
    served = {g.skill_area.casefold() for g in wb.goals if g.skill_area}
    for area in wb.skill_areas:
        if area.priority == HIGH_PRIORITY and area.area.casefold() not in served:
            add("goals", area.path, f"high-priority skill area '{area.area}' has no goal",
                "set a short-term goal that builds it")


def _network(wb: Workbook, today: dt.date, add: Callable) -> None:
    mentors = [m for m in wb.mentors if m.active]
    if wb.mentors and len(mentors) <= 1:
        add("network", "mentors", f"you have {len(mentors) or 'no'} active mentor{'s' if len(mentors) != 1 else ''}",
            "several mentors, each for different needs, give you more than one person can")
    stages = {m.career_stage for m in mentors if m.career_stage}
    if len(mentors) >= 2 and len(stages) == 1:
        add("network", "mentors", f"all your mentors are at one career stage ({stages.pop()})",
            "a near-peer or a more senior mentor would add another perspective")
    serves = {need.casefold() for m in mentors for need in m.serves}
    # serving a goal serves the skill area that goal builds
    serves |= {g.skill_area.casefold() for g in wb.goals if g.title.casefold() in serves and g.skill_area}
    for area in wb.skill_areas if wb.mentors else ():
        if area.priority == HIGH_PRIORITY and area.area.casefold() not in serves:
            add("network", area.path, f"no active mentor serves your high-priority need '{area.area}'",
                "look for a mentor for it and add them to the mentor map")
    for mentor in wb.mentors:
        if (mentor.first_meeting and mentor.first_meeting <= today and not mentor.has_agreement
                and mentor.decision in UNDECIDED_AGAINST):
            add("network", mentor.path,
                f"you met {mentor.name} on {format_date(mentor.first_meeting)} and have no agreement yet",
                "decide whether to ask them; if you both go ahead, write an agreement together")


def _agreements(wb: Workbook, add: Callable) -> None:
    concluded = {m.name for m in wb.mentors if m.concluded}
    needed = (("purpose", "purpose", "a purpose"), ("feedback_plan", "feedback_plan", "a feedback plan"),
              ("frequency", "meeting_frequency", "a meeting frequency"),
              ("communication", "between_meetings", "a way to communicate between meetings"))
    for agreement in wb.agreements:
        if agreement.mentor in concluded:
            continue
        for attr, role, label in needed:
            key = _key(wb, agreement.path, role)
            if key is not None and not getattr(agreement, attr):
                add("agreements", agreement.path, f"the agreement with {agreement.mentor} has no {label.split(' ', 1)[1]}",
                    f"agree on {label} and add {key}")


def _cultivation(wb: Workbook, today: dt.date, add: Callable) -> None:
    for item in wb.open_action_items:
        if item.overdue(today):
            add("cultivation", f"{item.path}.due",
                f"action item '{item.task}' ({item.mentor}) was due on {format_date(item.due)}",
                "finish it, or agree a new date at your next meeting")
    frequency = {a.mentor: a.frequency for a in wb.agreements if a.frequency}
    period = {a.mentor: a.period for a in wb.agreements if a.frequency}
    for mentor in wb.active_mentors:
        met = [m for m in wb.meetings if m.mentor == mentor.name]
        days = period[mentor.name].days if period.get(mentor.name) else None
        if not met or not days:
            continue
        last = max(met, key=lambda m: m.date)
        gap = (today - last.date).days
        if gap > days + GRACE_DAYS:
            add("cultivation", last.path,
                f"no meeting with {mentor.name} for {gap} days; you agreed to meet {frequency[mentor.name].replace('-', ' ')}",
                "send a short agenda and propose a date")
    for meeting in wb.meetings:
        if not meeting.agenda:
            add("cultivation", meeting.path,
                f"the meeting with {meeting.mentor} on {format_date(meeting.date)} has no agenda",
                "set the agenda yourself before each meeting")
        if not meeting.action_items:
            add("cultivation", meeting.path,
                f"the meeting with {meeting.mentor} on {format_date(meeting.date)} ended without action items",
                "close each meeting by agreeing who does what by when")


def _conclusion(wb: Workbook, add: Callable) -> None:
    for transition in wb.transitions:
        if transition.outcome != CONCLUDE:
            continue
        if not transition.reflection:
            add("conclusion", transition.path,
                f"the relationship with {transition.mentor} ended without a shared reflection",
                "write down what worked and what you would change")
        if not transition.reevaluated_needs:
            add("conclusion", transition.path,
                f"after concluding with {transition.mentor} you have not re-evaluated your mentoring needs",
                "list your needs now; they start your next self-reflection")
