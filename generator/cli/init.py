"""``mentorbook init``: start a program's project."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--language", "tag", metavar="TAG", default=None,
              help="The program's language, a BCP 47 tag such as es or pt-BR: set in mentorbook.yml, and the "
                   "language of this command's messages.  [default: en]")
def init(directory: Path, tag: str | None) -> None:
    """Create a program project in DIRECTORY, ready to build.

    It holds mentorbook.yml (name, logo, colours, page size, footer, contact,
    which practices and pages appear), pages/ for extra Markdown pages,
    worksheets/ for extra or replacement worksheets, templates/ for template
    overrides and assets/ for the logo. Existing files are never overwritten.
    """
    from ..base.errors import spoken
    from ..base.i18n import check_tag, language
    from ..program.project import create_project

    if tag is not None:
        tag, problem, hint = check_tag(tag)
        if problem:
            raise click.BadParameter(problem + (f" ({hint})" if hint else ""), param_hint="'--language'")
    lang = language(tag)
    with spoken(lang):
        created = create_project(directory, tag or "")
    click.echo(lang.gettext("Created a mentorbook project in %(folder)s:") % {"folder": directory})
    for name in created:
        click.echo(f"  {name}")
    click.echo("\n" + lang.gettext("Next: %(command)s   (or: mentorbook serve)")
               % {"command": f"cd {directory} && mentorbook build"})
