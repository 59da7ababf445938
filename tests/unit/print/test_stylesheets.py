"""Stylesheets parsed once per process (print/pdf.py stylesheets_apart): a document laid out
with its sheets handed over apart comes out as WeasyPrint lays it out whole."""

from __future__ import annotations

import weasyprint

from mentorbook.print.pdf import MEMORY_ROOT, font_config, layout, make_url_fetcher, stylesheets_apart

SHEET = """
@page { size: 200pt 160pt; margin: 20pt; @bottom-center { content: "p. " counter(page); } }
p { font-size: 30pt; margin: 0; }
.big { font-size: 40pt; }
"""
DOCUMENT = """<!doctype html><html><head><title>t</title>
<link rel="stylesheet" href="print.css">
<style>p { font-size: 12pt; } @page :first { margin-top: 60pt; }</style></head>
<body><p id="a">The style element wins a tie with the sheet linked before it.</p>
<p id="b" class="big">A class in the linked sheet is more specific than the style element.</p>
<p id="c" style="font-size: 8pt">A style attribute beats both.</p>
<link rel="stylesheet" href="print.css"><p id="d">Linked again in the body: the sheet wins the tie now.</p>
</body></html>"""
FILES = {"print.css": SHEET}


def positions(document) -> list[dict]:
    return [{name: tuple(round(v, 3) for v in at) for name, at in page.anchors.items()} for page in document.pages]


def test_sheets_handed_over_apart_cascade_as_in_the_document(tmp_path):
    base = f"file://{MEMORY_ROOT}/"
    fetcher = make_url_fetcher([tmp_path], [], FILES)
    whole = weasyprint.HTML(string=DOCUMENT, base_url=base, url_fetcher=fetcher).render(
        font_config=font_config(DOCUMENT, base, fetcher, FILES))
    apart = layout(DOCUMENT, None, [tmp_path], files=FILES)
    assert len(whole.pages) == len(apart.pages) > 1
    assert positions(apart) == positions(whole)
    assert whole.write_pdf() != b"" and apart.write_pdf()


def test_a_sheet_is_parsed_once_and_one_written_otherwise_is_left_to_weasyprint(tmp_path):
    base = f"file://{MEMORY_ROOT}/"
    fetcher = make_url_fetcher([tmp_path], [], FILES)
    config = font_config(DOCUMENT, base, fetcher, FILES)
    html, first = stylesheets_apart(DOCUMENT, base, fetcher, config, FILES, [], [tmp_path])
    _, again = stylesheets_apart(DOCUMENT, base, fetcher, config, FILES, [], [tmp_path])
    assert "<style" not in html and "stylesheet" not in html and len(first) == 3
    assert [id(s) for s in again] == [id(s) for s in first] and first[0] is first[2]
    with_media = DOCUMENT.replace("<style>", '<style media="print">')
    assert stylesheets_apart(with_media, base, fetcher, config, FILES, [], [tmp_path]) == (with_media, [])
    foreign = DOCUMENT.replace('href="print.css">\n<style>', 'href="other.css">\n<style>')
    assert stylesheets_apart(foreign, base, fetcher, config, FILES, [], [tmp_path]) == (foreign, [])


def test_a_sheet_that_asks_for_a_refused_address_says_so_each_time(tmp_path):
    outside = tmp_path.parent / "outside.woff2"  # fetched when the sheet is parsed, not at layout
    document = DOCUMENT.replace("<style>", f"<style>@font-face {{ font-family: X; src: url({outside.as_uri()}) }} ")
    said = []
    for _ in range(2):
        refused = []
        layout(document, None, [tmp_path], refused, files=FILES)
        said.append(refused)
    assert outside.as_uri() in said[0] and said[1] == said[0]
