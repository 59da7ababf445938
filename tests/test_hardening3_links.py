"""No link in a PDF points into the machine: relative links resolved against the in-memory
layout (file:///mentorbook-print/...), file: and other schemes, and anchors that are not there."""

from __future__ import annotations

import io

import pikepdf

from mentorbook.print.pdf import html_to_pdf

HOSTILE = """<!DOCTYPE html><html lang="en"><head><title>Links</title></head><body><main>
<h1 id="here">Links</h1>
<p><a href="#missing">missing anchor</a> <a href="#here">here</a> <a href="x.html">relative</a>
<a href="file:///etc/passwd">file</a> <a href="https://example.com/">web</a> <a href="?q=1">query</a>
<a href="mailto:a@example.com">mail</a> <a href="javascript:alert(1)">script</a> <a href="data:text/html,x">data</a>
<a href="//host/share">network</a> <a href="../../../etc/hosts">up</a></p></main></body></html>"""


def uris(pdf: bytes) -> list[str]:
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    found.append(str(action.URI))
    return found


def test_no_pdf_link_points_at_a_file_or_an_internal_address():
    pdf, _ = html_to_pdf(HOSTILE, None, [], "2026-11-25T12:00:00+00:00", files={})
    links = uris(pdf)
    assert sorted(links) == ["https://example.com/", "mailto:a@example.com"], links
    assert not any(u.startswith("file:") or "mentorbook-print" in u for u in links)
