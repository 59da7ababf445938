"""The reference of the worksheet definition format, generated from the registry.

``python -m mentorbook.program.reference`` (or ``make reference``) writes
docs/worksheets-reference.md from what is registered: the worksheet keys, the keys
every field takes, each field type with its keys, defaults, docs and an example, the
keys of a choice, and the roles that features read. ``--check`` only compares, and
exits 1 when the file is stale; tests/test_reference.py does the same.

Every registered type must document itself: a class docstring, a ``description``,
an ``example`` and a ``doc`` for each of its keys (:func:`undocumented` lists what is
missing, and the command refuses to write a reference with gaps).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..fields import registry

REFERENCE_FILE = Path(__file__).resolve().parents[2] / "docs" / "worksheets-reference.md"
COMMAND = "python -m mentorbook.program.reference"


def undocumented() -> list[str]:
    """What the registered types lack for the reference, one line each; [] when complete."""
    missing = []
    for name in registry.names():
        ftype = registry.get(name)
        if not (type(ftype).__doc__ or "").strip():
            missing.append(f"field type '{name}' has no docstring")
        if not ftype.description:
            missing.append(f"field type '{name}' has no description")
        if not ftype.example:
            missing.append(f"field type '{name}' has no example")
        for key in (*registry.COMMON_KEYS, *ftype.keys):
            if not key.doc:
                missing.append(f"field type '{name}': key '{key.name}' has no doc")
    return missing


def _value(value: Any) -> str:
    """A default as a definition would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_value(v) for v in value) + "]" if value else "[]"
    if value == "":
        return '""'
    return str(value)


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100).rstrip()


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("``", "`").replace("|", "\\|")


def _keys_table(keys: Any, requires: tuple[str, ...] = ()) -> list[str]:
    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key in keys:
        need = " (required)" if key.name in requires and "required" not in key.doc else ""
        lines.append(f"| `{key.name}` | `{_value(key.default)}` | {_cell(key.doc)}{need} |")
    return lines


def _types() -> list[str]:
    out = []
    for name in registry.names():
        ftype = registry.get(name)
        out += ["", f"### `{name}`", "", _cell(type(ftype).__doc__ or "")]
        element = getattr(ftype, "element", False)
        out += ["", "An element: it holds no value and needs no `id`." if element
                else f"A value is {ftype.description}."]
        if ftype.keys:
            out += ["", f"Besides the common keys, a `{name}` field takes:", ""]
            out += _keys_table(ftype.keys, ftype.requires)
        out += ["", "Example definition:", "", "```yaml", _yaml([ftype.example]), "```"]
        if not element and ftype.example_value is not None:
            field_id = ftype.example.get("id", name)
            out += ["", "and a workbook value for it:", "", "```yaml", _yaml({field_id: ftype.example_value}), "```"]
    return out


def _roles() -> list[str]:
    from .roles import ROLES

    lines = ["| role | on | sits in | what it is | when no field declares it, this is off |",
             "|---|---|---|---|---|"]
    for role in ROLES.values():
        kinds = ", ".join("a repeated worksheet, cards or table" if k == "entries" else k for k in role.kinds)
        within = ", ".join(f"`{w}`" for w in role.within.split()) or "anywhere outside a list"
        lines.append(f"| `{role.name}` | {kinds} | {within} | {_cell(role.doc)} | {_cell(role.turns_on)} |")
    return lines


INTRO = (
    "A worksheet is one YAML file in `content/worksheets/` or in a program's `worksheets/`",
    "folder (see [programs](programs.md#worksheets)). A program's file with the id of a",
    "built-in worksheet replaces it; any other id adds a worksheet. Every definition is checked",
    "before a workbook is read: an unknown key or type, a duplicate id, a `ref` to a worksheet",
    "or field that is not there, an empty list of choices, a scale whose lowest point is not",
    "below its highest, a width that is not a positive number (or fractions and percentages of",
    "a row that add up to more than the row), an `entry_title` that names no field, or a",
    "misplaced `role` stops every command with the file, line and column (exit status 2).",
)
WIDTHS = (
    "A `width` is a relative width (`\"3\"` beside `\"2\"`), a fraction of the row (`\"0.25\"`) or a",
    "percentage (`\"25%\"`); the fractions, and the percentages, of one row add up to at most the row.",
)
ROLES_INTRO = (
    "A `role` tells mentorbook's features which field holds what they read: the typed goals,",
    "mentors, agreements, meetings and reviews behind the home page's counts, the insights",
    "of `check`, the agenda, the brief and the calendar. The built-in worksheets declare every",
    "role; a program's own worksheet that declares them feeds the same features (a list with",
    "`role: goals` and a date with `role: target_date` gets overdue-goal insights and counts on",
    "the home page). Lists outside any list (`goals`, `mentors`, ...) may be declared by several",
    "worksheets, whose entries are read together; a role inside a list is declared once per list.",
    "When a program's worksheet replaces a built-in one and drops a role, `check` and `build`",
    "print one notice, located in the replacing file, naming what is switched off; no insight",
    "then advises filling in a field that the definitions do not have.",
)


def _choices() -> list[str]:
    from .definitions import CHOICE_KEYS

    return [
        "The `choices` of a field are texts, or mappings with these keys: "
        + ", ".join(f"`{k}`" for k in CHOICE_KEYS) + ".",
        "`value` is written in the workbook, `label` is shown (default: the value), and `every` gives",
        "a meeting frequency's period (`every: 3 weeks`, `every: 2 months`) when its value is not one",
        "mentorbook knows (weekly, every-2-weeks, monthly, every-2-months, quarterly).",
        "",
        "```yaml",
        _yaml([{"id": "frequency", "label": "Frequency", "type": "choice", "role": "meeting_frequency",
                "choices": ["monthly", {"value": "every-3-weeks", "label": "Every 3 weeks", "every": "3 weeks"}]}]),
        "```",
    ]


def _languages() -> list[str]:
    from .deftexts import TEXT_KEYS, TEXT_LISTS, TEXT_MAPS

    keys = ", ".join(f"`{k}`" for k in TEXT_KEYS)
    return [
        "Every text people read is a text, or a mapping of language tags (BCP 47: `en`, `es`, `pt-BR`) to",
        f"texts: the keys {keys}; each item of " + ", ".join(f"`{k}`" for k in TEXT_LISTS)
        + ", each label of " + ", ".join(f"`{k}`" for k in TEXT_MAPS) + ", each choice's `label`, and a",
        "document's `title` in mentorbook.yml. A build shows the text of its language (the trainee's",
        "`language`, else the program's); a mapping without it shows the English text, or the first one",
        "given, inside `lang=\"en\"` (or that language), and `check` and `build` print one notice, located",
        "at the key. A mapping in any other key (an `id`, a `role`, a `value`) is an error. Texts given",
        "as one text go through mentorbook's catalog, so a program's English label that is one of",
        "mentorbook's own is translated with it. For example, `label: {en: Hours a month, es: Horas al mes}`",
        "and `unit: {en: hours, es: horas}` on a number, or `anchors: {1: {en: Beginning, es: Inicial}, 5:",
        "{en: Advanced, es: Avanzado}}` on a rating.",
    ]


def render() -> str:
    """The reference as Markdown."""
    from .definitions import WORKSHEET_KEYS

    out = [
        "# Worksheet definitions: the reference", "",
        f"<!-- generated by `{COMMAND}` from the field-type registry; do not edit by hand -->", "",
        *INTRO, "",
        "## Worksheet keys", "", *_keys_table(WORKSHEET_KEYS), "",
        "## Keys every field takes", "", *_keys_table(registry.COMMON_KEYS), "", *WIDTHS, "",
        "## Field types", *_types(), "",
        "## Choices", "", *_choices(), "",
        "## Texts in several languages", "", *_languages(), "",
        "## Roles", "", *ROLES_INTRO, "", *_roles(), "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write the reference (``--check``: only say whether it is current)."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = REFERENCE_FILE
    if "--out" in args:
        path = Path(args[args.index("--out") + 1])
    missing = undocumented()
    if missing:
        print("the reference needs every type documented:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    text = render()
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if "--check" in args:
        if current != text:
            print(f"{path} is stale: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        from ..base.writer import replace_file

        replace_file(path, text.encode("utf-8"))
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    from .. import fields  # noqa: F401  (registers the built-in types)

    sys.exit(main())
