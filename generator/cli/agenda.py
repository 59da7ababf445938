"""``mentorbook agenda``: a one-page agenda for the next meeting with a mentor."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, day, handout_options, resolve_project


@click.command(context_settings=CONTEXT)
@handout_options("Date of the meeting.  [default: today]")
def agenda(workbook: Path | None, mentor: str, date, out_dir: Path, page_size: str | None,
           project_dir: Path | None, quiet: bool) -> None:
    """Write a one-page agenda for the next meeting with a mentor (HTML and PDF).

    Topics follow the agreement's agenda format: every fixed topic, or the next
    rotating topic in turn, balanced with projects and short- and long-term goals.
    The page also lists updates since the last meeting, open action items (overdue
    ones marked), goals due in the next eight weeks, room for questions, notes and
    new action items, and a closing block to review the items and fix the next date.

    Writes OUT/agenda/MENTOR-DATE.pdf and .html. Without WORKBOOK the bundled sample
    is used.
    """
    from ..handouts.render import write_agenda

    result = write_agenda(workbook, mentor, day(date), out_dir,
                          project=resolve_project(project_dir), page_size=page_size)
    plan, handout = result.plan, result.handout
    lang = plan.language
    _, ngettext = lang.gettext, lang.ngettext
    if not quiet:
        for notice in plan.notices:
            click.echo(_("note: %(notice)s") % {"notice": notice}, err=True)
    if not handout.fits:
        click.echo(ngettext("warning: the agenda runs to %(pages)s page; "
                            "shorten long topics or close finished action items",
                            "warning: the agenda runs to %(pages)s pages; "
                            "shorten long topics or close finished action items",
                            handout.pages) % {"pages": handout.pages}, err=True)
    if not quiet:
        click.echo(_("Agenda: %(file)s") % {"file": result.pdf})
        click.echo(_("HTML:   %(file)s") % {"file": result.html})
        topics, items = len(plan.topics), len(plan.action_items)
        counts = [ngettext("%(count)s topic", "%(count)s topics", topics) % {"count": topics},
                  ngettext("%(count)s open action item", "%(count)s open action items", items) % {"count": items}
                  if items else _("no open action items")]
        if plan.overdue_count:
            counts.append(ngettext("%(count)s overdue", "%(count)s overdue", plan.overdue_count)
                          % {"count": plan.overdue_count})
        click.echo(", ".join(counts) + ".", err=True)
