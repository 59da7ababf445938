"""`mentorbook log` on one workbook from many commands at once, through links, and onto a full disk."""

from __future__ import annotations

import datetime as dt
import errno
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from mentorbook.base import writer as writer_module
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.cli import main
from mentorbook.pipeline import BuildOptions, prepare

WHITCOMBE = "Dr. Samuel Whitcombe"
FIRST = dt.date(2027, 1, 4)


def _log(path: str, day: str) -> None:
    os._exit(main(["log", path, "--mentor", "Whitcombe", "--date", day, "-q"]))


def meetings(path: Path, today: dt.date = FIRST) -> list[dt.date]:
    return [m.date for m in prepare(BuildOptions(workbook=path, today=today + dt.timedelta(days=60))).meetings]


RUNS = 8  # each holds the lock ~0.5 s; tests/test_hardening3_writer.py has 20 processes on update_file itself


def test_log_runs_at_once_add_one_meeting_each(tmp_path):
    path = tmp_path / "me.yml"
    shutil.copyfile(SAMPLE_WORKBOOK, path)
    before = len(meetings(path))
    days = [(FIRST + dt.timedelta(days=i)).isoformat() for i in range(RUNS)]
    context = multiprocessing.get_context("fork")
    runs = [context.Process(target=_log, args=(str(path), day)) for day in days]
    for run in runs:
        run.start()
    for run in runs:
        run.join(240)
    assert [r.exitcode for r in runs] == [0] * RUNS
    logged = meetings(path)
    assert len(logged) == before + RUNS
    assert sorted(d.isoformat() for d in logged[before:]) == days
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.yml"]


def test_log_on_a_symlink_changes_the_real_workbook(tmp_path):
    real = tmp_path / "work" / "me.yml"
    real.parent.mkdir()
    shutil.copyfile(SAMPLE_WORKBOOK, real)
    link = tmp_path / "me.yml"
    link.symlink_to(real)
    assert main(["log", str(link), "--mentor", "Whitcombe", "--date", FIRST.isoformat(), "-q"]) == 0
    assert link.is_symlink() and Path(os.readlink(link)) == real
    assert FIRST in meetings(real)


def test_log_keeps_a_hard_linked_workbook_one_file(tmp_path):
    path = tmp_path / "me.yml"
    shutil.copyfile(SAMPLE_WORKBOOK, path)
    other = tmp_path / "backup-name.yml"
    os.link(path, other)
    assert main(["log", str(other), "--mentor", "Whitcombe", "--date", FIRST.isoformat(), "-q"]) == 0
    assert path.read_bytes() == other.read_bytes() and path.stat().st_ino == other.stat().st_ino
    assert FIRST in meetings(path)


def test_log_onto_a_full_disk_is_one_message_and_the_workbook_is_kept(tmp_path, monkeypatch, capsys):
    path = tmp_path / "me.yml"
    shutil.copyfile(SAMPLE_WORKBOOK, path)
    before = path.read_bytes()
    monkeypatch.setattr(writer_module.os, "write",
                        lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    assert main(["log", str(path), "--mentor", "Whitcombe", "--date", FIRST.isoformat(), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"Error: cannot write {path}: the disk is full; free some space and run the command "
                           "again; what was there before is unchanged")
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["me.yml"]


@pytest.mark.parametrize("head, why", [
    (b"\xff\xfe", "UTF-16; "), (b"\xff\xfe\x00\x00", "UTF-32 (it starts with a UTF-32 byte order mark); "),
    (b"\xfe\xff", "UTF-16; "),
])
def test_log_refuses_a_workbook_in_another_encoding_and_says_why(tmp_path, capsys, head, why):
    path = tmp_path / "me.yml"
    path.write_bytes(head + "trainee:\n  name: A\n".encode("utf-16-le"))
    before = path.read_bytes()
    assert main(["log", str(path), "--mentor", "X", "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1: error: the file is {why}" in err and "save it as UTF-8" in err and "Traceback" not in err
    assert path.read_bytes() == before
