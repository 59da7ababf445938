"""Where mentorbook's own content, templates and fonts live.

The wheel carries the top-level ``content/`` and ``templates/`` folders inside the
package (``mentorbook/content``, ``mentorbook/templates``); a source checkout keeps
them beside the package folder. Either way the same names below point at them.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _data_root() -> Path:
    """The folder holding ``content/`` and ``templates/``: the package when installed from
    a wheel, else the source checkout that the package folder sits in."""
    for root in (PACKAGE_DIR, PACKAGE_DIR.parent):
        if (root / "content" / "guide").is_dir() and (root / "templates").is_dir():
            return root
    return PACKAGE_DIR


ROOT = _data_root()
CONTENT_DIR = ROOT / "content"
GUIDE_DIR = CONTENT_DIR / "guide"
WORKSHEETS_DIR = CONTENT_DIR / "worksheets"
FONTS_DIR = CONTENT_DIR / "fonts"
SCAFFOLD_DIR = CONTENT_DIR / "scaffold"
SAMPLE_WORKBOOK = CONTENT_DIR / "examples" / "sample-workbook.yml"
TEMPLATES_DIR = ROOT / "templates"
DEFAULT_OUT_DIR = Path("output")
# mentorbook's own folders: never written into
OWN_DIRS = (ROOT, PACKAGE_DIR, CONTENT_DIR, TEMPLATES_DIR)

HISTORY = ".mentorbook-history"  # beside a file the editor changes: HISTORY/<file name>/<time>.yml
HISTORY_KEEP = 100  # earlier versions kept of each file


def history_dir(target: Path) -> Path:
    """Where the earlier versions of an edited file are kept: a folder beside it."""
    return target.parent / HISTORY / target.name
