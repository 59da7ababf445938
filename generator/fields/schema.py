"""JSON Schema of fields: each type gives its own (FieldType.schema); a field adds its label,
prompt and reference, and a group of fields becomes an object."""

from __future__ import annotations

from typing import Any

from .fielddef import FieldDef
from .registry import get as field_type

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
