"""``date``: a calendar date, written YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from ..base.i18n import ENGLISH, N_, Language, say
from ..base.limits import date_problem
from ..base.patterns import LazyPattern
from ..base.safepath import shorten
from .registry import ScalarType

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def format_date(value: Any, lang: Any = None) -> str:
    """A date as people write it in ``lang`` (a core.i18n Language; None: English):
    "15 March 2026", "15 de marzo de 2026"; other values as they are. The one date
    style of every output: ``Language.date`` writes it (English day-month-year, else
    Babel's long format for the language)."""
    from ..base.i18n import ENGLISH

    return (lang or ENGLISH).date(value)


def date_html(value: Any, text: str | None = None, lang: Any = None) -> Any:
    """A date for a page: ``<time datetime="2026-03-15">15 March 2026</time>`` (the
    stylesheets keep a time on one line); other values as ``format_date`` gives them.
    ``text`` replaces the shown words (a shorter form of the same date)."""
    from markupsafe import Markup, escape

    if isinstance(value, dt.date):
        return Markup('<time datetime="%s">%s</time>') % (value.isoformat(), escape(text or format_date(value, lang)))
    return format_date(value, lang)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_WRITTEN_DATE = LazyPattern(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b")


@functools.cache
def _written_dates(tag: str) -> tuple[tuple[int, re.Pattern], ...]:
    """For a language other than English: per month, a pattern of its dates as
    ``format_date`` writes them (day and year as groups 'd' and 'y')."""
    from ..base.i18n import language

    lang, found = language(tag), []
    for month in range(1, 13):
        sample = re.escape(format_date(dt.date(1999, month, 28), lang))
        sample = sample.replace("1999", r"(?P<y>\d{4})", 1).replace("28", r"(?P<d>\d{1,2})", 1)
        if "(?P<y>" in sample and "(?P<d>" in sample:
            found.append((month, re.compile(sample)))
    return tuple(found)


def dates_kept(text: str, lang: Any = None) -> Any:
    """``text`` for a page, every date in it ("1 November 2026", as ``format_date``
    writes it in ``lang``) a ``<time>`` that never breaks."""
    from markupsafe import Markup, escape

    def wrap(match: re.Match, month: int | None = None) -> str:
        if month is None:
            day, month, year = int(match[1]), _MONTHS.index(match[2]) + 1, int(match[3])
        else:
            day, year = int(match["d"]), int(match["y"])
        try:
            return str(date_html(dt.date(year, month, day), match[0]))
        except ValueError:
            return match[0]

    if lang is None or lang.english or not lang.has_catalog:
        return Markup(_WRITTEN_DATE.sub(wrap, str(escape(text))))
    kept = str(escape(text))
    for month, pattern in _written_dates(lang.tag):
        kept = pattern.sub(lambda m, month=month: wrap(m, month), kept)
    return Markup(kept)


class DateType(ScalarType):
    """A date, written YYYY-MM-DD in workbooks and forms; shown as "15 March 2026"."""

    name = "date"
    description = N_("a date written YYYY-MM-DD")
    example = {"id": "first_meeting", "label": "First meeting", "type": "date"}
    example_value = "2026-03-15"
    template = "fields/date.html"

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        from .date import date_message, parse_date

        parsed = parse_date(value)
        if parsed is None:
            lang = getattr(walker, "lang", None)  # the build's Language (core.i18n), when the walker has one
            hint = N_("write dates as YYYY-MM-DD, e.g. 2026-03-15")
            walker.error(where, path, date_message(value, lang), hint=lang.gettext(hint) if lang else hint)
        return parsed

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return format_date(value, lang)

    def compact(self, fdef: Any) -> bool:
        return True

    def read_text(self, fdef: Any, text: str) -> Any:
        from .date import parse_date

        return parse_date(text) or text

_ISO_DATE = LazyPattern(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> dt.date | None:
    """A YYYY-MM-DD date within limits.MIN_DATE..MAX_DATE, else None (20261120 is not a date)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value).strip()
        if not _ISO_DATE.match(text):
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None if date_problem(value) else value


def date_message(value: Any, lang: Language | None = None) -> str:
    """Why ``value`` is not a date mentorbook takes: not YYYY-MM-DD, or outside the date range."""
    text = str(value).strip()
    not_a_date = (lang or ENGLISH).gettext("'%(value)s' is not a date")
    if _ISO_DATE.match(text):
        try:
            return say(date_problem(dt.date.fromisoformat(text)), lang or ENGLISH) or not_a_date % {"value": text}
        except ValueError:
            pass
    return not_a_date % {"value": shorten(text)}
