"""Safe YAML reading that keeps the line and column of every key and value.

One pass over libyaml's event stream builds plain dicts and lists that remember
where each key, value and item stands. Hostile input is refused as it is read:
tags other than YAML's standard ones (``!!python/...``), aliases that would expand
into a huge document, absurd nesting and duplicate keys (both lines are named).
Scalars follow YAML 1.2: ``yes``, ``no``, ``on`` and ``7:30`` stay text, and dates
stay text too, so the validator can report a bad date at its own line.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent

from .errors import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 200
MAX_NODES = 100_000  # values the document would have with every alias expanded
Position = tuple[int | None, int | None]

try:
    from yaml._yaml import CParser as _Parser  # libyaml, bundled with PyYAML's wheels
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {None, "!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


class LocatedDict(dict):
    """A mapping that remembers the (line, column) of each key and value, 1-based."""

    def __init__(self) -> None:
        super().__init__()
        self.key_positions: dict[Any, Position] = {}
        self.value_positions: dict[Any, Position] = {}


class LocatedList(list):
    """A sequence that remembers the (line, column) of each item, 1-based."""

    def __init__(self) -> None:
        super().__init__()
        self.positions: list[Position] = []


class YamlFileError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark is harmless: drop it
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlFileError(Problem(path, 1, "the file is UTF-16; save it as UTF-8"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlFileError(
            Problem(path, line, "the file is not valid UTF-8 text", hint="save it with UTF-8 encoding")
        ) from None


def _scalar(event: ScalarEvent) -> Any:
    """The value of a scalar under YAML 1.2's core schema (dates stay text)."""
    value = event.value
    tag = event.tag
    if tag in (None, "!") and not event.implicit[0]:
        return value  # quoted: always text
    if tag == _CORE + "str" or tag == "!":
        return value
    if tag in (None, _CORE + "null") and _NULL.match(value):
        return None
    if tag in (None, _CORE + "bool") and _BOOL.match(value):
        return value.lower() == "true"
    if tag in (None, _CORE + "int") and _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if tag in (None, _CORE + "float") and _FLOAT.match(value):
        lowered = value.lower()
        if lowered.endswith("inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        return math.nan if lowered.endswith("nan") else float(value)
    return value


def _pos(mark) -> Position:
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


class _Builder:
    """Turns parser events into located dicts and lists, enforcing the limits."""

    def __init__(self, path: Path):
        self.path = path
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, values it stands for)
        self.nodes = 0
        self.aliases = 0

    def fail(self, mark, message: str, hint: str = "") -> YamlFileError:
        line, col = _pos(mark)
        return YamlFileError(Problem(self.path, line, message, column=col, hint=hint))

    def count(self, amount: int, mark) -> None:
        self.nodes += amount
        if self.nodes > MAX_NODES or self.aliases > MAX_ALIASES:
            raise self.fail(mark, f"YAML aliases (*name) expand this file beyond {MAX_NODES:,} values",
                            hint="write the values out instead of using anchors and aliases")

    def build(self, events) -> Any:
        # Each open collection: [container, pending key, key mark, start count, anchor, start mark]
        stack: list[list] = []
        root: Any = None
        for event in events:
            if isinstance(event, (MappingStartEvent, SequenceStartEvent, ScalarEvent)):
                if event.tag not in _ALLOWED_TAGS:
                    raise self.fail(event.start_mark, f"YAML tag {event.tag!r} is not allowed",
                                    hint="remove the tag; workbooks hold plain text, lists and mappings")
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
                self.count(1, event.start_mark)
                container = LocatedDict() if isinstance(event, MappingStartEvent) else LocatedList()
                stack.append([container, _NO_KEY, None, self.nodes, event.anchor, event.start_mark])
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                container, _, _, start, anchor, mark = stack.pop()
                if anchor:
                    self.anchors[anchor] = (container, self.nodes - start + 1)
                value = container
            elif isinstance(event, ScalarEvent):
                self.count(1, event.start_mark)
                value, mark = _scalar(event), event.start_mark
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1)
            elif isinstance(event, AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(event.start_mark, f"unknown alias *{event.anchor}")
                self.aliases += 1
                value, size = self.anchors[event.anchor]
                self.count(size, event.start_mark)
                mark = event.start_mark
            else:  # stream and document boundaries
                continue
            if not stack:
                root = value
                continue
            self.attach(stack[-1], value, mark)
        return root

    def attach(self, frame: list, value: Any, mark) -> None:
        container = frame[0]
        if isinstance(container, LocatedList):
            container.append(value)
            container.positions.append(_pos(mark))
        elif frame[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.fail(mark, "a mapping or list cannot be a key")
            if value in container:
                first = container.key_positions[value][0]
                raise self.fail(mark, f"duplicate key '{value}' at lines {first} and {_pos(mark)[0]}",
                                hint="keep only one of them")
            frame[1], frame[2] = value, mark
        else:
            key = frame[1]
            container[key] = value
            container.key_positions[key] = _pos(frame[2])
            container.value_positions[key] = _pos(mark)
            frame[1] = _NO_KEY


_NO_KEY = object()


def _events(text: str):
    if _Parser is not None:
        parser = _Parser(text)
        try:
            while parser.check_event():
                yield parser.get_event()
        finally:
            parser.dispose()
    else:  # pragma: no cover - PyYAML without libyaml
        yield from yaml.parse(text, Loader=yaml.SafeLoader)


def _problem_from_yaml_error(path: Path, exc: yaml.YAMLError) -> Problem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(path, None, f"YAML syntax error: {exc}")
    message = " ".join(part for part in (exc.context, exc.problem) if part)
    hint = "indent with spaces, not tabs" if "\\t" in message or "tab" in message else ""
    mark = exc.problem_mark
    if exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        # the construct that is broken starts here; the parser noticed it later
        hint = hint or f"noticed at line {exc.problem_mark.line + 1}"
        mark = exc.context_mark
    line, col = _pos(mark)
    return Problem(path, line, f"YAML syntax error: {message}", column=col, hint=hint)


def parse_yaml(text: str, path: Path) -> Any:
    """Parse YAML text into located dicts and lists; raise YamlFileError."""
    try:
        return _Builder(path).build(_events(text))
    except yaml.YAMLError as exc:
        raise YamlFileError(_problem_from_yaml_error(path, exc)) from None


def read_yaml(path: Path) -> Any:
    """Read one YAML document; raise :class:`YamlFileError` with a located problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlFileError(Problem(path, None, "file not found")) from None
    except OSError as exc:
        raise YamlFileError(Problem(path, None, f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_BYTES:
        raise YamlFileError(Problem(path, None, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB"))
    return parse_yaml(_decode(path, raw), path)


def key_position(container: Any, key: Any) -> Position:
    """1-based (line, column) of a mapping key or sequence item, if known."""
    if isinstance(container, LocatedDict):
        return container.key_positions.get(key, (None, None))
    if isinstance(container, LocatedList) and isinstance(key, int) and 0 <= key < len(container.positions):
        return container.positions[key]
    return (None, None)


def value_position(container: Any, key: Any) -> Position:
    """1-based (line, column) of the value stored under a mapping key."""
    if isinstance(container, LocatedDict):
        return container.value_positions.get(key, (None, None))
    return key_position(container, key)
