"""The build pipeline: load -> validate -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .assemble import make_workbook
from .errors import InputError, Problem
from ..outputs.fonts import font_bytes, font_files
from ..insights import find_insights
from .load import Sources, load_sources, load_workbook
from .model import Workbook
from .paths import DEFAULT_OUT_DIR, SAMPLE_WORKBOOK
from .project import BUILTIN, PAGE_SIZES, Project
from .validate import Validated, validate
from .writer import Writer, check_out_dir
from .yamlio import YamlFileError

FORMATS = ("all", "html", "pdf")
PDF_NAME = "workbook.pdf"
PRINT_HTML = "workbook.html"


@dataclass(frozen=True)
class BuildOptions:
    workbook: Path | None = None  # None: the bundled sample
    out_dir: Path = DEFAULT_OUT_DIR
    blank: bool = False
    page_size: str | None = None  # None: the project's page size (letter unless a program says a4)
    today: dt.date | None = None
    project: Project = BUILTIN
    format: str = "all"  # all, html (site only) or pdf (PDF and its print layout only)
    prefilled: bool = False  # with blank: the data holds a few known answers (a roster's) to print
    fillable: bool = False  # the PDF's worksheets become form fields (see fillable.py)


@dataclass
class BuildResult:
    workbook: Workbook | None  # None when nothing changed and nothing was read
    out_dir: Path
    files: list[Path] = field(default_factory=list)  # files whose content changed
    warnings: list[Problem] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # outputs laid out by this build
    up_to_date: bool = False

    @property
    def pdf(self) -> Path:
        return self.out_dir / PDF_NAME

    @property
    def site_index(self) -> Path:
        return self.out_dir / "site" / "index.html"


def build_date(today: dt.date | None) -> dt.date:
    if today:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


@dataclass
class Analysis:
    """Everything ``check`` reports: errors and insights, and the workbook if it is valid."""

    path: Path
    problems: list[Problem]
    workbook: Workbook | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def analyse(options: BuildOptions) -> Analysis:
    """Load, validate and model a workbook, collecting every error and insight."""
    sources, problems = load_sources(options.project)
    problems = [*options.project.notices, *problems]
    path = options.workbook or SAMPLE_WORKBOOK
    raw: Any = {}
    if not options.blank or options.workbook:
        try:
            raw = load_workbook(path)
        except YamlFileError as exc:
            return Analysis(path, problems + [exc.problem])
    return analyse_data(raw, path, options, sources, problems)


def analyse_data(raw: Any, path: Path, options: BuildOptions, sources: Sources,
                 problems: list[Problem] | None = None) -> Analysis:
    """Validate and model workbook data already read (from a file, or made from a roster).

    ``path`` is the file that problems are reported against.
    """
    problems = list(problems or [])
    if options.blank and not raw:  # a blank workbook for nobody in particular
        checked = Validated({}, [])
    else:
        checked = validate(raw, list(sources.definitions), path)
    problems += checked.problems
    if any(p.severity == "error" for p in problems):
        return Analysis(path, problems)
    workbook = make_workbook(sources, checked.data, blank=options.blank,
                             page_size=options.page_size or options.project.page_size,
                             today=build_date(options.today), project=options.project,
                             prefilled=options.prefilled, fillable=options.fillable)
    if not options.blank:
        insights = find_insights(workbook, checked.locations, path)
        workbook = replace(workbook, insights=tuple(insights))
        problems += insights
    return Analysis(path, problems, workbook)


def prepare(options: BuildOptions) -> Workbook:
    """Load and validate everything; raise InputError listing every error."""
    analysis = analyse(options)
    if analysis.workbook is None:
        raise InputError(analysis.errors)
    return analysis.workbook


def make_renderer(project: Project = BUILTIN):
    from .render import Renderer

    return Renderer(project.template_dirs)


def render_print_files(workbook: Workbook, project: Project = BUILTIN, renderer=None) -> dict[str, str | bytes]:
    """The print layout as files: workbook.html with print.css, fonts and logo beside it.

    Kept in the output folder so a PDF can be made again with bare WeasyPrint, or
    the layout inspected in a browser.
    """
    renderer = renderer or make_renderer(project)
    logo = logo_path(project)
    files: dict[str, str | bytes] = {
        PRINT_HTML: renderer.render_print(workbook, logo.name if logo else ""),
        "print.css": renderer.print_css(),
    }
    for name, data in font_bytes().items():
        files[f"fonts/{name}"] = data
    if logo:
        files[logo.name] = logo.read_bytes()
    if workbook.fillable:
        from ..outputs.forms import FORM_CSS

        files[FORM_CSS] = renderer.asset(FORM_CSS)
    return files


def pdf_from_print_files(files: dict[str, str | bytes], workbook: Workbook,
                         project: Project = BUILTIN) -> tuple[bytes, list[Problem]]:
    """Lay out print files (see render_print_files) as a PDF; warn about refused resources."""
    from ..outputs.pdf import html_to_pdf

    stamp = dt.datetime.combine(workbook.date, dt.time(12, 0), dt.timezone.utc).isoformat()
    with tempfile.TemporaryDirectory(prefix="mentorbook-print-") as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        pdf, refused = html_to_pdf(str(files[PRINT_HTML]), folder, [folder, *project.allowed_roots], stamp,
                                   forms=workbook.fillable)
    warnings = [Problem(project.template_dirs[0], None, f"not embedded: {url} is outside the allowed folders",
                        severity="warning", hint="keep images and styles inside the project")
                for url in refused]
    return pdf, warnings


def render_pdf(workbook: Workbook, project: Project = BUILTIN, renderer=None) -> tuple[bytes, list[Problem]]:
    """The PDF workbook as bytes, and warnings for resources that were not embedded."""
    return pdf_from_print_files(render_print_files(workbook, project, renderer), workbook, project)


def render_site(workbook: Workbook, project: Project = BUILTIN, renderer=None,
                with_pdf: bool = True) -> dict[str, str | bytes]:
    """Every file of the site (pages, stylesheet, fonts), keyed by path inside the site."""
    renderer = renderer or make_renderer(project)
    files: dict[str, str | bytes] = dict(renderer.render_site(workbook, PDF_NAME if with_pdf else None))
    for name, data in font_bytes().items():
        files[f"assets/fonts/{name}"] = data
    logo = logo_path(project)
    if logo:
        files[f"assets/brand/{logo.name}"] = logo.read_bytes()
    return files


def logo_path(project: Project) -> Path | None:
    if not (project.branding.logo and project.asset_dirs):
        return None
    return project.asset_dirs[0] / project.branding.logo


def input_key(options: BuildOptions) -> str:
    """A fingerprint of everything a build reads: when it is unchanged, so is the output."""
    from .. import __version__

    digest = hashlib.sha256()
    settings = [__version__, str(options.workbook or SAMPLE_WORKBOOK), options.blank,
                options.page_size or options.project.page_size, options.format,
                build_date(options.today).isoformat(), repr(options.project.branding),
                options.project.practices, options.project.pages]
    if options.fillable:
        settings.append("fillable")
    digest.update(repr(settings).encode())
    sources = [options.workbook or SAMPLE_WORKBOOK] if not (options.blank and not options.workbook) else []
    project = options.project
    for folder in project.source_dirs:
        sources += sorted(p for p in folder.rglob("*") if p.is_file())
    if project.config_file:
        sources.append(project.config_file)
    for path in sources:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    digest.update(repr(sorted((n, p.stat().st_size) for n, p in font_files().items())).encode())
    return digest.hexdigest()


def build(options: BuildOptions, progress: Callable[[str], None] = lambda step: None) -> BuildResult:
    """Build the site and/or PDF. Nothing is written unless every step succeeds.

    A build whose inputs are unchanged since the last one renders nothing; the PDF
    is laid out again only when its print layout changed.
    """
    page_size = options.page_size or options.project.page_size
    if page_size not in PAGE_SIZES:
        raise InputError([Problem(Path("--page-size"), None, f"unknown page size '{page_size}'",
                                  hint="use " + " or ".join(PAGE_SIZES))])
    if options.format not in FORMATS:
        raise InputError([Problem(Path("--format"), None, f"unknown format '{options.format}'",
                                  hint="use " + ", ".join(FORMATS))])
    out_dir = check_out_dir(options.out_dir, protected=options.project.protected_dirs)
    writer = Writer(out_dir)
    key = input_key(options)
    if writer.state.get("inputs") == key and writer.complete():
        progress("nothing changed")
        return BuildResult(workbook=None, out_dir=out_dir, up_to_date=True)
    progress("reading and checking")
    workbook = prepare(options)
    renderer = make_renderer(options.project)
    files: dict[str, str | bytes] = {}
    warnings: list[Problem] = []
    rendered: list[str] = []
    if options.format in ("all", "pdf"):
        progress("laying out PDF")
        print_files = render_print_files(workbook, options.project, renderer)
        print_key = hashlib.sha256(repr(sorted(print_files.items())).encode()).hexdigest()
        previous_pdf = out_dir / PDF_NAME
        if writer.state.get("print") == print_key and previous_pdf.is_file() and PDF_NAME in writer.previous:
            pdf = previous_pdf.read_bytes()  # same layout as last time: no need to run WeasyPrint
        else:
            pdf, warnings = pdf_from_print_files(print_files, workbook, options.project)
            rendered.append(PDF_NAME)
        files.update({f"print/{name}": content for name, content in print_files.items()})
        files[PDF_NAME] = pdf
        writer.state["print"] = print_key
    if options.format in ("all", "html"):
        progress("rendering site")
        from ..outputs.forms import for_site

        site = render_site(for_site(workbook), options.project, renderer, with_pdf=options.format == "all")
        files.update({f"site/{name}": content for name, content in site.items()})
        rendered += [f"site/{name}" for name in site if name.endswith(".html")]
        if options.format == "all":
            files[f"site/{PDF_NAME}"] = files[PDF_NAME]
    progress("writing")
    out_dir.mkdir(parents=True, exist_ok=True)
    writer.state["inputs"] = key
    written = writer.write_all(files)
    return BuildResult(workbook=workbook, out_dir=out_dir, files=written,
                       warnings=[*options.project.notices, *warnings], rendered=rendered)
