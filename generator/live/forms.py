"""The browser editor's forms: where each answer goes on the page, and what was posted back.

Every input is named by the path of its answer in the workbook, as ``check`` names
fields: ``agreements[0].frequency``, ``development_plan.skills[2].self``. Each entry of
a list (a card, a table row, a mentor) carries a hidden ``...[i].!`` telling which entry
of the file it was drawn from, so that saving moves what was moved and rewrites only
what changed; each list carries ``....!`` so that a list emptied of every entry is
still posted. Field types draw their inputs (templates/fields/, role ``edit``) and read
what was posted (``FieldType.from_form``); this module walks the fields between them.
"""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import parse_qsl

from msgspec import Struct, field

from .. import fields
from ..base.yamledit import steps
from ..fields.conditions import normal

MAX_FIELDS = 20_000  # names one form may post: a full workbook has a few thousand at most
MARK = "!"  # an entry's origin (under its path) or a list's presence (under the list's)
NEW, SUGGESTED = "new", "suggested"


class _Keep:
    """The form did not hold this answer: the file's stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


class Row(dict):
    """An entry read from the form, with the index of the file's entry it was drawn from
    (None for one added on the page)."""

    def __init__(self, values: dict[str, Any], origin: int | None):
        super().__init__(values)
        self.origin = origin


def parse_pairs(body: bytes) -> list[tuple[str, str]]:
    """The (name, value) pairs of an ``application/x-www-form-urlencoded`` body."""
    return parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)


class PostedForm:
    """What one editor form posted, as a tree of names; read back field by field."""

    KEEP = KEEP

    def __init__(self, pairs: list[tuple[str, str]]):
        self.pairs = pairs
        self.tree: dict[Any, Any] = {}
        self.controls: dict[str, str] = {}  # "!secret", "!base"...: what the page itself needs
        for name, value in pairs:
            if name.startswith(MARK):
                self.controls.setdefault(name, value)
                continue
            self._add(steps(name), value)

    def _add(self, path: list[Any], value: str) -> None:
        node = self.tree
        for step in path[:-1]:
            node = node.setdefault(step, {})
            if not isinstance(node, dict):
                return  # a name that clashes with another: not one the page made
        leaf = node.setdefault(path[-1], []) if path else None
        if isinstance(leaf, list):
            leaf.append(value)

    def section(self, fdef: Any) -> Any:
        """The value of a whole section (a worksheet seen as one field, or the trainee)."""
        if fdef.id not in self.tree:
            return KEEP
        return fields.get(fdef.type).from_form(self, fdef, self.tree[fdef.id], fdef.id)

    # -- what field types call (see FieldType.from_form) ------------------------------

    def values(self, node: Any, path: str) -> Any:
        return [v.replace("\r\n", "\n").replace("\r", "\n") for v in node] if isinstance(node, list) else KEEP

    def text(self, node: Any, path: str) -> Any:
        """The text typed for one answer, without surrounding spaces; None when empty."""
        values = self.values(node, path)
        if values is KEEP:
            return KEEP
        text = next((v for v in values if v.strip()), "").strip()
        return text or None

    def mapping(self, parts: tuple[Any, ...], node: Any, path: str) -> Any:
        """The answers posted for the fields of one mapping; those not posted are left out."""
        if not isinstance(node, dict):
            return KEEP
        out: dict[str, Any] = {}
        for part in parts:
            if part.id not in node or fields.get(part.type).element:
                continue
            value = fields.get(part.type).from_form(self, part, node[part.id], f"{path}.{part.id}")
            if value is not KEEP:
                out[part.id] = value
        return out

    def rows(self, parts: tuple[Any, ...], node: Any, path: str) -> Any:
        """The entries posted for a list, in the page's order; entries left empty are dropped."""
        if not isinstance(node, dict):
            return KEEP
        rows: list[Row] = []
        used: set[int] = set()
        for index in sorted(k for k in node if isinstance(k, int)):
            child = node[index]
            if not isinstance(child, dict):
                continue
            origin = _origin(child.get(MARK), used)
            row = self.mapping(parts, child, f"{path}[{len(rows)}]")
            if row is KEEP or _unanswered(row, parts, origin, child.get(MARK)):
                continue
            rows.append(Row(row, origin))
        return rows


def blank(value: Any) -> bool:
    """An answer that says nothing: empty, or a mapping of such answers."""
    if isinstance(value, dict):
        return all(blank(v) for v in value.values())
    return fields.is_empty(value)


def _origin(mark: Any, used: set[int]) -> int | None:
    text = mark[0] if isinstance(mark, list) and mark else ""
    if text.isdigit() and int(text) not in used and len(text) < 7:
        used.add(int(text))
        return int(text)
    return None


def _unanswered(row: dict[str, Any], parts: tuple[Any, ...], origin: int | None, mark: Any) -> bool:
    """An entry that says nothing: every answer empty (a suggested row: all but its label)."""
    answered = {k for k, v in row.items() if not blank(v)}
    if mark and mark[0] == SUGGESTED and parts:
        answered.discard(parts[0].id)
    if answered:
        return False
    held = [p for p in parts if not fields.get(p.type).element]
    return origin is None or all(p.id in row for p in held)  # an entry of the file: only when all was cleared


# -- the page: where each answer goes ---------------------------------------------------


class Editor(Struct):
    """One edit page: the problems ``check`` finds, by field path, and the page's ids."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # field path -> id of the input that shows its problem
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def listed(self, section: str) -> list[tuple[str, str, str]]:
        """(path, message, id of its input or "") of every problem in a section, in page order."""
        mine = [(path, message, self.anchors.get(path, "")) for path, messages in self.problems.items()
                if path == section or path.startswith((section + ".", section + "[")) for message in messages]
        order = list(self.anchors)
        return sorted(mine, key=lambda item: order.index(item[0]) if item[0] in order else len(order))

    def slot(self, path: str, value: Any, key: str = "") -> Slot:
        return Slot(self, path, value, key=key or path)

    def new_id(self) -> str:
        return f"f{next(self._ids)}"


class Slot(Struct):
    """Where one answer goes: its path (the input's name), the value the file holds, the
    problems found there and the page id of its input."""

    editor: Editor
    path: str
    value: Any
    key: str = ""  # the last step of the path (data-key); "" for an entry of a list
    label: str = ""  # the accessible name of an input in a table row
    origin: str = ""  # an entry's: its index in the file, "new" or "suggested"
    level: int = 2  # the heading level of what it holds (entries' titles, headings between fields)
    _id: str = ""

    @property
    def id(self) -> str:
        if not self._id:
            self._id = self.editor.new_id()
        return self._id

    @property
    def errors(self) -> list[str]:
        found = self.editor.problems.get(self.path, [])
        if found:
            self.editor.anchors.setdefault(self.path, self.id)
        return found

    @property
    def described(self) -> str:
        """The ids that describe the input: its prompt and, when there is one, its problem."""
        return f"{self.id}-about" + (f" {self.id}-error" if self.errors else "")

    def child(self, fdef: Any, label: str = "", level: int | None = None) -> Slot:
        value = self.value.get(fdef.id) if isinstance(self.value, dict) else None
        return Slot(self.editor, f"{self.path}.{fdef.id}", value, key=fdef.id, label=label,
                    level=self.level if level is None else level)

    def inner(self) -> Slot:
        """The same answer, for what is drawn under its heading (one level down)."""
        return Slot(self.editor, self.path, self.value, self.key, self.label, self.origin, min(self.level + 1, 6),
                    self.id)

    def text(self, fdef: Any) -> str:
        return fields.get(fdef.type).edit_text(fdef, self.value)

    def fits(self, fdef: Any) -> bool:
        """Whether the value as written can be shown in the field's inputs (a mapping where
        a text belongs cannot; it is left as it is and the page says so)."""
        ftype, value = fields.get(fdef.type), self.value
        if value is None or ftype.element:
            return True
        if isinstance(ftype, (fields.CardsType, fields.TableType)):
            return isinstance(value, list) and all(isinstance(v, dict) for v in value)
        if ftype.edit_fields(fdef):
            return isinstance(value, dict)
        if isinstance(ftype, (fields.ListType, fields.MultiChoiceType)):
            return not isinstance(value, dict) and not any(isinstance(v, (dict, list)) for v in
                                                          (value if isinstance(value, list) else []))
        return not isinstance(value, (dict, list))

    def entries(self, fdef: Any, head: Any = None) -> list[Slot]:
        """The entries of a list: the file's, then suggested rows not answered yet (their
        first field filled in), or one empty entry to start with."""
        items = self.value if isinstance(self.value, list) else []
        out = [self.entry(i, item, str(i)) for i, item in enumerate(items)]
        head = head or (fdef.fields[0] if fdef.fields else None)
        answered = {str(item.get(head.id, "")).strip().lower() for item in items} if head else set()
        for suggestion in getattr(fdef, "suggestions", ()):
            if head is not None and suggestion.strip().lower() not in answered:
                out.append(self.entry(len(out), {head.id: suggestion}, SUGGESTED))
        return out or [self.entry(0, {}, NEW)]

    def entry(self, index: int, value: Any, origin: str) -> Slot:
        return Slot(self.editor, f"{self.path}[{index}]", value, key="", origin=origin, level=self.level)

    def blank_entry(self) -> Slot:
        """The entry the page's script adds (its names are made again once it is placed)."""
        items = self.value if isinstance(self.value, list) else []
        return self.entry(len(items) + 1000, {}, NEW)

    def when(self, fdef: Any) -> dict[str, str]:
        """The attributes that show the field only when its condition holds (live, in the page)."""
        condition = fdef.show_when
        if condition is None:
            return {}
        import json

        return {"data-when": condition.field, "data-is": json.dumps(sorted({normal(v) for v in condition.values}))}
