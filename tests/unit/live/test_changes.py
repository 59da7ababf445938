"""live/changes.py: inotify tells a save that is done from a write still under way."""

from __future__ import annotations

import os
import sys

import pytest

from mentorbook.live.changes import open_changes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture
def changes(tmp_path):
    watcher = open_changes([tmp_path])
    assert watcher is not None, "inotify is there on Linux"
    yield watcher
    watcher.close()


def test_a_file_still_being_written_is_not_finished(tmp_path, changes):
    with open(tmp_path / "me.yml", "w", encoding="utf-8") as handle:
        handle.write("trainee:\n")
        handle.flush()
        assert changes.wait(1.0) and not changes.finished
        handle.write("  name: Ana\n")
    assert changes.wait(1.0) and changes.finished


def test_a_file_renamed_into_place_is_finished(tmp_path, changes):
    (tmp_path / "me.yml.saving").write_text("trainee: {name: Ana}\n", encoding="utf-8")
    os.replace(tmp_path / "me.yml.saving", tmp_path / "me.yml")
    assert changes.wait(1.0) and changes.finished
    assert not changes.wait(0.05)  # every event was read


def test_a_long_name_and_many_events_are_read_whole(tmp_path, changes):
    name = "n" * 200
    for i in range(300):
        (tmp_path / f"{name}{i}").write_text("x")
    (tmp_path / "last").touch()
    os.chmod(tmp_path / "last", 0o600)  # an attribute change does not end a save
    assert changes.wait(1.0) and not changes.finished
    assert not changes.wait(0.05)


def test_a_removed_file_does_not_end_a_save(tmp_path, changes):
    (tmp_path / "me.yml").write_text("x")
    assert changes.wait(1.0) and changes.finished
    (tmp_path / "me.yml").unlink()  # some editors remove the file, then write it anew
    assert changes.wait(1.0) and not changes.finished
