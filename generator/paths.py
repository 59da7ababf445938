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
