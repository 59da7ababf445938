"""Cohorts: a personalized workbook for every trainee on a roster, in parallel.

Each worker prepares the guidance, worksheet definitions and templates once, then
builds trainees one after another, writing each PDF and site straight to disk and
returning only a small summary, so memory stays flat however long the roster is.
The parent then writes the combined print-ready PDF, an index page and a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..core.errors import InputError, MentorbookError, OutputError, Problem
from .forms import for_site
from ..core.load import Sources, load_sources
from ..core.names import UniqueNames, inside
from .pdfjoin import PdfJoiner
from ..core.pipeline import BuildOptions, analyse_data, build_date, input_key, make_renderer, render_pdf, render_site
from ..core.project import BUILTIN, Project
from .roster import RosterRow, read_roster
from ..core.writer import Content, Writer, atomic_write, check_out_dir
from ..core.safepath import UnreadableFile, read_limited
from ..core.yamlio import MAX_BYTES, YamlFileError, read_yaml

COMBINED = "cohort.pdf"
INDEX = "index.html"
SUMMARY = "summary.csv"


@dataclass(frozen=True)
class Task:
    row: RosterRow
    slug: str
    out_dir: Path
    roster: Path


@dataclass
class Outcome:
    name: str
    slug: str
    line: int
    status: str = "ok"  # ok or failed
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # written, relative to the out dir
    rendered: bool = True  # False when nothing it depends on changed since the last run
    key: str = ""
    role: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class CohortResult:
    out_dir: Path
    outcomes: list[Outcome]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


_WORKER: dict[str, Any] = {}


def _prepare(project: Project, sources: Sources, options: dict) -> None:
    """Once per worker: sources, templates and options shared by all its trainees."""
    _WORKER.update(sources=sources, renderer=make_renderer(project), project=project, options=options)


def roster_workbook(row: RosterRow) -> dict:
    """What the roster knows of a trainee: who they are and their assigned mentors."""
    trainee = {"name": row.name}
    for key in ("role", "program", "email", "start_date"):
        if getattr(row, key):
            trainee[key] = getattr(row, key)
    data: dict[str, Any] = {"trainee": trainee}
    if row.mentors:
        data["mentors"] = [{"name": m, "found_via": "assigned"} for m in row.mentors]
        data["agreements"] = [{"mentor": m} for m in row.mentors]
    return data


def merge(own: Any, row: RosterRow) -> Any:
    """A trainee's own workbook, completed with what the roster says."""
    if not isinstance(own, dict):
        return own  # reported by validation, with its location
    roster = roster_workbook(row)
    trainee = own.setdefault("trainee", {})
    if isinstance(trainee, dict):
        for key, value in roster["trainee"].items():
            trainee.setdefault(key, value)
    mentors = own.get("mentors")
    if isinstance(mentors, list):
        known = {m.get("name") for m in mentors if isinstance(m, dict)}
        mentors += [m for m in roster.get("mentors", []) if m["name"] not in known]
    elif mentors is None and "mentors" in roster:
        own["mentors"] = roster["mentors"]
    return own


def _build_one(task: Task) -> Outcome:
    row = task.row
    outcome = Outcome(row.name, task.slug, row.line, role=row.role)
    sources, renderer, project = _WORKER["sources"], _WORKER["renderer"], _WORKER["project"]
    settings = _WORKER["options"]
    try:
        own = bool(row.workbook) and not settings["blank"]
        path = row.workbook if own else task.roster
        raw = merge(read_yaml(path, within=task.roster.parent), row) if own else roster_workbook(row)
        options = BuildOptions(workbook=path, blank=not own, prefilled=not own, project=project,
                               today=settings["today"], page_size=settings["page_size"],
                               fillable=settings["fillable"])
        analysis = analyse_data(raw, path, options, sources)
        if analysis.workbook is None:
            outcome.status = "failed"
            outcome.problems = [p.format() for p in analysis.errors]
            return outcome
        pdf, _ = render_pdf(analysis.workbook, project, renderer)
        pdf_rel = f"trainees/{task.slug}.pdf"
        atomic_write(inside(task.out_dir, pdf_rel), pdf)
        outcome.files.append(pdf_rel)
        for name, content in render_site(for_site(analysis.workbook), project, renderer, with_pdf=False).items():
            rel = f"trainees/{task.slug}/site/{name}"
            atomic_write(inside(task.out_dir, rel), content)
            outcome.files.append(rel)
        outcome.pages = _page_count(pdf)
    except YamlFileError as exc:
        outcome.status, outcome.problems = "failed", [exc.problem.format()]
    except MentorbookError as exc:
        outcome.status, outcome.problems = "failed", [exc.format_message()]
    return outcome


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _run(tasks: list[Task], jobs: int, project: Project, sources: Sources, settings: dict) -> Iterator[Outcome]:
    if jobs <= 1:
        _prepare(project, sources, settings)
        for task in tasks:
            yield _build_one(task)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_prepare, initargs=(project, sources, settings)) as pool:
        yield from pool.map(_build_one, tasks, chunksize=1)


def build_cohort(roster_path: Path, out_dir: Path, *, jobs: int | None = None, blank: bool = False,
                 project: Project = BUILTIN, today: dt.date | None = None, page_size: str | None = None,
                 fillable: bool = False,
                 progress: Callable[[Outcome, int, int], None] = lambda outcome, done, total: None) -> CohortResult:
    """Build every trainee of a roster; a broken row or workbook never stops the others."""
    out_dir = check_out_dir(out_dir, protected=project.protected_dirs, root=project.root)
    roster = read_roster(roster_path)
    if not roster.rows and not roster.problems:
        raise OutputError(f"{roster_path}: the roster has no trainees")
    writer = Writer(out_dir)
    names = UniqueNames()
    tasks = [Task(row, names(row.name), out_dir, roster_path) for row in roster.rows]
    planned = [COMBINED, INDEX, SUMMARY, *(f"trainees/{t.slug}.pdf" for t in tasks)]
    writer.check(planned)
    sources, problems = load_sources(project)  # once, here: a broken project is reported before any work
    if problems:
        raise InputError(problems)
    settings = {"blank": blank, "today": build_date(today), "page_size": page_size, "fillable": fillable}
    base = input_key(BuildOptions(blank=True, project=project, today=today, page_size=page_size, fillable=fillable))
    previous = writer.state.get("trainees", {})
    keys = {t.slug: _trainee_key(base, t, blank) for t in tasks}
    unchanged = [t for t in tasks if _still_there(out_dir, previous.get(t.slug), keys[t.slug])]
    tasks = [t for t in tasks if t not in unchanged]
    outcomes = [Outcome(f"row at line {p.line}", "", p.line or 0, "failed", problems=[p.format()])
                for p in roster.problems]
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(tasks) + len(outcomes) + len(unchanged)
    for task in unchanged:
        known = previous[task.slug]
        outcomes.append(Outcome(task.row.name, task.slug, task.row.line, role=task.row.role,
                                pages=known["pages"], files=known["files"],
                                rendered=False, key=keys[task.slug]))
    for i, outcome in enumerate(outcomes, start=1):
        progress(outcome, i, total)
    for i, outcome in enumerate(_run(tasks, jobs or os.cpu_count() or 1, project, sources, settings), start=len(outcomes) + 1):
        outcome.key = keys[outcome.slug]
        outcomes.append(outcome)
        progress(outcome, i, total)
    outcomes.sort(key=lambda o: o.line)
    built = [o for o in outcomes if o.ok]
    files: dict[str, Content] = {
        INDEX: _index_html(outcomes, project, roster_path),
        SUMMARY: _summary_csv(outcomes),
    }
    if built:
        files[COMBINED] = _combined_pdf(out_dir, built)
    writer.written += [f for o in built for f in o.files]
    writer.state["trainees"] = {o.slug: {"key": o.key, "pages": o.pages, "files": o.files} for o in built}
    writer.write_all(files)
    return CohortResult(out_dir, outcomes)


def _trainee_key(base: str, task: Task, blank: bool) -> str:
    """Everything one trainee's workbook depends on: the project, the row, their own file."""
    digest = hashlib.sha256(f"{base}|{task.slug}|{blank}|{task.row!r}".encode())
    if task.row.workbook and not blank:
        try:
            digest.update(read_limited(task.row.workbook, MAX_BYTES))
        except UnreadableFile:
            digest.update(b"<missing>")
    return digest.hexdigest()


def _still_there(out_dir: Path, known: dict | None, key: str) -> bool:
    return bool(known) and known.get("key") == key and all((out_dir / f).is_file() for f in known.get("files", []))


def _combined_pdf(out_dir: Path, built: list[Outcome]) -> Callable[[BinaryIO], None]:
    """Every trainee's PDF in roster order, each starting on a right-hand (odd) page.

    The PDFs are streamed into the file one at a time, so memory does not grow with
    the roster. Each trainee gets a bookmark holding their own; their links and form
    fields are renamed under their name's slug, so equal names stay separate.
    """
    def produce(handle: BinaryIO) -> None:
        joiner = PdfJoiner(handle)
        for outcome in built:
            joiner.add(out_dir / "trainees" / f"{outcome.slug}.pdf", outcome.name, outcome.slug)
        joiner.close("Cohort workbooks")

    return produce


def _summary_csv(outcomes: list[Outcome]) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["trainee", "pdf", "pages", "status", "problems"])
    for o in outcomes:
        out.writerow([o.name, f"trainees/{o.slug}.pdf" if o.ok else "", o.pages, o.status, " | ".join(o.problems)])
    return buffer.getvalue()


def _index_html(outcomes: list[Outcome], project: Project, roster: Path) -> str:
    renderer = make_renderer(project)
    return renderer.render("cohort.html", outcomes=outcomes, branding=project.branding, roster=roster.name,
                            combined=COMBINED if any(o.ok for o in outcomes) else "", summary=SUMMARY)
