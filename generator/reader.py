"""Guidance page reader: ``read(path) -> (body, metadata)``.

A guidance page is Markdown with YAML front matter between two ``---`` lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from .errors import Problem
from .yamlio import YamlFileError, _yaml


def read(path: Path) -> tuple[str, dict[str, Any]]:
    """Return the Markdown body and the front matter of one guidance page."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlFileError(Problem(path, None, f"cannot read guidance page: {exc}")) from None
    if not text.startswith("---"):
        return text, {}
    lines = text.splitlines(keepends=True)
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            break
    else:
        raise YamlFileError(Problem(path, 1, "front matter starts with '---' but never ends",
                                    hint="close it with a second '---' line"))
    try:
        meta = _yaml().load("".join(lines[1:end])) or {}
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise YamlFileError(Problem(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")) from None
    if not isinstance(meta, dict):
        raise YamlFileError(Problem(path, 2, "front matter must be a mapping of keys"))
    return "".join(lines[end + 1:]), dict(meta)
