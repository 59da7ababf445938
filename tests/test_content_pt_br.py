"""The Brazilian Portuguese guidance pages (content/guide/pt-BR/) and sample workbook."""

from __future__ import annotations

import json
import re

import pytest

from mentorbook.base.i18n import language
from mentorbook.base.paths import CONTENT_DIR, GUIDE_DIR
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_guide
from mentorbook.core.localize import guide_dirs
from mentorbook.program.roles import PRACTICE_IDS

PT_DIR = GUIDE_DIR / "pt-BR"
SAMPLE_PT = CONTENT_DIR / "examples" / "sample-workbook-pt-BR.yml"
TRANSLATED = ("title", "short_title", "summary", "key_point")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


@pytest.fixture(scope="module")
def english():
    pages, problems = load_guide(GUIDE_DIR)
    assert problems == []
    return {p.id: p for p in pages}


@pytest.fixture(scope="module")
def portuguese():
    pages, problems = load_guide(PT_DIR)
    assert problems == []
    return {p.id: p for p in pages}


def test_pt_br_and_a_bare_pt_find_the_brazilian_catalog_and_pages():
    """pt-BR reads the pt_BR catalog and content/guide/pt-BR/; a bare pt, with Brazilian its
    only Portuguese, reads them too; pt-PT, with neither of its own, stays English (and is told once:
    tests/test_i18n_commands.py)."""
    for tag in ("pt-BR", "pt"):
        assert language(tag).gettext("Mentoring workbook") == "Caderno de mentoria"
        folders, notices = guide_dirs((GUIDE_DIR,), language(tag))
        assert folders == (GUIDE_DIR, PT_DIR) and notices == []
    assert not language("pt-PT").has_catalog
    folders, notices = guide_dirs((GUIDE_DIR,), language("pt-PT"))
    assert folders == (GUIDE_DIR,) and notices == []  # told once, by the notice of a language without texts


def test_same_pages_file_names_and_order_as_english(english, portuguese):
    assert list(portuguese) == list(english) == ["introduction", *PRACTICE_IDS]
    for page_id, page in portuguese.items():
        assert page.path.name == english[page_id].path.name
        assert page.meta["order"] == english[page_id].meta["order"]
        assert set(page.meta) == set(english[page_id].meta), page_id


@pytest.mark.parametrize("page_id", ["introduction", *PRACTICE_IDS])
def test_each_page_is_portuguese_of_similar_length_and_shape(english, portuguese, page_id):
    page, source = portuguese[page_id], english[page_id]
    for key in TRANSLATED:
        if key in source.meta:
            assert page.meta[key] and page.meta[key] != source.meta[key], key
    assert len(re.findall(r"^## ", page.body, re.M)) == len(re.findall(r"^## ", source.body, re.M))
    assert 450 <= words(page.body) <= 650, words(page.body)
    assert re.search(r"\b(você|não|uma|para|com)\b", page.body)


@pytest.mark.parametrize("page_id", ["introduction", *PRACTICE_IDS])
def test_brazilian_typography(portuguese, page_id):
    page = portuguese[page_id]
    text = page.body + " " + " ".join(str(page.meta.get(key, "")) for key in TRANSLATED)
    assert '"' not in text and "«" not in text and "¿" not in text  # quotations in “ ”
    assert text.count("“") == text.count("”")


def test_the_model_is_credited_as_in_english(portuguese):
    intro = portuguese["introduction"].body
    assert "adaptadas" in intro and "Zerzan et al., *Academic Medicine*, 2009" in intro


def test_portuguese_sample_covers_every_worksheet_and_checks_clean(capsys):
    data = read_yaml(SAMPLE_PT)
    assert data["trainee"]["language"] == "pt-BR"
    reflection = data["self_reflection"]
    assert len(reflection["skill_areas"]) >= 5 and {g["term"] for g in reflection["goals"]} == {"short", "long"}
    assert len(data["mentors"]) >= 4 and len(data["agreements"]) >= 3
    items = [item for meeting in data["meetings"] for item in meeting["action_items"]]
    assert {item["status"] for item in items} == {"open", "done"}
    assert "conclude" in {t["outcome"] for t in data["transitions"]}
    code = main(["check", str(SAMPLE_PT), "--format", "json", "--today", "2026-11-25"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["errors"] == 0, report
    messages = " ".join(p["message"] for p in report["problems"])
    assert "vocês se reuniram em 5 de novembro de 2026" in messages  # the checks speak Portuguese
