"""Fillable PDFs: worksheets printed as PDF form fields, and how their fields are named.

Every field of a fillable workbook is named after where its answer goes in a workbook
file, so ``mentorbook import`` can put a filled-in PDF back together as YAML:

    mb:plan/goals[0]/title                the first goal's title (worksheet plan, list goals)
    mb:plan/values[2]                     the third line of a list
    mb:people[1]/competence               a rating (radio buttons valued 1 to 5)
    mb:plan/skill_areas[3*]/priority
                                          a suggested row: its first column is printed
                                          already and counts only once something else
                                          in the row is filled in

Segments are separated by ``/`` rather than ``.`` because PDF readers treat a period in
a field name as a step into a field hierarchy. The PDF also carries a marker in its
document information (``FORM_MARKER``) so that other PDFs are refused.

A fillable workbook starts with an "About me" form for the trainee's profile: the
name on the cover is not a field, and a workbook needs one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msgspec import Struct
from msgspec.structs import replace

from ..base.i18n import ENGLISH, N_, Language
from ..core.localize import localize_definitions
from ..core.model import Practice, Trainee, Workbook, Worksheet
from ..fields.fielddef import Choice
from ..program.definitions import PROFILE, WorksheetDef

FORM_CSS = "fillable.css"
FORM_MARKER = "MentorbookForm"  # a key of the PDF's document information
FORM_VERSION = "1"
PREFIX = "mb:"
PROFILE_ID = PROFILE.id  # the "About me" form: the trainee's profile

_SEGMENT = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)(?:\[(?P<index>\d{1,4})(?P<suggested>\*?)\])?$")


def profile_definition(practices: list[Practice] | tuple[Practice, ...], lang: Language = ENGLISH) -> WorksheetDef:
    """The trainee's profile as a worksheet ("About me"), placed in the first practice;
    its texts in ``lang``. The language is the program's or the workbook file's, not a form field."""
    fields = []
    for f in PROFILE.fields:
        if f.id == "language":
            continue
        if f.id == "current_practice":
            f = replace(f, label=N_("Where I am in the cycle now"),
                        prompt=N_("Leave it empty to have it worked out from your answers."),
                        choices=tuple(Choice(p.id, p.title) for p in practices))
        elif f.id == "updated":
            f = replace(f, prompt=N_("The date shown on the cover."))
        fields.append(f)
    definition = WorksheetDef(
        id=PROFILE_ID, title=N_("About me"), practice=practices[0].id if practices else "", order=0,
        intro=N_("Who this workbook belongs to. Write dates as YYYY-MM-DD."),
        repeat=False, entry_title="", blank_copies=1, fields=tuple(fields), source=Path(__file__),
    )
    (localized,), _ = localize_definitions([definition], lang)
    return localized


def profile_entry(trainee: Trainee) -> dict[str, Any]:
    """The trainee's profile as the workbook file gives it: the fields that have a value."""
    return {f.id: value for f in PROFILE.fields if (value := getattr(trainee, f.id)) not in (None, "")}


def with_profile_form(workbook: Workbook) -> Workbook:
    """The workbook as its fillable PDF shows it: an "About me" form leads the first practice."""
    if not workbook.practices:
        return workbook
    entry = profile_entry(workbook.trainee)
    entry.pop("language", None)
    profile = Worksheet(profile_definition(workbook.practices, workbook.language), (entry,) if entry else ())
    first = workbook.practices[0]
    first = replace(first, worksheets=(profile, *first.worksheets))
    return replace(workbook, practices=(first, *workbook.practices[1:]))


class Step(Struct, frozen=True):
    """One segment of a field name: a key, and for list items and rows their position."""

    key: str
    index: int | None = None
    suggested: bool = False  # a table row pre-printed from the field's suggestions


def parse_name(name: str) -> list[Step] | None:
    """The steps of a mentorbook field name, or None when it is not one."""
    if not name.startswith(PREFIX):
        return None
    steps = []
    for part in name[len(PREFIX):].split("/"):
        match = _SEGMENT.match(part)
        if not match:
            return None
        index = match["index"]
        steps.append(Step(match["key"], int(index) if index is not None else None, bool(match["suggested"])))
    return steps or None
