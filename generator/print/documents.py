"""Documents: a PDF of chosen worksheets under its own title, beside the guide.

A program lists them in mentorbook.yml (``documents:``, read by core/config.py), or
``build --only ID`` makes one: a listed document, or a single worksheet under its own
title. A document stands alone: a cover that names it, contents when it holds more
than one worksheet, and its worksheets (filled, blank or fillable as the build is),
without the guidance, the cycle or practice numbers. It is laid out like the guide
(print.css) from ``templates/document.html``, into ``OUT/ID.pdf`` with its print
layout in ``OUT/print/ID.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base.errors import Problem
from ..base.i18n import N_, Language
from ..core.model import Workbook, Worksheet
from ..core.options import RenderOptions
from ..program.project import Document, Project

TEMPLATE = "document.html"
CREDIT = N_(  # on the cover of a document that holds one of mentorbook's own worksheets
    "Its worksheets are adapted from the managing-up model for mentees "
    "(Zerzan JT, Hess R, Schur E, Phillips RS, Rigotti N. Making the most of mentors: "
    "a guide for mentees. Academic Medicine. 2009;84(1):140-144)."
)


class Handout(Struct, frozen=True):
    """A document ready to lay out: its title in the build's language and its worksheets."""

    id: str
    title: str
    worksheets: tuple[Worksheet, ...]
    credit: str = ""  # when it holds one of mentorbook's own worksheets: the model they come from

    @property
    def pdf_name(self) -> str:
        return f"{self.id}.pdf"

    @property
    def html_name(self) -> str:
        return f"{self.id}.html"


def chosen(project: Project, only: str | None, definitions: tuple, lang: Language
           ) -> tuple[tuple[Document, ...], list[Problem]]:
    """The documents a build makes: ``only`` (a document id, else a worksheet id: that worksheet
    alone under its own title), or every document of the project; a problem when ``only`` is neither."""
    if only is None:
        return project.documents, []
    listed = next((d for d in project.documents if d.id == only), None)
    if listed is not None:
        return (listed,), []
    sheet = next((d for d in definitions if d.id == only), None)
    if sheet is not None:
        return (Document(sheet.id, sheet.title, (sheet.id,)),), []
    from ..base.errors import did_you_mean

    known = [d.id for d in project.documents] + [d.id for d in definitions]
    return (), [Problem(Path("--only"), None, lang.gettext("no document or worksheet '%(id)s'") % {"id": only[:80]},
                        hint=did_you_mean(only, known, lang))]


def assemble(documents: tuple[Document, ...], definitions: tuple, data: dict[str, Any], lang: Language
             ) -> tuple[Handout, ...]:
    """Each document with its worksheets (``definitions`` in the build's language, ``data`` validated)."""
    from ..base.paths import WORKSHEETS_DIR
    from ..core.assemble import worksheet_of
    from ..core.localize import _Localizer

    by_id = {d.id: d for d in definitions}
    localizer = _Localizer(lang)
    made = []
    for document in documents:
        sheets = tuple(worksheet_of(by_id[s], data) for s in document.worksheets if s in by_id)
        title = by_id[document.id].title if document.worksheets == (document.id,) and document.id in by_id \
            else localizer.text(document.title, f"documents.{document.id}.title")
        builtin = any(Path(w.definition.source).parent == WORKSHEETS_DIR for w in sheets)
        made.append(Handout(document.id, str(title), sheets, lang.gettext(CREDIT) if builtin else ""))
    return tuple(made)


def with_profile(handout: Handout, workbook: Workbook) -> Handout:
    """The document with the trainee's "About me" form before its worksheets (where they are in the cycle
    left out: a document has no cycle)."""
    from msgspec.structs import replace

    from .forms import profile_definition, profile_entry

    definition = profile_definition(workbook.practices, workbook.language)
    definition = replace(definition, fields=tuple(f for f in definition.fields if f.id != "current_practice"))
    entry = {k: v for k, v in profile_entry(workbook.trainee).items() if k not in ("language", "current_practice")}
    return replace(handout, worksheets=(Worksheet(definition, (entry,) if entry else ()), *handout.worksheets))


def render_document_files(workbook: Workbook, handout: Handout, options: RenderOptions, project: Project,
                          renderer) -> dict[str, str | bytes]:
    """The print layout of a document: its HTML (under the guide's name, for pdf.pdf_from_print_files)
    with print.css, fonts and logo beside it."""
    from ..core.render import logo_path
    from ..program.colours import palette
    from .links import in_document_links
    from .pdf import layout_files

    logo = logo_path(project)
    if options.fillable:  # an 'About me' form first: who the returned form belongs to, for `import`
        handout = with_profile(handout, workbook)
    speaking = renderer.speaking(workbook.language)
    html = speaking.render(TEMPLATE, wb=workbook, doc=handout, options=options, css_href="print.css",
                           logo=logo.name if logo else "",
                           shades=palette(workbook.branding.primary, workbook.branding.accent).light)
    return layout_files(in_document_links(html, {}), renderer, options, project)  # links to pages keep their text


def document_outputs(workbook: Workbook, handouts: tuple[Handout, ...], options: RenderOptions, project: Project,
                     renderer, writer) -> tuple[dict[str, str | bytes], list[Problem], list[str]]:
    """Each document's PDF (``ID.pdf``) and print layout (``print/ID.html`` and what it uses): the files,
    warnings, and the PDFs laid out (one whose layout did not change since the last build is kept)."""
    from ..core.incremental import print_key
    from .pdf import PRINT_HTML, pdf_from_print_files

    files: dict[str, str | bytes] = {}
    warnings: list[Problem] = []
    rendered: list[str] = []
    for handout in handouts:
        layout = render_document_files(workbook, handout, options, project, renderer)
        key, state = print_key(layout), f"print:{handout.id}"
        previous = writer.out_dir / handout.pdf_name
        if writer.state.get(state) == key and previous.is_file() and handout.pdf_name in writer.previous:
            pdf = previous.read_bytes()
        else:
            pdf, more = pdf_from_print_files(layout, workbook, options, project)
            warnings += more
            rendered.append(handout.pdf_name)
        writer.state[state] = key
        files.update({f"print/{handout.html_name if name == PRINT_HTML else name}": content
                      for name, content in layout.items()})
        files[handout.pdf_name] = pdf
    return files, warnings, rendered
