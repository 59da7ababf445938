"""Typed objects that templates receive: the workbook and what it is made of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .definitions import FieldDef, WorksheetDef
from .errors import Problem
from .i18n import ENGLISH, Language, N_
from .project import Branding
from .roles import (ACTIVE_DECISIONS, AGREEMENTS, CONCLUDE, CULTIVATE, ESTABLISH, GOAL_DONE, GOALS, IDENTIFY_MENTORS,
                    ITEM_DONE, ITEM_OPEN, ME, MEETINGS, MENTORS, NOT_STARTED, REFINE_OR_CONCLUDE, SELF_REFLECT,
                    SHORT_TERM, SKILL_AREAS, TRANSITIONS, dotted, lookup)


@dataclass(frozen=True)
class Trainee:
    name: str
    role: str = ""
    program: str = ""
    institution: str = ""
    email: str = ""
    start_date: dt.date | None = None
    updated: dt.date | None = None  # as written in the workbook (Workbook.date falls back to today)
    current_practice: str = ""  # as written (Workbook.current_practice is worked out when it is empty)
    share: str = ""  # "progress-only": staff see how far the trainee is, not what they wrote
    language: str = ""  # as written: a BCP 47 tag (Workbook.language is the one the build uses)


@dataclass(frozen=True)
class Goal:
    title: str
    term: str  # "short" or "long"
    skill_area: str = ""
    specific: str = ""
    measurable: str = ""
    achievable: str = ""
    relevant: str = ""
    time_bound: str = ""
    target_date: dt.date | None = None
    status: str = NOT_STARTED
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"

    @property
    def done(self) -> bool:
        return self.status == GOAL_DONE


@dataclass(frozen=True)
class Mentor:
    name: str
    position: str = ""
    found_via: str = ""
    career_stage: str = ""
    serves: tuple[str, ...] = ()
    competence: int | None = None
    confidence: int | None = None
    commitment: int | None = None
    first_meeting: dt.date | None = None
    decision: str = ""
    has_agreement: bool = False
    concluded: bool = False
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"

    @property
    def active(self) -> bool:
        return self.has_agreement and not self.concluded


@dataclass(frozen=True)
class ActionItem:
    task: str
    mentor: str
    meeting_date: dt.date
    owner: str = ME
    due: dt.date | None = None
    status: str = ITEM_OPEN
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"

    @property
    def open(self) -> bool:
        return self.status != ITEM_DONE

    def overdue(self, today: dt.date) -> bool:
        return self.open and self.due is not None and self.due < today


@dataclass(frozen=True)
class Meeting:
    date: dt.date
    mentor: str
    agenda: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    next_meeting: dt.date | None = None
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"


@dataclass(frozen=True)
class SkillArea:
    area: str
    priority: str = ""
    path: str = ""


@dataclass(frozen=True)
class Agreement:
    mentor: str
    purpose: str = ""
    shared_goals: tuple[str, ...] = ()
    feedback_plan: str = ""
    meeting_time: str = ""
    frequency: str = ""  # weekly | every-2-weeks | monthly | every-2-months | quarterly
    place: str = ""
    agenda_topics: str = ""  # fixed | rotating
    agenda_horizon: str = ""  # short-term | long-term | both
    agenda_focus: str = ""  # projects | goals | both
    topic_list: tuple[str, ...] = ()
    communication: str = ""
    start_date: dt.date | None = None
    review_date: dt.date | None = None
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"


@dataclass(frozen=True)
class Transition:
    mentor: str
    outcome: str = ""  # refine | conclude
    date: dt.date | None = None
    reflection: str = ""
    reevaluated_needs: tuple[str, ...] = ()
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"


@dataclass(frozen=True)
class Worksheet:
    """A worksheet definition with this person's entries (empty when blank)."""

    definition: WorksheetDef
    entries: tuple[dict[str, Any], ...]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def title(self) -> str:
        return self.definition.title

    @property
    def filled(self) -> bool:
        return bool(self.entries) and any(self.entries)

    def entry_heading(self, entry: dict[str, Any], index: int, lang: Language = ENGLISH) -> str:
        key = self.definition.entry_title
        field_def: FieldDef | None = self.definition.child(key) if key else None
        if field_def and entry.get(key):
            value = entry[key]
            text = value.isoformat() if isinstance(value, dt.date) else field_def.choice_label(value)
            if self.id == MEETINGS and entry.get("date"):
                return lang.gettext("%(date)s with %(mentor)s") % {"date": entry["date"].isoformat(), "mentor": text}
            return text
        return f"{self.definition.title} {index + 1}"


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    short_title: str
    order: int
    summary: str
    key_point: str
    body: str  # Markdown
    worksheets: tuple[Worksheet, ...] = ()


@dataclass(frozen=True)
class Page:
    """A guidance page that is not a practice (the introduction, program pages)."""

    id: str
    title: str
    order: int
    summary: str
    body: str  # Markdown


ATTRIBUTION = N_(
    "The five practices are adapted from the managing-up model for mentees "
    "(Zerzan JT, Hess R, Schur E, Phillips RS, Rigotti N. Making the most of mentors: "
    "a guide for mentees. Academic Medicine. 2009;84(1):140-144)."
)


@dataclass(frozen=True)
class Workbook:
    trainee: Trainee
    introduction: Page
    practices: tuple[Practice, ...]
    current_practice: str
    date: dt.date  # shown on the cover: the workbook's 'updated' date, else today
    today: dt.date
    goals: tuple[Goal, ...] = ()
    skill_areas: tuple[SkillArea, ...] = ()
    mentors: tuple[Mentor, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    transitions: tuple[Transition, ...] = ()
    insights: tuple[Problem, ...] = ()  # mentoring suggestions found by insights.find_insights
    pages: tuple[Page, ...] = ()  # a program's extra pages, shown after the practices
    branding: Branding = field(default_factory=Branding)
    language: Language = ENGLISH  # the language of every text the outputs add (core.i18n)

    @property
    def attribution(self) -> str:
        return self.language.gettext(ATTRIBUTION)

    @property
    def action_items(self) -> tuple[ActionItem, ...]:
        """Each action item once: an item carried forward to a later meeting counts as
        it stands there (same mentor, same task)."""
        return latest_action_items(self.meetings)

    @property
    def open_action_items(self) -> tuple[ActionItem, ...]:
        """Open items, soonest due first; items without a due date last."""
        items = [item for item in self.action_items if item.open]
        return tuple(sorted(items, key=lambda i: (i.due is None, i.due or dt.date.min)))

    @property
    def active_mentors(self) -> tuple[Mentor, ...]:
        return tuple(m for m in self.mentors if m.active)

    @property
    def current(self) -> Practice | None:
        return next((p for p in self.practices if p.id == self.current_practice), None)

    @property
    def title(self) -> str:
        """Whose workbook this is: the trainee, else the program, else a generic title."""
        return self.trainee.name or self.branding.program or self.language.gettext("Mentoring workbook")

    def practice(self, practice_id: str) -> Practice:
        return next(p for p in self.practices if p.id == practice_id)

    @property
    def worksheets(self) -> tuple[Worksheet, ...]:
        return tuple(w for p in self.practices for w in p.worksheets)


def latest_action_items(meetings: tuple[Meeting, ...] | list[Meeting]) -> tuple[ActionItem, ...]:
    """Action items of ``meetings``, each (mentor, task) once, as its latest mention has it."""
    latest: dict[tuple[str, str], ActionItem] = {}
    for meeting in sorted(meetings, key=lambda m: m.date):
        for item in meeting.action_items:
            key = (item.mentor, " ".join(item.task.split()).casefold())
            latest.pop(key, None)  # re-insert so the order follows the latest mention
            latest[key] = item
    return tuple(latest.values())


def _text(entry: dict[str, Any], key: str, default: str = "") -> str:
    return str(entry.get(key, default) or default)


def build_goals(data: dict[str, Any]) -> tuple[Goal, ...]:
    raw = lookup(data, GOALS) or []
    return tuple(
        Goal(
            title=_text(g, "title"),
            term=_text(g, "term", SHORT_TERM),
            skill_area=_text(g, "skill_area"),
            specific=_text(g, "specific"),
            measurable=_text(g, "measurable"),
            achievable=_text(g, "achievable"),
            relevant=_text(g, "relevant"),
            time_bound=_text(g, "time_bound"),
            target_date=g.get("target_date"),
            status=_text(g, "status", NOT_STARTED),
            path=f"{dotted(GOALS)}[{i}]",
        )
        for i, g in enumerate(raw)
    )


def build_skill_areas(data: dict[str, Any]) -> tuple[SkillArea, ...]:
    raw = lookup(data, SKILL_AREAS) or []
    return tuple(
        SkillArea(area=_text(a, "area"), priority=_text(a, "priority"), path=f"{dotted(SKILL_AREAS)}[{i}]")
        for i, a in enumerate(raw)
    )


def build_meetings(data: dict[str, Any]) -> tuple[Meeting, ...]:
    meetings = []
    for i, m in enumerate(data.get(MEETINGS) or []):
        items = tuple(
            ActionItem(
                task=_text(a, "task"),
                mentor=_text(m, "mentor"),
                meeting_date=m["date"],
                owner=_text(a, "owner", ME),
                due=a.get("due"),
                status=_text(a, "status", ITEM_OPEN),
                path=f"{MEETINGS}[{i}].action_items[{j}]",
            )
            for j, a in enumerate(m.get("action_items") or [])
        )
        meetings.append(Meeting(date=m["date"], mentor=_text(m, "mentor"), agenda=tuple(m.get("agenda") or ()),
                                action_items=items, next_meeting=m.get("next_meeting"), path=f"{MEETINGS}[{i}]"))
    return tuple(sorted(meetings, key=lambda m: m.date))


def build_mentors(data: dict[str, Any]) -> tuple[Mentor, ...]:
    agreed = {_text(a, "mentor") for a in data.get(AGREEMENTS) or []}
    concluded = {_text(t, "mentor") for t in data.get(TRANSITIONS) or [] if t.get("outcome") == CONCLUDE}
    return tuple(
        Mentor(
            name=_text(m, "name"),
            position=_text(m, "position"),
            found_via=_text(m, "found_via"),
            career_stage=_text(m, "career_stage"),
            serves=tuple(m.get("serves") or ()),
            competence=m.get("competence"),
            confidence=m.get("confidence"),
            commitment=m.get("commitment"),
            first_meeting=m.get("first_meeting"),
            decision=_text(m, "decision"),
            has_agreement=_text(m, "name") in agreed,
            concluded=_text(m, "name") in concluded,
            path=f"{MENTORS}[{i}]",
        )
        for i, m in enumerate(data.get(MENTORS) or [])
    )


def build_agreements(data: dict[str, Any]) -> tuple[Agreement, ...]:
    agreements = []
    for i, a in enumerate(data.get(AGREEMENTS) or []):
        agenda = a.get("agenda") or {}
        agreements.append(Agreement(
            mentor=_text(a, "mentor"),
            purpose=_text(a, "purpose"),
            shared_goals=tuple(a.get("shared_goals") or ()),
            feedback_plan=_text(a, "feedback_plan"),
            meeting_time=_text(a, "meeting_time"),
            frequency=_text(a, "frequency"),
            place=_text(a, "place"),
            agenda_topics=_text(agenda, "topics"),
            agenda_horizon=_text(agenda, "horizon"),
            agenda_focus=_text(agenda, "focus"),
            topic_list=tuple(agenda.get("topic_list") or ()),
            communication=_text(a, "communication"),
            start_date=a.get("start_date"),
            review_date=a.get("review_date"),
            path=f"{AGREEMENTS}[{i}]",
        ))
    return tuple(agreements)


def build_transitions(data: dict[str, Any]) -> tuple[Transition, ...]:
    return tuple(
        Transition(
            mentor=_text(t, "mentor"),
            outcome=_text(t, "outcome"),
            date=t.get("date"),
            reflection=_text(t, "reflection"),
            reevaluated_needs=tuple(t.get("reevaluated_needs") or ()),
            path=f"{TRANSITIONS}[{i}]",
        )
        for i, t in enumerate(data.get(TRANSITIONS) or [])
    )


def infer_practice(goals: tuple[Goal, ...], mentors: tuple[Mentor, ...], meetings: tuple[Meeting, ...]) -> str:
    """Where a person stands in the cycle when they have not said so themselves."""
    if not goals:
        return SELF_REFLECT
    if not any(m.decision in ACTIVE_DECISIONS or m.has_agreement for m in mentors):
        return IDENTIFY_MENTORS
    if not any(m.active for m in mentors):
        return REFINE_OR_CONCLUDE if any(m.concluded for m in mentors) else ESTABLISH
    if not meetings:
        return ESTABLISH
    return CULTIVATE
