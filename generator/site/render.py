"""The site: every page, stylesheet, script and font of the HTML workbook, in memory."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup, escape
from msgspec import Struct
from msgspec.structs import replace

from ..base.i18n import N_
from ..core.fonts import web_font_bytes, web_font_css
from ..core.model import Workbook
from ..core.options import PDF_NAME, RenderOptions
from ..core.render import Renderer, logo_path, make_renderer
from ..program.colours import palette
from ..program.project import BUILTIN, Project
from .search import search_index_script

HOME = N_("Home")
TEMPLATES = {"home": "index.html", "page": "page.html", "practice": "practice.html"}
_RENDERED: dict[str, str] = {}  # a page's HTML by what it is made from, for builds in one process (serve)
_KEPT = 64


class SitePage(Struct, frozen=True):
    """One page of the site: where it goes and what it shows."""

    path: str
    title: str
    kind: str  # "home", "page" or "practice"
    key: str  # practice or page id
    number: int = 0  # a practice's place in the cycle


def site_pages(workbook: Workbook) -> list[SitePage]:
    """The pages of the site, in reading order."""
    pages = [
        SitePage("index.html", workbook.language.gettext(HOME), "home", "home"),
        SitePage("introduction.html", workbook.introduction.title, "page", "introduction"),
    ]
    pages += [SitePage(f"{p.id}.html", p.title, "practice", p.id, p.order) for p in workbook.practices]
    pages += [SitePage(f"{p.id}.html", p.title, "page", p.id) for p in workbook.pages]
    return pages


def _shared_context(renderer: Renderer, workbook: Workbook, pdf_name: str | None, options: RenderOptions,
                    pages: list[SitePage]) -> dict[str, Any]:
    """What every page of the site is given: the workbook, the navigation, the figure and the colours."""
    nav = renderer.render("_nav.html", wb=workbook, options=options, pages=pages)  # the same on every page

    def nav_for(page: SitePage) -> Markup:
        link = f'href="{escape(page.path)}" data-nav'
        return Markup(nav.replace(link, f'{link} aria-current="page"', 1))

    return {
        "wb": workbook,
        "options": options,
        "pages": pages,
        "pdf_name": pdf_name,
        "cycle": renderer.cycle(workbook, options.blank),
        "logo": f"assets/brand/{PurePosixPath(workbook.branding.logo).name}" if workbook.branding.logo else "",
        "nav_for": nav_for,
        "palette_css": Markup(palette(workbook.branding.primary, workbook.branding.accent).css()),
    }


def site_files(renderer: Renderer, workbook: Workbook, pdf_name: str | None,
               options: RenderOptions = RenderOptions()) -> dict[str, str]:
    """Every page, the stylesheet and the scripts of the site, keyed by path inside the site,
    in the workbook's own language."""
    renderer = renderer.speaking(workbook.language)
    pages = site_pages(workbook)
    shared = _shared_context(renderer, workbook, pdf_name, options, pages)
    css = web_font_css(lambda name: f"fonts/{name}") + renderer.asset("site.css")
    # search.js is a template only for its texts (JSON strings: {{ _("...") | tojson }})
    files: dict[str, str] = {"assets/style.css": css, "assets/search.js": renderer.render("search.js")}
    documents = {p.id: p for p in (workbook.introduction, *workbook.pages)}
    stamp = _templates_stamp(renderer)  # once for every page
    for i, page in enumerate(pages):
        context = {**shared, "page": page, "previous": pages[i - 1] if i > 0 else None,
                   "next": pages[i + 1] if i + 1 < len(pages) else None}
        if page.kind == "practice":
            context["practice"] = workbook.practice(page.key)
        elif page.kind == "page":
            context["doc"] = documents[page.key]
        key = _page_key(renderer, workbook, context, stamp)
        files[page.path] = _RENDERED.get(key) if key else None
        if files[page.path] is None:
            files[page.path] = renderer.render(TEMPLATES[page.kind], **context)
            _keep(key, files[page.path])
    files["assets/search-index.js"] = search_index_script(
        [(page.path, page.title, files[page.path]) for page in pages])
    return files


def _page_key(renderer: Renderer, workbook: Workbook, context: dict[str, Any], stamp: tuple | None) -> str | None:
    """What a practice or guidance page is made from, or None (the home page, or a program's
    own templates, which may show anything: ``stamp`` None): a page whose key is unchanged is
    not rendered again.

    The built-in page templates show, of the workbook, only its branding, owner, title,
    date, attribution and numbering besides the page's own practice or guidance, and
    the navigation (rendered once, in the key)."""
    import hashlib

    page = context["page"]
    if page.kind == "home" or stamp is None:
        return None
    shared = {k: v for k, v in context.items() if k not in ("wb", "nav_for")}
    made_of = (TEMPLATES[page.kind], renderer.language.tag, stamp, repr(shared),
               str(context["nav_for"](page)), repr((workbook.branding, workbook.trainee, workbook.title, workbook.date,
                                                    workbook.attribution, workbook.numbered, len(workbook.practices))))
    return hashlib.sha256(repr(made_of).encode()).hexdigest()


def _templates_stamp(renderer: Renderer) -> tuple | None:
    """The built-in templates as they are on disk (a checkout's may change while serve runs), or
    None when a program has templates of its own (they may show anything: no page is kept)."""
    from ..base.paths import TEMPLATES_DIR

    stamp = []
    for folder in renderer.template_dirs:
        files = sorted(folder.rglob("*.html")) if folder.is_dir() else []
        if folder != TEMPLATES_DIR and files:
            return None
        stamp += [(p.name, (info := p.stat()).st_mtime_ns, info.st_size) for p in files]
    return tuple(stamp)


def _keep(key: str | None, html: str) -> None:
    if key:
        _RENDERED[key] = html
        while len(_RENDERED) > _KEPT:
            _RENDERED.pop(next(iter(_RENDERED)))


def render_site(workbook: Workbook, options: RenderOptions, project: Project = BUILTIN, renderer=None,
                with_pdf: bool = True) -> dict[str, str | bytes]:
    """Every file of the site (pages, stylesheet, fonts), keyed by path inside the site.

    With ``with_pdf`` the pages link to the PDF workbook beside them. The site never
    shows form fields: those are for the fillable PDF.
    """
    renderer = renderer or make_renderer(project)
    site_options = replace(options, fillable=False)
    files: dict[str, str | bytes] = dict(site_files(renderer, workbook, PDF_NAME if with_pdf else None,
                                                    site_options))
    for name, data in web_font_bytes().items():
        files[f"assets/fonts/{name}"] = data
    logo = logo_path(project)
    if logo:
        files[f"assets/brand/{logo.name}"] = logo.read_bytes()
    return files
