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
    from ..pipeline import BuildOptions, prepare
    from ..base.writer import write_into
    from ..handouts.calendar import make_calendar

    project = resolve_project(project_dir)
    result = make_calendar(prepare(BuildOptions(workbook=workbook, project=project)), project.milestones)
    if str(output) == "-":
        click.echo(result.ics.decode("utf-8"), nl=False)
        return
    folder = write_into(output.parent, {output.name: result.ics}, project.protected_dirs, project.root)
    if not quiet:
        for note in result.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(f"Calendar: {folder / output.name}")
        counts = [(result.count("series"), "recurring meeting series", "recurring meeting series"),
                  (result.count("meeting"), "planned meeting", "planned meetings"),
                  (result.count("action"), "action item", "action items"), (result.count("goal"), "goal", "goals")]
        if project.milestones:
            counts.append((result.count("milestone"), "milestone", "milestones"))
        click.echo(", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts) + ".", err=True)
