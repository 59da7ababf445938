"""The automatic eye on every PDF a person is handed: the sample, the blank, the fillable
(blank and sample), the Spanish sample, the instruments example (blank, fillable, filled)
and the example program. It fails on what a coordinator would not give out: choice ids or
Python reprs in the text, a field or table row stranded at a page's top or foot, a page
under a third full that ends no chapter, a rating scale broken over lines or without its
anchors, a form widget outside the page's text frame, and a signature block on another
page than the heading of the section it closes. (tests/pdf_eye.py reads the pages.)

Each PDF is a session build shared with the other tests; reading one takes a tenth of a
second, so the eye costs the suite next to nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pdf_eye as eye
import pytest
from conftest import EXAMPLE_PROGRAM, INSTRUMENTS, TODAY

# kind: (fixture, the PDF from its value, the project it was built from (None: the built-ins),
#        its language, whether its answers are printed as text or form fields)
KINDS = {
    "sample": ("sample_build", lambda v: v.pdf, None, "en", True),
    "blank": ("blank_build", lambda v: v.pdf, None, "en", False),
    "fillable blank": ("fillable_blank", lambda v: v, None, "en", True),
    "fillable sample": ("fillable_sample", lambda v: v, None, "en", True),
    "spanish sample": ("spanish_sample_pdf", lambda v: v, None, "es", True),
    "instruments blank": ("instruments_outputs", lambda v: v["blank"], INSTRUMENTS, "en", False),
    "instruments fillable": ("instruments_outputs", lambda v: v["fillable"], INSTRUMENTS, "en", True),
    "instruments filled": ("instruments_outputs", lambda v: v["filled"], INSTRUMENTS, "en", True),
    "example program": ("example_program_output", lambda v: v / "workbook.pdf", EXAMPLE_PROGRAM, "en", False),
}
INSTRUMENT_KINDS = ["instruments blank", "instruments fillable", "instruments filled"]
FORMS = ["fillable blank", "fillable sample", "instruments fillable"]


@cache
def known(root: Path | None, tag: str) -> eye.Instruments:
    """What the worksheet definitions of a build say, in its language."""
    from mentorbook.base.i18n import language
    from mentorbook.core.load import load_sources
    from mentorbook.core.localize import localize_definitions
    from mentorbook.program.config import load_project
    from mentorbook.program.project import BUILTIN

    sources, problems = load_sources(load_project(root) if root else BUILTIN)
    assert not [p for p in problems if p.severity == "error"]
    lang = language(tag)
    return eye.instruments(localize_definitions(sources.definitions, lang)[0], lang)


_read: dict[Path, eye.Document] = {}


def look(request, kind: str) -> tuple[eye.Document, eye.Instruments]:
    fixture, pdf, root, tag, _ = KINDS[kind]
    path = pdf(request.getfixturevalue(fixture))
    if path not in _read:
        _read[path] = eye.read(path)
    return _read[path], known(root, tag)


def failed(kind: str, problems: list[str]) -> str:
    return f"{kind}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("kind", KINDS)
def test_no_choice_id_or_python_repr_is_printed(request, kind):
    doc, defs = look(request, kind)
    problems = eye.raw_text(doc, defs)
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", KINDS)
def test_no_field_or_row_stands_alone_at_a_page_top_or_foot(request, kind):
    doc, defs = look(request, kind)
    problems = eye.lone_at_top(doc, defs)
    if KINDS[kind][4]:  # answers as text or form fields: a label must not end a page without its answer
        problems += eye.label_at_foot(doc, defs)
    assert doc.looked["labels"] > 20, f"{kind}: the eye found no field labels to look at"
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_under_a_third_full_unless_a_chapter_or_worksheet_ends_there(request, kind):
    doc, _ = look(request, kind)
    problems = eye.short_pages(doc)
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", KINDS)
def test_every_rating_scale_sits_on_one_line(request, kind):
    doc, defs = look(request, kind)
    problems = eye.split_scales(doc, defs)
    if kind in ("instruments blank", "instruments fillable"):
        assert doc.looked["scales"] >= 2, f"{kind}: no printed scale found"
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", INSTRUMENT_KINDS)
def test_rating_anchors_are_printed_as_a_legend(request, kind):
    doc, defs = look(request, kind)
    problems = eye.missing_anchors(doc, defs)
    assert doc.looked["anchored"] >= 1, f"{kind}: the skills matrix was not found"
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", FORMS)
def test_every_form_widget_sits_inside_the_text_frame(request, kind):
    doc, _ = look(request, kind)
    problems = eye.widgets_outside(doc)
    assert doc.looked["widgets"] > 100, f"{kind}: no form fields found"
    assert not problems, failed(kind, problems)


@pytest.mark.parametrize("kind", INSTRUMENT_KINDS)
def test_each_signature_block_shares_the_page_of_its_sections_heading(request, kind):
    doc, defs = look(request, kind)
    problems = eye.signatures_apart(doc, defs)
    assert doc.looked["signatures"] == 4, f"{kind}: {doc.looked['signatures']} signature blocks, not 4"
    assert not problems, failed(kind, problems)


# -- the eye itself ----------------------------------------------------------------------

FLAWED = """<!DOCTYPE html><html lang="en"><head><style>
@page { size: letter; margin: 20mm 18mm; }
body { font: 10pt sans-serif; margin: 0; }
h1, h2, h3 { font-family: serif; }
h1 { bookmark-level: 1; } h2 { bookmark-level: 2; } h3 { bookmark-level: none; }
b { display: block; margin-top: 4pt; }
.scale { width: 50pt; }
.scale span { display: inline-block; width: 12pt; }
.next { break-before: page; }
input { position: absolute; left: -12mm; width: 40mm; height: 12pt; }
</style></head><body>
<h1>Chapter</h1>
<h2>Sheet</h2>
<h3>First card</h3>
<b>START DATE</b><p>1 March 2026</p>
<b>Skills</b><div class="scale"><span>1</span><span>2</span><span>3</span><span>4</span><span>5</span></div>
<p><span>me</span> <span>mentor</span> <span>both</span></p><p>{'goal': 'x'}</p>
<h3>Second card</h3>
<b>PURPOSE</b>
<div class="next"><b>REVIEW DATE</b><p>1 April 2027</p></div>
<h3>Third card</h3>
<b>Printed name</b>
<form><input type="text" name="mb:sheet/field" title="A field"></form>
<div class="next"><p>A page of one line, and more of the same chapter after it.</p></div>
<div class="next"><b>START DATE</b><p>1 March 2026</p><b>REVIEW DATE</b><p>1 April 2027</p></div>
</body></html>"""


def test_the_eye_sees_each_flaw(tmp_path):
    """A page with every flaw the eye looks for, each found and named."""
    from mentorbook.fields.fielddef import Choice, FieldDef
    from mentorbook.print.pdf import html_to_pdf

    pdf, _ = html_to_pdf(FLAWED, None, [], f"{TODAY.isoformat()}T12:00:00+00:00", forms=True)
    path = tmp_path / "flawed.pdf"
    path.write_bytes(pdf)
    doc = eye.read(path)
    owner = FieldDef("owner", "Owner", "choice", choices=(Choice("me", "Me"), Choice("mentor", "Mentor"),
                                                           Choice("both", "Both")))
    defs = eye.Instruments({"start date", "review date", "purpose", "skills"}, [], {(1, 5)},
                           [("Skills", ((1, "Novice"), (5, "Expert")))], {"Signatures"}, "Printed name")
    defs.choices.append(tuple((c.value, c.label) for c in owner.choices))

    assert eye.raw_text(doc, defs) == [
        "p.1: a Python repr: \"{'goal': 'x'}\"",
        "p.1: the choice ids 'me mentor' where the labels 'Me Mentor' belong",
        "p.1: the choice ids 'mentor both' where the labels 'Mentor Both' belong"]
    assert eye.split_scales(doc, defs) == ["p.1: the scale 1 to 5 runs over 2 lines"]
    assert eye.missing_anchors(doc, defs) == ["p.1: 'Skills' does not print its anchor '1 = Novice'",
                                              "p.1: 'Skills' does not print its anchor '5 = Expert'"]
    assert eye.lone_at_top(doc, defs) == [
        "p.1: 'Second card' and one field ('PURPOSE') alone at the foot of the page, the rest on p.2",
        "p.2: the field 'REVIEW DATE' alone at the top of the page, the rest of its group on p.1"]
    assert eye.label_at_foot(doc, defs) == ["p.1: the label 'PURPOSE' ends the page, its answer on p.2"]
    assert [p.split(" at ")[0] for p in eye.widgets_outside(doc)] == ["p.2: a widget"]
    assert eye.signatures_apart(doc, defs) == [
        "p.2: a signature block under 'Third card', not under its section's heading (one of ['Signatures'])"]
    assert [p.split(":")[0] for p in eye.short_pages(doc)] == ["p.2", "p.3"]  # p.4 ends the document
