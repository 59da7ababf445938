"""mentorbook: personal mentoring workbooks (HTML site + PDF) from YAML worksheets.

The public API is small:

    from mentorbook import BuildOptions, build
    result = build(BuildOptions(workbook=Path("me.yml"), out_dir=Path("output")))

Everything else is an implementation detail of the load -> validate -> model ->
render -> write pipeline.
"""

__version__ = "0.1.0"

from .build import BuildOptions, BuildResult, build  # noqa: E402
from .errors import InputError, MentorbookError, Problem  # noqa: E402

__all__ = [
    "BuildOptions",
    "BuildResult",
    "InputError",
    "MentorbookError",
    "Problem",
    "__version__",
    "build",
]
