"""Print HTML to PDF with WeasyPrint, which is imported only when a PDF is made."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..core.errors import MentorbookError


class ResourceRefused(ValueError):
    pass


def make_url_fetcher(allowed_roots: Sequence[Path], refused: list[str]):
    """A WeasyPrint fetcher that reads local files under ``allowed_roots`` and nothing else."""
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                target = Path(unquote(parsed.path)).resolve()
                if any(target == root or root in target.parents for root in roots):
                    return super().fetch(url, headers)
            refused.append(url)
            raise ResourceRefused(f"resource not allowed: {url}")

    return LocalFilesOnly(allowed_protocols={"file"}, allow_redirects=False)


@functools.cache
def _font_config():
    """One font configuration per process, shared by every document it lays out.

    A new one per document loads the fonts again each time and keeps native memory
    that adds up over a cohort. Each document still registers its own @font-face
    rules, so an edited rule (``serve`` after a save) takes effect.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def layout(html: str, base_dir: Path, allowed_roots: Sequence[Path], refused: list[str] | None = None,
           forms: bool = False):
    """Lay out ``html`` with WeasyPrint (a rendered document); only files under
    ``allowed_roots`` are read, and refused URLs are added to ``refused``."""
    try:
        import weasyprint
    except OSError as exc:  # Pango or its friends are missing
        raise MentorbookError(f"cannot load WeasyPrint's libraries: {exc}") from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = make_url_fetcher(allowed_roots, [] if refused is None else refused)
    document = weasyprint.HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher)
    return document.render(pdf_forms=forms, font_config=_font_config())


def stamp(rendered, metadata_date: str) -> None:
    """Date the PDF's metadata (the same inputs give the same bytes)."""
    rendered.metadata.created = metadata_date
    rendered.metadata.modified = metadata_date


def html_to_pdf(html: str, base_dir: Path, allowed_roots: Sequence[Path], metadata_date: str,
                forms: bool = False) -> tuple[bytes, list[str]]:
    """Lay out ``html`` and return the PDF bytes and the URLs that were refused.

    With ``forms``, inputs become PDF form fields and the PDF is marked as a
    mentorbook form, so that ``mentorbook import`` can tell it from other PDFs.
    """
    refused: list[str] = []
    rendered = layout(html, base_dir, allowed_roots, refused, forms=forms)
    stamp(rendered, metadata_date)
    if forms:
        from .forms import FORM_MARKER, FORM_VERSION

        rendered.metadata.custom[FORM_MARKER] = FORM_VERSION
    from .pdfua import finish

    pdf = finish(rendered.write_pdf(pdf_tags=True, custom_metadata=forms))
    return pdf, refused
