"""The generated reference of the definition format (docs/worksheets-reference.md):
it is current, it covers every registered type and role, and a type without its
documentation is refused."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from mentorbook import fields
from mentorbook.base.paths import CONTENT_DIR
from mentorbook.program import reference
from mentorbook.program.definitions import WORKSHEET_KEYS
from mentorbook.program.roles import ROLES

ROOT = reference.REFERENCE_FILE.parents[1]


def test_the_shipped_reference_is_current():
    assert reference.REFERENCE_FILE.is_file(), f"run {reference.COMMAND}"
    assert reference.REFERENCE_FILE.read_text(encoding="utf-8") == reference.render(), \
        f"docs/worksheets-reference.md is stale: run {reference.COMMAND}"


def test_every_registered_type_is_documented():
    assert reference.undocumented() == []


def test_the_reference_covers_every_type_key_and_role():
    text = reference.render()
    for name in fields.names():
        ftype = fields.get(name)
        assert f"### `{name}`" in text
        for key in ftype.keys:
            assert f"| `{key.name}` |" in text
    for key in (*WORKSHEET_KEYS, *fields.COMMON_KEYS):
        assert f"| `{key.name}` |" in text
    for role in ROLES:
        assert f"| `{role}` |" in text


def test_its_examples_are_definitions_mentorbook_accepts(tmp_path):
    from mentorbook.program.definitions import load_definitions

    text = reference.render()
    blocks = [yaml.safe_load(b.split("```", 1)[0]) for b in text.split("```yaml\n")[1:]]
    examples = [b[0] for b in blocks if isinstance(b, list)]
    assert len(examples) == len(fields.names()) + 1  # one per type, and the choices
    sheet = {"id": "w", "title": "W", "practice": "cultivate", "fields": examples}
    (tmp_path / "w.yml").write_text(yaml.safe_dump(sheet), encoding="utf-8")
    definitions, problems = load_definitions(tmp_path)
    assert problems == [] and len(definitions[0].fields) == len(examples)


class Undocumented(fields.ScalarType):
    name = "undocumented_test"
    description = "a text"
    keys = (fields.Key("colour", "text", "", "red", ""),)
    template = "fields/text.html"


class Documented(fields.ScalarType):
    """A text in a colour (a test's own type)."""

    name = "documented_test"
    description = "a coloured text"
    keys = (fields.Key("colour", "text", "", "red", "the colour of the text"),)
    example = {"id": "note", "type": "documented_test", "colour": "red"}
    example_value = "hello"
    template = "fields/text.html"


@pytest.fixture()
def registered():
    def register(ftype):
        fields.register(ftype)
        names.append(ftype.name)

    names: list[str] = []
    yield register
    for name in names:
        fields.unregister(name)


def test_a_type_without_documentation_is_refused(registered, tmp_path, capsys):
    registered(Undocumented)
    assert reference.undocumented() == [
        "field type 'undocumented_test' has no docstring",
        "field type 'undocumented_test' has no example",
        "field type 'undocumented_test': key 'colour' has no doc",
    ]
    out = tmp_path / "ref.md"
    assert reference.main(["--out", str(out)]) == 1
    assert not out.exists() and "has no docstring" in capsys.readouterr().err


def test_a_documented_type_appears_in_the_reference_and_makes_it_stale(registered, tmp_path):
    registered(Documented)
    text = reference.render()
    assert "### `documented_test`\n\nA text in a colour (a test's own type).\n\nA value is a coloured text." in text
    assert "| `colour` | `\"\"` | the colour of the text |" in text
    assert "note: hello" in text
    assert reference.main(["--check"]) == 1  # the shipped file lacks it
    out = tmp_path / "ref.md"
    out.write_text("old", encoding="utf-8")
    assert reference.main(["--out", str(out)]) == 0 and out.read_text(encoding="utf-8") == text
    assert reference.main(["--check", "--out", str(out)]) == 0


def test_the_command_checks_the_shipped_file():
    done = subprocess.run([sys.executable, "-m", "mentorbook.program.reference", "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_the_readme_and_the_scaffold_point_to_it():
    assert "docs/worksheets-reference.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    scaffold = (CONTENT_DIR / "scaffold" / "worksheets" / "quarterly-checkin.yml").read_text(encoding="utf-8")
    assert "worksheets-reference.md" in scaffold
    assert "graft docs" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
