"""The build pipeline: load -> validate -> model -> render -> write."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .assemble import make_workbook
from .errors import InputError, Problem
from .fonts import font_dirs, font_files
from .insights import find_insights
from .load import load_sources, load_workbook
from .model import Workbook
from .paths import CONTENT_DIR, DEFAULT_OUT_DIR, GUIDE_DIR, SAMPLE_WORKBOOK, TEMPLATES_DIR, WORKSHEETS_DIR
from .validate import validate
from .writer import Writer, check_out_dir
from .yamlio import YamlFileError

PAGE_SIZES = ("letter", "a4")
PDF_NAME = "workbook.pdf"


@dataclass(frozen=True)
class BuildOptions:
    workbook: Path | None = None  # None: the bundled sample
    out_dir: Path = DEFAULT_OUT_DIR
    blank: bool = False
    page_size: str = "letter"
    today: dt.date | None = None


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


def analyse(options: BuildOptions) -> Analysis:
    """Load, validate and model a workbook, collecting every error and insight."""
    sources, problems = load_sources(GUIDE_DIR, WORKSHEETS_DIR)
    data: dict = {}
    locations: dict = {}
    path = options.workbook or SAMPLE_WORKBOOK
    if not options.blank or options.workbook:
        try:
            raw = load_workbook(path)
        except YamlFileError as exc:
            problems.append(exc.problem)
        else:
            checked = validate(raw, list(sources.definitions), path)
            problems += checked.problems
            data, locations = checked.data, checked.locations
    if any(p.severity == "error" for p in problems):
        return Analysis(path, problems)
    workbook = make_workbook(sources, data, blank=options.blank, page_size=options.page_size,
                             today=build_date(options.today))
    if not options.blank:
        insights = find_insights(workbook, locations, path)
        workbook = replace(workbook, insights=tuple(insights))
        problems += insights
    return Analysis(path, problems, workbook)


def prepare(options: BuildOptions) -> Workbook:
    """Load and validate everything; raise InputError listing every error."""
    analysis = analyse(options)
    if analysis.workbook is None:
        raise InputError(analysis.errors)
    return analysis.workbook


def build(options: BuildOptions, progress: Callable[[str], None] = lambda step: None) -> BuildResult:
    """Build the site and PDF. Nothing is written unless every step succeeds."""
    from .pdf import html_to_pdf
    from .render import Renderer

    if options.page_size not in PAGE_SIZES:
        raise InputError([Problem(Path("--page-size"), None, f"unknown page size '{options.page_size}'",
                                  hint="use letter or a4")])
    out_dir = check_out_dir(options.out_dir)
    progress("reading and checking")
    workbook = prepare(options)
    renderer = Renderer([TEMPLATES_DIR])
    progress("rendering site")
    files: dict[str, str | bytes] = {f"site/{k}": v for k, v in renderer.render_site(workbook, PDF_NAME).items()}
    progress("laying out PDF")
    stamp = dt.datetime.combine(workbook.date, dt.time(12, 0), dt.timezone.utc).isoformat()
    pdf, refused = html_to_pdf(renderer.render_print(workbook), TEMPLATES_DIR,
                                [TEMPLATES_DIR, CONTENT_DIR, *font_dirs()], stamp)
    for name, path in font_files().items():
        files[f"site/assets/fonts/{name}"] = path.read_bytes()
    files[PDF_NAME] = pdf
    files[f"site/{PDF_NAME}"] = pdf
    progress("writing")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = Writer(out_dir).write_all(files)
    warnings = [Problem(TEMPLATES_DIR, None, f"not embedded: {url} is outside the allowed folders",
                        severity="warning", hint="keep images and styles inside the project")
                for url in refused]
    return BuildResult(workbook=workbook, out_dir=out_dir, files=written, warnings=warnings)
