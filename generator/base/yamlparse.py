"""libyaml's event stream turned into located dicts and lists (see yamlio): PyYAML is imported
here only, when a file is not in the cache of files read before."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .errors import Problem
from .i18n import ENGLISH, N_, Language
from .located import (
    MAX_ALIASES,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    MAX_NODES,
    LocatedDict,
    LocatedList,
    Position,
    YamlFileError,
)
from .safepath import shorten

try:
    from yaml._yaml import CParser as _Parser  # libyaml, bundled with PyYAML's wheels
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {None, "!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


class _BadScalar(ValueError):
    pass


def _integer(value: str) -> int:
    digits = value.lstrip("+-")
    digits = digits[2:] if digits[:2] in ("0o", "0x") else digits
    if len(digits) > (12 if value.startswith("0x") else MAX_INT_DIGITS):
        raise _BadScalar(N_("%(number)s... is a number of %(digits)s digits; at most %(most)s are allowed"),
                         {"number": value[:20], "digits": len(digits), "most": MAX_INT_DIGITS})
    return int(value, 0) if value[:2] in ("0o", "0x") else int(value)


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
        return _integer(value)
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

    def __init__(self, path: Path, lang: Language = ENGLISH):
        self.path = path
        self.lang = lang
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # anchor -> (value, values, characters it stands for)
        self.nodes = 0
        self.chars = 0  # characters of text the document holds with every alias expanded
        self.aliases = 0

    def fail(self, mark, message: str, hint: str = "", **values) -> YamlFileError:
        """A located problem; ``message`` and ``hint`` are catalog texts, ``values`` fill them."""
        _ = self.lang.gettext
        line, col = _pos(mark)
        message, hint = _(message) % values if values else _(message), _(hint) % values if values and hint else _(hint)
        return YamlFileError(Problem(self.path, line, message, column=col, hint=hint))

    def count(self, amount: int, mark, chars: int = 0) -> None:
        self.nodes += amount
        self.chars += chars
        if self.nodes > MAX_NODES or self.aliases > MAX_ALIASES:
            raise self.fail(mark, N_("YAML aliases (*name) expand this file beyond %(most)s values"),
                            hint=N_("write the values out instead of using anchors and aliases"),
                            most=self.lang.number(MAX_NODES))
        if self.chars > MAX_BYTES:  # the same bound as the file itself
            line, col = _pos(mark)
            raise YamlFileError(Problem(self.path, line, f"YAML aliases (*name) expand this file beyond "
                                        f"{MAX_BYTES // (1024 * 1024)} MiB of text, more than a workbook file may "
                                        "hold", column=col, hint=self.lang.gettext(
                                            "write the values out instead of using anchors and aliases")))

    def build(self, events) -> Any:
        # Each open collection: [container, pending key, key mark, start count, anchor, start mark]
        stack: list[list] = []
        root: Any = None
        documents = 0
        for event in events:
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(event.start_mark, N_("the file holds more than one YAML document; "
                                                         "the second starts at line %(line)s"),
                                    hint=N_("a workbook is one document: remove the '---' line and what follows, "
                                            "or merge the two"), line=_pos(event.start_mark)[0])
            tagged = isinstance(event, (MappingStartEvent, SequenceStartEvent, ScalarEvent))
            if tagged and event.tag not in _ALLOWED_TAGS:
                raise self.fail(event.start_mark, N_("YAML tag %(tag)s is not allowed"),
                                hint=N_("remove the tag; workbooks hold plain text, lists and mappings"),
                                tag=repr(event.tag))
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event.start_mark, N_("nesting deeper than %(most)s levels"), most=MAX_DEPTH)
                self.count(1, event.start_mark)
                container = LocatedDict() if isinstance(event, MappingStartEvent) else LocatedList()
                stack.append([container, _NO_KEY, None, (self.nodes, self.chars), event.anchor, event.start_mark])
                continue
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                container, _, _, (start, chars), anchor, mark = stack.pop()
                if anchor:
                    self.anchors[anchor] = (container, self.nodes - start + 1, self.chars - chars)
                value = container
            elif isinstance(event, ScalarEvent):
                self.count(1, event.start_mark, len(event.value))
                try:
                    value, mark = _scalar(event), event.start_mark
                except _BadScalar as exc:
                    raise self.fail(event.start_mark, exc.args[0], hint=N_("write it as text in quotes"),
                                    **exc.args[1]) from None
                if event.anchor:
                    self.anchors[event.anchor] = (value, 1, len(event.value))
            elif isinstance(event, AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(event.start_mark, N_("unknown alias *%(alias)s"), alias=event.anchor)
                self.aliases += 1
                value, size, chars = self.anchors[event.anchor]
                self.count(size, event.start_mark, chars)
                mark = event.start_mark
            else:  # stream and document boundaries
                continue
            if not stack:
                root = value
                continue
            self.attach(stack[-1], value, mark, event.value if isinstance(event, ScalarEvent) else "")
        return root

    def attach(self, frame: list, value: Any, mark, text: str = "") -> None:
        container = frame[0]
        if isinstance(container, LocatedList):
            container.append(value)
            container.positions.append(_pos(mark))
        elif frame[1] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise self.fail(mark, N_("a mapping or list cannot be a key"))
            if value in container:
                first = container.key_positions[value][0]
                first_text = container.key_texts.get(value, str(value))
                if first_text != text and text:
                    raise self.fail(mark, N_("keys '%(first)s' (line %(line)s) and '%(second)s' (line %(other)s) "
                                             "count as the same key"),
                                    hint=N_("rename one of them, or quote both to keep them apart"),
                                    first=shorten(first_text), line=first, second=shorten(text),
                                    other=_pos(mark)[0])
                raise self.fail(mark, N_("duplicate key '%(key)s' at lines %(line)s and %(other)s"),
                                hint=N_("keep only one of them"), key=shorten(text or value), line=first,
                                other=_pos(mark)[0])
            frame[1], frame[2] = value, mark
            if isinstance(container, LocatedDict):
                container.key_texts[value] = text
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


def _tab_line(text: str, *marks) -> int | None:
    """The 1-based line, among those of ``marks``, whose indentation holds a tab."""
    lines = text.splitlines()
    for mark in marks:
        if mark is not None and mark.line < len(lines):
            line = lines[mark.line]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent or (mark.column < len(line) and line[mark.column] == "\t"):
                return mark.line + 1
    return None


# What libyaml says, in the catalog: the construct it was reading, then what went wrong.
PARSER_TEXTS = {
    "while scanning a simple key": N_("while reading a key"),
    "while scanning a quoted scalar": N_("while reading a text in quotes"),
    "while scanning a plain scalar": N_("while reading a text"),
    "while scanning a block scalar": N_("while reading a block of text (| or >)"),
    "while scanning for the next token": N_("while reading the next item"),
    "while scanning an anchor": N_("while reading an anchor (&name)"),
    "while scanning an alias": N_("while reading an alias (*name)"),
    "while scanning a tag": N_("while reading a tag (!name)"),
    "while scanning a directive": N_("while reading a directive (a line starting with '%')"),
    "while parsing a block mapping": N_("in this mapping (keys with values)"),
    "while parsing a block collection": N_("in this list"),
    "while parsing a flow sequence": N_("in this list in brackets [ ]"),
    "while parsing a flow mapping": N_("in this mapping in braces { }"),
    "while parsing a node": N_("while reading a value"),
    "could not find expected ':'": N_("a ':' is missing after the key"),
    "mapping values are not allowed in this context":
        N_("a ':' is not allowed here (put a text holding ': ' in quotes)"),
    "mapping values are not allowed here": N_("a ':' is not allowed here (put a text holding ': ' in quotes)"),
    "block sequence entries are not allowed in this context": N_("a list item ('- ') is not allowed here"),
    "found unexpected end of stream": N_("the file ends before it is closed"),
    "found unexpected document indicator": N_("'---' or '...' is not allowed here"),
    "found character that cannot start any token": N_("this character cannot start a value (put the text in quotes)"),
    "did not find expected key": N_("a key is expected here: check the indentation"),
    "did not find expected '-' indicator": N_("a list item ('- ') is expected here: check the indentation"),
    "did not find expected ',' or ']'": N_("a ',' or the closing ']' is missing"),
    "did not find expected ',' or '}'": N_("a ',' or the closing '}' is missing"),
    "did not find expected node content": N_("a value is missing"),
    "did not find expected <document start>": N_("more follows the end of the document"),
    "did not find expected comment or line break": N_("only a comment or a line break may follow here"),
    "did not find expected alphabetic or numeric character": N_("a letter or digit is expected here"),
    "did not find expected whitespace or line break": N_("a space or line break is expected here"),
    "found unknown escape character": N_("unknown escape sequence after '\\' (use single quotes for backslashes)"),
    "found undefined tag handle": N_("unknown tag"),
    "control characters are not allowed": N_("the file holds control characters, which YAML does not allow"),
}


def _problem_from_yaml_error(path: Path, exc: yaml.YAMLError, text: str = "", lang: Language = ENGLISH) -> Problem:
    _ = lang.gettext
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(path, None, _("YAML syntax error: %(message)s") % {"message": exc})
    tab = _tab_line(text, exc.problem_mark, exc.context_mark)
    if tab is not None:
        return Problem(path, tab, _("YAML syntax error: line %(line)s is indented with a tab character")
                       % {"line": tab},
                       column=1, hint=_("YAML allows only spaces for indentation: replace the tab with spaces"))
    english = " ".join(part for part in (exc.context, exc.problem) if part)
    message = ", ".join(_(PARSER_TEXTS[part]) if part in PARSER_TEXTS else part
                        for part in (exc.context, exc.problem) if part)
    hint = _("indent with spaces, not tabs") if "\\t" in english or "tab" in english else ""
    mark = exc.problem_mark
    if exc.context_mark is not None and exc.problem_mark is not None \
            and exc.context_mark.line != exc.problem_mark.line:
        # the construct that is broken starts here; the parser noticed it later
        hint = hint or _("noticed at line %(line)s") % {"line": exc.problem_mark.line + 1}
        mark = exc.context_mark
    line, col = _pos(mark)
    return Problem(path, line, _("YAML syntax error: %(message)s") % {"message": message}, column=col, hint=hint)


def parse(text: str, path: Path, lang: Language = ENGLISH) -> Any:
    """Parse YAML text into located dicts and lists; raise YamlFileError (its message in ``lang``)."""
    try:
        return _Builder(path, lang).build(_events(text))
    except yaml.YAMLError as exc:
        raise YamlFileError(_problem_from_yaml_error(path, exc, text, lang)) from None
