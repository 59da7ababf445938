"""``mentorbook report``: a cohort's progress, from its workbooks and returned PDFs."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, day, project_option, resolve_project, scheduler_option, today_option

FORMATS = ("html", "pdf", "csv")


@click.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--roster", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="The cohort's roster (CSV or YAML): its assigned mentors count, and trainees "
                   "without a workbook are listed.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output") / "report", show_default=True, help="Folder for the report.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Write only this file of the report: report.html, report.pdf or report.csv; repeat it "
                   "for more (--format html --format csv).  [default: all three]")
@today_option
@project_option
@scheduler_option
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def report(sources: tuple[Path, ...], roster: Path | None, out_dir: Path, formats: tuple[str, ...], today,
           project_dir: Path | None, scheduler: str | None, quiet: bool) -> None:
    """Write a cohort progress report from workbooks and returned fillable PDFs.

    SOURCES are workbook files (.yml), filled-in PDFs made with --fillable, or
    folders of them. OUT gets report.html (opens from disk), report.pdf and
    report.csv (--format picks some of them): per trainee, where they are in the cycle, mentors, meetings in
    the last 90 days, open and overdue action items, SMART goals, and what needs
    attention; for the cohort, charts of trainees per practice, meetings per
    month, mentor load and overdue items. A workbook with errors is listed as
    "needs fixing". Private answers are never shown. With --scheduler, the
    sources are read on a Dask cluster (its workers need them at the same paths).

    Exit status: 0 when the report was written, 1 when it was written but a
    source needs fixing (listed in the report), 2 when the sources, the roster or
    the output folder are wrong.
    """
    from ..staff.report_build import write_report

    result, files = write_report(list(sources), out_dir, roster=roster, project=resolve_project(project_dir),
                                 today=day(today), scheduler=scheduler,
                                 formats=tuple(f for f in FORMATS if f in formats) or FORMATS)
    lang = result.language
    _, ngettext = lang.gettext, lang.ngettext
    if not quiet:
        for note in result.notes:
            click.echo(_("note: %(notice)s") % {"notice": note}, err=True)
        fixing = sum(1 for t in result.trainees if t.status == "needs fixing")
        trainees, attention, over = len(result.trainees), len(result.attention), len(result.overloaded)
        click.echo(", ".join([
            ngettext("%(count)s trainee", "%(count)s trainees", trainees) % {"count": trainees},
            ngettext("%(count)s needs attention", "%(count)s need attention", attention) % {"count": attention}
            if attention else _("none needs attention"),
            ngettext("%(count)s needs fixing", "%(count)s need fixing", fixing) % {"count": fixing}
            if fixing else _("none needs fixing"),
            (ngettext("%(count)s mentor over %(most)s trainee", "%(count)s mentors over %(most)s trainee", over)
             if result.max_load == 1 else
             ngettext("%(count)s mentor over %(most)s trainees", "%(count)s mentors over %(most)s trainees", over))
            % {"count": over, "most": result.max_load} if over else
            ngettext("no mentor over %(most)s trainee", "no mentor over %(most)s trainees", result.max_load)
            % {"most": result.max_load}]) + ".", err=True)
        click.echo(_("Report written to %(folder)s (%(files)s).")
                   % {"folder": files[0].parent, "files": ", ".join(f.name for f in files)}, err=True)
    broken = [t for t in result.trainees if t.status == "needs fixing"]
    for trainee in broken:  # located errors as the report shows them (private answers left out)
        for error in trainee.errors:
            click.echo(error, err=True)
        more = trainee.error_count - len(trainee.errors)
        if more > 0:
            click.echo(ngettext("%(file)s: %(count)s more error, in the report",
                          "%(file)s: %(count)s more errors, in the report", more)
                       % {"file": trainee.source, "count": more}, err=True)
    if broken:
        raise click.exceptions.Exit(1)  # the report is written; a script still learns a source is bad
