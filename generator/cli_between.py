"""Commands for between meetings: ``agenda``, ``brief``, ``calendar`` and ``log``.

Each reads and checks the workbook like ``build`` does (nothing is written when it
has errors), then makes one thing: a one-page agenda, a one-page brief for a mentor,
an iCalendar file, or a new meeting entry in the workbook itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .cli import CONTEXT, DATE
from .paths import DEFAULT_OUT_DIR

CALENDAR_NAME = "mentoring.ics"

workbook_argument = click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
mentor_option = click.option("-m", "--mentor", required=True, metavar="NAME",
                             help="The mentor as named in the mentor map; any unique part of the name will do.")
out_option = click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                          default=DEFAULT_OUT_DIR, show_default=True, help="Output folder.")
page_size_option = click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False),
                                default="letter", show_default=True, help="Paper size of the PDF.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")


def _date(value: dt.datetime | None) -> dt.date:
    from .pipeline import build_date

    return build_date(value.date() if value else None)


def _load(workbook: Path | None, today: dt.date):
    from .pipeline import BuildOptions, prepare

    return prepare(BuildOptions(workbook=workbook, today=today))


def _write(out_dir: Path, files: dict[str, str | bytes]) -> list[Path]:
    from .writer import Writer, check_out_dir

    folder = check_out_dir(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return Writer(folder).write_all(files)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.command(context_settings=CONTEXT)
@workbook_argument
@mentor_option
@click.option("--date", "date", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Date of the meeting.  [default: today]")
@out_option
@page_size_option
@quiet_option
def agenda(workbook: Path | None, mentor: str, date: dt.datetime | None, out_dir: Path, page_size: str,
           quiet: bool) -> None:
    """Write a one-page agenda for the next meeting with a mentor (HTML and PDF).

    Topics follow the agreement's agenda format: every fixed topic, or the next
    rotating topic in turn, balanced with projects and short- and long-term goals.
    The page also lists updates since the last meeting, open action items (overdue
    ones marked), goals due in the next eight weeks, room for questions, notes and
    new action items, and a closing block to review the items and fix the next date.

    Writes OUT/agenda/MENTOR-DATE.pdf and .html. Without WORKBOOK the bundled sample
    is used.
    """
    from .agenda import make_agenda, slug
    from .handouts import font_assets, render_agenda

    day = _date(date)
    wb = _load(workbook, day)
    plan = make_agenda(wb, mentor, day)
    handout = render_agenda(plan, page_size.lower())
    stem = f"agenda/{slug(plan.mentor.name)}-{day.isoformat()}"
    written = _write(out_dir, {f"{stem}.pdf": handout.pdf, f"{stem}.html": handout.html, **font_assets()})
    if not quiet:
        for notice in plan.notices:
            click.echo(f"note: {notice}", err=True)
    if not handout.fits:
        _warn(f"the agenda runs to {handout.pages} pages; shorten long topics or close finished action items")
    if not quiet:
        click.echo(f"Agenda: {written[0]}")
        click.echo(f"HTML:   {written[1]}")
        overdue = f", {plan.overdue_count} overdue" if plan.overdue_count else ""
        click.echo(f"{len(plan.topics)} topics, {len(plan.action_items)} open action items{overdue}.", err=True)


@click.command(context_settings=CONTEXT)
@workbook_argument
@mentor_option
@click.option("--date", "date", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Date printed on the brief.  [default: today]")
@out_option
@page_size_option
@quiet_option
def brief(workbook: Path | None, mentor: str, date: dt.datetime | None, out_dir: Path, page_size: str,
          quiet: bool) -> None:
    """Write a one-page "about me" brief for a prospective or new mentor (PDF and HTML).

    For a first meeting (practices 2 and 3): background, values, work style, what you
    hope this mentor helps with, your goals, and the logistics you propose (or those
    of your agreement, once there is one). Writes OUT/brief/MENTOR.pdf and .html.
    """
    from .agenda import slug
    from .brief import make_brief
    from .handouts import font_assets, render_brief

    day = _date(date)
    wb = _load(workbook, day)
    about = make_brief(wb, mentor, day)
    handout = render_brief(about, page_size.lower())
    stem = f"brief/{slug(about.mentor.name)}"
    written = _write(out_dir, {f"{stem}.pdf": handout.pdf, f"{stem}.html": handout.html, **font_assets()})
    if not handout.fits:
        _warn(f"the brief runs to {handout.pages} pages; shorten the longer answers in your self-reflection")
    if not quiet:
        click.echo(f"Brief: {written[0]}")
        click.echo(f"HTML:  {written[1]}")


@click.command(context_settings=CONTEXT)
@workbook_argument
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=DEFAULT_OUT_DIR / CALENDAR_NAME, show_default=True,
              help="The .ics file to write; - writes to standard output.")
@quiet_option
def calendar(workbook: Path | None, output: Path, quiet: bool) -> None:
    """Write an iCalendar (.ics) file of your mentoring meetings and due dates.

    Each agreement that is not concluded becomes a recurring event (its frequency,
    time and place, from the start date to the review date); the next meeting planned
    in the log, open action items and goals become events on their dates. UIDs are
    stable, so importing the file again updates the events instead of copying them.
    """
    from .calendar_ics import make_calendar

    wb = _load(workbook, _date(None))
    result = make_calendar(wb)
    if str(output) == "-":
        click.echo(result.ics.decode("utf-8"), nl=False)
        return
    written = _write(output.parent, {output.name: result.ics})
    if not quiet:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(f"Calendar: {written[0]}")
        counts = [(result.count("series"), "recurring meeting series", "recurring meeting series"),
                  (result.count("meeting"), "planned meeting", "planned meetings"),
                  (result.count("action"), "action item", "action items"), (result.count("goal"), "goal", "goals")]
        click.echo(", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts) + ".", err=True)


@click.command(context_settings=CONTEXT)
@workbook_argument
@mentor_option
@click.option("--date", "date", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Date of the meeting.  [default: today]")
@click.option("-n", "--dry-run", is_flag=True, help="Print the entry instead of adding it.")
@quiet_option
def log(workbook: Path | None, mentor: str, date: dt.datetime | None, dry_run: bool, quiet: bool) -> None:
    """Add a meeting entry to WORKBOOK, pre-filled from the agenda.

    The entry has the date, the mentor, the agenda's topics and the open action items
    carried forward; updates, questions and notes are left for you to fill in. The
    rest of the file is left exactly as it was, comments and order included. The
    bundled sample is never changed (copy it first); --dry-run shows the entry.
    """
    from .agenda import make_agenda
    from .meeting_log import append_meeting
    from .paths import SAMPLE_WORKBOOK

    day = _date(date)
    path = workbook or SAMPLE_WORKBOOK
    wb = _load(workbook, day)
    plan = make_agenda(wb, mentor, day)
    result = append_meeting(path, plan, dry_run=dry_run)
    if dry_run:
        click.echo(result.text, nl=False)
        return
    if not quiet:
        for notice in plan.notices:
            click.echo(f"note: {notice}", err=True)
        click.echo(f"Logged: {path}:{result.line}: meeting with {plan.mentor.name} on {day.isoformat()}")
        click.echo(f"{len(plan.topics)} agenda topics, {len(plan.action_items)} action items carried forward. "
                   "Fill in updates, questions, notes and new action items, then run `mentorbook check`.", err=True)


def register(group: click.Group) -> None:
    for command in (agenda, brief, calendar, log):
        group.add_command(command)
