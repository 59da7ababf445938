"""Text that isn't text: control and bidi characters refused where they stand, invisible
characters shown escaped in messages, names compared as names, alias expansion bounded,
files in other encodings named, SOURCE_DATE_EPOCH checked."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import TODAY
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbook.base.limits import char_problem
from mentorbook.base.names import lookalike_key, name_key
from mentorbook.cli import main
from mentorbook.pipeline import BuildOptions, analyse


def book(tmp_path: Path, text: str, name: str = "me.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(path: Path, capsys) -> tuple[int, str]:
    code = main(["check", str(path), "--today", TODAY.isoformat()])
    captured = capsys.readouterr()
    return code, captured.out + captured.err  # problems on stdout, the summary on stderr


@pytest.mark.parametrize("escaped, shown, what", [
    (r"\e[31m", r"\x1b", "(escape)"), (r"\x85", r"\u0085", "(next line)"), (r"\0", r"\x00", "(null)"),
    (r"\x9b", r"\u009b", "(a control character)"), (r"\u202e", r"\u202e", "(right-to-left override)"),
    (r"\u2066", r"\u2066", "(left-to-right isolate)"), (r"\r", r"\x0d", "(carriage return)"),
])
def test_control_and_bidi_characters_in_a_name_are_refused_where_they_stand(tmp_path, capsys, escaped, shown, what):
    path = book(tmp_path, f'trainee:\n  name: "Ana{escaped}Lima"\n  role: Resident\n')
    code, err = check(path, capsys)
    assert code == 2
    assert f"{path}:2:9: error: trainee.name: 'Ana{shown}" in err and what in err, err
    assert "\x1b" not in err and "\x85" not in err and "\u202e" not in err


def test_tabs_and_newlines_stay_welcome(tmp_path, capsys):
    path = book(tmp_path, 'trainee:\n  name: "Ana\\tLima"\n  role: "Resident"\n')
    assert check(path, capsys)[0] == 0


MAP = """trainee:
  name: Ana Lima
mentors:
  - name: Dr. Samuel Whitcombe
  - name: Dr. José Ortega
"""


def test_a_message_shows_invisible_characters_escaped(tmp_path, capsys):
    path = book(tmp_path, MAP + 'meetings:\n  - date: 2026-09-01\n    mentor: "Dr. Zed\\u200b\\u00a0Q"\n')
    code, err = check(path, capsys)
    assert code == 2 and r"'Dr. Zed\u200b\u00a0Q' is not in the mentors list" in err




def test_a_name_written_differently_is_the_same_person_with_a_warning(tmp_path, capsys):
    path = book(tmp_path, MAP + 'meetings:\n  - date: 2026-09-01\n    mentor: "Dr. Samuel\\u200b Whitcombe"\n'
                                '  - date: 2026-09-08\n    mentor: "dr. jose\\u0301 ortega"\n')
    code, err = check(path, capsys)
    assert code == 0
    assert (f"{path}:8:13: warning: meetings[0].mentor: 'Dr. Samuel\\u200b Whitcombe' is written differently from "
            "'Dr. Samuel Whitcombe' in the mentors list (\\u200b (zero width space)); taken as the same person") in err
    assert r"'dr. jose\u0301 ortega' is written differently from 'Dr. José Ortega'" not in err  # NFC: no \u0301
    workbook = analyse(BuildOptions(workbook=path, today=TODAY)).workbook
    assert [m.mentor for m in workbook.meetings] == ["Dr. Samuel Whitcombe", "Dr. José Ortega"]


def test_a_look_alike_name_is_not_the_same_person_and_is_named(tmp_path, capsys):
    path = book(tmp_path, MAP + '  - name: "Dr. Samuel Whitc\\u043embe"\nmeetings:\n  - date: 2026-09-01\n'
                                '    mentor: "Dr. S\\u0430muel Whitcombe"\n')
    code, err = check(path, capsys)
    assert code == 2
    assert ("meetings[0].mentor: 'Dr. Sаmuel Whitcombe' is not in the mentors list (it looks like 'Dr. Samuel "
            "Whitcombe' but is not the same: а (cyrillic small letter a))") in err
    assert (f"{path}:6:11: warning: mentors[2].name: 'Dr. Samuel Whitcоmbe' and mentors[0] 'Dr. Samuel Whitcombe' "
            "look alike but are not the same (о (cyrillic small letter o))") in err


@given(st.text(max_size=12))
def test_name_keys_ignore_what_readers_cannot_see(name):
    assert name_key(name) == name_key(name + "\u200b") == name_key(" " + name.upper() + "\u00a0")
    assert lookalike_key(name.replace("a", "\u0430")) == lookalike_key(name)


@settings(max_examples=80)
@given(st.text(max_size=20))
def test_any_name_is_accepted_or_refused_with_the_character_escaped(name):
    problem = char_problem("text", name)
    bad = [ch for ch in name if (ord(ch) < 32 and ch not in "\t\n") or 0x7F <= ord(ch) <= 0x9F
           or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 or 0xD800 <= ord(ch) <= 0xDFFF]
    assert (problem is None) == (not bad)
    if problem:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", problem[0])


def test_alias_expansion_is_bounded_by_the_file_s_own_limit(tmp_path, capsys):
    note = "word " * 4000  # 20,000 characters, written once
    meetings = "".join(f"  - date: 2026-09-{i % 28 + 1:02d}\n    mentor: Dr. X\n    notes: *n\n" for i in range(150))
    path = book(tmp_path, f"trainee:\n  name: Ana\n  role: &n {json.dumps(note)}\nmentors:\n  - name: Dr. X\n"
                          f"meetings:\n{meetings}")
    assert path.stat().st_size < 60_000
    code, err = check(path, capsys)
    assert code == 2 and "YAML aliases (*name) expand this file beyond 2 MiB of text" in err
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: error", err)


@pytest.mark.parametrize("data, message", [
    ("trainee:\n  name: Ana\n".encode("utf-16-le"),
     ":1:2: error: the file looks like UTF-16 text without a byte order mark"),
    (b"\x00\x00\xfe\xff" + "trainee:\n".encode("utf-32-be"),
     ":1: error: the file is UTF-32 (it starts with a UTF-32 byte order mark); save it as UTF-8"),
    (b"trainee:\n  name: Ana\x00Lima\n", ":2:12: error: the file holds a NUL character (a zero byte)"),
])
def test_files_in_another_encoding_or_with_nul_are_named_and_located(tmp_path, capsys, data, message):
    path = tmp_path / "me.yml"
    path.write_bytes(data)
    code, err = check(path, capsys)
    assert code == 2 and f"{path}{message}" in err and "Traceback" not in err


def test_a_roster_name_with_a_control_character_is_refused_at_its_line(tmp_path):
    from mentorbook.staff.roster import read_roster

    roster = tmp_path / "roster.csv"
    roster.write_text("name,role\nAna Lima,Fellow\n\"Bea\x1bRuiz\",Fellow\n", encoding="utf-8")
    read = read_roster(roster)
    assert [r.name for r in read.rows] == ["Ana Lima"]
    assert read.problems[0].line == 3 and r"'Bea\x1bRuiz' holds \x1b (escape)" in read.problems[0].message


@pytest.mark.parametrize("value", ["abc", "-5", "1e9", "1.5", "99999999999999999999", "７"])
def test_a_bad_source_date_epoch_is_a_located_error(tmp_path, monkeypatch, capsys, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("SOURCE_DATE_EPOCH: error: '") and "is not a time mentorbook can build at" in err
    assert "Traceback" not in err


def test_a_good_source_date_epoch_is_the_build_date(monkeypatch):
    from mentorbook.pipeline import build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_date(None) == dt.date(2026, 1, 1)
