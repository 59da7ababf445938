"""Translations keep to their style guide: each docs/translation/glossary-<lang>.yml lists
forms a language never uses (Spanish *vosotros*, European Portuguese spellings) and, per
concept, the chosen term and the synonyms to avoid. The shipped catalog and guidance pages
of that language are checked against it, with no build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARIES = sorted((ROOT / "docs" / "translation").glob("glossary-*.yml"))
NOT_PROSE = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|`[^`]*`|\{[^}]*\}|https?://\S+")


@dataclass
class Rules:
    """One glossary, compiled."""

    language: str
    catalog: Path
    guide: Path
    forbidden: list[tuple[str, re.Pattern, set[str], list[re.Pattern], str]]
    avoid: list[tuple[str, re.Pattern]]
    expect: list[tuple[str, re.Pattern, re.Pattern]]
    examples: dict


def words(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def rules(path: Path) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    forbidden = [(f"{item['name']}", words("|".join(item["patterns"])),
                  {w.lower() for w in item.get("except", [])},
                  [re.compile(rf"(?:{p})", re.IGNORECASE) for p in item.get("except_like", [])],
                  item.get("scope", "all"))
                 for item in data.get("forbidden", [])]
    avoid = [(f"{term['concept']}: use {term['use']}", words(p))
             for term in data["terms"] for p in term.get("avoid", [])]
    expect = [(f"{term['concept']}: use {term['use']}", re.compile(term["en"], re.IGNORECASE),
               re.compile(term["expect"], re.IGNORECASE)) for term in data["terms"] if "expect" in term]
    return Rules(data["language"], ROOT / data["catalog"], ROOT / data["guide"], forbidden, avoid, expect,
                 data.get("examples", {}))


def prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


def lint(text: str, r: Rules, scope: str = "all") -> list[str]:
    """What in ``text`` (from the ``catalog``, the ``guide`` or anywhere) breaks the
    glossary: '<rule>: <the words>'."""
    text = prose(text)
    found = []
    for name, pattern, allowed, allowed_like, where in r.forbidden:
        if where not in ("all", scope) and scope != "all":
            continue
        for match in pattern.finditer(text):
            word = match.group(0)
            if word.lower() not in allowed and not any(p.fullmatch(word) for p in allowed_like):
                found.append(f"{name}: {word!r}")
    found += [f"{name}: {m.group(0)!r}" for name, pattern in r.avoid for m in pattern.finditer(text)]
    return found


def catalog_problems(catalog: Path, r: Rules) -> list[str]:
    with catalog.open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    problems = []
    for message in messages:
        english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"{catalog.relative_to(ROOT) if catalog.is_relative_to(ROOT) else catalog}: {english[:70]!r}"
        for text in strings:
            problems += [f"{where}: {p}" for p in lint(text, r, "catalog")]
            problems += [f"{where}: {name}" for name, en, expect in r.expect
                         if en.search(prose(english)) and not expect.search(prose(text))]
    return problems


def guide_problems(folder: Path, r: Rules) -> list[str]:
    problems = []
    for page in sorted(folder.glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            line = re.sub(r"^(title|short_title|summary|key_point|id|order):", "", line)
            where = f"{page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}:{number}"
            problems += [f"{where}: {p}" for p in lint(line, r, "guide")]
    return problems


@pytest.fixture(scope="module", params=GLOSSARIES, ids=lambda p: p.stem.removeprefix("glossary-"))
def glossary(request) -> Rules:
    return rules(request.param)


def test_every_shipped_catalog_has_a_glossary():
    catalogs = {p.parent.parent.name for p in (ROOT / "generator" / "locale").glob("*/LC_MESSAGES/mentorbook.po")}
    covered = {rules(path).catalog.parent.parent.name for path in GLOSSARIES}
    assert catalogs and catalogs <= covered


def test_the_catalog_follows_its_glossary(glossary):
    assert catalog_problems(glossary.catalog, glossary) == []


def test_the_guidance_follows_its_glossary(glossary):
    assert list(glossary.guide.glob("*.md"))
    assert guide_problems(glossary.guide, glossary) == []


def test_the_glossary_catches_what_it_names(glossary):
    """Each glossary's own examples: every 'flagged' sentence breaks a rule, no 'clean' one does."""
    flagged, clean = glossary.examples["flagged"], glossary.examples["clean"]
    assert len(flagged) >= 8 and clean
    assert [s for s in flagged if not lint(s, glossary)] == []
    assert {s: lint(s, glossary) for s in clean if lint(s, glossary)} == {}


def test_a_bad_entry_or_page_is_reported_where_it_is(glossary, tmp_path):
    """One flagged sentence slipped into a copy of the catalog and of a guidance page is
    reported with its message and its line."""
    bad = glossary.examples["flagged"][0]
    source = glossary.catalog.read_text(encoding="utf-8")
    block = re.search(r'\nmsgid "(Mentoring workbook)"\nmsgstr "[^"\n]*"', source)
    catalog = tmp_path / "mentorbook.po"
    catalog.write_text(source.replace(block.group(0), f'\nmsgid "{block.group(1)}"\nmsgstr "{bad}"'),
                       encoding="utf-8")
    problems = catalog_problems(catalog, glossary)
    assert problems and all("'Mentoring workbook'" in p for p in problems)
    page = sorted(glossary.guide.glob("*.md"))[1]
    lines = page.read_text(encoding="utf-8").splitlines()
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / page.name).write_text("\n".join(lines[:12] + [bad] + lines[12:]), encoding="utf-8")
    problems = guide_problems(tmp_path / "guide", glossary)
    assert problems and all(p.startswith(f"{tmp_path / 'guide' / page.name}:13: ") for p in problems)
