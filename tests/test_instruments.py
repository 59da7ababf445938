"""The instruments example: a program's own compact and IDP, in every output and back.

content/examples/instruments/ replaces the built-in agreement with a mentoring compact
(headings, instructions, a check box, yes/no, multiple choice, a number with a unit,
two signature blocks) and adds an individual development plan (a skills matrix with
rating anchors, conditional display, goals that feed the insights through roles).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import jsonschema
import pikepdf
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import TODAY, page_texts
from pypdf import PdfReader, PdfWriter

from mentorbook.base.paths import CONTENT_DIR
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_sources
from mentorbook.core.validate import validate
from mentorbook.print.forms import PROFILE_ID, parse_name
from mentorbook.program.config import load_project
from mentorbook.program.definitions import PROFILE

PROJECT = CONTENT_DIR / "examples" / "instruments"
WORKBOOK = PROJECT / "workbook.yml"
OWN = ("agreements", "development_plan")  # the program's two instruments


@pytest.fixture(scope="module")
def built(instruments_outputs) -> dict[str, Path]:
    return instruments_outputs


def page_with(reader: PdfReader, text: str) -> str:
    pages = page_texts(reader)
    found = [t for t in pages if text in t]
    assert found, f"no page shows {text!r}"
    return "\n".join(found)


def test_check_passes_and_the_idp_goals_feed_the_insights(capsys):
    assert main(["check", str(WORKBOOK), "--project", str(PROJECT), "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert " 0 errors" in text
    assert "goal 'Lead four simulation sessions for junior residents' was due on 15 November 2026" in text


def test_the_schema_validates_the_workbook(tmp_path, capsys):
    assert main(["schema", "--project", str(PROJECT)]) == 0
    schema = json.loads(capsys.readouterr().out)
    data = yaml.safe_load(WORKBOOK.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    data["development_plan"]["skills"][0]["self"] = 9  # off the 1-5 scale
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_the_site_shows_both_instruments_in_definition_order(built):
    pages = {p.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser") for p in built["site"].glob("*.html")}
    html = "\n".join(str(p) for p in pages.values())
    assert "Mentoring compact" in html and "Individual development plan" in html
    compact = next(s for s in pages.values() if s.find(string="Mentoring compact"))
    text = compact.get_text(" ", strip=True)
    order = ["Goals of our relationship", "How we meet", "Confidentiality", "Ground rules",
             "Feedback both ways", "How the relationship ends", "Signatures"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    assert "Ingrid Solheim-Abara" in text and "45 minutes" in text
    idp = next(s for s in pages.values() if s.find(string="Individual development plan"))
    matrix = idp.find("th", string="Running a simulation session")  # the trainee's own row
    assert matrix is not None and matrix.get("scope") == "row"
    assert "Mentor's comments" in idp.get_text()  # reviewed: true, so the comments show


def test_the_guidance_names_the_compact_where_it_names_the_agreement(built):
    """The built-in guidance points to the worksheet by id ({worksheet:agreements}), so a
    program's replacement is named by its own title."""
    establish = next(p for p in built["site"].glob("*.html")
                     if "Mentoring compact" in p.read_text(encoding="utf-8") and "establish" in p.name)
    prose = BeautifulSoup(establish.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)
    assert "The “Mentoring compact” worksheet gives you a place" in prose
    assert "Mentoring agreement" not in prose and "{worksheet:" not in prose
    printed = " ".join(" ".join(page_texts(PdfReader(built["filled"]))).split())
    assert "The “Mentoring compact” worksheet gives you a place" in printed
    assert "Mentoring agreement" not in printed


def test_the_pdfs_show_the_instruments(built):
    filled = PdfReader(built["filled"])
    compact = page_with(filled, "Signatures")
    assert "Tomás Ferreira-Lund" in compact and "Printed name" in compact
    assert "Running a simulation session" in page_with(filled, "Skills self-assessment")
    blank = PdfReader(built["blank"])
    assert "Negotiating for time and resources" in page_with(blank, "Skills self-assessment")
    assert "(from 15 to 180)" in page_with(blank, "Usual length")


def test_the_fillable_pdf_has_a_signature_field_per_signature_block(built):
    with pikepdf.open(built["fillable"]) as pdf:
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Sig"]
    assert "mb:agreements[0]/mentee_signature/_sign" in names
    assert "mb:development_plan/mentor_signature/_sign" in names


# --- every field filled in with pypdf, then imported --------------------------------------


def definitions() -> dict[str, Any]:
    sources, _ = load_sources(load_project(PROJECT))
    return {PROFILE_ID: PROFILE, **{d.id: d.as_field() for d in sources.definitions}}


def fill_everything(pdf: Path, target: Path) -> dict[str, Any]:
    """Tick, choose or type an answer into every form field; the answers by workbook path."""
    sheets = definitions()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(pdf)
    values: dict[str, str] = {}
    expected: dict[str, Any] = {}
    for n, (name, field) in enumerate(sorted(reader.get_fields().items())):
        steps = parse_name(name)
        if steps is None or field.get("/FT") == "/Sig" or "." in name:
            continue
        fdef = sheets[steps[0].key]
        parents = [fdef]
        for step in steps[1:]:
            fdef = fdef.child(step.key) if fdef is not None else None
            parents.append(fdef)
        path = ".".join(s.key + (f"[{s.index}]" if s.index is not None else "") for s in steps)
        owner = parents[-2]
        if field.get("/FT") == "/Btn":
            if "/Kids" in field:  # a radio group: the last choice
                states = [str(k)[1:] for kid in field["/Kids"] for k in kid.get_object()["/AP"]["/N"] if k != "/Off"]
                values[name] = "/" + states[-1]
                expected[path] = int(states[-1]) if fdef.type == "rating" else states[-1]
            elif fdef.type == "multi_choice":  # one box of a multiple choice (all are ticked)
                values[name] = "/Yes"
                expected[path] = fdef.choices[steps[-1].index].value
            else:  # a check box
                values[name] = "/Yes"
                expected[path] = True
            continue
        if owner is not None and owner.type == "signature":
            fdef_type = "date" if steps[-1].key == "date" else "text"
        elif fdef is None or steps[-1].key == "item":
            fdef_type = "text"
        else:
            fdef_type = fdef.type
        if steps[-1].key == "item" and field.get("/V"):
            expected[path] = str(field["/V"])  # a suggested row's label, printed in the form
            continue
        if fdef_type == "date":
            day = dt.date(2027, 1, 1) + dt.timedelta(days=n)
            values[name], expected[path] = day.isoformat(), day
        elif fdef_type == "number":
            number = fdef.min if fdef.min is not None else n
            values[name], expected[path] = str(number), number
        elif steps[-1].key == "mentor" and steps[0].key in ("agreements", "meetings", "transitions"):
            values[name] = expected[path] = "Mentor 0"
        elif steps[0].key == "mentors" and steps[-1].key == "name":
            values[name] = expected[path] = f"Mentor {steps[0].index}"
        elif fdef_type == "longtext":
            values[name] = expected[path] = f"First line {n}\nsecond line {n}"
        else:
            values[name] = expected[path] = f"Answer {n} Dvořák"
    writer = PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)
    return expected


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every answer by its path, e.g. ``agreements[0].formats[1]``; texts without a final newline."""
    if isinstance(value, dict):
        return {k: v for key, child in value.items()
                for k, v in flatten(child, f"{path}.{key}" if path else key).items()}
    if isinstance(value, list):
        return {k: v for i, child in enumerate(value) for k, v in flatten(child, f"{path}[{i}]").items()}
    return {path: value.rstrip("\n") if isinstance(value, str) else value}


def answers(path: Path) -> dict[str, Any]:
    """A workbook file's answers as validation reads them (YAML's yes is yes_no's "yes")."""
    checked = validate(read_yaml(path), list(load_sources(load_project(PROJECT))[0].definitions), path)
    assert [p for p in checked.problems if p.severity == "error"] == []
    return checked.data


def test_every_answer_typed_ticked_or_chosen_comes_back_through_import(built, tmp_path, capsys):
    target = tmp_path / "returned.pdf"
    expected = fill_everything(built["fillable"], target)
    out = tmp_path / "returned.yml"
    assert main(["import", str(target), "-o", str(out), "--project", str(PROJECT), "-q"]) == 0, capsys.readouterr()
    got = flatten(answers(out))
    own = {p: v for p, v in expected.items() if p.split(".")[0].split("[")[0] in OWN}
    assert len(own) > 80
    kinds = list(own.values())
    assert any(v is True for v in kinds) and "agreements[0].formats[2]" in own  # check boxes, multiple choice
    assert any(isinstance(v, int) and not isinstance(v, bool) for v in kinds)  # ratings, numbers
    assert any(isinstance(v, dt.date) for v in kinds) and any(isinstance(v, str) for v in kinds)
    assert {p: got.get(p) for p in own} == own
    assert main(["check", str(out), "--project", str(PROJECT), "--today", TODAY.isoformat()]) == 0


def test_the_prefilled_fillable_pdf_imports_as_the_workbook(tmp_path, capsys):
    out = tmp_path / "form"
    assert main(["build", str(WORKBOOK), "--fillable", "--format", "pdf", "--out", str(out),
                 "--project", str(PROJECT), "--today", TODAY.isoformat()]) == 0
    back = tmp_path / "back.yml"
    assert main(["import", str(out / "workbook.pdf"), "-o", str(back), "--project", str(PROJECT), "-q"]) == 0
    got, want = answers(back), answers(WORKBOOK)
    for sheet in OWN:
        assert flatten(got[sheet]) == flatten(want[sheet]), sheet


@pytest.mark.parametrize("kind", ["filled", "blank", "fillable"])
def test_the_instruments_pdfs_pass_the_pdf_ua_checks(built, kind):
    import pdfua_check

    assert pdfua_check.check(built[kind]) == []


@pytest.mark.parametrize("kind", ["filled", "blank", "fillable"])
def test_every_word_of_the_print_layout_is_in_the_text_layer(built, kind):
    from pdfwords import missing, pdf_words, print_layout

    expected = print_layout(built[kind].parent / "print")
    assert sum(expected.values()) > 150
    assert missing(expected, pdf_words(built[kind])) == {}


# --- signatures and choices as a form designer prints them ---------------------------------


def test_an_unsigned_signature_prints_a_line_to_sign_on(tmp_path):
    """The mentor has not signed the compact yet: the filled workbook prints the mentor's
    block with lines for the name, the signature and the date, kept with its heading."""
    from mentorbook import BuildOptions
    from mentorbook.pipeline import prepare
    from mentorbook.print.pdf import render_print_files

    text = WORKBOOK.read_text(encoding="utf-8")
    signed = "    mentor_signature: {name: Ingrid Solheim-Abara, date: 2026-08-03}\n"
    assert signed in text
    path = tmp_path / "unsigned.yml"
    path.write_text(text.replace(signed, ""), encoding="utf-8")
    project = load_project(PROJECT)
    options = BuildOptions(workbook=path, project=project, today=TODAY)
    html = render_print_files(prepare(options), options.render_options, project)["workbook.html"]
    compact = BeautifulSoup(str(html), "html.parser").find(id="ws-agreements")
    mentee = compact.select_one(".field-mentee_signature .sig-block")
    mentor = compact.select_one(".field-mentor_signature .sig-block")
    assert "Tomás Ferreira-Lund" in mentee.get_text() and "sig-filled" in mentee["class"]
    assert mentor is not None and "sig-filled" not in mentor["class"]
    assert [c.get_text() for c in mentor.select(".sig-caption")] == ["Printed name", "Signature", "Date"]
    assert len(mentor.select(".rule")) == 2 and mentor.select(".datebox .box")
    section = mentor.find_parent(class_="ws-signed")  # printed whole, with its heading
    assert section.select_one(".ws-heading").get_text(strip=True) == "Signatures"
    assert section.select_one(".field-mentee_signature") is not None


def test_blank_forms_print_choice_labels_never_ids(blank_build):
    """On the blank site, as in the blank PDF (see test_eye_pdf), a table's choices are
    printed by their labels: "Me, Mentor, Both", not the ids "me mentor both"."""
    pages = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
             for p in (blank_build.out_dir / "site").glob("*.html")]
    options = [s.get_text(strip=True) for page in pages for s in page.select(".mini-options > span")]
    assert {"Me", "Mentor", "Both", "Open", "Done"} <= set(options)
    assert not {"me", "mentor", "both", "open", "done"} & set(options)
