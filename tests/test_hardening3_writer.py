"""Changing a file a person owns (base/writer.update_file) and writing an output folder
(base/writer.Writer) when commands run at once, are killed, or meet a full disk."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from mentorbook.base import writer as writer_module
from mentorbook.base.errors import InputError, OutputError, Problem
from mentorbook.base.manifest import JOURNAL, MANIFEST, content_hash
from mentorbook.base.writer import BACKUP, STAGED, Writer, update_file, write_file


def _append(path: str, line: str) -> None:
    update_file(Path(path), lambda old: old + line.encode() + b"\n")


def test_twenty_processes_changing_one_file_lose_no_change(tmp_path):
    target = tmp_path / "workbook.yml"
    target.write_text("meetings:\n")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append, args=(str(target), f"- {i}")) for i in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0] * 20
    lines = target.read_text().splitlines()
    assert sorted(lines[1:]) == sorted(f"- {i}" for i in range(20)), "every change kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workbook.yml"], "no staging or lock file left"


def test_a_symlinked_file_is_changed_through_its_link(tmp_path):
    real = tmp_path / "real" / "me.yml"
    real.parent.mkdir()
    real.write_text("a\n")
    os.chmod(real, 0o600)
    link = tmp_path / "me.yml"
    link.symlink_to(real)
    assert update_file(link, lambda old: old + b"b\n")
    assert link.is_symlink() and os.readlink(link) == str(real), "the link stays a link"
    assert real.read_text() == "a\nb\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600, "the file keeps its mode"


def test_a_symlink_leading_outside_where_it_may_be_is_refused(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("theirs\n")
    folder = tmp_path / "workbooks"
    folder.mkdir()
    (folder / "me.yml").symlink_to(outside)
    with pytest.raises(OutputError, match="outside"):
        update_file(folder / "me.yml", lambda old: b"mine\n", within=folder)
    assert outside.read_text() == "theirs\n"


def test_hard_links_keep_showing_one_file(tmp_path):
    first = tmp_path / "me.yml"
    first.write_text("a\n")
    second = tmp_path / "copy.yml"
    os.link(first, second)
    inode = first.stat().st_ino
    assert update_file(second, lambda old: old + b"b\n")
    assert first.read_text() == second.read_text() == "a\nb\n"
    assert first.stat().st_ino == second.stat().st_ino == inode and first.stat().st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.yml", "me.yml"], "the backup is gone"


def test_a_backup_left_by_a_stopped_rewrite_is_never_lost(tmp_path):
    target = tmp_path / "me.yml"
    target.write_text("half")
    backup = tmp_path / BACKUP.format(name="me.yml")
    backup.write_text("whole\n")
    with pytest.raises(OutputError, match="compare the two") as info:
        update_file(target, lambda old: b"new\n")
    assert str(backup) in info.value.format_message()
    assert target.read_text() == "half" and backup.read_text() == "whole\n"


def test_a_change_that_refuses_or_changes_nothing_leaves_the_file_alone(tmp_path):
    target = tmp_path / "me.yml"
    target.write_text("a\n")
    before = target.stat()
    assert not update_file(target, lambda old: None)
    assert not update_file(target, lambda old: old)

    def refuse(old: bytes) -> bytes:
        raise InputError([Problem(target, 1, "no")])

    with pytest.raises(InputError):
        update_file(target, refuse)
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.yml"]


def test_write_file_never_replaces_without_being_asked(tmp_path):
    target = tmp_path / "new.yml"
    write_file(target, "first\n")
    with pytest.raises(OutputError, match="already exists"):
        write_file(target, "second\n")
    assert target.read_text() == "first\n"
    write_file(target, "second\n", replace=True)
    assert target.read_text() == "second\n"
    dangling = tmp_path / "dangling.yml"
    dangling.symlink_to(tmp_path / "nowhere.yml")
    with pytest.raises(OutputError, match="already exists"):
        write_file(dangling, "x")
    assert not (tmp_path / "nowhere.yml").exists()


# --- a full disk, at the level of os.write -----------------------------------------------------

@pytest.fixture
def full_disk(monkeypatch):
    """Every os.write fails as on a full disk (the writer writes every byte through os.write)."""
    def write(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writer_module.os, "write", write)


def test_a_full_disk_keeps_a_person_s_file_and_says_so(tmp_path, full_disk):
    target = tmp_path / "me.yml"
    target.write_text("a\n")
    with pytest.raises(OutputError) as info:
        update_file(target, lambda old: old + b"b\n")
    assert info.value.format_message() == (f"cannot write {target}: the disk is full; free some space and run the "
                                           "command again; what was there before is unchanged")
    assert target.read_text() == "a\n" and sorted(p.name for p in tmp_path.iterdir()) == ["me.yml"]


def test_a_full_disk_while_rewriting_a_hard_linked_file_puts_it_back(tmp_path, monkeypatch):
    target = tmp_path / "me.yml"
    target.write_text("a\n")
    os.link(target, tmp_path / "other.yml")
    real_write = os.write
    calls = []

    def write(fd, data):  # the backup is written, then the file itself fails half-way, then it is put back
        calls.append(bytes(data))
        if bytes(data) == b"a\nb\n":
            real_write(fd, b"a\n")
            raise OSError(errno.ENOSPC, "full")
        return real_write(fd, data)

    monkeypatch.setattr(writer_module.os, "write", write)
    with pytest.raises(OutputError, match="disk is full"):
        update_file(target, lambda old: old + b"b\n")
    assert target.read_text() == "a\n" == (tmp_path / "other.yml").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.yml", "other.yml"]


def test_a_full_disk_leaves_an_output_folder_as_it_was(tmp_path, monkeypatch):
    Writer(tmp_path).write_all({"site/index.html": "old", "workbook.pdf": b"%PDF-old"})
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    monkeypatch.setattr(writer_module.os, "write",
                        lambda fd, data: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OutputError, match="disk is full"):
        Writer(tmp_path).write_all({"site/index.html": "new", "workbook.pdf": b"%PDF-new"})
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not [p for p in STAGED if tmp_path in p.parents], "no staging file is left to clean"


# --- the manifest: hashes, its shape, the journal of an unfinished run -------------------------

def test_a_generated_file_someone_changed_is_never_overwritten(tmp_path):
    Writer(tmp_path).write_all({"workbook.pdf": b"%PDF-generated"})
    (tmp_path / "workbook.pdf").write_bytes(b"%PDF-mine")
    with pytest.raises(OutputError, match="did not create or that were changed since"):
        Writer(tmp_path).write_all({"workbook.pdf": b"%PDF-new"})
    assert (tmp_path / "workbook.pdf").read_bytes() == b"%PDF-mine"


@pytest.mark.parametrize("manifest", [
    '{"generator": "mentorbook", "files": ["workbook.pdf"], "state": {}}',  # an older shape: no hashes
    '{"generator": "mentorbook", "files": {"workbook.pdf": "0"}, "state": {}}',
    '{"generator": "mentorbook", "files": {"../workbook.pdf": "%s"}, "state": {}}' % ("0" * 64),
    '{"generator": "mentorbook", "files": {}, "state": []}',
    '["workbook.pdf"]', '{"files": 3}', 'null', '"x"', '{"generator": "other", "files": {}}',
])
def test_a_manifest_of_the_wrong_shape_counts_as_absent(tmp_path, manifest):
    (tmp_path / "workbook.pdf").write_bytes(b"%PDF-mine")
    (tmp_path / MANIFEST).write_text(manifest)
    writer = Writer(tmp_path)
    assert writer.previous == set() and writer.state == {}
    with pytest.raises(OutputError, match="damaged or from an older version"):
        writer.write_all({"workbook.pdf": b"%PDF-new"})
    assert (tmp_path / "workbook.pdf").read_bytes() == b"%PDF-mine"


def test_a_forged_manifest_without_the_file_s_hash_does_not_let_it_be_overwritten(tmp_path):
    (tmp_path / "workbook.pdf").write_bytes(b"%PDF-mine")
    (tmp_path / MANIFEST).write_text(json.dumps({"generator": "mentorbook", "state": {},
                                                  "files": {"workbook.pdf": content_hash(b"%PDF-other")}}))
    with pytest.raises(OutputError):
        Writer(tmp_path).write_all({"workbook.pdf": b"%PDF-new"})
    assert (tmp_path / "workbook.pdf").read_bytes() == b"%PDF-mine"


def test_files_an_interrupted_run_wrote_are_its_own_on_the_next_run(tmp_path):
    first = Writer(tmp_path)
    first.put({"trainees/a.pdf": b"%PDF-a"}, state={"trainees": {"a": {"key": "k"}}})
    first.close()  # killed here: no manifest yet, only the journal
    assert not (tmp_path / MANIFEST).exists() and (tmp_path / JOURNAL).exists()
    (tmp_path / "trainees" / ".b.pdf.abcd1234.tmp").write_bytes(b"half")  # a staging file of the killed run
    again = Writer(tmp_path)
    assert again.previous == {"trainees/a.pdf"} and again.state == {"trainees": {"a": {"key": "k"}}}
    again.write_all({"trainees/a.pdf": b"%PDF-a2", "index.html": "x"})
    assert not (tmp_path / "trainees" / ".b.pdf.abcd1234.tmp").exists(), "cleaned by the next run"
    assert json.loads((tmp_path / MANIFEST).read_text())["files"]["trainees/a.pdf"] == content_hash(b"%PDF-a2")
    assert not (tmp_path / JOURNAL).exists()


# --- one writer at a time in a folder -----------------------------------------------------------------

def test_two_writers_in_one_folder_take_turns(tmp_path):
    import threading

    first = Writer(tmp_path)
    first.put({"a.html": "a"})  # holds the folder until it finishes
    done = threading.Event()

    def second():
        Writer(tmp_path).write_all({"b.html": "b"})
        done.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not done.wait(0.5), "the second writer waits for the first"
    first.finish()
    assert done.wait(10)
    thread.join()
    assert set(json.loads((tmp_path / MANIFEST).read_text())["files"]) == {"a.html", "b.html"}, "no lost update"


def test_a_writer_that_fails_lets_the_next_one_in_at_once(tmp_path):
    import threading

    class Boom(Exception):
        pass

    def failing(handle):
        raise Boom

    with pytest.raises(Boom):
        Writer(tmp_path).write_all({"a.html": failing})
    done = threading.Event()
    thread = threading.Thread(target=lambda: (Writer(tmp_path).write_all({"a.html": "a"}), done.set()))
    thread.start()
    assert done.wait(10), "the failed writer still held the folder"
    thread.join()
