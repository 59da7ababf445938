"""The "about me" brief for a prospective or new mentor, as plain data.

Practices 2 and 3: at a first meeting the mentee shares background, values, work
style, needs and goals, and proposes how the two could work together. Everything
comes from the self-reflection, the mentor map and, once it exists, the agreement.
Without an agreement the logistics are a proposal drawn from how much structure the
mentee says they need.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from msgspec import Struct

from ..base.i18n import ENGLISH, Language
from ..core.model import Agreement, Goal, Mentor, Trainee, Workbook
from ..program.roles import (
    DEFAULT_FREQUENCY,
    HIGH_PRIORITY,
    PRIORITY_ORDER,
    PROPOSED_FREQUENCY,
    SELF_REFLECTION,
    SHORT_TERM,
)
from .agenda import agreement_for, entries, find_mentor, role_label, role_value, serves

MAX_GOALS = 5
MAX_VALUES = 6
MAX_HELP = 6


class Logistic(Struct, frozen=True):
    label: str
    value: str


class Brief(Struct, frozen=True):
    trainee: Trainee
    mentor: Mentor
    agreement: Agreement | None
    date: dt.date
    values: tuple[str, ...]
    work_style: str
    structure: str  # the label of the structure choice, e.g. "Moderate: regular check-ins and milestones"
    structure_notes: str
    learning_style: str
    motivation: str
    mentor_qualities: str
    skill_areas: tuple[str, ...]  # high-priority areas first
    hopes: tuple[str, ...]  # what I hope this mentor helps with
    purpose: str
    goals: tuple[tuple[Goal, bool], ...]  # (goal, this mentor could help with it)
    logistics: tuple[Logistic, ...]
    proposed: bool  # True when the logistics are a proposal (no agreement yet)
    language: Language = ENGLISH  # the workbook's: the handout's texts and dates

    @property
    def marks_goals(self) -> bool:
        """Whether any goal is marked as one this mentor could help with."""
        return any(mine for _, mine in self.goals)


def _profile(wb: Workbook) -> dict[str, Any]:
    found = entries(wb, SELF_REFLECTION)
    return dict(found[0]) if found else {}


def _hopes(mentor: Mentor, agreement: Agreement | None) -> list[str]:
    hopes = list(mentor.serves)
    if agreement:
        hopes += [g for g in agreement.shared_goals if g not in hopes]
    return hopes[:MAX_HELP]


def _logistics(wb: Workbook, agreement: Agreement | None, structure: str) -> tuple[list[Logistic], bool]:
    _ = wb.language.gettext
    if agreement and (agreement.frequency or agreement.meeting_time or agreement.place):
        rows = []
        if agreement.frequency:
            rows.append(Logistic(_("How often"), role_label(wb, "meeting_frequency", agreement.frequency)))
        if agreement.meeting_time:
            rows.append(Logistic(_("When"), agreement.meeting_time))
        if agreement.place:
            rows.append(Logistic(_("Where"), agreement.place))
        if agreement.agenda_topics:
            agenda = role_label(wb, "agenda_topics", agreement.agenda_topics)
            if agreement.topic_list:
                agenda += ": " + ", ".join(agreement.topic_list)
            rows.append(Logistic(_("Agenda"), agenda))
        if agreement.communication:
            rows.append(Logistic(_("Between meetings"), agreement.communication))
        if agreement.feedback_plan:
            rows.append(Logistic(_("Feedback"), agreement.feedback_plan))
        if agreement.start_date or agreement.review_date:
            dates = [wb.language.date(d) for d in (agreement.start_date, agreement.review_date) if d]
            span = _("%(start)s to %(end)s") % {"start": dates[0], "end": dates[1]} if len(dates) == 2 else dates[0]
            rows.append(Logistic(_("Start and review"), span))
        return rows, False
    frequency = PROPOSED_FREQUENCY.get(structure, DEFAULT_FREQUENCY)
    rows = [
        Logistic(_("How often"), _("%(frequency)s, about an hour")
                 % {"frequency": role_label(wb, "meeting_frequency", frequency)}),
        Logistic(_("Agenda"), _("I set it and send it a few days ahead; we close each meeting by reviewing "
                                "action items and fixing the next date")),
        Logistic(_("Between meetings"), _("Email (%(email)s)") % {"email": wb.trainee.email} if wb.trainee.email
                 else _("Email")),
        Logistic(_("Feedback"), _("A short look back at my goals together every few months")),
        Logistic(_("Review"), _("After three meetings we decide together whether and how to go on")),
    ]
    return rows, True


def make_brief(wb: Workbook, mentor_name: str, date: dt.date) -> Brief:
    """What the one-page brief for ``mentor_name`` shows."""
    mentor = find_mentor(wb, mentor_name)
    agreement = agreement_for(wb, mentor.name)
    profile = _profile(wb)
    structure_value = str(role_value(wb, "structure") or "")
    rank = {priority: i for i, priority in enumerate(PRIORITY_ORDER)}
    areas = sorted(wb.skill_areas, key=lambda a: rank.get(a.priority, len(rank)))
    goals = [g for g in wb.goals if not g.done]
    goals.sort(key=lambda g: (not serves(mentor, g), g.term != SHORT_TERM, g.target_date or dt.date.max))
    logistics, proposed = _logistics(wb, agreement, structure_value)
    return Brief(
        trainee=wb.trainee,
        mentor=mentor,
        agreement=agreement,
        date=date,
        values=tuple(profile.get("values") or ())[:MAX_VALUES],
        work_style=str(profile.get("work_style") or ""),
        structure=role_label(wb, "structure", structure_value) if structure_value else "",
        structure_notes=str(profile.get("structure_notes") or ""),
        learning_style=str(profile.get("learning_style") or ""),
        motivation=str(profile.get("motivation") or ""),
        mentor_qualities=str(profile.get("mentor_qualities") or ""),
        skill_areas=tuple(a.area for a in areas if a.priority in (HIGH_PRIORITY, ""))[:5],
        hopes=tuple(_hopes(mentor, agreement)),
        purpose=agreement.purpose if agreement else "",
        goals=tuple((g, serves(mentor, g)) for g in goals[:MAX_GOALS]),
        logistics=tuple(logistics),
        proposed=proposed,
        language=wb.language,
    )
