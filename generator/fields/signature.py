"""``signature``: a signature block of printed name, signature line and date.

Its value is a mapping ``{name: text, date: YYYY-MM-DD}``. On paper it prints lines
for the name, the signature and the date. In a fillable PDF the name and the date are
form fields, and the signature line is a real, empty signature field (/FT /Sig) that
PDF readers can sign: the template leaves a text field named ``.../_sign`` there, which
print/signatures.py turns into the signature field after WeasyPrint writes the PDF.
``import`` reads the name and the date back; the signature itself is not an answer.
"""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from ..base.i18n import N_, said
from .registry import FieldType, kind_of

SIGN = "_sign"  # the last segment of the signature field's name


def parts() -> tuple[Any, ...]:
    from .fielddef import FieldDef

    return (FieldDef("name", "Printed name", "text"), FieldDef("date", "Date", "date"))


class SignatureType(FieldType):
    """A signature block: printed name, signature line and date; a signable field in fillable PDFs."""

    name = "signature"
    description = N_("a mapping with 'name' (the printed name) and 'date' (YYYY-MM-DD)")
    example = {"id": "trainee_signature", "label": "Trainee", "type": "signature"}
    example_value = {"name": "Lena Park", "date": "2026-03-15"}
    template = "fields/signature.html"
    signs = True
    macros = {"blank_cell": "", "form_cell": "", "edit_cell": ""}
    shown_empty = True  # not signed yet: a line to sign on

    def group(self, fdef: Any) -> Any:
        """The block as a group of its two answers, for validation and import."""
        return replace(fdef, type="group", fields=parts())

    def validate(self, walker: Any, fdef: Any, value: Any, path: str, where: Any) -> Any:
        if not isinstance(value, dict):
            walker.error(where, path,
                         said(N_("expected %(what)s, got %(kind)s"), what=said(self.description), kind=kind_of(value)),
                         hint=said(N_("write it as name: ... and date: ... on the lines below")))
            return None
        return walker.mapping(self.group(fdef), value, path, where)

    def schema(self, fdef: Any) -> dict[str, Any]:
        from .schema import object_schema

        return object_schema(parts())

    def text(self, fdef: Any, value: Any, lang: Any = None) -> str:
        from .date import format_date

        if not isinstance(value, dict):
            return str(value)
        return ", ".join(t for t in (str(value.get("name") or ""), format_date(value.get("date"))) if t)

    def edit_fields(self, fdef: Any) -> tuple[Any, ...]:
        return parts()

    def from_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        return form.mapping(parts(), node, path)

    def read_form(self, form: Any, fdef: Any, node: Any, path: str) -> Any:
        if not isinstance(node, dict):
            return form.wrong(node, path)
        return form.mapping(parts(), {k: v for k, v in node.items() if k != SIGN}, path)
