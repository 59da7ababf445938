"""Safe YAML reading that keeps the line and column of every key and value.

One pass over libyaml's event stream builds plain dicts and lists that remember
where each key, value and item stands. Hostile input is refused as it is read:
tags other than YAML's standard ones (``!!python/...``), aliases that would expand
into a huge document, absurd nesting and duplicate keys (both lines are named).
Scalars follow YAML 1.2: ``yes``, ``no``, ``on`` and ``7:30`` stay text, and dates
stay text too, so the validator can report a bad date at its own line.

The parsing itself is in yamlparse (the only module that loads PyYAML); a text read
before comes back from mentorbook's user cache (yamlcache), located as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Problem
from .i18n import ENGLISH, Language
from .located import MAX_BYTES, LocatedDict, LocatedList, Position, YamlFileError
from .safepath import UnreadableFile, read_limited

_WIDE = ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"), (b"\xfe\xff", "UTF-16"),
         (b"\xff\xfe", "UTF-16"))


def decode(path: Path, raw: bytes, lang: Language = ENGLISH) -> str:
    """The text of a file: UTF-8 (a byte order mark is dropped). A UTF-16 or UTF-32 file, with or
    without a byte order mark, and a NUL byte anywhere are refused with where and why."""
    _ = lang.gettext
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark is harmless: drop it
    for mark, name in _WIDE:
        if raw.startswith(mark):
            raise YamlFileError(Problem(path, 1, _("the file is UTF-16; save it as UTF-8") if name == "UTF-16"
                                        else "the file is UTF-32 (it starts with a UTF-32 byte order mark); "
                                             "save it as UTF-8"))
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line, column = raw[:at].count(b"\n") + 1, at - (raw.rfind(b"\n", 0, at) + 1) + 1
        wide = raw[:64].count(b"\x00") >= 8  # every other byte zero: two-byte text
        raise YamlFileError(Problem(
            path, line, "the file looks like UTF-16 text without a byte order mark" if wide
            else "the file holds a NUL character (a zero byte), which text never does", column=column,
            hint="save it as UTF-8" if wide else "remove it; was a binary file saved under this name?"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlFileError(
            Problem(path, line, _("the file is not valid UTF-8 text"), hint=_("save it with UTF-8 encoding"))
        ) from None


_decode = decode


def parse_yaml(text: str, path: Path, lang: Language = ENGLISH, cached: bool = False) -> Any:
    """Parse YAML text into located dicts and lists; raise YamlFileError (its message in ``lang``).

    ``cached``: the text is a program's own (never a person's), kept in the user cache once
    parsed (yamlcache); read again, it comes from there without loading PyYAML."""
    def parse() -> Any:
        from .yamlparse import parse

        return parse(text, path, lang)

    if not cached:
        return parse()
    from .yamlcache import parsed

    return parsed(text, parse)


def read_yaml(path: Path, within: Path | None = None, lang: Language = ENGLISH, cached: bool = False) -> Any:
    """Read one YAML document; raise :class:`YamlFileError` with a located problem in ``lang``.

    The file must be a regular file of at most MAX_BYTES (see safepath.read_limited),
    inside ``within`` when given.
    """
    try:
        raw = read_limited(path, MAX_BYTES, within)
    except UnreadableFile as exc:
        raise YamlFileError(Problem(path, None, exc.said(lang))) from None
    return parse_yaml(_decode(path, raw, lang), path, lang, cached)


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
