"""Cohorts: a personalized workbook for every trainee on a roster, in parallel.

Each worker (a local process, or a Dask worker with ``--scheduler``; see
staff/executor.py) prepares the guidance, worksheet definitions and templates once,
then builds trainees one after another and returns each one's files as bytes. The
parent writes them through its Writer as they arrive and forgets them, so memory
stays flat however long the roster is; it then writes the combined print-ready PDF
(streamed, one trainee at a time), an index page and a CSV.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, BinaryIO

from msgspec import Struct, field

from ..base.errors import InputError, MentorbookError, OutputError
from ..base.i18n import ENGLISH, N_, Language, language
from ..base.names import UniqueNames
from ..base.records import shown_without
from ..base.writer import Content, Writer, check_out_dir
from ..base.yamlio import YamlFileError, read_yaml
from ..core.incremental import source_bytes, still_there
from ..core.load import Sources, load_sources
from ..core.render import make_renderer
from ..pipeline import BuildOptions, analyse_data, build_date, input_key
from ..print.join import PdfJoiner
from ..print.pdf import render_pdf
from ..program.project import BUILTIN, Project
from ..site.render import render_site
from .roster import RosterRow, merge, read_roster, roster_workbook

COMBINED = "cohort.pdf"
STATUSES = (N_("ok"), N_("failed"))  # an outcome's status, translated in cohort.html
INDEX = "index.html"
SUMMARY = "summary.csv"
SHARED_PDF = "shared.pdf"  # trainees/NAME/shared.pdf: the workbook without private answers, for cohort.pdf


class Task(Struct, frozen=True):
    row: RosterRow
    slug: str
    roster: Path
    suggested: tuple[str, ...] = ()  # mentors of the program's directory the cohort's assignment gave them


class Outcome(Struct):
    name: str
    slug: str
    line: int
    status: str = "ok"  # ok or failed (see STATUSES)
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # written, relative to the out dir
    rendered: bool = True  # False when nothing it depends on changed since the last run
    key: str = ""
    role: str = ""
    output: dict[str, Content] = field(default_factory=dict)  # made by a worker, written by the parent

    __repr__ = shown_without("output")

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def combined_pdf(self) -> str:
        """The PDF its pages in the combined PDF come from: without private answers, if it had any."""
        shared = any(f.endswith(f"/{SHARED_PDF}") for f in self.files)
        return f"trainees/{self.slug}/{SHARED_PDF}" if shared else f"trainees/{self.slug}.pdf"


class CohortResult(Struct):
    out_dir: Path
    outcomes: list[Outcome]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def trainee_key(base: str, slug: str, row: RosterRow, blank: bool, suggested: tuple[str, ...] = ()) -> str:
    """Everything one trainee's workbook depends on: the project (``base``, a pipeline.input_key),
    their roster row, the mentors the program suggests them and, unless the cohort is
    blank, their own workbook file."""
    digest = hashlib.sha256(f"{base}|{slug}|{blank}|{row!r}".encode())
    if suggested:
        digest.update(repr(suggested).encode())
    if row.workbook and not blank:
        digest.update(source_bytes(row.workbook))
    return digest.hexdigest()


def _prepare(context: tuple[Project, Sources, dict]) -> dict[str, Any]:
    """Once per worker: sources, templates and options shared by all its trainees."""
    from ..print.chunkstore import KeptChunks
    from ..print.shared_pages import SharedLayouts

    project, sources, options = context
    store = Path(options["chunk_store"]) if options.get("chunk_store") else None
    shared = options["shared_layout"] and "pdf" in options["formats"]
    return {"sources": sources, "renderer": make_renderer(project), "project": project, "options": options,
            "layouts": SharedLayouts(store=store, kept=KeptChunks.of_user()) if shared else None}


def _pdf(worker: dict[str, Any], workbook, options) -> bytes:
    """A trainee's PDF: its guidance pages laid out once (see shared_pages), unless
    the cohort lays out every PDF whole or the print layout cannot be split."""
    project, renderer = worker["project"], worker["renderer"]
    if worker["layouts"] is not None:
        pdf = worker["layouts"].pdf(workbook, options, project, renderer)
        if pdf is not None:
            return pdf
    return render_pdf(workbook, options, project, renderer)[0]


def _build_one(worker: dict[str, Any], task: Task) -> Outcome:
    """One trainee's PDF and site, as files in the outcome (the parent writes them)."""
    row = task.row
    outcome = Outcome(row.name, task.slug, row.line, role=row.role)
    sources, renderer, project, settings = worker["sources"], worker["renderer"], worker["project"], worker["options"]
    try:
        own = bool(row.workbook) and not settings["blank"]
        path = row.workbook if own else task.roster
        contract = sources.contract
        raw = (merge(read_yaml(path, within=task.roster.parent), row, contract) if own
               else roster_workbook(row, contract))
        options = BuildOptions(workbook=path, blank=not own, prefilled=not own, project=project,
                               today=settings["today"], page_size=settings["page_size"],
                               fillable=settings["fillable"], suggested=task.suggested)
        analysis = analyse_data(raw, path, options, sources)
        if analysis.workbook is None:
            outcome.status = "failed"
            outcome.problems = [p.format(analysis.language) for p in analysis.errors]
            return outcome
        files: dict[str, Content] = {}
        if "pdf" in settings["formats"]:
            pdf = files[f"trainees/{task.slug}.pdf"] = _pdf(worker, analysis.workbook, options.render_options)
            outcome.pages = _page_count(pdf)
        if "html" in settings["formats"]:
            for name, content in render_site(analysis.workbook, options.render_options, project, renderer,
                                             with_pdf=False).items():
                files[f"trainees/{task.slug}/site/{name}"] = content
        shared = (_shared_workbook(raw, row, path, options, sources, analysis.workbook)
                  if own and "pdf" in settings["formats"] else None)
        if shared is not None:
            files[f"trainees/{task.slug}/{SHARED_PDF}"] = _pdf(worker, shared, options.render_options)
        outcome.files = list(files)
        outcome.output = files
    except YamlFileError as exc:
        outcome.status, outcome.problems = "failed", [exc.problem.format(language(project.language))]
    except MentorbookError as exc:
        outcome.status, outcome.problems = "failed", [exc.format_message()]
    return outcome


def cohort_suggestions(tasks: list[Task], project: Project, sources: Sources) -> list[Task]:
    """Each trainee's suggested mentors, the whole cohort assigned at once (insights/suggest.py):
    a mentor's capacity counts the trainees the roster or their own workbooks already give them
    (a trainee without a workbook, or whose workbook cannot be read, by the roster's mentors)."""
    from msgspec.structs import replace

    from ..core.validate import validate
    from ..insights.suggest import assign, placed, workbook_view

    trainees = []
    for task in tasks:
        view = None
        if task.row.workbook:
            try:
                raw = merge(read_yaml(task.row.workbook, within=task.roster.parent), task.row, sources.contract)
            except YamlFileError:
                raw = None  # reported when the trainee is built
            checked = validate(raw, list(sources.definitions), task.roster) if raw is not None else None
            if checked is not None and not checked.errors:
                view = workbook_view(checked.data, sources.contract)
        trainees.append(placed(view, task.row.mentors))
    found = assign(project.directory, trainees)
    return [replace(t, suggested=tuple(m.mentor.name for m in f)) for t, f in zip(tasks, found, strict=True)]


def _shared_workbook(raw: Any, row: RosterRow, path: Path, options: BuildOptions, sources: Sources, real):
    """What the combined PDF shows of a trainee whose workbook has private answers (None: all of it).

    Private text becomes a placeholder saying it is filled in; a workbook that shares
    progress only is shown as the roster knows it. Its advice is that of the ``real``
    workbook, less what the shared copy cannot say word for word (privacy.shared_insights);
    its milestones are the real workbook's, as the report shows them.
    """
    from msgspec.structs import replace

    from .privacy import shared_copy, shared_insights, shares_progress_only

    def progress_only():
        blank = replace(options, blank=True, prefilled=True)
        return analyse_data(roster_workbook(row, sources.contract), path, blank, sources).workbook

    if shares_progress_only(raw):
        return progress_only()
    data = shared_copy(raw, sources.definitions)
    if data is None:
        return None
    shared = analyse_data(data, path, options, sources).workbook
    if shared is None:  # a placeholder the definitions refuse: show progress only, never the answers
        return progress_only()
    return replace(shared, insights=shared_insights(real.insights, shared.insights), milestones=real.milestones)


def _page_count(pdf: bytes) -> int:
    """Pages of a PDF just made. qpdf reads only the page tree, where pypdf would parse every
    object stream first (a tagged workbook's thousands of structure elements): 0.03 s, not 0.3."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def build_cohort(roster_path: Path, out_dir: Path, *, jobs: int | None = None, blank: bool = False,
                 project: Project = BUILTIN, today: dt.date | None = None, page_size: str | None = None,
                 fillable: bool = False, scheduler: str | None = None, shared_layout: bool = True,
                 formats: tuple[str, ...] = ("html", "pdf"),
                 progress: Callable[[Outcome, int, int], None] = lambda outcome, done, total: None) -> CohortResult:
    """Build every trainee of a roster; a broken row or workbook never stops the others.

    The trainees are built by a local process pool of ``jobs`` processes, or on the
    Dask cluster whose scheduler is at ``scheduler`` (tcp://HOST:PORT). With
    ``shared_layout`` (the default), each worker lays out the guidance pages once and
    reuses them; without it, every PDF is laid out whole (the same pages and text).
    """
    lang = language(project.language)  # staff read the cohort's files in the program's language
    out_dir = check_out_dir(out_dir, protected=project.protected_dirs, root=project.root)
    roster = read_roster(roster_path, lang)
    if not roster.rows and not roster.problems:
        raise OutputError(lang.gettext("%(file)s: the roster has no trainees") % {"file": roster_path})
    writer = Writer(out_dir)
    names = UniqueNames()
    tasks = [Task(row, names(row.name), roster_path) for row in roster.rows]
    with_pdf = "pdf" in formats
    planned = [INDEX, SUMMARY, *([COMBINED, *(f"trainees/{t.slug}.pdf" for t in tasks)] if with_pdf else [])]
    writer.check(planned)
    sources, problems = load_sources(project)  # once, here: a broken project is reported before any work
    if any(p.severity == "error" for p in problems):  # warnings (a key that does not apply) do not stop
        raise InputError(problems, lang=None if lang.english else lang)
    settings = {"blank": blank, "today": build_date(today), "page_size": page_size, "fillable": fillable,
                "shared_layout": shared_layout, "formats": tuple(formats)}
    if project.directory and not blank:
        tasks = cohort_suggestions(tasks, project, sources)
    base = input_key(BuildOptions(blank=True, project=project, today=today, page_size=page_size, fillable=fillable),
                     settings["today"])
    previous = writer.state.get("trainees", {})
    base += ("" if shared_layout else "|whole") + "|" + ",".join(sorted(formats))  # what is made changes the files
    keys = {t.slug: trainee_key(base, t.slug, t.row, blank, t.suggested) for t in tasks}
    unchanged = [t for t in tasks if still_there(out_dir, _expanded(t.slug, previous.get(t.slug)), keys[t.slug])]
    skipped = {t.slug for t in unchanged}
    tasks = [t for t in tasks if t.slug not in skipped]
    outcomes = _known_outcomes(roster, unchanged, previous, keys, lang)
    total = len(tasks) + len(outcomes)
    order = [t.slug for t in sorted([*unchanged, *tasks], key=lambda t: t.row.line)]
    with writer.streaming(COMBINED) if with_pdf else nullcontext() as handle:
        combined = _Combined(handle, out_dir, order, lang.gettext("Cohort workbooks"))
        for i, outcome in enumerate(outcomes, start=1):
            progress(outcome, i, total)
            combined.done(outcome)
        _build_all(tasks, (project, sources, settings), jobs, scheduler, keys, writer, outcomes, total,
                   progress, combined.done)
        combined.close()
    outcomes.sort(key=lambda o: o.line)
    built = [o for o in outcomes if o.ok]
    files: dict[str, Content] = {
        INDEX: _index_html(outcomes, project, roster_path, site="html" in formats),
        SUMMARY: _summary_csv(outcomes, lang),
    }
    writer.state["trainees"] = {o.slug: _done(o) for o in built}  # their files: in the journal, put as they came
    writer.write_all(files)
    return CohortResult(out_dir, outcomes)


def _known_outcomes(roster, unchanged: list[Task], previous: dict, keys: dict[str, str], lang) -> list[Outcome]:
    """The outcomes known before anything is built: rows the roster could not read, then trainees
    unchanged since the last run (their files kept)."""
    outcomes = [Outcome(lang.gettext("row at line %(line)s") % {"line": p.line}, "", p.line or 0, "failed",
                        problems=[p.format(lang)])
                for p in roster.problems]
    for task in unchanged:
        known = previous[task.slug]
        outcomes.append(Outcome(task.row.name, task.slug, task.row.line, role=task.row.role,
                                pages=known["pages"], files=known["files"],
                                rendered=False, key=keys[task.slug]))
    return outcomes


def _build_all(tasks: list[Task], context: tuple, jobs: int | None, scheduler: str | None, keys: dict[str, str],
               writer: Writer, outcomes: list[Outcome], total: int,
               progress: Callable[[Outcome, int, int], None], done: Callable[[Outcome], None]) -> None:
    """Build ``tasks`` on the executor, putting each trainee's files as they come, then handing
    their outcome to ``done``; their outcomes join ``outcomes``."""
    from .executor import make_executor

    executor = make_executor(jobs or os.cpu_count() or 1, scheduler)
    project, sources, settings = context
    if scheduler is None and settings["shared_layout"] and "pdf" in settings["formats"] and executor.jobs > 1:
        from ..print.chunkstore import new_folder  # the local workers share the chunks they lay out

        context = (project, sources, {**settings, "chunk_store": new_folder()})
    try:
        results = executor.run(_prepare, _build_one, context, tasks)
        for i, outcome in enumerate(results, start=len(outcomes) + 1):
            outcome.key, outcome.files = keys[outcome.slug], _compact(outcome.slug, outcome.files)
            try:  # the files of one trainee at a time, then forgotten; a rerun after a stop resumes here
                writer.put(outcome.output, state={"trainees": {outcome.slug: _done(outcome)}} if outcome.ok else None)
            except OutputError as exc:
                outcome.status, outcome.problems, outcome.files = "failed", [exc.format_message()], []
            outcome.output = {}
            outcomes.append(outcome)
            progress(outcome, i, total)
            done(outcome)
    finally:
        executor.close()


def _done(outcome: Outcome) -> dict:
    """What the manifest keeps of a trainee built: enough to skip them next time if nothing changed."""
    return {"key": outcome.key, "pages": outcome.pages, "files": outcome.files}


DIR = "{dir}/"  # a trainee's own folder, trainees/SLUG/, in the names a cohort keeps of their files


def _compact(slug: str, files: list[str]) -> list[str]:
    """A trainee's file names with their own folder written as DIR: the 40-odd names of a site are
    then the same strings for every trainee, so 10,000 trainees do not hold 400,000 names."""
    prefix = f"trainees/{slug}/"
    return [sys.intern(DIR + f[len(prefix):]) if f.startswith(prefix) else f for f in files]


def _expanded(slug: str, known: dict | None) -> dict | None:
    """A trainee's entry of the manifest's state with their file names written out (see _compact)."""
    if not known or not isinstance(known.get("files"), list):
        return known
    return {**known, "files": [f"trainees/{slug}/{f[len(DIR):]}" if isinstance(f, str) and f.startswith(DIR)
                               else f for f in known["files"]]}


class _Combined:
    """The combined PDF: every trainee's PDF in roster order, each starting on a right-hand (odd)
    page, joined while the others are still being built. A trainee is added as soon as everyone
    before them on the roster is done (built, failed or unchanged since the last run).

    The PDFs are streamed into the file one at a time, so memory does not grow with
    the roster. Each trainee gets a bookmark holding their own; their links and form
    fields are renamed under their name's slug, so equal names stay separate. Nothing is
    written (and the file is not made) until a first trainee is joined.
    """

    def __init__(self, handle: BinaryIO | None, out_dir: Path, order: list[str], title: str):
        self.handle, self.out_dir, self.title = handle, out_dir, title
        self.order, self.next, self.waiting = order, 0, {}
        self.joiner: PdfJoiner | None = None

    def done(self, outcome: Outcome) -> None:
        if self.handle is None or not outcome.slug:  # no PDF made, or a roster row that could not be read
            return
        self.waiting[outcome.slug] = outcome
        while self.next < len(self.order) and self.order[self.next] in self.waiting:
            ready = self.waiting.pop(self.order[self.next])
            self.next += 1
            if ready.ok:
                self.joiner = self.joiner or PdfJoiner(self.handle)
                self.joiner.add(self.out_dir / ready.combined_pdf, ready.name, ready.slug)

    def close(self) -> None:
        if self.joiner is not None:
            self.joiner.close(self.title)


def _summary_csv(outcomes: list[Outcome], lang: Language = ENGLISH) -> str:
    from ..base.tabular import csv_text

    pgettext = lang.pgettext
    header = (["trainee", "pdf", "pages", "status", "problems"] if lang.english else
              [pgettext("report column", "trainee"), pgettext("report column", "pdf"),
               pgettext("report column", "pages"), pgettext("report column", "status"),
               pgettext("report column", "problems")])
    return csv_text(header, ([o.name, pdf if o.ok and pdf in o.files else "", o.pages, lang.gettext(o.status),
                              " | ".join(o.problems)] for o in outcomes for pdf in (f"trainees/{o.slug}.pdf",)))


def _index_html(outcomes: list[Outcome], project: Project, roster: Path, site: bool = True) -> str:
    renderer = make_renderer(project, language(project.language))  # staff read it in the program's language
    return renderer.render("cohort.html", outcomes=outcomes, branding=project.branding, roster=roster.name,
                            combined=COMBINED if any(o.ok and o.pages for o in outcomes) else "", summary=SUMMARY,
                            site=site)
