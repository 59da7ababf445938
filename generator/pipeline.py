"""The build pipeline, its stages in order: load -> validate -> assemble (model) -> render -> write.

``analyse`` and ``prepare`` run the first three (core/load, core/validate,
core/assemble, with insights); ``build`` renders the site (site/render.py) and the
PDF (print/pdf.py) in memory and hands every file to one Writer (base/writer.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from .base.errors import InputError, Problem
from .base.i18n import ENGLISH, LOCALE_DIR, N_, Language, language, said
from .base.paths import DEFAULT_OUT_DIR, SAMPLE_WORKBOOK
from .base.safepath import shorten
from .base.version import VERSION
from .base.writer import Writer, check_out_dir
from .base.yamlio import YamlFileError
from .core.assemble import make_workbook
from .core.fonts import font_files
from .core.incremental import files_under, print_key, source_stamp
from .core.load import Sources, load_sources, load_workbook
from .core.localize import choose_language, localize_sources, workbook_language
from .core.model import Workbook

# PRINT_HTML is also importable from here; the PDF's modules are imported when a PDF is made
from .core.options import PDF_NAME, PRINT_HTML, RenderOptions  # noqa: F401
from .core.validate import Validated, validate
from .program.project import BUILTIN, PAGE_SIZES, Project
from .site.render import render_site

FORMATS = ("all", "html", "pdf")


class BuildOptions(Struct, frozen=True):
    """What one build reads and makes, as the build command's options say it."""

    workbook: Path | None = None  # None: the bundled sample
    out_dir: Path = DEFAULT_OUT_DIR
    blank: bool = False
    page_size: str | None = None  # None: the project's page size (letter unless a program says a4)
    today: dt.date | None = None
    project: Project = BUILTIN
    format: str = "all"  # all, html (site only) or pdf (PDF and its print layout only)
    prefilled: bool = False  # with blank: the data holds a few known answers (a roster's) to print
    fillable: bool = False  # the PDF's worksheets become form fields (see print/forms.py)
    # mentors of the program's directory added to the mentor map (insights/suggest.py): None, the best for this
    # trainee alone (a single build); a cohort gives the names its assignment chose; () adds none
    suggested: tuple[str, ...] | None = None
    only: str | None = None  # build only this document (or worksheet, standing alone) of the project's
    jobs: int | None = None  # processes that lay out the PDF's parts (None: one per core; 1: this one alone)
    pdf_beside: bool = False  # html: the site links to a PDF made beside it by someone else (serve)

    @property
    def render_options(self) -> RenderOptions:
        """How the outputs are laid out (the model itself holds none of it)."""
        return RenderOptions(page_size=self.page_size or self.project.page_size, blank=self.blank,
                             fillable=self.fillable)


class BuildResult(Struct):
    """What one build did: the workbook it read, the files it changed and the warnings it found."""

    workbook: Workbook | None  # None when nothing changed and nothing was read
    out_dir: Path
    files: list[Path] = field(default_factory=list)  # files whose content changed
    warnings: list[Problem] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # outputs laid out by this build
    up_to_date: bool = False
    documents: list[Path] = field(default_factory=list)  # the documents' PDFs (outputs/documents.py)

    @property
    def pdf(self) -> Path:
        return self.out_dir / PDF_NAME

    @property
    def site_index(self) -> Path:
        return self.out_dir / "site" / "index.html"


def input_key(options: BuildOptions, today: dt.date) -> str:
    """A fingerprint of everything a build reads: its settings, the workbook, the
    project's sources, mentorbook's version, catalogs and fonts; ``today`` is the build date."""
    digest = hashlib.sha256()
    settings = [VERSION, str(options.workbook or SAMPLE_WORKBOOK), options.blank,
                options.page_size or options.project.page_size, options.format,
                today.isoformat(), repr(options.project.branding),
                options.project.practices, options.project.pages, options.project.language]
    if options.fillable:
        settings.append("fillable")
    if options.pdf_beside:
        settings.append("pdf beside")
    digest.update(repr(settings).encode())
    sources = [options.workbook or SAMPLE_WORKBOOK] if not (options.blank and not options.workbook) else []
    project = options.project
    for folder in project.source_dirs:
        sources += files_under(folder)
    if project.config_file:
        sources.append(project.config_file)
    if project.directory_file:
        sources.append(project.directory_file)
    sources += sorted(LOCALE_DIR.rglob("*.po")) if LOCALE_DIR.is_dir() else []  # the texts of every language
    for path in sources:
        digest.update(str(path).encode() + b"\0")
        digest.update(source_stamp(path))
    digest.update(repr(sorted((n, p.stat().st_size) for n, p in font_files().items())).encode())
    return digest.hexdigest()


def layout_jobs(jobs: int | None) -> int:
    """Processes laying out a PDF: ``jobs``, or one per core."""
    if jobs:
        return jobs
    from .print.workers import cores

    return cores()


def build_date(today: dt.date | None) -> dt.date:
    """``today``, else the date of SOURCE_DATE_EPOCH (reproducible builds: seconds since 1970, UTC),
    else the system's date. A SOURCE_DATE_EPOCH that is not such a number, or gives a date outside
    the range mentorbook accepts, is a located error (the spec asks builds to stop on it)."""
    from .base.limits import MAX_DATE, MIN_DATE

    if today:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    day = None
    if epoch.isascii() and epoch.isdigit() and len(epoch) <= 12:
        day = dt.date(1970, 1, 1) + dt.timedelta(days=int(epoch) // 86400)
    if day is None or not MIN_DATE <= day <= MAX_DATE:
        raise InputError([Problem(Path("SOURCE_DATE_EPOCH"), None,
                                  f"'{shorten(epoch, 24)}' is not a time mentorbook can build at",
                                  hint=f"give whole seconds since 1970-01-01 UTC, up to {MAX_DATE.isoformat()} "
                                       "(for example 1767225600), or unset it")])
    return day


class Analysis(Struct):
    """Everything ``check`` reports: errors and insights, and the workbook if it is valid."""

    path: Path
    problems: list[Problem]
    workbook: Workbook | None = None
    language: Language = ENGLISH  # the language of the messages and of the outputs
    documents: tuple = ()  # outputs.documents.Handout: the documents the build makes

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notices(self) -> list[Problem]:
        """What the definitions switch off (program/contract.py): neither errors nor advice."""
        return [p for p in self.problems if p.severity == "notice"]


def analyse(options: BuildOptions) -> Analysis:
    """Load, validate and model a workbook, collecting every error and insight."""
    sources, problems = load_sources(options.project)
    problems = [*options.project.notices, *problems]
    path = options.workbook or SAMPLE_WORKBOOK
    if any(p.severity == "error" for p in problems):  # broken definitions: no workbook is read
        return Analysis(path, problems, language=language(options.project.language))
    raw: Any = {}
    if not options.blank or options.workbook:
        try:
            raw = load_workbook(path)
        except YamlFileError as exc:
            lang = workbook_language(path, options.project)  # read from the text, the YAML being broken
            problem = exc.problem
            if not lang.english:  # the same problem, said in the workbook's language
                try:
                    load_workbook(path, lang)
                except YamlFileError as again:
                    problem = again.problem
            return Analysis(path, problems + [problem], language=lang)
    return analyse_data(raw, path, options, sources, problems)


def analyse_data(raw: Any, path: Path, options: BuildOptions, sources: Sources,
                 problems: list[Problem] | None = None) -> Analysis:
    """Validate and model workbook data already read (from a file, or made from a roster).

    ``path`` is the file that problems are reported against.
    """
    problems = list(problems or [])
    lang = choose_language(raw, options.project)
    if any(p.severity == "error" for p in problems):  # broken definitions: the workbook is not checked
        return Analysis(path, problems, language=lang)
    localized, notices = localize_sources(sources, lang, options.project, path)
    if localized.contract is None:  # the roles of the fields are the same in every language
        localized = replace(localized, contract=sources.contract)
    sources = localized
    problems += notices
    if options.blank and not raw:  # a blank workbook for nobody in particular
        checked = Validated({}, [])
    else:
        checked = validate(raw, list(sources.definitions), path, lang)
    problems += checked.problems
    if any(p.severity == "error" for p in problems):
        return Analysis(path, problems, language=lang)
    if options.project.directory and not options.blank and options.suggested != ():
        from .insights.suggest import add_suggestions

        checked.data = add_suggestions(checked.data, options.project.directory, options.suggested,
                                       sources.contract)
    workbook = make_workbook(sources, checked.data, today=build_date(options.today), project=options.project,
                             blank=options.blank, prefilled=options.prefilled, language=lang)
    if not options.blank:  # a blank workbook has nothing to give feedback on
        from .insights import find_insights

        insights = find_insights(workbook, checked.locations, path)
        workbook = replace(workbook, insights=tuple(insights))
        problems += insights
    documents: tuple = ()
    if options.only is not None or (options.project.documents and options.format != "html"):
        from .print.documents import assemble, chosen

        picked, trouble = chosen(options.project, options.only, sources.definitions, lang)
        if trouble:
            return Analysis(path, problems + trouble, language=lang)
        documents = assemble(picked, sources.definitions, checked.data if not options.blank or options.prefilled
                             else {}, lang)
    return Analysis(path, problems, workbook, lang, documents)


def prepare(options: BuildOptions) -> Workbook:
    """Load and validate everything; raise InputError listing every error."""
    analysis = analyse(options)
    if analysis.workbook is None:
        raise InputError(analysis.errors, lang=None if analysis.language.english else analysis.language)
    return analysis.workbook


def _check_options(options: BuildOptions) -> None:
    page_size = options.page_size or options.project.page_size
    if page_size not in PAGE_SIZES:
        raise InputError([Problem(Path("--page-size"), None,
                                  said(N_("unknown page size '%(size)s'"), size=page_size),
                                  hint=said(N_("use %(first)s or %(second)s"), first=PAGE_SIZES[0],
                                            second=PAGE_SIZES[-1]))])
    if options.format not in FORMATS:
        raise InputError([Problem(Path("--format"), None,
                                  said(N_("unknown format '%(format)s'"), format=options.format),
                                  hint=said(N_("use %(formats)s"), formats=", ".join(FORMATS)))])
    if options.only is not None and options.format == "html":
        raise InputError([Problem(Path("--only"), None, said(N_("a document is a PDF: --format html makes none")),
                                  hint=said(N_("leave out --format html, or --only to build the site")))])


def _workbook_pdf(workbook: Workbook, options: BuildOptions, render_opts: RenderOptions, renderer, writer: Writer,
                  files: dict[str, str | bytes]) -> tuple[list[Problem], list[str]]:
    """Put the workbook's PDF and its print layout in ``files``; the PDF is laid out again only when
    the layout changed since the last build. Returns the layout's warnings and the files rendered."""
    from .print.pdf import render_print_files

    print_files = render_print_files(workbook, render_opts, options.project, renderer)
    layout_key = print_key(print_files)
    previous_pdf = writer.out_dir / PDF_NAME
    warnings: list[Problem] = []
    rendered: list[str] = []
    if writer.state.get("print") == layout_key and previous_pdf.is_file() and PDF_NAME in writer.previous:
        pdf = previous_pdf.read_bytes()  # same layout as last time: no need to run WeasyPrint
    else:
        from .print.workers import pdf_from_print_files as laid_out_side_by_side

        pdf, warnings = laid_out_side_by_side(print_files, workbook, render_opts, options.project,
                                              layout_jobs(options.jobs))
        rendered.append(PDF_NAME)
    files.update({f"print/{name}": content for name, content in print_files.items()})
    files[PDF_NAME] = pdf
    writer.state["print"] = layout_key
    return warnings, rendered


def build(options: BuildOptions, progress: Callable[..., None] = lambda step, **values: None) -> BuildResult:
    """Build the site and/or PDF. Nothing is written unless every step succeeds.

    A build whose inputs are unchanged since the last one renders nothing; the PDF
    is laid out again only when its print layout changed.
    """
    _check_options(options)
    out_dir = check_out_dir(options.out_dir, protected=options.project.protected_dirs,
                            root=options.project.root)
    writer = Writer(out_dir)
    key = input_key(options, build_date(options.today)) + (f"|only:{options.only}" if options.only else "")
    if writer.state.get("inputs") == key and writer.complete():
        progress(N_("nothing changed"))
        return BuildResult(workbook=None, out_dir=out_dir, up_to_date=True)
    progress(N_("reading and checking"))
    analysis = analyse(options)
    if analysis.workbook is None:
        raise InputError(analysis.errors, lang=None if analysis.language.english else analysis.language)
    workbook = analysis.workbook
    from .core.render import build_renderer

    renderer = build_renderer(options.project)
    render_opts = options.render_options
    files: dict[str, str | bytes] = {}
    warnings: list[Problem] = []
    rendered: list[str] = []
    if options.format in ("all", "pdf") and options.only is None:
        progress(N_("laying out PDF"))
        warnings, rendered = _workbook_pdf(workbook, options, render_opts, renderer, writer, files)
    if analysis.documents:
        from .print.documents import document_outputs

        progress(N_("laying out %(files)s"), files=", ".join(h.pdf_name for h in analysis.documents))
        made, more, laid_out = document_outputs(workbook, analysis.documents, render_opts, options.project,
                                                renderer, writer)
        files.update(made)
        warnings, rendered = warnings + more, rendered + laid_out
    if options.format in ("all", "html") and options.only is None:
        progress(N_("rendering site"))
        site = render_site(workbook, render_opts, options.project, renderer,
                           with_pdf=options.format == "all" or options.pdf_beside)
        files.update({f"site/{name}": content for name, content in site.items()})
        rendered += [f"site/{name}" for name in site if name.endswith(".html")]
        if options.format == "all":
            files[f"site/{PDF_NAME}"] = files[PDF_NAME]
    progress(N_("writing"))
    writer.state["inputs"] = key
    written = writer.write_all(files)
    return BuildResult(workbook=workbook, out_dir=out_dir, files=written,
                       warnings=[*options.project.notices, *analysis.notices, *warnings], rendered=rendered,
                       documents=[out_dir / h.pdf_name for h in analysis.documents])
