"""The ``mentorbook`` command: a thin layer over the library API, one module per command.

Each command module imports only Click at the top; the pipeline is imported when a
command runs, so ``mentorbook --help`` stays fast.
"""

from __future__ import annotations

import sys

import click

from ..base.version import VERSION as __version__
from .agenda import agenda
from .brief import brief
from .build import build
from .calendar import calendar
from .check import check
from .cohort import cohort
from .edit import edit
from .import_ import import_
from .init import init
from .log import log
from .options import CONTEXT
from .report import report
from .schema import schema
from .serve import serve


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="mentorbook")
def cli() -> None:
    """Build personal mentoring workbooks from YAML worksheets.

    mentorbook turns guidance for the five practices of managing up in mentoring
    (self-reflect, identify mentors, establish, cultivate, refine or conclude) and
    a trainee's filled-in worksheets into an HTML site and a printable PDF.

    Start with `mentorbook build` to build the bundled sample into output/.
    """


for _command in (build, check, schema, agenda, brief, calendar, log, init, serve, edit, cohort, import_, report):
    cli.add_command(_command)


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
