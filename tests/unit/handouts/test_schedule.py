"""Meeting rhythms on their own: the dates an agreement's frequency, start, review date and
meeting time give, as RFC 5545 (and so every calendar program) gives them."""

from __future__ import annotations

import datetime as dt

from mentorbook.core.model import Agreement
from mentorbook.handouts.schedule import next_meeting_after, occurrences, parse_meeting_time, rhythm
from mentorbook.program.roles import FREQUENCIES

D = dt.date


def agreement(frequency: str, start: dt.date, time: str = "", review: dt.date | None = None) -> Agreement:
    return Agreement(mentor="Dr. A", period=FREQUENCIES[frequency], start_date=start, meeting_time=time,
                     review_date=review)


def test_a_meeting_time_in_words():
    when = parse_meeting_time("First Tuesday, 07:30")
    assert (when.weekday, when.ordinal, when.time) == (1, 1, dt.time(7, 30))
    when = parse_meeting_time("last thurs 4pm")
    assert (when.weekday, when.ordinal, when.time) == (3, -1, dt.time(16, 0))
    assert parse_meeting_time("whenever suits") == parse_meeting_time("")


def test_weekly_meetings_start_on_the_named_weekday():
    series = rhythm(agreement("every-2-weeks", D(2026, 9, 2), "Friday 12:00", review=D(2026, 10, 31)))
    assert list(occurrences(series)) == [D(2026, 9, 4), D(2026, 9, 18), D(2026, 10, 2), D(2026, 10, 16),
                                         D(2026, 10, 30)]


def test_monthly_meetings_on_the_first_tuesday():
    series = rhythm(agreement("monthly", D(2026, 9, 10), "First Tuesday, 07:30"))
    assert series.byday == "1TU"
    assert list(occurrences(series, 3)) == [D(2026, 10, 6), D(2026, 11, 3), D(2026, 12, 1)]


def test_monthly_on_a_weekday_keeps_the_same_week_of_the_month():
    series = rhythm(agreement("monthly", D(2026, 9, 24), "Thursday lunch"))  # the 4th Thursday
    assert series.byday == "4TH"
    assert list(occurrences(series, 2)) == [D(2026, 9, 24), D(2026, 10, 22)]


def test_a_month_without_the_day_has_no_meeting():
    series = rhythm(agreement("monthly", D(2027, 1, 31)))
    assert list(occurrences(series, 4)) == [D(2027, 1, 31), D(2027, 3, 31), D(2027, 5, 31), D(2027, 7, 31)]


def test_the_next_meeting_and_no_rhythm_without_a_start():
    series = rhythm(agreement("quarterly", D(2026, 1, 15), review=D(2026, 12, 31)))
    assert next_meeting_after(series, D(2026, 5, 1)) == D(2026, 7, 15)
    assert next_meeting_after(series, D(2026, 10, 16)) is None
    assert rhythm(Agreement(mentor="Dr. A", period=FREQUENCIES["monthly"])) is None
