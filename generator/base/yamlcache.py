"""A program's YAML files, remembered between runs.

Reading the same text gives the same located dicts and lists every time, so what yamlparse
made of a program's own file (its configuration, worksheet definitions, the front matter of
its guidance) is kept in the user cache as JSON, under a hash of the text, of the parser
and of PyYAML's files. A build whose program did not change then reads a few small files
and never loads PyYAML. A person's own files (workbooks, rosters, directories) are not
kept: the cache holds only what a program publishes.

An entry is checked as it is read back (only the shapes the parser makes, within the
parser's limits); anything else is ignored and the text parsed again.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import cache_dir, packages_stamp, store_cache_entry
from .located import MAX_BYTES, MAX_DEPTH, LocatedDict, LocatedList
from .safepath import UnreadableFile, read_limited

MISSING = object()  # what lookup gives for a text it does not hold
FORMAT = "located-json:1"  # bump when the entries' form or the parser's output changes
KEEP = 2000  # entries; the least recently written beyond this are removed
MAX_ENTRY_BYTES = 8 * MAX_BYTES  # an entry larger than this was not written by mentorbook
_PARSER = Path(__file__).with_name("yamlparse.py")


class _NotAnEntry(ValueError):
    pass


def _entry(text: str) -> Path | None:
    folder = cache_dir("yaml")
    if folder is None:
        return None
    try:
        parser = _PARSER.stat()
    except OSError:
        return None
    key = f"{FORMAT}\0{parser.st_size}:{parser.st_mtime_ns}\0{packages_stamp('yaml')}\0{text}"
    return folder / f"{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}.json"


def lookup(text: str) -> Any:
    """The located value of ``text`` as parsed before, or MISSING."""
    entry = _entry(text)
    return MISSING if entry is None else _read(entry)


def parsed(text: str, parse: Callable[[], Any]) -> Any:
    """The located value of ``text``: from the cache, else ``parse()``'s, then kept (a cache that
    cannot be written is skipped)."""
    entry = _entry(text)
    if entry is None:
        return parse()
    value = _read(entry)
    if value is MISSING:
        value = parse()
        store_cache_entry(entry, json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")), KEEP)
    return value


def _read(entry: Path) -> Any:
    try:
        return _decode(json.loads(read_limited(entry, MAX_ENTRY_BYTES)), 0)
    except (UnreadableFile, UnicodeDecodeError, ValueError, RecursionError):
        return MISSING


# An entry: a scalar as itself; a mapping as {"d": [[key, key as written, key line, key column,
# value line, value column, value], ...]}; a list as {"l": [item, ...], "p": [[line, column], ...]}.

def _encode(value: Any) -> Any:
    if isinstance(value, LocatedDict):
        return {"d": [[key, value.key_texts.get(key, ""), *value.key_positions.get(key, (None, None)),
                       *value.value_positions.get(key, (None, None)), _encode(item)]
                      for key, item in value.items()]}
    if isinstance(value, LocatedList):
        return {"l": [_encode(item) for item in value], "p": [list(p) for p in value.positions]}
    return value


_SCALARS = (str, bool, int, float, type(None))  # what json.loads gives, exactly these types


def _positioned(line: Any, column: Any) -> bool:
    return (line is None or type(line) is int and line >= 1) and (column is None or type(column) is int and column >= 1)


def _decode(value: Any, depth: int) -> Any:
    kind = type(value)
    if kind is not dict:
        if kind in _SCALARS:
            return value
        raise _NotAnEntry("a bare list" if kind is list else "not a scalar")
    if depth >= MAX_DEPTH:
        raise _NotAnEntry("nested too deep")
    depth += 1
    rows = value.get("d")
    if len(value) == 1 and type(rows) is list:
        mapping = LocatedDict()
        texts, keys, values = mapping.key_texts, mapping.key_positions, mapping.value_positions
        for row in rows:
            if type(row) is not list or len(row) != 7:
                raise _NotAnEntry("not a mapping entry")
            key, text, key_line, key_column, line, column, item = row
            if type(key) not in _SCALARS or type(text) is not str \
                    or not (_positioned(key_line, key_column) and _positioned(line, column)):
                raise _NotAnEntry("not a mapping entry")
            if key in mapping or type(key) is float and math.isnan(key):
                raise _NotAnEntry("a key twice")
            mapping[key] = item if type(item) in _SCALARS else _decode(item, depth)
            texts[key] = text
            keys[key] = (key_line, key_column)
            values[key] = (line, column)
        return mapping
    items, positions = value.get("l"), value.get("p")
    if len(value) == 2 and type(items) is list and type(positions) is list and len(items) == len(positions):
        for position in positions:
            if type(position) is not list or len(position) != 2 or not _positioned(*position):
                raise _NotAnEntry("not a position")
        sequence = LocatedList()
        sequence.extend([_decode(item, depth) for item in items])
        sequence.positions.extend(map(tuple, positions))
        return sequence
    raise _NotAnEntry("not a mapping or a list")
