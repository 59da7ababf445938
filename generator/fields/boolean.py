"""Ticks: ``checkbox`` (ticked or not), ``yes_no`` (one of two) and ``multi_choice`` (several).

In fillable PDFs a check box is a real check box (ticked and unticked as readers
expect), a yes/no question two radio buttons, and a multiple choice one check box
per choice, named by the choice's position: ``mb:sheet/field[0]``, ``[1]``...
"""

from __future__ import annotations

from typing import Any

from ..base.i18n import ENGLISH, N_, said
from .choice import ChoiceType, choice_by_label, choice_hint, label_used
from .registry import TICK_WIDTH, FieldType, Key, ScalarType, kind_of

_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


class CheckboxType(ScalarType):
    """A statement that is ticked or not, such as "I agree to these ground rules": true or false."""

    name = "checkbox"
    description = N_("true or false")
    example = {"id": "agree", "label": "I agree to these ground rules", "type": "checkbox"}
    example_value = True
    template = "fields/boolean.html"

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        walker.error(where, path,
                     said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)),
                     hint=said(N_("write '%(field)s: true' when it is ticked"), field=fdef.id))
        return None

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "boolean"}

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return "Yes" if value is True else "No"

    def compact(self, fdef: Any) -> bool:
        return True

    def print_width(self, fdef: Any) -> tuple[float, str]:
        return TICK_WIDTH, "its tick box"

    def edit_text(self, fdef: Any, value: Any) -> str:
        text = super().edit_text(fdef, value).lower()
        return "true" if text in _TRUE else "false" if text in _FALSE else text

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """Ticked: true. Unticked: false when the file gave an answer (the form says so
        beside the box), else no answer."""
        values = form.values(node, path)
        if values is form.KEEP:
            return values
        return True if "true" in values else False if "false" in values else None

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """A ticked box is true; an unticked one leaves the answer out."""
        if not form.is_answer(node):
            return form.wrong(node, path)
        return True if form.text(node, path) is not None else None


class YesNoType(ChoiceType):
    """A question answered yes or no: "yes" or "no" (YAML true and false are taken as yes and no)."""

    name = "yes_no"
    description = N_("yes or no")
    keys = ()
    requires = ()
    example = {"id": "met_before", "label": "Have we worked together before?", "type": "yes_no"}
    example_value = "yes"
    template = "fields/boolean.html"

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return "yes" if text in _TRUE else "no"
        from ..base.safepath import shorten

        walker.error(where, path, said(N_("'%(value)s' is not yes or no"), value=shorten(str(value).strip())),
                     hint=said(N_("write '%(field)s: yes' or '%(field)s: no'"), field=fdef.id))
        return None

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"enum": ["yes", "no", True, False]}  # YAML true and false count as yes and no

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return {"yes": "Yes", "no": "No"}.get(value, str(value))

    def options(self, fdef: Any) -> tuple[Any, ...]:
        from .fielddef import Choice

        return (Choice("yes", "Yes"), Choice("no", "No"))

    def read_text(self, fdef: Any, text: str) -> Any:
        return text.lower() if text.lower() in ("yes", "no") else text

    def edit_text(self, fdef: Any, value: Any) -> str:
        text = FieldType.edit_text(self, fdef, value).lower()
        return "yes" if text in _TRUE else "no" if text in _FALSE else FieldType.edit_text(self, fdef, value)


class MultiChoiceType(FieldType):
    """Any number of the listed choices: a list of choice values, in any order; shown by their labels."""

    name = "multi_choice"
    description = N_("a list of the listed choices")
    keys = (Key("choices", "choices", (), ["teaching", {"value": "industry", "label": "Industry research"}],
                "the options, ticked in any number: texts, or mappings with 'value' (written in the workbook) "
                "and 'label' (shown); required"),)
    requires = ("choices",)
    example = {"id": "interests", "label": "Career interests", "type": "multi_choice",
               "choices": ["teaching", "research", "industry"]}
    example_value = ["teaching", "research"]
    short = True
    template = "fields/boolean.html"

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        from ..base.safepath import shorten
        from ..base.yamlio import key_position

        items = [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value
        if not isinstance(items, list):
            walker.error(where, path,
                         said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)),
                         hint=said(N_("write one choice per line starting with '- '")))
            return None
        from ..base.limits import MAX_ITEMS

        if len(items) > MAX_ITEMS:
            walker.error(where, path, said(N_("%(count)s choices are more than the %(most)s a list may hold"),
                                           count=f"{len(items):,}", most=MAX_ITEMS))
            return None
        values = [c.value for c in fdef.choices]
        lowered = {v.lower(): v for v in values}
        chosen: list[str] = []
        for i, item in enumerate(items):
            at = key_position(items, i) if items is value else where
            text = str(item).strip() if not isinstance(item, (dict, list)) else None
            match = lowered.get(text.lower()) if text is not None else None
            by_label = choice_by_label(fdef, text) if match is None and text is not None else None
            if by_label is not None:  # a label in the build's language: the choice is taken
                label_used(walker, fdef, text, by_label, f"{path}[{i}]", at)
                match = by_label.value
            if match is None:
                what = kind_of(item) if text is None else f"'{shorten(text)}'"
                walker.error(at, f"{path}[{i}]", said(N_("%(value)s is not a choice for %(field)s"), value=what,
                                                      field=fdef.label.lower()),
                             hint=choice_hint(fdef, text or "", getattr(walker, "lang", None) or ENGLISH))
            elif match not in chosen:
                chosen.append(match)
        return sorted(chosen, key=values.index)

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": [c.value for c in fdef.choices]}, "uniqueItems": True}

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return ", ".join(fdef.choice_label(v) for v in value) if isinstance(value, list) else str(value)

    def print_width(self, fdef: Any) -> tuple[float, str]:
        from .choice import widest_option

        return widest_option(fdef.choices)

    def print_line(self, fdef: Any) -> float:
        from .choice import options_line

        return options_line(fdef.choices)

    def edit_text(self, fdef: Any, value: Any) -> str:
        """The chosen values, one a line, in the order of the choices (the order they are ticked in)."""
        items = value if isinstance(value, list) else [] if value is None else [value]
        known = {c.value.lower(): c.value for c in fdef.choices}
        texts = [known.get(str(v).strip().lower(), str(v).strip()) for v in items]
        order = [c.value for c in fdef.choices]
        return "\n".join(sorted(texts, key=lambda t: (order.index(t) if t in order else len(order), t)))

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        values = form.values(node, path)
        if values is form.KEEP:
            return values
        return [v.strip() for v in values if v.strip()] or None

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """One check box per choice: mb:...[0] is the first choice, [1] the second..."""
        if not isinstance(node, dict):
            return form.wrong(node, path)
        chosen = []
        for (index, _), answer in sorted(node.items()):
            if not form.is_answer(answer) or index >= len(fdef.choices):
                form.wrong(answer, f"{path}[{index}]")
                continue
            if form.text(answer, path) is not None:
                chosen.append(fdef.choices[index].value)
        return chosen
