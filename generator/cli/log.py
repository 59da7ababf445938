"""``mentorbook log``: add a pre-filled meeting entry to a workbook."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, DATE, day, mentor_option, project_option, quiet_option, resolve_project, workbook_argument


@click.command(context_settings=CONTEXT)
@workbook_argument
@mentor_option
@click.option("--date", "date", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Date of the meeting.  [default: today]")
@click.option("-n", "--dry-run", is_flag=True, help="Print the entry instead of adding it.")
@project_option
@quiet_option
def log(workbook: Path | None, mentor: str, date, dry_run: bool, project_dir: Path | None, quiet: bool) -> None:
    """Add a meeting entry to WORKBOOK, pre-filled from the agenda.

    The entry has the date, the mentor, the agenda's topics and the open action items
    carried forward; updates, questions and notes are left for you to fill in. The
    rest of the file is left exactly as it was, comments and order included. The
    bundled sample is never changed (copy it first); --dry-run shows the entry.
    """
    from ..base.errors import spoken
    from ..handouts.log import log_meeting
    from .options import messages_language

    project = resolve_project(project_dir)
    with spoken(messages_language(project, workbook)):  # the workbook's language, else the program's
        result = log_meeting(workbook, mentor, day(date), project=project, dry_run=dry_run)
    if dry_run:
        click.echo(result.text, nl=False)
        return
    plan = result.plan
    if not quiet:
        lang = plan.language
        _, ngettext = lang.gettext, lang.ngettext
        for notice in plan.notices:
            click.echo(_("note: %(notice)s") % {"notice": notice}, err=True)
        click.echo(_("Logged: %(where)s: meeting with %(mentor)s on %(date)s")
                   % {"where": f"{result.path}:{result.line}", "mentor": plan.mentor.name,
                      "date": plan.date.isoformat()})
        topics, items = len(plan.topics), len(plan.action_items)
        click.echo(ngettext("%(count)s agenda topic", "%(count)s agenda topics", topics) % {"count": topics} + ", "
                   + (ngettext("%(count)s action item carried forward.", "%(count)s action items carried forward.",
                               items) % {"count": items} if items else _("no action items carried forward.")) + " "
                   + _("Fill in updates, questions, notes and new action items, then run `mentorbook check`."),
                   err=True)
