"""Every PDF mentorbook writes is PDF/UA-1 with working form fields, made as it is written.

``write_pdf`` has WeasyPrint write a document with its ``pdf/ua-1`` variant (tagged,
XMP metadata with the PDF/UA identifier and dc:title, DisplayDocTitle, /Lang) and
mends the structure tree on WeasyPrint's own objects before they are serialised
(tags.mend, a WeasyPrint finisher): running heads and contents leaders as artifacts,
lists, table header scopes and one described annotation per link.

Only a PDF with form fields is opened again after WeasyPrint (with pikepdf), to make
its fields work in real readers (widgets.py) and its signature lines signable
(signatures.py): the one step that re-reads a finished PDF, and only for fillable ones.

The same document gives the same bytes: nothing here depends on the time or on
chance, and the file identifier is derived from the content. ``xmp_packet`` is the
metadata of the PDFs mentorbook writes itself (a cohort's combined PDF, join.py).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from ..base.collect import fewer_collections

XMP_TEMPLATE = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
{creator}{description}   <pdf:Producer>{producer}</pdf:Producer>
{keywords}   <xmp:CreatorTool>{tool}</xmp:CreatorTool>
{dates}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _pdf_date_to_xmp(value: str) -> str:
    """D:20261120120000+00'00 -> 2026-11-20T12:00:00+00:00."""
    text = value[2:] if value.startswith("D:") else value
    if len(text) < 14 or not text[:14].isdigit():
        return ""
    stamp = f"{text[0:4]}-{text[4:6]}-{text[6:8]}T{text[8:10]}:{text[10:12]}:{text[12:14]}"
    zone = text[14:].replace("'", "")
    if zone in ("", "Z"):
        return stamp + "Z"
    return f"{stamp}{zone[0]}{zone[1:3]}:{zone[3:5] or '00'}"


def xmp_packet(info: dict[str, str]) -> bytes:
    """XMP metadata for a document information dictionary (keys without the slash)."""
    def get(key: str) -> str:
        return escape(info.get(key, ""))

    title = get("Title") or "Mentoring workbook"
    creator = (f"   <dc:creator><rdf:Seq><rdf:li>{get('Author')}</rdf:li></rdf:Seq></dc:creator>\n"
               if info.get("Author") else "")
    description = (f"   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{get('Subject')}</rdf:li>"
                   f"</rdf:Alt></dc:description>\n" if info.get("Subject") else "")
    keywords = f"   <pdf:Keywords>{get('Keywords')}</pdf:Keywords>\n" if info.get("Keywords") else ""
    dates = ""
    for key, tag in (("CreationDate", "xmp:CreateDate"), ("ModDate", "xmp:ModifyDate")):
        stamp = _pdf_date_to_xmp(info.get(key, ""))
        if stamp:
            dates += f"   <{tag}>{stamp}</{tag}>\n"
            if key == "ModDate":
                dates += f"   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>\n"
    return XMP_TEMPLATE.format(title=title, creator=creator, description=description, producer=get("Producer"),
                               keywords=keywords, tool=get("Creator") or "mentorbook", dates=dates).encode("utf-8")


def write_pdf(document, forms: bool = False) -> bytes:
    """A laid-out WeasyPrint ``document`` as PDF/UA-1 bytes (see the module docstring), without
    a link that would lead nowhere or into the machine (links.keep_real_links); with ``forms``,
    marked as a mentorbook form in its document information (the custom entries are kept)."""
    from .links import keep_real_links
    from .tags import mend

    keep_real_links(document)
    if forms:
        from .forms import FORM_MARKER, FORM_VERSION

        document.metadata.custom[FORM_MARKER] = FORM_VERSION
    with fewer_collections():
        data = document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=forms, pdf_identifier=True, finisher=mend)
    if forms:
        data = fix_fields(data)
    return data


def fix_fields(data: bytes) -> bytes:
    """Form fields that work in real readers, in a PDF that has them (the pikepdf step)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/AcroForm" not in pdf.Root:
            return data
        fix_form(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def fix_form(pdf) -> None:
    """Signature lines made signable and every field made to work, in a pikepdf ``pdf``."""
    from .signatures import make_signature_fields
    from .widgets import fix_forms

    make_signature_fields(pdf)
    fix_forms(pdf)
