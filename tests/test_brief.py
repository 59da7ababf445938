"""`mentorbook brief`: a one-page "about me" for a prospective or new mentor."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import SAMPLE_GOAL, SAMPLE_NAME, TODAY, pdf_text, write
from pypdf import PdfReader

from mentorbook.base.names import slug
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.pipeline import BuildOptions, prepare

DATE = TODAY.isoformat()


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs")
    workbook = prepare(BuildOptions(workbook=SAMPLE_WORKBOOK, today=TODAY))
    made = {}
    for mentor in workbook.mentors:
        assert main(["brief", "-m", mentor.name, "--date", DATE, "-o", str(out), "-q"]) == 0
        stem = out / "brief" / slug(mentor.name)
        made[mentor.name] = (PdfReader(stem.with_suffix(".pdf")),
                             BeautifulSoup(stem.with_suffix(".html").read_text(encoding="utf-8"), "html.parser"))
    return made


def flat(reader) -> str:
    return " ".join(pdf_text(reader).split())


def test_one_page_for_every_mentor(briefs):
    assert len(briefs) == 5
    for mentor, (pdf, _) in briefs.items():
        assert len(pdf.pages) == 1, mentor
        text = flat(pdf)
        assert SAMPLE_NAME in text and f"ABOUT ME · FOR {mentor.upper()}" in text
        for heading in ("Background", "My values", "How I work", "What I hope you can help with", "My goals"):
            assert heading in text, (mentor, heading)
        assert "Honest feedback, given kindly" in text  # a value
        assert "I plan in weekly blocks" in text  # work style
        assert SAMPLE_GOAL in text


def test_prospective_mentor_gets_proposed_logistics(briefs):
    text = flat(briefs["Dr. Helen Osei"][0])
    assert "Proposed logistics" in text
    assert "Monthly, about an hour" in text  # moderate structure: monthly check-ins
    assert "for our meeting on 5 November 2026" in text
    assert "Meeting creates no obligation" in text
    # goals this mentor serves (research methods) come first, marked with a star
    first = briefs["Dr. Helen Osei"][1].select("ul.goals li")[0]
    assert "mine" in first["class"] and "Research methods" in first.get_text()


def test_agreed_mentor_gets_the_agreement(briefs):
    pdf, html = briefs["Dr. Samuel Whitcombe"]
    text = flat(pdf)
    assert "How we work together" in text and "Proposed logistics" not in text
    for fact in ("First Tuesday, 07:30", "Cardiology conference room B", "Research mentoring toward a first paper",
                 "1 April 2026 to 1 April 2027"):
        assert fact in text, fact
    hopes = [li.get_text(strip=True) for li in html.select("ul.bullets li")]
    assert "Publish a first-author case report" in hopes and "Case report submitted by January 2027" in hopes


def test_long_answers_still_fit(tmp_path):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8")
    long = " ".join(["I keep a running list of drafts and deadlines and review it every Sunday evening."] * 12)
    original = ("  work_style: |\n"
                "    I plan in weekly blocks and do my best writing early in the morning. I work\n"
                "    well with a clear deadline and tend to over-polish drafts when there is none.\n")
    assert original in text
    text = text.replace(original, f"  work_style: {long}\n")
    path = write(tmp_path, "long.yml", text)
    for size in ("letter", "a4"):
        assert main(["brief", str(path), "-m", "Osei", "--date", DATE, "-o", str(tmp_path / "out"),
                     "--page-size", size, "-q"]) == 0
        pdf = PdfReader(tmp_path / "out" / "brief" / "dr-helen-osei.pdf")
        assert len(pdf.pages) == 1, size
        assert "…" in pdf_text(pdf)  # the long answer was cut to fit


def test_unknown_mentor(capsys, tmp_path):
    assert main(["brief", "-m", "Dr. Helen Osie", "-o", str(tmp_path)]) == 2
    assert "did you mean 'Dr. Helen Osei'?" in capsys.readouterr().err
