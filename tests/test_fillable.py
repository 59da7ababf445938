"""Fillable PDFs: worksheets as real form fields, named after where each answer goes."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pdfua_check
import pytest
import yaml
from conftest import TODAY, pdf_text
from pypdf import PdfReader

from mentorbook import BuildOptions, build
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_sources
from mentorbook.print.forms import FORM_MARKER, parse_name
from mentorbook.program.config import load_project
from mentorbook.staff.cohort import build_cohort

MULTILINE = 1 << 12
RADIO = 1 << 15

logging.getLogger("pypdf").setLevel(logging.ERROR)  # WeasyPrint names radio buttons like their group


def widgets(reader: PdfReader) -> dict[str, dict]:
    """Each field by name: its type, flags, value, options, tooltip, page and chosen radio option.

    A radio group's options are its buttons' "on" states, in order (ISO 32000: the
    widgets of one field, each state named after its choice)."""
    found: dict[str, dict] = {}
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") != "/Widget":
                continue
            parent = annotation.get("/Parent")
            field = parent.get_object() if parent is not None else annotation
            entry = found.setdefault(str(field["/T"]), {
                "type": field.get("/FT"), "flags": int(field.get("/Ff", 0)), "value": field.get("/V"),
                "options": [], "tooltip": str(field.get("/TU", "")),
                "maxlen": field.get("/MaxLen"), "page": number, "chosen": None,
            })
            if parent is not None:
                on = [str(k)[1:] for k in annotation["/AP"]["/N"] if k != "/Off"]
                entry["options"] += on
                if str(annotation.get("/AS", "/Off")) != "/Off":
                    entry["chosen"] = on[0]
    return found


@pytest.fixture(scope="module")
def blank_form(fillable_blank) -> Path:
    return fillable_blank


@pytest.fixture(scope="module")
def blank_fields(blank_form) -> dict[str, dict]:
    return widgets(PdfReader(blank_form))


@pytest.fixture(scope="module")
def sample_form(fillable_sample) -> dict[str, dict]:
    return widgets(PdfReader(fillable_sample))


def test_the_pdf_is_marked_as_a_mentorbook_form(blank_form, blank_pdf):
    reader = PdfReader(blank_form)
    assert reader.metadata[f"/{FORM_MARKER}"] == "1"
    assert "/AcroForm" in reader.trailer["/Root"]
    assert "/AcroForm" not in blank_pdf.trailer["/Root"]  # only when asked for
    assert f"/{FORM_MARKER}" not in (blank_pdf.metadata or {})


def test_every_field_is_named_after_where_its_answer_goes(blank_fields):
    names = set(blank_fields)
    assert all(parse_name(name) for name in names), [n for n in names if not parse_name(n)]
    sources, _ = load_sources()
    sheets = {d.id: d for d in sources.definitions}
    for i in range(sheets["mentors"].blank_copies):  # one copy per printed copy
        assert f"mb:mentors[{i}]/name" in names and f"mb:mentors[{i}]/competence" in names
    assert f"mb:mentors[{sheets['mentors'].blank_copies}]/name" not in names
    assert {f"mb:self_reflection/values[{i}]" for i in range(4)} <= names
    assert {f"mb:self_reflection/goals[{i}]/target_date" for i in range(4)} <= names
    assert {f"mb:meetings[{m}]/action_items[{r}]/task" for m in range(2) for r in range(4)} <= names
    assert {"mb:agreements[0]/agenda/topics", "mb:agreements[0]/agenda/topic_list[2]", "mb:trainee/name",
            "mb:trainee/start_date", "mb:transitions[0]/outcome"} <= names


def test_field_types_follow_the_definitions(blank_fields):
    assert blank_fields["mb:trainee/name"]["type"] == "/Tx"
    assert not blank_fields["mb:trainee/name"]["flags"] & MULTILINE
    assert blank_fields["mb:self_reflection/past_experiences"]["flags"] & MULTILINE  # longtext
    assert blank_fields["mb:self_reflection/goals[0]/specific"]["flags"] & MULTILINE  # text with 2 lines
    date = blank_fields["mb:meetings[0]/date"]
    assert date["type"] == "/Tx" and date["maxlen"] == 10 and "YYYY-MM-DD" in date["tooltip"]
    structure = blank_fields["mb:self_reflection/structure"]
    assert structure["type"] == "/Btn" and structure["flags"] & RADIO
    assert structure["options"] == ["light", "moderate", "close"]
    assert blank_fields["mb:mentors[0]/competence"]["options"] == ["1", "2", "3", "4", "5"]
    assert blank_fields["mb:meetings[1]/action_items[3]/owner"]["options"] == ["me", "mentor", "both"]


def test_fields_have_readable_tooltips(blank_fields):
    assert blank_fields["mb:mentors[1]/first_meeting"]["tooltip"] == "Mentor map 2: First meeting (YYYY-MM-DD)"
    assert blank_fields["mb:self_reflection/goals[2]/title"]["tooltip"] == "Self-reflection: Career goals 3: Goal"
    assert all(f["tooltip"] and not f["tooltip"].startswith("mb:") for f in blank_fields.values())


def test_suggested_rows_are_printed_and_marked(blank_fields):
    sources, _ = load_sources()
    skills = next(d for d in sources.definitions if d.id == "self_reflection").child("skill_areas")
    for i, suggestion in enumerate(skills.suggestions):
        assert blank_fields[f"mb:self_reflection/skill_areas[{i}*]/area"]["value"] == suggestion
    rows = len(skills.suggestions)
    assert blank_fields[f"mb:self_reflection/skill_areas[{rows}]/area"]["value"] == ""


def test_the_form_keeps_the_blank_layout(blank_form, blank_pdf):
    form = PdfReader(blank_form)
    assert 0 <= len(form.pages) - len(blank_pdf.pages) <= 2  # the "About me" page
    text = pdf_text(form)
    for label in ("About me", "Earlier mentoring experiences", "Mentor map", "Mentoring agreement",
                  "Action items", "YYYY-MM-DD", "Assigned mentor", "Keep in touch"):
        assert label in text


def test_answers_are_the_fields_values(sample_form):
    sample = read_yaml(SAMPLE_WORKBOOK)
    assert sample_form["mb:trainee/name"]["value"] == sample["trainee"]["name"]
    goal = sample["self_reflection"]["goals"][0]
    assert sample_form["mb:self_reflection/goals[0]/title"]["value"] == goal["title"]
    assert sample_form["mb:self_reflection/goals[0]/target_date"]["value"] == str(goal["target_date"])
    assert sample_form["mb:self_reflection/goals[0]/term"]["chosen"] == goal["term"]
    assert sample_form["mb:self_reflection/past_experiences"]["value"] == \
        sample["self_reflection"]["past_experiences"].strip()
    values = sample["self_reflection"]["values"]
    assert [sample_form[f"mb:self_reflection/values[{i}]"]["value"] for i in range(len(values))] == values
    assert sample_form[f"mb:self_reflection/values[{len(values)}]"]["value"] == ""  # room for one more
    mentor = sample["mentors"][0]
    assert sample_form["mb:mentors[0]/competence"]["chosen"] == str(mentor["competence"])
    assert sample_form["mb:mentors[0]/found_via"]["chosen"] == mentor["found_via"]
    assert sample_form["mb:mentors[1]/found_via"]["chosen"] == sample["mentors"][1]["found_via"]
    meetings = sample["meetings"]
    assert f"mb:meetings[{len(meetings)}]/date" in sample_form  # and an empty copy for the next one
    assert sample_form[f"mb:meetings[{len(meetings)}]/date"]["value"] == ""


def test_the_fillable_flag_is_part_of_the_build_inputs(fillable_blank, tmp_path, capsys):
    out = Path(shutil.copytree(fillable_blank.parent, tmp_path / "out"))  # as if just built here
    args = ["build", "--blank", "--format", "pdf", "--out", str(out), "--today", TODAY.isoformat()]
    assert main(args + ["--fillable"]) == 0
    assert "Up to date" in capsys.readouterr().err
    assert main(args) == 0
    assert "Up to date" not in capsys.readouterr().err
    assert "/AcroForm" not in PdfReader(out / "workbook.pdf").trailer["/Root"]
    assert main(args) == 0
    assert "Up to date" in capsys.readouterr().err


def test_the_site_is_the_same_with_or_without_forms(tmp_path):
    sites = []
    for name, fillable in (("plain", False), ("form", True)):
        out = tmp_path / name
        build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=out, fillable=fillable, today=TODAY, format="html"))
        sites.append({p.relative_to(out): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()})
    assert sites[0] == sites[1]


def test_a_fillable_cohort(tmp_path):
    project = tmp_path / "program"  # the two practices whose forms the roster fills in: shorter PDFs
    project.mkdir()
    (project / "mentorbook.yml").write_text("practices: [identify-mentors, establish]\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,program,mentors\n"
                      "Amara Nwosu,MS3 student,MD Program,Dr. Helen Osei\n"
                      "Rahul Iyer,PGY-2 resident,Internal Medicine,Dr. Helen Osei;Dr. Tomas Berg\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = build_cohort(roster, out, jobs=1, today=TODAY, fillable=True, project=load_project(project))
    assert result.failures == []
    rahul = widgets(PdfReader(out / "trainees" / "rahul-iyer.pdf"))
    assert rahul["mb:trainee/name"]["value"] == "Rahul Iyer"
    assert [rahul[f"mb:mentors[{i}]/name"]["value"] for i in range(2)] == ["Dr. Helen Osei", "Dr. Tomas Berg"]
    assert rahul["mb:mentors[1]/found_via"]["chosen"] == "assigned"
    assert rahul["mb:agreements[1]/mentor"]["value"] == "Dr. Tomas Berg"
    assert rahul["mb:mentors[3]/name"]["value"] == ""  # blank copies after the assigned ones
    assert pdfua_check.check(out / "trainees" / "rahul-iyer.pdf") == [], "stitched from shared pages, still PDF/UA"
    combined = widgets(PdfReader(out / "cohort.pdf"))
    assert combined["amara-nwosu/mb:trainee/name"]["value"] == "Amara Nwosu"
    assert combined["rahul-iyer/mb:trainee/name"]["value"] == "Rahul Iyer"
    assert len(combined) == len(rahul) + len(widgets(PdfReader(out / "trainees" / "amara-nwosu.pdf")))
    assert main(["import", str(out / "trainees" / "rahul-iyer.pdf"), "--project", str(project),
                 "-o", str(tmp_path / "rahul.yml"), "-q"]) == 0
    assert yaml.safe_load((tmp_path / "rahul.yml").read_text(encoding="utf-8")) == {
        "trainee": {"name": "Rahul Iyer", "role": "PGY-2 resident", "program": "Internal Medicine"},
        "mentors": [{"name": "Dr. Helen Osei", "found_via": "assigned"},
                    {"name": "Dr. Tomas Berg", "found_via": "assigned"}],
        "agreements": [{"mentor": "Dr. Helen Osei"}, {"mentor": "Dr. Tomas Berg"}],
    }
