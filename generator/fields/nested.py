"""Fields made of fields: ``table`` (rows), ``cards`` (entries) and ``group`` (one mapping)."""

from __future__ import annotations

from typing import Any

from ..base.i18n import N_, said
from ..base.limits import MAX_ITEMS
from .registry import FIELDS, ROWS, FieldType, Key


class GroupType(FieldType):
    """One mapping of the fields listed in ``fields``."""

    name = "group"
    description = N_("a mapping of the listed fields")
    keys = (FIELDS,)
    requires = ("fields",)
    example = {"id": "contact", "label": "Contact", "type": "group",
               "fields": [{"id": "email", "label": "Email", "type": "text"}]}
    example_value = {"email": "lena@example.org"}
    nested = True
    template = "fields/nested.html"
    macros = {"cell": "nested_cell", "blank_cell": "", "form_cell": "", "edit_cell": ""}

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        return walker.mapping(fdef, value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from .schema import object_schema

        return object_schema(fdef.fields)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.mapping(fdef.fields, node, path)

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        return form.mapping(self.edit_fields(fdef), node, path)


class CardsType(GroupType):
    """A list of entries, each a mapping of ``fields``, drawn as cards headed by the first field."""

    name = "cards"
    entries = True
    max_items = MAX_ITEMS
    description = N_("a list of entries, each a mapping of the listed fields")
    keys = (FIELDS, ROWS)
    example = {"id": "goals", "label": "SMART goals", "type": "cards", "rows": 2,
               "fields": [{"id": "title", "label": "Goal", "type": "text"}]}
    example_value = [{"title": "Submit the case report"}]

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        return walker.sequence(fdef, value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from .schema import object_schema

        return {"type": "array", "items": object_schema(fdef.fields)}

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.rows(fdef, node, path)

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """The entries in the order the form lists them, each knowing the entry of the file it
        was drawn from (so that saving moves, rather than rewrites, what was reordered)."""
        return form.rows(self.edit_fields(fdef), node, path)


class TableType(CardsType):
    """A list of rows, each a mapping of ``fields`` (the columns); ``suggestions`` pre-print rows."""

    name = "table"
    description = N_("a list of rows, each a mapping of the listed fields")
    keys = (FIELDS, ROWS, Key("suggestions", "texts", (), ["Career mentor", "Research mentor"],
                              "first-column texts printed in rows of the blank form"))
    example = {"id": "action_items", "label": "Action items", "type": "table", "rows": 4,
               "fields": [{"id": "task", "label": "Task", "type": "text", "width": "5"}]}
    example_value = [{"task": "Draft the abstract"}]

    def column_widths(self, fdef: Any) -> list[str]:
        """Each column's CSS width in printed forms: its ``width`` as a share of the widths
        of all columns (a column without one takes the average), so the row is filled
        exactly; "" for every column when no column gives a width."""
        given = [_share(c.width) for c in fdef.fields]
        known = [w for w in given if w is not None]
        if not known:
            return ["" for _ in given]
        average = sum(known) / len(known)
        shares = [average if w is None else w for w in given]
        total = sum(shares)
        return [f"{round(100 * w / total, 2):g}%" for w in shares]

    def check_definition(self, fdef: Any, siblings: Any, report: Any) -> None:
        super().check_definition(fdef, siblings, report)
        widths = self.column_widths(fdef)
        if fdef.fields and not any(widths):  # a fillable table without widths shares the row out equally
            widths = [f"{round(100 / len(fdef.fields), 2):g}%"] * len(fdef.fields)
        self.check_print_widths(fdef, fdef.fields, widths, report)

    def check_print_widths(self, fdef: Any, columns: Any, widths: list[str], report: Any, least: float = 0.0) -> None:
        """Every column of the printed table as wide as what it prints whole (a rating's scale
        on one line, each choice unbroken), on the narrowest page a form prints on; without
        widths, all of them side by side (and ``least`` more for the rest of the row)."""
        needs = [(_registry_get(c.type).print_width(c), c) for c in columns]
        if not any(widths):
            total = sum(width + CELL_PADDING for (width, _), _ in needs) + least
            if total > CARD_WIDTH:
                report("fields", said(N_("the columns of '%(id)s' need %(width)spt side by side, more than the "
                                         "%(page)spt a printed page has"), id=fdef.id, width=f"{total:.0f}",
                                      page=f"{CARD_WIDTH:.0f}"),
                       said(N_("use fewer columns, a shorter scale or shorter choice labels, or split it in two")))
            return
        for ((width, what), column), share in zip(needs, widths, strict=True):
            room = float(share[:-1]) / 100 * CARD_WIDTH - CELL_PADDING
            if width and room < width - 0.5:
                report("fields", said(N_("column '%(id)s' of '%(table)s' is %(share)s of the row, %(room)spt on a "
                                         "printed page, and %(what)s needs %(width)spt"), id=column.id, table=fdef.id,
                                      share=share, room=f"{room:.0f}", what=what, width=f"{width:.0f}"),
                       said(N_("give '%(id)s' a larger width (at least %(least)s of the row) or the other columns "
                               "smaller ones") if column.width else
                            N_("give '%(id)s' a width (at least %(least)s of the row) or the other columns "
                               "smaller ones"),
                            id=column.id, least=f"{(width + CELL_PADDING) / CARD_WIDTH:.0%}"))

    def cell_lines(self, fdef: Any, column: Any, value: Any) -> int:
        """The lines a known text needs in its column of a fillable table (1 when it fits),
        estimated from the column's share of a card's width: longer texts wrap."""
        from .text import TextType

        if not isinstance(value, str) or not isinstance(_registry_get(column.type), TextType):
            return 1
        widths = self.column_widths(fdef)
        index = fdef.fields.index(column)
        share = float(widths[index][:-1]) / 100 if widths[index] else 1 / len(fdef.fields)
        chars = max(8, int((CARD_WIDTH * share - 10) / CHAR_WIDTH))
        from .text import wrapped_lines

        return wrapped_lines(value, chars)


CARD_WIDTH = 470.0  # pt: the width of a table inside a card of a printed form (Letter or A4)
CELL_PADDING = 10.0  # pt: a printed table cell's padding, both sides together (at most)
CHAR_WIDTH = 5.0  # pt: an average character of a wrapped table cell at up to 10pt


def _registry_get(name: str) -> Any:
    from .registry import get

    return get(name)


def _share(width: str) -> float | None:
    """A column's relative width, or None when it has none (or not a positive number)."""
    try:
        value = float(width)
    except ValueError:
        return None
    return value if value > 0 and value < 1e6 else None
