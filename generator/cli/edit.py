"""``mentorbook edit``: fill in the workbook in the browser; the file stays the person's."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, day, preview_options, resolve_project, serve_until_stopped

DEFAULT_WORKBOOK = Path("workbook.yml")


@click.command(context_settings=CONTEXT)
@preview_options("Port on 127.0.0.1 (0 picks a free one; keep the same one to find unsaved answers again).",
                 "Folder the site and PDF are built into.")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open a browser.")
def edit(workbook: Path | None, port: int, out_dir: Path, today, project_dir: Path | None, no_browser: bool) -> None:
    """Fill in WORKBOOK in the browser, a form for every worksheet.  [default: workbook.yml]

    Opens the workbook's site with an Edit button on every worksheet. Saving
    writes the answers into WORKBOOK and changes only the lines that changed
    (comments, order and blank lines stay); the version it replaces is kept in
    .mentorbook-history/ beside it. What you type is kept in the browser until
    it is saved. A missing WORKBOOK is created, after asking your name.

    Only this computer can connect, and only with the address printed here
    (it holds a key made for this run). Ctrl-C stops.
    """
    from ..base.errors import OutputError
    from ..handouts.log import refuse_own_files
    from ..live.edit import EditServer
    from ..pipeline import BuildOptions

    workbook = workbook or DEFAULT_WORKBOOK
    refuse_own_files(workbook)
    if not workbook.exists():
        _create(workbook)
    project = resolve_project(project_dir)
    options = BuildOptions(workbook=workbook, out_dir=out_dir, today=day(today), project=project)
    try:
        server = EditServer(options, port, say=lambda text: click.echo(text, err=True))
    except OSError as exc:
        raise OutputError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; try --port 0") from None

    def browse() -> None:
        if not no_browser:
            import webbrowser

            webbrowser.open(server.address)

    serve_until_stopped(server, f"Editing {workbook} at {server.address}  (Ctrl-C to stop)", browse)


def _create(workbook: Path) -> None:
    """A new workbook file with the trainee's name, asked first."""
    import io

    from ..base.limits import MAX_CHARS
    from ..base.writer import write_file
    from ..base.yamledit import rt_yaml

    def name_given(value: str) -> str:
        value = " ".join(str(value).split())
        if not value or len(value) > MAX_CHARS["text"]:
            raise click.BadParameter(f"a name of 1 to {MAX_CHARS['text']} characters")
        return value

    click.echo(f"{workbook} does not exist yet; it will be created.", err=True)
    name = click.prompt("Your name, as the workbook should show it", value_proc=name_given, err=True)
    buffer = io.StringIO()
    rt_yaml().dump({"trainee": {"name": name}}, buffer)
    header = "# My mentoring workbook. Fill it in with `mentorbook edit`, or edit this file; dates are YYYY-MM-DD.\n"
    write_file(workbook, header + buffer.getvalue(), hint="choose another file name")
