"""Guidance page reader: ``read(path) -> (body, metadata)``.

A guidance page is Markdown with YAML front matter between two ``---`` lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..base.errors import Problem
from ..base.i18n import N_, said
from ..base.safepath import UnreadableFile, read_limited
from ..base.yamlio import MAX_BYTES, YamlFileError, decode, parse_yaml


def read(path: Path, within: Path | None = None) -> tuple[str, dict[str, Any]]:
    """Return the Markdown body and the front matter of one guidance page (a regular
    file of at most MAX_BYTES, inside ``within`` when given)."""
    try:
        text = decode(path, read_limited(path, MAX_BYTES, within))  # UTF-8; UTF-16/32 and NUL bytes refused
    except UnreadableFile as exc:
        raise YamlFileError(Problem(path, None, said(N_("cannot read guidance page: %(reason)s"),
                                                     reason=said(exc.template, **exc.values)))) from None
    if not text.startswith("---"):
        return text, {}
    lines = text.splitlines(keepends=True)
    for end in range(1, len(lines)):
        if lines[end].rstrip() == "---":
            break
    else:
        raise YamlFileError(Problem(path, 1, said(N_("front matter starts with '---' but never ends")),
                                    hint=said(N_("close it with a second '---' line"))))
    try:
        meta = parse_yaml("".join(lines[1:end]), path, cached=True) or {}
    except YamlFileError as exc:
        line = exc.problem.line + 1 if exc.problem.line else 1  # the front matter starts on line 2
        raise YamlFileError(Problem(path, line, said(N_("front matter: %(problem)s"), problem=exc.problem.message),
                                    column=exc.problem.column, hint=exc.problem.hint)) from None
    if not isinstance(meta, dict):
        raise YamlFileError(Problem(path, 2, said(N_("front matter must be a mapping of keys"))))
    return "".join(lines[end + 1:]), dict(meta)
