"""Typed objects that templates receive: the workbook and what it is made of."""

from __future__ import annotations

import datetime as dt
from typing import Any

from msgspec import Struct, field
from msgspec.structs import force_setattr

from ..base.errors import Problem
from ..base.i18n import ENGLISH, N_, Language
from ..fields.fielddef import FieldDef
from ..program.definitions import WorksheetDef
from ..program.project import Branding
from ..program.roles import (
    ACTIVE_DECISIONS,
    CULTIVATE,
    ESTABLISH,
    FREQUENCIES,
    GOAL_DONE,
    IDENTIFY_MENTORS,
    ITEM_DONE,
    ITEM_OPEN,
    ME,
    MEETING_LOG,
    NOT_STARTED,
    REFINE_OR_CONCLUDE,
    SELF_REFLECT,
    Frequency,
)


class Trainee(Struct, frozen=True):
    """The trainee a workbook belongs to, as the workbook says."""

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


class Goal(Struct, frozen=True):
    """One of the trainee's goals."""

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


class Mentor(Struct, frozen=True):
    """One mentor on the trainee's mentor map."""

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


class ActionItem(Struct, frozen=True):
    """A task agreed in a meeting."""

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


class Meeting(Struct, frozen=True):
    """One meeting with a mentor, as logged."""

    date: dt.date
    mentor: str
    agenda: tuple[str, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    next_meeting: dt.date | None = None
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"


class SkillArea(Struct, frozen=True):
    """A skill the trainee wants to build, with its priority."""

    area: str
    priority: str = ""
    path: str = ""


class Agreement(Struct, frozen=True):
    """A mentoring agreement with one mentor."""

    mentor: str
    purpose: str = ""
    shared_goals: tuple[str, ...] = ()
    feedback_plan: str = ""
    meeting_time: str = ""
    frequency: str = ""  # weekly | every-2-weeks | monthly | every-2-months | quarterly, or a program's own
    place: str = ""
    agenda_topics: str = ""  # fixed | rotating
    agenda_horizon: str = ""  # short-term | long-term | both
    agenda_focus: str = ""  # projects | goals | both
    topic_list: tuple[str, ...] = ()
    communication: str = ""
    start_date: dt.date | None = None
    review_date: dt.date | None = None
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"
    period: Frequency | None = None  # what the frequency means, when it is known (see program/contract.py)
    # one per signature block of the entry, whether that party signed: it is signed when all of them have
    signatures: tuple[bool, ...] = ()

    def __post_init__(self) -> None:
        if self.period is None and self.frequency in FREQUENCIES:  # the frequencies mentorbook knows
            force_setattr(self, "period", FREQUENCIES[self.frequency])


class Review(Struct, frozen=True):
    """A relationship refined or concluded, and what the trainee took from it."""

    mentor: str
    outcome: str = ""  # refine | conclude
    date: dt.date | None = None
    reflection: str = ""
    reevaluated_needs: tuple[str, ...] = ()
    path: str = ""  # where it stands in the workbook file, e.g. "meetings[2]"


class Worksheet(Struct, frozen=True):
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

    def to_fill_in(self, entry: dict[str, Any]) -> bool:
        """An entry that holds nothing but its title (an agreement with only its mentor, as a cohort
        writes one for an assigned mentor): shown as a form to fill in, the title printed in it."""
        key = self.definition.entry_title
        answered = [k for k, v in entry.items() if v not in (None, "", [], {})]
        return bool(key) and self.definition.repeat and answered == [key]

    def entry_heading(self, entry: dict[str, Any], index: int, lang: Language = ENGLISH) -> str:
        key = self.definition.entry_title
        field_def: FieldDef | None = self.definition.child(key) if key else None
        if field_def and entry.get(key):
            from ..fields.date import format_date

            value = entry[key]
            text = format_date(value, lang) if isinstance(value, dt.date) else field_def.choice_label(value)
            date = next((f.id for f in self.definition.fields if f.role == "meeting_date"), "")
            if self.definition.role == MEETING_LOG and date and entry.get(date):
                return lang.gettext("%(date)s with %(mentor)s") % {"date": format_date(entry[date], lang),
                                                                   "mentor": text}
            return text
        return f"{self.definition.title} {index + 1}"


class Practice(Struct, frozen=True):
    """One of the five practices, with its guidance and worksheets."""

    id: str
    title: str
    short_title: str
    order: int  # its number among the practices shown (1 to 5 when all five are)
    summary: str
    key_point: str
    body: str  # Markdown
    worksheets: tuple[Worksheet, ...] = ()


class Page(Struct, frozen=True):
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
ATTRIBUTION_SOME = N_(  # a guide of some of the practices
    "The practices are adapted from the managing-up model for mentees "
    "(Zerzan JT, Hess R, Schur E, Phillips RS, Rigotti N. Making the most of mentors: "
    "a guide for mentees. Academic Medicine. 2009;84(1):140-144)."
)


class Workbook(Struct, frozen=True):
    """A trainee's whole workbook, as templates receive it."""

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
    reviews: tuple[Review, ...] = ()  # refine-or-conclude reviews
    insights: tuple[Problem, ...] = ()  # mentoring suggestions found by insights.find_insights
    pages: tuple[Page, ...] = ()  # a program's extra pages, shown after the practices
    branding: Branding = field(default_factory=Branding)
    milestones: tuple = ()  # core.milestones.MilestoneStatus: the program's milestones, judged on ``today``
    contract: Any = None  # core.contract.Contract: which fields of the definitions play which role
    language: Language = ENGLISH  # the language of every text the outputs add (core.i18n)

    @property
    def attribution(self) -> str:
        return self.language.gettext(ATTRIBUTION if len(self.practices) == 5 else ATTRIBUTION_SOME)

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

    @property
    def numbered(self) -> bool:
        """Whether the practices carry numbers ("Practice 2 of 3"): a guide of one practice has none."""
        return len(self.practices) > 1

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
