"""The largest values a workbook may hold, and the dates mentorbook accepts.

Each field type says which of these limits its answers keep to (fields/registry.py,
``FieldType.size_problem``).

Checked by the validator before a value is used, so that a value ``check`` passes can
always be laid out in reasonable time and every date can be calculated with.
docs/safety.md lists the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import Any

from .i18n import N_, said
from .patterns import LazyPattern
from .safepath import shorten, visible

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)  # far enough for any plan; meeting rhythms and reminders still fit a date

MAX_CHARS = {  # characters of one value
    "text": 300,  # one line: a name, a title, a role
    "choice": 100,
    "longtext": 20_000,  # a few pages of notes
    "list item": 2_000,
}
MAX_ITEMS = 500  # entries of one list, table or card list
MAX_NUMBER = 10**12  # absolute value of a number field


def too_many(items: list) -> tuple[str, str] | None:
    """(message, hint) when a list holds more than MAX_ITEMS entries, else None."""
    if len(items) > MAX_ITEMS:
        return (said(N_("%(count)s entries are more than the %(limit)s a list may hold"), count=f"{len(items):,}",
                     limit=MAX_ITEMS), said(N_("split it, or keep the finished entries in another file")))
    return None


def too_long(text: str, limit: int) -> tuple[str, str] | None:
    """(message, hint) when ``text`` is longer than ``limit`` characters, else None."""
    return _too_long(text, limit) if len(text) > limit else None


def number_problem(value: Any) -> tuple[str, str] | None:
    """(message, hint) for a number that is not finite or is larger than MAX_NUMBER, else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return said(N_("'%(value)s' is not a number"), value=value), said(N_("write a number such as 3 or 2.5"))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
        return said(N_("%(value)s is larger than %(limit)s"), value=shorten(value, 24), limit=f"{MAX_NUMBER:,}"), ""
    return None


def _too_long(text: str, limit: int) -> tuple[str, str]:
    return (said(N_("'%(text)s' has %(count)s characters; at most %(limit)s are allowed here"),
                 text=shorten(text, 40), count=f"{len(text):,}", limit=f"{limit:,}"), said(N_("shorten it")))


def date_problem(day: dt.date) -> str:
    """A message when ``day`` is outside the accepted range, else ''."""
    if MIN_DATE <= day <= MAX_DATE:
        return ""
    return said(N_("%(date)s is outside the dates mentorbook accepts (%(first)s to %(last)s)"),
                date=day.isoformat(), first=MIN_DATE.isoformat(), last=MAX_DATE.isoformat())


# Characters no answer holds: C0 and C1 controls but tab and newline (ESC, NUL, ...), bidi embedding,
# override and isolate controls (they make text read otherwise than it is stored; mentorbook sets
# each text's direction itself), and halves of surrogate pairs.
_FORBIDDEN = LazyPattern("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_CONTROL_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x0B: "line tabulation", 0x0C: "form feed",
                  0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line"}


def char_problem(kind: str, value: Any) -> tuple[str, str] | None:
    """(message, hint) when a text value of a field of type ``kind`` holds a character no text may
    hold (see _FORBIDDEN), else None. The message shows the character escaped (``\\x1b``)."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if not isinstance(text, str) or text.isascii() and text.isprintable():  # no control character in it
            continue
        found = _FORBIDDEN.search(text)
        if found:
            return _bad_char(text, found.start())
    return None


def _bad_char(text: str, at: int) -> tuple[str, str]:
    ch = text[at]
    name = unicodedata.name(ch, "").lower() or _CONTROL_NAMES.get(ord(ch)) \
        or ("a control character" if ord(ch) < 0xA0 else "half a character")
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return (f"'{shorten(text, 40)}' holds {visible(ch)} ({name}) at character {at + 1}, which makes text read "
                "otherwise than it is written", "remove it: mentorbook sets the direction of each text itself")
    return (f"'{shorten(text, 40)}' holds {visible(ch)} ({name}) at character {at + 1}, which is not text",
            "remove it; it may have come with text copied from another program")
