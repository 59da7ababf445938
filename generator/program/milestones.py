"""A program's milestones (``milestones:`` in mentorbook.yml), relative to a trainee's start.

    milestones:
      - {title: A self-reflection, by: week 4, done: self-reflection}
      - {title: An agreement, by: week 8, done: agreement}
      - {title: A meeting every month, every: month, done: meeting}
      - {title: A review, by: month 6, done: review}

Each is judged against a workbook on a day: met, due (not yet, the date is ahead) or
late (the date has passed). A recurring one is late when the last whole period had
none, met when the current period has one, else due.

A ``mentor`` milestone is met by a mentor the trainee has, concluded or not: one of their
own or the roster's on the mentor map, unless their first meeting is still ahead. An
entry the program's directory suggests (``found_via: program``) counts only once they
have met (a first meeting) or agreed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from msgspec import Struct

from ..base.i18n import N_
from ..base.patterns import LazyPattern
from .options import Context, Invalid, OneOf, Schema, Text
from .roles import PROGRAM

KINDS = {
    "self-reflection": "a goal in the self-reflection",
    "mentor": "a mentor the trainee has on the mentor map (not one the program only suggests)",
    "agreement": "a mentoring agreement",
    "meeting": "a meeting in the log",
    "review": "a refine-or-conclude review",
}
UNITS = ("week", "month")
_WHEN = LazyPattern(r"^(week|month)\s+(\d{1,3})$")


class Milestone(Struct, frozen=True):
    """One milestone a program expects of its trainees."""

    title: str
    done: str  # one of KINDS
    count: int = 0  # "week 4": 4 weeks after the start
    unit: str = "week"
    every: str = ""  # "week" or "month": recurring


class MilestoneStatus(Struct, frozen=True):
    """Where a trainee stands on one milestone on a given day."""

    title: str
    due: dt.date | None  # the date it is due (for a recurring one, the end of the current period)
    status: str  # met | due | late


class When(Text):
    """``week N`` or ``month N``: how long after the trainee's start a milestone is due."""

    def clean(self, value: Any, context: Context, where: str) -> tuple[int, str]:
        match = _WHEN.match(super().clean(value, context, where))
        if not match:
            raise Invalid(NEEDS_WHEN)
        return int(match.group(2)), match.group(1)


NEEDS_WHEN = N_("a milestone needs 'by' (e.g. week 4, month 6) or 'every' (week or month)")


class MilestoneEntry(Schema):
    """One milestone of ``milestones:`` in mentorbook.yml."""

    shape = N_("a milestone is a mapping of title, by or every, and done")
    allowed = N_("allowed: %(keys)s")
    example = "e.g. - {title: An agreement, by: week 8, done: agreement}"

    title = Text("what the trainee should have done, as the report and the home page show it", required=True,
                 missing=N_("a milestone needs a 'title'"))
    by = When("when it is due: week N or month N after the trainee's start date")
    every = OneOf("week or month: the milestone recurs (a meeting every month)", values=UNITS,
                  message=N_("'every' is week or month"))
    done = OneOf("what meets it: " + ", ".join(KINDS), values=tuple(KINDS), required=True,
                 message=N_("'done' is one of: %(values)s"), hint=N_("what it takes to reach the milestone"),
                 missing=N_("'done' is one of: %(values)s"))

    @classmethod
    def check(cls, values: dict[str, Any], data: dict, context: Context, where: str) -> bool:
        if values["by"] is None and not values["every"]:
            if "by" not in data and "every" not in data:  # a wrong 'by' or 'every' is reported already
                context.report(data, next(iter(data)), f"{where}.by", NEEDS_WHEN, at_value=False)
            return False
        return True


def milestone(values: dict[str, Any]) -> Milestone:
    """A milestone from the values MilestoneEntry read."""
    count, unit = values["by"] or (0, "week")
    return Milestone(values["title"], values["done"], count, unit, every=values["every"])


def add(start: dt.date, count: int, unit: str) -> dt.date:
    if unit == "week":
        return start + dt.timedelta(weeks=count)
    month = start.month - 1 + count
    year, month = start.year + month // 12, month % 12 + 1
    for day in (start.day, 30, 29, 28):  # the 31st of a shorter month: its last day
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def done_dates(workbook: Any, kind: str) -> list[dt.date | None]:
    """When each thing that meets a milestone of ``kind`` was done (None: no date known)."""
    if kind == "self-reflection":
        return [None] if workbook.goals else []
    if kind == "mentor":
        return [m.first_meeting for m in workbook.mentors if _has_mentor(m, workbook.today)]
    if kind == "agreement":
        return [a.start_date for a in workbook.agreements]
    if kind == "meeting":
        return [m.date for m in workbook.meetings if m.date <= workbook.today]
    return [r.date for r in workbook.reviews]


def _has_mentor(mentor: Any, today: dt.date) -> bool:
    """A mentor the trainee has: met (not later than ``today``), or undated but their own,
    assigned or agreed with. An entry the program suggested and nobody has met is not one."""
    if mentor.first_meeting is not None:
        return mentor.first_meeting <= today
    return mentor.found_via != PROGRAM or mentor.has_agreement


def judge(milestones: tuple[Milestone, ...], workbook: Any, start: dt.date | None) -> tuple[MilestoneStatus, ...]:
    """Each milestone as met, due or late on ``workbook.today``; nothing without a start date."""
    if start is None:
        return ()
    today = workbook.today
    out = []
    for m in milestones:
        dates = done_dates(workbook, m.done)
        if not m.every:
            due = add(start, m.count, m.unit)
            status = "met" if dates else ("late" if due < today else "due")
            out.append(MilestoneStatus(m.title, due, status))
            continue
        k = 0  # the period holding today: [add(start, k), add(start, k + 1))
        while add(start, k + 1, m.every) <= today:
            k += 1
        current = (add(start, k, m.every), add(start, k + 1, m.every))
        previous = (add(start, k - 1, m.every), current[0]) if k else None

        def within(period: tuple[dt.date, dt.date], dates=dates) -> bool:
            return any(d is not None and period[0] <= d < period[1] for d in dates)

        if today < start:
            status = "due"
        elif previous and not within(previous):
            status = "late"
        else:
            status = "met" if within(current) else "due"
        out.append(MilestoneStatus(m.title, current[1] - dt.timedelta(days=1), status))
    return tuple(out)
