"""``mentorbook report``: read a cohort's workbooks and returned PDFs, write the report.

Each source goes through the same steps as ``check`` (``pipeline.analyse_data``);
returned fillable PDFs are read with ``form_import``. With a roster, each workbook is
completed with its trainee's row (as ``cohort`` does), and trainees on the roster
whose workbook is missing are listed too. Files go out through the Writer.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..base.errors import InputError, OutputError, Problem
from ..base.i18n import ENGLISH, N_, Language, language
from ..base.yamlio import YamlFileError
from ..core.load import Sources, load_sources, load_workbook
from ..pipeline import BuildOptions, analyse_data, build_date
from ..program.project import BUILTIN, Project
from .report import (
    PROGRESS_ONLY,
    CohortReport,
    Privacy,
    TraineeReport,
    broken_report,
    cohort_report,
    find_sources,
    missing_report,
    name_key,
    private_paths,
    trainee_report,
)
from .roster import RosterRow, read_roster

HTML_NAME, PDF_NAME, CSV_NAME = "report.html", "report.pdf", "report.csv"
PARALLEL_FROM = 200  # sources: from here on they are read by a local process pool


def _trainee_of(raw: Any) -> dict:
    trainee = raw.get("trainee") if isinstance(raw, dict) else None
    return trainee if isinstance(trainee, dict) else {}


def _read_data(path: Path, sources: Sources, project: Project, within: Path | None = None
               ) -> tuple[Any, list[Problem], dict[str, int] | None]:
    """The workbook data of a file, problems that stop reading it, and PDF pages of its fields.
    With ``within``, the file's real path must lie in that folder (else nothing of it is read)."""
    if path.suffix.lower() == ".pdf":
        from .form_import import NotAForm, import_form

        try:
            imported = import_form(path, sources.definitions, within=within)
        except NotAForm as exc:
            return None, [Problem(path, None, exc.format_message().removeprefix(f"{path}: "))], None
        return imported.data, list(imported.problems), imported.pages
    try:
        return load_workbook(path, language(project.language), within=within), [], None
    except YamlFileError as exc:
        return None, [exc.problem], None


def read_trainee(path: Path, sources: Sources, project: Project, today: dt.date, private: frozenset[str],
                 rows: dict[str, RosterRow], by_file: dict[Path, RosterRow] | None = None,
                 within: Path | None = None) -> tuple[TraineeReport, RosterRow | None, Any]:
    """One workbook or returned PDF as a report row; a broken one becomes "needs fixing".

    Also, when the program has a mentor directory, what the trainee brings to the cohort's
    assignment (insights.suggest.placed; None when the workbook needs fixing): a few names,
    never the whole workbook model, so memory does not grow with the cohort. A workbook
    that needs fixing keeps the mentors its roster row assigns.
    """
    from ..base.i18n import language
    from .cohort import merge

    lang = language(project.language)  # the report speaks the program's language

    raw, problems, pages = _read_data(path, sources, project, within)
    trainee = _trainee_of(raw)
    name = str(trainee.get("name") or "").strip() or path.stem
    share = str(trainee.get("share") or "all").strip()
    row = (by_file or {}).get(path.resolve()) or rows.get(name_key(name))  # the roster's file, else the name
    privacy = Privacy(private, share == PROGRESS_ONLY, frozenset(name_key(m) for m in (row.mentors if row else ())))
    role = str(trainee.get("role") or "") or (row.role if row else "")
    assigned_names = row.mentors if row else ()
    if problems:
        return broken_report(name, path, problems, privacy, role, share, lang, assigned_names), row, None
    if row:
        raw = merge(raw, row, sources.contract, agreements=False)  # an agreement is what the trainee wrote
    analysis = analyse_data(raw, path, BuildOptions(workbook=path, today=today, project=project, suggested=()),
                            sources)
    if analysis.workbook is None:
        errors = analysis.errors
        if pages is not None:  # a PDF: point at the page of each field
            from .form_import import PdfProblem, page_of

            errors = [PdfProblem(path, None, p.message, field=p.field, hint=p.hint, page=page_of(pages, p.field))
                      for p in errors]
        return broken_report(name, path, errors, privacy, role, share, lang, assigned_names), row, None
    assigned = frozenset(name_key(m) for m in assigned_names)
    from ..insights.suggest import placed

    return (trainee_report(analysis.workbook, path, privacy, share, assigned, project.milestones, lang), row,
            placed(analysis.workbook, assigned_names) if project.directory else None)


def _read_one(context: tuple, item: tuple[Path, Path | None]) -> tuple[Path, TraineeReport, RosterRow | None, Any]:
    """One source on a worker (see staff/executor.py): the context is what every source shares; the
    item, the source and the folder it must stay in. The path comes back with it, as results
    arrive in any order."""
    path, within = item
    return (path, *read_trainee(path, *context, within=within))


def once_per_trainee(read: list[tuple[Path, TraineeReport, RosterRow | None, Any]], given: set[Path],
                     lang: Language = ENGLISH) -> tuple[list[tuple[TraineeReport, RosterRow | None, Any]], list[str]]:
    """Each roster trainee once, however many sources name them (a returned PDF given on the command
    line and the workbook the roster's ``workbook`` column names, say): a source given on the command
    line before one only the roster names, then the most recently changed; and a note on each source
    left out. Sources of trainees not on the roster are all kept."""
    def preference(item) -> tuple:
        path = item[0]
        return (path.resolve() in given, path.stat().st_mtime_ns if path.exists() else 0, str(path))

    chosen: dict[int, tuple] = {}
    kept: list[tuple] = []
    for item in read:
        row = item[2]
        if row is None:
            kept.append(item)
        elif row.line not in chosen or preference(item) > preference(chosen[row.line]):
            chosen[row.line] = item
    _ = lang.gettext
    notes = [(_("%(name)s: read from %(chosen)s, not from %(other)s (one source per trainee: the one given)")
              if best[0].resolve() in given else
              _("%(name)s: read from %(chosen)s, not from %(other)s (one source per trainee: the newest)"))
             % {"name": row.name, "chosen": best[0], "other": item[0]}
             for item in read if (row := item[2]) is not None and (best := chosen[row.line]) is not item]
    return [item[1:] for item in sorted([*kept, *chosen.values()], key=lambda i: str(i[0]))], notes


def make_report(paths: list[Path], *, roster: Path | None = None, project: Project = BUILTIN,
                today: dt.date | None = None, scheduler: str | None = None,
                exclude: Path | None = None) -> CohortReport:
    """The cohort report of ``paths`` (files or folders) and, optionally, a roster.

    The sources are read here, or on the Dask cluster whose scheduler is at ``scheduler``;
    nothing inside ``exclude`` (the report's output folder) is read.
    """
    from .executor import as_is, make_executor

    lang = language(project.language)  # the report speaks the program's language
    day = build_date(today)
    sources, problems = load_sources(project)
    if any(p.severity == "error" for p in problems):  # warnings and notices do not stop a report
        raise InputError(problems, lang=lang)
    rows: dict[str, RosterRow] = {}
    ordered_rows: list[RosterRow] = []
    if roster is not None:
        read = read_roster(roster, lang)
        if read.problems:
            raise InputError(read.problems, note=N_("no report was written"), lang=lang)
        ordered_rows = read.rows
        rows = {name_key(r.name): r for r in read.rows}
    by_file = {r.workbook.resolve(): r for r in ordered_rows if r.workbook}
    files = find_sources(paths, exclude)
    given = {f.resolve() for f, _ in files}
    files += [(r.workbook, roster.parent) for r in ordered_rows if r.workbook and r.workbook.resolve() not in given]
    if not files and not ordered_rows:
        raise OutputError(lang.gettext("no workbooks (.yml) or returned PDFs (.pdf) found in %(sources)s")
                          % {"sources": ", ".join(str(p) for p in paths) or lang.gettext("the sources given")})
    private = private_paths(sources.definitions)
    executor = make_executor(min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_FROM else 1, scheduler)
    try:
        results = list(executor.run(as_is, _read_one, (sources, project, day, private, rows, by_file), files))
    finally:
        executor.close()
    # each row, its roster row, what it brings to the assignment
    got, notes = once_per_trainee(results, given, lang)
    seen_rows = {name_key(row.name) for _, row, _ in got if row}
    got += [(missing_report(r.name, r.role, lang, r.mentors), r, None)  # a trainee with the roster's mentors
            for r in ordered_rows if name_key(r.name) not in seen_rows]
    trainees = [report for report, _, _ in got]
    if project.directory:
        trainees = _with_suggestions(trainees, [(part, row) for _, row, part in got], project)
    trainees.sort(key=lambda t: t.source)
    trainees = lang.sorted(trainees, key=lambda t: t.name)  # names as the program's readers sort them
    return cohort_report(trainees, day, max_load=project.max_trainees_per_mentor,
                         program=project.branding.program, practices=_practices(sources, project, day),
                         page_size=project.page_size, milestones=project.milestones,
                         capacities={name_key(m.name): m.capacity for m in project.directory}, lang=lang,
                         notes=tuple(notes))


def _with_suggestions(trainees: list[TraineeReport], parts: list[tuple[Any, RosterRow | None]],
                      project: Project) -> list[TraineeReport]:
    """Each trainee's row with the mentors the program suggests them, the cohort assigned
    at once as ``cohort`` assigns it (insights/suggest.py: placed, assign). ``parts``: what each
    trainee's workbook brings (``placed``; None: no workbook, or it needs fixing) and their roster row."""
    from msgspec.structs import replace

    from ..insights.suggest import assign, placed

    found = assign(project.directory, [part if part is not None else placed(None, row.mentors if row else ())
                                       for part, row in parts])
    return [replace(t, suggested=tuple(m.mentor.name for m in f)) if f else t
            for t, f in zip(trainees, found, strict=True)]


def _practices(sources: Sources, project: Project, day: dt.date) -> list[tuple[str, str]]:
    """(id, title) of the project's practices, in cycle order."""
    from ..base.i18n import language
    from ..core.assemble import make_workbook
    from ..core.localize import localize_sources

    lang = language(project.language)
    sources, _ = localize_sources(sources, lang, project)
    workbook = make_workbook(sources, {}, blank=True, today=day, project=project, language=lang)
    return [(p.id, p.title) for p in workbook.practices]


def write_report(paths: list[Path], out_dir: Path, *, roster: Path | None = None, project: Project = BUILTIN,
                 today: dt.date | None = None, formats: tuple[str, ...] = ("html", "pdf", "csv"),
                 scheduler: str | None = None) -> tuple[CohortReport, list[Path]]:
    """``mentorbook report``: read, compute, render and write report.html, report.pdf and report.csv."""
    from ..base.writer import check_out_dir, write_into
    from .report_render import report_csv, report_html, report_pdf

    folder = check_out_dir(out_dir, project.protected_dirs, root=project.root)
    report = make_report(paths, roster=roster, project=project, today=today, scheduler=scheduler, exclude=folder)
    files: dict[str, str | bytes] = {}
    if "html" in formats:
        files[HTML_NAME] = report_html(report, project, links=("pdf" in formats, "csv" in formats))
    if "pdf" in formats:
        files[PDF_NAME] = report_pdf(report, project)
    if "csv" in formats:
        files[CSV_NAME] = report_csv(report)
    write_into(folder, files, project.protected_dirs, project.root)
    return report, [folder / name for name in files]
