"""An imported workbook written out as YAML a person can read and edit.

Answers with mistakes are written as typed, each marked by a comment beside its line
(``# mentorbook: fix: page 7, trainee.start_date: '2026-13-01' is not a date``); a
problem whose field has no line of its own (a required answer left empty) is marked on
the nearest line that holds it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..base.yamlfix import FIX, fix_note  # noqa: F401  (both part of this module's API)


def workbook_yaml(data: dict[str, Any], source: Path, notes: list[tuple[str, str]] = (), lang: Any = None) -> str:
    """The workbook as block-style YAML, dates as YYYY-MM-DD, paragraphs as literal blocks.

    ``notes``: (field path, text) of each problem, written as a comment beside the field's line.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    from ..base.yamledit import rt_yaml
    from ..base.yamlfix import add_fix_comments

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
    homeless = add_fix_comments(document, notes)
    header += [f"{FIX} {text}" for text in homeless]
    if len(header) > 1:
        header.insert(1, lang.gettext("Some answers need fixing: each is marked with a '%(mark)s' comment.")
                      % {"mark": FIX})
    document.yaml_set_start_comment("\n".join(header))
    yaml = rt_yaml()
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def pdf_language(pdf: Path, limit: int) -> str:
    """The language a fillable workbook records (its catalog's /Lang), as a checked tag; "" when none
    (the PDF is read again, at most ``limit`` bytes)."""
    from pypdf import PdfReader

    from ..base.i18n import check_tag
    from ..base.safepath import read_limited

    try:
        lang = PdfReader(io.BytesIO(read_limited(pdf, limit))).trailer["/Root"].get("/Lang")
        tag, message, _ = check_tag(str(lang)) if lang is not None else ("", "no language", "")
    except Exception:  # read_answers has judged the file already; no language is no news
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
