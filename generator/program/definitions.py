"""Worksheet definitions: the data that says which fields a worksheet has.

Definitions live in YAML files (``content/worksheets/*.yml``) so that a program can
add or replace worksheets without touching templates or Python. Each field has a type
that drives validation, on-screen rendering and the blank printed form; the types and
the keys each takes are in the field-type registry (mentorbook.fields).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msgspec import Struct, field

from .. import fields as field_types
from ..base.errors import Problem
from ..base.i18n import ENGLISH, N_, Language, say
from ..base.records import ignoring
from ..base.yamlio import YamlFileError, key_position, read_yaml
from ..fields.conditions import read_condition, with_notes
from ..fields.fielddef import Choice, FieldDef
from .deftexts import TEXT_KEYS, Texts, read_texts  # noqa: F401  (Texts: part of this module's API)
from .roles import PRACTICE_IDS, period


class WorksheetDef(Struct, frozen=True):
    """One worksheet as its definition file declares it."""

    id: str  # also the top-level key in a workbook file
    title: str
    practice: str
    order: int
    intro: str
    repeat: bool  # a list of entries (one per mentor, per meeting...) instead of one
    entry_title: str  # field id whose value titles each entry
    blank_copies: int
    fields: tuple[FieldDef, ...]
    source: Path
    role: str = ""  # what a feature reads the worksheet as (program/roles.py), e.g. "goals"
    at: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)  # not compared

    __eq__, __hash__, __repr__ = ignoring("at")

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def child(self, field_id: str) -> FieldDef | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def as_field(self) -> FieldDef:
        """The worksheet seen as one field, so validation can recurse uniformly."""
        return FieldDef(id=self.id, label=self.title, type="cards" if self.repeat else "group", fields=self.fields)


# The keys of a worksheet definition (a field's keys are in the field-type registry).
WORKSHEET_KEYS = (
    field_types.Key("id", "text", "", "idp", "the worksheet's key in a workbook file (required); a project's "
                    "worksheet with a built-in id replaces the built-in one"),
    field_types.Key("title", "text", "", "Individual development plan", "the heading of the worksheet (required)"),
    field_types.Key("practice", "text", "", "self-reflect", "the practice whose page shows it (required): "
                    "self-reflect, identify-mentors, establish, cultivate or refine-or-conclude"),
    field_types.Key("order", "count", 0, 10, "its place among the worksheets of that practice"),
    field_types.Key("intro", "text", "", "Plan the year ahead with your mentor.", "a paragraph under the title"),
    field_types.Key("repeat", "flag", False, True, "a list of entries (one per mentor, per meeting...) "
                    "instead of one"),
    field_types.Key("entry_title", "text", "", "mentor", "with repeat: the field whose value titles each entry"),
    field_types.Key("blank_copies", "count", 1, 2, "with repeat: how many empty entries the blank workbook prints"),
    field_types.Key("role", "text", "", "goals", "what a feature reads the worksheet as (see Roles)"),
    field_types.Key("fields", "fields", (), [{"id": "goal", "label": "Goal", "type": "text"}],
                    "the worksheet's fields, in the order they are shown (required)"),
)
CHOICE_KEYS = ("value", "label", "every")
_WIDTH = re.compile(r"^(\d+(\.\d*)?|\.\d+)(%?)$")


class _DefReader:
    """Turns one definition file into a WorksheetDef, collecting located problems (in ``lang``,
    the program's language)."""

    def __init__(self, path: Path, lang: Language = ENGLISH):
        self.path = path
        self.lang = lang
        self.problems: list[Problem] = []

    def say(self, message: str, **values: Any) -> str:
        """A catalog text (or a base.i18n.Said) in the reader's language, filled with ``values``."""
        text = say(message, self.lang)
        return text % values if values else text

    def problem(self, container: Any, key: Any, message: str, hint: str = "") -> None:
        line, col = key_position(container, key)
        self.problems.append(Problem(self.path, line, message, column=col, field=str(key), hint=hint))

    def check_keys(self, data: dict, allowed: list[str], what: str) -> None:
        from ..base.errors import closest, did_you_mean

        for key in data:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed, self.lang) if closest(str(key), allowed) \
                    else self.say(N_("%(what)s takes: %(keys)s"), what=what, keys=", ".join(allowed))
                self.problem(data, key, self.say(N_("unknown key '%(key)s' in %(what)s"), key=key, what=what),
                             hint=hint)

    def text(self, data: dict, key: str, default: str = "", required: bool = False) -> str:
        value = data.get(key, default)
        if value is None:
            value = ""
        if isinstance(value, dict):  # a text per language where one text is meant (an id, a role...)
            self.problem(data, key, self.say(N_("'%(key)s' takes one text, not a text per language"), key=key),
                         hint=self.say(N_("texts per language are for what people read: %(keys)s"),
                                       keys=", ".join(TEXT_KEYS)))
            return str(default)
        if required and not value:
            self.problems.append(Problem(self.path, key_position(data, next(iter(data), key))[0],
                                         self.say(N_("'%(key)s' is required"), key=key), field=key))
        return str(value)

    def local(self, data: dict, key: str, default: str = "", required: bool = False) -> str:
        """A text that may be given per language, as a mapping of language tags to texts (``data`` a
        mapping, or a list whose item ``key`` is one such text)."""
        if isinstance(data, list):
            return read_texts(data, key, "", self.path, self.problem, self.lang)
        if not isinstance(data.get(key), dict):
            return self.text(data, key, default, required)
        return read_texts(data, key, default, self.path, self.problem, self.lang)

    def integer(self, data: dict, key: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(data, key, self.say(N_("'%(key)s' must be a whole number"), key=key))
            return default
        return value

    def field(self, data: Any, where: Any, index: Any) -> FieldDef | None:
        if not isinstance(data, dict):
            self.problem(where, index, self.say(N_("a field must be a mapping with at least 'id', 'label' and 'type'")))
            return None
        from ..base.errors import closest, did_you_mean

        name = str(data.get("type", "text"))
        if name not in field_types.names():
            guess = did_you_mean(name, field_types.names(), self.lang) if closest(name, field_types.names()) else ""
            self.problem(data, "type", self.say(N_("unknown field type '%(type)s'"), type=name),
                         hint=(guess + " " if guess else "")
                         + self.say(N_("use one of %(types)s"), types=", ".join(field_types.names())))
            return None
        ftype = field_types.get(name)
        self.check_keys(data, ftype.accepts(), self.say(N_("a %(type)s field"), type=name))
        # an element (a heading, instructions) needs no id: one is made from its position
        fid = self.text(data, "id", f"_{name}_{index + 1}" if ftype.element else "", required=not ftype.element)
        condition = read_condition(data["show_when"], lambda c, k, m, h="": self.problem(
            data if c is None else c, k, self.say(m), self.say(h))) if "show_when" in data else None
        settings = {key.name: self.setting(data, key, ftype) for key in ftype.keys}
        for key in ftype.requires:
            spec = ftype.key(key)
            if (spec is None or spec.read == "text") and not data.get(key):
                self.problem(data, "type", self.say(N_("type '%(type)s' needs '%(key)s'"), type=name, key=key))
        if not isinstance(data.get("private", False), bool):
            self.problem(data, "private", self.say(N_("'private' must be true or false")))
        elif data.get("private") and data.get("required") and ftype.placeholder("") is None:
            self.problem(data, "private", self.say(N_("a required %(type)s field cannot be private"), type=name),
                         hint=self.say(N_("make it optional; a trainee can still choose share: progress-only")))
        if "width" in data:
            self.width(data)
        at = {str(key): key_position(data, key) for key in data}
        at[""] = key_position(where, index)
        fdef = FieldDef(
            id=fid,
            label=self.local(data, "label", fid.replace("_", " ").capitalize()),
            type=name,
            prompt=self.local(data, "prompt"),
            required=bool(data.get("required", False)) and not ftype.element,
            width=str(data.get("width", "")),
            private=data.get("private") is True,
            show_when=condition,
            role=self.text(data, "role"),
            at=at,
            **settings,
        )
        self.check_type(ftype, fdef, data)
        return fdef

    def check_type(self, ftype: field_types.FieldType, fdef: FieldDef, data: dict) -> set[str]:
        """The problems the field's type finds with its own keys (FieldType.check_own_keys);
        returns the keys it reported on."""
        reported: set[str] = set()

        def report(key: str, message: str, hint: str = "") -> None:
            reported.add(key)
            self.problem(data, key if key in data else "type", self.say(message), hint=self.say(hint))

        ftype.check_own_keys(fdef, data, report)
        return reported

    def width(self, data: dict) -> None:
        value = data["width"]
        match = _WIDTH.match(str(value).strip()) if isinstance(value, (str, int, float)) \
            and not isinstance(value, bool) else None
        if not match or float(match.group(1)) <= 0:
            self.problem(data, "width", self.say(N_("width '%(value)s' is not a positive number"), value=value),
                         hint=self.say(N_("a relative width such as \"3\", a fraction of the row such as \"0.25\", "
                                          "or \"25%\"")))

    def fields(self, raw_fields: Any, container: Any, key: str) -> tuple[FieldDef, ...]:
        """The fields of a worksheet, row, card or group, each checked against its siblings."""
        if not isinstance(raw_fields, list):
            if raw_fields:
                self.problem(container, key, self.say(N_("'%(key)s' is a list of fields"), key=key))
            return ()
        found = tuple(f for i, raw in enumerate(raw_fields) if (f := self.field(raw, raw_fields, i)))
        seen: dict[str, FieldDef] = {}
        for fdef in found:
            if fdef.id in seen:
                line = seen[fdef.id].at.get("id", (None, None))[0]
                self.located(fdef, "id", self.say(N_("duplicate field id '%(id)s'"), id=fdef.id),
                             self.say(N_("the first is on line %(line)s; give each field its own id"), line=line))
            seen.setdefault(fdef.id, fdef)
            field_types.get(fdef.type).check_definition(
                fdef, found, lambda k, message, hint="", f=fdef: self.located(f, k, self.say(message), self.say(hint)))
        self.widths_add_up(found)
        return with_notes(found)

    def located(self, fdef: FieldDef, key: str, message: str, hint: str = "") -> None:
        line, col = fdef.at.get(key) or fdef.at.get("", (None, None))
        self.problems.append(Problem(self.path, line, message, column=col, field=fdef.id or key, hint=hint))

    def widths_add_up(self, columns: tuple[FieldDef, ...]) -> None:
        """Widths given as fractions or percentages must fit in the row."""
        for unit, scale, written in (("%", 100.0, "100%"), ("", 1.0, "1")):
            given = [c for c in columns if (m := _WIDTH.match(c.width.strip())) and m.group(3) == unit
                     and (unit or float(m.group(1)) < 1)]
            total = sum(float(_WIDTH.match(c.width.strip()).group(1)) for c in given)
            if given and total > scale + 1e-9:
                shown = f"{total:g}{unit}" if self.lang.english else f"{self.lang.number(round(total, 6))}{unit}"
                self.located(given[-1], "width",
                             self.say(N_("the column widths add up to %(total)s, more than the row"), total=shown),
                             self.say(N_("fractions and percentages of a row add up to at most %(most)s"),
                                      most=written))

    def setting(self, data: dict, key: field_types.Key, ftype: field_types.FieldType) -> Any:
        """A key of the field's type, read the way the key says (``Key.read``)."""
        name = key.name
        if key.read == "choices":
            return self.choices(data, name, ftype)
        if key.read == "fields":
            raw_fields = data.get(name) or []
            if name in ftype.requires and not raw_fields:
                self.problem(data, name if name in data else "type",
                             self.say(N_("a %(type)s field needs '%(key)s'"), type=ftype.name, key=name))
            return self.fields(raw_fields, data, name)
        if key.read == "scale":
            return self.scale(data, key)
        if key.read in ("anchors", "number"):
            given = data
            if key.read == "anchors" and isinstance(data.get(name), dict):  # each label: a text, or one per language
                given = {**data, name: {point: self.local(data[name], point) if isinstance(label, dict) else label
                                        for point, label in data[name].items()}}
            return field_types.read_key(key, given, lambda message: self.problem(data, name, self.say(message)))
        if key.read == "count":
            return self.integer(data, name, key.default)
        if key.read == "texts":
            items = data.get(name) or []
            return tuple(self.local(items, i) if isinstance(s, dict) else str(s)
                         for i, s in enumerate(items if isinstance(items, list) else []))
        if key.read == "text":
            return self.local(data, name, key.default) if name in TEXT_KEYS else self.text(data, name, key.default)
        raise AssertionError(f"field type '{ftype.name}': key '{name}' is read as '{key.read}', which is unknown")

    def choices(self, data: dict, name: str, ftype: field_types.FieldType) -> tuple[Choice, ...]:
        """A field's choices: texts, or mappings of value, label (a text or one per language) and every."""
        choices = []
        raw_choices = data.get(name) or []
        for i, raw in enumerate(raw_choices if isinstance(raw_choices, list) else []):
            if isinstance(raw, dict) and "value" in raw:
                self.check_keys(raw, list(CHOICE_KEYS), "a choice")
                every = str(raw.get("every") or "")
                if every and period(every) is None:
                    self.problem(raw, "every", self.say(N_("'every: %(every)s' is not a period"), every=every),
                                 hint=self.say(N_("write it as a number of weeks or months, e.g. every: 3 weeks")))
                choices.append(Choice(str(raw["value"]), self.local(raw, "label", str(raw["value"])), every,
                                      key_position(raw_choices, i)))
            elif isinstance(raw, (str, int)) and not isinstance(raw, bool):
                choices.append(Choice(str(raw), str(raw), at=key_position(raw_choices, i)))
            else:
                self.problem(raw_choices, i, self.say(N_("a choice is a text or a mapping with 'value' and 'label'")))
        if not isinstance(raw_choices, list):
            self.problem(data, name, self.say(N_("'%(key)s' is a list of choices"), key=name))
        elif name in data and not raw_choices:
            self.problem(data, name, self.say(N_("the list of %(key)s is empty"), key=name),
                         hint=self.say(N_("list at least one choice")))
        elif name in ftype.requires and not choices and name not in data:
            self.problem(data, "type", self.say(N_("a %(type)s field needs '%(key)s'"), type=ftype.name, key=name))
        values = [c.value for c in choices]
        for i, choice in enumerate(choices):
            if choice.value in values[:i]:
                self.problems.append(Problem(self.path, choice.at[0],
                                             self.say(N_("duplicate choice '%(value)s'"), value=choice.value),
                                             column=choice.at[1], field=name))
        return tuple(choices)

    def scale(self, data: dict, key: field_types.Key) -> tuple[int, int]:
        """A rating's scale: two whole numbers, the lowest first."""
        name = key.name
        scale = data.get(name, list(key.default))
        if not (isinstance(scale, list) and len(scale) == 2 and all(isinstance(n, int) for n in scale)):
            self.problem(data, name, self.say(N_("'%(key)s' is a list of two whole numbers, e.g. [1, 5]"), key=name))
            scale = list(key.default)
        elif scale[0] >= scale[1]:
            self.problem(data, name, self.say(N_("the scale [%(low)s, %(high)s] is inverted") if scale[0] > scale[1]
                                              else N_("the scale [%(low)s, %(high)s] is a single point"),
                                              low=scale[0], high=scale[1]),
                         hint=self.say(N_("give the lowest rating first, e.g. [%(low)s, %(high)s]"),
                                       low=min(scale), high=max(max(scale), min(scale) + 1)))
            scale = list(key.default)
        return (scale[0], scale[1])

    def worksheet(self, data: Any) -> WorksheetDef | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, 1, self.say(N_("a worksheet definition must be a mapping"))))
            return None
        self.check_keys(data, [k.name for k in WORKSHEET_KEYS], self.say(N_("a worksheet definition")))
        raw_fields = data.get("fields") or []
        fields = self.fields(raw_fields, data, "fields")
        if not fields:
            self.problems.append(Problem(self.path, 1,
                                         self.say(N_("a worksheet needs at least one field in 'fields'"))))
        entry_title = self.text(data, "entry_title")
        if entry_title and fields and entry_title not in [f.id for f in fields]:
            from ..base.errors import did_you_mean

            self.problem(data, "entry_title", self.say(N_("entry_title '%(field)s' is not a field of this worksheet"),
                                                       field=entry_title),
                         hint=did_you_mean(entry_title, [f.id for f in fields], self.lang))
        return WorksheetDef(
            id=self.text(data, "id", required=True),
            title=self.local(data, "title", required=True),
            practice=self.text(data, "practice", required=True),
            order=self.integer(data, "order", 0),
            intro=self.local(data, "intro"),
            repeat=bool(data.get("repeat", False)),
            entry_title=entry_title,
            blank_copies=self.integer(data, "blank_copies", 1),
            fields=fields,
            source=self.path,
            role=self.text(data, "role"),
            at={str(key): key_position(data, key) for key in data},
        )


def read_definitions(directory: Path, lang: Language = ENGLISH) -> tuple[list[WorksheetDef], list[Problem]]:
    """Every ``*.yml`` worksheet definition in a folder, sorted by order then id, the
    broken ones too (so that checks across files see their ids), with the problems (in
    ``lang``, the program's language: texts per language without it are noticed too)."""
    definitions: list[WorksheetDef] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yml")):
        try:
            data = read_yaml(path, within=directory, lang=lang, cached=True)
        except YamlFileError as exc:
            problems.append(exc.problem)
            continue
        reader = _DefReader(path, lang)
        definition = reader.worksheet(data)
        problems.extend(reader.problems)
        if definition:
            definitions.append(definition)
    definitions.sort(key=lambda d: (d.order, d.id))
    return definitions, problems


def load_definitions(directory: Path) -> tuple[list[WorksheetDef], list[Problem]]:
    """Read every ``*.yml`` worksheet definition in a folder, sorted by order then id;
    a definition with an error is left out (its problems say why)."""
    definitions, problems = read_definitions(directory)
    broken = {p.file for p in problems if p.severity == "error"}
    return [d for d in definitions if d.source not in broken], problems

PROFILE = FieldDef(
    id="trainee",
    label=N_("Trainee"),
    type="group",
    fields=(
        FieldDef("name", N_("Name"), "text", required=True),
        FieldDef("role", N_("Role"), "text"),
        FieldDef("program", N_("Program"), "text"),
        FieldDef("institution", N_("Institution"), "text"),
        FieldDef("email", N_("Email"), "text"),
        FieldDef("start_date", N_("Start date"), "date"),
        FieldDef("updated", N_("Last updated"), "date"),
        FieldDef("current_practice", N_("Current practice"), "choice",
                 choices=tuple(Choice(p, p) for p in PRACTICE_IDS)),
        FieldDef("share", N_("What my program's cohort report shows"), "choice",
                 choices=(Choice("all", N_("My answers")), Choice("progress-only", N_("My progress only")))),
        # a BCP 47 tag: the trainee's workbook in their language (checked in validate)
        FieldDef("language", N_("Language"), "text"),
    ),
)
