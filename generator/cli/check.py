"""``mentorbook check``: every mistake and the mentoring feedback on a workbook."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import CONTEXT, day, project_option, resolve_project, today_option


@click.command(context_settings=CONTEXT)
@click.argument("workbook", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (insights), not only errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output as text lines or as one JSON document.")
@today_option
@project_option
def check(workbook: Path | None, strict: bool, fmt: str, today,
          project_dir: Path | None) -> None:
    """Check WORKBOOK for mistakes and give mentoring feedback on it.

    Without WORKBOOK inside a program's project (a folder with mentorbook.yml, or
    --project DIR), the project itself is checked: its settings, worksheet
    definitions and pages. Elsewhere, the bundled sample is checked. Every
    problem is listed in one run as FILE:LINE:COL: severity: field: message.
    Errors are mistakes that stop a build; warnings are insights from the five
    practices (SMART goals, mentor network, agreements, meetings, refine-or-conclude reviews).

    Exit status: 0 when clean, 1 when --strict and there are warnings, 2 on errors.
    """
    from ..pipeline import BuildOptions, analyse

    project = resolve_project(project_dir)
    only_project = workbook is None and project.root is not None  # a program's own definitions and pages
    analysis = analyse(BuildOptions(workbook=workbook, today=day(today), project=project, blank=only_project))
    path = project.config_file if only_project else analysis.path
    problems = analysis.notices + analysis.errors + analysis.warnings
    if fmt == "json":
        click.echo(json.dumps({
            "file": str(path),
            "checked": "project" if only_project else "workbook",
            "errors": len(analysis.errors),
            "warnings": len(analysis.warnings),
            "problems": [p.as_dict() for p in problems],
        }, indent=2))
    else:
        lang = analysis.language
        for problem in problems:
            click.echo(problem.format(lang))
        errors, warnings = len(analysis.errors), len(analysis.warnings)
        summary = lang.ngettext("%(count)s error", "%(count)s errors", errors) % {"count": errors} + ", " \
            + lang.ngettext("%(count)s warning", "%(count)s warnings", warnings) % {"count": warnings}
        what = lang.gettext("the project's settings, worksheet definitions and pages (no workbook given): ") \
            if only_project else ""
        click.echo(f"{path}: {what}{summary}" + (lang.gettext(" - looks good.") if not problems else "."), err=True)
    if analysis.errors:
        raise click.exceptions.Exit(2)
    if strict and analysis.warnings:
        raise click.exceptions.Exit(1)
