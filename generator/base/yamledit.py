"""Editing a person's YAML file in place with ruamel.yaml, keeping what they wrote.

A workbook is the person's own file: commands that change it (``log``, the browser
editor) load it with ruamel.yaml's round trip, change only what must change and write
it back, so comments, key order, quoting, blank lines and untouched entries stay as
they were. ruamel keeps the comments that stand between two entries (a section
heading such as ``# Practice 2``) on the last value before them; :func:`split_tail`
and :func:`append_tail` move them along when entries are added, removed or moved, so
that each comment stays above what it describes.

Answers that need fixing are marked by a comment beside their line: see yamlfix.py.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import CommentMark
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_BLOCK = (LiteralScalarString, FoldedScalarString)


class NotADate(str):
    """A value written like a date that is not one (2026-13-01): kept, and written back, as written."""


class _Constructor(RoundTripConstructor):
    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:  # month 13, 30 February: the person's text, for check to point at
            return NotADate(node.value)


class _Representer(RoundTripRepresenter):
    def represent_not_a_date(self, data: NotADate) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:timestamp", str(data))  # plain, as it was written


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)
_Representer.add_representer(NotADate, _Representer.represent_not_a_date)
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def as_written(value: Any) -> Any:
    """A text typed like a date but not one stays unquoted, as the person typed it."""
    if isinstance(value, str) and not isinstance(value, ScalarString) and _DATE_LIKE.match(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return NotADate(value)
    return value


def rt_yaml(mapping: int = 2, sequence: int = 4, offset: int = 2) -> YAML:
    """ruamel.yaml's round trip, never folding a line, quotes kept as written."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.Representer = _Representer
    yaml.width = 4096  # never fold a long line
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as the file indents: the first nested key, and the first
    list under a key (its dash ``offset`` columns in, its items' text ``sequence`` columns in)."""
    mapping = sequence = offset = None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in zip(lines, lines[1:], strict=False):
        if not above.rstrip().endswith(":"):
            continue
        outer = len(above) - len(above.lstrip(" "))
        if above.lstrip().startswith("- "):
            outer += len(above.lstrip()) - len(above.lstrip()[1:].lstrip())
        inner = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- ") and offset is None and inner >= outer:
            offset = inner - outer
            sequence = offset + 1 + len(line.lstrip()[1:]) - len(line.lstrip()[1:].lstrip())
        elif not line.lstrip().startswith("- ") and mapping is None and inner > outer:
            mapping = inner - outer
    offset = 2 if offset is None else offset
    return mapping or 2, sequence or offset + 2, offset


def load_document(text: str) -> tuple[YAML, Any]:
    """The document of ``text`` and the YAML that writes it back in the file's own indentation."""
    yaml = rt_yaml(*guess_indent(text))
    yaml.explicit_start = bool(re.match(r"(?:\s*(?:#[^\n]*)?\n)*---\s*(?:#[^\n]*)?\n", text))
    return yaml, yaml.load(text)


def dump_document(yaml: YAML, doc: Any, newline: str = "\n") -> str:
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    text = buffer.getvalue()
    return text.replace("\n", newline) if newline != "\n" else text


def plain(value: Any) -> Any:
    """ruamel containers as plain dicts and lists, for comparing documents."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, ScalarString):
        return str(value)
    return value


def steps(path: str) -> list[str | int]:
    """``meetings[2].action_items[0].due`` as keys and indexes."""
    return [int(index) if index else key for key, index in _STEP.findall(path)]


# -- comments that stand between entries ------------------------------------------


def _block(node: Any) -> bool:
    """A mapping or list written as a block (its entries on lines of their own), not empty."""
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node) and not node.fa.flow_style()


def last_leaf(node: Any) -> tuple[Any, Any]:
    """(container, key) of the last value written in ``node`` (a block mapping or list)."""
    while True:
        key = next(reversed(node)) if isinstance(node, dict) else len(node) - 1
        if not _block(node[key]):
            return node, key
        node = node[key]


def _slot(container: Any) -> int:
    """Where ruamel keeps the comment on a value's line: [2] for a mapping's key, [0] for a list's item."""
    return 2 if isinstance(container, dict) else 0


def _leaf(container: Any, key: Any) -> tuple[Any, Any]:
    value = container[key]
    return last_leaf(value) if _block(value) else (container, key)


def _cut(container: Any, key: Any) -> str:
    """The comment lines after the line of the value ``container[key]``, taken off it."""
    entry = container.ca.items.get(key)
    token = entry[_slot(container)] if entry else None
    if token is None:
        return ""
    if isinstance(container[key], _BLOCK):  # a | block has no comment on its own line
        head, tail = "", token.value
    else:
        head, newline, tail = token.value.partition("\n")
        head += newline
    if not tail:
        return ""
    if head.strip():
        token.value = head
    else:
        entry[_slot(container)] = None
    return tail


def _paste(container: Any, key: Any, tail: str) -> None:
    """Comment lines after the line of the value ``container[key]``."""
    if not tail:
        return
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[_slot(container)]
    if token is not None:
        token.value += tail
    else:
        head = "" if isinstance(container[key], _BLOCK) else "\n"
        entry[_slot(container)] = CommentToken(head + tail, CommentMark(0), None)


def split_tail(node: Any) -> str:
    """Take the comment lines after the last line of ``node`` (they describe what follows
    it) off its last value; returns them ("" when there are none)."""
    return _cut(*last_leaf(node)) if _block(node) else ""


def append_tail(node: Any, tail: str) -> None:
    """Put comment lines taken with :func:`split_tail` after the last line of ``node``."""
    if _block(node):
        _paste(*last_leaf(node), tail)


def take_after(container: Any, key: Any) -> str:
    """The comment lines after the entry ``key`` of ``container``, taken off it (a list's
    own closing comments too)."""
    tail = _cut(*_leaf(container, key))
    value = container[key]
    if _block(value) and isinstance(value, CommentedSeq) and getattr(value.ca, "end", None):
        tail += "".join(t.value for t in value.ca.end if t is not None)
        value.ca.end = []
    return tail


def give_after(container: Any, key: Any, tail: str) -> None:
    _paste(*_leaf(container, key), tail)


def set_value(container: Any, key: Any, value: Any) -> None:
    """Replace a value, in the style of the one it replaces (quotes kept; a paragraph
    written as a ``|`` block); a text of several lines becomes a block."""
    old = container[key] if (isinstance(container, dict) and key in container) or \
        (isinstance(container, list) and key < len(container)) else None
    if isinstance(value, str):
        if "\n" in value:
            ending = "\n" if not isinstance(old, str) or old.endswith("\n") else ""
            value = LiteralScalarString(value.rstrip("\n") + ending)
        elif isinstance(old, ScalarString) and not isinstance(old, _BLOCK):
            value = type(old)(value)
    if isinstance(old, _BLOCK) and not isinstance(value, _BLOCK):
        tail = take_after(container, key)  # a | block's closing comments follow it; a line's go after its newline
        container[key] = value
        give_after(container, key, tail)
        return
    container[key] = value


def insert_entry(container: Any, position: int, key: Any, value: Any) -> None:
    """Add a value at ``position`` of a block mapping (under ``key``) or list; the comments
    that stood after the previous entry stay above the entry that followed it."""
    tail = ""
    if position > 0 and container:
        tail = take_after(container, list(container)[position - 1] if isinstance(container, dict) else position - 1)
    if isinstance(container, dict):
        container.insert(position, key, value)
        container.ca.items.pop(key, None)
        give_after(container, key, tail)
    else:
        container.insert(position, value)
        container.ca.items.pop(position, None)
        give_after(container, position, tail)


def delete_entry(container: Any, key: Any) -> None:
    """Remove an entry of a mapping (by key) or list (by index); the comments that stood
    after it (describing what follows) go to the entry before it."""
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    position = keys.index(key)
    tail = take_after(container, key)
    del container[key]
    if isinstance(container, dict):
        container.ca.items.pop(key, None)
    if position > 0:
        give_after(container, keys[position - 1], tail)
    elif container and tail.strip():  # the first entry: its closing comments go above the next
        first = next(iter(container)) if isinstance(container, dict) else 0
        entry = container.ca.items.setdefault(first, [None, None, None, None])
        lines = [CommentToken(line + "\n", CommentMark(0), None) for line in tail.rstrip("\n").split("\n")]
        entry[1] = lines + (entry[1] or [])


def put_before(seq: CommentedSeq, index: int, text: str) -> None:
    """Comment lines above an item of a list (for the first item, where no item stands before it)."""
    lines = [line.strip() for line in text.rstrip("\n").split("\n")]
    if not any(lines):
        return
    try:
        column = max(int(seq.lc.data[index][1]) - 2, 0)
    except (AttributeError, KeyError, IndexError, TypeError):
        column = 0
    entry = seq.ca.items.setdefault(index, [None, None, None, None])
    tokens = [CommentToken((line or "") + "\n", CommentMark(column), None) for line in lines]
    entry[1] = tokens + (entry[1] or [])


def move_item(seq: CommentedSeq, source: int, target: int) -> None:
    """Move an item of a block list from ``source`` to ``target``, with its own comments and
    the comment lines right above it; the lines above the item that followed it stay there."""
    if source == target:
        return
    lead = take_after(seq, source - 1) if source > 0 else ""
    follow = take_after(seq, source)
    own = seq.ca.items.pop(source, None)
    item = seq[source]
    del seq[source]
    if source > 0:
        give_after(seq, source - 1, follow)
    elif seq:
        put_before(seq, 0, follow)
    gap = take_after(seq, target - 1) if target > 0 else ""
    seq.insert(target, item)
    seq.ca.items.pop(target, None)
    if own is not None:
        seq.ca.items[target] = own
    if target > 0:
        give_after(seq, target - 1, lead)
    else:
        put_before(seq, 0, lead)
    give_after(seq, target, gap)
