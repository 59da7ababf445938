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
