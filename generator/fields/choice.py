"""``choice``: one of the choices the definition lists."""

from __future__ import annotations

from typing import Any

from ..base.i18n import N_
from ..base.limits import MAX_CHARS
from .registry import LABEL_CHAR, OPTION_GAP, TICK_WIDTH, Key, ScalarType


class ChoiceType(ScalarType):
    """One of the listed choices, matched without regard to case; shown by its label."""

    name = "choice"
    max_chars = MAX_CHARS["choice"]
    description = "one of the listed choices"
    keys = (Key("choices", "choices", (), [{"value": "ask", "label": "Ask to mentor me"}, "undecided"],
                "the options: texts, or mappings with 'value' (written in the workbook) and 'label' (shown); "
                "required"),)
    requires = ("choices",)
    example = {"id": "decision", "label": "Decision", "type": "choice", "choices": ["ask", "undecided"]}
    example_value = "ask"
    template = "fields/choice.html"

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        from ..base.errors import did_you_mean

        values = [c.value for c in fdef.choices]
        text = str(value).strip()
        if text in values:
            return text
        lowered = {v.lower(): v for v in values}
        if text.lower() in lowered:
            return lowered[text.lower()]
        from ..base.safepath import shorten

        lang = getattr(walker, "lang", None)  # the build's Language (core.i18n), when the walker has one
        message = N_("'%(value)s' is not a choice for %(field)s")
        message = (lang.gettext(message) if lang else message) % {"value": shorten(text), "field": fdef.label.lower()}
        walker.error(where, path, message, hint=did_you_mean(text, values, *([lang] if lang else [])))
        return None

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"enum": [c.value for c in fdef.choices]}

    def text(self, fdef: Any, value: Any) -> str:
        return fdef.choice_label(value)

    def options(self, fdef: Any) -> tuple[Any, ...]:
        """The radio buttons of the fillable form: each has a value and a label."""
        return fdef.choices

    def print_width(self, fdef: Any) -> tuple[float, str]:
        """Each choice prints whole, its tick box before it; choices wrap between them."""
        return widest_option(self.options(fdef))

    def print_line(self, fdef: Any) -> float:
        return options_line(self.options(fdef))

    def edit_text(self, fdef: Any, value: Any) -> str:
        """The choice a value is (matched without regard to case, as validation does), else the value."""
        text = super().edit_text(fdef, value)
        return next((o.value for o in self.options(fdef) if o.value.lower() == text.lower()), text)


def options_line(options: Any) -> float:
    """The width of ``options`` printed side by side, each with its tick box."""
    return sum(TICK_WIDTH + len(str(c.label)) * LABEL_CHAR + OPTION_GAP for c in options)


def widest_option(options: Any) -> tuple[float, str]:
    """The width of the widest of ``options`` (choices) printed with its tick box, and which it is."""
    if not options:
        return 0.0, ""
    widest = max(options, key=lambda c: len(str(c.label)))
    return TICK_WIDTH + len(str(widest.label)) * LABEL_CHAR, f"the choice '{widest.label}'"
