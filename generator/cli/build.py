"""``mentorbook build``: the site and the PDF workbook."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..base.paths import DEFAULT_OUT_DIR
from .options import CONTEXT, day, messages_language, page_size_option, project_option, resolve_project, today_option


@click.command(context_settings=CONTEXT)
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT_DIR, show_default=True, help="Folder for the site and PDF.")
@click.option("--blank", is_flag=True,
              help="Empty worksheets with ruled lines and boxes, for filling in by hand.")
@click.option("--fillable", is_flag=True,
              help="Worksheets in the PDF become form fields to fill in with a PDF reader (see `import`).")
@page_size_option()
@today_option
@click.option("--format", "fmt", type=click.Choice(["all", "html", "pdf"]), default="all", show_default=True,
              help="Build the site (html), the PDF and its print layout (pdf), or both.")
@project_option
@click.option("--only", metavar="ID", default=None,
              help="Build only this document of mentorbook.yml's documents, or this worksheet standing alone, "
                   "as OUT/ID.pdf.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that lay out the PDF's chapters side by side (default: one per core; "
                   "1: one process).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(workbook: Path | None, out_dir: Path, blank: bool, fillable: bool, page_size: str | None, today,
          fmt: str, project_dir: Path | None, only: str | None, jobs: int | None, quiet: bool) -> None:
    """Build the HTML site and PDF workbook for WORKBOOK (a YAML file).

    Without WORKBOOK the bundled sample workbook is built; inside a program's
    project (a folder with mentorbook.yml, or --project DIR) the program's guide
    is built instead, with blank worksheets. The site goes to OUT/site/index.html
    and the PDF to OUT/workbook.pdf; each of the project's documents (or the one
    --only names) to OUT/ID.pdf. Nothing is written when the input has errors;
    each is reported as FILE:LINE.
    """
    from ..pipeline import BuildOptions
    from ..pipeline import build as run_build

    project = resolve_project(project_dir)
    if project.root and workbook is None:
        blank = True  # a program's guide: its pages with empty worksheets
    lang = messages_language(project, workbook)
    _ = lang.gettext

    started = time.monotonic()

    def progress(step: str, **values: str) -> None:
        if not quiet:
            click.echo("  " + (_(step) % values if values else _(step)) + "...", err=True)

    if not quiet:
        click.echo(_what_is_built(_, project, workbook, blank, only), err=True)
    result = run_build(
        BuildOptions(workbook=workbook, out_dir=out_dir, blank=blank,
                     page_size=page_size.lower() if page_size else None,
                     today=day(today), project=project, format=fmt, fillable=fillable, only=only, jobs=jobs),
        progress=progress,
    )
    lang = result.workbook.language if result.workbook is not None else lang
    _ = lang.gettext
    for warning in result.warnings if not quiet else ():  # -q: errors only
        click.echo(warning.format(lang), err=True)
    if result.up_to_date:
        if not quiet:
            click.echo(_("Up to date: nothing changed since the last build in %(folder)s.")
                       % {"folder": result.out_dir}, err=True)
        return
    if not quiet:
        if fmt in ("all", "html") and only is None:
            click.echo(_("Site: %(file)s") % {"file": result.site_index})
        if fmt in ("all", "pdf") and only is None:
            click.echo(_("PDF:  %(file)s") % {"file": result.pdf})
        for document in result.documents:
            click.echo(_("PDF:  %(file)s") % {"file": document})
        count = len(result.workbook.insights)
        if count and only is None:
            click.echo(lang.ngettext("%(count)s next step suggested for your mentoring: see the home page, "
                                     "or run `mentorbook check`.",
                                     "%(count)s next steps suggested for your mentoring: see the home page, "
                                     "or run `mentorbook check`.", count) % {"count": count}, err=True)
        click.echo(_("Done in %(seconds)ss.") % {"seconds": lang.number(round(time.monotonic() - started, 1))},
                   err=True)


def _what_is_built(_, project, workbook: Path | None, blank: bool, only: str | None) -> str:
    """The first line ``build`` prints: what it builds (translated by ``_``)."""
    source = _("Building the sample workbook")
    if workbook:
        source = _("Building %(workbook)s") % {"workbook": workbook}
    elif blank:
        source = _("Building the guide of %(program)s") % {"program": project.branding.program or project.root} \
            if project.root else _("Building a blank workbook")
    if only:
        source = (_("Building the document '%(document)s' for %(workbook)s") if workbook
                  else _("Building the document '%(document)s'")) % {"document": only, "workbook": workbook}
    return source
