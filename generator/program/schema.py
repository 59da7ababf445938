"""A JSON Schema of the workbook, generated from the worksheet definitions."""

from __future__ import annotations

from typing import Any

from .definitions import PROFILE, WorksheetDef
from ..fields.schema import field_schema, object_schema
from ..fields.date import DATE_PATTERN  # noqa: F401  (part of this module's API)



def workbook_schema(definitions: list[WorksheetDef]) -> dict[str, Any]:
    properties: dict[str, Any] = {"trainee": field_schema(PROFILE)}
    for d in definitions:
        entry = object_schema(d.fields)
        body = {"type": "array", "items": entry} if d.repeat else entry
        body["title"] = d.title
        body["description"] = d.intro.strip() or f"Worksheet for the practice '{d.practice}'."
        properties[d.id] = body
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "mentorbook-workbook.schema.json",
        "title": "mentorbook workbook",
        "description": "A trainee's mentoring workbook: the trainee and one section per worksheet.",
        "type": "object",
        "properties": properties,
        "required": ["trainee"],
        "additionalProperties": False,
    }
