"""Reading a PDF someone handed in, within bounds: any file may have been made to hurt.

Before pypdf parses a returned PDF, ``check_bounds`` looks at its bytes: how many
objects it holds (in the file and in its object streams) and how many bytes its
compressed streams inflate to, all of them together (each stream is inflated in
small pieces and thrown away, so the check itself stays small). A file over a limit
is refused with its name and why, before it can fill memory or take minutes.
``Deadline`` bounds the time spent reading one file; nesting deeper than the parser
goes is refused too (``read_answers`` catches it).

``text_of`` turns a form field's value into text as ISO 32000 says text strings are
written (PDFDocEncoding; UTF-16BE after a byte order mark; UTF-8 after one, PDF 2.0)
and refuses what is not a text string: a dictionary, an array, a number, a stream,
UTF-16 of odd length or with a lone surrogate. Such a value is never written into a
workbook.
"""

from __future__ import annotations

import re
import time
import zlib
from typing import Any

from ..base.i18n import N_, said

MAX_PDF_BYTES = 64 * 1024 * 1024  # a filled-in workbook is about 1 MiB
MAX_INFLATED = 64 * 1024 * 1024  # all compressed streams together (a workbook: about 3 MiB)
MAX_OBJECTS = 250_000  # in the file and its object streams (a workbook: about 12,000)
MAX_SECONDS = 10.0  # to read one file
_CHUNK = 1 << 16

_OBJ = re.compile(rb"(?<![0-9])\d{1,10}\s+\d{1,5}\s+obj\b")
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_COUNT = re.compile(rb"/N\s+(\d{1,12})\b")
_ESCAPED = re.compile(rb"#([0-9A-Fa-f]{2})")


def _unescape(found: re.Match) -> bytes:
    return bytes([int(found.group(1), 16)])


def _name(name: bytes) -> re.Pattern:
    """The PDF name ``/name`` as it may be written: any of its characters as a #xx escape."""
    return re.compile(b"/" + b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(bytes([c])), c) for c in name))


_ENCRYPT = _name(b"Encrypt")
FLATE = {b"FlateDecode", b"Fl"}


class Refused(Exception):
    """The file is refused; ``reason`` says why, for the person who handed it in."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Deadline:
    """The time one file may take to read."""

    def __init__(self, seconds: float = MAX_SECONDS):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise Refused(said(N_("reading it took longer than %(seconds)s seconds; a filled-in workbook takes "
                                  "well under one"), seconds=f"{self.seconds:.0f}"))


def _mib(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB"


def check_bounds(data: bytes, deadline: Deadline | None = None) -> None:
    """Refuse ``data`` (a whole PDF file) when it holds too many objects or inflates too far."""
    import bisect

    deadline = deadline or Deadline()
    starts = [found.start() for found in _OBJ.finditer(data)]
    objects = len(starts)
    inflated = 0
    encrypted = _ENCRYPT.search(data) is not None
    for match in _STREAM.finditer(data):
        deadline.check()
        # the stream's dictionary: from its object's "N G obj" (a string saying "obj" is not one),
        # with #-escaped names spelt out as a reader reads them (/F#69lter is /Filter)
        at = bisect.bisect_left(starts, match.start()) - 1
        while at > 0 and data.find(b"endobj", starts[at - 1], starts[at]) < 0:
            at -= 1  # no object ends before it: a string saying "9 0 obj" inside the dictionary, not a start
        head = _ESCAPED.sub(_unescape, data[starts[at] if at >= 0 else 0:match.start()])
        kind = b"ObjStm" if re.search(rb"/Type\s*/ObjStm\b", head) else b"XRef" if re.search(rb"/Type\s*/XRef\b",
                                                                                            head) else b""
        if kind == b"ObjStm":
            count = _COUNT.search(head)
            objects += int(count.group(1)) if count else 0
            if encrypted:
                raise Refused(said(N_("it is protected by a password and keeps its form in compressed object "
                                      "streams, which mentorbook cannot check safely; save the filled-in form "
                                      "without a password and import that")))
        if objects > MAX_OBJECTS:
            raise Refused(_too_many())
        filters = _filters(head)
        if filters is None or (kind and any(f not in FLATE for f in filters)):
            raise Refused(said(N_("a stream of its objects uses compression mentorbook does not read; save the "
                                  "filled-in form again from a PDF reader")) if kind else
                          said(N_("a stream of its content uses compression mentorbook does not read; save the "
                                  "filled-in form again from a PDF reader")))
        if filters and all(f in FLATE for f in filters) and not encrypted:
            inflated += _inflated_size(data, match.end(), len(filters), MAX_INFLATED - inflated, deadline)
        if inflated > MAX_INFLATED:
            raise Refused(said(N_("its compressed streams inflate to more than %(size)s together; a filled-in "
                                  "workbook's come to about 3 MiB (this file may be built to exhaust the computer)"),
                               size=_mib(MAX_INFLATED)))
    if objects > MAX_OBJECTS:
        raise Refused(_too_many())


def _too_many() -> str:
    return said(N_("it holds more than %(count)s objects; a filled-in workbook holds about 12,000"),
                count=f"{MAX_OBJECTS:,}")


def _filters(head: bytes) -> list[bytes] | None:
    """The filter names of a stream's dictionary ([] for none), or None when they cannot be read."""
    found = _FILTERS.search(head)
    if not found:
        return None if b"/Filter" in head else []
    return _NAME.findall(found.group(1))


def _inflated_size(data: bytes, start: int, stages: int, budget: int, deadline: Deadline) -> int:
    """How many bytes the Flate stream starting at ``start`` inflates to (through ``stages`` Flate
    filters in a row, every stage counted), up to just past ``budget``; a broken stream counts
    what it gave. Nothing is kept: each piece is counted and dropped."""
    decoders = [_Counting(zlib.decompressobj(zlib.MAX_WBITS | 32)) for _ in range(stages)]
    total, at = 0, start
    while at < len(data) and not decoders[0].decoder.eof:
        deadline.check()
        stream: Any = [data[at:at + _CHUNK]]
        at += _CHUNK
        for decoder in decoders:
            stream = _inflate(decoder, stream)
        try:
            for _ in stream:
                total = sum(d.counted for d in decoders)
                if total > budget:
                    return total
        except zlib.error:
            break
    return sum(d.counted for d in decoders)


class _Counting:
    """A zlib decompressor that counts what it gives."""

    def __init__(self, decoder: Any):
        self.decoder, self.counted = decoder, 0


def _inflate(counting: _Counting, pieces: Any):
    """Inflate ``pieces`` in steps of at most _CHUNK bytes, yielding each step."""
    decoder = counting.decoder
    for piece in pieces:
        chunk = decoder.decompress(piece, _CHUNK)
        counting.counted += len(chunk)
        yield chunk
        while decoder.unconsumed_tail and not decoder.eof:
            chunk = decoder.decompress(decoder.unconsumed_tail, _CHUNK)
            counting.counted += len(chunk)
            yield chunk


# PDFDocEncoding (ISO 32000-1, Annex D): Latin-1 except these codes; None: not a character.
_PDFDOC = {**dict.fromkeys((*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x18), 0x7F, 0x9F, 0xAD)),
           **dict(zip(range(0x18, 0x20), "\u02d8\u02c7\u02c6\u02d9\u02dd\u02db\u02da\u02dc", strict=True)),
           **dict(zip(range(0x80, 0x9F), "\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203a\u2212\u2030"
                                         "\u201e\u201c\u201d\u2018\u2019\u201a\u2122\ufb01\ufb02\u0141\u0152\u0160"
                                         "\u0178\u017d\u0131\u0142\u0153\u0161\u017e", strict=True)), 0xA0: "\u20ac"}


class NotText(ValueError):
    """A form value that is not a text string; the message says what it is."""


def decode_text_string(raw: bytes) -> str:
    """The text of a PDF text string's bytes (ISO 32000-2, 7.9.2.2); raise NotText."""
    if raw.startswith(b"\xfe\xff"):
        body = raw[2:]
        if len(body) % 2:
            raise NotText(said(N_("UTF-16 text with an odd number of bytes")))
        try:
            return body.decode("utf-16-be")
        except UnicodeDecodeError:
            raise NotText(said(N_("UTF-16 text with a lone surrogate (half a character)"))) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise NotText(said(N_("UTF-8 text that is not valid UTF-8"))) from None
    chars = []
    for byte in raw:
        char = _PDFDOC.get(byte, chr(byte))
        if char is None:
            raise NotText(said(N_("text with the byte %(byte)s, which is no character in PDF text"),
                               byte=f"0x{byte:02X}"))
        chars.append(char)
    return "".join(chars)


def text_of(value: Any) -> str:
    """A form field's text value; raise NotText for anything that is not a text string."""
    from pypdf.generic import ByteStringObject, IndirectObject, TextStringObject

    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, TextStringObject):
        return decode_text_string(bytes(value.original_bytes))
    if isinstance(value, ByteStringObject):
        return decode_text_string(bytes(value))
    raise NotText(said(N_("%(kind)s, not text"), kind=describe(value)))


def describe(value: Any) -> str:
    """What kind of PDF object ``value`` is, in words (never its contents)."""
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NullObject,
        NumberObject,
        StreamObject,
    )

    for kind, words in ((StreamObject, N_("a PDF stream")), (DictionaryObject, N_("a PDF dictionary")),
                        (ArrayObject, N_("a PDF array")), (NameObject, N_("a PDF name")),
                        (BooleanObject, N_("a true/false value")), (NumberObject, N_("a number")),
                        (FloatObject, N_("a number")), (NullObject, N_("a null"))):
        if isinstance(value, kind):
            return said(words)
    return said(N_("a PDF object of an unknown kind"))
