"""Meeting rhythm: when an agreement's meetings fall.

An agreement says how often a pair meets (``frequency``), from when to when
(``start_date`` to ``review_date``) and, in its own words, at what time
(``meeting_time``: "First Tuesday, 07:30", "Thursday lunch"). This module reads those
into a :class:`Rhythm` and lists the dates it gives. The calendar turns a rhythm into
an RRULE; the agenda uses it to suggest the next meeting date. The date arithmetic
follows RFC 5545, so the dates listed here are the dates a calendar program shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from dateutil.rrule import weekdays as WEEKDAYS
from msgspec import Struct

from ..core.model import Agreement

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_WEEKDAY_RE = re.compile(r"\b(?:(" + "|".join(_ORDINALS) + r")\s+)?(" + "|".join(sorted(_WEEKDAYS, key=len,
                         reverse=True)) + r")s?\b\.?", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\b([01]?\d|2[0-3])[:.h]([0-5]\d)\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_HOUR_RE = re.compile(r"\b(1[0-2]|0?[1-9])\s*(am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
MAX_OCCURRENCES = 1000  # a rhythm without an end is cut here


class MeetingTime(Struct, frozen=True):
    """What could be read from a free-text meeting time."""

    time: dt.time | None = None
    weekday: int | None = None  # 0 = Monday
    ordinal: int | None = None  # 1-4, or -1 for "last"; only together with a weekday


class Rhythm(Struct, frozen=True):
    """A regular series of meetings, anchored on its first meeting."""

    unit: str  # "weekly" or "monthly"
    interval: int
    start: dt.date  # the first meeting of the series
    until: dt.date | None = None
    time: dt.time | None = None
    weekday: int | None = None
    ordinal: int | None = None  # monthly series on "the first Tuesday" and the like

    @property
    def byday(self) -> str:
        """The RRULE BYDAY value ("TU", "1TU", "-1TH"), or "" when the day is not fixed."""
        if self.weekday is None:
            return ""
        code = WEEKDAY_CODES[self.weekday]
        return f"{self.ordinal}{code}" if self.unit == "monthly" and self.ordinal else code


def _meridiem(hour: int, suffix: str | None) -> int:
    suffix = (suffix or "").replace(".", "").lower()
    if suffix == "pm" and hour < 12:
        return hour + 12
    if suffix == "am" and hour == 12:
        return 0
    return hour


def parse_meeting_time(text: str) -> MeetingTime:
    """Read a weekday, an ordinal ("first", "last") and a clock time from free text."""
    text = text or ""
    time = None
    clock = _CLOCK_RE.search(text)
    if clock:
        time = dt.time(_meridiem(int(clock.group(1)), clock.group(3)), int(clock.group(2)))
    else:
        hour = _HOUR_RE.search(text)
        if hour:
            time = dt.time(_meridiem(int(hour.group(1)), hour.group(2)), 0)
    weekday = ordinal = None
    day = _WEEKDAY_RE.search(text)
    if day:
        weekday = _WEEKDAYS[day.group(2).lower()]
        ordinal = _ORDINALS[day.group(1).lower()] if day.group(1) else None
    return MeetingTime(time, weekday, ordinal)


def _rule(unit: str, interval: int, start: dt.date, weekday: int | None = None, ordinal: int | None = None,
          until: dt.date | None = None, count: int | None = None) -> rrule:
    """The RFC 5545 recurrence (dateutil's rrule) of meetings from ``start``: every
    ``interval`` weeks or months, on a weekday (the ``ordinal``-th of the month) if given."""
    byweekday = None
    if weekday is not None and (unit == "weekly" or ordinal is not None):
        byweekday = WEEKDAYS[weekday](ordinal) if unit == "monthly" and ordinal else WEEKDAYS[weekday]
    return rrule(WEEKLY if unit == "weekly" else MONTHLY, interval=interval,
                 dtstart=dt.datetime.combine(start, dt.time()), byweekday=byweekday,
                 until=dt.datetime.combine(until, dt.time()) if until else None, count=count)


def rhythm(agreement: Agreement) -> Rhythm | None:
    """The agreement's meeting series, or None without a known frequency and start date."""
    if agreement.period is None or agreement.start_date is None:
        return None
    unit, interval = agreement.period.unit, agreement.period.interval
    when = parse_meeting_time(agreement.meeting_time)
    start = agreement.start_date
    weekday, ordinal = when.weekday, None
    if weekday is not None:
        if unit == "monthly":
            ordinal = when.ordinal
            if ordinal is None:  # "Thursday lunch", monthly: the same Thursday of the month as the first one
                first = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
                ordinal = (first.day - 1) // 7 + 1
                ordinal = -1 if ordinal == 5 else ordinal
        start = _rule(unit, 1, start, weekday, ordinal, count=1)[0].date()  # the first such day from the start
    return Rhythm(unit=unit, interval=interval, start=start, until=agreement.review_date, time=when.time,
                  weekday=weekday, ordinal=ordinal)


def occurrences(series: Rhythm, limit: int = MAX_OCCURRENCES) -> Iterator[dt.date]:
    """Meeting dates in order, from the first to ``until`` (at most ``limit`` of them). As
    RFC 5545 says, a month without the start's day of the month has no meeting."""
    rule = _rule(series.unit, series.interval, series.start, series.weekday, series.ordinal, series.until)
    return (moment.date() for moment in itertools.islice(rule, limit))


def next_meeting_after(series: Rhythm, day: dt.date) -> dt.date | None:
    """The first meeting of the series after ``day``, if the series has one."""
    return next((d for d in occurrences(series) if d > day), None)
