"""Object streams and a cross-reference stream for a PDF written front to back.

A joined cohort PDF holds hundreds of thousands of small objects (structure elements,
annotations, bookmarks); written one by one as text they make the file about three
times the size of its sources, which WeasyPrint packs into compressed object streams.
``Packer`` gathers the objects that may live in an object stream (any but a stream
and the cross-reference stream itself) and gives back one compressed ``/ObjStm`` body
per BATCH of them; ``XrefTable`` keeps where every object went, a few bytes each in
flat arrays (a thousand workbooks are millions of objects), and writes the table that
finds them (PDF 1.5 and later, ISO 32000-1 7.5.7 and 7.5.8).
"""

from __future__ import annotations

import zlib
from array import array

BATCH = 200  # objects per object stream
WIDTHS = (1, 5, 2)  # bytes of an entry's type, offset (or object stream), generation (or index)


class XrefTable:
    """For each object number: written at an offset (type 1) or packed in an object stream (type 2)."""

    def __init__(self):
        self.kind = bytearray(1)  # object 0 is the head of the free list
        self.first = array("I", [0])  # offset, or the object stream's number (widened past 4 GiB)
        self.second = array("H", [65535])  # generation 0, or the index in the object stream

    def _set(self, number: int, kind: int, first: int, second: int) -> None:
        missing = number + 1 - len(self.kind)
        if missing > 0:
            self.kind.extend(bytes(missing))
            self.first.extend([0] * missing)
            self.second.extend([0] * missing)
        if first > 0xFFFFFFFF and self.first.typecode == "I":
            self.first = array("Q", self.first)
        self.kind[number], self.first[number], self.second[number] = kind, first, second

    def at_offset(self, number: int, offset: int) -> None:
        self._set(number, 1, offset, 0)

    def in_stream(self, number: int, stream: int, index: int) -> None:
        self._set(number, 2, stream, index)

    def stream_body(self, size: int, trailer: bytes) -> bytes:
        """The cross-reference stream's body for objects 0 to ``size - 1`` (the stream is the
        last of them; its own offset is set); ``trailer``: the trailer's other entries."""
        if len(self.kind) != size or 0 in self.kind[1:]:
            raise ValueError("an object of the joined PDF was numbered but never written")
        rows = bytearray()
        for kind, first, second in zip(self.kind, self.first, self.second, strict=True):
            rows += kind.to_bytes(1, "big") + first.to_bytes(5, "big") + second.to_bytes(2, "big")
        data = zlib.compress(bytes(rows), 6)
        widths = b" ".join(b"%d" % w for w in WIDTHS)
        return (b"<</Type /XRef /Size %d /W [%s] " % (size, widths) + trailer
                + b" /Filter /FlateDecode /Length %d>>\nstream\n" % len(data) + data + b"\nendstream")


class Packer:
    """Objects waiting for their object stream."""

    def __init__(self, table: XrefTable):
        self.table = table
        self.pending: list[tuple[int, bytes]] = []

    def add(self, number: int, body: bytes) -> bool:
        """Queue an object; True when a batch is full and should be written."""
        self.pending.append((number, body))
        return len(self.pending) >= BATCH

    def flush(self, stream: int) -> bytes:
        """The body of object stream number ``stream`` holding the pending objects."""
        header, offset, bodies = [], 0, []
        for index, (number, body) in enumerate(self.pending):
            self.table.in_stream(number, stream, index)
            header.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n", 6)
        count = len(self.pending)
        self.pending = []
        return (b"<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n"
                % (count, len(head), len(data)) + data + b"\nendstream")
