"""``date``: a calendar date, written YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..core.i18n import N_
from .registry import ScalarType

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def format_date(value: Any) -> str:
    """A date as people write it, "15 March 2026"; other values as they are."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return "" if value is None else str(value)


class DateType(ScalarType):
    """A date, written YYYY-MM-DD in workbooks and forms; shown as "15 March 2026"."""

    name = "date"
    description = "a date written YYYY-MM-DD"
    example = {"id": "first_meeting", "label": "First meeting", "type": "date"}
    example_value = "2026-03-15"
    template = "fields/date.html"
    macros = {"blank_cell": ""}  # nothing inside a blank table row

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        from ..core.validate import date_message, parse_date

        parsed = parse_date(value)
        if parsed is None:
            lang = getattr(walker, "lang", None)  # the build's Language (core.i18n), when the walker has one
            hint = N_("write dates as YYYY-MM-DD, e.g. 2026-03-15")
            walker.error(where, path, date_message(value, lang), hint=lang.gettext(hint) if lang else hint)
        return parsed

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_PATTERN}

    def text(self, fdef: Any, value: Any) -> str:
        return format_date(value)

    def compact(self, fdef: Any) -> bool:
        return True

    def read_text(self, fdef: Any, text: str) -> Any:
        from ..core.validate import parse_date

        return parse_date(text) or text
