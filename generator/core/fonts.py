"""Fonts shipped with the site and embedded in the PDF (SIL Open Font License).

Noto Sans for text, Noto Serif for headings, and two small Noto symbol fonts for
check boxes, stars and arrows, all cut to Latin (with Latin Extended and Vietnamese),
Greek and Cyrillic (see ``fontcut``). They ship inside mentorbook (``content/fonts``,
with their licence), so the site never asks a font server for anything and an
installed wheel has everything it lays out.

PDFs embed the TrueType files. The site and the HTML copies of handouts get WOFF2
files split by script, each with its ``unicode-range``: a browser fetches only the
files of the scripts a page uses, and a site ships only those of the scripts it shows.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from pathlib import Path

from ..base.paths import FONTS_DIR
from .fontcut import ARROW_RANGES, SOURCES, SYMBOL_RANGES, WEB_SUBSETS, Range, css_range

SANS = "Noto Sans"
SERIF = "Noto Serif"
SYMBOLS = "Noto Sans Symbols 2"
ARROWS = "Noto Sans Math"
# CSS font stacks: the symbol fonts follow the text fonts, so that a character the text
# font lacks (a star, a tick) still comes from a font mentorbook ships
SANS_STACK = f'"{SANS}", "{SYMBOLS}", "{ARROWS}"'
SERIF_STACK = f'"{SERIF}", "{SYMBOLS}", "{ARROWS}"'

# (CSS family, weight, style, file)
FACES = (
    (SANS, 400, "normal", "NotoSans-Regular.ttf"),
    (SANS, 400, "italic", "NotoSans-Italic.ttf"),
    (SANS, 700, "normal", "NotoSans-Bold.ttf"),
    (SANS, 700, "italic", "NotoSans-BoldItalic.ttf"),
    (SERIF, 700, "normal", "NotoSerif-Bold.ttf"),
    (SYMBOLS, 400, "normal", "NotoSansSymbols2-Regular.ttf"),
    (ARROWS, 400, "normal", "NotoSansMath-Arrows.ttf"),
)
WEB_DIR = FONTS_DIR / "web"
# The font of fillable fields: Noto Sans Regular cut without ligatures, embedded whole.
FORM_FAMILY = "Noto Sans Form"
FORM_FILE = "NotoSans-Form.ttf"
_RANGES = {shipped: ranges for _, shipped, ranges in SOURCES}


def font_files() -> dict[str, Path]:
    """File name -> path of each font file on this machine."""
    return {name: FONTS_DIR / name for *_, name in FACES}


@functools.cache
def font_bytes() -> dict[str, bytes]:
    """File name -> content of each font file, read once per process (every build and
    every trainee of a cohort copies them into the print layout)."""
    return {name: path.read_bytes() for name, path in font_files().items()}


@functools.cache
def form_font_bytes() -> bytes:
    return (FONTS_DIR / FORM_FILE).read_bytes()


@functools.cache
def _web_files() -> tuple[tuple[str, int, str, str, tuple[Range, ...]], ...]:
    """(family, weight, style, WOFF2 file, the characters it holds) of each web font file."""
    files = []
    for family, weight, style, name in FACES:
        stem = name.rsplit(".", 1)[0]
        if family in (SYMBOLS, ARROWS):
            files.append((family, weight, style, f"{stem}.woff2", SYMBOL_RANGES if family == SYMBOLS else ARROW_RANGES))
            continue
        for subset, ranges in WEB_SUBSETS.items():
            if (WEB_DIR / f"{stem}.{subset}.woff2").is_file():
                files.append((family, weight, style, f"{stem}.{subset}.woff2", ranges))
    return tuple(files)


def _holds_any(ranges: tuple[Range, ...], shown: list[int]) -> bool:
    """Whether a range holds one of ``shown`` (code points, sorted)."""
    for low, high in ranges:
        at = bisect.bisect_left(shown, low)
        if at < len(shown) and shown[at] <= high:
            return True
    return False


def web_faces(shown: frozenset[str] | None = None) -> list[tuple[str, int, str, str, str]]:
    """(family, weight, style, WOFF2 file, unicode-range) of each web font file; with ``shown``
    (the characters some pages show), only the files holding one of them."""
    points = sorted(map(ord, shown)) if shown is not None else None
    return [(family, weight, style, name, css_range(ranges)) for family, weight, style, name, ranges in _web_files()
            if points is None or _holds_any(ranges, points)]


@functools.cache
def web_font(name: str) -> bytes:
    """A WOFF2 file's content, read once per process."""
    return (WEB_DIR / name).read_bytes()


def web_font_bytes() -> dict[str, bytes]:
    """WOFF2 file name -> content, of every file."""
    return {name: web_font(name) for *_, name, _ in web_faces()}


def font_dirs() -> list[Path]:
    return sorted({path.parent for path in font_files().values()})


def font_face_css(url_for: Callable[[str], str]) -> str:
    """@font-face rules of the TrueType files (for WeasyPrint); ``url_for`` maps a file
    name to the URL the CSS should use."""
    rules = []
    for family, weight, style, name in FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{url_for(name)}") format("truetype"); }}'
        )
    return "\n".join(rules) + "\n"


def form_font_css(url_for: Callable[[str], str]) -> str:
    """The form font's @font-face rule, and every form field set in it (for WeasyPrint).

    WeasyPrint embeds the font of a form field whole and maps its glyphs through the
    font's character map only, so a page font shared with a field would lose the
    Unicode text of its ligatures ("fi" read as nothing). Fields get a font of their
    own, whatever the stylesheet says: their text is drawn in the form font anyway
    (see pdfforms.py).
    """
    return (f'@font-face {{ font-family: "{FORM_FAMILY}"; font-weight: 400; font-style: normal; '
            f'src: url("{url_for(FORM_FILE)}") format("truetype"); }}\n'
            f'input, textarea, select {{ font-family: "{FORM_FAMILY}" !important; '
            f'font-weight: 400 !important; font-style: normal !important; }}\n')


def web_font_css(url_for: Callable[[str], str], shown: frozenset[str] | None = None) -> str:
    """@font-face rules of the WOFF2 files, one per script with its unicode-range (with ``shown``:
    of the files holding one of those characters)."""
    rules = []
    for family, weight, style, name, unicode_range in web_faces(shown):
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'font-display: swap; src: url("{url_for(name)}") format("woff2"); unicode-range: {unicode_range}; }}'
        )
    return "\n".join(rules) + "\n"
