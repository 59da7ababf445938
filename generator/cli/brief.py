"""``mentorbook brief``: a one-page "about me" for a prospective or new mentor."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, day, handout_options, resolve_project


@click.command(context_settings=CONTEXT)
@handout_options("Date printed on the brief.  [default: today]")
def brief(workbook: Path | None, mentor: str, date, out_dir: Path, page_size: str | None,
          project_dir: Path | None, quiet: bool) -> None:
    """Write a one-page "about me" brief for a prospective or new mentor (PDF and HTML).

    For a first meeting (practices 2 and 3): background, values, work style, what you
    hope this mentor helps with, your goals, and the logistics you propose (or those
    of your agreement, once there is one). Writes OUT/brief/MENTOR.pdf and .html.
    """
    from ..handouts.render import write_brief

    result = write_brief(workbook, mentor, day(date), out_dir,
                         project=resolve_project(project_dir), page_size=page_size)
    lang = result.plan.language
    if not result.handout.fits:
        click.echo(lang.ngettext("warning: the brief runs to %(pages)s page; shorten the longer answers in your "
                                 "self-reflection",
                                 "warning: the brief runs to %(pages)s pages; shorten the longer answers in your "
                                 "self-reflection", result.handout.pages) % {"pages": result.handout.pages}, err=True)
    if not quiet:
        click.echo(lang.gettext("Brief: %(file)s") % {"file": result.pdf})
        click.echo(lang.gettext("HTML:  %(file)s") % {"file": result.html})
