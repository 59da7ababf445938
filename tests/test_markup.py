"""Guidance Markdown: converted once, kept in the user cache, always sanitized."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from conftest import TODAY

from mentorbook import BuildOptions, build
from mentorbook.base import markup
from mentorbook.base.cache import prune_cache
from mentorbook.base.paths import SAMPLE_WORKBOOK

TEXT = "## Plan\n\nAsk **one** question.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


@pytest.fixture(autouse=True)
def fresh_process_memory():
    """Each test sees the disk cache as a new process would: nothing converted yet."""
    markup._memo.clear()
    yield
    markup._memo.clear()


def entries(cache):
    folder = cache / "mentorbook" / "markdown"
    return sorted(folder.glob("*.html")) if folder.is_dir() else []


def test_a_cached_conversion_equals_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = markup.markdown_to_html(TEXT)
    assert len(entries(tmp_path)) == 1
    again = markup.markdown_to_html(TEXT)
    assert str(again) == str(first) == markup.convert(TEXT)
    doc = BeautifulSoup(str(again), "html.parser")
    assert doc.find("h2").get_text() == "Plan" and doc.find("table") is not None
    markup.markdown_to_html(TEXT + "\nA change.\n")
    assert len(entries(tmp_path)) == 2, "changed text gets its own entry"


def test_an_edited_cache_entry_is_sanitized_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    markup.markdown_to_html(TEXT)
    [entry] = entries(tmp_path)
    entry.write_text('<p onclick="steal()">Hi</p><script>steal()</script><a href="javascript:x()">x</a>')
    markup._memo.clear()  # a later run, which reads the entry from disk
    doc = BeautifulSoup(str(markup.markdown_to_html(TEXT)), "html.parser")
    assert doc.find("script") is None and doc.find("p").get_text() == "Hi"
    assert not doc.find("p").has_attr("onclick") and not doc.find("a").has_attr("href")


def test_no_usable_cache_still_converts(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert "<strong>one</strong>" in str(markup.markdown_to_html(TEXT))


def test_the_cache_is_pruned_to_the_newest_entries(tmp_path):
    for i in range(8):
        entry = tmp_path / f"{i}.html"
        entry.write_text(str(i))
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    prune_cache(tmp_path, ".html", keep=3)  # as a process's first conversion does
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["5.html", "6.html", "7.html"]


def test_cold_and_warm_caches_build_the_same_site(tmp_path, monkeypatch):
    from mentorbook.site import render as site_render

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    markup._memo.clear()  # a first run: nothing converted or rendered yet in this process
    monkeypatch.setattr(site_render, "_RENDERED", {})
    cold = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path / "cold", today=TODAY, format="html"))
    assert len(entries(tmp_path / "cache")) >= 6  # the introduction and five practices at least
    markup._memo.clear()  # a later run, which reads the entries from disk
    warm = build(BuildOptions(workbook=SAMPLE_WORKBOOK, out_dir=tmp_path / "warm", today=TODAY, format="html"))
    cold_files = {p.relative_to(cold.site_index.parent): p.read_bytes()
                  for p in cold.site_index.parent.rglob("*") if p.is_file()}
    warm_files = {p.relative_to(warm.site_index.parent): p.read_bytes()
                  for p in warm.site_index.parent.rglob("*") if p.is_file()}
    assert cold_files == warm_files and len(cold_files) > 8
