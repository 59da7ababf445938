"""The Spanish guidance pages (content/guide/es/) and the Spanish sample workbook."""

from __future__ import annotations

import json
import re

import pytest

from mentorbook.base.paths import CONTENT_DIR, GUIDE_DIR
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.core.load import load_guide, load_sources
from mentorbook.program.roles import PRACTICE_IDS

ES_DIR = GUIDE_DIR / "es"
SAMPLE_ES = CONTENT_DIR / "examples" / "sample-workbook-es.yml"
TRANSLATED = ("title", "short_title", "summary", "key_point")


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def headings(body: str) -> int:
    return len(re.findall(r"^## ", body, re.MULTILINE))


@pytest.fixture(scope="module")
def english():
    pages, problems = load_guide(GUIDE_DIR)
    assert problems == []
    return {p.id: p for p in pages}


@pytest.fixture(scope="module")
def spanish():
    pages, problems = load_guide(ES_DIR)
    assert problems == []
    return {p.id: p for p in pages}


def test_the_english_guide_reads_only_its_own_folder(english):
    """es/ sits inside content/guide/ but is not part of the English guide."""
    assert all(p.path.parent == GUIDE_DIR for p in english.values())
    sources, problems = load_sources()
    assert problems == []
    assert [p.path.parent for p in sources.guide] == [GUIDE_DIR] * 6
    assert [p.meta["title"] for p in sources.guide][:2] == ["Introduction", "Self-reflect"]


def test_same_pages_file_names_and_order_as_english(english, spanish):
    assert list(spanish) == list(english) == ["introduction", *PRACTICE_IDS]
    for page_id, page in spanish.items():
        assert page.path.name == english[page_id].path.name
        assert page.meta["order"] == english[page_id].meta["order"]
        assert set(page.meta) == set(english[page_id].meta), page_id


@pytest.mark.parametrize("page_id", ["introduction", *PRACTICE_IDS])
def test_each_page_is_spanish_of_similar_length_and_shape(english, spanish, page_id):
    page, source = spanish[page_id], english[page_id]
    for key in TRANSLATED:
        if key in source.meta:
            assert page.meta[key] and page.meta[key] != source.meta[key], key
    assert headings(page.body) == headings(source.body)
    assert 450 <= words(page.body) <= 650, words(page.body)
    assert re.search(r"\b(de|la|que|el|en|los|las|una)\b", page.body)


@pytest.mark.parametrize("page_id", ["introduction", *PRACTICE_IDS])
def test_spanish_typography(spanish, page_id):
    page = spanish[page_id]
    text = page.body + " " + " ".join(str(page.meta.get(key, "")) for key in TRANSLATED)
    assert '"' not in text and "“" not in text and "”" not in text  # quotations in «»
    assert text.count("«") == text.count("»")
    for opening, closing in (("¿", "?"), ("¡", "!")):
        assert text.count(opening) == text.count(closing), opening
        # every question or exclamation opens before it closes, within one sentence
        for match in re.finditer(re.escape(closing), text):
            before = text[:match.start()]
            assert before.rfind(opening) > max(before.rfind(closing), before.rfind(". ")), \
                text[match.start() - 60:match.end()]


def test_the_model_is_credited_as_in_english(spanish):
    intro = spanish["introduction"].body
    assert "adaptadas" in intro and "Zerzan et al., *Academic Medicine*, 2009" in intro


def test_spanish_sample_covers_every_worksheet_and_checks_clean(tmp_path, capsys):
    data = read_yaml(SAMPLE_ES)
    assert data["trainee"]["language"] == "es"
    reflection = data["self_reflection"]
    assert len(reflection["skill_areas"]) >= 5 and {g["term"] for g in reflection["goals"]} == {"short", "long"}
    assert len(data["mentors"]) >= 4 and len(data["agreements"]) >= 3
    items = [item for meeting in data["meetings"] for item in meeting["action_items"]]
    assert {item["status"] for item in items} == {"open", "done"}
    assert any(item["status"] == "open" and str(item["due"]) < "2026-11-25" for item in items)  # overdue
    assert "conclude" in {t["outcome"] for t in data["transitions"]}
    code = main(["check", str(SAMPLE_ES), "--format", "json", "--today", "2026-11-25"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["errors"] == 0, report
