"""base/yamlcache: a program's YAML files come back from the user cache, located as they were
parsed, without PyYAML; a person's files are never kept; an entry that is not one is ignored."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorbook.base import yamlcache
from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.base.yamlio import LocatedDict, LocatedList, YamlFileError, parse_yaml, read_yaml

SAMPLE_NAME = "Dr. Lena Marchetti"  # the trainee of the sample workbook

TEXT = """\
program: A "program"   # a comment
colours: {primary: '#1f4e79'}
numbers: [1, -2.5, .inf, 0x1F, true, null, ~, "7:30", 2026-12-06]
1: one
nested:
  - name: First
    items:
      - a
      - {b: [c, d]}
  - name: Second
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "mentorbook" / "yaml"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def same(a, b) -> bool:
    """Equal values with equal types, positions and key texts, all the way down."""
    if isinstance(a, LocatedDict):
        return (isinstance(b, LocatedDict) and list(a) == list(b) and a.key_positions == b.key_positions
                and a.value_positions == b.value_positions and a.key_texts == b.key_texts
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, LocatedList):
        return (isinstance(b, LocatedList) and len(a) == len(b) and a.positions == b.positions
                and all(same(x, y) for x, y in zip(a, b, strict=True)))
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


def test_a_kept_text_comes_back_located_as_it_was_parsed(cache, tmp_path):
    fresh = parse_yaml(TEXT, tmp_path / "mentorbook.yml")
    assert entries(cache) == [], "nothing is kept unless asked"
    first = parse_yaml(TEXT, tmp_path / "mentorbook.yml", cached=True)
    [entry] = entries(cache)
    again = parse_yaml(TEXT, tmp_path / "mentorbook.yml", cached=True)
    assert same(fresh, first) and same(fresh, again) and again is not first
    assert again["numbers"][2] == math.inf and again["numbers"][3] == 31 and again["numbers"][7] == "7:30"
    assert again.key_positions["nested"] == (5, 1) and again["nested"].positions == [(6, 5), (10, 5)]
    assert again.key_texts[1] == "1" and again[1] == "one"
    assert json.loads(entry.read_text(encoding="utf-8"))["d"][0] == ["program", "program", 1, 1, 1, 10, 'A "program"']


def test_a_file_that_does_not_parse_is_not_kept(cache, tmp_path):
    for _ in range(2):
        with pytest.raises(YamlFileError, match=r"mentorbook\.yml:2:4: .*is missing"):
            parse_yaml("a: 1\nb: [2\n", tmp_path / "mentorbook.yml", cached=True)
    assert entries(cache) == []


@pytest.mark.parametrize("planted", [
    "not json", "[]", '{"d": [["k", "k", 1, 1, 1, 4]]}', '{"d": [[["k"], "k", 1, 1, 1, 4, "v"]]}',
    '{"l": [1, 2], "p": [[1, 1]]}', '{"l": [1], "p": [[0, 1]]}', '{"l": [[1]], "p": [[1, 1]]}',
    '{"d": [["k", "k", 1, 1, 1, 4, "v"], ["k", "k", 2, 1, 2, 4, "w"]]}', '{"x": 1}',
    '{"l": [' * 60 + '1' + '], "p": [[1, 1]]}' * 60,
])
def test_an_entry_that_is_not_one_is_ignored(cache, tmp_path, planted):
    parse_yaml(TEXT, tmp_path / "a.yml", cached=True)
    [entry] = entries(cache)
    entry.write_text(planted, encoding="utf-8")
    assert yamlcache.lookup(TEXT) is yamlcache.MISSING
    assert same(parse_yaml(TEXT, tmp_path / "a.yml", cached=True), parse_yaml(TEXT, tmp_path / "a.yml"))
    assert json.loads(entry.read_text(encoding="utf-8"))["d"], "the entry is written again"


def test_a_cache_that_cannot_be_made_still_parses(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file"))
    assert parse_yaml(TEXT, tmp_path / "a.yml", cached=True)["program"] == 'A "program"'


def test_a_persons_files_are_never_kept(cache, tmp_path):
    """The cache holds what a program publishes: a build of a trainee's workbook leaves no trace of
    what the trainee wrote in it."""
    read_yaml(SAMPLE_WORKBOOK)
    assert entries(cache) == []
    done = subprocess.run([sys.executable, "-c", "import sys; from mentorbook.cli import main; sys.exit(main())",
                           "build", str(SAMPLE_WORKBOOK), "-q", "--format", "html", "--out", str(tmp_path / "out")],
                          env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert SAMPLE_NAME in (tmp_path / "out" / "site" / "index.html").read_text(encoding="utf-8")
    kept = entries(cache)
    assert len(kept) >= 10, "the program's definitions and guidance front matter are kept"
    assert not [e for e in kept if SAMPLE_NAME in e.read_text(encoding="utf-8")]


def test_a_build_whose_program_did_not_change_never_loads_pyyaml(tmp_path):
    project = tmp_path / "program"
    (project / "pages").mkdir(parents=True)
    (project / "mentorbook.yml").write_text("program: Our program\n", encoding="utf-8")
    (project / "pages" / "welcome.md").write_text("---\ntitle: Welcome\norder: 1\n---\n\nHello.\n",
                                                  encoding="utf-8")
    script = ("import sys\nfrom mentorbook.cli import main\n"
              f"code = main(['build', '-q', '--format', 'html', '--project', {str(project)!r}, '--out', sys.argv[1]])\n"
              "print(code, 'yaml' in sys.modules)\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    said = [subprocess.run([sys.executable, "-c", script, str(tmp_path / f"out{i}")], env=env, capture_output=True,
                           text=True, timeout=120).stdout.split() for i in range(2)]
    assert said == [["0", "True"], ["0", "False"]]
    assert "Our program" in (tmp_path / "out1" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Welcome" in (tmp_path / "out1" / "site" / "welcome.html").read_text(encoding="utf-8")
