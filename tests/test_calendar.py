"""`mentorbook calendar`: an iCalendar file that calendar programs can import again and again."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import TODAY, write
from dateutil.rrule import rrulestr
from icalendar import Calendar

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.core.model import Agreement
from mentorbook.handouts.schedule import occurrences, parse_meeting_time, rhythm
from mentorbook.pipeline import BuildOptions, prepare

RRULES = {  # frequency -> (FREQ, INTERVAL)
    "weekly": ("WEEKLY", 1),
    "every-2-weeks": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "every-2-months": ("MONTHLY", 2),
    "quarterly": ("MONTHLY", 3),
}


def make(tmp_path, *args) -> bytes:
    path = tmp_path / "mentoring.ics"
    assert main(["calendar", *map(str, args), "-o", str(path), "-q"]) == 0
    return path.read_bytes()


@pytest.fixture(scope="module")
def workbook():
    return prepare(BuildOptions(workbook=SAMPLE_WORKBOOK, today=TODAY))


@pytest.fixture(scope="module")
def ics(tmp_path_factory) -> bytes:
    return make(tmp_path_factory.mktemp("ics"))


@pytest.fixture(scope="module")
def events(ics):
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_parses_back_with_the_library(ics):
    cal = Calendar.from_ical(ics)
    assert str(cal["VERSION"]) == "2.0" and "mentorbook" in str(cal["PRODID"])
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    for event in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            assert prop in event


def test_recurring_events_match_the_agreements(workbook, events):
    series = {str(e["SUMMARY"]).removeprefix("Mentoring meeting with "): e for e in events if "RRULE" in e}
    active = [a for a in workbook.agreements if not next(m for m in workbook.mentors if m.name == a.mentor).concluded]
    assert sorted(series) == sorted(a.mentor for a in active) == ["Dr. Priya Natarajan", "Dr. Samuel Whitcombe"]
    for agreement in active:
        event = series[agreement.mentor]
        rule = event["RRULE"]
        freq, interval = RRULES[agreement.frequency]
        assert rule["FREQ"] == [freq]
        assert rule.get("INTERVAL", [1]) == [interval]
        until = rule["UNTIL"][0]
        assert (until.date() if isinstance(until, dt.datetime) else until) == agreement.review_date
        start = event.decoded("DTSTART")
        assert (start.date() if isinstance(start, dt.datetime) else start) >= agreement.start_date
        assert str(event["LOCATION"]) == agreement.place
    whitcombe = series["Dr. Samuel Whitcombe"]
    assert whitcombe.decoded("DTSTART") == dt.datetime(2026, 4, 7, 7, 30)  # first Tuesday on/after 1 April, 07:30
    assert whitcombe["RRULE"]["BYDAY"] == ["1TU"]
    assert whitcombe.decoded("DURATION") == dt.timedelta(hours=1)
    natarajan = series["Dr. Priya Natarajan"]  # "Thursday lunch": no clock time, so all-day
    assert natarajan.decoded("DTSTART") == dt.date(2026, 5, 7)


def test_expanded_rules_give_the_agreed_dates(workbook, events):
    """What a calendar program shows (the RRULE expanded) is what mentorbook means."""
    for event in (e for e in events if "RRULE" in e):
        mentor = str(event["SUMMARY"]).removeprefix("Mentoring meeting with ")
        agreement = next(a for a in workbook.agreements if a.mentor == mentor)
        start = event.decoded("DTSTART")
        expanded = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start if isinstance(start, dt.datetime)
                            else dt.datetime.combine(start, dt.time()))
        shown = [d.date() for d in expanded]
        assert shown == list(occurrences(rhythm(agreement)))
        assert all(agreement.start_date <= d <= agreement.review_date for d in shown)


def test_concluded_relationships_have_no_recurring_meetings(events):
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    assert "Feldman" not in summaries and "Greaves" not in summaries


def test_planned_meetings_action_items_and_goals(workbook, events):
    by_summary = {}
    for event in events:
        by_summary.setdefault(str(event["SUMMARY"]), []).append(event)
    # the next meeting planned with Dr. Whitcombe falls on the agreed rhythm: it refines that occurrence
    whitcombe = by_summary["Mentoring meeting with Dr. Samuel Whitcombe"]
    override = next(e for e in whitcombe if "RECURRENCE-ID" in e)
    assert override.decoded("RECURRENCE-ID") == dt.datetime(2026, 12, 1, 7, 30)
    assert str(override["UID"]) == str(next(e for e in whitcombe if "RRULE" in e)["UID"])
    # Dr. Natarajan's planned date is off the rhythm: an event of its own
    planned = [e for e in by_summary["Mentoring meeting with Dr. Priya Natarajan"] if "RRULE" not in e]
    assert [e.decoded("DTSTART") for e in planned] == [dt.date(2026, 10, 22)]
    due = {s.removeprefix("Due: "): e[0].decoded("DTSTART") for s, e in by_summary.items() if s.startswith("Due: ")}
    assert due == {i.task: i.due for i in workbook.open_action_items}
    assert "Send the case report outline" not in due  # done
    goals = {s.removeprefix("Goal: ") for s in by_summary if s.startswith("Goal: ")}
    assert goals == {g.title for g in workbook.goals if not g.done}


def test_two_builds_are_identical(tmp_path, ics, events):
    again = make(tmp_path)
    assert again == ics
    uids = [str(e["UID"]) for e in events if "RECURRENCE-ID" not in e]
    assert len(uids) == len(set(uids))
    assert all(uid.endswith("@mentorbook") for uid in uids)


def test_uids_survive_changed_dates(tmp_path, ics):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8")
    moved = text.replace("due: 2026-12-15", "due: 2026-12-22").replace("start_date: 2026-04-01",
                                                                         "start_date: 2026-04-02")
    changed = make(tmp_path, write(tmp_path, "moved.yml", moved))
    assert changed != ics

    def uids(data):
        return {str(e["SUMMARY"]): str(e["UID"]) for e in Calendar.from_ical(data).walk("VEVENT")
                if "RECURRENCE-ID" not in e}

    assert uids(changed) == uids(ics)


def test_every_frequency_maps_to_its_rule():
    from mentorbook.handouts.calendar import rrule_for

    for frequency, (freq, interval) in RRULES.items():
        agreement = Agreement(mentor="M", frequency=frequency, meeting_time="Monday 16:00",
                              start_date=dt.date(2026, 1, 1), review_date=dt.date(2027, 1, 1))
        rule = rrule_for(rhythm(agreement))
        assert rule["FREQ"] == freq and rule.get("INTERVAL", 1) == interval
        assert rule["UNTIL"] == dt.datetime(2027, 1, 1, 16, 0)
    assert rhythm(Agreement(mentor="M", frequency="monthly")) is None  # no start date
    assert rhythm(Agreement(mentor="M", start_date=dt.date(2026, 1, 1))) is None  # no frequency


def test_meeting_times_in_words():
    assert parse_meeting_time("First Tuesday, 07:30") == parse_meeting_time("1st tue 7:30 am")
    when = parse_meeting_time("last Friday of the month, 4pm")
    assert (when.weekday, when.ordinal, when.time) == (4, -1, dt.time(16, 0))
    assert parse_meeting_time("After morning report").time is None
    assert parse_meeting_time("Mondays 12.15").time == dt.time(12, 15)


def test_standard_output_and_agreements_without_rhythm(tmp_path, capsys):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8").replace("    frequency: every-2-months\n", "")
    path = write(tmp_path, "no-frequency.yml", text)
    assert main(["calendar", str(path), "-o", str(tmp_path / "c.ics")]) == 0
    err = capsys.readouterr().err
    assert "no recurring meetings with Dr. Priya Natarajan" in err
    assert main(["calendar", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCALENDAR") and Calendar.from_ical(out.encode())
