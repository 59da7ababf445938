"""Small PDFs made by hand for the import tests: mentorbook-like fillable forms whose field
values are whatever a test gives, and an object-stream bomb. Written byte by byte so that
no PDF library tidies away what the test is about."""

from __future__ import annotations

import zlib
from pathlib import Path

from mentorbook.print.forms import FORM_MARKER, FORM_VERSION, PREFIX, PROFILE_ID


def _pdf(objects: dict[int, bytes], root: int, info: int | None = None) -> bytes:
    """A PDF of ``objects`` (number -> the bytes between 'N 0 obj' and 'endobj') with a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    out += (b" /Info %d 0 R" % info) if info else b""
    out += b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text(value: str) -> bytes:
    """A PDF literal string of ``value`` in PDFDocEncoding (Latin-1 here), escaped."""
    raw = value.encode("latin-1")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def form(fields: list[tuple[str, bytes]], *, kind: bytes = b"/Tx", extra: bytes = b"") -> bytes:
    """A one-page fillable PDF marked as mentorbook's, with a text field (``kind``) per (name, raw /V)
    (``raw`` is PDF syntax: ``(Ana)``, ``<< /A 1 >>``, ``<FEFF0041>`` ...)."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>"
                  % b" ".join(b"%d 0 R" % (10 + i) for i in range(len(fields))),
               2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [%s] >>"
                  % b" ".join(b"%d 0 R" % (10 + i) for i in range(len(fields))),
               4: b"<< /%s (%s) /Title (Workbook) >>" % (FORM_MARKER.encode(), FORM_VERSION.encode())}
    for i, (name, value) in enumerate(fields):
        objects[10 + i] = (b"<< /Type /Annot /Subtype /Widget /FT %s /T %s /V %s /Rect [10 %d 300 %d] /P 3 0 R%s >>"
                           % (kind, text(name), value, 700 - 30 * i, 720 - 30 * i, extra))
    return _pdf(objects, root=1, info=4)


def profile(field: str) -> str:
    """The form name of a field of the "About me" form."""
    return f"{PREFIX}{PROFILE_ID}/{field}"


def object_stream_bomb(streams: int = 40, inflated: int = 70 * 1024 * 1024, *, filter_key: bytes = b"/Filter",
                       note: bytes = b"") -> bytes:
    """A PDF whose form widgets sit in ``streams`` object streams, each inflating to ``inflated``
    bytes (padding after the widget), with a cross-reference stream pointing into them: a reader
    that inflates every object stream it needs holds streams x inflated bytes. ``filter_key`` and
    ``note`` (more of the stream's dictionary) disguise the streams from a reader of the bytes."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] >> >>"
           % b" ".join(b"%d 0 R" % (100 + i) for i in range(streams)),
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [%s] >>"
           % b" ".join(b"%d 0 R" % (100 + i) for i in range(streams)),
        4: b"<< /%s (%s) >>" % (FORM_MARKER.encode(), FORM_VERSION.encode()),
    }
    for i in range(streams):
        body = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (%s) /V (x) /Rect [0 0 10 10] >>"
                % profile("name").encode())
        header = b"%d 0 " % (100 + i)
        stream = _whole(header + body, inflated)
        objects[10 + i] = (b"<< /Type /ObjStm /N 1 /First %d %s /FlateDecode /Length %d%s >>\nstream\n"
                           % (len(header), filter_key, len(stream), note) + stream + b"\nendstream")
    return _with_xref_stream(objects, streams)


_PADDING: dict[int, bytes] = {}


def _whole(start: bytes, size: int) -> bytes:
    """``start`` then ``size`` spaces as one zlib stream: the spaces are deflated once per size and
    reused (``start`` ends in a full flush, so the blocks simply follow each other)."""
    if size not in _PADDING:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        parts = [packer.compress(b" " * min(size - done, 1 << 20)) for done in range(0, size, 1 << 20)]
        _PADDING[size] = b"".join(parts) + packer.flush()
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = head.compress(start) + head.flush(zlib.Z_FULL_FLUSH)
    check = zlib.adler32(start)
    spaces = b" " * (1 << 20)
    for done in range(0, size, 1 << 20):
        check = zlib.adler32(spaces[:min(size - done, 1 << 20)], check)
    return b"\x78\xda" + body + _PADDING[size] + check.to_bytes(4, "big")


def _with_xref_stream(objects: dict[int, bytes], streams: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_number = 100 + streams
    offsets[xref_number] = len(out)
    rows = []
    for number in range(xref_number + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        elif 100 <= number < 100 + streams:
            rows.append(b"\x02" + (10 + number - 100).to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x00" * 7)
    data = zlib.compress(b"".join(rows))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Info 4 0 R /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % (xref_number, xref_number + 1, len(data)) + data + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
