"""Signature fields: the signature line of a ``signature`` block made signable.

WeasyPrint writes no signature fields. The fillable template leaves a text field named
``.../_sign`` where the signature goes (see fields/signature.py); ``make_signature_fields``
turns each into an empty signature field (/FT /Sig) in place, before the other form
fields are fixed (pdfforms.py gives it its empty appearance). Its widget keeps its
box on the page, its tooltip and its place in the structure tree (a Form element),
so a PDF reader offers to sign there and the PDF stays PDF/UA.
"""

from __future__ import annotations

from ..fields.signature import SIGN

SIGNATURES_EXIST = 1  # /SigFlags bit: the document has signature fields


def _is_sign_field(field) -> bool:
    from pikepdf import Name

    return field.get("/FT") == Name.Tx and str(field.get("/T", "")).endswith("/" + SIGN)


def make_signature_fields(pdf) -> int:
    """Turn the ``.../_sign`` text fields of a pikepdf ``pdf`` into signature fields; how many."""
    from pikepdf import Name

    form = pdf.Root.get("/AcroForm")
    if form is None:
        return 0
    count = 0
    for field in form.get("/Fields", []):
        if not _is_sign_field(field):
            continue
        field.FT = Name.Sig
        for key in ("/V", "/DV", "/Ff", "/MaxLen", "/DA", "/Q"):
            if key in field:
                del field[key]
        field.F = 4  # printed
        count += 1
    if count:
        form.SigFlags = SIGNATURES_EXIST
    return count
