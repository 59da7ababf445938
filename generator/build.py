"""The build pipeline: load -> validate -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .assemble import make_workbook
from .errors import InputError, Problem
from .fonts import font_dirs, font_files
from .insights import find_insights
from .load import Sources, load_sources, load_workbook
from .model import Workbook
from .paths import DEFAULT_OUT_DIR, SAMPLE_WORKBOOK
from .project import BUILTIN, Project
from .validate import Validated, validate
from .writer import Writer, check_out_dir
from .yamlio import YamlFileError

PAGE_SIZES = ("letter", "a4")
PDF_NAME = "workbook.pdf"


@dataclass(frozen=True)
class BuildOptions:
    workbook: Path | None = None  # None: the bundled sample
    out_dir: Path = DEFAULT_OUT_DIR
    blank: bool = False
    page_size: str | None = None  # None: the project's page size (letter unless a program says a4)
    today: dt.date | None = None
    project: Project = BUILTIN


@dataclass
class BuildResult:
    workbook: Workbook
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

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


def analyse(options: BuildOptions, sources: Sources | None = None) -> Analysis:
    """Load, validate and model a workbook, collecting every error and insight."""
    problems: list[Problem] = []
    if sources is None:
        sources, problems = load_sources(options.project)
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
                             today=build_date(options.today), project=options.project)
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


def render_pdf(workbook: Workbook, project: Project = BUILTIN, renderer=None) -> tuple[bytes, list[Problem]]:
    """The PDF workbook as bytes, and warnings for resources that were not embedded."""
    from .pdf import html_to_pdf

    renderer = renderer or make_renderer(project)
    stamp = dt.datetime.combine(workbook.date, dt.time(12, 0), dt.timezone.utc).isoformat()
    logo = logo_path(project)
    html = renderer.render_print(workbook, logo.as_uri() if logo else "")
    pdf, refused = html_to_pdf(html, project.template_dirs[0],
                               [*project.allowed_roots, *font_dirs()], stamp)
    warnings = [Problem(project.template_dirs[0], None, f"not embedded: {url} is outside the allowed folders",
                        severity="warning", hint="keep images and styles inside the project")
                for url in refused]
    return pdf, warnings


def render_site(workbook: Workbook, project: Project = BUILTIN, renderer=None) -> dict[str, str | bytes]:
    """Every file of the site (pages, stylesheet, fonts), keyed by path inside the site."""
    renderer = renderer or make_renderer(project)
    files: dict[str, str | bytes] = dict(renderer.render_site(workbook, PDF_NAME))
    for name, path in font_files().items():
        files[f"assets/fonts/{name}"] = path.read_bytes()
    logo = logo_path(project)
    if logo:
        files[f"assets/brand/{logo.name}"] = logo.read_bytes()
    return files


def logo_path(project: Project) -> Path | None:
    if not (project.branding.logo and project.asset_dirs):
        return None
    return project.asset_dirs[0] / project.branding.logo


def build(options: BuildOptions, progress: Callable[[str], None] = lambda step: None) -> BuildResult:
    """Build the site and PDF. Nothing is written unless every step succeeds."""
    page_size = options.page_size or options.project.page_size
    if page_size not in PAGE_SIZES:
        raise InputError([Problem(Path("--page-size"), None, f"unknown page size '{page_size}'",
                                  hint="use letter or a4")])
    out_dir = check_out_dir(options.out_dir, protected=options.project.protected_dirs)
    progress("reading and checking")
    workbook = prepare(options)
    renderer = make_renderer(options.project)
    progress("rendering site")
    files: dict[str, str | bytes] = {f"site/{k}": v for k, v in render_site(workbook, options.project, renderer).items()}
    progress("laying out PDF")
    pdf, warnings = render_pdf(workbook, options.project, renderer)
    files[PDF_NAME] = pdf
    files[f"site/{PDF_NAME}"] = pdf
    progress("writing")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = Writer(out_dir).write_all(files)
    return BuildResult(workbook=workbook, out_dir=out_dir, files=written, warnings=warnings)
