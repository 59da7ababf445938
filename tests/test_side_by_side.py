"""A PDF whose chapters are laid out side by side (``build --jobs N``, the default on a
machine with more than one core) is the PDF a whole layout (``--jobs 1``) gives: the
same pages, text on each page, bookmarks, link targets, form fields, structure tree and
fonts (each once), and both pass the PDF/UA checks. The side-by-side PDFs are the session's own builds."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfua_check
import pikepdf
import pytest
from conftest import TODAY, once_per_run, outline_entries
from pypdf import PdfReader

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.print import parts
from mentorbook.print.workers import cores, parallel_pdf


def _whole(tmp_path_factory, name: str, *extra: str) -> Path:
    def make(out):
        assert main(["build", str(SAMPLE_WORKBOOK), "--format", "pdf", "--jobs", "1", "--today", TODAY.isoformat(),
                     "--out", str(out), "-q", *extra]) == 0

    return once_per_run(tmp_path_factory, name, make) / "workbook.pdf"


def _side_by_side(tmp_path_factory, session_pdf: Path, name: str, *extra: str) -> Path:
    """The session's build, laid out side by side on this machine's cores; on a machine of
    one core, the same build laid out in two processes."""
    if cores() >= 2:
        return session_pdf

    def make(out):
        assert main(["build", str(SAMPLE_WORKBOOK), "--format", "pdf", "--jobs", "2", "--today", TODAY.isoformat(),
                     "--out", str(out), "-q", *extra]) == 0

    return once_per_run(tmp_path_factory, name, make) / "workbook.pdf"


@pytest.fixture(scope="module")
def sample_pair(sample_build, tmp_path_factory) -> tuple[Path, Path]:
    return (_whole(tmp_path_factory, "sample-jobs-1"),
            _side_by_side(tmp_path_factory, sample_build.pdf, "sample-jobs-2"))


@pytest.fixture(scope="module")
def fillable_pair(fillable_sample, tmp_path_factory) -> tuple[Path, Path]:
    return (_whole(tmp_path_factory, "fillable-jobs-1", "--fillable"),
            _side_by_side(tmp_path_factory, fillable_sample, "fillable-jobs-2", "--fillable"))


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def links(path: Path) -> list[tuple]:
    """Every annotation: its page, kind, target (a named destination's page, or a URI) and label."""
    reader = PdfReader(path)
    names = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    found = []
    for number, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest")
            target = names[str(dest)] if dest is not None else str((annot.get("/A") or {}).get("/URI"))
            rect = tuple(round(float(v), 1) for v in annot["/Rect"])
            found.append((number, str(annot["/Subtype"]), target, str(annot.get("/Contents")), rect))
    return found


def faces(path: Path) -> list[str]:
    """Each font of the PDF as pdffonts lists it, its subset tag left out: one line per font."""
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return sorted(" ".join(line.split()[:-2]).split("+", 1)[-1] for line in listed.splitlines()[2:])


def fields(path: Path) -> dict[str, tuple]:
    reader = PdfReader(path)
    return {name: (str(f.get("/FT")), str(f.get("/V")), str(f.get("/TU")), str(f.get("/Ff")))
            for name, f in (reader.get_fields() or {}).items()}


def tree(path: Path) -> list[str]:
    """The structure tree, depth first: each element's type, page, marked content and
    annotations, its attributes' scopes, and the label of each annotation it holds."""
    lines: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def walk(node, depth: int) -> None:
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            held = []
            for kid in kids:
                if isinstance(kid, int):
                    held.append("m")
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    held.append(f"obj({kid.Obj.get('/Subtype')} {kid.Obj.get('/Contents', '')})")
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    held.append(f"mcr{pages[kid.Pg.objgen]}")
            page = pages.get(node.Pg.objgen) if "/Pg" in node else None
            attributes = node.get("/A")
            scope = attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
            lines.append(f"{'  ' * depth}{node.S} p{page} {scope} {' '.join(held)}")
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid, depth + 1)

        root = pdf.Root.StructTreeRoot.K
        walk(root[0] if isinstance(root, pikepdf.Array) else root, 0)
    return lines


@pytest.mark.parametrize("kind", ["sample", "fillable"])
def test_side_by_side_is_the_whole_layout(kind, sample_pair, fillable_pair):
    whole, side = sample_pair if kind == "sample" else fillable_pair
    with pikepdf.open(side) as pdf:
        margins = {name for page in pdf.pages for name in page.Resources.get("/XObject", {})
                   if name.startswith("/MbMargins")}
        assert len(margins) == len(pdf.pages) - 2, "every page but the cover and contents has the frame's margins"
    once, again = page_texts(whole), page_texts(side)
    assert len(once) == len(again) >= 25
    assert [i + 1 for i, (a, b) in enumerate(zip(once, again, strict=True)) if a != b] == [], "pages whose text differs"
    assert outline_entries(PdfReader(side)) == outline_entries(PdfReader(whole))
    assert links(side) == links(whole) and len(links(whole)) >= 11
    assert fields(side) == fields(whole)
    assert tree(side) == tree(whole)
    assert faces(side) == faces(whole) and len(faces(whole)) >= 4, "each font once, as in a whole layout"
    assert pdfua_check.check(whole) == [] and pdfua_check.check(side) == []
    if kind == "fillable":
        assert len(fields(whole)) > 300


def _document(*chapters: str) -> str:
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Parts</title>'
            "<style>@page { size: A6; margin: 15mm; @bottom-right { content: counter(page); } }"
            "section { break-before: page } h1 { string-set: chapter content(); bookmark-level: 1 }</style>"
            '</head><body><p>Front <a href="#two">to two</a></p>')
    return head + "".join(f"<!--mb-part-->{c}" for c in chapters) + "</body></html>"


def test_links_between_parts_lead_where_they_should_and_links_to_nowhere_are_dropped(tmp_path):
    html = _document('<section><h1 id="one">One</h1><p><a href="#three">to three</a> <a href="#nowhere">x</a></p>'
                     '</section>',
                     '<section><h1 id="two">Two</h1><p>' + "Words " * 400 + '</p></section>',
                     '<section><h1 id="three">Three</h1><p><a href="#one">back to one</a></p></section>')
    made, refused = parallel_pdf(html, {}, [tmp_path], "2026-11-25T12:00:00+00:00", False, 2)
    path = tmp_path / "parts.pdf"
    path.write_bytes(made)
    found = {(page, target, label) for page, kind, target, label, _ in links(path)}
    reader = PdfReader(path)
    at = {title: next(i for i, p in enumerate(reader.pages) if title in p.extract_text().split())
          for title in ("One", "Two", "Three")}
    assert at["Three"] > at["Two"] + 1, "the second part fills more than a page"
    assert {(0, at["Two"], "to two"), (at["One"], at["Three"], "to three"), (at["Three"], at["One"], "back to one")} \
        <= found
    assert not any(label == "x" for _, _, label in found), "a link to an anchor nowhere is dropped"
    assert [title for _, title, _ in outline_entries(reader)] == ["One", "Two", "Three"]
    assert refused == [] and pdfua_check.check(path) == []


def test_a_worksheet_part_opens_its_chapter_again():
    layout = parts.split(_document('<section class="chapter"><h1 id="a">A</h1>', '<section class="ws">W</section>'
                                   "</section>", '<section class="chapter"><h1 id="b">B</h1></section>'))
    assert layout.contexts == ["", '<section class="chapter">', ""]
    assert layout.titles() == {"a": "A", "b": "B"}
    assert parts.split("<html><body><p>A program's own print layout</p></body></html>") is None
    assert parts.runs(layout, 2) in ([(0, 1), (1, 3)], [(0, 2), (2, 3)])


def _lay_out_form(html: str, files: dict) -> bytes:
    from mentorbook.print.pdf import html_to_pdf

    return html_to_pdf(html, None, [], "2026-11-25T12:00:00+00:00", forms=True, files=files)[0]


def test_a_stylesheet_first_met_after_the_fork_sets_its_fonts_in_every_process(tmp_path):
    """Processes forked to lay out parts share WeasyPrint's font folder. The form font
    comes with the worksheets' stylesheet, which the part laid out before the fork may not
    use: a process meeting it after another one has (here the child, first on purpose)
    still sets the fields in the form font, so the text font stays a subset whose map
    keeps its ligatures ("fi" of "first" read as "fi", not as nothing)."""
    import multiprocessing

    from mentorbook.core.fonts import FORM_FILE, font_bytes, form_font_bytes, form_font_css

    regular = "NotoSans-Regular.ttf"
    files = {f"fonts/{regular}": font_bytes()[regular],
             f"fonts/{FORM_FILE}": form_font_bytes(),
             # only the fonts this test uses: a font configuration of its own, loaded by nothing before
             "page.css": f'@font-face {{ font-family: "Noto Sans"; src: url("fonts/{regular}"); }}\n'
                         'body { font-family: "Noto Sans"; }',
             "form.css": form_font_css(lambda name: f"fonts/{name}")}
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fonts</title>'
            '<link rel="stylesheet" href="page.css"></head><body><p>The first five reflections.</p>')
    form = head + '<link rel="stylesheet" href="form.css"><form><input name="who" title="Who"></form></body></html>'
    _lay_out_form(head + "</body></html>", files)  # before the fork: the page fonts only
    child = multiprocessing.get_context("fork").Process(target=_lay_out_form, args=(form, files))
    child.start()
    child.join()
    assert child.exitcode == 0
    path = tmp_path / "form.pdf"
    path.write_bytes(_lay_out_form(form, files))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "The first five reflections." in text
    with pikepdf.open(path) as pdf:
        fonts = [str(font.BaseFont) for font in pdf.pages[0].Resources.Font.values()]
    assert len(fonts) == 2 and any(name.endswith("+Noto-Sans") for name in fonts), fonts
