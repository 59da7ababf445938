"""``mentorbook init``: start a program's project."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a program project in DIRECTORY, ready to build.

    It holds mentorbook.yml (name, logo, colours, page size, footer, contact,
    which practices and pages appear), pages/ for extra Markdown pages,
    worksheets/ for extra or replacement worksheets, templates/ for template
    overrides and assets/ for the logo. Existing files are never overwritten.
    """
    from ..program.project import create_project

    created = create_project(directory)
    click.echo(f"Created a mentorbook project in {directory}:")
    for name in created:
        click.echo(f"  {name}")
    click.echo(f"\nNext: cd {directory} && mentorbook build   (or: mentorbook serve)")
