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
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.errors import Problem
from .roles import PROGRAM
from ..base.yamlio import key_position, value_position

KINDS = {
    "self-reflection": "a goal in the self-reflection",
    "mentor": "a mentor the trainee has on the mentor map (not one the program only suggests)",
    "agreement": "a mentoring agreement",
    "meeting": "a meeting in the log",
    "review": "a refine-or-conclude review",
}
UNITS = ("week", "month")
KEYS = ("title", "by", "every", "done")
_WHEN = re.compile(r"^(week|month)\s+(\d{1,3})$")


@dataclass(frozen=True)
class Milestone:
    title: str
    done: str  # one of KINDS
    count: int = 0  # "week 4": 4 weeks after the start
    unit: str = "week"
    every: str = ""  # "week" or "month": recurring


@dataclass(frozen=True)
class MilestoneStatus:
    title: str
    due: dt.date | None  # the date it is due (for a recurring one, the end of the current period)
    status: str  # met | due | late


def read_milestones(data: Any, path: Path, parent: Any) -> tuple[tuple[Milestone, ...], list[Problem]]:
    """``milestones`` from mentorbook.yml, each problem located."""
    problems: list[Problem] = []

    def error(container: Any, key: Any, message: str, hint: str = "", index: int | None = None) -> None:
        line, col = value_position(container, key) if isinstance(container, dict) else key_position(container, key)
        where = "milestones" + (f"[{index}]" if index is not None else "")
        if isinstance(key, str) and key != "milestones":
            where += f".{key}"
        problems.append(Problem(path, line, message, column=col, field=where, hint=hint))

    if data is None:
        return (), []
    if not isinstance(data, list):
        error(parent, "milestones", "'milestones' must be a list", hint="e.g. - {title: An agreement, by: week 8, "
                                                                          "done: agreement}")
        return (), problems
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            error(data, i, "a milestone is a mapping of title, by or every, and done", index=i)
            continue
        for key in item:
            if key not in KEYS:
                error(item, key, f"unknown key '{key}' in a milestone", hint="allowed: " + ", ".join(KEYS), index=i)
        title, done = str(item.get("title") or "").strip(), str(item.get("done") or "").strip()
        if not title:
            error(data, i, "a milestone needs a 'title'", index=i)
        if done not in KINDS:
            close = difflib.get_close_matches(done[:200], list(KINDS), n=1, cutoff=0.6) if done else []
            error(item if "done" in item else data, "done" if "done" in item else i,
                  f"'done' is one of: {', '.join(KINDS)}",
                  hint=f"did you mean '{close[0]}'?" if close else "what counts as meeting the milestone", index=i)
        every = str(item.get("every") or "").strip()
        match = _WHEN.match(str(item.get("by") or "").strip())
        if every and every not in UNITS:
            error(item, "every", "'every' is week or month", index=i)
        elif not every and not match:
            error(item if "by" in item else data, "by" if "by" in item else i,
                  "a milestone needs 'by' (e.g. week 4, month 6) or 'every' (week or month)", index=i)
        if title and done in KINDS and (every in UNITS or (not every and match)):
            out.append(Milestone(title, done, int(match.group(2)) if match else 0,
                                 match.group(1) if match else "week", every))
    return tuple(out), problems


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
    return [t.date for t in workbook.transitions]  # review


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

        def within(period: tuple[dt.date, dt.date]) -> bool:
            return any(d is not None and period[0] <= d < period[1] for d in dates)

        if today < start:
            status = "due"
        elif previous and not within(previous):
            status = "late"
        else:
            status = "met" if within(current) else "due"
        out.append(MilestoneStatus(m.title, current[1] - dt.timedelta(days=1), status))
    return tuple(out)
