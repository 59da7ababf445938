"""`mentorbook log`: a new meeting entry, and not one other byte of the file changed."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import stat
from pathlib import Path

import pytest
from conftest import TODAY, write

from mentorbook.base.errors import InputError
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml
from mentorbook.cli import main
from mentorbook.handouts.agenda import make_agenda
from mentorbook.pipeline import BuildOptions, prepare

WHITCOMBE = "Dr. Samuel Whitcombe"


@pytest.fixture
def copy(tmp_path) -> Path:
    path = tmp_path / "me.yml"
    shutil.copyfile(SAMPLE_WORKBOOK, path)
    return path


def added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if anything else changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    changed = [op for op in ops if op[0] != "equal"]
    assert len(changed) == 1 and changed[0][0] == "insert", "".join(difflib.unified_diff(old, new))
    _, _, _, j1, j2 = changed[0]
    return new[j1:j2]


def log(path, *args) -> int:
    return main(["log", str(path), *map(str, args)])


def test_log_then_check_passes_and_the_diff_only_adds(copy, capsys):
    before = copy.read_text(encoding="utf-8")
    assert log(copy, "--mentor", "Whitcombe", "--date", "2026-12-01") == 0
    after = copy.read_text(encoding="utf-8")
    added = added_lines(before, after)
    assert added[0] == "  - date: 2026-12-01\n"
    # right after the last meeting, before the comment that heads the next section
    assert after.index("".join(added)) < after.index("# Practice 5: refine or conclude")
    assert "me.yml:" in capsys.readouterr().out
    workbook = prepare(BuildOptions(workbook=copy, today=dt.date(2026, 12, 1)))  # raises on any error
    assert len(workbook.meetings) == 7
    assert main(["check", str(copy), "--today", "2026-12-01"]) == 0
    assert "0 errors" in capsys.readouterr().err


def test_the_entry_holds_the_agenda_and_the_open_items(copy):
    sample = prepare(BuildOptions(workbook=SAMPLE_WORKBOOK, today=dt.date(2026, 12, 1)))
    plan = make_agenda(sample, WHITCOMBE, dt.date(2026, 12, 1))
    assert log(copy, "-m", WHITCOMBE, "--date", "2026-12-01", "-q") == 0
    entry = read_yaml(copy)["meetings"][-1]
    assert entry["date"] == "2026-12-01" and entry["mentor"] == WHITCOMBE
    assert list(entry["agenda"]) == [t.text for t in plan.topics]
    assert entry["agenda"][0] == "Case report and writing"  # the rotating topic comes first
    assert list(entry["updates"]) == [] and list(entry["questions"]) == [] and entry["notes"] == ""
    carried = [(i["task"], i["owner"], i["due"], i["status"]) for i in entry["action_items"]]
    assert carried == [(i.task, i.owner, i.due.isoformat(), "open")
                       for i in sample.open_action_items if i.mentor == WHITCOMBE]
    assert "next_meeting" not in entry


def test_the_next_agenda_rotates_on(copy):
    assert log(copy, "-m", WHITCOMBE, "--date", "2026-12-01", "-q") == 0
    workbook = prepare(BuildOptions(workbook=copy, today=dt.date(2027, 1, 5)))
    plan = make_agenda(workbook, WHITCOMBE, dt.date(2027, 1, 5))
    assert plan.rotation.topic == "Readmission project"
    # carried-forward copies count once
    assert len(plan.action_items) == 3


def test_refuses_a_second_entry_for_the_same_day(copy, capsys):
    assert log(copy, "-m", WHITCOMBE, "--date", "2026-12-01", "-q") == 0
    once = copy.read_bytes()
    assert log(copy, "-m", WHITCOMBE, "--date", "2026-12-01") == 2
    assert "already logged" in capsys.readouterr().err
    assert copy.read_bytes() == once


def test_refuses_a_file_with_yaml_errors(tmp_path, capsys):
    text = SAMPLE_WORKBOOK.read_text(encoding="utf-8").replace("  role: PGY-2", "  role: [PGY-2")
    path = write(tmp_path, "broken.yml", text)
    assert log(path, "-m", WHITCOMBE, "--date", "2026-12-01") == 2
    err = capsys.readouterr().err
    assert "broken.yml:" in err and "error" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8") == text
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_refuses_invalid_workbooks_and_unknown_mentors(copy, capsys):
    text = copy.read_text(encoding="utf-8").replace("    competence: 5\n", "    competence: 9\n", 1)
    copy.write_text(text, encoding="utf-8")
    assert log(copy, "-m", WHITCOMBE) == 2
    assert "outside the scale" in capsys.readouterr().err
    shutil.copyfile(SAMPLE_WORKBOOK, copy)
    assert log(copy, "-m", "Dr. Natarjan") == 2
    assert "did you mean 'Dr. Priya Natarajan'?" in capsys.readouterr().err
    assert copy.read_bytes() == SAMPLE_WORKBOOK.read_bytes()


def test_never_changes_the_bundled_sample(capsys):
    before = SAMPLE_WORKBOOK.read_bytes()
    assert main(["log", "-m", WHITCOMBE, "--date", "2026-12-01"]) == 2
    assert "copy it first" in capsys.readouterr().err
    assert SAMPLE_WORKBOOK.read_bytes() == before


@pytest.mark.parametrize("change", [
    lambda text: text.replace("    competence: 5\n", "    competence: 4\n", 1),  # an answer elsewhere
    lambda text: text.replace("mentor: Dr. Samuel Whitcombe", "mentor: Dr. Samuel Whitcomb", 1),  # an earlier entry
    lambda text: text.replace("  - date: 2026-12-01\n", "  - date: 2026-12-02\n"),  # the new entry itself
    lambda text: text + "extra: 1\n",  # a section added
], ids=["answer", "earlier entry", "new entry", "new section"])
def test_a_text_that_changes_more_than_the_new_entry_is_never_written(copy, monkeypatch, capsys, change):
    """The safety net under the splice: the new text is read as mentorbook reads a workbook
    and must hold the old data plus the entry, or nothing is written."""
    import mentorbook.handouts.log as logbook

    splice = logbook.splice

    def spoiled(text, doc, entry):
        new_text, line, block = splice(text, doc, entry)
        assert change(new_text) != new_text
        return change(new_text), line, block

    monkeypatch.setattr(logbook, "splice", spoiled)
    before = copy.read_bytes()
    assert log(copy, "-m", WHITCOMBE, "--date", "2026-12-01") == 1
    assert "could not add the meeting without changing other entries; nothing was written" in \
        capsys.readouterr().err
    assert copy.read_bytes() == before


def test_dry_run_prints_without_writing(copy, capsys):
    before = copy.read_bytes()
    assert log(copy, "-m", "Natarajan", "--date", "2026-12-03", "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.startswith("  - date: 2026-12-03\n    mentor: Dr. Priya Natarajan\n")
    assert "Write a one-page reflection on the feedback conversation" in out
    assert copy.read_bytes() == before


MINIMAL = """\
# my workbook
trainee:
  name: Test Person   # me
mentors:
- name: Dr. A
- name: Dr. B
agreements:
- mentor: Dr. A
  frequency: monthly
  agenda: {topics: fixed, topic_list: [Research, 'Career: next steps']}
"""


@pytest.mark.parametrize("meetings, style", [
    ("", "missing"),
    ("meetings:\n# nothing yet\n", "empty"),
    ("meetings:\n- date: 2026-01-10\n  mentor: Dr. A\n  action_items:\n  - {task: Read the paper, due: 2026-02-01}\n"
     "\n# the end\n", "flush"),
    ("meetings: []\n", "flow"),
])
def test_other_layouts(tmp_path, meetings, style):
    path = write(tmp_path, "wb.yml", MINIMAL + meetings)
    before = path.read_text(encoding="utf-8")
    assert log(path, "-m", "Dr. A", "--date", "2026-03-01", "-q") == 0
    after = path.read_text(encoding="utf-8")
    workbook = prepare(BuildOptions(workbook=path, today=dt.date(2026, 3, 1)))
    meeting = workbook.meetings[-1]
    assert (meeting.date, meeting.mentor) == (dt.date(2026, 3, 1), "Dr. A")
    assert meeting.agenda == ("Research", "Career: next steps")
    if style == "flow":  # only the brackets go
        assert after.startswith(before.replace("meetings: []\n", "meetings:\n- date: 2026-03-01\n"))
        return
    added = added_lines(before, after)
    if style == "flush":  # the file's own indentation: dashes flush with the key
        assert added[0] == "- date: 2026-03-01\n"
        assert [i.task for i in meeting.action_items] == ["Read the paper"]
        assert after.rstrip().endswith("# the end")
    if style == "missing":
        assert "".join(added).startswith("\nmeetings:\n- date: 2026-03-01\n")


def test_keeps_windows_line_endings_and_file_mode(tmp_path):
    path = tmp_path / "crlf.yml"
    path.write_bytes(SAMPLE_WORKBOOK.read_bytes().replace(b"\n", b"\r\n"))
    path.chmod(0o600)
    before = path.read_bytes()
    assert log(path, "-m", WHITCOMBE, "--date", "2026-12-01", "-q") == 0
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    added = added_lines(before.decode(), after.decode())
    assert all(line.endswith("\r\n") for line in added)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_library_call_reports_where_the_entry_went(copy):
    from mentorbook.handouts.log import append_meeting

    workbook = prepare(BuildOptions(workbook=copy, today=dt.date(2026, 12, 1)))
    result = append_meeting(copy, make_agenda(workbook, WHITCOMBE, dt.date(2026, 12, 1)))
    lines = copy.read_text(encoding="utf-8").splitlines()
    assert lines[result.line - 1] == "  - date: 2026-12-01"
    with pytest.raises(InputError):
        append_meeting(copy, make_agenda(workbook, WHITCOMBE, dt.date(2026, 12, 1)))


def test_carried_forward_items_count_once_in_check(copy, capsys):
    def check() -> dict:
        assert main(["check", str(copy), "--format", "json", "--today", TODAY.isoformat()]) == 0
        return json.loads(capsys.readouterr().out)

    before = check()
    assert main(["log", str(copy), "--mentor", "Dr. Priya Natarajan", "--date", TODAY.isoformat()]) == 0
    capsys.readouterr()
    after = check()
    overdue = [p for p in after["problems"] if "one-page reflection" in p["message"]]
    assert len(overdue) == 1, overdue
    assert overdue[0]["field"].startswith("meetings[6]"), "the carried-forward copy is the one that counts"
    assert after["errors"] == 0 and before["errors"] == 0
