"""Answers that need fixing, marked in a person's YAML by a comment beside their line
(``# mentorbook: fix: ...``), as ``import`` writes them and the editor keeps them; the
mark comes off again when the answer is changed.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedBase

from .yamledit import _BLOCK, _slot, steps

FIX = "mentorbook: fix:"
_FIX_NOTE = re.compile(r"\s*# " + re.escape(FIX) + r".*$")


def fix_note(problem: Any, lang: Any = None) -> str:
    """A problem as the comment beside its answer says it: page, field, message and hint."""
    from .i18n import ENGLISH

    lang = lang or ENGLISH
    page = getattr(problem, "page", None)
    page_text = lang.gettext("page %(page)s") % {"page": page} if page else ""
    where = ", ".join(part for part in (page_text, problem.field or "") if part)
    return f"{where}: {problem.message}" + (f" ({problem.hint})" if problem.hint else "")


def locate(document: Any, path: str) -> tuple[Any, Any]:
    """(container, key) of the value at ``path``, or of the nearest value that holds it;
    (None, None) when not even the first step is there."""
    parent, key, node = None, None, document
    for step in steps(path):
        inside = (isinstance(node, dict) and isinstance(step, str) and step in node) or \
            (isinstance(node, list) and isinstance(step, int) and step < len(node))
        if not inside:
            break
        parent, key, node = node, step, node[step]
    return parent, key


def add_fix_comments(document: Any, notes: list[tuple[str, str]] | tuple = ()) -> list[str]:
    """Mark each (field path, text) beside the line of its answer (an entry: beside its
    first line; a ``|`` block: on a line above it). Returns the texts that found no line."""
    marks: dict[tuple[int, Any], tuple[Any, Any, list[str]]] = {}
    homeless = []
    for path, text in notes:
        parent, key = locate(document, path)
        if parent is None:
            homeless.append(text)
            continue
        marks.setdefault((id(parent), key), (parent, key, []))[2].append(f"{FIX} {text}")
    for parent, key, texts in marks.values():
        value = parent[key]
        while isinstance(value, (dict, list)) and value:  # an entry: beside its first line
            parent, key = value, next(iter(value)) if isinstance(value, dict) else 0
            value = parent[key]
        if isinstance(value, _BLOCK) and isinstance(parent, dict):
            parent.yaml_set_comment_before_after_key(key, before="\n".join(texts),
                                                     indent=_column(document, parent, key))
        else:
            _add_eol(parent, key, " ".join(texts))
    return homeless


def _column(document: Any, parent: Any, key: Any) -> int:
    """The column of a key: where the file has it, else two spaces a level."""
    try:
        return int(parent.lc.key(key)[1])
    except (AttributeError, KeyError, TypeError):
        return 2 * max(_depth(document, parent), 0)


def _depth(root: Any, target: Any, depth: int = 0) -> int:
    """How deep ``target`` lies inside ``root`` (mappings and lists), 0 for the root; -1 when not inside."""
    if root is target:
        return depth
    children = root.values() if isinstance(root, dict) else root if isinstance(root, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            found = _depth(child, target, depth + 1)
            if found >= 0:
                return found
    return -1


def _add_eol(container: Any, key: Any, text: str) -> None:
    """A comment at the end of the value's line, after any comment already there."""
    entry = container.ca.items.get(key)
    token = entry[_slot(container)] if entry else None
    if token is None:
        if isinstance(container, CommentedBase):
            container.yaml_add_eol_comment(f"# {text}", key)
        return
    first, newline, rest = token.value.partition("\n")
    token.value = (f"{first}  # {text}" if first.strip() else f"# {text}") + newline + rest


def clear_fix_comments(container: Any, key: Any) -> None:
    """Take the ``# mentorbook: fix:`` comments off a value (beside it, or above a block)."""
    entry = container.ca.items.get(key) if isinstance(container, CommentedBase) else None
    if not entry:
        return
    token = entry[_slot(container)]
    if token is not None:
        first, newline, rest = token.value.partition("\n")
        if FIX in first:
            kept = _FIX_NOTE.sub("", first)
            token.value = (kept if kept.strip() else "") + newline + rest
            if token.value in ("", "\n"):
                entry[_slot(container)] = None
    if isinstance(container, dict) and entry[1]:
        entry[1] = [t for t in entry[1] if FIX not in t.value] or None
