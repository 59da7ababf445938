"""Safe, readable, unique file names derived from people's names."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

MAX_LENGTH = 60
_UNSAFE = re.compile(r"[^\w]+", re.UNICODE)


def slug(name: str) -> str:
    """A file-name-safe form of ``name`` that keeps letters of any script readable."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _UNSAFE.sub("-", text).strip("-_.")
    return text[:MAX_LENGTH].rstrip("-") or "trainee"


class UniqueNames:
    """Hands out a different slug for every name, even for people who share one."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, name: str) -> str:
        base = slug(name)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refusing anything that would land outside ``folder``."""
    target = (folder / relative).resolve()
    if folder.resolve() not in target.parents:
        raise ValueError(f"{relative!r} would be written outside {folder}")
    return target
