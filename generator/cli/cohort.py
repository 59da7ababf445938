"""``mentorbook cohort``: workbooks for every trainee on a roster."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import CONTEXT, day, page_size_option, project_option, resolve_project, scheduler_option, today_option


@click.command(context_settings=CONTEXT)
@click.argument("roster", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output") / "cohort", show_default=True, help="Folder for every output.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Trainees built at once.  [default: the number of CPUs]")
@scheduler_option
@click.option("--format", "output_format", type=click.Choice(["all", "pdf", "html"]), default="all",
              show_default=True, help="What each trainee gets: a PDF and a site, or one of them.")
@click.option("--full-layout", is_flag=True,
              help="Lay out every PDF whole instead of reusing what trainees print alike (guidance, "
                   "empty worksheets, a shared mentor's entry), laid out once (slower; the same "
                   "pages).")
@click.option("--blank", is_flag=True, help="Ignore trainees' own workbooks: names and mentors only.")
@click.option("--fillable", is_flag=True,
              help="Worksheets become PDF form fields, to fill in with a PDF reader and `import` back.")
@page_size_option("Paper size.  [default: letter, or the program's]")
@today_option
@project_option
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def cohort(roster: Path, out_dir: Path, jobs: int | None, scheduler: str | None, output_format: str,
           full_layout: bool, blank: bool,
           fillable: bool, page_size: str | None, today, project_dir: Path | None, quiet: bool) -> None:
    """Build a personalized workbook for every trainee in ROSTER (CSV or YAML).

    Columns: name, role, program, start_date, mentors (separated by ';'),
    email, workbook (a path, relative to the roster, to the trainee's own
    workbook). Each trainee gets OUT/trainees/NAME.pdf and a site; OUT also
    gets cohort.pdf (every trainee starting on a right-hand page, one
    bookmark each), index.html and summary.csv. A bad row or workbook does
    not stop the others: every failure is listed and the exit status is 1.
    With --scheduler, the workbooks are built on a Dask cluster (its workers
    need mentorbook and the roster's files at the same paths).
    """
    from ..base.i18n import language
    from ..staff.cohort import build_cohort

    project = resolve_project(project_dir)
    lang = language(project.language)  # staff read the cohort's messages in the program's language
    _ = lang.gettext
    total_seen = {"bar": None}
    interactive = sys.stderr.isatty() and not quiet

    def progress(outcome, done, total):
        if interactive:
            if total_seen["bar"] is None:
                total_seen["bar"] = click.progressbar(length=total, label=_("Building workbooks"), file=sys.stderr)
                total_seen["bar"].__enter__()
            total_seen["bar"].update(1)
        elif not quiet:
            click.echo(f"[{done}/{total}] {outcome.name}: {_(outcome.status)}", err=True)

    try:
        result = build_cohort(roster, out_dir, jobs=jobs, scheduler=scheduler, shared_layout=not full_layout,
                              formats=("html", "pdf") if output_format == "all" else (output_format,), blank=blank,
                              project=project,
                              today=day(today),
                              page_size=page_size.lower() if page_size else None, fillable=fillable,
                              progress=progress)
    finally:
        if total_seen["bar"] is not None:
            total_seen["bar"].__exit__(None, None, None)
    failures = result.failures
    for outcome in failures:
        click.echo(_("%(name)s: failed") % {"name": outcome.name}, err=True)
        for problem in outcome.problems:
            click.echo(f"  {problem}", err=True)
    built = len(result.outcomes) - len(failures)
    if not quiet or failures:
        made = "index.html, summary.csv" if output_format == "html" else "index.html, cohort.pdf, summary.csv"
        click.echo(lang.ngettext("%(count)s of %(total)s workbook built in %(folder)s (%(files)s).",
                                 "%(count)s of %(total)s workbooks built in %(folder)s (%(files)s).",
                                 len(result.outcomes))
                   % {"count": built, "total": len(result.outcomes), "folder": result.out_dir, "files": made},
                   err=True)
    if failures:
        raise click.exceptions.Exit(1)

