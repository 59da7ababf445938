"""mentorbook: personal mentoring workbooks (HTML site + PDF) from YAML worksheets.

The public API is small:

    from mentorbook import BuildOptions, build
    result = build(BuildOptions(workbook=Path("me.yml"), out_dir=Path("output")))

Everything else is an implementation detail of the load -> validate -> model ->
render -> write pipeline. Names are imported on first use, so that `mentorbook
--help` does not pay for the whole pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .base.version import VERSION as __version__

_EXPORTS = {
    "BuildOptions": "pipeline",
    "BuildResult": "pipeline",
    "build": "pipeline",
    "analyse": "pipeline",
    "InputError": "base.errors",
    "MentorbookError": "base.errors",
    "Problem": "base.errors",
}
# Spelled out (not built from _EXPORTS) so that linters and type checkers see the names the
# TYPE_CHECKING imports below give them; tests/test_house.py checks the two agree.
__all__ = ["BuildOptions", "BuildResult", "build", "analyse", "InputError", "MentorbookError", "Problem", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .base.errors import InputError, MentorbookError, Problem
    from .pipeline import BuildOptions, BuildResult, analyse, build


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mentorbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
