"""Saving a form into the workbook file: only what changed is rewritten.

The file is loaded with ruamel.yaml's round trip (base/yamledit.py). A worksheet's
answers posted by the editor's form (live/forms.py) are compared with the file's, field
by field, the way each field type shows them (``FieldType.edit_text``): an answer that
shows the same is left exactly as written; a changed one is replaced in the style of the
old; entries are moved, added and removed as they were on the page, so that their
comments move with them. Answers that fail validation are still written, each marked
with a ``# mentorbook: fix:`` comment as ``import`` marks them.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from .. import fields
from ..base.errors import MentorbookError, Problem
from ..base.yamledit import (
    as_written,
    delete_entry,
    dump_document,
    insert_entry,
    load_document,
    move_item,
    plain,
    set_value,
    steps,
)
from ..base.yamlfix import add_fix_comments, clear_fix_comments, fix_note
from ..base.yamlio import YamlFileError, parse_yaml
from .forms import KEEP, PostedForm, Row, blank


class _Changes(Struct):
    errors: set[str]  # fields with an error before the edit (their answers are compared strictly)
    changed: list[str] = field(default_factory=list)  # fields written anew, as paths in the new file
    entries: list[str] = field(default_factory=list)  # mappings whose answers changed
    moved: bool = False  # entries were removed or moved


class Edited(Struct):
    text: str  # the file's new text (the old one when nothing changed)
    changed: bool
    problems: list[Problem] = field(default_factory=list)  # the new text's errors, as check reports them


def build(value: Any) -> Any:
    """A value read from the form as YAML nodes: paragraphs as ``|`` blocks, empty answers left out."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            if not blank(item):
                node[key] = build(item)
        return node
    if isinstance(value, list):
        return CommentedSeq(build(item) for item in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value.rstrip("\n") + "\n")
    return as_written(value)


def _position(mapping: CommentedMap, parts: tuple[Any, ...], index: int) -> int:
    """Where a new answer goes: after the answers the definition lists before it."""
    keys = list(mapping)
    before = [p.id for p in parts[:index] if p.id in mapping]
    if before:
        return keys.index(before[-1]) + 1
    after = [p.id for p in parts[index + 1:] if p.id in mapping]
    return keys.index(after[0]) if after else len(keys)


def _differs(old: Any, new: Any) -> bool:
    old = plain(old)
    return type(old) is not type(new) or old != new


def merge_mapping(mapping: CommentedMap, parts: tuple[Any, ...], new: dict[str, Any], path: str, old_path: str,
                  ctx: _Changes) -> None:
    before = len(ctx.changed)
    for index, part in enumerate(parts):
        if part.id not in new or fields.get(part.type).element:
            continue
        value, here = new[part.id], f"{path}.{part.id}"
        if blank(value):
            if part.id in mapping:
                delete_entry(mapping, part.id)
                ctx.changed.append(here)
        elif part.id in mapping:
            merge_value(mapping, part.id, part, value, here, f"{old_path}.{part.id}", ctx)
        else:
            insert_entry(mapping, _position(mapping, parts, index), part.id, build(value))
            ctx.changed.append(here)
    if len(ctx.changed) > before:
        ctx.entries.append(path)
        if mapping:  # a mark about the entry as a whole stands beside its first line
            first = next(iter(mapping))
            clear_fix_comments(mapping, first)


def merge_value(container: Any, key: Any, fdef: Any, new: Any, path: str, old_path: str, ctx: _Changes) -> None:
    """Bring ``container[key]`` to ``new`` (not empty), rewriting as little as possible."""
    ftype, old = fields.get(fdef.type), container[key]
    parts = ftype.edit_fields(fdef)
    if parts and isinstance(new, list):
        if isinstance(old, CommentedSeq) and all(isinstance(item, CommentedMap) for item in old):
            merge_rows(old, new, parts, path, old_path, ctx)
            return
    elif parts and isinstance(new, dict):
        if isinstance(old, CommentedMap):
            merge_mapping(old, parts, new, path, old_path, ctx)
            if not old:
                delete_entry(container, key)
            return
    elif ftype.edit_text(fdef, old) == ftype.edit_text(fdef, new) \
            and not (old_path in ctx.errors and _differs(old, new)):
        return  # the same answer as the form showed it: the file keeps it as written
    elif isinstance(new, list) and isinstance(old, CommentedSeq):
        merge_items(old, new, fdef, path, ctx)
        return
    set_value(container, key, build(new))
    clear_fix_comments(container, key)
    ctx.changed.append(path)


def merge_rows(seq: CommentedSeq, rows: list[Row], parts: tuple[Any, ...], path: str, old_path: str,
               ctx: _Changes) -> None:
    """The entries as the page lists them: the file's own moved to their new places and
    brought up to date, new ones added, the rest removed (each with its comments)."""
    wanted = [r.origin for r in rows if isinstance(r, Row) and r.origin is not None and r.origin < len(seq)]
    for index in reversed(range(len(seq))):
        if index not in wanted:
            delete_entry(seq, index)
            ctx.moved = True
    order: list[int | None] = sorted(set(wanted))  # what each entry of the list now was in the file
    for target, row in enumerate(rows):
        origin = getattr(row, "origin", None)
        if origin is not None and origin in order:
            current = order.index(origin)
            if current != target:
                move_item(seq, current, target)
                order.insert(target, order.pop(current))
                ctx.moved = True
            merge_mapping(seq[target], parts, row, f"{path}[{target}]", f"{old_path}[{origin}]", ctx)
        else:
            insert_entry(seq, target, None, build(row))
            order.insert(target, None)
            ctx.changed.append(f"{path}[{target}]")


def merge_items(seq: CommentedSeq, new: list[Any], fdef: Any, path: str, ctx: _Changes) -> None:
    """A list of texts or choices: items typed the same stay, with their comments."""
    ftype = fields.get(fdef.type)
    old_keys = [ftype.edit_text(fdef, [item]) for item in seq]
    new_keys = [ftype.edit_text(fdef, [item]) for item in new]
    for tag, i1, i2, j1, j2 in reversed(SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()):
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                set_value(seq, i1 + k, build(new[j1 + k]))
                clear_fix_comments(seq, i1 + k)
            continue
        for index in reversed(range(i1, i2)):
            delete_entry(seq, index)
        for k, item in enumerate(new[j1:j2]):
            insert_entry(seq, i1 + k, None, build(item))
    ctx.changed.append(path)


def merge_section(doc: CommentedMap, fdef: Any, new: Any, order: list[str], ctx: _Changes) -> None:
    """A whole worksheet (or the trainee's details) brought to what the form posted."""
    key = fdef.id
    if blank(new):
        if key in doc:
            delete_entry(doc, key)
            ctx.changed.append(key)
        return
    if key in doc and doc[key] is not None:
        merge_value(doc, key, fdef, new, key, key, ctx)
        return
    if key in doc:
        delete_entry(doc, key)
    index = order.index(key) if key in order else len(order)
    present = [k for k in order[:index] if k in doc]
    position = list(doc).index(present[-1]) + 1 if present else 0
    insert_entry(doc, position, key, build(new))
    if position > 0:  # a section of its own, after a blank line
        doc.yaml_set_comment_before_after_key(key, before="\n")
    ctx.changed.append(key)


def _touched(problem: Problem, doc: Any, ctx: _Changes) -> bool:
    """An error about an answer just written (or missing from an entry just changed)."""
    name = problem.field or ""
    if any(name == c or name.startswith((c + ".", c + "[")) for c in ctx.changed):
        return True
    return not _exists(doc, name) and any(name.startswith(e + ".") for e in ctx.entries)


def _exists(doc: Any, name: str) -> bool:
    node = doc
    for step in steps(name):
        if isinstance(node, dict) and step in node or isinstance(node, list) and isinstance(step, int) \
                and step < len(node):
            node = node[step]
        else:
            return False
    return True


def apply_form(text: str, form: PostedForm, fdef: Any, order: list[str], errors: set[str],
               check: Any) -> Edited:
    """The file's text with the answers ``form`` posted for the section ``fdef``.

    ``errors`` are the fields that had an error before; ``check(text)`` gives the errors
    of a text as ``check`` reports them (its fields' paths and messages).
    """
    new = form.section(fdef)
    if new is KEEP:
        return Edited(text, False)
    newline = "\r\n" if "\r\n" in text else "\n"
    yaml, doc = load_document(text)
    if doc is None:
        doc = CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise MentorbookError("the workbook is not a mapping of sections; nothing was written")
    ctx = _Changes(errors)
    merge_section(doc, fdef, new, order, ctx)
    if not ctx.changed and not ctx.moved:
        return Edited(text, False)
    new_text = dump_document(yaml, doc, newline)
    problems = check(new_text)
    notes = [(p.field, fix_note(p, getattr(check, "lang", None))) for p in problems
             if p.severity == "error" and _touched(p, doc, ctx)]
    if notes:
        add_fix_comments(doc, notes)
        new_text = dump_document(yaml, doc, newline)
    if _others(new_text, fdef.id) != _others(text, fdef.id):
        raise MentorbookError("could not save this worksheet without changing others; nothing was written")
    return Edited(new_text, True, check(new_text) if notes else problems)


def _others(text: str, key: str) -> Any:
    """What a workbook's text holds besides one section, read as mentorbook reads it."""
    try:
        data = parse_yaml(text, Path("workbook.yml"))
    except YamlFileError as exc:
        raise MentorbookError(f"the new text of the workbook would not read back ({exc}); nothing was written") \
            from None
    return {k: v for k, v in data.items() if k != key} if isinstance(data, dict) else data


def section_errors(problems: list[Problem]) -> set[str]:
    return {p.field for p in problems if p.severity == "error" and p.field}
