"""Checks across worksheet definitions, run whenever a project or the built-ins load.

program/definitions.py checks each file on its own (keys, types, ids, scales, choices,
widths, entry titles). What needs every definition at once is here: a worksheet id
given twice in one folder, ``ref``s to worksheets or fields that are not there, and
the roles (program/contract.py). Every problem is located in its definition file; a
build stops on them before it reads any workbook.
"""

from __future__ import annotations

from pathlib import Path

from ..base.errors import Problem
from ..base.i18n import ENGLISH, Language
from ..fields.fielddef import FieldDef
from .definitions import WorksheetDef


def duplicate_ids(found: list[WorksheetDef], lang: Language = ENGLISH) -> list[Problem]:
    """Two files of one folder with the same worksheet id (across folders, the later replaces)."""
    _ = lang.gettext
    problems = []
    first: dict[str, WorksheetDef] = {}
    for definition in found:
        if definition.id in first:
            line, col = definition.at.get("id", (1, None))
            problems.append(Problem(definition.source, line,
                                    _("duplicate worksheet id '%(id)s'") % {"id": definition.id},
                                    column=col, field="id",
                                    hint=_("%(file)s has it already; give each worksheet its own id")
                                    % {"file": first[definition.id].source.name}))
        first.setdefault(definition.id, definition)
    return problems


def _walk(fields: tuple[FieldDef, ...]):
    for fdef in fields:
        yield fdef
        yield from _walk(fdef.fields)


def check_refs(definitions: list[WorksheetDef], lang: Language = ENGLISH) -> list[Problem]:
    """Every ``ref: worksheet.field`` names a worksheet and one of its fields."""
    from ..base.errors import did_you_mean
    by_id = {d.id: d for d in definitions}
    problems = []
    for definition in definitions:
        for fdef in _walk(definition.fields):
            if not fdef.ref:
                continue
            line, col = fdef.at.get("ref", (None, None))

            def report(message: str, hint: str = "", d: WorksheetDef = definition, f: FieldDef = fdef,
                       at: tuple = (line, col)) -> None:
                problems.append(Problem(d.source, at[0], message, column=at[1], field=f"{f.id}.ref", hint=hint))

            sheet_id, _, field_id = fdef.ref.partition(".")
            if not field_id or "." in field_id:
                report(lang.gettext("ref '%(ref)s' must be written worksheet.field") % {"ref": fdef.ref},
                       lang.gettext("e.g. ref: mentors.name"))
            elif sheet_id not in by_id:
                report(lang.gettext("no worksheet '%(sheet)s'") % {"sheet": sheet_id},
                       did_you_mean(sheet_id, sorted(by_id), lang))
            elif by_id[sheet_id].child(field_id) is None:
                report(lang.gettext("no field '%(field)s' in worksheet '%(sheet)s'")
                       % {"field": field_id, "sheet": sheet_id},
                       did_you_mean(field_id, by_id[sheet_id].field_ids, lang))
    return problems


def check_contract(definitions: list[WorksheetDef], builtin: list[WorksheetDef], builtin_dir: Path,
                   lang: Language = ENGLISH):
    """The project's contract, with its problems: misplaced roles (errors), and notices
    for what a replacing worksheet switches off and for frequencies of unknown period (in ``lang``)."""
    from .contract import bind, frequency_notices, switched_off

    contract, problems = bind(definitions, lang)
    if builtin is not definitions:
        reference, _ = bind(builtin)
        sources = {d.source for d in builtin if d.source.parent == builtin_dir}
        problems += switched_off(reference, contract, definitions, sources, lang)
    problems += frequency_notices(contract, lang)
    return contract, problems
