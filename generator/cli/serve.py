"""``mentorbook serve``: a live preview of the site."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, day, preview_options, resolve_project, serve_until_stopped


@click.command(context_settings=CONTEXT)
@preview_options("Port on 127.0.0.1 (0 picks a free one).",
                 "Folder the site is built into.")
def serve(workbook: Path | None, port: int, out_dir: Path, today, project_dir: Path | None) -> None:
    """Preview the site at http://127.0.0.1:PORT/ and rebuild it as you edit.

    Watches the workbook, guidance, worksheets, templates and the project's
    config; each save rebuilds the site and open pages reload themselves. The
    PDF (OUT/workbook.pdf) follows in the background, laying out again only the
    chapters a save changed; the page says when it is ready. A
    broken edit is shown in the page and here, and the last good site stays up
    until the next good save. Only this computer can connect. Ctrl-C stops.
    """
    from ..base.errors import OutputError
    from ..live.preview import PreviewServer
    from ..pipeline import BuildOptions

    project = resolve_project(project_dir)
    options = BuildOptions(workbook=workbook, out_dir=out_dir, blank=bool(project.root and workbook is None),
                           today=day(today), project=project)
    try:
        server = PreviewServer(options, port, say=lambda text: click.echo(text, err=True), pdf=True)
    except OSError as exc:
        raise OutputError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}; try --port 0") from None

    serve_until_stopped(server, f"Serving {server.url}  (Ctrl-C to stop)")

