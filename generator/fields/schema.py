"""JSON Schema of fields: each type gives its own (FieldType.schema); a field adds its label,
prompt and reference, and a group of fields becomes an object."""

from __future__ import annotations

from typing import Any

from ..base.i18n import ENGLISH, Language
from .fielddef import FieldDef
from .registry import get as field_type


def field_schema(f: FieldDef, lang: Language = ENGLISH) -> dict[str, Any]:
    """A field's schema, its title and descriptions in ``lang`` (the field's texts are already in it)."""
    schema = field_type(f.type).schema(f)
    inner = schema.get("items", schema) if f.fields else {}
    if isinstance(inner, dict) and isinstance(inner.get("properties"), dict) and not lang.english:
        by_id = {c.id: c for c in f.fields}  # a group, cards, table or matrix: its fields' texts in ``lang``
        inner["properties"] = {k: field_schema(by_id[k], lang) if k in by_id else v
                               for k, v in inner["properties"].items()}
    schema["title"] = f.label
    if f.prompt:
        schema["description"] = f.prompt
    if f.ref:
        schema.setdefault("description", lang.gettext("Must match an entry's %(field)s in '%(sheet)s'.")
                          % {"field": f.ref.split(".")[-1], "sheet": f.ref.split(".")[0]})
    return schema


def object_schema(fields: tuple[FieldDef, ...], lang: Language = ENGLISH) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.id: field_schema(f, lang) for f in fields if not field_type(f.type).element},
        "additionalProperties": False,
    }
    required = [f.id for f in fields if f.required]
    if required:
        schema["required"] = required
    return schema
