"""Every command that reads a workbook honours a program's project: its worksheets, templates and paper."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.cli import cli, main

EXAMPLE = CONTENT_DIR / "examples" / "program"
# the example program's own worksheet (worksheets/team-map.yml), filled in
TEAM = """
mentoring_team:
  roles:
    - {role: Career mentor, person: Dr. Samuel Whitcombe, status: filled}
    - {role: Near-peer mentor, status: searching}
  biggest_gap: Someone to coach me on presenting research.
"""


@pytest.fixture
def team_workbook(tmp_path):
    path = tmp_path / "trainee.yml"
    path.write_text(SAMPLE_WORKBOOK.read_text(encoding="utf-8") + TEAM, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["agenda", "brief", "calendar", "log", "build", "check", "serve", "cohort",
                                     "import", "schema", "report"])
def test_every_command_that_reads_a_workbook_lists_project(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "--project" in result.output


def test_the_programs_own_worksheet_is_unknown_without_the_project(team_workbook, tmp_path, capsys):
    assert main(["calendar", str(team_workbook), "-o", str(tmp_path / "c.ics"), "-q"]) == 2
    assert "unknown section 'mentoring_team'" in capsys.readouterr().err


def test_agenda_and_calendar_in_the_example_program(team_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["agenda", str(team_workbook), "--project", str(EXAMPLE), "--mentor", "whitcombe",
                 "--date", "2026-12-01", "--out", str(out), "-q"]) == 0
    (pdf,) = (out / "agenda").glob("*.pdf")
    page = PdfReader(pdf).pages[0]
    # the program says A4: 595 x 842 points
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    ics = tmp_path / "mentoring.ics"
    assert main(["calendar", str(team_workbook), "--project", str(EXAMPLE), "-o", str(ics), "-q"]) == 0
    assert ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
    assert "error" not in capsys.readouterr().err


def test_project_is_found_in_the_current_folder(team_workbook, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(EXAMPLE)
    assert main(["log", str(team_workbook), "--mentor", "whitcombe", "--date", "2026-12-02", "--dry-run"]) == 0
    assert "mentor: Dr. Samuel Whitcombe" in capsys.readouterr().out
    assert main(["brief", str(team_workbook), "--mentor", "whitcombe", "--out", str(tmp_path / "b"), "-q"]) == 0
    assert list((tmp_path / "b" / "brief").glob("*.pdf"))


def test_log_keeps_the_programs_worksheet_valid(team_workbook, capsys):
    before = team_workbook.read_text(encoding="utf-8")
    assert main(["log", str(team_workbook), "--project", str(EXAMPLE), "--mentor", "whitcombe",
                 "--date", "2026-12-02", "-q"]) == 0
    after = team_workbook.read_text(encoding="utf-8")
    assert after.startswith(before.split("meetings:")[0]) and "mentoring_team:" in after
    assert "2026-12-02" in after and len(after) > len(before)
    assert main(["check", str(team_workbook), "--project", str(EXAMPLE), "--today", "2026-12-02"]) == 0
