"""Private answers: which fields are private, and a workbook's copy for others to see.

A definition field marked ``private: true`` (and a field whose ``ref`` names a private
field) stays between a trainee and their mentors; a workbook whose trainee section says
``share: progress-only`` keeps every answer so. What staff see (the cohort report, the
pages of the combined cohort PDF) says only whether such answers are filled in.

Advice (insights) in a shared copy is the real workbook's, kept only where the shared
copy gives it word for word (``shared_insights``): advice that quotes a private answer
differs there, and advice that only the placeholders call for is not the real one's.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import fields as field_types
from ..fields.fielddef import FieldDef
from ..program.definitions import WorksheetDef

PROGRESS_ONLY = "progress-only"
PLACEHOLDER = "(private, filled in)"


def private_paths(definitions: list[WorksheetDef] | tuple[WorksheetDef, ...]) -> frozenset[str]:
    """Dotted paths (without indices) of private fields, and of fields that refer to one."""
    found: set[str] = set()
    refs: dict[str, str] = {}

    def walk(fields: tuple[FieldDef, ...], prefix: str) -> None:
        for f in fields:
            path = f"{prefix}.{f.id}"
            if f.ref:
                refs[path] = f.ref
            if f.private:
                found.add(path)
            else:
                walk(f.fields, path)

    for definition in definitions:
        walk(definition.fields, definition.id)
    found |= {path for path, target in refs.items() if target in found}
    return frozenset(found)


def shares_progress_only(raw: Any) -> bool:
    trainee = raw.get("trainee") if isinstance(raw, dict) else None
    return isinstance(trainee, dict) and str(trainee.get("share") or "").strip() == PROGRESS_ONLY


def shared_copy(raw: Any, definitions: list[WorksheetDef] | tuple[WorksheetDef, ...]) -> Any | None:
    """Workbook data with every private answer replaced: text by a placeholder, other
    answers left out. None when nothing in it is private (the data can be shown as is).

    The caller handles ``share: progress-only`` workbooks (nothing of them is shown).
    """
    private = private_paths(definitions)
    if not private or not isinstance(raw, dict):
        return None
    data = copy.deepcopy(raw)
    changed = False

    def redact(fdef: FieldDef, container: dict, path: str) -> None:
        nonlocal changed
        value = container.get(fdef.id)
        if value in (None, "", [], {}):
            return
        if path in private:
            changed = True
            shown = field_types.get(fdef.type).placeholder(PLACEHOLDER)
            if shown is None:
                del container[fdef.id]
            else:
                container[fdef.id] = shown
            return
        rows = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for row in rows:
            if isinstance(row, dict):
                for child in fdef.fields:
                    redact(child, row, f"{path}.{child.id}")

    for definition in definitions:
        redact(definition.as_field(), data, definition.id)
    return data if changed else None


def shared_insights(real: tuple | list, shown: tuple | list) -> tuple:
    """The insights a shared copy may show: those of the real workbook (``real``) that the
    shared copy (``shown``) also gives, word for word.

    One that quotes a private answer reads differently in the shared copy (the answer is a
    placeholder there, or left out), so it is left out; one true only of the placeholders
    (a goal's skill area "not in your skill areas" when the areas are private) is not
    among the real workbook's, so it never appears.
    """
    same = {(p.field, p.message, p.hint) for p in shown}
    return tuple(p for p in real if (p.field, p.message, p.hint) in same)
