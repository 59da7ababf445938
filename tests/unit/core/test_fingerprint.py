"""core/incremental: a build's fingerprint reads a program's and a person's files by their bytes."""

import os

from mentorbook.base.paths import CONTENT_DIR, GUIDE_DIR, SAMPLE_WORKBOOK
from mentorbook.core.incremental import source_stamp


def test_built_in_guidance_by_size_and_time_everything_else_by_content(tmp_path):
    guide = sorted(GUIDE_DIR.glob("*.md"))[0]
    info = guide.stat()
    assert source_stamp(guide) == f"{info.st_size}:{info.st_mtime_ns}".encode()
    page = tmp_path / "pages" / "welcome.md"
    page.parent.mkdir()
    page.write_text("# Welcome\n", encoding="utf-8")
    assert source_stamp(page) == b"# Welcome\n"
    # a program's project and the sample workbook inside mentorbook's own folder are read whole too
    program = next(p for p in (CONTENT_DIR / "examples" / "program").rglob("*") if p.is_file())
    assert source_stamp(program) == program.read_bytes()
    assert source_stamp(SAMPLE_WORKBOOK) == SAMPLE_WORKBOOK.read_bytes()


def test_an_edit_of_the_same_size_and_time_is_noticed(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("Meet monthly.\n", encoding="utf-8")
    before = source_stamp(page)
    times = page.stat()
    page.write_text("Meet weekly!\n\n", encoding="utf-8")
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert page.stat().st_size == times.st_size and source_stamp(page) != before


def test_a_file_gone_since_it_was_listed_is_no_crash(tmp_path):
    assert source_stamp(GUIDE_DIR / "no-such-page.md") == b"<unreadable>"
    assert source_stamp(tmp_path / "gone.md") == b"<unreadable>"


def test_files_under_lists_what_rglob_lists(tmp_path):
    from mentorbook.core.incremental import files_under

    root = tmp_path / "project"
    (root / "pages" / "deep" / ".hidden").mkdir(parents=True)
    (root / "pages" / "a.md").write_text("a")
    (root / "pages" / "deep" / "b.md").write_text("b")
    (root / "pages" / "deep" / ".hidden" / "c.md").write_text("c")
    (root / "Z.yml").write_text("z")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.md").write_text("o")
    (root / "linked-file.md").symlink_to(root / "Z.yml")
    (root / "linked-folder").symlink_to(outside)  # not entered
    (root / "broken").symlink_to(tmp_path / "nowhere")
    os.mkfifo(root / "pipe")
    expected = sorted(p for p in root.rglob("*") if p.is_file())
    assert files_under(root) == expected and len(expected) == 5
    assert files_under(tmp_path / "missing") == [] == sorted(p for p in (tmp_path / "missing").rglob("*"))
