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

from ..base.i18n import N_
from ..core.model import Workbook
from ..program.roles import (
    CONCLUDE,
    CULTIVATE,
    ESTABLISH,
    HIGH_PRIORITY,
    IDENTIFY_MENTORS,
    LONG_TERM,
    MENTOR_MAP,
    REFINE_OR_CONCLUDE,
    SELF_REFLECT,
    SHORT_TERM,
    SKILL_AREAS_LIST,
    UNDECIDED_AGAINST,
)

Location = tuple[int | None, int | None]

SMART_PARTS = ("specific", "measurable", "achievable", "relevant", "time_bound")  # Goal attributes and roles
GRACE_DAYS = 7
# Words of an observable result, per language (the measure of a SMART goal names one, a number or a
# date); a language without a list has no vague-measure check, and says so once. Compiled when a
# workbook in that language has a goal with a measure (``_observable``).
OBSERVABLE_IN = {
    "en": r"\d|\b(submit\w*|publish\w*|present\w*|deliver\w*|complet\w*|accept\w*|match\w*|approv\w*|"
          r"award\w*|funded|pass\w*|finish\w*|certif\w*|written|drafted|sent|launch\w*|record\w*|count\w*)\b",
    "es": r"\d|\b(envi\w*|public\w*|present\w*|entreg\w*|complet\w*|termin\w*|acept\w*|aprob\w*|"
          r"financ\w*|obten\w*|logr\w*|certific\w*|escrit\w*|redact\w*|lanz\w*|registr\w*|cont\w*|"
          r"defend\w*|gradu\w*)\b",
    "pt": r"\d|\b(envi\w*|submet\w*|public\w*|apresent\w*|entreg\w*|conclu\w*|termin\w*|aceit\w*|aprov\w*|"
          r"financ\w*|obt\w*|alcan\w*|certific\w*|escrit\w*|redig\w*|lanç\w*|registr\w*|cont\w*|"
          r"defend\w*)\b",
}


def _observable(code: str) -> re.Pattern | None:
    words = OBSERVABLE_IN.get(code)
    return re.compile(words, re.IGNORECASE) if words else None  # re keeps it compiled for the next goal


GROUP_PRACTICE = {
    "smart": SELF_REFLECT,
    "goals": SELF_REFLECT,
    "network": IDENTIFY_MENTORS,
    "agreements": ESTABLISH,
    "cultivation": CULTIVATE,
    "conclusion": REFINE_OR_CONCLUDE,
}
GROUP_TITLES = {
    "smart": N_("SMART goals"),
    "goals": N_("Goals and skill areas"),
    "network": N_("Mentor network"),
    "agreements": N_("Mentoring agreements"),
    "cultivation": N_("Cultivating relationships"),
    "conclusion": N_("Refining and concluding"),
}


def _years_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def find_insights(workbook: Workbook, locations: dict[str, Location], path: Path):
    """Return the insights for one workbook, in practice order."""
    from ..base.errors import Problem

    found: list[Problem] = []
    today = workbook.today

    def add(group: str, field_path: str, message: str, hint: str = "") -> None:
        line, col = _locate(locations, field_path)
        found.append(Problem(path, line, message, column=col, field=field_path, severity="warning",
                             hint=hint, practice=GROUP_PRACTICE[group], group=group))

    _smart(workbook, today, add)
    lang = workbook.language
    if lang.code not in OBSERVABLE_IN and any(g.measurable for g in workbook.goals):
        goal = next(g for g in workbook.goals if g.measurable)
        line, col = _locate(locations, f"{goal.path}.{_key(workbook, goal.path, 'measurable')}")
        found.append(Problem(path, line, lang.gettext("the check of vague measures has no words in %(language)s: "
                                                      "it is off") % {"language": lang.name},
                             column=col, field=goal.path, severity="notice", group="smart",
                             hint=lang.gettext("a measure names a number, a date or an observable result")))
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


def _list_path(wb: Workbook, role: str) -> str:
    """Where the list that plays ``role`` sits in the workbook (the mentor map's id), for locating advice on it."""
    declared = wb.contract.top(role) if wb.contract is not None else ()
    return declared[0].dotted if declared else role


def _key(wb: Workbook, entry_path: str, role: str) -> str | None:
    """The field that plays ``role`` in the entry, or None: no advice names a field the definitions lack."""
    return wb.contract.key(entry_path, role) if wb.contract is not None else None


def _label(wb: Workbook, dotted: str) -> str:
    """The label, in the workbook's language, of the field at ``dotted`` ("plan.goals.target_date",
    indexes allowed): advice names fields as the trainee sees them, never by their ids."""
    steps = re.sub(r"\[\d+\]", "", dotted).split(".")
    sheet = next((w.definition for w in wb.worksheets if w.id == steps[0]), None)
    fdef = sheet.as_field() if sheet is not None else None
    for step in steps[1:]:
        fdef = fdef.child(step) if fdef is not None else None
    if fdef is not None:
        return str(fdef.label)
    bound = next((b for b in (wb.contract.bounds if wb.contract is not None else ())
                  if b.dotted == ".".join(steps)), None)  # a worksheet the project does not show
    return str(bound.fdef.label) if bound is not None else steps[-1].replace("_", " ")


def _field(wb: Workbook, entry_path: str, role: str) -> str:
    """The label of the field that plays ``role`` in the entry at ``entry_path`` (see _key)."""
    return _label(wb, f"{entry_path}.{_key(wb, entry_path, role)}")


SMART_NAMES = {"specific": N_("specific"), "measurable": N_("measurable"), "achievable": N_("achievable"),
               "relevant": N_("relevant"), "time_bound": N_("time-bound")}
FREQUENCY_NAMES = {"weekly": N_("weekly"), "every-2-weeks": N_("every 2 weeks"), "monthly": N_("monthly"),
                   "every-2-months": N_("every 2 months"), "quarterly": N_("quarterly")}


def _smart(wb: Workbook, today: dt.date, add: Callable) -> None:
    _, ngettext = wb.language.gettext, wb.language.ngettext
    for goal in wb.goals:
        parts = [part for part in SMART_PARTS if _key(wb, goal.path, part)]
        missing = [_(SMART_NAMES[part]) for part in parts if not getattr(goal, part)]
        if missing:
            add("smart", goal.path, ngettext("goal '%(goal)s' is missing its SMART part: %(parts)s",
                                             "goal '%(goal)s' is missing its SMART parts: %(parts)s", len(missing))
                % {"goal": goal.title, "parts": wb.language.join(missing) if not wb.language.english
                   else ", ".join(missing)},
                _("a SMART goal is specific, measurable, achievable, relevant and time-bound"))
        target = _key(wb, goal.path, "target_date")
        if target is None:
            continue
        if goal.target_date is None:
            add("smart", goal.path, _("goal '%(goal)s' has no target date") % {"goal": goal.title},
                _("fill in '%(field)s', written YYYY-MM-DD") % {"field": _field(wb, goal.path, "target_date")})
            continue
        if goal.target_date < today and not goal.done:
            add("smart", f"{goal.path}.{target}",
                _("goal '%(goal)s' was due on %(date)s and is not done")
                % {"goal": goal.title, "date": wb.language.date(goal.target_date)},
                _("mark it done, or set a new date and talk about it at your next meeting"))
        years = _years_between(today, goal.target_date)
        if goal.term == SHORT_TERM and years > 1 and not goal.done:
            add("smart", f"{goal.path}.{target}",
                _("short-term goal '%(goal)s' is due more than 12 months away") % {"goal": goal.title},
                _("make it long-term, or break it into a step you can reach within a year"))
        if goal.term == LONG_TERM and years < 5 and not goal.done:
            add("smart", f"{goal.path}.{target}",
                _("long-term goal '%(goal)s' is due in under 5 years") % {"goal": goal.title},
                _("long-term goals look 5 to 10 years ahead; make it short-term or move the date"))
        words = _observable(wb.language.code)
        if goal.measurable and words is not None and not words.search(goal.measurable):
            add("smart", f"{goal.path}.{_key(wb, goal.path, 'measurable')}",
                _("the measure of goal '%(goal)s' is vague") % {"goal": goal.title},
                _("name a number, a date or an observable result such as 'submitted' or 'presented'"))


def _goal_links(wb: Workbook, add: Callable) -> None:
    _ = wb.language.gettext
    areas = {a.area.casefold() for a in wb.skill_areas}
    for goal in wb.goals:
        key = _key(wb, goal.path, "goal_skill_area")
        if key is None:
            continue
        if not goal.skill_area:
            add("goals", goal.path, _("goal '%(goal)s' is not tied to a skill area") % {"goal": goal.title},
                _("fill in '%(field)s'") % {"field": _field(wb, goal.path, "goal_skill_area")})
        elif areas and goal.skill_area.casefold() not in areas:
            add("goals", f"{goal.path}.{key}",
                _("goal '%(goal)s' serves '%(area)s', which is not in your skill areas")
                % {"goal": goal.title, "area": goal.skill_area},
                _("add it to '%(field)s' or pick one that is listed") % {"field": _areas_label(wb)})
    served = {g.skill_area.casefold() for g in wb.goals if g.skill_area}
    for area in wb.skill_areas:
        if area.priority == HIGH_PRIORITY and area.area.casefold() not in served:
            add("goals", area.path, _("high-priority skill area '%(area)s' has no goal") % {"area": area.area},
                _("set a short-term goal that builds it"))


def _areas_label(wb: Workbook) -> str:
    """The label of the skill areas list (the advice that needs it has skill areas, so a list declares them)."""
    return _label(wb, wb.contract.top(SKILL_AREAS_LIST)[0].dotted)


def _network(wb: Workbook, today: dt.date, add: Callable) -> None:
    _, ngettext = wb.language.gettext, wb.language.ngettext
    mentors = [m for m in wb.mentors if m.active]
    if wb.mentors and len(mentors) <= 1:
        add("network", _list_path(wb, MENTOR_MAP),
            ngettext("you have %(count)s active mentor", "you have %(count)s active mentors",
                     len(mentors)) % {"count": len(mentors)} if mentors
            else _("you have no active mentors"),
            _("several mentors, each for different needs, give you more than one person can"))
    stages = {m.career_stage for m in mentors if m.career_stage}
    if len(mentors) >= 2 and len(stages) == 1:
        add("network", _list_path(wb, MENTOR_MAP),
            _("all your mentors are at one career stage (%(stage)s)") % {"stage": stages.pop()},
            _("a near-peer or a more senior mentor would add another perspective"))
    serves = {need.casefold() for m in mentors for need in m.serves}
    # serving a goal serves the skill area that goal builds
    serves |= {g.skill_area.casefold() for g in wb.goals if g.title.casefold() in serves and g.skill_area}
    for area in wb.skill_areas if wb.mentors else ():
        if area.priority == HIGH_PRIORITY and area.area.casefold() not in serves:
            add("network", area.path,
                _("no active mentor serves your high-priority need '%(area)s'") % {"area": area.area},
                _("look for a mentor for it and add them to the mentor map"))
    for mentor in wb.mentors:
        if (mentor.first_meeting and mentor.first_meeting <= today and not mentor.has_agreement
                and mentor.decision in UNDECIDED_AGAINST):
            add("network", mentor.path,
                _("you met %(mentor)s on %(date)s and have no agreement yet")
                % {"mentor": mentor.name, "date": wb.language.date(mentor.first_meeting)},
                _("decide whether to ask them; if you both go ahead, write an agreement together"))


AGREEMENT_PARTS = (  # (Agreement attribute, role, message, hint)
    ("purpose", "purpose", N_("the agreement with %(mentor)s has no purpose"),
     N_("agree on a purpose and fill in '%(field)s'")),
    ("feedback_plan", "feedback_plan", N_("the agreement with %(mentor)s has no feedback plan"),
     N_("agree on a feedback plan and fill in '%(field)s'")),
    ("frequency", "meeting_frequency", N_("the agreement with %(mentor)s has no meeting frequency"),
     N_("agree on a meeting frequency and fill in '%(field)s'")),
    ("communication", "between_meetings",
     N_("the agreement with %(mentor)s has no way to communicate between meetings"),
     N_("agree on a way to communicate between meetings and fill in '%(field)s'")),
)


def _agreements(wb: Workbook, add: Callable) -> None:
    _ = wb.language.gettext
    concluded = {m.name for m in wb.mentors if m.concluded}
    for agreement in wb.agreements:
        if agreement.mentor in concluded:
            continue
        parts = [(attr, role) for attr, role, _m, _h in AGREEMENT_PARTS if _key(wb, agreement.path, role) is not None]
        if len(parts) > 1 and not any(getattr(agreement, attr) for attr, _r in parts):  # only its mentor so far
            fields = [f"'{_field(wb, agreement.path, role)}'" for _a, role in parts]
            add("agreements", agreement.path, _("the agreement with %(mentor)s is not written yet")
                % {"mentor": agreement.mentor}, _("write it together: %(fields)s")
                % {"fields": ", ".join(fields) if wb.language.english else wb.language.join(fields)})
            continue
        for attr, role, message, hint in AGREEMENT_PARTS:
            key = _key(wb, agreement.path, role)
            if key is not None and not getattr(agreement, attr):
                add("agreements", agreement.path, _(message) % {"mentor": agreement.mentor},
                    _(hint) % {"field": _field(wb, agreement.path, role)})


def _cultivation(wb: Workbook, today: dt.date, add: Callable) -> None:
    _ = wb.language.gettext
    for item in wb.open_action_items:
        if item.overdue(today):
            add("cultivation", f"{item.path}.due",
                _("action item '%(task)s' (%(mentor)s) was due on %(date)s")
                % {"task": item.task, "mentor": item.mentor, "date": wb.language.date(item.due)},
                _("finish it, or agree a new date at your next meeting"))
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
            agreed = frequency[mentor.name]
            add("cultivation", last.path,
                _("no meeting with %(mentor)s for %(days)s days; you agreed to meet %(frequency)s")
                % {"mentor": mentor.name, "days": gap,
                   "frequency": _(FREQUENCY_NAMES[agreed]) if agreed in FREQUENCY_NAMES else agreed.replace("-", " ")},
                _("send a short agenda and propose a date"))
    for meeting in wb.meetings:
        if not meeting.agenda:
            add("cultivation", meeting.path,
                _("the meeting with %(mentor)s on %(date)s has no agenda")
                % {"mentor": meeting.mentor, "date": wb.language.date(meeting.date)},
                _("set the agenda yourself before each meeting"))
        if not meeting.action_items:
            add("cultivation", meeting.path,
                _("the meeting with %(mentor)s on %(date)s ended without action items")
                % {"mentor": meeting.mentor, "date": wb.language.date(meeting.date)},
                _("close each meeting by agreeing who does what by when"))


def _conclusion(wb: Workbook, add: Callable) -> None:
    _ = wb.language.gettext
    for review in wb.reviews:
        if review.outcome != CONCLUDE:
            continue
        if not review.reflection:
            add("conclusion", review.path,
                _("the relationship with %(mentor)s ended without a shared reflection") % {"mentor": review.mentor},
                _("write down what worked and what you would change"))
        if not review.reevaluated_needs:
            add("conclusion", review.path,
                _("after concluding with %(mentor)s you have not re-evaluated your mentoring needs")
                % {"mentor": review.mentor},
                _("list your needs now; they start your next self-reflection"))
