"""A field as a worksheet definition gives it: its id, label, type and the keys its type takes.

The definition reader (program/definitions.py) makes these from YAML; the field types
(this package) check, draw and read them back.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct, field

from ..base.records import ignoring


class Condition(Struct, frozen=True):
    """A field shown only when a sibling field holds one of some values."""

    field: str  # the id of a sibling field
    values: tuple[str, ...]  # as the definition writes them
    note: str = ""  # "if Decision is Ask to mentor me", printed in blank and fillable forms


class Choice(Struct, frozen=True):
    """One choice a field offers: the value stored and the label shown."""

    value: str
    label: str
    every: str = ""  # a meeting frequency's period, e.g. "3 weeks" (see program/roles.py)
    at: tuple[int | None, int | None] = (None, None)  # where it stands in its file: not compared

    __eq__, __hash__, __repr__ = ignoring("at")


class FieldDef(Struct, frozen=True):
    """One field of a worksheet definition, of a type in the field registry."""

    id: str
    label: str
    type: str
    prompt: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    suggestions: tuple[str, ...] = ()
    lines: int = 1  # ruled lines in the blank form
    rows: int = 3  # empty rows or cards in the blank form
    scale: tuple[int, int] = (1, 5)
    fields: tuple[FieldDef, ...] = ()
    width: str = ""  # relative column width in tables, e.g. "2"
    ref: str = ""  # "worksheet.field": the value must name an entry there (e.g. "mentors.name")
    private: bool = False  # the answer stays out of cohort reports: they only say whether it is filled in
    text: str = ""  # Markdown of a heading or instructions element
    item_label: str = ""  # the heading of a matrix's row labels
    show_when: Condition | None = None  # shown in the site and filled PDF only when it holds
    role: str = ""  # what a feature reads this field as (program/roles.py), e.g. "target_date"
    # where each key of the definition stands (key -> (line, column)); "" is the field itself
    at: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # not compared
    anchors: tuple[tuple[int, str], ...] = ()  # rating: (point, label) pairs, e.g. (1, "Novice")
    unit: str = ""  # number: the text after the value, e.g. "hours"
    min: int | float | None = None  # number: the lowest value taken
    max: int | float | None = None  # number: the highest value taken

    __eq__, __hash__, __repr__ = ignoring("at")

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def child(self, field_id: str) -> FieldDef | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)
