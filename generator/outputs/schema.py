"""A JSON Schema of the workbook, generated from the worksheet definitions."""

from __future__ import annotations

from typing import Any

from ..core.definitions import FieldDef, WorksheetDef
from ..core.validate import PROFILE
from ..fields import get as field_type
from ..fields.date import DATE_PATTERN  # noqa: F401  (part of this module's API)


def field_schema(f: FieldDef) -> dict[str, Any]:
    schema = field_type(f.type).schema(f)
    schema["title"] = f.label
    if f.prompt:
        schema["description"] = f.prompt
    if f.ref:
        schema.setdefault("description", f"Must match an entry's {f.ref.split('.')[-1]} in '{f.ref.split('.')[0]}'.")
    return schema


def object_schema(fields: tuple[FieldDef, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.id: field_schema(f) for f in fields if not field_type(f.type).element},
        "additionalProperties": False,
    }
    required = [f.id for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema


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
