"""Shared fixtures: builds made once per test session through the library API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from mentorbook import BuildOptions, build
from mentorbook.core.paths import SAMPLE_WORKBOOK

TODAY = dt.date(2026, 11, 25)
SAMPLE_NAME = "Dr. Lena Marchetti"
SAMPLE_GOAL = "Publish a first-author case report"
PRACTICE_TITLES = [
    "Self-reflect",
    "Identify mentors",
    "Establish the relationship",
    "Cultivate the relationship",
    "Refine or conclude",
]
WORKSHEET_TITLES = ["Self-reflection", "Mentor map", "Mentoring agreement", "Meeting log", "Refine or conclude"]


def pytest_configure(config):
    """The suite's own user cache (compiled templates, converted Markdown), shared by the
    processes it starts, so that tests never fill or depend on the real one."""
    import os
    import tempfile

    if "MENTORBOOK_TEST_CACHE" not in os.environ:
        os.environ["MENTORBOOK_TEST_CACHE"] = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="mentorbook-cache-")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    return build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=out, today=TODAY))


@pytest.fixture(scope="session")
def blank_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("blank")
    return build(BuildOptions(out_dir=out, blank=True, today=TODAY))


@pytest.fixture(scope="session")
def sample_pdf(sample_build) -> PdfReader:
    return PdfReader(sample_build.pdf)


@pytest.fixture(scope="session")
def blank_pdf(blank_build) -> PdfReader:
    return PdfReader(blank_build.pdf)


def outline_entries(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, depth first."""
    entries: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return entries


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def fillable_blank(tmp_path_factory) -> Path:
    """A blank fillable workbook (the form a program hands out)."""
    out = tmp_path_factory.mktemp("fillable-blank")
    build(BuildOptions(out_dir=out, blank=True, fillable=True, today=TODAY, format="pdf"))
    return out / "workbook.pdf"


@pytest.fixture(scope="session")
def fillable_sample(tmp_path_factory) -> Path:
    """The sample as a fillable workbook: every form field pre-filled from the YAML."""
    out = tmp_path_factory.mktemp("fillable-sample")
    build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=out, fillable=True, today=TODAY, format="pdf"))
    return out / "workbook.pdf"


@pytest.fixture(scope="session")
def pdf_kinds(tmp_path_factory, sample_build, blank_build, fillable_sample) -> dict[str, Path]:
    """One PDF of every kind mentorbook writes, each built once (for the PDF/UA checks)."""
    from mentorbook.cli import main
    from mentorbook.core.paths import CONTENT_DIR

    out = tmp_path_factory.mktemp("pdf-kinds")
    day = TODAY.isoformat()
    assert main(["build", "--blank", "--page-size", "a4", "--format", "pdf", "--out", str(out / "a4"),
                 "--today", day, "-q"]) == 0
    assert main(["build", "--project", str(CONTENT_DIR / "examples" / "program"), "--format", "pdf",
                 "--out", str(out / "program"), "--today", day, "-q"]) == 0
    assert main(["agenda", "--mentor", "Dr. Samuel Whitcombe", "--date", day, "--out", str(out), "-q"]) == 0
    assert main(["brief", "-m", "Dr. Samuel Whitcombe", "--date", day, "-o", str(out), "-q"]) == 0
    roster = out / "roster.csv"
    roster.write_text("name,role,program,start_date,mentors,email,workbook\n"
                      "Ана Мария Петрова,PGY-1,IM,2026-07-01,Dr. A,,\n"
                      "Nguyễn Thị Ελένη,PGY-2,IM,2025-07-01,Dr. B,,\n"
                      "Good Two,PGY-2,IM,2025-07-01,,,\n", encoding="utf-8")
    assert main(["cohort", str(roster), "--out", str(out / "cohort"), "--jobs", "2", "-q"]) == 0
    return {
        "cohort": out / "cohort" / "cohort.pdf",
        "sample": sample_build.pdf, "blank letter": blank_build.pdf, "blank a4": out / "a4" / "workbook.pdf",
        "fillable": fillable_sample, "example program": out / "program" / "workbook.pdf",
        "agenda": next((out / "agenda").glob("*.pdf")), "brief": next((out / "brief").glob("*.pdf")),
    }
