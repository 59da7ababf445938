"""``mentorbook init``: start a program's project."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import CONTEXT


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a program project in DIRECTORY, ready to build.

    It holds mentorbook.yml (name, logo, colours, page size, footer, contact,
    which practices and pages appear), pages/ for extra Markdown pages,
    worksheets/ for extra or replacement worksheets, templates/ for template
    overrides and assets/ for the logo. Existing files are never overwritten.
    """
    from .errors import OutputError
    import shutil

    from .paths import SCAFFOLD_DIR
    from .project import PROJECT_FOLDERS

    files = sorted(p for p in SCAFFOLD_DIR.rglob("*") if p.is_file())
    clashes = [directory / p.relative_to(SCAFFOLD_DIR) for p in files
               if (directory / p.relative_to(SCAFFOLD_DIR)).exists()]
    if clashes:
        raise OutputError(f"not overwriting {', '.join(map(str, clashes[:3]))}"
                          f"{' and more' if len(clashes) > 3 else ''}: choose an empty or new folder")
    for source in files:
        target = directory / source.relative_to(SCAFFOLD_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for folder in PROJECT_FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
    click.echo(f"Created a mentorbook project in {directory}:")
    for source in files:
        click.echo(f"  {source.relative_to(SCAFFOLD_DIR)}")
    click.echo(f"\nNext: cd {directory} && mentorbook build   (or: mentorbook serve)")


def register(group: click.Group) -> None:
    group.add_command(init)
