"""mentorbook import: a fillable PDF filled in with pypdf comes back as the same answers."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import TODAY
from pypdf import PdfReader, PdfWriter

from mentorbook import BuildOptions, build
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_sources
from mentorbook.core.validate import validate
from mentorbook.print.forms import PROFILE_ID, parse_name
from mentorbook.program.definitions import PROFILE

REF_FIELDS = {"mentor"}  # must name someone on the mentor map


def field_types() -> dict[str, Any]:
    sources, _ = load_sources()
    return {PROFILE_ID: PROFILE, **{d.id: d.as_field() for d in sources.definitions}}


def definition_of(name: str, sheets: dict[str, Any]):
    steps = parse_name(name)
    fdef = sheets[steps[0].key]
    for step in steps[1:]:
        fdef = fdef.child(step.key)
    return fdef


def dotted_path(name: str) -> str:
    return ".".join(s.key + (f"[{s.index}]" if s.index is not None else "") for s in parse_name(name))


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every answer of a workbook by its dotted path, e.g. ``mentors[1].name``."""
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            out.update(flatten(child, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list):
        out = {}
        for i, child in enumerate(value):
            out.update(flatten(child, f"{path}[{i}]"))
        return out
    return {path: value}


def fill_everything(pdf: Path, target: Path) -> dict[str, Any]:
    """Fill every field of a fillable workbook with a valid answer; return the answers by path."""
    sheets = field_types()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # appearance streams are not what is tested here
    reader = PdfReader(pdf)
    fields = reader.get_fields()
    writer = PdfWriter(clone_from=reader)
    values: dict[str, str] = {}
    expected: dict[str, Any] = {}
    for n, (name, field) in enumerate(sorted(fields.items())):
        if not name.startswith("mb:") or "." in name:  # "." : a radio button inside its group
            continue
        fdef = definition_of(name, sheets)
        path = dotted_path(name)
        if field.get("/FT") == "/Btn":
            options = [str(k)[1:] for kid in field["/Kids"] for k in kid.get_object()["/AP"]["/N"] if k != "/Off"]
            values[name] = f"/{options[-1]}"
            last = options[-1]
            expected[path] = int(last) if fdef.type == "rating" else last
            continue
        steps = parse_name(name)
        if fdef.type == "date":
            day = dt.date(2027, 1, 1) + dt.timedelta(days=n)
            values[name], expected[path] = day.isoformat(), day
        elif fdef.type == "number":
            values[name], expected[path] = str(n), n
        elif steps[-1].key in REF_FIELDS:
            values[name] = expected[path] = "Mentor 0"
        elif steps[0].key == "mentors" and steps[-1].key == "name":
            values[name] = expected[path] = f"Mentor {steps[0].index}"
        elif fdef.type == "longtext" or (fdef.type == "text" and fdef.lines > 1):
            values[name] = expected[path] = f"First line {n}\nsecond line {n}"
        else:
            values[name] = expected[path] = f"Answer {n} Ünïcode"
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    writer.write(target)
    return expected


@pytest.fixture(scope="module")
def blank_fillable(fillable_blank) -> Path:
    return fillable_blank


@pytest.fixture(scope="module")
def filled(blank_fillable, tmp_path_factory):
    folder = tmp_path_factory.mktemp("filled")
    target = folder / "filled.pdf"
    expected = fill_everything(blank_fillable, target)
    return target, expected


def test_every_filled_field_comes_back(filled, capsys):
    pdf, expected = filled
    out = pdf.with_name("me.yml")
    assert main(["import", str(pdf), "-o", str(out)]) == 0
    assert f"-> {out}" in capsys.readouterr().out
    imported = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(expected) > 200
    assert flatten(imported) == expected


def test_imported_workbook_checks_and_rebuilds_into_the_same_answers(filled, tmp_path):
    pdf, expected = filled
    out = tmp_path / "me.yml"
    assert main(["import", str(pdf), "-o", str(out), "-q"]) == 0
    assert main(["check", str(out), "--today", TODAY.isoformat()]) == 0
    build(BuildOptions(workbook=out, out_dir=tmp_path / "again", fillable=True, today=TODAY, format="pdf"))
    again = tmp_path / "again.yml"
    assert main(["import", str(tmp_path / "again" / "workbook.pdf"), "-o", str(again), "-q"]) == 0
    assert again.read_text(encoding="utf-8").splitlines()[1:] == out.read_text(encoding="utf-8").splitlines()[1:]


def test_the_sample_survives_a_round_trip(fillable_sample, tmp_path):
    out = tmp_path / "sample.yml"
    assert main(["import", str(fillable_sample), "-o", str(out), "-q"]) == 0
    definitions = list(load_sources()[0].definitions)
    original = validate(read_yaml(SAMPLE_WORKBOOK), definitions, SAMPLE_WORKBOOK)
    back = validate(read_yaml(out), definitions, out)
    assert back.errors == []
    assert back.data == original.data


def test_untouched_suggestions_and_empty_copies_are_left_out(blank_fillable, tmp_path):
    target = tmp_path / "few.pdf"
    writer = PdfWriter(clone_from=PdfReader(blank_fillable))
    writer.update_page_form_field_values(None, {
        "mb:trainee/name": "Ana Silva",
        "mb:self_reflection/skill_areas[2*]/priority": "/high",
        "mb:mentors[1]/name": "Dr. Ines Duarte",
    }, auto_regenerate=False)
    writer.write(target)
    assert main(["import", str(target), "-q"]) == 0
    data = yaml.safe_load(target.with_suffix(".yml").read_text(encoding="utf-8"))
    assert data == {
        "trainee": {"name": "Ana Silva"},
        "self_reflection": {"skill_areas": [{"area": "Research methods", "priority": "high"}]},
        "mentors": [{"name": "Dr. Ines Duarte"}],
    }


def test_a_mistake_in_the_form_is_reported_with_its_page(blank_fillable, tmp_path, capsys):
    target = tmp_path / "wrong.pdf"
    writer = PdfWriter(clone_from=PdfReader(blank_fillable))
    writer.update_page_form_field_values(None, {
        "mb:trainee/name": "Ana Silva",
        "mb:self_reflection/goals[0]/title": "Finish the audit",
        "mb:self_reflection/goals[0]/target_date": "31/12/2027",
    }, auto_regenerate=False)
    writer.write(target)
    page = next(i for i, p in enumerate(PdfReader(target).pages, 1)
                if any(a.get_object().get("/T") == "mb:self_reflection/goals[0]/target_date"
                       for a in p.get("/Annots") or []))
    assert main(["import", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target}, page {page}: error: self_reflection.goals[0].target_date: '31/12/2027' is not a date" in err
    assert "self_reflection.goals[0].term: 'term' is required" in err
    assert "Traceback" not in err
    written = target.with_suffix(".yml")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert f"target_date: 31/12/2027 # mentorbook: fix: page {page}, self_reflection.goals[0].target_date: " \
           "'31/12/2027' is not a date" in [" ".join(line.split()) for line in lines][6]
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["self_reflection"]["goals"] == [
        {"title": "Finish the audit", "target_date": "31/12/2027"}]
    assert main(["check", str(written)]) == 2
    err = capsys.readouterr().out
    line = next(i for i, text in enumerate(lines, 1) if "target_date:" in text)
    assert f"{written}:{line}:20: error: self_reflection.goals[0].target_date: '31/12/2027' is not a date" in err
    assert "self_reflection.goals[0].term: 'term' is required" in err


def test_a_mistyped_date_loses_no_other_answer(filled, tmp_path, capsys):
    pdf, expected = filled
    target = tmp_path / "typo.pdf"
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.update_page_form_field_values(None, {"mb:trainee/start_date": "2026-13-01"}, auto_regenerate=False)
    writer.write(target)
    page = next(i for i, p in enumerate(PdfReader(target).pages, 1)
                if any(a.get_object().get("/T") == "mb:trainee/start_date" for a in p.get("/Annots") or []))
    out = tmp_path / "typo.yml"
    assert main(["import", str(target), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{target}, page {page}: error: trainee.start_date: '2026-13-01' is not a date" in err
    assert f"{out} needs fixing: 1 answer marked" in err
    text = out.read_text(encoding="utf-8")
    assert f"start_date: '2026-13-01' # mentorbook: fix: page {page}, trainee.start_date: '2026-13-01' is not a " \
           "date" in " ".join(text.split())
    got = flatten(yaml.safe_load(text))
    assert got == {**expected, "trainee.start_date": "2026-13-01"}  # every other answer as it was typed
    assert main(["check", str(out)]) == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "start_date:" in t)
    assert f"{out}:{line}:15: error: trainee.start_date: '2026-13-01' is not a date" in capsys.readouterr().out
    assert main(["import", str(target), "-o", str(out)]) == 2  # never over a workbook that is there
    assert "already exists" in capsys.readouterr().err
    report = tmp_path / "report"
    assert main(["report", str(tmp_path), "-o", str(report), "--today", TODAY.isoformat(), "--format", "csv",
                 "-q"]) == 1  # written
    rows = (report / "report.csv").read_text(encoding="utf-8").splitlines()
    row = next(r for r in rows[1:] if "typo.yml" in r)
    assert ",needs fixing," in row and "trainee.start_date: '2026-13-01' is not a date" in row
    assert not any("typo.pdf" in r for r in rows[1:])  # the PDF is read through the workbook beside it


def test_pdfs_not_made_by_mentorbook_are_refused(tmp_path, sample_build, capsys):
    import weasyprint

    other = tmp_path / "other.pdf"
    weasyprint.HTML(string='<form><input name="name" value="x"></form>').write_pdf(other, pdf_forms=True)
    garbage = tmp_path / "notes.pdf"
    garbage.write_text("just some text", encoding="utf-8")
    for pdf in (sample_build.pdf, other, garbage):
        assert main(["import", str(pdf), "-o", str(tmp_path / "x.yml")]) == 2
        err = capsys.readouterr().err
        assert str(pdf) in err and "Traceback" not in err
        assert "not a fillable workbook made by mentorbook" in err or "not a PDF file" in err
    assert not (tmp_path / "x.yml").exists()


def test_existing_workbooks_are_kept_unless_forced(filled, tmp_path, capsys):
    pdf, _ = filled
    out = tmp_path / "mine.yml"
    out.write_text("trainee: {name: Me}\n", encoding="utf-8")
    assert main(["import", str(pdf), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "trainee: {name: Me}\n"
    assert main(["import", str(pdf), "-o", str(out), "--force", "-q"]) == 0
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["trainee"]["name"] != "Me"


def test_a_folder_of_returned_pdfs(filled, fillable_sample, sample_build, tmp_path, capsys):
    pdf, expected = filled
    returned = tmp_path / "returned"
    returned.mkdir()
    shutil.copy(pdf, returned / "ana-silva.pdf")
    shutil.copy(fillable_sample, returned / "ben-okafor.pdf")  # another trainee's
    shutil.copy(sample_build.pdf, returned / "scanned.pdf")
    (returned / "notes.txt").write_text("not a PDF", encoding="utf-8")
    code = main(["import", str(returned), "-o", str(tmp_path / "workbooks")])
    out, err = capsys.readouterr()
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "workbooks").iterdir()) == ["ana-silva.yml", "ben-okafor.yml"]
    assert f"{returned / 'scanned.pdf'}: not imported" in err and "2 of 3 PDFs imported" in err
    data = yaml.safe_load((tmp_path / "workbooks" / "ana-silva.yml").read_text(encoding="utf-8"))
    assert flatten(data) == expected
