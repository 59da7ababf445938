"""Check a workbook against the worksheet definitions; collect every problem at once.

The validator walks the YAML data (which carries line numbers) alongside the field
definitions. It returns plain Python values (dates parsed) for the model step, and a
list of located problems. It never stops at the first mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from msgspec import Struct, field

from .. import fields
from ..base.errors import Problem, did_you_mean
from ..base.i18n import ENGLISH, Language, Said
from ..base.limits import char_problem
from ..base.names import differences, lookalike_key, name_key
from ..base.safepath import shorten
from ..base.yamlio import key_position, value_position
from ..fields import is_empty as _is_empty
from ..fields import kind_of as _kind
from ..fields.conditions import holds
from ..fields.fielddef import FieldDef
from ..program.definitions import PROFILE, WorksheetDef


class Validated(Struct):
    """Clean values plus where each came from (field path -> (line, column))."""

    data: dict[str, Any]
    problems: list[Problem]
    locations: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]




class _Walker:
    def __init__(self, path: Path, lang: Language = ENGLISH):
        self.path = path
        self.lang = lang
        self._ = lang.gettext
        self.problems: list[Problem] = []
        self.locations: dict[str, tuple[int | None, int | None]] = {}
        self.refs: list[tuple[FieldDef, str, str, tuple[int | None, int | None]]] = []

    def error(self, where: tuple[int | None, int | None], field_path: str, message: str, hint: str = "",
              severity: str = "error") -> None:
        """A problem at ``where``; a message or hint made by a field type (base.i18n.Said) is said in the
        workbook's language."""
        line, col = where
        message, hint = (text.in_language(self.lang) if isinstance(text, Said) else text for text in (message, hint))
        self.problems.append(Problem(self.path, line, message, column=col, field=field_path, hint=hint,
                                     severity=severity))

    def warning(self, where: tuple[int | None, int | None], field_path: str, message: str, hint: str = "") -> None:
        self.error(where, field_path, message, hint, severity="warning")

    def notice(self, where: tuple[int | None, int | None], field_path: str, message: str, hint: str = "") -> None:
        """Something the workbook can keep, said once (a choice written by its label)."""
        line, col = where
        self.problems.append(Problem(self.path, line, message, column=col, field=field_path, hint=hint,
                                     severity="notice"))

    def mapping(self, fdef: FieldDef, data: Any, path: str, where) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(where, path, self._("expected a mapping of fields, got %(kind)s") % {"kind": _kind(data)},
                       hint=self._("fields: %(fields)s") % {"fields": ", ".join(fdef.field_ids)})
            return None
        clean: dict[str, Any] = {}
        for key in data:
            kpos = key_position(data, key)
            if key not in fdef.field_ids:
                self.error(kpos, f"{path}.{shorten(key, 40)}",
                           self._("unknown field '%(field)s'") % {"field": shorten(key)},
                           hint=did_you_mean(key, fdef.field_ids, self.lang))
        for child in fdef.fields:
            child_path = f"{path}.{child.id}"
            value = data.get(child.id)
            if _is_empty(value):
                if child.required and holds(child, data):  # a field not shown need not be filled in
                    self.error(where, child_path, self._("'%(field)s' is required") % {"field": child.id},
                               hint=self._("add a line '%(field)s: ...'") % {"field": child.id}
                               + ("" if child.label.lower() == child.id.replace("_", " ") else f" ({child.label})"))
                continue
            vpos = value_position(data, child.id)
            self.locations[child_path] = vpos
            cleaned = self.value(child, value, child_path, vpos)
            if cleaned is not None:
                clean[child.id] = cleaned
        return clean

    def sequence(self, fdef: FieldDef, data: Any, path: str, where) -> list[Any] | None:
        if not isinstance(data, list):
            self.error(where, path, self._("expected a list (lines starting with '- '), got %(kind)s")
                       % {"kind": _kind(data)})
            return None
        items = []
        for i, item in enumerate(data):
            ipos = key_position(data, i)
            self.locations[f"{path}[{i}]"] = ipos
            cleaned = self.mapping(fdef, item, f"{path}[{i}]", ipos)
            if cleaned is not None:
                items.append(cleaned)
        return items

    def value(self, fdef: FieldDef, value: Any, path: str, where) -> Any:
        """The clean value of a field, as its type checks it; None after a problem."""
        ftype = fields.get(fdef.type)
        too_large = ftype.size_problem(value) or char_problem(fdef.type, value)
        if too_large:
            self.error(where, path, *too_large)
            return None
        return ftype.validate(self, fdef, value, path, where)

    def check_refs(self, clean: dict[str, Any]) -> None:
        """Each ``ref`` names an entry of its list. Names are compared as people's names are
        (base.names.name_key): one written differently (a zero-width space, decomposed accents, a
        no-break space, case) is taken as the list's own spelling, with a warning; one that only
        looks like an entry (a Cyrillic 'а' for a Latin 'a') is an error that says so."""
        targets = set()
        for fdef, text, path, where in self.refs:
            sheet, _, key = fdef.ref.partition(".")
            entries = clean.get(sheet)
            if entries is None:
                continue
            targets.add((sheet, key))
            names = [str(e.get(key, "")) for e in entries if isinstance(e, dict)]
            if text in names:
                continue
            same = [n for n in names if name_key(n) == name_key(text)]
            if same:
                _set(clean, path, same[0])
                self.warning(where, path, f"'{shorten(text)}' is written differently from '{shorten(same[0])}' in the "
                                          f"{sheet} list ({differences(text, same[0])}); taken as the same person",
                             hint="write it as in the list")
                continue
            alike = [n for n in names if lookalike_key(n) == lookalike_key(text)]
            self.error(where, path, self._("'%(value)s' is not in the %(sheet)s list")
                       % {"value": shorten(text), "sheet": sheet},
                       hint=f"it looks like '{shorten(alike[0])}' but is not the same: {differences(text, alike[0])}"
                       if alike
                       else did_you_mean(text, names, self.lang) if names
                       else self._("add them under '%(sheet)s:' first") % {"sheet": sheet})
        for sheet, key in sorted(targets):
            self.check_lookalikes(clean[sheet], sheet, key)

    def check_lookalikes(self, entries: list, sheet: str, key: str) -> None:
        """Warn about two entries of a list whose names are one name written differently, or look alike."""
        seen: dict[str, tuple[int, str]] = {}
        for i, entry in enumerate(entries):
            name = str(entry.get(key, "")) if isinstance(entry, dict) else ""
            if not name:
                continue
            first = seen.setdefault(lookalike_key(name), (i, name))
            if first[0] == i or first[1] == name:
                continue
            same = name_key(first[1]) == name_key(name)
            how = "are one name written differently" if same else "look alike but are not the same"
            self.warning(self.locations.get(f"{sheet}[{i}].{key}", (None, None)), f"{sheet}[{i}].{key}",
                         f"'{shorten(name)}' and {sheet}[{first[0]}] '{shorten(first[1])}' {how} "
                         f"({differences(name, first[1])})",
                         hint="if they are one person, keep one entry" if same
                         else "if they are one person, write the name the same way in both")


def _set(clean: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at ``path`` (``meetings[2].mentor``) in the clean data."""
    import re

    node: Any = clean
    steps = [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value


def validate(data: Any, definitions: list[WorksheetDef], path: Path, lang: Language = ENGLISH) -> Validated:
    """Check ``data`` (as read by :func:`yamlio.read_yaml`) against the definitions;
    messages are in ``lang``."""
    walker = _Walker(path, lang)
    _ = lang.gettext
    if data is None:
        data = {}
    if not isinstance(data, dict):
        walker.error((1, 1), "", _("a workbook is a mapping with 'trainee' and worksheet keys, got %(kind)s")
                     % {"kind": _kind(data)})
        return Validated({}, walker.problems)
    known = {d.id: d for d in definitions}
    allowed = ["trainee", *known]
    for key in data:
        if key not in allowed:
            walker.error(key_position(data, key), shorten(key, 40),
                         _("unknown section '%(section)s'") % {"section": shorten(key)},
                         hint=did_you_mean(str(key), allowed, lang))
    clean: dict[str, Any] = {}
    if _is_empty(data.get("trainee")):
        walker.error((1, 1), "trainee", _("the workbook needs a 'trainee' section with at least a name"))
    else:
        clean["trainee"] = walker.mapping(PROFILE, data["trainee"], "trainee", value_position(data, "trainee")) or {}
        if clean["trainee"].get("language"):
            tag, message, hint = check_language(clean["trainee"]["language"], lang)
            if message:
                walker.error(value_position(data["trainee"], "language"), "trainee.language", message, hint)
                del clean["trainee"]["language"]
            else:
                clean["trainee"]["language"] = tag
    for definition in definitions:
        value = data.get(definition.id)
        if _is_empty(value):
            continue
        where = value_position(data, definition.id)
        cleaned = walker.value(definition.as_field(), value, definition.id, where)
        if cleaned is not None:
            clean[definition.id] = cleaned
    walker.check_refs(clean)
    return Validated(clean, walker.problems, walker.locations)


def check_language(value: Any, lang: Language = ENGLISH) -> tuple[str, str, str]:
    """(tag, '', '') for a good BCP 47 tag, else ('', message, hint) in ``lang``."""
    from ..base.i18n import check_tag

    return check_tag(value, lang)


