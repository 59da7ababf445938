"""Elements between fields: ``heading`` (a section heading) and ``instructions`` (Markdown text).

Elements hold no value: a workbook cannot give one, the JSON Schema leaves them out and
``import`` never meets them (they have no form fields). They need no ``id``: one is
made from their position, e.g. ``_heading_3``. Their Markdown goes through the same
sanitizer as the guidance; headings inside it become bold paragraphs, so that the
outline of a page keeps the levels the worksheet gives it.

:func:`filled_runs` lays out the answers of an entry in definition order (used by
templates/_worksheet.html).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from ..base.i18n import N_, said
from ..base.patterns import LazyPattern
from .conditions import holds
from .registry import FieldType, Key, get

_HEADING = LazyPattern(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)
TEXT_DOC = "Markdown (bold, italics, lists, links), sanitized like the guidance"


def element_html(text: str) -> Markup:
    """Markdown of an element as safe HTML; its headings become bold paragraphs."""
    from ..base.markup import markdown_to_html

    return Markup(_HEADING.sub(r"<p><strong>\1</strong></p>", str(markdown_to_html(str(text)))))


def intro_html(text: str) -> Markup:
    """A worksheet's intro: Markdown, in a ``ws-intro`` block; plain text stays one paragraph as before."""
    from ..base.markup import markdown_to_html

    html = str(markdown_to_html(str(text)))
    plain = str(text).strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if html.strip() == f"<p>{plain}</p>":
        return Markup(f'<p class="ws-intro">{escape(text)}</p>')
    return Markup(f'<div class="ws-intro">{html}</div>')


class ElementType(FieldType):
    """An element between fields; holds no value."""

    element = True
    template = "fields/elements.html"
    macros = {"cell": "", "blank_cell": "", "form_cell": "", "edit_cell": ""}

    def accepts(self) -> list[str]:
        return ["id", "label", "type", "show_when", *(k.name for k in self.keys)]

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        walker.error(where, path, said(N_("'%(field)s' is a %(type)s of the worksheet: it holds no answer"),
                                       field=fdef.id, type=self.name),
                     hint="remove this line from the workbook")
        return None

    def schema(self, fdef: Any) -> dict[str, Any]:
        return {"not": {}}  # never a value (the workbook schema leaves elements out)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        return None

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        return form.KEEP


class HeadingType(ElementType):
    """A section heading between fields, with optional Markdown text below it."""

    name = "heading"
    starts_section = True
    description = N_("a section heading between fields (it holds no answer)")
    keys = (Key("text", "text", "", "What we agree on before we start.", "text below the heading: " + TEXT_DOC),)
    requires = ("label",)
    example = {"type": "heading", "label": "Meeting structure", "text": "How often, where and how long we meet."}
    example_value = None


class InstructionsType(ElementType):
    """Instruction text between fields, written in Markdown."""

    name = "instructions"
    description = N_("instruction text between fields (it holds no answer)")
    keys = (Key("text", "text", "", "Rate each skill **before** you meet; your mentor rates it after.",
                "the instructions (required): " + TEXT_DOC),)
    requires = ("text",)
    example = {"type": "instructions", "text": "Tick **every** statement you agree with."}
    example_value = None


def filled_runs(fields: Any, entry: Any, skip: str = "") -> list[tuple[str, list[Any]]]:
    """The fields shown for ``entry``, in definition order, as runs of one kind: "short"
    (adjacent short answers, laid out side by side), "long", or "element" (one each).

    A field is shown when it has a value (or its type is ``shown_empty``: a signature
    block not yet signed is a line to sign on) and its ``show_when`` holds; an element
    when its condition holds and a field shown after it comes before the next heading.
    """
    visible = [f for f in fields if f.id != skip and holds(f, entry)
               and (get(f.type).element or get(f.type).shown_empty or (isinstance(entry, dict) and f.id in entry))]
    kept = []
    for i, f in enumerate(visible):
        if get(f.type).element:
            rest = visible[i + 1:]
            section = rest[:next((j for j, g in enumerate(rest) if get(g.type).starts_section), len(rest))]
            if not any(not get(g.type).element for g in section):
                continue
        kept.append(f)
    runs: list[tuple[str, list[Any]]] = []
    for f in kept:
        ftype = get(f.type)
        kind = "element" if ftype.element else "short" if ftype.short else "long"
        if kind != "element" and runs and runs[-1][0] == kind:
            runs[-1][1].append(f)
        else:
            runs.append((kind, [f]))
    return runs


def signed_parts(items: Any) -> list[tuple[bool, list[Any]]]:
    """``items`` (fields, or runs of fields as :func:`filled_runs` gives them) cut before
    each heading, each part with whether it is a heading's section holding a signature
    block: printed whole, so a signature never lands on another page than its heading."""

    def fields_of(item: Any) -> list[Any]:
        return item[1] if isinstance(item, tuple) else [item]

    parts: list[list[Any]] = []
    for item in items:
        if not parts or get(fields_of(item)[0].type).starts_section:
            parts.append([])
        parts[-1].append(item)
    return [(get(fields_of(part[0])[0].type).starts_section and any(get(f.type).signs for item in part
                                                              for f in fields_of(item)), part) for part in parts]


def kept_runs(part: list[tuple[str, list[Any]]]) -> list[tuple[str, list[Any], bool]]:
    """The runs of a part (as :func:`signed_parts` cuts them), each with whether it stays with
    the run before it on paper: the second, when the first is small, and the last, when it
    is small (one field, or one row of short answers). So a page never starts or ends with
    a section's or a card's one field alone, and a long entry may still flow on."""

    def small(kind: str, run: list[Any]) -> bool:
        return len(run) == 1 or (kind == "short" and len(run) <= 2)

    runs = [i for i, (kind, _) in enumerate(part) if kind != "element"]
    keep = set()
    if len(runs) >= 2:
        if small(*part[runs[0]]):
            keep.add(runs[1])
        if small(*part[runs[-1]]):
            keep.add(runs[-1])
    return [(kind, run, i in keep) for i, (kind, run) in enumerate(part)]
