"""The PDF workbook: its print layout as files in memory, laid out with WeasyPrint.

WeasyPrint is imported only when a PDF is made; it reads the print layout from
memory (see make_url_fetcher), and nothing else but files under the allowed folders.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import mimetypes
import posixpath
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..base.collect import fewer_collections
from ..base.errors import MentorbookError, Problem
from ..base.writer import process_scratch
from ..core.fonts import FORM_FILE, font_bytes, font_face_css, form_font_bytes, form_font_css
from ..core.model import Workbook
from ..core.options import PDF_NAME, PRINT_HTML, RenderOptions  # noqa: F401  (PDF_NAME: importable from here)
from ..core.render import Renderer, logo_path, make_renderer
from ..program.colours import palette
from ..program.project import BUILTIN, Project
from .links import in_document_links, page_anchors
from .weasy import weasyprint


class ResourceRefused(ValueError):
    pass


# Where the in-memory files of a print layout appear to WeasyPrint: a folder that is
# never read from disk, only looked up in the files handed to ``html_to_pdf``.
MEMORY_ROOT = "/mentorbook-print"


def make_url_fetcher(allowed_roots: Sequence[Path], refused: list[str],
                     files: Mapping[str, str | bytes] | None = None):
    """A WeasyPrint fetcher that reads local files under ``allowed_roots`` and nothing else.

    With ``files``, addresses under MEMORY_ROOT are served from them (keyed by their
    path below it); one that is not among them is missing, like a missing file.
    """
    weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [root.resolve() for root in allowed_roots]

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                if files is not None:
                    path = posixpath.normpath(unquote(parsed.path))
                    if path.startswith(MEMORY_ROOT + "/"):
                        name = path[len(MEMORY_ROOT) + 1:]
                        if name not in files:
                            raise FileNotFoundError(f"no such file in the print layout: {name}")
                        kind = mimetypes.guess_type(name)[0] or "text/plain"
                        return URLFetcherResponse(url, files[name], {"Content-Type": kind})
                target = Path(unquote(parsed.path)).resolve()
                if any(target == root or root in target.parents for root in roots):
                    return super().fetch(url, headers)
            refused.append(url)
            raise ResourceRefused(f"resource not allowed: {url}")

    return LocalFilesOnly(allowed_protocols={"file"}, allow_redirects=False)


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@functools.lru_cache(maxsize=4)
def _font_config(font_faces: str = ""):
    """One font configuration per set of @font-face rules, shared by every document that
    uses the same rules (every trainee of a cohort).

    A new one per document loads the fonts again each time and keeps native memory
    that adds up over a cohort. An edited rule (``serve`` after a save) gets a new
    configuration: in the old one, two files for the same family and style would both
    match and Fontconfig could keep drawing with the old file.
    """
    weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    if not _font_config.cache_info().currsize:  # freed before the interpreter tears WeasyPrint down
        import atexit

        atexit.register(_forget_fonts)
    process_scratch()  # where WeasyPrint copies the fonts: removed with the process, however it ends
    return FontConfiguration()


def _forget_fonts() -> None:
    """Drop the font configurations and the stylesheets parsed with them while WeasyPrint can still
    free them (at exit its own clean-up would find its libraries gone and say so on stderr)."""
    _PARSED.clear()
    _font_config.cache_clear()


def _font_faces(html: str, files: Mapping[str, str | bytes] | None) -> str:
    """The @font-face rules of a document and of the stylesheets served with it."""
    sheets = [html, *(v for k, v in (files or {}).items() if k.endswith(".css") and isinstance(v, str))]
    return "\n".join(rule for sheet in sheets for rule in _FONT_FACE.findall(sheet))


def font_config(html: str, base_url: str, fetcher, files: Mapping[str, str | bytes] | None = None):
    """The font configuration ``html`` is laid out with, every @font-face rule of the
    document and of the stylesheets served with it loaded already.

    WeasyPrint loads a rule when a document first uses the stylesheet holding it (the
    form font's comes with the first worksheet), keeping the font in a folder that
    processes forked from this one share (workers.py). A rule first met after a fork
    would be loaded by the process that got there first; the others would find its file
    there, take it as loaded and set its text in another font (form fields in the text
    font, whose ligatures then lose their text). So every rule is loaded here, before
    any fork, each against the address of the sheet that holds it.
    """
    config = _font_config(_font_faces(html, files))
    sheets = [(html, base_url), *((text, f"file://{MEMORY_ROOT}/{name}") for name, text in (files or {}).items()
                                  if name.endswith(".css") and isinstance(text, str))]
    for text, url in sheets:
        rules = "\n".join(_FONT_FACE.findall(text))
        if rules:
            weasyprint().CSS(string=rules, base_url=url, url_fetcher=fetcher, font_config=config)
    return config


def layout(html: str, base_dir: Path | None, allowed_roots: Sequence[Path], refused: list[str] | None = None,
           forms: bool = False, files: Mapping[str, str | bytes] | None = None):
    """Lay out ``html`` with WeasyPrint (a rendered document); only files under
    ``allowed_roots`` are read, and refused URLs are added to ``refused``.

    With ``files`` (and no ``base_dir``), the document's relative addresses name them:
    a print layout laid out from memory, without writing it anywhere first.
    """
    try:
        weasy = weasyprint()
    except OSError as exc:  # Pango or its friends are missing
        raise MentorbookError(f"cannot load WeasyPrint's libraries: {exc}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    refused = [] if refused is None else refused
    fetcher = make_url_fetcher(allowed_roots, refused, files)
    base_url = f"file://{MEMORY_ROOT}/" if base_dir is None else str(base_dir) + "/"
    config = font_config(html, base_url, fetcher, files)
    html, sheets = stylesheets_apart(html, base_url, fetcher, config, files, refused, allowed_roots)
    document = weasy.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    with fewer_collections():
        return document.render(pdf_forms=forms, font_config=config, stylesheets=sheets)


_SHEET = re.compile(r'<link rel="stylesheet" href="([^"<>]+)">|<style>(.*?)</style>', re.S)
_ANY_SHEET = re.compile(r"<style\b|<link\b[^>]*\bstylesheet\b", re.I)
_PARSED: dict[tuple, object] = {}  # stylesheets parsed in this process, by text, address, fonts and roots
PARSED_KEEP = 32


def stylesheets_apart(html: str, base_url: str, fetcher, config, files: Mapping[str, str | bytes] | None,
                      refused: list[str], allowed_roots: Sequence[Path]) -> tuple[str, list]:
    """The document without its stylesheets, and its stylesheets parsed, in the document's order.

    Every part of a side-by-side layout, every trainee of a cohort and every try at
    fitting a handout on its page uses the same print.css: parsed once per process
    (WeasyPrint would parse it again for each document, a tenth of a layout's time).
    Handed to WeasyPrint all together and in order, they cascade as they would from the
    document. A document with a stylesheet written any other way (a ``media``, a sheet
    not among ``files``) is left whole for WeasyPrint to read."""
    found = list(_SHEET.finditer(html))
    if not found or len(found) != len(_ANY_SHEET.findall(html)):
        return html, []
    sheets = []
    for match in found:
        if match.group(1) is not None:
            text = (files or {}).get(match.group(1))
            if not isinstance(text, str):
                return html, []
            url = f"file://{MEMORY_ROOT}/{match.group(1)}"
        else:
            text, url = match.group(2), base_url
        sheets.append(_parsed(text, url, fetcher, config, refused, tuple(allowed_roots)))
    return _SHEET.sub("", html), sheets


def _parsed(text: str, url: str, fetcher, config, refused: list[str], roots: tuple) -> object:
    """A stylesheet parsed, or as parsed before with the same fonts; one that asked for a refused
    address is parsed each time, so that each document says so."""
    key = (text, url, id(config), roots)
    if key in _PARSED:
        return _PARSED[key]
    before = len(refused)
    sheet = weasyprint().CSS(string=text, base_url=url, url_fetcher=fetcher, font_config=config)
    if len(refused) == before:
        while len(_PARSED) >= PARSED_KEEP:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = sheet
    return sheet


def stamp(rendered, metadata_date: str) -> None:
    """Date the PDF's metadata (the same inputs give the same bytes)."""
    rendered.metadata.created = metadata_date
    rendered.metadata.modified = metadata_date


def html_to_pdf(html: str, base_dir: Path | None, allowed_roots: Sequence[Path], metadata_date: str,
                forms: bool = False, files: Mapping[str, str | bytes] | None = None) -> tuple[bytes, list[str]]:
    """Lay out ``html`` and return the PDF bytes and the URLs that were refused.

    With ``forms``, inputs become PDF form fields and the PDF is marked as a
    mentorbook form, so that ``mentorbook import`` can tell it from other PDFs.
    """
    from .ua import write_pdf

    refused: list[str] = []
    rendered = layout(html, base_dir, allowed_roots, refused, forms=forms, files=files)
    stamp(rendered, metadata_date)

    return write_pdf(rendered, forms), refused


def print_html(renderer: Renderer, workbook: Workbook, logo_url: str = "",
               options: RenderOptions = RenderOptions(), split: bool = False) -> str:
    """One HTML document laid out for paper, in the workbook's language; its stylesheet,
    beside it, is ``print_css``. Links between pages point inside the document (see links.py).

    With ``split``, the guidance that is the same for every trainee is marked off
    between ``<!--mb-shared-->`` comments, for a cohort to lay it out once
    (see shared_pages.py)."""
    renderer = renderer.speaking(workbook.language)
    shades = palette(workbook.branding.primary, workbook.branding.accent).light
    html = renderer.render("print.html", wb=workbook, options=options, css_href="print.css",
                           cycle=renderer.cycle(workbook, options.blank), logo=logo_url, shades=shades, split=split)
    return in_document_links(html, page_anchors(workbook))


def print_css(renderer: Renderer) -> str:
    """print.css with the fonts it uses, from a fonts/ folder beside it."""
    return font_face_css(lambda name: f"fonts/{name}") + renderer.asset("print.css")


def render_print_files(workbook: Workbook, options: RenderOptions, project: Project = BUILTIN,
                       renderer=None, split: bool = False) -> dict[str, str | bytes]:
    """The print layout as files: workbook.html with print.css, fonts and logo beside it.

    Kept in the output folder so a PDF can be made again with bare WeasyPrint, or
    the layout inspected in a browser.
    """
    renderer = renderer or make_renderer(project)
    logo = logo_path(project)
    if options.fillable:  # an 'About me' form for the trainee's profile leads the worksheets
        from .forms import with_profile_form

        workbook = with_profile_form(workbook)
    html = print_html(renderer, workbook, logo.name if logo else "", options, split=split)
    return layout_files(html, renderer, options, project)


def layout_files(html: str, renderer: Renderer, options: RenderOptions, project: Project = BUILTIN
                 ) -> dict[str, str | bytes]:
    """A print HTML document with what it uses beside it: print.css, the fonts, the logo
    and, for a fillable PDF, the form stylesheet and font."""
    logo = logo_path(project)
    files: dict[str, str | bytes] = {PRINT_HTML: html, "print.css": print_css(renderer)}
    for name, data in font_bytes().items():
        files[f"fonts/{name}"] = data
    if logo:
        files[logo.name] = logo.read_bytes()
    if options.fillable:
        from .forms import FORM_CSS

        files[FORM_CSS] = form_font_css(lambda name: f"fonts/{name}") + renderer.asset(FORM_CSS)
        files[f"fonts/{FORM_FILE}"] = form_font_bytes()
    return files


def pdf_from_print_files(files: dict[str, str | bytes], workbook: Workbook, options: RenderOptions,
                         project: Project = BUILTIN) -> tuple[bytes, list[Problem]]:
    """Lay out print files (see render_print_files) as a PDF; warn about refused resources.
    (workers.pdf_from_print_files lays out the parts side by side.)"""
    # the files are served to WeasyPrint from memory: nothing is written to lay them out
    pdf, refused = html_to_pdf(str(files[PRINT_HTML]), None, project.allowed_roots, metadata_date(workbook),
                               forms=options.fillable, files=files)
    return pdf, refused_warnings(refused, project)


def metadata_date(workbook: Workbook) -> str:
    """The date in a workbook PDF's metadata: noon (UTC) of the build's day."""
    return dt.datetime.combine(workbook.date, dt.time(12, 0), dt.UTC).isoformat()


def refused_warnings(refused: Sequence[str], project: Project) -> list[Problem]:
    return [Problem(project.template_dirs[0], None, f"not embedded: {url} is outside the allowed folders",
                    severity="warning", hint="keep images and styles inside the project")
            for url in refused]


def render_pdf(workbook: Workbook, options: RenderOptions, project: Project = BUILTIN,
               renderer=None) -> tuple[bytes, list[Problem]]:
    """The PDF workbook as bytes, and warnings for resources that were not embedded."""
    return pdf_from_print_files(render_print_files(workbook, options, project, renderer), workbook, options, project)
