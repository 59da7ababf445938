"""Hardening, round two: each of the thirteen defects of the hostile-input review,
reproduced, and the rule that now refuses it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY, write
from pypdf import PdfReader

from mentorbook.base import limits, markup
from mentorbook.base.markup import safe_href, sanitize_html
from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.staff.roster import read_roster

SAMPLE = SAMPLE_WORKBOOK.read_text(encoding="utf-8")
CLI = [sys.executable, "-c", "import sys; from mentorbook.cli import main; sys.exit(main())"]


def run(args: list[str], capsys) -> tuple[int, str]:
    """The CLI's exit status and what it printed (problems from `check` go to stdout,
    errors of other commands to stderr); a traceback fails the test."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text
    return code, text


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    folder = tmp_path / "prog"
    assert main(["init", str(folder)]) == 0
    capsys.readouterr()
    return folder


# 1. huge integers ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["9" * 5000, "0x" + "f" * 3600, "-" + "1" * 4301])
def test_huge_integers_in_a_workbook_are_located_errors(tmp_path, capsys, value):
    wb = write(tmp_path, "wb.yml", SAMPLE.replace("  name: Dr. Lena Marchetti", f"  name: Lena\n  years: {value}"))
    code, err = run(["check", wb], capsys)
    assert code == 2 and re.search(r"wb\.yml:\d+:\d+: error: .* is a number of .* digits; at most 15", err)
    assert len(err.splitlines()[0]) < 300


def test_huge_integers_in_config_and_front_matter(project, capsys):
    config = project / "mentorbook.yml"
    config.write_text(config.read_text() + f"\nextra: {'7' * 5000}\n")
    code, err = run(["check", "--project", project, SAMPLE_WORKBOOK], capsys)
    assert code == 2 and "mentorbook.yml:" in err and "digits" in err
    config.write_text(config.read_text().replace(f"\nextra: {'7' * 5000}\n", "\n"))
    page = project / "pages" / "contacts.md"
    page.write_text(page.read_text().replace("order: 10", f"order: {'1' * 5000}"))
    code, err = run(["build", "--project", project, "--format", "html", "--out", project / "out"], capsys)
    assert code == 2 and "contacts.md:4:" in err and "digits" in err


# 2. files that are not small regular files ----------------------------------------

def test_a_3_gib_sparse_file_is_refused_fast_and_small(tmp_path, capsys):
    sparse = tmp_path / "huge.yml"
    with open(sparse, "wb") as handle:
        handle.truncate(3 * 1024 ** 3)
    tracemalloc.start()
    started = time.monotonic()
    try:
        code, err = run(["check", sparse], capsys)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 2 and "larger than 2 MiB" in err
    assert elapsed < 1.0 and peak < 100 * 1024 * 1024


def _limited():  # a regression must not take the machine's memory with it
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "folder"])
def test_fifo_device_and_folder_are_refused_at_once(tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.yml"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "dir.yml"
        target.mkdir()
    else:
        target = Path(kind)
    started = time.monotonic()
    done = subprocess.run([*CLI, "check", str(target)], capture_output=True, text=True, timeout=20,
                          preexec_fn=_limited)
    assert time.monotonic() - started < 15
    text = done.stdout + done.stderr
    assert done.returncode == 2 and "Traceback" not in text
    assert "not a regular file" in text or "is a folder" in text or "directory" in text.lower()


@pytest.mark.parametrize("command", [["build", "--format", "html"], ["agenda", "-m", "X"], ["brief", "-m", "X"]])
def test_other_commands_refuse_a_fifo_workbook_at_once(tmp_path, command):
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    done = subprocess.run([*CLI, command[0], str(fifo), *command[1:], "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "pipe.yml: error: it is not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_fifo_among_a_projects_pages_is_refused(project, capsys):
    os.mkfifo(project / "pages" / "pipe.md")
    code, err = run(["check", "--project", project, SAMPLE_WORKBOOK], capsys)
    assert code == 2 and "pipe.md" in err and "not a regular file" in err


# 3. links between pages in the PDF --------------------------------------------------

def _pdf_links(path: Path) -> list[dict]:
    links = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                links.append(annot)
    return links


def test_links_between_pages_stay_inside_the_pdf(project, tmp_path, capsys):
    """(That two builds give the same bytes is test_incremental's test_two_builds_are_byte_identical.)"""
    with (project / "mentorbook.yml").open("a", encoding="utf-8") as config:
        config.write("practices: [self-reflect]\n")  # the extra pages are still shown, in a shorter PDF
    pages = project / "pages"
    for name, other in (("contacts", "expectations"), ("expectations", "contacts")):
        page = pages / f"{name}.md"
        page.write_text(page.read_text() + f"\nSee [the other page]({other}.html) and [a file](notes.txt).\n")
    outs = [tmp_path / "one"]
    code, _ = run(["build", "--project", project, "--out", outs[0], "--today", TODAY.isoformat()], capsys)
    assert code == 0
    first = (outs[0] / "workbook.pdf").read_bytes()
    assert b"file:" not in first and b"mentorbook-print" not in first
    links = _pdf_links(outs[0] / "workbook.pdf")
    assert links and not any("/A" in link and "/URI" in link["/A"] for link in links)
    soup = BeautifulSoup((outs[0] / "print" / "workbook.html").read_text(), "html.parser")
    hrefs = [a.get("href") for a in soup.find_all("a") if "other page" in a.text or "a file" in a.text]
    assert sorted(hrefs, key=str) == ["#page-contacts", "#page-expectations", None, None]
    site = BeautifulSoup((outs[0] / "site" / "contacts.html").read_text(), "html.parser")
    assert site.find("a", string="the other page")["href"] == "expectations.html"


# 4. and 5. where output goes ---------------------------------------------------------

def test_a_symlink_inside_out_is_never_written_through(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    out = tmp_path / "out"
    out.mkdir()
    (out / "site").symlink_to(home)
    code, err = run(["build", "--format", "html", "--out", out], capsys)
    assert code == 2 and "symlink" in err
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("inside", [CONTENT_DIR / "guide" / "h2-out", CONTENT_DIR / "worksheets" / "a" / "b"])
def test_out_inside_mentorbooks_own_folders_is_refused(inside, capsys):
    try:
        code, err = run(["build", "--format", "html", "--out", inside], capsys)
        assert code == 2 and "refusing to write" in err
        assert not inside.exists()
    finally:
        top = CONTENT_DIR / inside.relative_to(CONTENT_DIR).parts[0] / inside.relative_to(CONTENT_DIR).parts[1]
        if top.exists():
            shutil.rmtree(top)


def test_out_inside_a_projects_source_folder_is_refused_but_beside_it_is_fine(project, capsys):
    code, err = run(["build", "--project", project, "--format", "html", "--out", project / "pages" / "sub"], capsys)
    assert code == 2 and "refusing to write" in err and not (project / "pages" / "sub").exists()
    code, _ = run(["build", "--project", project, "--format", "html", "--out", project / "output"], capsys)
    assert code == 0 and (project / "output" / "site" / "index.html").is_file()


# 6. symlinks inside a project -----------------------------------------------------------

def test_symlinks_leading_out_of_a_project_are_refused(project, tmp_path, capsys):
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: secret\ntitle: Secret\norder: 50\n---\nprivate text\n")
    (project / "pages" / "leak.md").symlink_to(secret)
    (project / "templates" / "site.css").symlink_to("/etc/hostname")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.rmtree(project / "assets")
    (project / "assets").symlink_to(outside)
    code, err = run(["build", "--project", project, "--format", "html", "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert "leak.md: error: refused: a symlink leading outside pages/" in err
    assert "site.css: error: refused" in err and "assets: error: refused" in err
    assert not (tmp_path / "out").exists()


def test_a_symlink_within_its_folder_is_fine(project, tmp_path, capsys):
    (project / "pages" / "also.md").symlink_to(project / "pages" / "contacts.md")
    code, err = run(["check", "--project", project, SAMPLE_WORKBOOK], capsys)
    assert "refused" not in err


# 7. several YAML documents -------------------------------------------------------------

def test_a_second_yaml_document_is_an_error_at_its_line(tmp_path, capsys):
    wb = write(tmp_path, "wb.yml", "trainee:\n  name: First\n---\ntrainee:\n  name: Second\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "wb.yml:3:1: error: the file holds more than one YAML document" in err


# 8. huge values -------------------------------------------------------------------------

@pytest.mark.parametrize("size", [100_000, 1_500_000])
def test_a_huge_name_is_refused_quickly_with_a_short_message(tmp_path, capsys, size):
    wb = write(tmp_path, "wb.yml", SAMPLE.replace("  name: Dr. Lena Marchetti", "  name: " + "x" * size))
    started = time.monotonic()
    code, err = run(["check", wb], capsys)
    assert code == 2 and time.monotonic() - started < 10
    assert f"has {size:,} characters; at most {limits.MAX_CHARS['text']} are allowed" in err
    assert max(len(line) for line in err.splitlines()) < 300


def test_too_many_list_entries_and_too_long_notes(tmp_path, capsys):
    values = "\n".join(f"    - v{i}" for i in range(limits.MAX_ITEMS + 1))
    notes = "n" * (limits.MAX_CHARS["longtext"] + 1)
    wb = write(tmp_path, "wb.yml", f"trainee:\n  name: A\nself_reflection:\n  motivation: {notes}\n"
               f"  values:\n{values}\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "entries are more than the 500" in err and "20,000 are allowed" in err


# 9. far dates ------------------------------------------------------------------------

def test_far_dates_are_refused_where_they_are_read(tmp_path, capsys):
    code, err = run(["agenda", "-m", "Whitcombe", "--date", "9999-12-31", "-o", tmp_path], capsys)
    assert code == 2 and "outside the dates mentorbook accepts (1900-01-01 to 2199-12-31)" in err
    wb = write(tmp_path, "wb.yml", SAMPLE.replace("due: 2026-09-15", "due: 9999-12-31")
               .replace("start_date: 2026-04-01", "start_date: 9999-12-31"))
    code, err = run(["calendar", wb, "-o", tmp_path / "c.ics"], capsys)
    assert code == 2 and err.count("9999-12-31 is outside the dates") == 2
    assert not (tmp_path / "c.ics").exists()


def test_the_last_accepted_date_works_in_every_command(tmp_path, capsys):
    far = re.sub(r"20\d\d-\d\d-\d\d", "2199-12-31", SAMPLE)
    wb = write(tmp_path, "wb.yml", far)
    assert run(["check", wb, "--today", "2199-12-31"], capsys)[0] in (0, 1)
    assert run(["calendar", wb, "-o", tmp_path / "c.ics", "-q"], capsys)[0] == 0
    assert run(["log", wb, "-m", "Whitcombe", "--dry-run", "-q"], capsys)[0] == 0
    assert run(["agenda", wb, "-m", "Whitcombe", "--date", "2199-12-31", "-o", tmp_path, "-q"], capsys)[0] == 0


# 10. roster paths --------------------------------------------------------------------

def test_roster_workbook_paths_stay_in_the_rosters_folder(tmp_path):
    (tmp_path / "sub").mkdir()
    roster = tmp_path / "sub" / "r.csv"
    roster.write_text(f"name,workbook\nA,/etc/passwd\nB,../outside.yml\nC,{'c' * 200_000}\n")
    (tmp_path / "sub" / "r2.csv").write_text(f"name,workbook\nD,{'d' * 300}.yml\n")  # a name too long to stat
    assert "not found" in read_roster(tmp_path / "sub" / "r2.csv").problems[0].message
    (tmp_path / "outside.yml").write_text(SAMPLE)
    result = read_roster(roster)
    assert result.rows == []
    messages = [p.format() for p in result.problems]
    assert "r.csv:2: error: workbook: workbook '/etc/passwd' is outside the roster's folder" in messages[0]
    assert "'../outside.yml' is outside" in messages[1]
    assert "cannot read the roster: field larger than field limit" in messages[2]  # was a traceback
    long_roster = write(tmp_path / "sub", "r.yml", f"- name: C\n  workbook: {'a/' * 750_000}\n")
    messages += [p.format() for p in read_roster(long_roster).problems]
    assert "r.yml:1: error: workbook: workbook 'a/a/a/" in messages[3] and "1,500,000 characters" in messages[3]
    assert all(len(m) < 400 for m in messages)


def test_cohort_never_prints_a_file_named_by_an_absolute_roster_path(tmp_path, capsys):
    roster = write(tmp_path, "r.csv", "name,workbook\nA,/etc/passwd\n")
    code, err = run(["cohort", roster, "-o", tmp_path / "out", "--jobs", "1"], capsys)
    assert code == 1 and "workbook '/etc/passwd' is outside the roster's folder" in err  # 1: a row failed
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert (tmp_path / "out" / "summary.csv") in written
    assert not any(b"root:" in p.read_bytes() for p in written)


# 11. the sanitizer --------------------------------------------------------------------

@pytest.mark.parametrize("href", ["//evil.example/x", "\\\\host\\share", "\\/evil.example", "/etc/passwd",
                                  "\u2028javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                                  "\x01javascript:alert(1)", "\u200bjavascript:alert(1)", "file:///etc/passwd",
                                  "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"])
def test_hostile_links_are_dropped(href):
    soup = BeautifulSoup(sanitize_html(f'<a href="{href}">x</a>'), "html.parser")
    assert soup.a.get("href") is None
    assert safe_href(href) is None


@pytest.mark.parametrize("href", ["https://example.org/a?b=1", "mailto:a@example.org", "expectations.html",
                                  "#goals", "sub/page.html#x", "HTTP://EXAMPLE.ORG"])
def test_good_links_are_kept(href):
    soup = BeautifulSoup(sanitize_html(f'<a href="{href}">x</a>'), "html.parser")
    assert soup.a["href"] == href


# 12. smaller messages ------------------------------------------------------------------

def test_keys_one_and_true_are_named_as_written(tmp_path, capsys):
    wb = write(tmp_path, "wb.yml", "trainee:\n  name: A\n  1: x\n  true: y\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "keys '1' (line 3) and 'true' (line 4) count as the same key" in err
    assert "'True'" not in err


def test_an_undashed_number_is_not_a_date(tmp_path, capsys):
    wb = write(tmp_path, "wb.yml", "trainee:\n  name: A\n  updated: 20261120\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "wb.yml:3:12: error: trainee.updated: '20261120' is not a date" in err


def test_a_tab_in_the_indentation_is_named(tmp_path, capsys):
    wb = write(tmp_path, "wb.yml", "trainee:\n\tname: A\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "wb.yml:2:1: error: YAML syntax error: line 2 is indented with a tab character" in err


def test_a_mentor_name_that_matches_several_says_so(tmp_path, capsys):
    code, err = run(["agenda", "--mentor", "Dr", "-o", tmp_path], capsys)
    assert code == 2 and "'Dr' matches 5 mentors: Dr. Samuel Whitcombe" in err and "no mentor named" not in err


def test_a_missing_required_field_reads_well(tmp_path, capsys):
    wb = write(tmp_path, "wb.yml", "trainee:\n  role: Fellow\n")
    code, err = run(["check", wb], capsys)
    assert code == 2 and "trainee.name: 'name' is required (add a line 'name: ...')" in err
    assert "(Name)" not in err


# 13. serve's memo ----------------------------------------------------------------------

def test_the_markdown_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(markup, "_memo", type(markup._memo)())
    for i in range(markup.MEMO_SIZE + 200):
        assert f"text {i}" in markup.markdown_to_html(f"text {i}")
    assert len(markup._memo) == markup.MEMO_SIZE
    assert "text 0" not in markup._memo and f"text {markup.MEMO_SIZE + 199}" in markup._memo
