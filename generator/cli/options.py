"""Options and arguments that several commands share, defined once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..base.paths import DEFAULT_OUT_DIR
from ..program import PAGE_SIZES

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 92}

class _Date(click.DateTime):
    """YYYY-MM-DD within the dates mentorbook accepts (base/limits.py)."""

    def convert(self, value, param, ctx):
        from ..base.limits import date_problem

        parsed = super().convert(value, param, ctx)
        problem = date_problem(parsed.date())
        if problem:
            self.fail(problem, param, ctx)
        return parsed


DATE = _Date(formats=["%Y-%m-%d"])

today_option = click.option(
    "--today", type=DATE, default=None, metavar="YYYY-MM-DD",
    help="The date to judge due dates and gaps against.  [default: today]")

project_option = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
    help="A program's project folder (with mentorbook.yml).  [default: the current folder, if it is one]")

workbook_argument = click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))

mentor_option = click.option("-m", "--mentor", required=True, metavar="NAME",
                             help="The mentor as named in the mentor map; any unique part of the name will do.")

out_option = click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                          default=DEFAULT_OUT_DIR, show_default=True, help="Output folder.")

quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")


def page_size_option(help_text: str = "Paper size of the PDF.  [default: letter, or the program's]"):
    return click.option("--page-size", type=click.Choice(PAGE_SIZES, case_sensitive=False), default=None,
                        help=help_text)


def _stacked(*decorators):
    """One decorator applying ``decorators`` as if written one above the other, in this order."""
    def apply(command):
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def handout_options(date_help: str):
    """The arguments and options of a one-page handout (agenda, brief): WORKBOOK, --mentor, --date,
    --out, --page-size, --project and --quiet."""
    return _stacked(workbook_argument, mentor_option,
                    click.option("--date", "date", type=DATE, default=None, metavar="YYYY-MM-DD", help=date_help),
                    out_option, page_size_option(), project_option, quiet_option)


def preview_options(port_help: str, out_help: str):
    """The arguments and options of a command that serves the site as it is edited (serve, edit):
    WORKBOOK, --port, --out, --today and --project."""
    return _stacked(workbook_argument,
                    click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
                                 help=port_help),
                    click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                                 default=DEFAULT_OUT_DIR, show_default=True, help=out_help),
                    today_option, project_option)


def resolve_project(project_dir: Path | None):
    """The program project to use: --project, else the current folder if it has mentorbook.yml."""
    from ..program.config import find_project, load_project
    from ..program.project import BUILTIN

    folder = project_dir or find_project(Path.cwd())
    return load_project(folder) if folder else BUILTIN


def messages_language(project, workbook: Path | None = None):
    """The language a command speaks before it has read anything: the workbook's own
    (its ``language:``, even in a file that is broken further down), else the program's."""
    from ..core.localize import workbook_language

    return workbook_language(workbook, project)


def day(value: dt.datetime | None) -> dt.date | None:
    """The date of a --today or --date value (a click DateTime), or None."""
    return value.date() if value else None


def _scheduler(ctx, param, value):
    if value is None:
        return None
    from ..staff.executor import check_address

    problem = check_address(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


scheduler_option = click.option(
    "--scheduler", metavar="tcp://HOST:PORT", default=None, callback=_scheduler,
    help="Run the per-trainee work on the Dask cluster whose scheduler is here (needs the "
         "'cluster' extra: pip install 'mentorbook[cluster]').  [default: local processes]")


def serve_until_stopped(server, started: str, then=lambda: None) -> None:
    """Build once, say ``started``, run ``then`` (open a browser), and serve until Ctrl-C or SIGTERM
    (a service manager's stop request ends it like Ctrl-C); then close the socket and say so."""
    import signal
    import threading

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()  # signals go to the main thread
    previous = signal.signal(signal.SIGTERM, interrupt) if main_thread else None
    try:
        server.rebuild()
        click.echo(started, err=True)
        then()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
        server.httpd.server_close()
    click.echo("Stopped.", err=True)
