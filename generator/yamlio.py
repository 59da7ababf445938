"""Safe YAML reading that keeps the line and column of every key and value.

ruamel.yaml's round-trip loader keeps positions (and, for later editing, comments).
Before constructing anything we scan the event stream so that hostile input is
refused early and cheaply: unknown tags (``!!python/...``), alias expansion bombs and
absurd nesting never reach the constructor. Dates stay strings here; the validator
parses them so that a bad date is reported at its own line instead of crashing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

from .errors import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_ALIASES = 200
MAX_NODES = 100_000  # nodes the document would have with every alias expanded
_STANDARD_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


class _Constructor(RoundTripConstructor):
    """Round-trip constructor that leaves timestamps as text for the validator."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


class YamlFileError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


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


def _scan(path: Path, text: str) -> None:
    """Refuse unsafe tags, alias bombs and deep nesting before constructing."""
    aliases = nodes = 0
    sizes: dict[str, int] = {}  # anchor -> nodes it stands for, aliases expanded
    open_collections: list[list] = []  # [anchor, nodes so far]

    def add(count: int) -> None:
        nonlocal nodes
        nodes += count
        if open_collections:
            open_collections[-1][1] += count

    for event in _yaml().parse(text):
        mark = event.start_mark
        where = {"column": mark.column + 1}
        if isinstance(event, NodeEvent) and getattr(event, "tag", None) not in _STANDARD_TAGS:
            raise YamlFileError(Problem(path, mark.line + 1, f"YAML tag {event.tag!r} is not allowed", **where,
                                        hint="remove the tag; workbooks hold plain text, lists and mappings"))
        if isinstance(event, AliasEvent):
            aliases += 1
            add(sizes.get(event.anchor, 1))
        elif isinstance(event, CollectionStartEvent):
            if len(open_collections) >= MAX_DEPTH:
                raise YamlFileError(Problem(path, mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels", **where))
            open_collections.append([event.anchor, 1])
        elif isinstance(event, CollectionEndEvent):
            anchor, count = open_collections.pop()
            if anchor:
                sizes[anchor] = count
            add(count)
        elif isinstance(event, NodeEvent):  # a scalar
            if event.anchor:
                sizes[event.anchor] = 1
            add(1)
        if aliases > MAX_ALIASES or nodes > MAX_NODES:
            raise YamlFileError(Problem(path, mark.line + 1, "YAML aliases (*name) expand this file beyond "
                                        f"{MAX_NODES:,} values", **where,
                                        hint="write the values out instead of using anchors and aliases"))


def _first_key_line(text: str, mapping_mark, key: str) -> int | None:
    """Line of the first occurrence of ``key`` in the mapping that starts at ``mapping_mark``."""
    try:
        root = _yaml().compose(text)  # composing does not construct, so duplicates pass here
    except YAMLError:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            if (node.start_mark.line, node.start_mark.column) == (mapping_mark.line, mapping_mark.column):
                for key_node, _ in node.value:
                    if getattr(key_node, "value", None) == key:
                        return key_node.start_mark.line + 1
            stack.extend(v for pair in node.value for v in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return None


def _problem_from_yaml_error(path: Path, exc: YAMLError, text: str = "") -> Problem:
    if not isinstance(exc, MarkedYAMLError):
        return Problem(path, None, f"YAML syntax error: {exc}")
    problem = exc.problem or ""
    if "duplicate key" in problem:
        mark = exc.problem_mark
        key = re.search(r'duplicate key "(.*?)"', problem)
        first = _first_key_line(text, exc.context_mark, key.group(1)) if key and exc.context_mark else None
        name = key.group(1) if key else "?"
        where = f"at lines {first} and {mark.line + 1}" if first else f"again at line {mark.line + 1}"
        return Problem(path, mark.line + 1, f"duplicate key '{name}' {where}", column=mark.column + 1,
                       hint="keep only one of them")
    message = " ".join(part for part in (exc.context, problem) if part)
    hint = "indent with spaces, not tabs" if "\\t" in message or "tab" in message else ""
    mark = exc.problem_mark
    if exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        # the construct that is broken starts here; the parser noticed it later
        hint = hint or f"noticed at line {exc.problem_mark.line + 1}"
        mark = exc.context_mark
    if mark is None:
        return Problem(path, None, f"YAML syntax error: {message}")
    return Problem(path, mark.line + 1, f"YAML syntax error: {message}", column=mark.column + 1, hint=hint)


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
    text = _decode(path, raw)
    try:
        _scan(path, text)
        return _yaml().load(text)
    except YAMLError as exc:
        raise YamlFileError(_problem_from_yaml_error(path, exc, text)) from None


def key_position(container: Any, key: Any) -> tuple[int | None, int | None]:
    """1-based (line, column) of a mapping key or sequence item, if known."""
    try:
        if isinstance(container, CommentedMap):
            line, col = container.lc.key(key)
        elif isinstance(container, CommentedSeq):
            line, col = container.lc.item(key)
        else:
            return None, None
    except (KeyError, IndexError, TypeError):
        return None, None
    return line + 1, col + 1


def value_position(container: Any, key: Any) -> tuple[int | None, int | None]:
    """1-based (line, column) of the value stored under a mapping key."""
    if isinstance(container, CommentedMap):
        try:
            line, col = container.lc.value(key)
            return line + 1, col + 1
        except (KeyError, TypeError):
            return None, None
    return key_position(container, key)
