"""Text fields: ``text`` (one line), ``longtext`` (paragraphs) and ``list`` (short texts)."""

from __future__ import annotations

from typing import Any

from ..base.i18n import N_, said
from ..base.limits import MAX_CHARS, MAX_ITEMS
from ..base.yamlio import key_position
from .registry import LINES, FieldType, Key, ScalarType, is_empty, kind_of

REF = Key("ref", "text", "", "mentors.name",
          "'worksheet.field': the text must name an entry there, e.g. a mentor on the mentor map")
TEXT_VALUE = {"type": ["string", "number"]}


def wrapped_lines(text: str, chars: int) -> int:
    """How many lines of ``chars`` characters ``text`` takes, wrapped at spaces."""
    count = 0
    for paragraph in text.splitlines() or [""]:
        line = 0
        count += 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > chars:
                count += 1
                line = len(word)
            else:
                line += (1 if line else 0) + len(word)
    return count


class TextType(ScalarType):
    """One line of text; with ``ref``, it must name an entry of another worksheet."""

    name = "text"
    max_chars = MAX_CHARS["text"]
    description = N_("one line of text")
    keys = (Key("lines", "count", 1, 2, LINES), REF)
    example = {"id": "position", "label": "Position and field", "type": "text"}
    example_value = "Assistant professor, cardiology"
    template = "fields/text.html"
    macros = {"blank_cell": ""}

    def placeholder(self, text: str) -> Any:
        return text

    def clean(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        text = str(value).strip()
        if fdef.ref:
            walker.refs.append((fdef, text, path, where))
        return text

    def schema(self, fdef: Any) -> dict[str, Any]:
        return dict(TEXT_VALUE)

    def compact(self, fdef: Any) -> bool:
        return fdef.lines <= 1

    def read_text(self, fdef: Any, text: str) -> Any:
        if "\n" in text and fdef.lines <= 1:
            return " ".join(text.split())
        return text


class LongtextType(TextType):
    """Paragraphs of text: blank lines separate them on screen."""

    name = "longtext"
    max_chars = MAX_CHARS["longtext"]
    description = N_("a paragraph of text")
    keys = (Key("lines", "count", 4, 3, LINES), REF)
    example = {"id": "notes", "label": "Notes", "type": "longtext", "lines": 4}
    example_value = "What we discussed.\n\nWhat I will do next."
    short = False
    macros = {"cell": "text_cell", "blank": "text_blank", "blank_cell": "", "form_cell": "text_form_cell"}

    def compact(self, fdef: Any) -> bool:
        return False

    def read_text(self, fdef: Any, text: str) -> Any:
        return text


class ListType(FieldType):
    """Short texts, one per line or bullet; a single text counts as a list of one."""

    name = "list"
    max_items = MAX_ITEMS
    max_item_chars = MAX_CHARS["list item"]
    description = N_("a list of short texts")
    keys = (Key("lines", "count", 3, 2, LINES),)
    example = {"id": "agenda", "label": "Agenda", "type": "list", "lines": 3}
    example_value = ["Career plan", "Grant deadline"]
    template = "fields/text.html"
    macros = {"blank_cell": ""}

    def placeholder(self, text: str) -> Any:
        return [text]

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, list):
            walker.error(where, path, said(N_("expected a list of texts, got %(kind)s"), kind=kind_of(value)))
            return None
        out = []
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                walker.error(key_position(value, i), f"{path}[{i}]", said(N_("expected a text, got %(kind)s"),
                                                                         kind=kind_of(item)))
            elif not is_empty(item):
                out.append(str(item))
        return out

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"anyOf": [{"type": "array", "items": dict(TEXT_VALUE)}, {"type": "string"}]}

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)

    def edit_text(self, fdef: Any, value: Any) -> str:
        """One text a line."""
        if isinstance(value, list):
            return "\n".join(" ".join(str(item).split()) for item in value if item not in (None, ""))
        return super().edit_text(fdef, value)

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """The lines typed into the editor's box, one text each; blank lines dropped."""
        text = form.text(node, path)
        if text is None or text is form.KEEP:
            return text
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()] or None

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        """One form field per line: mb:...[0], mb:...[1]..."""
        if not isinstance(node, dict):
            return form.wrong(node, path)
        items = []
        for (index, _), answer in sorted(node.items()):
            if not form.is_answer(answer):
                form.wrong(answer, f"{path}[{index}]")
                continue
            text = form.text(answer, None)
            if text is not None:
                form.note(f"{path}[{len(items)}]", answer.page)
                items.append(" ".join(text.split()))
        return items
