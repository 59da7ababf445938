"""``choice``: one of the choices the definition lists."""

from __future__ import annotations

from typing import Any

from ..base.i18n import N_, said
from ..base.limits import MAX_CHARS
from .registry import LABEL_CHAR, OPTION_GAP, TICK_WIDTH, Key, ScalarType


def _folded(text: str) -> str:
    """A label compared as a reader would: without regard to case or accents ("Alta" is "alta")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", str(text).strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def choice_by_label(fdef: Any, text: str) -> Any:
    """The choice whose label (in the build's language) is ``text``, if one is and its value is not."""
    folded = _folded(text)
    found = [c for c in fdef.choices if _folded(c.label) == folded]
    return found[0] if len(found) == 1 else None


def label_used(walker: Any, fdef: Any, text: str, choice: Any, path: str, where: Any) -> None:
    """A notice that a label stood where a choice's value is written: the workbook keeps working."""
    from ..base.i18n import ENGLISH

    lang = getattr(walker, "lang", None) or ENGLISH
    note = getattr(walker, "notice", None)
    if note is not None:
        note(where, path, lang.gettext("'%(text)s' is the label of the choice '%(value)s', which is taken")
             % {"text": text, "value": choice.value},
             lang.gettext("did you mean '%(value)s' (%(name)s)?") % {"value": choice.value, "name": choice.label})


def choice_hint(fdef: Any, text: str, lang: Any = None) -> str:
    """The did-you-mean of a value that is no choice: the closest value or label, naming both
    ("did you mean 'high' (Alta)?"); else the values."""
    from ..base.errors import closest, did_you_mean
    from ..base.i18n import ENGLISH

    lang = lang or ENGLISH
    values = [c.value for c in fdef.choices]
    labels = {_folded(c.label): c for c in fdef.choices if c.label != c.value}
    match = closest(str(text), values)
    by_label = labels.get(closest(_folded(text), list(labels)) or "") if match is None else None
    choice = by_label or next((c for c in fdef.choices if c.value == match), None)
    if choice is None:
        return did_you_mean(text, values, lang)
    if choice.label == choice.value:
        return lang.gettext("did you mean '%(value)s'?") % {"value": choice.value}
    return lang.gettext("did you mean '%(value)s' (%(name)s)?") % {"value": choice.value, "name": choice.label}


class ChoiceType(ScalarType):
    """One of the listed choices, matched without regard to case; shown by its label."""

    name = "choice"
    max_chars = MAX_CHARS["choice"]
    description = N_("one of the listed choices")
    keys = (Key("choices", "choices", (), [{"value": "ask", "label": "Ask to mentor me"}, "undecided"],
                "the options: texts, or mappings with 'value' (written in the workbook) and 'label' (shown); "
                "required"),)
    requires = ("choices",)
    example = {"id": "decision", "label": "Decision", "type": "choice", "choices": ["ask", "undecided"]}
    example_value = "ask"
    template = "fields/choice.html"

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        values = [c.value for c in fdef.choices]
        text = str(value).strip()
        if text in values:
            return text
        lowered = {v.lower(): v for v in values}
        if text.lower() in lowered:
            return lowered[text.lower()]
        from ..base.safepath import shorten

        lang = getattr(walker, "lang", None)  # the build's Language (core.i18n), when the walker has one
        by_label = choice_by_label(fdef, text)
        if by_label is not None:  # the label, in the build's language ('alta'): the choice is taken
            label_used(walker, fdef, text, by_label, path, where)
            return by_label.value
        message = N_("'%(value)s' is not a choice for %(field)s")
        message = (lang.gettext(message) if lang else message) % {"value": shorten(text), "field": fdef.label.lower()}
        walker.error(where, path, message, hint=choice_hint(fdef, text, lang))
        return None

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"enum": [c.value for c in fdef.choices]}

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
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
    return TICK_WIDTH + len(str(widest.label)) * LABEL_CHAR, said(N_("the choice '%(label)s'"), label=widest.label)
