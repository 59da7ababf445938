"""Loading a project's sources: what was read last is kept by the bytes it came from."""

from __future__ import annotations

from pathlib import Path

from mentorbook.core.load import load_sources
from mentorbook.program.config import load_project

PAGE = "---\nid: contacts\ntitle: {title}\norder: 10\n---\n\nAsk the program office.\n"


def project(tmp_path: Path, title: str) -> Path:
    (tmp_path / "pages").mkdir(exist_ok=True)
    (tmp_path / "mentorbook.yml").write_text("program: A program\n", encoding="utf-8")
    (tmp_path / "pages" / "contacts.md").write_text(PAGE.format(title=title), encoding="utf-8")
    return tmp_path


def titles(sources) -> list[str]:
    return [page.meta.get("title") for page in sources.guide]


def test_sources_read_again_only_when_a_file_they_come_from_changed(tmp_path):
    root = project(tmp_path, "Contacts")
    first, problems = load_sources(load_project(root))
    again, _ = load_sources(load_project(root))  # the config read again, as serve does before each build
    assert again is first and problems == [] and "Contacts" in titles(first)
    project(tmp_path, "Contacto")  # the same size, written at once: only its bytes tell
    changed, _ = load_sources(load_project(root))
    assert changed is not first and "Contacto" in titles(changed) and "Contacts" not in titles(changed)
    (root / "pages" / "contacts.md").write_text("---\nid: contacts\ntitle: [broken\n---\n", encoding="utf-8")
    broken, problems = load_sources(load_project(root))
    problems.append("a caller's own list")
    assert load_sources(load_project(root))[1] == problems[:-1] != []
