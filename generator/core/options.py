"""How a workbook is laid out, kept apart from what it holds.

The model (model.Workbook) is the person's data and the guidance; the settings of one
output (paper size, a blank form for handwriting, PDF form fields) travel beside it
through the render stage and reach the templates as their own variable, ``options``.
"""

from __future__ import annotations

from msgspec import Struct

PDF_NAME = "workbook.pdf"  # the PDF workbook, in the output folder and beside the site's pages
PRINT_HTML = "workbook.html"  # its print layout, kept in the output folder's print/


class RenderOptions(Struct, frozen=True):
    """How a workbook is shown: page size, and blank or fillable worksheets."""

    page_size: str = "letter"  # letter or a4 (see project.PAGE_SIZES)
    blank: bool = False  # empty worksheets to fill in by hand (known answers, if any, printed in them)
    fillable: bool = False  # the PDF's worksheets are form fields a PDF reader can fill in (see forms.py)

    @property
    def css_page_size(self) -> str:
        """The page size as CSS ``@page { size: ... }`` names it."""
        return "A4" if self.page_size == "a4" else "letter"
