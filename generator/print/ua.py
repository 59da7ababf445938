"""The last step of every PDF mentorbook writes: PDF/UA-1 and working form fields.

WeasyPrint writes tagged PDFs, but not everything PDF/UA-1 (ISO 14289-1) asks for.
``finish`` opens the bytes WeasyPrint wrote with pikepdf and adds or fixes what it
cannot do itself:

- XMP metadata with the PDF/UA identifier (pdfuaid:part 1), dc:title and the dates
  of the document information, DisplayDocTitle and the document's /Lang;
- running heads as pagination artifacts, contents leaders as layout artifacts, lists,
  table header scopes and one described annotation per link (see pdftags.py);
- form fields as real readers need them (see pdfforms.py), signature lines as
  empty signature fields (see pdfsig.py).

The same bytes in give the same bytes out: nothing here depends on the time or on
chance, and the file identifier is derived from the content.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

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


def add_metadata(pdf, lang: str = "en") -> None:
    """XMP with the PDF/UA identifier, DisplayDocTitle and /Lang on a pikepdf ``pdf``."""
    import pikepdf
    from pikepdf import Dictionary, Name

    info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()} if pdf.docinfo is not None else {}
    if not info.get("Title"):
        pdf.docinfo[Name.Title] = info["Title"] = "Mentoring workbook"
    stream = pikepdf.Stream(pdf, xmp_packet(info))
    stream.Type, stream.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)
    preferences = pdf.Root.get("/ViewerPreferences")
    if preferences is None:
        pdf.Root.ViewerPreferences = preferences = Dictionary()
    preferences.DisplayDocTitle = True
    if not str(pdf.Root.get("/Lang", "")):
        pdf.Root.Lang = pikepdf.String(lang)
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def finish(data: bytes, lang: str = "en") -> bytes:
    """The PDF ``data`` (written by WeasyPrint) made PDF/UA-1 and with working forms."""
    import pikepdf

    from .widgets import fix_forms
    from .signatures import make_signature_fields
    from .tags import mend

    with pikepdf.open(io.BytesIO(data)) as pdf:
        add_metadata(pdf, lang)
        mend(pdf)
        make_signature_fields(pdf)
        fix_forms(pdf)
        for page in pdf.pages:
            if "/Annots" in page:
                page.Tabs = pikepdf.Name.S
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
