"""Object streams and a cross-reference stream for a PDF written front to back.

A joined cohort PDF holds hundreds of thousands of small objects (structure elements,
annotations, bookmarks); written one by one as text they make the file about three
times the size of its sources, which WeasyPrint packs into compressed object streams.
``Packer`` gathers the objects that may live in an object stream (any but a stream
and the cross-reference stream itself) and gives back one compressed ``/ObjStm`` body
per BATCH of them; ``xref_stream`` writes the table that finds every object, at an
offset or inside its object stream (PDF 1.5 and later, ISO 32000-1 7.5.7 and 7.5.8).
"""

from __future__ import annotations

import zlib

BATCH = 200  # objects per object stream
WIDTHS = (1, 5, 2)  # bytes of an entry's type, offset (or object stream), generation (or index)


class Packer:
    """Objects waiting for their object stream, and where the packed ones went."""

    def __init__(self):
        self.pending: list[tuple[int, bytes]] = []
        self.packed: dict[int, tuple[int, int]] = {}  # object number -> (object stream, index in it)

    def add(self, number: int, body: bytes) -> bool:
        """Queue an object; True when a batch is full and should be written."""
        self.pending.append((number, body))
        return len(self.pending) >= BATCH

    def flush(self, stream: int) -> bytes:
        """The body of object stream number ``stream`` holding the pending objects."""
        header, offset, bodies = [], 0, []
        for index, (number, body) in enumerate(self.pending):
            self.packed[number] = (stream, index)
            header.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n", 6)
        count = len(self.pending)
        self.pending = []
        return (b"<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n"
                % (count, len(head), len(data)) + data + b"\nendstream")


def xref_stream(offsets: dict[int, int], packed: dict[int, tuple[int, int]], size: int, trailer: bytes) -> bytes:
    """The body of the cross-reference stream (its own number ``size - 1``, whose offset is in
    ``offsets``) for objects 0 to ``size - 1``; ``trailer``: the trailer's other entries."""
    rows = [_entry(0, 0, 65535)]
    for number in range(1, size):
        if number in offsets:
            rows.append(_entry(1, offsets[number], 0))
        else:
            stream, index = packed[number]
            rows.append(_entry(2, stream, index))
    data = zlib.compress(b"".join(rows), 6)
    widths = b" ".join(b"%d" % w for w in WIDTHS)
    return (b"<</Type /XRef /Size %d /W [%s] " % (size, widths) + trailer
            + b" /Filter /FlateDecode /Length %d>>\nstream\n" % len(data) + data + b"\nendstream")


def _entry(kind: int, second: int, third: int) -> bytes:
    return b"".join(value.to_bytes(width, "big") for value, width in zip((kind, second, third), WIDTHS))
