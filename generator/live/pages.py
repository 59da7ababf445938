"""The editor's pages: a worksheet as a form, the two versions of a refused save, the
earlier versions of the file. Each is drawn in the site's own frame (base.html) and in
the workbook's language, from the file as it is on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

from ..base.errors import MentorbookError, Problem
from ..base.i18n import ENGLISH, Language
from ..base.safepath import UnreadableFile, read_limited
from ..base.yamlio import MAX_BYTES, YamlFileError, parse_yaml
from ..core.assemble import make_workbook
from ..core.load import load_sources
from ..core.localize import choose_language, localize_sources
from ..core.options import RenderOptions
from ..core.render import Renderer
from ..fields.fielddef import FieldDef
from ..pipeline import BuildOptions, analyse_data, build_date
from ..program.definitions import PROFILE
from ..site.render import SitePage, _shared_context, site_pages
from .forms import Editor

EDIT_PAGE = "mentorbook-edit.html"  # /mentorbook-edit.html?sheet=ID (beside the site's pages)
HISTORY_PAGE = "mentorbook-history.html"
ASSETS = "__mentorbook__"  # the editor's script, stylesheet and status: never a page of the site
TRAINEE = "trainee"


class Section(Struct, frozen=True):
    """What one edit page edits: a worksheet, or the trainee's details."""

    id: str
    title: str
    fdef: FieldDef  # the section seen as one field (a group, or cards for a worksheet of entries)
    definition: Any  # the WorksheetDef; None for the trainee's details
    page: str  # the site page that shows it


class FileState(Struct):
    """The workbook file as it is now: its bytes, what it holds and what check says of it."""

    path: Path
    data: bytes = b""
    text: str = ""
    raw: Any = None  # the file's data as read (lines and columns kept); None when it cannot be read
    broken: Problem | None = None  # why it cannot be read
    problems: list[Problem] = field(default_factory=list)
    sources: Any = None  # the definitions and guidance in the workbook's language
    plain_sources: Any = None  # as loaded, for checking another text of the file
    lang: Language = ENGLISH
    workbook: Any = None  # the assembled workbook, when the file has no errors

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_state(path: Path, options: BuildOptions) -> FileState:
    state = FileState(path)
    sources, problems = load_sources(options.project)
    state.plain_sources = sources
    try:
        state.data = read_limited(path, MAX_BYTES)
        state.text = state.data.decode("utf-8").removeprefix("\ufeff")
        state.raw = parse_yaml(state.text, path)
    except UnreadableFile as exc:
        state.broken = Problem(path, None, exc.reason)
    except UnicodeDecodeError:
        state.broken = Problem(path, None, "the file is not UTF-8 text")
    except YamlFileError as exc:
        state.broken = exc.problem
    state.lang = choose_language(state.raw or {}, options.project)
    state.sources, _ = localize_sources(sources, state.lang, options.project, path)
    if state.broken is None:
        analysis = analyse_data(state.raw, path, options, sources, [*options.project.notices, *problems])
        state.problems, state.workbook = analysis.problems, analysis.workbook
    return state


def check_text(state: FileState, options: BuildOptions) -> Any:
    """``check(text)``: the problems ``check`` reports for another text of the file."""

    def check(text: str) -> list[Problem]:
        try:
            raw = parse_yaml(text, state.path)
        except YamlFileError as exc:
            return [exc.problem]
        return analyse_data(raw, state.path, options, state.plain_sources).problems

    check.lang = state.lang
    return check


def sections(state: FileState) -> dict[str, Section]:
    """Every section the editor can edit, in the order of the file's sections."""
    _ = state.lang.gettext
    titles = {page.id: str(page.meta.get("title", page.id)) for page in state.sources.guide}  # the practices

    def label(choice: Any) -> str:
        return titles.get(choice.value) or _(choice.label)

    profile = replace(PROFILE, label=_(PROFILE.label), fields=tuple(
        replace(f, label=_(f.label), choices=tuple(replace(c, label=label(c)) for c in f.choices))
        for f in PROFILE.fields))
    found = {TRAINEE: Section(TRAINEE, _("Your details"), profile, None, "index.html")}
    for d in state.sources.definitions:
        found[d.id] = Section(d.id, d.title, d.as_field(), d, f"{d.practice}.html")
    return found


def chrome(renderer: Renderer, state: FileState, options: BuildOptions, section: Section | None,
           title: str) -> dict[str, Any]:
    """What base.html needs: the site's frame around an editor page."""
    workbook = state.workbook or make_workbook(state.sources, {}, today=build_date(options.today),
                                               project=options.project, blank=True, language=state.lang)
    pages = site_pages(workbook)
    shown = next((p for p in pages if section and p.path == section.page), None)
    page = SitePage(shown.path if shown else EDIT_PAGE, title, shown.kind if shown else "page",
                    shown.key if shown else "edit")  # the navigation marks the page that shows the section
    context = _shared_context(renderer, workbook, None, RenderOptions(), pages)
    return {**context, "page": page, "previous": None, "next": None}


def with_editor_assets(html: str) -> str:
    """The page with the editor's stylesheet and script (served beside the site's)."""
    head = f'<link rel="stylesheet" href="{ASSETS}/editor.css">\n'
    html = html.replace("</head>", head + "</head>", 1)
    return html.replace("</body>", f'<script src="{ASSETS}/editor.js"></script>\n</body>', 1)


def errors_by_field(state: FileState) -> dict[str, list[str]]:
    """Each error's located message as ``check`` prints it, by the field it is about."""
    found: dict[str, list[str]] = {}
    for problem in state.problems:
        if problem.severity == "error" and problem.field:
            found.setdefault(problem.field, []).append(problem.format(state.lang))
    return found


def edit_macros(renderer: Renderer) -> Renderer:
    """The renderer, with ``edit_macro(f, role)`` for _editor.html: a type's own editor macro,
    or, for a program's own type that has none, a line to type its answer on."""

    def edit_macro(fdef: FieldDef, role: str) -> Any:
        try:
            return renderer.field_macro(fdef, role)
        except MentorbookError:
            return renderer.field_macro(replace(fdef, type="text", lines=1), role)

    renderer.env.globals["edit_macro"] = edit_macro
    return renderer


def edit_page(renderer: Renderer, state: FileState, options: BuildOptions, section: Section,
              controls: dict[str, str], notice: dict[str, Any] | None = None) -> str:
    renderer = edit_macros(renderer.speaking(state.lang))
    editor = Editor(errors_by_field(state))
    value = state.raw.get(section.id) if isinstance(state.raw, dict) else None
    slot = editor.slot(section.id, value)
    context = chrome(renderer, state, options, section, section.title)
    others = [p.format(state.lang) for p in state.problems if p.severity == "error"
              and not (p.field or "").startswith((section.id + ".", section.id + "[")) and p.field != section.id]
    html = renderer.render("edit.html", **context, section=section, slot=slot, editor=editor, state=state,
                           controls=controls, notice=notice or {}, others=others, edit_page=EDIT_PAGE,
                           history_page=HISTORY_PAGE, assets=ASSETS)
    return with_editor_assets(html)


def site_asset(renderer: Renderer, path: str) -> tuple[bytes, str] | None:
    """A file of the site's assets/ made from the templates, for the editor's pages while the
    workbook has never built (its first version has errors): (content, type), or None."""
    from ..core.fonts import web_font_bytes, web_font_css
    from ..site.search import search_index_script

    name = path.removeprefix("/assets/")
    if name == "style.css":
        css = web_font_css(lambda font: f"fonts/{font}") + renderer.asset("site.css")
        return css.encode("utf-8"), "text/css; charset=utf-8"
    if name == "search.js":
        return renderer.render("search.js").encode("utf-8"), "text/javascript; charset=utf-8"
    if name == "search-index.js":
        return search_index_script([]).encode("utf-8"), "text/javascript; charset=utf-8"
    fonts = web_font_bytes()
    if name.startswith("fonts/") and name[6:] in fonts:
        return fonts[name[6:]], "font/woff2"
    return None
