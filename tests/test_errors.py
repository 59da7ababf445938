"""Bad workbooks: FILE:LINE messages, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main

GOOD_HEAD = """\
trainee:
  name: Test Person
self_reflection:
  goals:
    - title: Write a paper
      term: short
      target_date: 2027-01-31
"""


def run(argv, capsys):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


CASES = {
    "syntax": (GOOD_HEAD + "mentors:\n  - name: [Dr. Unclosed\n", 9),
    "unknown_field": (GOOD_HEAD + "      targte_date: 2027-02-01\n", 8),
    "bad_date": (GOOD_HEAD.replace("2027-01-31", "2027-02-30"), 7),
    "wrong_type": (GOOD_HEAD + "mentors:\n  - name: Dr. A\n    competence: very\n", 10),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_workbook_exits_2_with_file_and_line(tmp_path, capsys, case):
    text, line = CASES[case]
    path = write(tmp_path, f"{case}.yml", text)
    out = tmp_path / "out"
    code, stdout, stderr = run(["build", str(path), "--out", str(out), "-q"], capsys)
    assert code == 2
    assert f"{path}:{line}" in stderr, stderr
    assert "Traceback" not in stderr
    assert not out.exists(), "no partial output"


def test_messages_suggest_the_fix(tmp_path, capsys):
    path = write(tmp_path, "typo.yml", GOOD_HEAD + "      targte_date: 2027-02-01\n      term2: x\nmentrs: []\n")
    _, _, stderr = run(["build", str(path), "--out", str(tmp_path / "o"), "-q"], capsys)
    assert "did you mean 'target_date'?" in stderr
    assert "did you mean 'mentors'?" in stderr
    assert "3 errors found" in stderr  # every problem at once, not just the first


def test_bad_date_names_the_field(tmp_path, capsys):
    path = write(tmp_path, "date.yml", CASES["bad_date"][0])
    _, _, stderr = run(["build", str(path), "--out", str(tmp_path / "o"), "-q"], capsys)
    assert "self_reflection.goals[0].target_date" in stderr
    assert "'2027-02-30' is not a date" in stderr
    assert "YYYY-MM-DD" in stderr


def test_unknown_choice_and_missing_mentor_reference(tmp_path, capsys):
    text = GOOD_HEAD + (
        "mentors:\n  - name: Dr. Ada Quinn\n    career_stage: senoir\n"
        "meetings:\n  - date: 2026-10-01\n    mentor: Dr. Ada Quin\n"
    )
    path = write(tmp_path, "refs.yml", text)
    code, _, stderr = run(["build", str(path), "--out", str(tmp_path / "o"), "-q"], capsys)
    assert code == 2
    assert f"{path}:10" in stderr and "did you mean 'senior' (Senior faculty)?" in stderr
    assert f"{path}:13" in stderr and "did you mean 'Dr. Ada Quinn'?" in stderr


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    code, _, stderr = run(["build", str(tmp_path / "nope.yml"), "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "nope.yml" in stderr and "file not found" in stderr


def test_console_script_reports_without_traceback(tmp_path):
    path = write(tmp_path, "bad.yml", CASES["unknown_field"][0])
    exe = Path(sys.executable).with_name("mentorbook")
    proc = subprocess.run([str(exe), "build", str(path), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert f"{path}:8" in proc.stderr and "Traceback" not in proc.stderr


def test_failed_build_keeps_previous_output(sample_output, tmp_path, capsys):
    out = sample_output  # a build of the sample
    before = (out / "workbook.pdf").read_bytes()
    bad = write(tmp_path, "bad.yml", CASES["bad_date"][0])
    assert run(["build", str(bad), "--out", str(out), "-q"], capsys)[0] == 2
    assert (out / "workbook.pdf").read_bytes() == before


def test_sample_is_valid(capsys, tmp_path):
    from mentorbook.pipeline import BuildOptions, prepare

    workbook = prepare(BuildOptions(workbook=SAMPLE_WORKBOOK))
    assert workbook.trainee.name == "Dr. Lena Marchetti"
    assert len(workbook.mentors) >= 3 and any(m.concluded for m in workbook.mentors)
    statuses = {item.status for item in workbook.action_items}
    assert statuses == {"open", "done"}
