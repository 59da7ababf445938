"""The site: every page, stylesheet, script and font of the HTML workbook, in memory."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup, escape
from msgspec import Struct
from msgspec.structs import replace

from ..base.i18n import N_
from ..core.fonts import web_faces, web_font, web_font_css
from ..core.model import Trainee, Workbook
from ..core.options import PDF_NAME, RenderOptions
from ..core.render import Renderer, logo_path, make_renderer
from ..program.colours import palette
from ..program.project import BUILTIN, Project
from .search import search_index_script

HOME = N_("Home")
TEMPLATES = {"home": "index.html", "page": "page.html", "practice": "practice.html"}
# for builds in one process (serve): per page, what it was last made from, its HTML, and the
# repr of what it was made from once a later build compared it. What a page is made from is
# never changed in place (the model is frozen; each build reads its workbook afresh), so it
# still says at the next build what the page shows.
_RENDERED: dict[tuple[str, str, str], list] = {}
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
    # search.js is a template only for its texts (JSON strings: {{ _("...") | tojson }})
    files: dict[str, str] = {"assets/search.js": renderer.render("search.js")}
    documents = {p.id: p for p in (workbook.introduction, *workbook.pages)}
    stamp = _templates_stamp(renderer)  # once for every page
    for i, page in enumerate(pages):
        context = {**shared, "page": page, "previous": pages[i - 1] if i > 0 else None,
                   "next": pages[i + 1] if i + 1 < len(pages) else None}
        if page.kind == "practice":
            context["practice"] = workbook.practice(page.key)
        elif page.kind == "page":
            context["doc"] = documents[page.key]
        made_of = _made_of(workbook, context, stamp)
        slot = (page.path, TEMPLATES[page.kind], renderer.language.tag)
        kept = _RENDERED.get(slot) if made_of else None
        if kept and _same(kept, made_of):
            files[page.path] = kept[1]
        else:
            files[page.path] = renderer.render(TEMPLATES[page.kind], **context)
            _keep(slot, made_of, files[page.path])
    files["assets/search-index.js"] = search_index_script(
        [(page.path, page.title, files[page.path]) for page in pages], publishable=_for_nobody(workbook, options))
    stylesheet = renderer.asset("site.css")
    shown = _shown([files[page.path] for page in pages] + [files["assets/search.js"]], stylesheet)
    files["assets/style.css"] = web_font_css(lambda name: f"fonts/{name}", shown) + stylesheet
    return files


def _for_nobody(workbook: Workbook, options: RenderOptions) -> bool:
    """A blank workbook for nobody in particular (the guide as a program hands it out): its pages
    show no one's name or answers, only what the program publishes."""
    return options.blank and workbook.trainee == Trainee(name="") \
        and not any(sheet.entries for practice in workbook.practices for sheet in practice.worksheets)


_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([0-9a-fA-F]{1,6})")  # a script's \u00e9, a stylesheet's \2605


def _shown(texts: list[str], stylesheet: str) -> frozenset[str]:
    """The characters a browser may draw for these pages and scripts and this stylesheet: their
    text with character references and escapes (a script's ``\\u00e9``, a stylesheet's
    ``content: "\\2605"``) resolved, in upper and lower case too (the stylesheet sets labels and
    headings in capitals: "µ" is drawn as a Greek "Μ"). The site ships the font files of the
    scripts they are in, and no others."""
    shown: set[str] = set()
    for text in (*texts, stylesheet):
        shown.update(text)  # a reference's own characters too: the markup around them is ASCII anyway
        if "&" in text:
            shown.update(_referenced(text))
        if "\\" in text:
            shown.update(chr(code) for script, css in _ESCAPE.findall(text)
                         if (code := int(script or css, 16)) < 0x110000)
    cased = "".join(shown)
    shown.update(cased.upper())
    shown.update(cased.lower())
    return frozenset(shown)


_REFERENCE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|[A-Za-z][A-Za-z0-9]*);?")


def _referenced(text: str) -> str:
    """The characters ``text``'s character references stand for, as html.unescape reads them.
    Numeric references to ordinary characters (what templates and the sanitizer write: ``&#39;``)
    are read here; a named one or any other number goes through html.unescape, as written, which
    is imported only then (its table is large). A number too long for any character (on which
    html.unescape raises ValueError) stands for U+FFFD, as a browser shows it."""
    found, others = [], set()
    for match in _REFERENCE.finditer(text):
        decimal, hexadecimal = match.groups()
        if decimal or hexadecimal:
            digits = (decimal or hexadecimal).lstrip("0") or "0"
            if len(digits) > (7 if decimal else 6):  # past U+10FFFF
                found.append("\ufffd")
                continue
            code = int(digits, 10 if decimal else 16)
            if 0x20 <= code < 0x7F or 0xA0 <= code < 0xD800 or 0xE000 <= code < 0xFDD0:  # given as they are
                found.append(chr(code))
                continue
        others.add(match.group())
    if others:
        from html import unescape

        found += [unescape(reference) for reference in others]
    return "".join(found)


def _made_of(workbook: Workbook, context: dict[str, Any], stamp: tuple | None) -> tuple | None:
    """What a practice or guidance page is made from, or None (the home page, or a program's
    own templates, which may show anything: ``stamp`` None): a page made of what the last
    build of this process made it of (equal, field by field) is not rendered again.

    The built-in page templates show, of the workbook, only its branding, owner, title,
    date, attribution and numbering besides the page's own practice or guidance, and
    the navigation (rendered once, here)."""
    page = context["page"]
    if page.kind == "home" or stamp is None:
        return None
    shared = tuple((k, v) for k, v in context.items() if k not in ("wb", "nav_for"))
    # what tells pages apart soonest first: a cohort's trainees differ by their name
    return (workbook.trainee, workbook.title, workbook.date, str(context["nav_for"](page)), workbook.branding,
            workbook.attribution, workbook.numbered, len(workbook.practices), stamp, shared)


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


def _same(kept: list, made_of: tuple) -> bool:
    """Whether a page is made of what it was kept with: equal, and equal as written out too (1 and
    1.0, True and 1 are equal but show differently). Only a build that finds a kept page pays for
    the repr."""
    if kept[0] != made_of:
        return False
    if kept[2] is None:
        kept[2] = repr(kept[0])
    return kept[2] == repr(made_of)


def _keep(slot: tuple[str, str, str], made_of: tuple | None, html: str) -> None:
    if made_of:
        _RENDERED.pop(slot, None)
        _RENDERED[slot] = [made_of, html, None]
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
    stylesheet = files["assets/style.css"]
    for *_, name, _ in web_faces():  # the fonts the stylesheet names
        if f'url("fonts/{name}")' in stylesheet:
            files[f"assets/fonts/{name}"] = web_font(name)
    logo = logo_path(project)
    if logo:
        files[f"assets/brand/{logo.name}"] = logo.read_bytes()
    return files
