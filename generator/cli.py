"""The ``mentorbook`` command: a thin layer over the library API."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import click

from . import __version__
from .paths import DEFAULT_OUT_DIR

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 92}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="mentorbook")
def cli() -> None:
    """Build personal mentoring workbooks from YAML worksheets.

    mentorbook turns guidance for the five practices of managing up in mentoring
    (self-reflect, identify mentors, establish, cultivate, refine or conclude) and
    a trainee's filled-in worksheets into an HTML site and a printable PDF.

    Start with `mentorbook build` to build the bundled sample into output/.
    """


DATE = click.DateTime(formats=["%Y-%m-%d"])
today_option = click.option(
    "--today", type=DATE, default=None, metavar="YYYY-MM-DD",
    help="The date to judge due dates and gaps against.  [default: today]")

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
    help="A program's project folder (with mentorbook.yml).  [default: the current folder, if it is one]")


def resolve_project(project_dir: Path | None):
    """The program project to use: --project, else the current folder if it has mentorbook.yml."""
    from .config import find_project, load_project
    from .project import BUILTIN

    folder = project_dir or find_project(Path.cwd())
    return load_project(folder) if folder else BUILTIN


@cli.command(context_settings=CONTEXT)
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUT_DIR, show_default=True, help="Folder for the site and PDF.")
@click.option("--blank", is_flag=True,
              help="Empty worksheets with ruled lines and boxes, for filling in by hand.")
@click.option("--fillable", is_flag=True,
              help="Worksheets in the PDF become form fields to fill in with a PDF reader (see `import`).")
@click.option("--page-size", type=click.Choice(["letter", "a4"], case_sensitive=False), default=None,
              help="Paper size of the PDF.  [default: letter, or the program's]")
@today_option
@click.option("--format", "fmt", type=click.Choice(["all", "html", "pdf"]), default="all", show_default=True,
              help="Build the site (html), the PDF and its print layout (pdf), or both.")
@project_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def build(workbook: Path | None, out_dir: Path, blank: bool, fillable: bool, page_size: str | None, today,
          fmt: str, project_dir: Path | None, quiet: bool) -> None:
    """Build the HTML site and PDF workbook for WORKBOOK (a YAML file).

    Without WORKBOOK the bundled sample workbook is built; inside a program's
    project (a folder with mentorbook.yml, or --project DIR) the program's guide
    is built instead, with blank worksheets. The site goes to OUT/site/index.html
    and the PDF to OUT/workbook.pdf. Nothing is written when the input has
    errors; each is reported as FILE:LINE.
    """
    from .pipeline import BuildOptions
    from .pipeline import build as run_build

    project = resolve_project(project_dir)
    if project.root and workbook is None:
        blank = True  # a program's guide: its pages with empty worksheets

    started = time.monotonic()

    def progress(step: str) -> None:
        if not quiet:
            click.echo(f"  {step}...", err=True)

    if not quiet:
        source = workbook or "the sample workbook"
        if blank and not workbook:
            source = f"the guide of {project.branding.program or project.root}" if project.root else "a blank workbook"
        click.echo(f"Building {source}", err=True)
    result = run_build(
        BuildOptions(workbook=workbook, out_dir=out_dir, blank=blank,
                     page_size=page_size.lower() if page_size else None,
                     today=today.date() if today else None, project=project, format=fmt,
                     fillable=fillable),
        progress=progress,
    )
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    if result.up_to_date:
        if not quiet:
            click.echo(f"Up to date: nothing changed since the last build in {result.out_dir}.", err=True)
        return
    if not quiet:
        if fmt in ("all", "html"):
            click.echo(f"Site: {result.site_index}")
        if fmt in ("all", "pdf"):
            click.echo(f"PDF:  {result.pdf}")
        count = len(result.workbook.insights)
        if count:
            click.echo(f"{count} next step{'s' if count != 1 else ''} suggested for your mentoring: "
                       "see the home page, or run `mentorbook check`.", err=True)
        click.echo(f"Done in {time.monotonic() - started:.1f}s.", err=True)


# Commands kept in their own modules; each module has ``register(group)``.
COMMAND_MODULES: tuple[str, ...] = ("cli_check", "cli_between", "cli_project", "cli_preview", "cli_cohort",
                                     "cli_import")
for _name in COMMAND_MODULES:
    importlib.import_module(f".{_name}", __package__).register(cli)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status instead of exiting when called from code."""
    try:
        # without standalone mode click returns the code of an Exit raised by a command
        result = cli.main(args=argv, prog_name="mentorbook", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
