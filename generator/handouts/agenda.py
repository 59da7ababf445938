"""The next meeting with one mentor, as plain data: topics, updates, items, goals.

Practice 4 asks the mentee to set each meeting's agenda, balancing ongoing projects
with short- and long-term goals, to come with updates and questions, and to end by
reviewing action items and fixing the next meeting. :func:`make_agenda` gathers all
of that from the workbook for one mentor and one date; templates lay it out and
``mentorbook log`` writes its topics and open items into a new meeting entry.

An action item carried forward appears in several meetings under the same task; the
most recent entry speaks for it, so an item closed in a later meeting is closed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.errors import InputError, Problem, did_you_mean
from ..base.i18n import ENGLISH, N_, Language
from ..base.safepath import shorten
from ..core.model import ActionItem, Agreement, Goal, Meeting, Mentor, Trainee, Workbook, latest_action_items
from ..fields.fielddef import FieldDef
from ..program.roles import (
    BOTH,
    FIXED_TOPICS,
    GOALS_FOCUS,
    IN_PROGRESS,
    LONG_HORIZON,
    LONG_TERM,
    MEETINGS,
    MENTOR,
    PROJECTS,
    ROTATING_TOPICS,
    SHORT_HORIZON,
    SHORT_TERM,
)
from .schedule import Rhythm, next_meeting_after, rhythm

GOALS_AHEAD = dt.timedelta(weeks=8)  # "goals due soon" looks this far ahead
MAX_ITEMS = 8  # open action items listed on the one-page agenda
MAX_GOALS_DUE = 4
MAX_PROJECTS = 2
MAX_SHORT_GOALS = 2
_STOPWORDS = {"the", "and", "for", "from", "with", "into", "our", "my", "a", "an", "of", "to", "by", "on", "in",
              "at", "all", "next", "plan", "first", "january", "february", "march", "april", "may", "june",
              "july", "august", "september", "october", "november", "december"}


class AgendaTopic(Struct, frozen=True):
    """One line of the agenda."""

    text: str
    kind: str  # "focus" (rotating topic), "topic" (fixed topic), "project", "short-goal", "long-goal"
    note: str = ""  # what to say about it, e.g. "due 31 January 2027"

    @property
    def label(self) -> str:
        """The tag before the line, in English (the template translates it)."""
        return {"focus": N_("Focus"), "topic": N_("Topic"), "project": N_("Project"),
                "short-goal": N_("Short-term goal"), "long-goal": N_("Long-term goal")}[self.kind]


class Rotation(Struct, frozen=True):
    """Where a rotating agenda stands: this meeting's topic among the agreed ones."""

    topic: str
    position: int  # 1-based
    count: int
    previous: str = ""  # the topic of the last meeting that used one
    following: str = ""  # the topic after this one


class CarriedItem(Struct, frozen=True):
    item: ActionItem
    overdue: bool


class Agenda(Struct, frozen=True):
    trainee: Trainee
    mentor: Mentor
    agreement: Agreement | None
    date: dt.date
    topics_format: str  # "fixed" or "rotating"
    topics: tuple[AgendaTopic, ...]
    rotation: Rotation | None
    last_meeting: Meeting | None
    updates: tuple[str, ...]  # done since the last meeting, and updates already written down
    ideas: tuple[str, ...]
    questions: tuple[str, ...]
    action_items: tuple[CarriedItem, ...]  # every open item of this relationship
    goals_due: tuple[tuple[Goal, bool], ...]  # (goal, overdue), due within GOALS_AHEAD
    goals_horizon: dt.date
    rhythm: Rhythm | None
    suggested_next: dt.date | None  # the next date in the agreed rhythm
    notices: tuple[str, ...] = ()
    language: Language = ENGLISH  # the workbook's: the handout's texts and dates

    @property
    def shown_items(self) -> tuple[CarriedItem, ...]:
        return self.action_items[:MAX_ITEMS]

    @property
    def hidden_items(self) -> int:
        return max(0, len(self.action_items) - MAX_ITEMS)

    @property
    def overdue_count(self) -> int:
        return sum(1 for c in self.action_items if c.overdue)


def _norm(text: str) -> str:
    from ..base.names import name_key

    return name_key(str(text))


def find_mentor(wb: Workbook, name: str) -> Mentor:
    """The mentor called ``name`` (case does not matter; a unique part of the name will do)."""
    wanted = _norm(name)
    names = [m.name for m in wb.mentors]
    exact = [m for m in wb.mentors if _norm(m.name) == wanted]
    if exact:
        return exact[0]
    partial = [m for m in wb.mentors if wanted and wanted in _norm(m.name)]
    if len(partial) == 1:
        return partial[0]
    lang = wb.language
    _ = lang.gettext
    if not names:
        raise InputError([Problem(Path("--mentor"), None, _("the workbook has no mentors yet"),
                                  hint=_("add them under 'mentors:' first (practice 2)"))], lang=lang)
    if len(partial) > 1:
        raise InputError([Problem(Path("--mentor"), None,
                                  _("'%(name)s' matches %(count)s mentors: %(names)s")
                                  % {"name": shorten(name), "count": len(partial),
                                     "names": ", ".join(shorten(m.name, 40) for m in partial[:6])},
                                  hint=_("which one? give more of the name"))], lang=lang)
    raise InputError([Problem(Path("--mentor"), None, _("no mentor named '%(name)s' in the workbook")
                              % {"name": shorten(name)}, hint=did_you_mean(name[:200], names, lang))], lang=lang)


def role_label(wb: Workbook, role: str, value: str) -> str:
    """The label the field playing ``role`` gives a choice (the first such field), in the workbook's
    language (the field as the workbook's worksheets have it; the contract's is as defined); else the value."""
    bounds = [b for b in wb.contract.bounds if b.role == role] if wb.contract is not None else []
    if not bounds:
        return str(value)
    sheet = next((w.definition for w in wb.worksheets if w.id == bounds[0].path[0][0]), None)
    fdef: Any = sheet
    for key, _ in bounds[0].path[1:]:
        fdef = fdef.child(key) if fdef is not None else None
    return (fdef if isinstance(fdef, FieldDef) else bounds[0].fdef).choice_label(value)


def role_value(wb: Workbook, role: str) -> Any:
    """The value of a role declared outside any list (e.g. ``structure``), or None."""
    bound = wb.contract.top(role)[0] if wb.contract is not None and wb.contract.top(role) else None
    if bound is None or bound.sheet.repeat:
        return None
    found = entries(wb, bound.sheet.id)
    value: Any = found[0] if found else None
    for key, _ in bound.path[1:]:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def entries(wb: Workbook, sheet_id: str) -> tuple[dict[str, Any], ...]:
    """The validated entries of a worksheet, as written in the workbook."""
    sheet = next((w for w in wb.worksheets if w.id == sheet_id), None)
    return sheet.entries if sheet else ()


def agreement_for(wb: Workbook, mentor: str) -> Agreement | None:
    return next((a for a in wb.agreements if a.mentor == mentor), None)


def relationship_items(meetings: list[Meeting]) -> list[ActionItem]:
    """Each action item once, as the most recent meeting that lists it has it."""
    return list(latest_action_items(meetings))


def open_items(meetings: list[Meeting]) -> list[ActionItem]:
    """Open items of a relationship, soonest due first; items without a due date last."""
    items = [i for i in relationship_items(meetings) if i.open]
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.min, i.meeting_date))


def _topic_used(meeting: Meeting, topic_list: tuple[str, ...]) -> int | None:
    """Index of the first agreed topic that the meeting's agenda names, if any."""
    wanted = [_norm(t) for t in topic_list]
    for line in meeting.agenda:
        if _norm(line) in wanted:
            return wanted.index(_norm(line))
    return None


def rotation_for(topic_list: tuple[str, ...], history: list[Meeting]) -> Rotation | None:
    """The next topic in turn after the one the latest meeting used; the first if none was used."""
    if not topic_list:
        return None
    previous = None
    for meeting in sorted(history, key=lambda m: m.date, reverse=True):
        previous = _topic_used(meeting, topic_list)
        if previous is not None:
            break
    index = 0 if previous is None else (previous + 1) % len(topic_list)
    return Rotation(
        topic=topic_list[index],
        position=index + 1,
        count=len(topic_list),
        previous="" if previous is None else topic_list[previous],
        following=topic_list[(index + 1) % len(topic_list)] if len(topic_list) > 1 else "",
    )


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.casefold()) if len(w) >= 3 and not w.isdigit()
            and w not in _STOPWORDS}


def _overlaps(a: str, b: str) -> bool:
    """Two agenda lines about the same thing (share at least two significant words)."""
    return len(_words(a) & _words(b)) >= 2


def serves(mentor: Mentor, goal: Goal) -> bool:
    """Whether the mentor map lists the goal, or its skill area, among what this mentor serves."""
    listed = {_norm(s) for s in mentor.serves}
    return _norm(goal.title) in listed or (bool(goal.skill_area) and _norm(goal.skill_area) in listed)


STATUS_NAMES = {"not-started": N_("not started"), "in-progress": N_("in progress"), "done": N_("done")}


def _goal_note(goal: Goal, lang: Language = ENGLISH) -> str:
    status = goal.status
    parts = [lang.gettext(STATUS_NAMES[status]) if status in STATUS_NAMES else status.replace("-", " ")]
    if goal.target_date:
        parts.append(lang.gettext("target %(date)s") % {"date": lang.date(goal.target_date)})
    return ", ".join(parts)


def _pick_goals(wb: Workbook, mentor: Mentor, term: str, limit: int) -> list[Goal]:
    """Goals of a term that are not done: this mentor's first, those in progress first."""
    candidates = [g for g in wb.goals if g.term == term and not g.done]
    relevant = [g for g in candidates if serves(mentor, g)]
    pool = relevant or candidates
    pool.sort(key=lambda g: (g.status != IN_PROGRESS, g.target_date or dt.date.max))
    return pool[:limit]


def balance(wb: Workbook, mentor: Mentor, agreement: Agreement | None,
            already: list[AgendaTopic]) -> list[AgendaTopic]:
    """Projects and goals that the agreed focus and time horizon ask for."""
    focus = agreement.agenda_focus if agreement and agreement.agenda_focus else BOTH
    horizon = agreement.agenda_horizon if agreement and agreement.agenda_horizon else BOTH
    topics: list[AgendaTopic] = []
    if focus in (GOALS_FOCUS, BOTH):
        if horizon in (SHORT_HORIZON, BOTH):
            for goal in _pick_goals(wb, mentor, SHORT_TERM, MAX_SHORT_GOALS):
                topics.append(AgendaTopic(goal.title, "short-goal", _goal_note(goal, wb.language)))
        if horizon in (LONG_HORIZON, BOTH):
            for goal in _pick_goals(wb, mentor, LONG_TERM, 2 if horizon == LONG_HORIZON else 1):
                topics.append(AgendaTopic(goal.title, "long-goal", _goal_note(goal, wb.language)))
    if focus in (PROJECTS, BOTH) and agreement:
        listed = [t.text for t in already + topics]
        projects = [p for p in agreement.shared_goals if not any(_overlaps(p, other) for other in listed)]
        topics[:0] = [AgendaTopic(p, "project") for p in projects[:MAX_PROJECTS]]
    return topics


def _done_since(items: list[ActionItem], last: Meeting | None, date: dt.date,
                lang: Language = ENGLISH) -> list[str]:
    """Items closed since the last meeting: those set at it, or due after it."""
    if last is None:
        return []
    done = [i for i in items if not i.open and (i.meeting_date == last.date or (i.due and last.date < i.due <= date))]
    return [(lang.gettext("Done: %(task)s (mentor)") if i.owner == MENTOR else lang.gettext("Done: %(task)s"))
            % {"task": i.task} for i in done]


def _topics(wb: Workbook, mentor: Mentor, agreement: Agreement | None, history: list[Meeting]
            ) -> tuple[str, list[AgendaTopic], Any]:
    """The agenda's format (fixed or rotating), its topics and, for rotating topics, where the rotation stands."""
    _ = wb.language.gettext
    topics_format = agreement.agenda_topics if agreement and agreement.agenda_topics else FIXED_TOPICS
    topic_list = agreement.topic_list if agreement else ()
    rotation = None
    topics: list[AgendaTopic] = []
    if topics_format == ROTATING_TOPICS:
        rotation = rotation_for(topic_list, history)
        if rotation:
            note = _("topic %(position)s of %(count)s") % {"position": rotation.position, "count": rotation.count}
            if rotation.previous:
                note += "; " + _("last time: %(topic)s") % {"topic": rotation.previous}
            if rotation.following and rotation.following != rotation.topic:
                note += "; " + _("next time: %(topic)s") % {"topic": rotation.following}
            topics.append(AgendaTopic(rotation.topic, "focus", note))
    else:
        topics += [AgendaTopic(t, "topic") for t in topic_list]
    topics += balance(wb, mentor, agreement, topics)
    return topics_format, topics, rotation


def _from_the_trainee(wb: Workbook, mentor: Mentor, last: Meeting | None, history: list[Meeting],
                      date: dt.date) -> tuple[list[str], list[str], list[str]]:
    """Updates (items done and goals reached since the last meeting), ideas and questions, with
    what a meeting already logged for ``date`` holds."""
    updates = _done_since(relationship_items(history), last, date, wb.language)
    if last is not None:
        updates += [wb.language.gettext("Goal reached: %(goal)s") % {"goal": g.title} for g in wb.goals
                    if g.done and g.target_date and last.date < g.target_date <= date]
    same_day = [e for e in entries(wb, MEETINGS) if e.get("date") == date and e.get("mentor") == mentor.name]
    ideas: list[str] = []
    questions: list[str] = []
    for entry in same_day:
        updates += entry.get("updates") or []
        ideas += entry.get("ideas") or []
        questions += entry.get("questions") or []
    return updates, ideas, questions


def make_agenda(wb: Workbook, mentor_name: str, date: dt.date) -> Agenda:
    """Everything the one-page agenda for the meeting with ``mentor_name`` on ``date`` shows.

    Only meetings before ``date`` count as history. A meeting already logged for that
    date (for example one written ahead with questions) lends its updates, ideas and
    questions to the agenda.
    """
    mentor = find_mentor(wb, mentor_name)
    agreement = agreement_for(wb, mentor.name)
    history = [m for m in wb.meetings if m.mentor == mentor.name and m.date < date]
    last = max(history, key=lambda m: m.date) if history else None
    notices: list[str] = []
    _ = wb.language.gettext
    if mentor.concluded:
        notices.append(_("The relationship with %(mentor)s is concluded (see practice 5).") % {"mentor": mentor.name})
    if agreement is None:
        notices.append(_("There is no agreement with %(mentor)s yet: agree on purpose, rhythm and agenda "
                         "format at this meeting (practice 3).") % {"mentor": mentor.name})
    topics_format, topics, rotation = _topics(wb, mentor, agreement, history)
    carried = tuple(CarriedItem(i, i.overdue(date)) for i in open_items(history))
    updates, ideas, questions = _from_the_trainee(wb, mentor, last, history, date)
    horizon = date + GOALS_AHEAD
    due = sorted((g for g in wb.goals if not g.done and g.target_date and g.target_date <= horizon),
                 key=lambda g: g.target_date)
    goals_due = tuple((g, g.target_date < date) for g in due[:MAX_GOALS_DUE])
    series = rhythm(agreement) if agreement else None
    suggested = next_meeting_after(series, date) if series and not mentor.concluded else None
    if agreement and agreement.review_date and not mentor.concluded \
            and agreement.review_date <= (suggested or horizon):  # due for review before the next meeting
        notices.append(_("The agreement is due for review on %(date)s: look back at its goals together.")
                       % {"date": wb.language.date(agreement.review_date)})
    return Agenda(
        trainee=wb.trainee,
        mentor=mentor,
        agreement=agreement,
        date=date,
        topics_format=topics_format,
        topics=tuple(topics),
        rotation=rotation,
        last_meeting=last,
        updates=tuple(dict.fromkeys(updates)),
        ideas=tuple(ideas),
        questions=tuple(questions),
        action_items=carried,
        goals_due=goals_due,
        goals_horizon=horizon,
        rhythm=series,
        suggested_next=suggested,
        notices=tuple(notices),
        language=wb.language,
    )
