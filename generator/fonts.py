"""Fonts shipped with the site and embedded in the PDF (SIL Open Font License).

They come from PyPI font packages, so the site never asks a font server for anything.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Callable
from pathlib import Path

# (CSS family, weight, style, package, file)
FACES = (
    ("Lato", 400, "normal", "font_lato", "Lato-Regular.ttf"),
    ("Lato", 400, "italic", "font_lato", "Lato-Italic.ttf"),
    ("Lato", 700, "normal", "font_lato", "Lato-Bold.ttf"),
    ("Lato", 700, "italic", "font_lato", "Lato-BoldItalic.ttf"),
    ("Source Serif", 600, "normal", "font_source_serif_pro", "SourceSerifPro-Semibold.ttf"),
    ("Source Serif", 700, "normal", "font_source_serif_pro", "SourceSerifPro-Bold.ttf"),
)


def font_files() -> dict[str, Path]:
    """File name -> path of each font file on this machine."""
    files = {}
    for *_, package, name in FACES:
        files[name] = Path(str(importlib.resources.files(package) / "files" / name))
    return files


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
    for family, weight, style, _package, name in FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{url_for(name)}") format("truetype"); }}'
        )
    return "\n".join(rules) + "\n"
