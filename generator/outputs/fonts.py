"""Fonts shipped with the site and embedded in the PDF (SIL Open Font License).

They ship inside mentorbook (``content/fonts``, with their licences), so the site never
asks a font server for anything and an installed wheel has everything it lays out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from ..core.paths import FONTS_DIR

# (CSS family, weight, style, file)
FACES = (
    ("Lato", 400, "normal", "Lato-Regular.ttf"),
    ("Lato", 400, "italic", "Lato-Italic.ttf"),
    ("Lato", 700, "normal", "Lato-Bold.ttf"),
    ("Lato", 700, "italic", "Lato-BoldItalic.ttf"),
    ("Source Serif", 600, "normal", "SourceSerifPro-Semibold.ttf"),
    ("Source Serif", 700, "normal", "SourceSerifPro-Bold.ttf"),
)


def font_files() -> dict[str, Path]:
    """File name -> path of each font file on this machine."""
    return {name: FONTS_DIR / name for *_, name in FACES}


@functools.cache
def font_bytes() -> dict[str, bytes]:
    """File name -> content of each font file, read once per process (every build and
    every trainee of a cohort copies them into the site and the print layout)."""
    return {name: path.read_bytes() for name, path in font_files().items()}


def font_dirs() -> list[Path]:
    return sorted({path.parent for path in font_files().values()})


def font_face_css(url_for: Callable[[str], str]) -> str:
    """@font-face rules; ``url_for`` maps a file name to the URL the CSS should use."""
    rules = []
    for family, weight, style, name in FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{url_for(name)}") format("truetype"); }}'
        )
    return "\n".join(rules) + "\n"
