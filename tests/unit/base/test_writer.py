"""The writer stage alone: atomic staging, the manifest, files it did not make refused,
unchanged files left alone, create_files and replace_file."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from mentorbook.base.errors import OutputError
from mentorbook.base.writer import MANIFEST, Writer, atomic_write, check_out_dir, create_files, replace_file, stage


def listing(folder: Path) -> set[str]:
    """Every file under ``folder``, temporary ones included."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {rel: ((folder / rel).stat().st_ino, (folder / rel).stat().st_mtime_ns) for rel in listing(folder)}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


class Boom(Exception):
    pass


def failing(handle) -> None:
    handle.write(b"half a file")
    raise Boom


# --- staging and atomic writes -----------------------------------------------------------

def test_stage_writes_a_readable_temporary_file_beside_the_target(tmp_path):
    target = tmp_path / "deep" / "page.html"
    tmp = stage(target, "<p>é</p>")
    assert tmp.parent == target.parent and tmp.name.startswith(".page.html.") and tmp.suffix == ".tmp"
    assert tmp.read_bytes() == "<p>é</p>".encode() and mode(tmp) == 0o644
    assert not target.exists(), "staging never touches the target"


def test_stage_streams_content_from_a_function_and_cleans_up_when_it_fails(tmp_path):
    streamed = stage(tmp_path / "a.pdf", lambda handle: handle.write(b"%PDF"))
    assert streamed.read_bytes() == b"%PDF"
    with pytest.raises(Boom):
        stage(tmp_path / "b.pdf", failing)
    assert listing(tmp_path) == {streamed.name}, "the failed one left nothing behind"


def test_atomic_write_replaces_the_file_whole_or_not_at_all(tmp_path):
    target = tmp_path / "notes.txt"
    atomic_write(target, "first")
    atomic_write(target, b"second")
    assert target.read_text() == "second" and listing(tmp_path) == {"notes.txt"}
    with pytest.raises(Boom):
        atomic_write(target, failing)
    assert target.read_text() == "second" and listing(tmp_path) == {"notes.txt"}, "no half file, no temporary file"


# --- the Writer: manifest, foreign files, unchanged files ----------------------------------------

def test_write_all_writes_every_file_and_lists_them_in_the_manifest(tmp_path):
    writer = Writer(tmp_path)
    writer.state["inputs"] = "abc"
    written = writer.write_all({"site/index.html": "<h1>Hi</h1>", "workbook.pdf": b"%PDF-1.7",
                                "cohort.pdf": lambda handle: handle.write(b"%PDF-joined")})
    assert sorted(written) == sorted([tmp_path / "site" / "index.html", tmp_path / "workbook.pdf",
                                      tmp_path / "cohort.pdf"])
    assert (tmp_path / "site" / "index.html").read_text() == "<h1>Hi</h1>"
    assert (tmp_path / "cohort.pdf").read_bytes() == b"%PDF-joined"
    sha = lambda data: hashlib.sha256(data).hexdigest()
    assert manifest(tmp_path) == {"generator": "mentorbook",
                                  "files": {"cohort.pdf": sha(b"%PDF-joined"), "site/index.html": sha(b"<h1>Hi</h1>"),
                                            "workbook.pdf": sha(b"%PDF-1.7")},
                                  "state": {"inputs": "abc"}}
    assert listing(tmp_path) == {MANIFEST, "cohort.pdf", "site/index.html", "workbook.pdf"}
    again = Writer(tmp_path)
    assert again.previous == {"cohort.pdf", "site/index.html", "workbook.pdf"} and again.state == {"inputs": "abc"}
    assert again.complete()


def test_the_manifest_keeps_files_of_earlier_builds(tmp_path):
    Writer(tmp_path).write_all({"a.html": "a"})
    Writer(tmp_path).write_all({"b.html": "b"})
    assert list(manifest(tmp_path)["files"]) == ["a.html", "b.html"]


def test_complete_is_false_when_a_listed_file_is_gone_or_nothing_was_written(tmp_path):
    assert not Writer(tmp_path).complete()
    Writer(tmp_path).write_all({"a.html": "a", "b.html": "b"})
    (tmp_path / "b.html").unlink()
    assert not Writer(tmp_path).complete()


def test_a_file_it_did_not_make_is_refused_and_nothing_is_written(tmp_path):
    Writer(tmp_path).write_all({"site/index.html": "old"})
    mine = tmp_path / "site" / "notes.html"
    mine.write_text("my notes")
    before = stamps(tmp_path)
    with pytest.raises(OutputError) as info:
        Writer(tmp_path).write_all({"site/index.html": "new", "site/notes.html": "generated", "extra.html": "x"})
    assert "not overwriting files mentorbook did not create" in str(info.value)
    assert str(mine) in str(info.value)
    assert stamps(tmp_path) == before, "not even the files it may replace"
    assert mine.read_text() == "my notes"


def test_many_foreign_files_are_counted_not_all_listed(tmp_path):
    for i in range(7):
        (tmp_path / f"{i}.html").write_text("mine")
    with pytest.raises(OutputError) as info:
        Writer(tmp_path).write_all({f"{i}.html": "x" for i in range(7)})
    assert "and 2 more" in str(info.value)


def test_a_corrupt_manifest_protects_every_existing_file(tmp_path):
    Writer(tmp_path).write_all({"index.html": "old"})
    (tmp_path / MANIFEST).write_text("{not json")
    with pytest.raises(OutputError):
        Writer(tmp_path).write_all({"index.html": "new"})
    assert (tmp_path / "index.html").read_text() == "old"


def test_unchanged_files_are_left_alone_and_changed_ones_replaced(tmp_path):
    Writer(tmp_path).write_all({"same.html": "same", "same.pdf": b"%PDF", "streamed.pdf": lambda h: h.write(b"%S"),
                                "changed.html": "old"})
    before = stamps(tmp_path)
    written = Writer(tmp_path).write_all({"same.html": "same", "same.pdf": b"%PDF",
                                          "streamed.pdf": lambda h: h.write(b"%S"), "changed.html": "new"})
    after = stamps(tmp_path)
    for rel in ("same.html", "same.pdf", "streamed.pdf"):
        assert after[rel] == before[rel], f"{rel} was written again"
    assert after["changed.html"] != before["changed.html"] and (tmp_path / "changed.html").read_text() == "new"
    assert tmp_path / "changed.html" in written and tmp_path / "same.html" not in written
    assert listing(tmp_path) == {MANIFEST, "same.html", "same.pdf", "streamed.pdf", "changed.html"}
    assert list(manifest(tmp_path)["files"]) == ["changed.html", "same.html", "same.pdf", "streamed.pdf"]


def test_a_failure_while_staging_replaces_nothing_and_leaves_no_temporary_file(tmp_path):
    Writer(tmp_path).write_all({"a.html": "old a", "b.html": "old b"})
    before = {rel: (tmp_path / rel).read_bytes() for rel in listing(tmp_path)}
    with pytest.raises(Boom):
        Writer(tmp_path).write_all({"a.html": "new a", "b.html": failing, "c.html": "new c"})
    assert {rel: (tmp_path / rel).read_bytes() for rel in listing(tmp_path)} == before


def test_written_files_are_readable_by_everyone(tmp_path):
    old = os.umask(0o077)
    try:
        Writer(tmp_path).write_all({"site/index.html": "x"})
    finally:
        os.umask(old)
    assert mode(tmp_path / "site" / "index.html") == 0o644


# --- the output folder ---------------------------------------------------------------------

def test_check_out_dir_refuses_folders_where_real_work_lives(tmp_path):
    for folder in (Path("/"), Path.home(), Path("~"), tmp_path / "project"):
        with pytest.raises(OutputError) as info:
            check_out_dir(folder, protected=(tmp_path / "project",))
        assert "refusing to write" in str(info.value)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is not a folder"):
        check_out_dir(tmp_path / "file")
    assert check_out_dir(tmp_path / "out" / ".." / "out") == (tmp_path / "out").resolve()


# --- create_files and replace_file ------------------------------------------------------------

def test_create_files_makes_files_and_empty_folders(tmp_path):
    made = create_files(tmp_path / "p", {"mentorbook.yml": "program: X\n", "assets/logo.svg": b"<svg/>"},
                        folders=("pages", "worksheets"))
    assert made == [tmp_path / "p" / "mentorbook.yml", tmp_path / "p" / "assets" / "logo.svg"]
    assert (tmp_path / "p" / "assets" / "logo.svg").read_bytes() == b"<svg/>"
    assert (tmp_path / "p" / "pages").is_dir() and (tmp_path / "p" / "worksheets").is_dir()
    assert listing(tmp_path / "p") == {"mentorbook.yml", "assets/logo.svg"}


def test_create_files_refuses_when_any_file_exists_and_writes_none(tmp_path):
    (tmp_path / "mentorbook.yml").write_text("mine")
    with pytest.raises(OutputError) as info:
        create_files(tmp_path, {"a.md": "a", "mentorbook.yml": "program: X\n"}, folders=("pages",))
    assert "not overwriting" in str(info.value) and str(tmp_path / "mentorbook.yml") in str(info.value)
    assert (tmp_path / "mentorbook.yml").read_text() == "mine"
    assert listing(tmp_path) == {"mentorbook.yml"} and not (tmp_path / "pages").exists()


def test_create_files_refuses_paths_that_leave_the_folder(tmp_path):
    with pytest.raises(ValueError):
        create_files(tmp_path / "p", {"../escape.txt": "x"})
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize("file_mode", [0o600, 0o664, 0o755])
def test_replace_file_keeps_the_mode(tmp_path, file_mode):
    target = tmp_path / "me.yml"
    target.write_text("old")
    target.chmod(file_mode)
    replace_file(target, "new")
    assert target.read_text() == "new" and mode(target) == file_mode
    assert listing(tmp_path) == {"me.yml"}


def test_replace_file_makes_a_new_file_readable_and_leaves_the_old_one_on_failure(tmp_path):
    target = tmp_path / "new.yml"
    replace_file(target, "content")
    assert target.read_text() == "content" and mode(target) == 0o644
    with pytest.raises(Boom):
        replace_file(target, failing)
    assert target.read_text() == "content" and listing(tmp_path) == {"new.yml"}


def test_a_streamed_file_lands_with_the_others_and_an_empty_or_failed_one_never(tmp_path):
    writer = Writer(tmp_path)
    with writer.streaming("joined.pdf") as handle:
        handle.write(b"%PDF-1.7 first part ")
        assert not (tmp_path / "joined.pdf").exists()  # staged beside its target until the end
        handle.write(b"second part")
    with writer.streaming("nothing.pdf"):
        pass
    writer.write_all({"index.html": "<h1>Done</h1>"})
    assert (tmp_path / "joined.pdf").read_bytes() == b"%PDF-1.7 first part second part"
    assert listing(tmp_path) == {"joined.pdf", "index.html", MANIFEST}
    assert manifest(tmp_path)["files"]["joined.pdf"]  # replaceable by the next run, like any file it wrote

    again = Writer(tmp_path)
    with pytest.raises(Boom), again.streaming("joined.pdf") as handle:
        handle.write(b"half")
        raise Boom
    again.write_all({"index.html": "<h1>Done</h1>"})
    assert (tmp_path / "joined.pdf").read_bytes() == b"%PDF-1.7 first part second part"
    assert listing(tmp_path) == {"joined.pdf", "index.html", MANIFEST}


def test_files_with_the_same_bytes_are_one_file_linked_and_each_name_stays_its_own(tmp_path):
    out = tmp_path / "out"
    font = os.urandom(5000)
    writer = Writer(out)
    writer.put({"a/site/font.woff2": font, "a/site/page.html": "Ana's page"})
    writer.put({"b/site/font.woff2": font, "b/site/page.html": "Bo's page"})
    writer.write_all({"index.html": "both"})
    first, second = out / "a/site/font.woff2", out / "b/site/font.woff2"
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 2
    assert (out / "a/site/page.html").stat().st_ino != (out / "b/site/page.html").stat().st_ino
    assert mode(second) == 0o644 and listing(out) == {"a/site/font.woff2", "a/site/page.html",
                                                      "b/site/font.woff2", "b/site/page.html", "index.html", MANIFEST}
    assert set(manifest(out)["files"]) >= {"a/site/font.woff2", "b/site/font.woff2"}
    again = Writer(out)  # a later run that changes one name leaves the other as it was
    again.write_all({"a/site/font.woff2": b"another font"})
    assert first.read_bytes() == b"another font" and second.read_bytes() == font


def test_without_hard_links_or_once_the_first_file_changed_the_bytes_are_written_again(tmp_path, monkeypatch):
    out = tmp_path / "out"
    writer = Writer(out)
    writer.put({"a.css": "body {}"})
    (out / "a.css").unlink()  # replaced since it was written: its new bytes must not become b.css's
    (out / "a.css").write_text("p { color: red }", encoding="utf-8")
    writer.put({"b.css": "body {}"})
    assert (out / "b.css").read_text(encoding="utf-8") == "body {}" and (out / "b.css").stat().st_nlink == 1

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    writer.put({"c.js": "x()"})
    writer.put({"d.js": "x()"})
    writer.write_all({})
    assert (out / "d.js").read_text(encoding="utf-8") == "x()" and (out / "d.js").stat().st_nlink == 1
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
