"""base/cache.py: where the user cache is, the same folder platformdirs names."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from mentorbook.base.cache import cache_dir, user_cache_root

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the folder worked out without platformdirs "
                           "is Linux's; elsewhere platformdirs itself answers")


@linux
@pytest.mark.parametrize("xdg, home", [
    ("/srv/caches", "/home/ana"),       # XDG_CACHE_HOME wins
    ("relative/caches", "/home/ana"),   # a relative XDG_CACHE_HOME is ignored (XDG)
    ("", "/home/ana/"),                 # an empty one too; HOME's trailing slash is dropped
    (None, "/"),                        # the root as home
    (None, "/home/José Núñez"),
])
def test_linux_cache_folder_is_the_one_platformdirs_names(monkeypatch, xdg, home):
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.setenv("HOME", home)
    assert user_cache_root() == platformdirs.user_cache_dir("mentorbook", appauthor=False)


@linux
def test_a_relative_home_is_left_to_platformdirs(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "not/absolute")
    expected = platformdirs.user_cache_dir("mentorbook", appauthor=False)  # the account's home (pwd)
    assert user_cache_root() == expected


def test_the_cache_folder_is_made_inside_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = cache_dir("things")
    assert folder is not None and folder.is_dir()
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "mentorbook" / "things"


@linux
def test_a_cache_that_cannot_be_made_is_not_used(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache_dir("things") is None
