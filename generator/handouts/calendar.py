"""An iCalendar file of the mentoring rhythm and the dates that matter between meetings.

It holds, for each relationship that is not concluded, the agreed meetings as one
recurring event (RRULE from the agreement's frequency, from its start date to its
review date), the next meeting planned in the meeting log, and the due dates of open
action items and of goals not yet reached.

Every event has a UID derived from what it is (its kind, the trainee, the mentor and
the task or goal), not from when it is, so importing a rebuilt file updates events
instead of adding copies, even after a due date moves. DTSTAMP comes from the
workbook's date, so building twice gives the same bytes. Times are floating (the
wall-clock time wherever the calendar is opened), which is what "07:30" in an
agreement means.

The ``icalendar`` package is imported only when a calendar is made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from msgspec import Struct, field

from ..base.i18n import N_
from ..base.version import VERSION as __version__
from ..core.model import Workbook
from ..core.render import format_date  # noqa: F401  (importable from here)
from ..program.roles import BOTH, ME, MENTOR, SHORT_TERM
from .agenda import STATUS_NAMES, agreement_for, relationship_items, role_label
from .schedule import Rhythm, occurrences, rhythm

MEETING_LENGTH = dt.timedelta(hours=1)
PRODID = f"-//mentorbook//Mentoring calendar {__version__}//EN"


class CalendarEvent(Struct, frozen=True):
    """One VEVENT, as plain data."""

    uid: str
    kind: str  # "series", "meeting", "action", "goal"
    summary: str
    start: dt.date | dt.datetime  # a date: an all-day event
    description: str = ""
    location: str = ""
    rrule: dict[str, Any] | None = None
    recurrence_id: dt.date | dt.datetime | None = None  # this event changes one meeting of a series


class CalendarResult(Struct):
    ics: bytes
    events: list[CalendarEvent]
    notes: list[str] = field(default_factory=list)  # why a relationship has no recurring event

    def count(self, kind: str) -> int:
        return sum(1 for e in self.events if e.kind == kind)


def make_uid(*parts: str) -> str:
    """A stable UID: the same parts always give the same UID."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{digest[:32]}@mentorbook"


def _at(day: dt.date, time: dt.time | None) -> dt.date | dt.datetime:
    return dt.datetime.combine(day, time) if time else day


def rrule_for(series: Rhythm) -> dict[str, Any]:
    """The RRULE of a meeting series: FREQ, INTERVAL, BYDAY and UNTIL as they apply."""
    rule: dict[str, Any] = {"FREQ": series.unit.upper()}
    if series.interval > 1:
        rule["INTERVAL"] = series.interval
    if series.byday:
        rule["BYDAY"] = series.byday
    if series.until:
        # UNTIL has the value type of DTSTART (RFC 5545, 3.3.10); the review date is the last one
        rule["UNTIL"] = _at(series.until, series.time)
    return rule


def _series_description(wb: Workbook, mentor: str) -> str:
    agreement = agreement_for(wb, mentor)
    if agreement is None:
        return ""
    _ = wb.language.gettext
    lines = []
    if agreement.purpose:
        lines.append(agreement.purpose)
    if agreement.meeting_time:
        lines.append(_("Meeting time: %(time)s") % {"time": agreement.meeting_time})
    if agreement.agenda_topics:
        topics = role_label(wb, "agenda_topics", agreement.agenda_topics)
        if agreement.topic_list:
            topics += ": " + "; ".join(agreement.topic_list)
        lines.append(_("Agenda topics: %(topics)s") % {"topics": topics})
    if agreement.communication:
        lines.append(_("Between meetings: %(how)s") % {"how": agreement.communication})
    if agreement.review_date:
        lines.append(_("Review the agreement on %(date)s.") % {"date": wb.language.date(agreement.review_date)})
    lines.append(_("I set the agenda; we close by reviewing action items and fixing the next meeting."))
    return "\n".join(lines)


_NO_SERIES = (  # why an agreement gives no recurring meetings: no frequency, no start date, neither, unknown
    N_("no recurring meetings with %(mentor)s: the agreement has no frequency and no start date"),
    N_("no recurring meetings with %(mentor)s: the agreement has no frequency"),
    N_("no recurring meetings with %(mentor)s: the agreement has no start date"),
    N_("no recurring meetings with %(mentor)s: the agreement has no known frequency"),
)


def _series_events(wb: Workbook, events: list[CalendarEvent], notes: list[str]) -> dict[str, tuple[Rhythm, str]]:
    """A recurring event for each agreement's meeting rhythm; the rhythm and uid of each mentor's first."""
    _ = wb.language.gettext
    seen: dict[str, int] = {}
    series_of: dict[str, tuple[Rhythm, str]] = {}
    concluded = {m.name for m in wb.mentors if m.concluded}
    for agreement in (a for a in wb.agreements if a.mentor not in concluded):
        mentor = agreement.mentor
        series = rhythm(agreement)
        if series is None:
            no_frequency, no_start = agreement.frequency in ("", None), agreement.start_date is None
            why = 0 if no_frequency and no_start else 1 if no_frequency else 2 if no_start else 3
            notes.append(_(_NO_SERIES[why]) % {"mentor": mentor})
            continue
        if series.until is not None and series.until < series.start:
            notes.append(_("no recurring meetings with %(mentor)s: the review date comes before the first meeting")
                         % {"mentor": mentor})
            continue
        seen[mentor] = seen.get(mentor, 0) + 1
        uid = make_uid("series", wb.trainee.name, mentor, *([str(seen[mentor])] if seen[mentor] > 1 else []))
        series_of.setdefault(mentor, (series, uid))
        events.append(CalendarEvent(
            uid=uid, kind="series", summary=_("Mentoring meeting with %(mentor)s") % {"mentor": mentor},
            start=_at(series.start, series.time), location=agreement.place,
            description=_series_description(wb, mentor), rrule=rrule_for(series),
        ))
    return series_of


def _planned_events(wb: Workbook, series_of: dict[str, tuple[Rhythm, str]]) -> list[CalendarEvent]:
    """The next meeting each relationship's last meeting planned (an occurrence of its series, if it is one)."""
    _, day = wb.language.gettext, wb.language.date
    events = []
    for mentor in (m for m in wb.mentors if not m.concluded):
        met = [m for m in wb.meetings if m.mentor == mentor.name]
        last = max(met, key=lambda m: m.date) if met else None
        planned = last.next_meeting if last else None
        if planned is None or planned <= last.date:
            continue
        agreement = agreement_for(wb, mentor.name)
        common = {"kind": "meeting", "summary": _("Mentoring meeting with %(mentor)s") % {"mentor": mentor.name},
                  "location": agreement.place if agreement else "",
                  "description": _("Planned at the meeting on %(date)s.") % {"date": day(last.date)}}
        series, uid = series_of.get(mentor.name, (None, ""))
        start = _at(planned, series.time) if series else planned
        if series and planned in occurrences(series):  # one of the agreed meetings: describe that occurrence
            events.append(CalendarEvent(uid=uid, start=start, recurrence_id=start, **common))
        else:
            events.append(CalendarEvent(uid=make_uid("meeting", wb.trainee.name, mentor.name, planned.isoformat()),
                                        start=start, **common))
    return events


def _action_events(wb: Workbook) -> list[CalendarEvent]:
    """Each open action item with a due date."""
    _, day = wb.language.gettext, wb.language.date
    items = []
    for mentor in wb.mentors:
        items += [i for i in relationship_items([m for m in wb.meetings if m.mentor == mentor.name])
                  if i.open and i.due]
    events = []
    for item in sorted(items, key=lambda i: (i.due, i.mentor, i.task)):
        who = {ME: _("me"), MENTOR: item.mentor,
               BOTH: _("me and %(mentor)s") % {"mentor": item.mentor}}.get(item.owner, item.owner)
        events.append(CalendarEvent(
            uid=make_uid("action", wb.trainee.name, item.mentor, " ".join(item.task.split()).casefold()),
            kind="action", summary=_("Due: %(task)s") % {"task": item.task}, start=item.due,
            description=_("Action item from the meeting with %(mentor)s on %(date)s. Owner: %(owner)s.")
            % {"mentor": item.mentor, "date": day(item.meeting_date), "owner": who},
        ))
    return events


def _goal_events(wb: Workbook) -> list[CalendarEvent]:
    """Each open goal with a target date."""
    _ = wb.language.gettext
    events = []
    for goal in sorted((g for g in wb.goals if not g.done and g.target_date), key=lambda g: (g.target_date, g.title)):
        term = _("Short-term goal") if goal.term == SHORT_TERM else _("Long-term goal")
        status = _(STATUS_NAMES[goal.status]) if goal.status in STATUS_NAMES else goal.status.replace("-", " ")
        details = [f"{term} ({status})."]
        if goal.measurable:
            details.append(_("Done when: %(measure)s") % {"measure": goal.measurable})
        if goal.time_bound:
            details.append(_("Milestones: %(milestones)s") % {"milestones": goal.time_bound})
        events.append(CalendarEvent(
            uid=make_uid("goal", wb.trainee.name, " ".join(goal.title.split()).casefold()), kind="goal",
            summary=_("Goal: %(goal)s") % {"goal": goal.title}, start=goal.target_date, description="\n".join(details),
        ))
    return events


def calendar_events(wb: Workbook) -> tuple[list[CalendarEvent], list[str]]:
    """The events of the calendar in a fixed order, and notes on what was left out."""
    events: list[CalendarEvent] = []
    notes: list[str] = []
    series_of = _series_events(wb, events, notes)
    events += _planned_events(wb, series_of) + _action_events(wb) + _goal_events(wb)
    return events, notes


def milestone_events(wb: Workbook, milestones: tuple = ()) -> list[CalendarEvent]:
    """The program's milestones (core.milestones) on their dates from the trainee's start."""
    from ..program.milestones import judge

    _ = wb.language.gettext
    return [CalendarEvent(uid=make_uid("milestone", wb.trainee.name, m.title.casefold()), kind="milestone",
                          summary=_("Milestone: %(title)s (%(status)s)") % {"title": m.title, "status": m.status},
                          start=m.due,
                          description=_("A milestone of the program, %(status)s as of %(date)s.")
                          % {"status": m.status, "date": wb.language.date(wb.today)})
            for m in judge(milestones, wb, wb.trainee.start_date)]


def make_calendar(wb: Workbook, milestones: tuple = ()) -> CalendarResult:
    """The workbook's calendar as iCalendar bytes; ``milestones``: the program's (core.milestones)."""
    from icalendar import Calendar, Event

    events, notes = calendar_events(wb)
    events += milestone_events(wb, milestones)
    stamp = dt.datetime.combine(wb.date, dt.time(12, 0), dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    _ = wb.language.gettext
    cal.add("x-wr-calname", _("Mentoring: %(name)s") % {"name": wb.trainee.name} if wb.trainee.name else _("Mentoring"))
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        if isinstance(item.start, dt.datetime):
            event.add("duration", MEETING_LENGTH)
        else:
            event.add("dtend", item.start + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")  # an all-day entry does not make the whole day busy
        if item.recurrence_id is not None:
            event.add("recurrence-id", item.recurrence_id)
        if item.rrule:
            event.add("rrule", item.rrule)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("categories", [_("Mentoring")])
        cal.add_component(event)
    return CalendarResult(ics=cal.to_ical(), events=events, notes=notes)
