"""Conditional display: ``show_when: {field: ID, is: VALUE or [VALUES]}`` on any field.

The site and the filled PDF show such a field only when the sibling field ``ID`` (of
the same worksheet, row or card) has one of the values. Blank and fillable PDFs show
every field, with a short note ("if Decision is Ask to mentor me") under its label.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from ..base.i18n import N_, said
from .fielddef import Condition, FieldDef

CONDITION_KEYS = ("field", "is")



def normal(value: Any) -> str:
    """A value compared without regard to case; true/false and yes/no are the same."""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value).strip().lower()
    return {"true": "yes", "false": "no"}.get(text, text)


def read_condition(data: Any, problem: Any) -> Condition | None:
    """The condition of a ``show_when`` mapping; ``problem(container, key, message)`` on mistakes."""
    if not isinstance(data, dict) or not data.get("field") or "is" not in data:
        problem(None, "show_when", said(N_("'show_when' is a mapping with 'field' (a field id) and 'is' (a value "
                                           "or a list)")))
        return None
    for key in data:
        if key not in CONDITION_KEYS:
            problem(data, key, said(N_("unknown key '%(key)s' in show_when"), key=key),
                    said(N_("show_when takes: field, is")))
    raw = data["is"]
    values = raw if isinstance(raw, list) else [raw]
    if not values or any(isinstance(v, (dict, list)) or v is None for v in values):
        problem(data, "is", said(N_("'is' is a value or a list of values")))
        return None
    return Condition(str(data["field"]), tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in values))


def holds(fdef: FieldDef, entry: Any) -> bool:
    """Whether ``fdef`` is shown for the values of its row, card or worksheet ``entry``."""
    condition = fdef.show_when
    if condition is None:
        return True
    if not isinstance(entry, dict) or entry.get(condition.field) in (None, "", [], {}):
        return False
    value = entry[condition.field]
    wanted = {normal(v) for v in condition.values}
    if isinstance(value, list):  # several ticked: any of them
        return any(normal(v) in wanted for v in value)
    return normal(value) in wanted


def with_notes(fields: tuple[FieldDef, ...], lang: Any = None) -> tuple[FieldDef, ...]:
    """The fields with the note of each condition written from its sibling's label and choices
    (in ``lang``: the localizer writes them again once the labels are translated)."""
    from ..base.i18n import ENGLISH

    lang = lang or ENGLISH
    by_id = {f.id: f for f in fields}
    out = []
    for f in fields:
        target = by_id.get(f.show_when.field) if f.show_when else None
        if target is not None and target.type == "checkbox" and len(f.show_when.values) == 1:
            ticked = normal(f.show_when.values[0]) in ("true", "yes")
            note = (lang.gettext("if %(field)s is ticked") if ticked else lang.gettext("if %(field)s is not ticked")) \
                % {"field": target.label}
            f = replace(f, show_when=replace(f.show_when, note=note))
        elif target is not None:
            values = [target.choice_label(v) if target.choices else v for v in f.show_when.values]
            shown = " or ".join(values) if lang.english else lang.join(values, "or")
            note = lang.gettext("if %(field)s is %(value)s") % {"field": target.label, "value": shown}
            f = replace(f, show_when=replace(f.show_when, note=note))
        out.append(f)
    return tuple(out)
