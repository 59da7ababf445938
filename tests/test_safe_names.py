"""File names made from trainees' names: safe, readable in any script, unique, inside the output."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbook.base.names import MAX_BYTES, MAX_LENGTH, UniqueNames, UnsafePath, inside, slug
from mentorbook.program.config import load_project
from mentorbook.staff.cohort import build_cohort


@pytest.mark.parametrize("name, expected", [
    ("Amara Nwosu", "amara-nwosu"),
    ("Dr. Zoë O'Brien-Smith", "dr-zoë-o-brien-smith"),
    ("Ана Мария", "ана-мария"),
    ("Nguyễn Thị Minh Khai", "nguyễn-thị-minh-khai"),
    ("नमस्ते जी", "नमस्ते-जी"),  # vowel signs and viramas are kept with their letters
    ("محمد علي", "محمد-علي"),
    ("李小龙", "李小龙"),
    ("ＡＢＣ", "abc"),  # NFKC: full-width letters
    ("e\u0301cole", "école"),  # a combining accent is composed
    ("../../etc/x", "etc-x"),
    ("..\\..\\windows\\x", "windows-x"),
    ("/etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
    ("a\x00b\nc", "a-b-c"),
    ("   ", "trainee"),
    ("...", "trainee"),
    ("CON", "trainee-con"),  # a device name on Windows
])
def test_slug(name, expected):
    assert slug(name) == expected


def test_long_names_are_capped():
    assert len(slug("x" * 500)) == MAX_LENGTH
    assert len(slug("語" * 500).encode("utf-8")) <= MAX_BYTES
    assert not slug("a" * (MAX_LENGTH - 1) + " b").endswith("-")


def test_shared_names_get_numbers():
    names = UniqueNames()
    made = [names(n)
            for n in ("Ana Silva", "Ana Silva", "ANA SILVA", "Ana Silva 2", "Ana  Silva", "José", "Jose\u0301")]
    assert made == ["ana-silva", "ana-silva-2", "ana-silva-3", "ana-silva-2-2", "ana-silva-4", "josé", "josé-2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=12))
def test_any_names_give_safe_distinct_file_names(tmp_path_factory, names):
    out = tmp_path_factory.getbasetemp() / "out"
    unique = UniqueNames()
    made = [unique(n) for n in names]
    assert len(set(made)) == len(made)
    assert len({m.casefold() for m in made}) == len(made)  # distinct on case-insensitive disks too
    for m in made:
        assert m and not m.startswith((".", "-")) and not m.endswith("-")
        assert "/" not in m and "\\" not in m and "\x00" not in m
        assert not any(unicodedata.category(ch).startswith(("C", "Z")) for ch in m)
        assert len(m.encode("utf-8")) <= MAX_BYTES + 8
        assert inside(out, f"trainees/{m}.pdf").parent == (out / "trainees").resolve()


def test_inside_refuses_escapes(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for bad in ("../escape.pdf", "/etc/passwd", "trainees/../../escape.pdf"):
        with pytest.raises(UnsafePath):
            inside(out, bad)
    (tmp_path / "elsewhere").mkdir()
    (out / "trainees").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        inside(out, "trainees/ana.pdf")


def test_a_cohort_with_hostile_and_shared_names(tmp_path, short_guide):
    # a YAML roster (the example and the other cohort tests use CSV)
    roster = tmp_path / "roster.yml"
    roster.write_text('- {name: Ana Silva, role: MS3}\n- {name: Ana Silva, role: PGY-1}\n- {name: ../../etc/x}\n'
                      "- {name: Ана Мария, role: Fellow}\n- {name: 'C:\\\\Windows\\\\evil'}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build_cohort(roster, out, jobs=1, today=TODAY, project=load_project(short_guide))
    assert result.failures == []
    assert sorted(p.name for p in (out / "trainees").glob("*.pdf")) == [
        "ana-silva-2.pdf", "ana-silva.pdf", "c-windows-evil.pdf", "etc-x.pdf", "ана-мария.pdf"]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != roster]
    assert all(out in p.parents for p in written)
    assert not (tmp_path / "etc").exists()
