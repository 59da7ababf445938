"""The advice ("Next steps") in what program staff see of a workbook with private answers:
the real workbook's advice, never advice that only the placeholders call for, and never
a private answer quoted; its milestones are judged on the real workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import poppler_text

from mentorbook.base.paths import WORKSHEETS_DIR
from mentorbook.cli import main

TODAY = dt.date(2026, 11, 25)
SMART = {"specific": "Give the talk.", "measurable": "Presented once.", "achievable": "Slot booked.",
         "relevant": "Teaching role.", "time_bound": "By spring."}
WORKBOOKS = {
    "chen": {  # her skill areas are private; one goal serves a listed area, one high-priority area has none
        "trainee": {"name": "Chen Wei", "start_date": "2026-09-01"},
        "mentors": [{"name": "Dr. Soon", "first_meeting": dt.date(2026, 12, 10)}],  # private, and still ahead
        "self_reflection": {
            "skill_areas": [{"area": "Presentation skills", "priority": "high"},
                            {"area": "SECRET-statistics", "priority": "high"}],
            "goals": [{"title": "Give a grand rounds talk", "term": "short", "skill_area": "Presentation skills",
                       **SMART},
                      {"title": "Learn R", "term": "short", "skill_area": "Presentation skills"}]},
    },
    "dana": {  # everything kept to herself
        "trainee": {"name": "Dana Quiet", "share": "progress-only"},
        "self_reflection": {"skill_areas": [{"area": "SECRET-dana-area", "priority": "high"}],
                            "goals": [{"title": "SECRET-dana-goal", "term": "short"}]},
    },
    "eli": {  # nothing private in it
        "trainee": {"name": "Eli Open"},
        "self_reflection": {"goals": [{"title": "Write a review", "term": "short"}]},
    },
}
# the two practices whose worksheets hold the private answers: the rest of the guide is not the point
MILESTONES = ("program: Private Areas\npractices: [self-reflect, identify-mentors]\n"
              "milestones:\n  - {title: A first mentor, by: week 2, done: mentor}\n")
SECRETS = ("SECRET-statistics", "SECRET-dana-area", "SECRET-dana-goal")


def pdf_text(path: Path) -> str:
    return " ".join(poppler_text(path).split())


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("private-areas")
    project = root / "program"
    (project / "worksheets").mkdir(parents=True)
    (project / "mentorbook.yml").write_text(MILESTONES, encoding="utf-8")
    for name, field in (("1-self-reflection.yml", "{id: area, "), ("2-mentor-map.yml", "{id: first_meeting, ")):
        sheet = (WORKSHEETS_DIR / name).read_text(encoding="utf-8")
        marked = sheet.replace(field, field + "private: true, ")
        assert marked != sheet
        (project / "worksheets" / name).write_text(marked, encoding="utf-8")
    rows = ["name,workbook"]
    for key, data in WORKBOOKS.items():
        (root / f"{key}.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        rows.append(f"{data['trainee']['name']},{key}.yml")
    (root / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = root / "out"
    assert main(["cohort", str(root / "roster.csv"), "--out", str(out), "--jobs", "1", "--project", str(project),
                 "--today", TODAY.isoformat(), "-q"]) == 0
    return out


def test_the_shared_copy_gives_no_advice_that_only_the_placeholders_call_for(cohort):
    shared = pdf_text(cohort / "trainees" / "chen-wei" / "shared.pdf")
    assert "Next steps" in shared and "(private, filled in)" in shared
    assert "which is not in your skill areas" not in shared  # her goals serve an area she listed
    assert "(private, filled in)' has no goal" not in shared
    # the real workbook's advice that quotes nothing private is kept
    assert "Goal 'Learn R' is missing its SMART parts" in shared
    # the real workbook's advice that quotes a private answer is left out
    own = pdf_text(cohort / "trainees" / "chen-wei.pdf")
    assert "High-priority skill area 'SECRET-statistics' has no goal" in own
    assert "has no goal" not in shared
    # the real first meeting is ahead (left out of the shared copy, it would read as undated: met)
    assert "A first mentor, by 15 September 2026: late" in own
    assert "A first mentor, by 15 September 2026: late" in shared
    combined = pdf_text(cohort / "cohort.pdf")
    assert "Goal 'Learn R' is missing its SMART parts" in combined
    assert "which is not in your skill areas" not in combined and "(private, filled in)' has no goal" not in combined


def test_no_output_for_staff_holds_a_private_answer(cohort):
    """Every file of the cohort but each trainee's own workbook (trainees/NAME.pdf, trainees/NAME/site/)."""
    own = {f"trainees/{slug}.pdf" for slug in ("chen-wei", "dana-quiet", "eli-open")}
    staff = [p for p in sorted(cohort.rglob("*")) if p.is_file() and p.relative_to(cohort).as_posix() not in own
             and "/site/" not in p.relative_to(cohort).as_posix()]
    names = {p.relative_to(cohort).as_posix() for p in staff}
    assert {"cohort.pdf", "trainees/chen-wei/shared.pdf", "index.html", "summary.csv"} <= names
    texts = {p: pdf_text(p) if p.suffix == ".pdf" else p.read_bytes().decode("latin-1") for p in staff}
    assert [(p.name, s) for p, text in texts.items() for s in SECRETS if s in text] == []
    assert "Dana Quiet" in texts[cohort / "cohort.pdf"] and "Eli Open" in texts[cohort / "cohort.pdf"]
    assert "SECRET-dana-goal" in pdf_text(cohort / "trainees" / "dana-quiet.pdf")  # her own keeps every answer
