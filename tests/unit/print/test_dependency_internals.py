"""The few internals of dependencies mentorbook relies on, checked directly: when a new
release (inside the ranges pyproject.toml allows) changes one, this fails by name instead
of a cohort PDF coming out wrong.

- pypdf: a stream object's encoded bytes (``_data``), which the joiner copies as they are,
  filters kept, rather than decoding and encoding each stream again.
- WeasyPrint: a laid-out page's box tree (``Page._page_box``, its ``children`` and the
  ``MarginBox`` class), which the cohort's shared guidance pages swap their running heads in.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject


def test_pypdf_streams_keep_their_encoded_bytes_in_data():
    import zlib

    writer = PdfWriter()
    page = writer.add_blank_page(100, 100)
    content = b"0 0 m 100 100 l S " * 20
    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream._data = zlib.compress(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    read = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]["/Contents"].get_object()
    assert read._data == zlib.compress(content), "the encoded bytes, as written"
    assert read.get_data() == content


def test_weasyprint_pages_have_a_box_tree_with_margin_boxes():
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import MarginBox

    document = HTML(string="<style>@page { @top-center { content: 'Head' } }</style><p>Body</p>").render()
    page = document.pages[0]
    box = page._page_box
    assert hasattr(box, "children")
    assert any(isinstance(child, MarginBox) for child in box.children)
