"""Numbers: ``rating`` (a whole number on a scale) and ``number`` (any number)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..base.i18n import N_, said
from ..base.limits import number_problem
from ..base.patterns import LazyPattern
from .registry import POINT_PITCH, Key, ScalarType, kind_of

_INTEGER = LazyPattern(r"^[-+]?\d+$")
_NUMBER = LazyPattern(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
MAX_POINTS = 11  # a scale of 0 to 10 is the widest a rating takes


def read_key(key: Key, data: dict[str, Any], problem: Callable[[str], None]) -> Any:
    """A number key (``read="number"``: min, max) or the anchors of a rating (``read="anchors"``)."""
    value = data.get(key.name, key.default)
    if key.read == "number":
        if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return value
        problem(said(N_("'%(key)s' is a number, e.g. %(example)s"), key=key.name, example=key.example))
        return key.default
    if value is None or value == {} or value == ():
        return ()
    if not isinstance(value, dict):
        problem(said(N_("'%(key)s' maps points of the scale to labels, e.g. {1: Novice, 5: Expert}"), key=key.name))
        return ()
    anchors = []
    for point, label in value.items():
        if isinstance(point, bool) or not isinstance(point, int) or isinstance(label, (dict, list)) or label is None:
            problem(said(N_("'%(key)s': each point is a whole number with a label (a text, or one per language), "
                            "e.g. 1: Novice"), key=key.name))
            return ()
        anchors.append((point, label if isinstance(label, str) else str(label)))  # a text per language stays one
    return tuple(sorted(anchors))


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _in(walker: Any, message: str) -> str:
    """``message`` in the build's language (the walker's core.i18n Language, when it has one)."""
    lang = getattr(walker, "lang", None)
    return lang.gettext(message) if lang else message


class NumberType(ScalarType):
    """Any number, whole or not; ``unit`` is printed after it, ``min`` and ``max`` bound it."""

    name = "number"
    description = N_("a number")
    keys = (Key("unit", "text", "", "hours", "the unit printed after the value, e.g. hours or %"),
            Key("min", "number", None, 0, "the lowest value taken (a number)"),
            Key("max", "number", None, 40, "the highest value taken (a number)"))
    example = {"id": "hours", "label": "Hours a month", "type": "number", "unit": "hours", "min": 0, "max": 40}
    example_value = 6
    template = "fields/number.html"

    def size_problem(self, value: Any) -> tuple[str, str] | None:
        return number_problem(value)

    def check_own_keys(self, fdef: Any, data: dict[str, Any], report: Any) -> None:
        if fdef.min is not None and fdef.max is not None and fdef.min > fdef.max:
            report("min", said(N_("'min' (%(low)s) is above 'max' (%(high)s)"), low=_number_text(fdef.min),
                               high=_number_text(fdef.max)), hint=said(N_("swap them")))

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            walker.error(where, path,
                         said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)))
            return None
        unit = f" {fdef.unit}" if fdef.unit else ""
        lang = getattr(walker, "lang", None)
        if fdef.min is not None and value < fdef.min:
            walker.error(where, path, _in(walker, N_("%(value)s is below the lowest value, %(low)s"))
                         % {"value": _number_text(value), "low": f"{_number_text(fdef.min)}{unit}"},
                         hint=self.range_text(fdef, lang=lang))
            return None
        if fdef.max is not None and value > fdef.max:
            walker.error(where, path, _in(walker, N_("%(value)s is above the highest value, %(high)s"))
                         % {"value": _number_text(value), "high": f"{_number_text(fdef.max)}{unit}"},
                         hint=self.range_text(fdef, lang=lang))
            return None
        return value

    def range_text(self, fdef: Any, with_unit: bool = True, lang: Any = None) -> str:
        """The range a number takes, for hints and forms: "from 0 to 40 hours"; "" when open;
        in ``lang`` (a core.i18n Language; None: English)."""
        _ = lang.gettext if lang else str
        unit = f" {fdef.unit}" if fdef.unit and with_unit else ""
        low, high = _number_text(fdef.min), _number_text(fdef.max)
        if fdef.min is not None and fdef.max is not None:
            return _("from %(low)s to %(high)s") % {"low": low, "high": high} + unit
        if fdef.min is not None:
            return _("at least %(low)s") % {"low": low} + unit
        if fdef.max is not None:
            return _("at most %(high)s") % {"high": high} + unit
        return ""

    def schema(self, fdef: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number"}
        if fdef.min is not None:
            schema["minimum"] = fdef.min
        if fdef.max is not None:
            schema["maximum"] = fdef.max
        return schema

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        """"2.5 hours"; "2,5 horas" in Spanish (the number as the language writes it, the unit as given)."""
        shown = lang.number(value) if lang is not None else str(value)
        return f"{shown} {fdef.unit}" if fdef.unit else shown

    def compact(self, fdef: Any) -> bool:
        return True

    def edit_text(self, fdef: Any, value: Any) -> str:
        if isinstance(value, float) and not isinstance(value, bool):
            return _number_text(value)
        return super().edit_text(fdef, value)

    def read_text(self, fdef: Any, text: str) -> Any:
        if fdef.unit and text.endswith(fdef.unit):  # "6 hours" typed into the box
            text = text[: -len(fdef.unit)].strip() or text
        if _NUMBER.match(text):
            return int(text) if _INTEGER.match(text) else float(text)
        return text


class RatingType(NumberType):
    """A whole number on the scale (1 to 5 unless ``scale`` says otherwise, e.g. [0, 10]),
    drawn as dots; ``anchors`` label points of the scale ("1 = Novice ... 5 = Expert")."""

    name = "rating"
    description = N_("a whole number on the rating scale")
    keys = (Key("scale", "scale", (1, 5), [0, 10],
                f"the lowest and highest rating, two whole numbers, lowest first (at most {MAX_POINTS} points)"),
            Key("anchors", "anchors", (), {1: "Novice", 3: "Competent", 5: "Expert"},
                "labels of points of the scale, printed with the numbers: point: label"))
    example = {"id": "competence", "label": "Competence in the field", "type": "rating", "scale": [1, 5],
               "anchors": {1: "Novice", 5: "Expert"}}
    example_value = 4

    def check_own_keys(self, fdef: Any, data: dict[str, Any], report: Any) -> None:
        low, high = fdef.scale
        if "scale" in data and data["scale"] != [low, high]:
            return  # the reader refused the scale as written: the anchors cannot be judged against it
        if "scale" in data and low >= high:
            report("scale", said(N_("the scale [%(low)s, %(high)s] must go from a lower to a higher number"),
                                 low=low, high=high),
                   hint=said(N_("write it as [%(low)s, %(high)s]"), low=high, high=low) if low > high
                   else said(N_("e.g. [1, 5]")))
            return  # the anchors cannot be judged against it
        if high - low + 1 > MAX_POINTS:
            report("scale", said(N_("the scale [%(low)s, %(high)s] has %(count)s points; at most %(most)s fit on "
                                    "a form"), low=low, high=high, count=high - low + 1, most=MAX_POINTS),
                   hint=said(N_("e.g. [0, 10] or [1, 5]")))
        for point, _ in fdef.anchors:
            if not low <= point <= high:
                report("anchors", said(N_("anchor %(point)s is not on the scale %(low)s to %(high)s"), point=point,
                                       low=low, high=high))

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            walker.error(where, path,
                         said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)))
            return None
        low, high = fdef.scale
        if not isinstance(value, int) or not low <= value <= high:
            message = N_("rating %(value)s is outside the scale %(low)s to %(high)s")
            walker.error(where, path, _in(walker, message) % {"value": value, "low": low, "high": high},
                         hint=self.anchor_text(fdef))
            return None
        return value

    def schema(self, fdef: Any) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer", "minimum": fdef.scale[0], "maximum": fdef.scale[1]}
        if fdef.anchors:
            schema["description"] = self.anchor_text(fdef)
        return schema

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        label = self.anchor(fdef, value)
        shown = (lang.gettext("%(value)s of %(top)s") % {"value": value, "top": fdef.scale[1]} if lang is not None
                 else f"{value} of {fdef.scale[1]}")
        return shown + (f" ({label})" if label else "")

    def anchor(self, fdef: Any, value: Any) -> str:
        """The label of a point of the scale, or ""."""
        return next((label for point, label in fdef.anchors if point == value), "")

    def anchor_text(self, fdef: Any) -> str:
        """The anchors as one line: "1 = Novice, 5 = Expert"; "" without anchors."""
        return ", ".join(f"{point} = {label}" for point, label in fdef.anchors)

    def compact(self, fdef: Any) -> bool:
        return False

    def print_width(self, fdef: Any) -> tuple[float, str]:
        """In a printed table, the scale's numbers head the column and each row has a circle per point."""
        points = fdef.scale[1] - fdef.scale[0] + 1
        return points * POINT_PITCH, said(N_("its scale of %(count)s points"), count=points)

    def read_text(self, fdef: Any, text: str) -> Any:
        return int(text) if _INTEGER.match(text) else text

    def points(self, fdef: Any) -> list[tuple[int, str]]:
        """Every point of the scale with its anchor label ("" where none)."""
        labels = dict(fdef.anchors)
        return [(n, labels.get(n, "")) for n in range(fdef.scale[0], fdef.scale[1] + 1)]

    def options(self, fdef: Any) -> tuple[Any, ...]:
        """The radio buttons of the fillable form, one per point of the scale."""
        from .fielddef import Choice

        return tuple(Choice(str(n), str(n)) for n in range(fdef.scale[0], fdef.scale[1] + 1))

    def edit_options(self, fdef: Any) -> tuple[Any, ...]:
        """The editor's options: each point of the scale with its anchor, "3 = With help"."""
        from .fielddef import Choice

        return tuple(Choice(str(n), f"{n} = {label}" if label else str(n)) for n, label in self.points(fdef))
