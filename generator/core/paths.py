"""Where mentorbook's own content, templates and fonts live, and its user cache.

The wheel carries the top-level ``content/`` and ``templates/`` folders inside the
package (``mentorbook/content``, ``mentorbook/templates``); a source checkout keeps
them beside the package folder. Either way the same names below point at them.
"""

from __future__ import annotations

import os
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


def cache_dir(kind: str) -> Path | None:
    """A folder of mentorbook's user cache (``$XDG_CACHE_HOME/mentorbook/<kind>``), or
    None when it cannot be created or written: caches only ever save time."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "mentorbook", kind)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return Path(folder) if os.access(folder, os.W_OK) else None
