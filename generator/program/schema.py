"""A JSON Schema of the workbook, generated from the worksheet definitions."""

from __future__ import annotations

from typing import Any

from ..base.i18n import ENGLISH, Language
from ..fields.date import DATE_PATTERN  # noqa: F401  (part of this module's API)
from ..fields.fielddef import FieldDef
from ..fields.schema import field_schema, object_schema
from .definitions import PROFILE, WorksheetDef


def workbook_schema(definitions: list[WorksheetDef], lang: Language = ENGLISH,
                    profile: FieldDef = PROFILE) -> dict[str, Any]:
    """The schema of a workbook; its titles and descriptions in ``lang`` (the definitions and the
    ``profile`` are given in it: core.localize)."""
    _ = lang.gettext
    properties: dict[str, Any] = {"trainee": field_schema(profile, lang)}
    for d in definitions:
        entry = object_schema(d.fields, lang)
        body = {"type": "array", "items": entry} if d.repeat else entry
        body["title"] = d.title
        body["description"] = d.intro.strip() or _("Worksheet for the practice '%(practice)s'.") \
            % {"practice": d.practice}
        properties[d.id] = body
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "mentorbook-workbook.schema.json",
        "title": _("mentorbook workbook"),
        "description": _("A trainee's mentoring workbook: the trainee and one section per worksheet."),
        "type": "object",
        "properties": properties,
        "required": ["trainee"],
        "additionalProperties": False,
    }
