"""``mentorbook schema``: a JSON Schema of the workbook format, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .options import CONTEXT, project_option, resolve_project


@click.command(context_settings=CONTEXT)
@project_option
def schema(project_dir: Path | None) -> None:
    """Print a JSON Schema of the workbook format.

    Editors use it to autocomplete and check workbook YAML, e.g. with the
    YAML language server: `mentorbook schema > mentorbook.schema.json`, then put
    `# yaml-language-server: $schema=mentorbook.schema.json` on the first line.
    """
    from ..base.errors import InputError
    from ..base.i18n import language
    from ..core.load import load_sources
    from ..core.localize import localize_definitions, localize_field
    from ..program.definitions import PROFILE
    from ..program.schema import workbook_schema

    project = resolve_project(project_dir)
    lang = language(project.language)  # titles and descriptions in the program's language
    sources, problems = load_sources(project)
    if any(p.severity == "error" for p in problems):  # warnings (a key that does not apply) do not stop
        raise InputError(problems, lang=lang)
    definitions, _notices = localize_definitions(sources.definitions, lang)
    click.echo(json.dumps(workbook_schema(list(definitions), lang, localize_field(PROFILE, lang)), indent=2,
                          ensure_ascii=False))
