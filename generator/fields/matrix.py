"""``matrix``: rows (skills, statements...) by columns of ratings or choices.

Its value is a list of rows, each ``{item: the row label, <column id>: value, ...}``.
``suggestions`` are row labels printed in blank forms (and offered in fillable ones);
the trainee's workbook lists its own rows. The columns are the fields in ``fields``,
each a rating, choice, yes_no or checkbox. On screen and on paper it is a table with
the row labels as row headers; in a fillable PDF each cell is one form field.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .nested import TableType
from .registry import FIELDS, Key, get

COLUMN_TYPES = ("rating", "choice", "yes_no", "checkbox")
ITEM = "item"  # the key of a row's label


class MatrixType(TableType):
    """A matrix of rows (from ``suggestions`` or the trainee's own) by rating or choice columns."""

    name = "matrix"
    description = "a list of rows, each an 'item' (the row label) and a value for each column"
    keys = (FIELDS, Key("rows", "count", 2, 3, "empty rows for the trainee's own items in the blank printed form"),
            Key("suggestions", "texts", (), ["Scientific writing", "Presenting"], "row labels printed in blank forms"),
            Key("item_label", "text", "Item", "Skill", "the heading of the row labels"))
    example = {"id": "skills", "label": "Skills self-assessment", "type": "matrix", "item_label": "Skill",
               "suggestions": ["Scientific writing", "Presenting"],
               "fields": [{"id": "mine", "label": "My rating", "type": "rating"},
                          {"id": "mentor", "label": "Mentor's rating", "type": "rating"}]}
    example_value = [{"item": "Scientific writing", "mine": 3, "mentor": 4}]
    template = "fields/matrix.html"
    macros = {"cell": "matrix_cell", "blank_cell": "", "form_cell": "", "edit_cell": ""}

    def table(self, fdef: Any) -> Any:
        """The matrix as a table whose first column is the row label."""
        from .fielddef import FieldDef

        item = FieldDef(ITEM, fdef.item_label or "Item", "text", required=True)
        return replace(fdef, type="table", fields=(item, *fdef.fields))

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        return walker.sequence(self.table(fdef), value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from .schema import object_schema

        return {"type": "array", "items": object_schema(self.table(fdef).fields)}

    def text(self, fdef: Any, value: Any) -> str:
        return ", ".join(str(row.get(ITEM, "")) for row in value) if isinstance(value, list) else str(value)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.rows(self.table(fdef), node, path)

    def edit_fields(self, fdef: Any) -> tuple[Any, ...]:
        """The row label, then the columns."""
        return self.table(fdef).fields

    def check_definition(self, fdef: Any, siblings: Any, report: Any) -> None:
        super().check_definition(fdef, siblings, report)
        for column in fdef.fields:
            if column.id == ITEM:
                report("fields", f"a matrix column cannot be called '{ITEM}': that is the row label")
            elif column.type not in COLUMN_TYPES or get(column.type).element:
                report("fields", f"a matrix column is a {', '.join(COLUMN_TYPES[:-1])} or {COLUMN_TYPES[-1]}, "
                                 f"not a {column.type} ('{column.id}')", "use a table for other columns")
