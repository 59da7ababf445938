"""Program guides: init, mentorbook.yml, branding, extra pages and overrides."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import outline_entries, pdf_text
from pypdf import PdfReader

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK, TEMPLATES_DIR
from mentorbook.cli import main

EXAMPLE = CONTENT_DIR / "examples" / "program"
MENTORBOOK = Path(sys.executable).with_name("mentorbook")


def run(args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(MENTORBOOK), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def fill_colours(reader: PdfReader, page: int) -> set[tuple[float, float, float]]:
    data = reader.pages[page].get_contents().get_data().decode("latin-1")
    return {tuple(round(float(x), 2) for x in m) for m in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", data)}


def rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(round(int(hex_colour[i:i + 2], 16) / 255, 2) for i in (1, 3, 5))


def cover_xobjects(reader: PdfReader) -> int:
    resources = reader.pages[0]["/Resources"]
    return len(resources["/XObject"]) if "/XObject" in resources else 0


@pytest.fixture(scope="module")
def init_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("init") / "program"
    proc = run(["init", str(root)], cwd=root.parent)
    assert proc.returncode == 0, proc.stderr
    proc = run(["build"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    (root.parent / "build.stderr").write_text(proc.stderr, encoding="utf-8")  # what its first build said
    return root


def test_the_scaffold_builds_with_no_warning(init_project):
    said = (init_project.parent / "build.stderr").read_text(encoding="utf-8")
    assert "Done in" in said and "warning" not in said, said


def test_check_without_a_workbook_checks_the_project_not_the_sample(init_project):
    proc = run(["check"], cwd=init_project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "" and "sample" not in proc.stderr and "warning:" not in proc.stderr
    assert proc.stderr.strip() == (f"{init_project / 'mentorbook.yml'}: the project's settings, worksheet "
                                   "definitions and pages (no workbook given): 0 errors, 0 warnings - looks good.")
    broken = init_project / "worksheets" / "broken.yml"
    broken.write_text("id: broken\ntitle: Broken\npractice: cultivat\nfields: []\n", encoding="utf-8")
    try:
        proc = run(["check", "--format", "json"], cwd=init_project)
    finally:
        broken.unlink()
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["checked"] == "project" and report["file"] == str(init_project / "mentorbook.yml")
    assert [p["file"] for p in report["problems"]] == [str(broken)] * len(report["problems"])


def test_init_scaffolds_a_commented_project(init_project):
    for name in ("mentorbook.yml", "pages", "worksheets", "templates", "assets/logo.svg"):
        assert (init_project / name).exists(), name
    assert "#" in (init_project / "mentorbook.yml").read_text()  # commented
    proc = run(["init", str(init_project)], cwd=init_project.parent)
    assert proc.returncode == 2 and "not overwriting" in proc.stderr


def test_built_inside_project_carries_branding(init_project):
    out = init_project / "output"
    reader = PdfReader(out / "workbook.pdf")
    assert reader.metadata.title == "Our Mentoring Program"
    assert "OUR MENTORING PROGRAM" in reader.pages[0].extract_text().upper()
    assert rgb("#1d4e89") in fill_colours(reader, 0)
    assert cover_xobjects(reader) >= 1, "the logo is drawn on the cover"
    home = soup(out / "site" / "index.html")
    assert "Our Mentoring Program" in home.select_one(".brand-link").get_text()
    logo = home.select_one("img.brand-logo")["src"]
    assert (out / "site" / logo).read_bytes() == (init_project / "assets" / "logo.svg").read_bytes()
    assert "--primary: #1d4e89" in home.find("style").get_text()


def test_extra_pages_in_navigation_contents_and_bookmarks(init_project):
    out = init_project / "output"
    nav = [a["href"] for a in soup(out / "site" / "index.html").select("nav.site-nav a")]
    assert nav[-2:] == ["contacts.html", "expectations.html"]
    reader = PdfReader(out / "workbook.pdf")
    top = [title for level, title, _ in outline_entries(reader) if level == 1]
    assert top[-2:] == ["Contacts", "What we expect"]
    contents = reader.pages[1].extract_text()
    assert "Contacts" in contents and "What we expect" in contents
    # the scaffold's own worksheet shows up on the cultivate page and in the PDF
    assert soup(out / "site" / "cultivate.html").find(id="ws-quarterly_checkin")
    assert "Quarterly check-in" in [t for level, t, _ in outline_entries(reader) if level == 2]


def test_example_program_builds_with_its_colours_pages_and_worksheet(example_program_output):
    out = example_program_output  # mentorbook build --project EXAMPLE
    reader = PdfReader(out / "workbook.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 595  # the program asks for A4
    assert rgb("#0f5c5c") in fill_colours(reader, 0)
    text = pdf_text(reader)
    assert "Harbor View Mentoring Collaborative" in text and "My mentoring team" in text
    top = [title for level, title, _ in outline_entries(reader) if level == 1]
    assert top[-2:] == ["Who to contact", "Program calendar"]
    home = soup(out / "site" / "index.html")
    assert home.h1.get_text(strip=True) == "Harbor View Mentoring Collaborative"
    assert "Every pediatrics trainee" in home.select_one(".footer-text").get_text()


def test_trainee_workbook_under_program_branding(tmp_path):
    assert main(["build", str(SAMPLE_WORKBOOK), "--project", str(EXAMPLE), "--out", str(tmp_path), "-q"]) == 0
    home = soup(tmp_path / "site" / "index.html")
    assert home.h1.get_text(strip=True) == "Dr. Lena Marchetti"
    assert "Harbor View Mentoring Collaborative" in home.select_one(".brand-link").get_text()
    assert "Dr. Lena Marchetti" in PdfReader(tmp_path / "workbook.pdf").pages[0].extract_text()


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "program"
    shutil.copytree(EXAMPLE, root)
    return root


def build_project(root: Path, out: Path) -> tuple[BeautifulSoup, str, list]:
    assert main(["build", "--project", str(root), "--out", str(out), "-q"]) == 0
    reader = PdfReader(out / "workbook.pdf")
    return soup(out / "site" / "self-reflect.html"), pdf_text(reader), outline_entries(reader)


def only_first_practice(project: Path) -> None:
    """Show only the practice the test looks at, so its PDFs are short to lay out."""
    config = project / "mentorbook.yml"
    config.write_text(config.read_text(encoding="utf-8") + "practices: [self-reflect]\n", encoding="utf-8")


def test_overrides_show_up_and_removing_them_restores_builtins(project, tmp_path, capsys):
    only_first_practice(project)
    (project / "templates").mkdir()
    practice = (TEMPLATES_DIR / "practice.html").read_text()
    (project / "templates" / "practice.html").write_text(
        practice.replace('<article class="guide">',
                         '<article class="guide"><p class="program-note">Ask the mentoring office</p>'))
    print_css = (TEMPLATES_DIR / "print.css").read_text()
    (project / "templates" / "print.css").write_text(print_css
                                                     + "\n.key-point::before { content: \"OVERRIDDEN CSS\"; }\n")
    replaced = (CONTENT_DIR / "worksheets" / "1-self-reflection.yml").read_text()
    (project / "worksheets" / "self-reflection.yml").write_text(
        replaced.replace("title: Self-reflection", "title: Who I am as a pediatrician"))
    (project / "worksheets" / "added.yml").write_text(
        "id: wellbeing\ntitle: Wellbeing check\npractice: self-reflect\norder: 9\n"
        "fields:\n  - {id: energy, label: My energy this month, type: rating}\n")

    page, text, outline = build_project(project, tmp_path / "a")
    assert page.select_one(".program-note").get_text() == "Ask the mentoring office"
    assert "OVERRIDDEN CSS" in text
    sheets = [t for level, t, _ in outline if level == 2]
    assert "Who I am as a pediatrician" in sheets and "Self-reflection" not in sheets
    assert "Wellbeing check" in sheets
    assert page.find(id="ws-wellbeing") and "Who I am as a pediatrician" in page.get_text()

    for path in ("templates/practice.html", "templates/print.css", "worksheets/self-reflection.yml",
                 "worksheets/added.yml"):
        (project / path).unlink()
    page, text, outline = build_project(project, tmp_path / "b")
    assert page.select_one(".program-note") is None and "OVERRIDDEN CSS" not in text
    sheets = [t for level, t, _ in outline if level == 2]
    assert "Self-reflection" in sheets and "Wellbeing check" not in sheets


def test_replaced_guidance_page(project, tmp_path):
    only_first_practice(project)
    (project / "pages" / "intro.md").write_text(
        "---\nid: introduction\ntitle: Welcome to the collaborative\norder: 0\n---\n\nOur own welcome.\n")
    assert main(["build", "--project", str(project), "--out", str(tmp_path), "-q"]) == 0
    assert soup(tmp_path / "site" / "introduction.html").h1.get_text() == "Welcome to the collaborative"
    top = [t for level, t, _ in outline_entries(PdfReader(tmp_path / "workbook.pdf")) if level == 1]
    assert top[0] == "Welcome to the collaborative"


def test_config_errors_name_file_line_key_and_allowed_keys(project, capsys):
    config = project / "mentorbook.yml"
    config.write_text("program: Harbor View\nprimary_colour: '#123456'\naccent_color: orange\npages: [contacts, faq]\n")
    assert main(["build", "--project", str(project), "--out", str(project.parent / "o"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{config}:2:1: error: primary_colour: unknown key 'primary_colour' (did you mean 'primary_color'?" in err
    assert "allowed keys: program, institution, logo, primary_color" in err
    assert f"{config}:3:15:" in err and "'orange' is not a colour" in err
    assert f"{config}:4:" in err and "unknown page 'faq'" in err
    assert not (project.parent / "o").exists()


def test_check_and_schema_know_program_worksheets(project, tmp_path, capsys):
    workbook = tmp_path / "me.yml"
    workbook.write_text("trainee:\n  name: T\nmentoring_team:\n  roles:\n    - {role: Career mentor, status: filed}\n")
    assert main(["check", str(workbook), "--project", str(project)]) == 2
    assert "did you mean 'filled'?" in capsys.readouterr().out
    assert main(["schema", "--project", str(project)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "mentoring_team" in schema["properties"]
    assert main(["check", str(workbook)]) == 2  # without the project the section is unknown
    assert "unknown section 'mentoring_team'" in capsys.readouterr().out


def test_output_may_not_be_the_project_folder(project, capsys):
    assert main(["build", "--project", str(project), "--out", str(project), "-q"]) == 2
    assert "refusing to write" in capsys.readouterr().err


def test_an_extra_page_needs_only_a_title(tmp_path):
    root = tmp_path / "program"
    (root / "pages").mkdir(parents=True)
    config = "program: Small Program\npractices: [self-reflect, refine-or-conclude]\n"  # first and last: short PDFs
    (root / "mentorbook.yml").write_text(config)
    (root / "pages" / "welcome-week.md").write_text("---\ntitle: Welcome week\n---\nWhat happens first.\n")
    (root / "pages" / "a-glossary.md").write_text("---\ntitle: Glossary\n---\nWords we use.\n")
    out = tmp_path / "out"
    _, text, outline = build_project(root, out)
    assert (out / "site" / "welcome-week.html").is_file() and (out / "site" / "a-glossary.html").is_file()
    titles = [title for _, title, _ in outline]
    # no pages list: by file name, after the practices
    assert titles.index("Glossary") < titles.index("Welcome week")
    assert titles.index("Refine or conclude") < titles.index("Glossary")
    # a pages list sets the order
    (root / "mentorbook.yml").write_text(config + "pages: [welcome-week, a-glossary]\n")
    _, _, outline = build_project(root, tmp_path / "out2")
    titles = [title for _, title, _ in outline]
    assert titles.index("Welcome week") < titles.index("Glossary")


def test_a_page_without_a_title_is_a_located_error(tmp_path, capsys):
    root = tmp_path / "program"
    (root / "pages").mkdir(parents=True)
    (root / "mentorbook.yml").write_text("program: Small Program\n")
    (root / "pages" / "notes.md").write_text("---\nsummary: no title here\n---\nText.\n")
    assert main(["build", "--project", str(root), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "notes.md:1: error: front matter is missing title" in err and "Traceback" not in err


def test_a_page_naming_a_worksheet_that_does_not_exist_is_a_located_error(tmp_path, capsys):
    root = tmp_path / "program"
    (root / "pages").mkdir(parents=True)
    (root / "mentorbook.yml").write_text("program: Small Program\n")
    (root / "pages" / "notes.md").write_text("---\ntitle: Notes\n---\n\nFirst fill in the\n"
                                             "“{worksheet:agrements}” worksheet with *{worksheet:mentors}*.\n")
    assert main(["check", "--project", str(root)]) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "notes.md:6: error: no worksheet 'agrements' for {worksheet:agrements}" in err
    assert "did you mean 'agreements'?" in err and "Traceback" not in err
    (root / "pages" / "notes.md").write_text("---\ntitle: Notes\n---\n\n“{worksheet:agreements}”, "
                                             "*{worksheet:mentors}*\n")
    out = tmp_path / "out"
    assert main(["build", "--project", str(root), "--format", "html", "--out", str(out), "-q"]) == 0
    notes = (out / "site" / "notes.html").read_text(encoding="utf-8")
    assert "<p>“Mentoring agreement”, <em>Mentor map</em></p>" in notes


def test_a_field_template_edited_between_two_builds_in_one_process_shows(tmp_path):
    """Builds in one process (serve) keep their templates loaded: a program's own field template,
    edited between two builds, is what the second build draws."""
    import os

    from mentorbook.pipeline import BuildOptions, build
    from mentorbook.program.config import load_project

    root = tmp_path / "program"
    (root / "templates" / "fields").mkdir(parents=True)
    (root / "mentorbook.yml").write_text("program: Our program\n", encoding="utf-8")
    own = root / "templates" / "fields" / "text.html"
    original = (TEMPLATES_DIR / "fields" / "text.html").read_text(encoding="utf-8")
    marked = original.replace("{% macro text_filled(f, value, level=3) %}\n",
                              '{% macro text_filled(f, value, level=3) %}<span class="MARK">edited</span>\n')
    assert marked != original
    pages = []
    for text in (original, marked):
        own.write_text(text, encoding="utf-8")
        os.utime(own, ns=(os.stat(own).st_mtime_ns + 10**9,) * 2)  # a later time, as a save gives
        result = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path / "out", format="html",
                                    project=load_project(root)))
        pages.append("".join(p.read_text(encoding="utf-8") for p in result.site_index.parent.glob("*.html")))
    assert 'class="MARK"' not in pages[0] and 'class="MARK"' in pages[1]
