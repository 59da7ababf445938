"""Guidance pages and worksheet definitions shipped with mentorbook."""

from __future__ import annotations

import re

import pytest

from mentorbook.base.paths import GUIDE_DIR, WORKSHEETS_DIR
from mentorbook.core.load import load_guide
from mentorbook.program.definitions import load_definitions
from mentorbook.program.roles import PRACTICE_IDS


def words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'-]*", text))


@pytest.fixture(scope="module")
def guide():
    pages, problems = load_guide(GUIDE_DIR)
    assert problems == []
    return {p.id: p for p in pages}


def test_introduction_and_five_practices(guide):
    assert list(guide) == ["introduction", *PRACTICE_IDS]
    assert [int(p.meta["order"]) for p in guide.values()] == list(range(6))


@pytest.mark.parametrize("practice", PRACTICE_IDS)
def test_practice_pages_have_front_matter_and_length(guide, practice):
    page = guide[practice]
    for key in ("title", "order", "key_point", "summary", "short_title"):
        assert page.meta.get(key), key
    total = words(page.body) + words(page.meta["key_point"])
    assert 300 <= total <= 700, total


def test_model_is_credited_as_adapted(guide):
    intro = guide["introduction"].body
    assert "adapted" in intro and "Zerzan" in intro and "Academic Medicine" in intro


def test_worksheets_cover_every_practice():
    definitions, problems = load_definitions(WORKSHEETS_DIR)
    assert problems == []
    assert {d.practice for d in definitions} == set(PRACTICE_IDS)
    reflection = next(d for d in definitions if d.id == "self_reflection")
    areas = reflection.child("skill_areas")
    assert len(areas.suggestions) == 7
    goal_fields = reflection.child("goals").field_ids
    for part in ("specific", "measurable", "achievable", "relevant", "time_bound", "target_date", "skill_area"):
        assert part in goal_fields


def test_broken_definition_is_reported_with_location(tmp_path):
    (tmp_path / "x.yml").write_text("id: x\ntitle: X\npractice: cultivate\nfields:\n  - id: a\n    type: colour\n")
    definitions, problems = load_definitions(tmp_path)
    assert definitions == []
    assert problems and problems[0].line == 6 and "unknown field type 'colour'" in problems[0].message
