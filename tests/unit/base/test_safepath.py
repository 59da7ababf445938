"""base/safepath.escapes: what a project folder holds that is never read, and what it does not."""

from __future__ import annotations

import os

from mentorbook.base import safepath


def test_a_broken_symlink_and_a_pipe_are_reported(tmp_path):
    (tmp_path / "page.md").write_text("# A page\n", encoding="utf-8")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    os.mkfifo(tmp_path / "pipe.md")
    found = {entry.name: why for entry, why in safepath.escapes(tmp_path, tmp_path)}
    assert found == {"gone.md": "cannot be read (a broken symlink?)",
                     "pipe.md": "is not a regular file (a pipe, socket or device is never read)"}


def test_a_file_renamed_away_while_the_folder_is_read_is_not_an_error(tmp_path, monkeypatch):
    """An editor saves by writing a copy and renaming it over the file: a build that listed the
    folder in between finds the copy gone. That is no broken link (a save raced `serve`)."""
    (tmp_path / "page.md").write_text("# A page\n", encoding="utf-8")
    listed = [(str(tmp_path), [], ["page.md", "page.md.swp"])]  # the copy, renamed away since
    monkeypatch.setattr(safepath.os, "walk", lambda folder, followlinks=False: iter(listed))
    assert safepath.escapes(tmp_path, tmp_path) == []


def test_a_file_that_cannot_be_opened_says_why(tmp_path):
    (tmp_path / "a-file").write_text("x")
    try:
        safepath.read_limited(tmp_path / "a-file" / "workbook.yml", 1000)
    except safepath.UnreadableFile as exc:
        assert exc.reason == "cannot read file: Not a directory", exc.reason
    else:
        raise AssertionError("read through a file")


def test_a_workbook_path_through_a_file_is_one_clear_error(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a-file").write_text("x")
    done = subprocess.run([sys.executable, "-m", "mentorbook", "check", str(tmp_path / "a-file" / "workbook.yml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "Not a directory" in done.stderr + done.stdout, done.stderr
