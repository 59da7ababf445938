"""An imported workbook written out as YAML a person can read and edit.

Answers with mistakes are written as typed, each marked by a comment beside its line
(``# mentorbook: fix: page 7, trainee.start_date: '2026-13-01' is not a date``); a
problem whose field has no line of its own (a required answer left empty) is marked on
the nearest line that holds it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

FIX = "mentorbook: fix:"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(index) if index else key for key, index in _STEP.findall(path)]


def fix_note(problem: Any, lang: Any = None) -> str:
    """A problem as the comment beside its answer says it: page, field, message and hint."""
    from ..base.i18n import ENGLISH

    lang = lang or ENGLISH
    page = getattr(problem, "page", None)
    page_text = lang.gettext("page %(page)s") % {"page": page} if page else ""
    where = ", ".join(part for part in (page_text, problem.field or "") if part)
    return f"{where}: {problem.message}" + (f" ({problem.hint})" if problem.hint else "")


def workbook_yaml(data: dict[str, Any], source: Path, notes: list[tuple[str, str]] = (), lang: Any = None) -> str:
    """The workbook as block-style YAML, dates as YYYY-MM-DD, paragraphs as literal blocks.

    ``notes``: (field path, text) of each problem, written as a comment beside the field's line.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    def styled(value: Any) -> Any:
        if isinstance(value, dict):
            return CommentedMap((k, styled(v)) for k, v in value.items())
        if isinstance(value, list):
            return CommentedSeq(styled(v) for v in value)
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        return value

    document = styled(data)
    from ..base.i18n import ENGLISH

    lang = lang or ENGLISH
    header = [lang.gettext("Imported from %(file)s with `mentorbook import`.") % {"file": source.name}]
    marks: dict[tuple[int, Any], tuple[Any, Any, list[str]]] = {}
    for path, text in notes:
        parent, key, node = None, None, document
        for step in _steps(path):
            inside = (isinstance(node, dict) and isinstance(step, str) and step in node) or \
                (isinstance(node, list) and isinstance(step, int) and step < len(node))
            if not inside:
                break
            parent, key, node = node, step, node[step]
        if parent is None:
            header.append(f"{FIX} {text}")
            continue
        marks.setdefault((id(parent), key), (parent, key, []))[2].append(f"{FIX} {text}")
    if len(header) > 1:
        header.insert(1, lang.gettext("Some answers need fixing: each is marked with a '%(mark)s' comment.")
                      % {"mark": FIX})
    for parent, key, texts in marks.values():
        value = parent[key]
        while isinstance(value, (dict, list)) and value:  # an entry: beside its first line
            parent, key = value, next(iter(value)) if isinstance(value, dict) else 0
            value = parent[key]
        if isinstance(value, LiteralScalarString) and isinstance(parent, dict):
            column = 2 * _depth(document, parent)  # a block of lines: the comment goes on a line before it
            parent.yaml_set_comment_before_after_key(key, before="\n".join(texts), indent=column)
        else:
            parent.yaml_add_eol_comment(" ".join(texts), key)
    document.yaml_set_start_comment("\n".join(header))
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _depth(root: Any, target: Any, depth: int = 0) -> int:
    """How deep ``target`` lies inside ``root`` (mappings and lists), 0 for the root."""
    if root is target:
        return depth
    children = root.values() if isinstance(root, dict) else root if isinstance(root, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            found = _depth(child, target, depth + 1)
            if found >= 0:
                return found
    return -1


def pdf_language(pdf: Path, limit: int) -> str:
    """The language a fillable workbook records (its catalog's /Lang), as a checked tag; "" when none
    (the PDF is read again, at most ``limit`` bytes)."""
    from pypdf import PdfReader

    from ..base.i18n import check_tag
    from ..base.safepath import read_limited

    try:
        lang = PdfReader(io.BytesIO(read_limited(pdf, limit))).trailer["/Root"].get("/Lang")
        tag, message, _ = check_tag(str(lang)) if lang is not None else ("", "no language", "")
    except Exception:  # noqa: BLE001 - read_answers has judged the file already; no language is no news
        return ""
    return "" if message else tag


def with_language(data: dict[str, Any], tag: str, project_language: str) -> dict[str, Any]:
    """``data`` with the trainee's ``language`` set to the PDF's, so the workbook keeps the language it
    was filled in (not needed for an English PDF in an English program)."""
    trainee = data.get("trainee")
    if not tag or (tag == "en" and project_language == "en") or (isinstance(trainee, dict) and trainee.get("language")):
        return data
    profile = {**(trainee if isinstance(trainee, dict) else {}), "language": tag}
    return {"trainee": profile, **{key: value for key, value in data.items() if key != "trainee"}}
