"""``matrix``: rows (skills, statements...) by columns of ratings or choices.

Its value is a list of rows, each ``{item: the row label, <column id>: value, ...}``.
``suggestions`` are row labels printed in blank forms (and offered in fillable ones);
the trainee's workbook lists its own rows. The columns are the fields in ``fields``,
each a rating, choice, yes_no or checkbox. On screen and on paper it is a table with
the row labels as row headers; in a fillable PDF each cell is one form field.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from ..base.i18n import N_, said
from .nested import CARD_WIDTH, CELL_PADDING, TableType
from .registry import FIELDS, FieldType, Key, get

COLUMN_TYPES = ("rating", "choice", "yes_no", "checkbox")
ITEM = "item"  # the key of a row's label
ITEM_WIDTH = 72.0  # pt: the narrowest the row labels' column is printed
ITEM_SHARE = 0.45  # the most of the row the row labels take when the definition gives no widths


class MatrixType(TableType):
    """A matrix of rows (from ``suggestions`` or the trainee's own) by rating or choice columns.
    On paper each rating column numbers its scale once, in its heading, and rating anchors
    print once, above the matrix; columns are as wide as ``width`` says, else as their
    content needs. A matrix whose columns cannot fit a printed page is refused."""

    name = "matrix"
    entries = False  # rows of ratings: no feature reads them as entries
    description = N_("a list of rows, each an 'item' (the row label) and a value for each column")
    keys = (FIELDS, Key("rows", "count", 2, 3, "empty rows for the trainee's own items in the blank printed form"),
            Key("suggestions", "texts", (), ["Scientific writing", "Presenting"], "row labels printed in blank forms"),
            Key("item_label", "text", N_("Item"), "Skill", "the heading of the row labels"))
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

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return ", ".join(str(row.get(ITEM, "")) for row in value) if isinstance(value, list) else str(value)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.rows(self.table(fdef), node, path)

    def print_widths(self, fdef: Any) -> list[str]:
        """CSS widths of the printed matrix's columns, row labels first: the widths the
        definition gives (shares of the row, as a table's); else each column as wide as it
        needs, then the room left going to columns whose choices would wrap, then to the row
        labels (up to ITEM_SHARE of the row), then to every column."""
        given = self.column_widths(self.table(fdef))
        if any(given):
            return given
        widths = [get(c.type).print_width(c)[0] + CELL_PADDING for c in fdef.fields]
        lines = [max(w, get(c.type).print_line(c) + CELL_PADDING) for w, c in zip(widths, fdef.fields, strict=True)]
        rest = max(0.0, CARD_WIDTH - ITEM_WIDTH - sum(widths))
        wanted = sum(lines) - sum(widths)
        if wanted:
            widths = [w + (line - w) * min(1.0, rest / wanted) for w, line in zip(widths, lines, strict=True)]
        item = min(CARD_WIDTH - sum(widths), max(ITEM_WIDTH, ITEM_SHARE * CARD_WIDTH))
        spare = CARD_WIDTH - item - sum(widths)
        widths = [item] + [w + spare * w / sum(widths) for w in widths]
        return [f"{round(100 * w / CARD_WIDTH, 2):g}%" for w in widths]

    def edit_fields(self, fdef: Any) -> tuple[Any, ...]:
        """The row label, then the columns."""
        return self.table(fdef).fields

    def check_definition(self, fdef: Any, siblings: Any, report: Any) -> None:
        FieldType.check_definition(self, fdef, siblings, report)
        table = self.table(fdef)
        self.check_print_widths(fdef, table.fields, self.column_widths(table), report, least=ITEM_WIDTH)
        for column in fdef.fields:
            if column.id == ITEM:
                report("fields", said(N_("a matrix column cannot be called '%(id)s': that is the row label"), id=ITEM))
            elif column.type not in COLUMN_TYPES or get(column.type).element:
                report("fields", said(N_("a matrix column is a %(types)s or %(last)s, not a %(type)s ('%(id)s')"),
                                      types=", ".join(COLUMN_TYPES[:-1]), last=COLUMN_TYPES[-1], type=column.type,
                                      id=column.id), said(N_("use a table for other columns")))
