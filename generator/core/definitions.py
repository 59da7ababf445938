"""Worksheet definitions: the data that says which fields a worksheet has.

Definitions live in YAML files (``content/worksheets/*.yml``) so that a program can
add or replace worksheets without touching templates or Python. Each field has a type
that drives validation, on-screen rendering and the blank printed form; the types and
the keys each takes are in the field-type registry (mentorbook.fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import fields as field_types
from .errors import Problem
from .yamlio import YamlFileError, key_position, read_yaml


class Texts(str):
    """A definition's text given per language (``label: {en: Goal, es: Meta}``).

    It reads as its English text (else the first one given); ``core.localize`` picks
    the build's language from ``variants``. ``where`` is (file, line, column).
    """

    variants: dict[str, str]
    where: tuple[Path, int | None, int | None]

    def __new__(cls, variants: dict[str, str], where: tuple[Path, int | None, int | None]) -> "Texts":
        text = super().__new__(cls, variants.get("en") or next(iter(variants.values()), ""))
        text.variants = dict(variants)
        text.where = where
        return text

    def __reduce__(self):
        return (Texts, (self.variants, self.where))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldDef:
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
    fields: tuple["FieldDef", ...] = ()
    width: str = ""  # relative column width in tables, e.g. "2"
    ref: str = ""  # "worksheet.field": the value must name an entry there (e.g. "mentors.name")
    private: bool = False  # the answer stays out of cohort reports: they only say whether it is filled in

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def child(self, field_id: str) -> "FieldDef | None":
        return next((f for f in self.fields if f.id == field_id), None)

    def choice_label(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)


@dataclass(frozen=True)
class WorksheetDef:
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

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.fields]

    def child(self, field_id: str) -> FieldDef | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def as_field(self) -> FieldDef:
        """The worksheet seen as one field, so validation can recurse uniformly."""
        return FieldDef(id=self.id, label=self.title, type="cards" if self.repeat else "group", fields=self.fields)


class _DefReader:
    """Turns one definition file into a WorksheetDef, collecting located problems."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, container: Any, key: Any, message: str, hint: str = "") -> None:
        line, col = key_position(container, key)
        self.problems.append(Problem(self.path, line, message, column=col, field=str(key), hint=hint))

    def check_keys(self, data: dict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(data, key, f"unknown key in {what}", hint="allowed: " + ", ".join(sorted(allowed)))

    def text(self, data: dict, key: str, default: str = "", required: bool = False) -> str:
        value = data.get(key, default)
        if value is None:
            value = ""
        if required and not value:
            self.problems.append(Problem(self.path, key_position(data, next(iter(data), key))[0],
                                         f"'{key}' is required", field=key))
        return str(value)

    def local(self, data: dict, key: str, default: str = "", required: bool = False) -> str:
        """A text that may be given per language, as a mapping of language tags to texts."""
        value = data.get(key)
        if not isinstance(value, dict):
            return self.text(data, key, default, required)
        from .i18n import check_tag

        variants: dict[str, str] = {}
        for tag, text in value.items():
            normal, message, hint = check_tag(tag)
            if message:
                self.problem(value, tag, message, hint)
            elif isinstance(text, (dict, list)) or text is None:
                self.problem(value, tag, f"'{key}' in {normal} must be a text")
            else:
                variants[normal] = str(text)
        if not variants:
            if not value:
                self.problem(data, key, f"'{key}' needs at least one language, e.g. {{en: ...}}")
            return default
        line, col = key_position(data, key)
        return Texts(variants, (self.path, line, col))

    def integer(self, data: dict, key: str, default: int) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(data, key, f"'{key}' must be a whole number")
            return default
        return value

    def field(self, data: Any, where: Any, index: Any) -> FieldDef | None:
        if not isinstance(data, dict):
            self.problem(where, index, "a field must be a mapping with at least 'id', 'label' and 'type'")
            return None
        known = field_types.all_keys()
        self.check_keys(data, set(known), "a field")
        name = str(data.get("type", "text"))
        if name not in field_types.names():
            self.problem(data, "type", f"unknown field type '{name}'",
                         hint="use one of " + ", ".join(field_types.names()))
            return None
        ftype = field_types.get(name)
        fid = self.text(data, "id", required=True)
        settings = {key.name: self.setting(data, key, ftype) for key in ftype.keys}
        if not isinstance(data.get("private", False), bool):
            self.problem(data, "private", "'private' must be true or false")
        elif data.get("private") and data.get("required") and name not in ("text", "longtext", "list"):
            self.problem(data, "private", f"a required {name} field cannot be private",
                         hint="make it optional; a trainee can still choose share: progress-only")
        for key in data:
            if key in known and key not in ftype.accepts():
                line, col = key_position(data, key)
                self.problems.append(Problem(
                    self.path, line, f"'{key}' does not apply to a {name} field; it is ignored", column=col,
                    field=str(key), severity="warning", hint=f"a {name} field takes: " + ", ".join(ftype.accepts())))
        return FieldDef(
            id=fid,
            label=self.local(data, "label", fid.replace("_", " ").capitalize()),
            type=name,
            prompt=self.local(data, "prompt"),
            required=bool(data.get("required", False)),
            width=str(data.get("width", "")),
            private=data.get("private") is True,
            **settings,
        )

    def setting(self, data: dict, key: field_types.Key, ftype: field_types.FieldType) -> Any:
        """A key of the field's type, read the way the key says."""
        name = key.name
        if key.read == "choices":
            choices = []
            for i, raw in enumerate(data.get(name) or []):
                if isinstance(raw, dict) and "value" in raw:
                    choices.append(Choice(str(raw["value"]), self.local(raw, "label", str(raw["value"]))))
                elif isinstance(raw, (str, int)):
                    choices.append(Choice(str(raw), str(raw)))
                else:
                    self.problem(data[name], i, "a choice is a text or a mapping with 'value' and 'label'")
            if name in ftype.requires and not choices:
                self.problem(data, "type", f"a {ftype.name} field needs '{name}'")
            return tuple(choices)
        if key.read == "fields":
            raw_fields = data.get(name) or []
            if name in ftype.requires and not raw_fields:
                self.problem(data, "type", f"a {ftype.name} field needs '{name}'")
            return tuple(f for i, raw in enumerate(raw_fields) if (f := self.field(raw, raw_fields, i)))
        if key.read == "scale":
            scale = data.get(name, list(key.default))
            if not (isinstance(scale, list) and len(scale) == 2 and all(isinstance(n, int) for n in scale)):
                self.problem(data, name, f"'{name}' is a list of two whole numbers, e.g. [1, 5]")
                scale = list(key.default)
            return (scale[0], scale[1])
        if key.read == "count":
            return self.integer(data, name, key.default)
        if key.read == "texts":
            return tuple(str(s) for s in data.get(name) or [])
        if key.read == "text":
            return self.text(data, name, key.default)
        raise AssertionError(f"field type '{ftype.name}': key '{name}' is read as '{key.read}', which is unknown")

    def worksheet(self, data: Any) -> WorksheetDef | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, 1, "a worksheet definition must be a mapping"))
            return None
        allowed = {"id", "title", "practice", "order", "intro", "repeat", "entry_title", "blank_copies", "fields"}
        self.check_keys(data, allowed, "a worksheet definition")
        raw_fields = data.get("fields") or []
        fields = tuple(f for i, raw in enumerate(raw_fields) if (f := self.field(raw, raw_fields, i)))
        if not fields:
            self.problems.append(Problem(self.path, 1, "a worksheet needs at least one field in 'fields'"))
        return WorksheetDef(
            id=self.text(data, "id", required=True),
            title=self.local(data, "title", required=True),
            practice=self.text(data, "practice", required=True),
            order=self.integer(data, "order", 0),
            intro=self.local(data, "intro"),
            repeat=bool(data.get("repeat", False)),
            entry_title=self.text(data, "entry_title"),
            blank_copies=self.integer(data, "blank_copies", 1),
            fields=fields,
            source=self.path,
        )


def load_definitions(directory: Path) -> tuple[list[WorksheetDef], list[Problem]]:
    """Read every ``*.yml`` worksheet definition in a folder, sorted by order then id."""
    definitions: list[WorksheetDef] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yml")):
        try:
            data = read_yaml(path, within=directory)
        except YamlFileError as exc:
            problems.append(exc.problem)
            continue
        reader = _DefReader(path)
        definition = reader.worksheet(data)
        problems.extend(reader.problems)
        if definition and not any(p.severity == "error" for p in reader.problems):
            definitions.append(definition)
    definitions.sort(key=lambda d: (d.order, d.id))
    return definitions, problems
