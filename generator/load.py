"""Loading: read guidance pages, worksheet definitions and a workbook from disk.

Nothing here renders; everything returns data plus located problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .definitions import WorksheetDef, load_definitions
from .errors import Problem
from .reader import read
from .validate import PRACTICE_IDS
from .yamlio import YamlFileError, read_yaml

REQUIRED_META = ("id", "title", "order")


@dataclass(frozen=True)
class GuidePage:
    path: Path
    body: str
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.meta["id"])


@dataclass(frozen=True)
class Sources:
    guide: tuple[GuidePage, ...]
    definitions: tuple[WorksheetDef, ...]


def load_guide(directory: Path) -> tuple[list[GuidePage], list[Problem]]:
    pages: list[GuidePage] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.md")):
        try:
            body, meta = read(path)
        except YamlFileError as exc:
            problems.append(exc.problem)
            continue
        missing = [key for key in REQUIRED_META if key not in meta]
        if missing:
            problems.append(Problem(path, 1, "front matter is missing " + ", ".join(missing)))
            continue
        if meta["id"] in PRACTICE_IDS and not meta.get("key_point"):
            problems.append(Problem(path, 1, "a practice page needs a 'key_point' in its front matter"))
            continue
        pages.append(GuidePage(path, body, meta))
    ids = {p.id for p in pages}
    for needed in ("introduction", *PRACTICE_IDS):
        if needed not in ids and not problems:
            problems.append(Problem(directory, None, f"no guidance page with id '{needed}'"))
    pages.sort(key=lambda p: (int(p.meta["order"]), p.id))
    return pages, problems


def load_sources(guide_dir: Path, worksheets_dir: Path) -> tuple[Sources, list[Problem]]:
    guide, problems = load_guide(guide_dir)
    definitions, def_problems = load_definitions(worksheets_dir)
    for definition in definitions:
        if definition.practice not in PRACTICE_IDS:
            problems.append(Problem(definition.source, 1, f"unknown practice '{definition.practice}'",
                                    field="practice", hint="use one of " + ", ".join(PRACTICE_IDS)))
    return Sources(tuple(guide), tuple(definitions)), problems + def_problems


def load_workbook(path: Path) -> Any:
    """Read a workbook file; raises YamlFileError with a located problem."""
    return read_yaml(path)
