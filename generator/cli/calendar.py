"""``mentorbook calendar``: an iCalendar file of meetings and due dates."""

from __future__ import annotations

from pathlib import Path

import click

from ..base.paths import DEFAULT_OUT_DIR
from .options import CONTEXT, project_option, quiet_option, resolve_project, workbook_argument

CALENDAR_NAME = "mentoring.ics"


@click.command(context_settings=CONTEXT)
@workbook_argument
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              default=DEFAULT_OUT_DIR / CALENDAR_NAME, show_default=True,
              help="The .ics file to write; - writes to standard output.")
@project_option
@quiet_option
def calendar(workbook: Path | None, output: Path, project_dir: Path | None, quiet: bool) -> None:
    """Write an iCalendar (.ics) file of your mentoring meetings and due dates.

    Each agreement that is not concluded becomes a recurring event (its frequency,
    time and place, from the start date to the review date); the next meeting planned
    in the log, open action items and goals become events on their dates. UIDs are
    stable, so importing the file again updates the events instead of copying them.
    """
    from ..base.writer import write_into
    from ..handouts.calendar import make_calendar
    from ..pipeline import BuildOptions, prepare

    project = resolve_project(project_dir)
    wb = prepare(BuildOptions(workbook=workbook, project=project))
    result = make_calendar(wb, project.milestones)
    if str(output) == "-":
        click.echo(result.ics.decode("utf-8"), nl=False)
        return
    folder = write_into(output.parent, {output.name: result.ics}, project.protected_dirs, project.root)
    if not quiet:
        lang = wb.language
        for note in result.notes:
            click.echo(lang.gettext("note: %(notice)s") % {"notice": note}, err=True)
        click.echo(lang.gettext("Calendar: %(file)s") % {"file": folder / output.name})
        ngettext, count = lang.ngettext, result.count
        counts = [ngettext("%(count)s recurring meeting series", "%(count)s recurring meeting series",
                           count("series")) % {"count": count("series")},
                  ngettext("%(count)s planned meeting", "%(count)s planned meetings",
                           count("meeting")) % {"count": count("meeting")},
                  ngettext("%(count)s action item", "%(count)s action items",
                           count("action")) % {"count": count("action")},
                  ngettext("%(count)s goal", "%(count)s goals", count("goal")) % {"count": count("goal")}]
        if project.milestones:
            counts.append(ngettext("%(count)s milestone", "%(count)s milestones",
                                   count("milestone")) % {"count": count("milestone")})
        click.echo(", ".join(counts) + ".", err=True)
