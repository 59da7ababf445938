"""Numbers: ``rating`` (a whole number on a scale) and ``number`` (any number)."""

from __future__ import annotations

import re
from typing import Any

from ..core.i18n import N_
from .registry import Key, ScalarType, kind_of

_INTEGER = re.compile(r"^[-+]?\d+$")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")


class NumberType(ScalarType):
    """Any number, whole or not."""

    name = "number"
    description = "a number"
    example = {"id": "hours", "label": "Hours a month", "type": "number"}
    example_value = 6
    template = "fields/number.html"
    macros = {"blank_cell": ""}  # nothing inside a blank table row

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            walker.error(where, path, f"expected {self.description}, got {kind_of(value)}")
            return None
        return value

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "number"}

    def compact(self, fdef: Any) -> bool:
        return True

    def read_text(self, fdef: Any, text: str) -> Any:
        if _NUMBER.match(text):
            return int(text) if _INTEGER.match(text) else float(text)
        return text


class RatingType(NumberType):
    """A whole number on the scale (1 to 5 unless ``scale`` says otherwise), drawn as dots."""

    name = "rating"
    description = "a whole number on the rating scale"
    keys = (Key("scale", "scale", (1, 5), [1, 5], "the lowest and highest rating, two whole numbers"),)
    example = {"id": "competence", "label": "Competence in the field", "type": "rating", "scale": [1, 5]}
    example_value = 4

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        value = super().clean(walker, fdef, value, path, where)
        if value is None:
            return None
        low, high = fdef.scale
        if not isinstance(value, int) or not low <= value <= high:
            lang = getattr(walker, "lang", None)  # the build's Language (core.i18n), when the walker has one
            message = N_("rating %(value)s is outside the scale %(low)s to %(high)s")
            walker.error(where, path, (lang.gettext(message) if lang else message)
                         % {"value": value, "low": low, "high": high})
            return None
        return value

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "integer", "minimum": fdef.scale[0], "maximum": fdef.scale[1]}

    def text(self, fdef: Any, value: Any) -> str:
        return f"{value} of {fdef.scale[1]}"

    def compact(self, fdef: Any) -> bool:
        return False

    def read_text(self, fdef: Any, text: str) -> Any:
        return int(text) if _INTEGER.match(text) else text

    def options(self, fdef: Any) -> tuple[Any, ...]:
        """The radio buttons of the fillable form, one per point of the scale."""
        from ..core.definitions import Choice

        return tuple(Choice(str(n), str(n)) for n in range(fdef.scale[0], fdef.scale[1] + 1))
