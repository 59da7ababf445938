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
