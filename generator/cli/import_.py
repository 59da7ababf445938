"""``mentorbook import``: filled-in fillable PDFs back to workbook files."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONTEXT, project_option, resolve_project


@click.command("import", context_settings=CONTEXT)
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="The workbook file to write (for a folder: the folder to write into).  "
                   "[default: beside each PDF, named like it, .yml]")
@click.option("--force", is_flag=True, help="Replace workbook files that already exist.")
@project_option
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def import_(source: Path, out: Path | None, force: bool, project_dir: Path | None, quiet: bool) -> None:
    """Read the answers of a filled-in fillable PDF back into a workbook file.

    SOURCE is a PDF made with `build --fillable` or `cohort --fillable` and
    filled in with a PDF reader, or a folder of them (every *.pdf in it). The
    workbook is checked like `mentorbook check` does; an answer with a mistake
    (a date that is not one, a number that is not a number...) is still
    written as typed, marked by a '# mentorbook: fix:' comment beside its
    line, and listed with the PDF page of its field. Existing files are kept
    unless --force is given.

    Exit status: 0 when everything was imported; 1 when an imported workbook
    needs fixing, or (for a folder) any PDF could not be imported (the others
    are); for one PDF, 2 when it cannot be imported.
    """
    from ..base.errors import InputError, MentorbookError, OutputError, spoken
    from ..base.i18n import language
    from ..core.load import load_sources
    from ..staff.form_import import import_folder

    project = resolve_project(project_dir)
    lang = language(project.language)  # until a PDF says its own
    sources, problems = load_sources(project)
    if any(p.severity == "error" for p in problems):  # warnings (a key that does not apply) do not stop
        raise InputError(problems, lang=lang)
    if not source.is_dir():
        with spoken(lang):  # a PDF that cannot be read is told in the program's language
            _import_one(source, out, sources, project, force, quiet)
        return
    _ = lang.gettext
    pdfs = sorted(p for p in source.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
    if not pdfs:
        raise OutputError(_("%(folder)s: no PDF files in this folder") % {"folder": source})
    folder = out or source
    if folder.exists() and not folder.is_dir():
        raise OutputError(_("%(folder)s is not a folder; with a folder of PDFs, -o names the folder to write into")
                          % {"folder": folder})
    failed = fixing = 0
    for pdf, result in import_folder(pdfs, folder, sources, project, force=force):
        if isinstance(result, MentorbookError):
            failed += 1
            click.echo(_("%(file)s: not imported") % {"file": pdf}, err=True)
            for line in result.in_language(lang).format_message().splitlines():
                click.echo(f"  {line}", err=True)
            continue
        if not quiet or result.needs_fixing:
            click.echo(f"{result.pdf} -> {result.out} ({_answers(result.answers, result.language)})")
        if result.needs_fixing:
            fixing += 1
            _needs_fixing(result)
    if failed or fixing or not quiet:
        imported = len(pdfs) - failed
        click.echo((lang.ngettext("%(count)s of %(total)s PDF imported", "%(count)s of %(total)s PDFs imported",
                                  len(pdfs)) % {"count": imported, "total": len(pdfs)})
                   + (lang.ngettext(", %(count)s of them needs fixing", ", %(count)s of them need fixing", fixing)
                      % {"count": fixing} if fixing else "") + ".", err=True)
    if failed or fixing:
        raise click.exceptions.Exit(1)


def _import_one(source: Path, out: Path | None, sources, project, force: bool, quiet: bool) -> None:
    """Import one PDF: into ``out`` (a file, or a folder to write into), else beside it."""
    from ..staff.form_import import import_pdf

    target = out or source.with_suffix(".yml")
    if target.is_dir():
        target = target / f"{source.stem}.yml"
    result = import_pdf(source, target, sources, project, force=force)
    if not quiet or result.needs_fixing:
        click.echo(f"{result.pdf} -> {result.out} ({_answers(result.answers, result.language)})")
    if result.needs_fixing:
        _needs_fixing(result)
        raise click.exceptions.Exit(1)


def _needs_fixing(result) -> None:
    lang = result.language
    for problem in result.problems:
        click.echo(problem.format(lang), err=True)
    count = len(result.problems)
    click.echo(lang.ngettext("%(file)s needs fixing: %(count)s answer marked '# mentorbook: fix:' in it; correct it "
                             "there and run `mentorbook check` on it.",
                             "%(file)s needs fixing: %(count)s answers marked '# mentorbook: fix:' in it; correct "
                             "them there and run `mentorbook check` on it.", count)
               % {"file": result.out, "count": count}, err=True)


def _answers(count: int, lang) -> str:
    return lang.ngettext("%(count)s answer", "%(count)s answers", count) % {"count": count}
