"""Incremental, reproducible builds and the --format choices."""

from __future__ import annotations

import io
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, poppler_text
from pypdf import PdfReader

import mentorbook.print.pdf as pdf_module
from mentorbook import BuildOptions, build
from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.print.pdf import PRINT_HTML
from mentorbook.program.config import load_project
from mentorbook.site import render as site_render


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "me.yml"
    shutil.copy(SAMPLE_WORKBOOK, path)
    return path


def test_nothing_changed_means_nothing_rendered(sample_build, sample_output, monkeypatch):
    first = sample_build  # sample_output is a copy of what it wrote
    assert "workbook.pdf" in first.rendered and "site/index.html" in first.rendered
    options = BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=sample_output, today=TODAY)
    before = {p: p.stat().st_mtime_ns for p in sample_output.rglob("*") if p.is_file()}

    def forbidden(*args, **kwargs):
        raise AssertionError("nothing should be rendered")

    monkeypatch.setattr(pdf_module, "layout", forbidden)  # whole or side by side
    monkeypatch.setattr(site_render, "site_files", forbidden)
    monkeypatch.setattr(pdf_module, "print_html", forbidden)
    second = build(options)
    assert second.up_to_date and second.rendered == [] and second.files == []
    after = {p: p.stat().st_mtime_ns for p in sample_output.rglob("*") if p.is_file()}
    assert after == before


def test_cli_says_when_nothing_changed(sample_output, capsys):
    # the sample was built into sample_output with these inputs
    assert main(["build", "--out", str(sample_output), "--today", TODAY.isoformat()]) == 0
    assert "Up to date" in capsys.readouterr().err


def test_one_answer_changed_rebuilds_the_pdf_and_pages_that_show_it(sample_output, workbook):
    options = BuildOptions(workbook=workbook, out_dir=sample_output, today=TODAY)  # the sample, built there
    before = files_of(sample_output)
    workbook.write_text(workbook.read_text().replace("Outline shared; rehearsal set for September",
                                                     "Outline shared; rehearsal moved to late September"))
    result = build(options)
    assert "workbook.pdf" in result.rendered
    after = files_of(sample_output)
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"site/cultivate.html", "workbook.pdf", "site/workbook.pdf", f"print/{PRINT_HTML}"} <= changed
    assert "site/self-reflect.html" not in changed and "site/assets/style.css" not in changed
    assert "rehearsal moved to late September" in " ".join(poppler_text(sample_output / "workbook.pdf").split())


def test_site_only_change_does_not_lay_out_the_pdf_again(tmp_path):
    project_dir = tmp_path / "program"
    shutil.copytree(CONTENT_DIR / "examples" / "program", project_dir)
    with (project_dir / "mentorbook.yml").open("a", encoding="utf-8") as config:
        config.write("practices: [self-reflect]\n")  # a shorter PDF: whether it is laid out again is the point
    out = tmp_path / "out"
    assert build(BuildOptions(out_dir=out, blank=True, project=load_project(project_dir))).rendered
    (project_dir / "templates").mkdir()
    (project_dir / "templates" / "site.css").write_text((CONTENT_DIR.parent / "templates" / "site.css").read_text()
                                                         + "\n.brand-link { letter-spacing: 0.05em; }\n")
    result = build(BuildOptions(out_dir=out, blank=True, project=load_project(project_dir)))
    assert not result.up_to_date
    assert "workbook.pdf" not in result.rendered
    assert "letter-spacing: 0.05em" in (out / "site" / "assets" / "style.css").read_text()


def test_two_builds_are_byte_identical(sample_build, tmp_path):
    build(BuildOptions(out_dir=tmp_path / "b", today=TODAY))  # the same inputs as sample_build
    a, b = files_of(sample_build.out_dir), files_of(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_source_date_epoch_sets_the_pdf_dates(tmp_path, monkeypatch, short_guide):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")  # 2026-01-01 12:00 UTC
    result = build(BuildOptions(out_dir=tmp_path, blank=True, format="pdf", project=load_project(short_guide)))
    meta = PdfReader(result.pdf).metadata
    assert meta["/CreationDate"].startswith("D:20260101") and meta["/ModDate"].startswith("D:20260101")


def test_format_html_builds_only_the_site(tmp_path):
    result = build(BuildOptions(out_dir=tmp_path, format="html", today=TODAY))
    assert result.site_index.is_file() and not result.pdf.exists() and not (tmp_path / "print").exists()
    home = BeautifulSoup(result.site_index.read_text(), "html.parser")
    assert home.find("a", href="workbook.pdf") is None


def test_format_pdf_keeps_a_print_layout_that_bare_weasyprint_renders(tmp_path, short_guide):
    import weasyprint

    result = build(BuildOptions(out_dir=tmp_path, format="pdf", today=TODAY, project=load_project(short_guide)))
    assert result.pdf.is_file() and not (tmp_path / "site").exists()
    print_dir = tmp_path / "print"
    html = (print_dir / PRINT_HTML).read_text()
    assert '<link rel="stylesheet" href="print.css">' in html
    assert (print_dir / "print.css").is_file() and list((print_dir / "fonts").glob("*.ttf"))
    bare = PdfReader(io.BytesIO(weasyprint.HTML(filename=str(print_dir / PRINT_HTML)).write_pdf()))
    ours = PdfReader(result.pdf)
    assert len(bare.pages) == len(ours.pages)
    assert bare.pages[4].extract_text() == ours.pages[4].extract_text()


def test_fingerprints_follow_what_they_depend_on(tmp_path, workbook):
    from mentorbook.core.incremental import print_key, still_there
    from mentorbook.pipeline import input_key
    from mentorbook.staff.cohort import trainee_key
    from mentorbook.staff.roster import RosterRow

    options = BuildOptions(workbook=workbook, today=TODAY)
    key = input_key(options, TODAY)
    assert input_key(options, TODAY) == key
    assert input_key(BuildOptions(workbook=workbook, page_size="a4"), TODAY) != key
    assert input_key(options, TODAY.replace(day=26)) != key
    workbook.write_text(workbook.read_text().replace("Honest feedback", "Candid feedback"))
    assert input_key(options, TODAY) != key

    assert print_key({"a.html": "x", "b.css": "y"}) == print_key({"b.css": "y", "a.html": "x"})
    assert print_key({"a.html": "x"}) != print_key({"a.html": "z"})

    row = RosterRow(line=2, name="Person A", workbook=workbook)
    mine = trainee_key("base", "person-a", row, blank=False)
    assert trainee_key("base", "person-a", row, blank=True) != mine
    workbook.write_text(workbook.read_text() + "\n# edited\n")
    assert trainee_key("base", "person-a", row, blank=False) != mine

    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    known = {"key": "k", "files": ["a.pdf"]}
    assert still_there(tmp_path, known, "k") and not still_there(tmp_path, known, "other")
    assert not still_there(tmp_path, {"key": "k", "files": ["a.pdf", "gone.pdf"]}, "k")
    assert not still_there(tmp_path, None, "k")
