"""The config stage alone: mentorbook.yml read into a typed Project, every bad key named
with its line and column, a did-you-mean for near misses and the allowed keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorbook.base.errors import InputError
from mentorbook.base.paths import GUIDE_DIR, TEMPLATES_DIR, WORKSHEETS_DIR
from mentorbook.program.config import KEYS, find_project, load_project
from mentorbook.program.project import Branding


def project_dir(tmp_path: Path, config: str, *folders: str) -> Path:
    root = tmp_path / "program"
    root.mkdir()
    (root / "mentorbook.yml").write_text(config, encoding="utf-8")
    for folder in folders:
        (root / folder).mkdir(parents=True)
    return root


def problems(root: Path) -> list:
    with pytest.raises(InputError) as info:
        load_project(root)
    return info.value.problems


def only_problem(root: Path):
    found = problems(root)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


# --- a good config -----------------------------------------------------------------

def test_a_minimal_config_gets_the_defaults(tmp_path):
    root = project_dir(tmp_path, "program: Harbor View\n")
    project = load_project(root)
    assert project.root == root.resolve() and project.config_file == root.resolve() / "mentorbook.yml"
    assert project.branding == Branding(program="Harbor View")
    assert project.page_size == "letter" and project.practices == () and project.pages == ()
    # without its own folders a project reads only the built-in ones
    assert project.guide_dirs == (GUIDE_DIR,)
    assert project.worksheet_dirs == (WORKSHEETS_DIR,)
    assert project.template_dirs == (TEMPLATES_DIR,)
    assert project.asset_dirs == ()


def test_every_key_is_read_into_its_typed_field(tmp_path):
    root = project_dir(tmp_path, """\
program: "  Harbor View  "
institution: Bayside Hospital
logo: assets/brand/logo.svg
primary_color: "#0F5C5C"
accent_color: "#abc"
page_size: A4
footer: Every trainee has a mentor.
contact: office@example.org
practices: [self-reflect, cultivate]
pages: [calendar, contacts]
""", "pages", "worksheets", "templates", "assets/brand")
    (root / "assets" / "brand" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (root / "pages" / "who.md").write_text("---\nid: contacts\ntitle: Who\norder: 9\n---\nText\n", encoding="utf-8")
    (root / "pages" / "calendar.md").write_text("---\nid: calendar\ntitle: Calendar\norder: 8\n---\nText\n",
                                                encoding="utf-8")
    project = load_project(root)
    assert project.branding == Branding(program="Harbor View", institution="Bayside Hospital", logo="brand/logo.svg",
                                        primary="#0F5C5C", accent="#abc", footer="Every trainee has a mentor.",
                                        contact="office@example.org")
    assert project.page_size == "a4"
    assert project.practices == ("self-reflect", "cultivate")
    assert project.pages == ("calendar", "contacts")  # by the id in the front matter, not the file name
    resolved = root.resolve()
    assert project.guide_dirs == (GUIDE_DIR, resolved / "pages")  # the project's own come last and win
    assert project.worksheet_dirs == (WORKSHEETS_DIR, resolved / "worksheets")
    assert project.template_dirs == (resolved / "templates", TEMPLATES_DIR)  # the first that has a template wins
    assert project.asset_dirs == (resolved / "assets",)


def test_an_empty_config_is_a_project_with_defaults(tmp_path):
    project = load_project(project_dir(tmp_path, ""))
    assert project.branding == Branding() and project.root is not None


def test_find_project_looks_for_mentorbook_yml(tmp_path):
    root = project_dir(tmp_path, "program: X\n")
    assert find_project(root) == root
    assert find_project(tmp_path) is None


# --- bad keys and values, located -------------------------------------------------------

def test_a_misspelt_key_gets_a_did_you_mean_and_the_allowed_keys(tmp_path):
    root = project_dir(tmp_path, "program: X\nprimary_colour: '#123456'\n")
    problem = only_problem(root)
    assert (problem.line, problem.column, problem.field) == (2, 1, "primary_colour")
    assert problem.message == "unknown key 'primary_colour'"
    assert problem.hint == "did you mean 'primary_color'?; allowed keys: " + ", ".join(KEYS)
    assert problem.format().startswith(f"{root.resolve() / 'mentorbook.yml'}:2:1: error: primary_colour: ")


def test_an_unknown_key_far_from_any_lists_the_allowed_keys_only(tmp_path):
    problem = only_problem(project_dir(tmp_path, "program: X\nwebsite: https://example.org\n"))
    assert problem.message == "unknown key 'website'" and problem.hint == "allowed keys: " + ", ".join(KEYS)


@pytest.mark.parametrize("config, line, column, field, message, hint", [
    ("accent_color: orange\n", 1, 15, "accent_color", "'orange' is not a colour", "write it as #rrggbb, e.g. #1d4e89"),
    ("primary_color: '#12345'\n", 1, 16, "primary_color", "'#12345' is not a colour",
     "write it as #rrggbb, e.g. #1d4e89"),
    ("page_size: legal\n", 1, 12, "page_size", "unknown page size 'legal'", "use letter or a4"),
    ("program: [a, b]\n", 1, 10, "program", "'program' must be a text", ""),
    ("footer: {a: 1}\n", 1, 9, "footer", "'footer' must be a text", ""),
    ("practices: cultivate\n", 1, 12, "practices", "'practices' must be a list",
     "e.g. [self-reflect, identify-mentors, establish]"),
    ("practices: [self-reflect, cultivat]\n", 1, 27, "practices[1]", "unknown practice 'cultivat'",
     "did you mean 'cultivate'?"),
    ("logo: ../logo.svg\n", 1, 7, "logo", "the logo '../logo.svg' must be inside the assets/ folder",
     "e.g. assets/logo.svg"),
    ("logo: assets/missing.svg\n", 1, 7, "logo", "logo file 'assets/missing.svg' not found", ""),
    ("logo: assets/logo.bmp\n", 1, 7, "logo", "'.bmp' logos are not supported", "use SVG, PNG or JPEG"),
])
def test_bad_values_are_located_and_explained(tmp_path, config, line, column, field, message, hint):
    root = project_dir(tmp_path, config, "assets")
    (root / "assets" / "logo.bmp").write_bytes(b"BM")
    problem = only_problem(root)
    assert (problem.line, problem.column, problem.field) == (line, column, field)
    assert (problem.message, problem.hint) == (message, hint)


def test_an_unknown_extra_page_names_the_pages_there_are(tmp_path):
    root = project_dir(tmp_path, "pages:\n  - contacts\n  - faq\n", "pages")
    (root / "pages" / "contacts.md").write_text("---\ntitle: Contacts\norder: 7\n---\nText\n", encoding="utf-8")
    problem = only_problem(root)
    assert (problem.line, problem.column, problem.field) == (3, 5, "pages[1]")
    assert problem.message == "unknown page 'faq'" and problem.hint == "expected one of: contacts"


def test_every_problem_is_reported_at_once(tmp_path):
    root = project_dir(tmp_path, "programme: X\naccent_color: orange\npage_size: legal\npractices: [nope]\n")
    assert [(p.line, p.field) for p in problems(root)] == [
        (1, "programme"), (2, "accent_color"), (3, "page_size"), (4, "practices[0]")]


def test_without_mentorbook_yml_it_says_how_to_make_one(tmp_path):
    problem = only_problem(tmp_path)
    assert problem.message == "no mentorbook.yml here" and "mentorbook init" in problem.hint


def test_a_config_that_is_not_a_mapping(tmp_path):
    problem = only_problem(project_dir(tmp_path, "- program\n- logo\n"))
    assert problem.line == 1 and "must be a mapping" in problem.message and "program" in problem.hint


def test_a_yaml_syntax_error_is_located(tmp_path):
    problem = only_problem(project_dir(tmp_path, "program: X\nfooter: [unclosed\n"))
    assert problem.message.startswith("YAML syntax error") and problem.line is not None
