"""Where mentorbook's own content and templates live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
GUIDE_DIR = CONTENT_DIR / "guide"
WORKSHEETS_DIR = CONTENT_DIR / "worksheets"
TEMPLATES_DIR = ROOT / "templates"
SAMPLE_WORKBOOK = CONTENT_DIR / "examples" / "sample-workbook.yml"
DEFAULT_OUT_DIR = Path("output")
SCAFFOLD_DIR = CONTENT_DIR / "scaffold"


def cache_dir(kind: str) -> Path | None:
    """A folder of mentorbook's user cache (``$XDG_CACHE_HOME/mentorbook/<kind>``), or
    None when it cannot be created or written: caches only ever save time."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "mentorbook", kind)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return Path(folder) if os.access(folder, os.W_OK) else None
