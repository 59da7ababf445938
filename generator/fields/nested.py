"""Fields made of fields: ``table`` (rows), ``cards`` (entries) and ``group`` (one mapping)."""

from __future__ import annotations

from typing import Any

from .registry import FIELDS, ROWS, FieldType, Key


class GroupType(FieldType):
    """One mapping of the fields listed in ``fields``."""

    name = "group"
    description = "a mapping of the listed fields"
    keys = (FIELDS,)
    requires = ("fields",)
    example = {"id": "contact", "label": "Contact", "type": "group",
               "fields": [{"id": "email", "label": "Email", "type": "text"}]}
    example_value = {"email": "lena@example.org"}
    nested = True
    template = "fields/nested.html"
    macros = {"cell": "nested_cell", "blank_cell": "", "form_cell": ""}

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        return walker.mapping(fdef, value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from ..outputs.schema import object_schema

        return object_schema(fdef.fields)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.mapping(fdef.fields, node, path)


class CardsType(GroupType):
    """A list of entries, each a mapping of ``fields``, drawn as cards headed by the first field."""

    name = "cards"
    description = "a list of entries, each a mapping of the listed fields"
    keys = (FIELDS, ROWS)
    example = {"id": "goals", "label": "SMART goals", "type": "cards", "rows": 2,
               "fields": [{"id": "title", "label": "Goal", "type": "text"}]}
    example_value = [{"title": "Submit the case report"}]

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        return walker.sequence(fdef, value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from ..outputs.schema import object_schema

        return {"type": "array", "items": object_schema(fdef.fields)}

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.rows(fdef, node, path)


class TableType(CardsType):
    """A list of rows, each a mapping of ``fields`` (the columns); ``suggestions`` pre-print rows."""

    name = "table"
    description = "a list of rows, each a mapping of the listed fields"
    keys = (FIELDS, ROWS, Key("suggestions", "texts", (), ["Career mentor", "Research mentor"],
                              "first-column texts printed in rows of the blank form"))
    example = {"id": "action_items", "label": "Action items", "type": "table", "rows": 4,
               "fields": [{"id": "task", "label": "Task", "type": "text", "width": "5"}]}
    example_value = [{"task": "Draft the abstract"}]
