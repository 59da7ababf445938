"""The site: every page, stylesheet, script and font of the HTML workbook, in memory."""

from __future__ import annotations

from dataclasses import replace

from ..core.model import Workbook
from ..core.options import RenderOptions
from ..program.project import BUILTIN, Project
from ..core.fonts import web_font_bytes
from ..print.pdf import PDF_NAME


def render_site(workbook: Workbook, options: RenderOptions, project: Project = BUILTIN, renderer=None,
                with_pdf: bool = True) -> dict[str, str | bytes]:
    """Every file of the site (pages, stylesheet, fonts), keyed by path inside the site.

    With ``with_pdf`` the pages link to the PDF workbook beside them. The site never
    shows form fields: those are for the fillable PDF.
    """
    from ..core.render import logo_path, make_renderer

    renderer = renderer or make_renderer(project)
    site_options = replace(options, fillable=False)
    files: dict[str, str | bytes] = dict(renderer.render_site(workbook, PDF_NAME if with_pdf else None, site_options))
    for name, data in web_font_bytes().items():
        files[f"assets/fonts/{name}"] = data
    logo = logo_path(project)
    if logo:
        files[f"assets/brand/{logo.name}"] = logo.read_bytes()
    return files
