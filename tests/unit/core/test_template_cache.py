"""core/render: compiled templates come back from the user cache only when made from the same source."""

import jinja2
import pytest

from mentorbook.core.render import _TemplateCache


def environment(folder, source: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}), bytecode_cache=_TemplateCache(folder),
                              autoescape=True)


@pytest.fixture
def no_compiling(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("compiled, though the cache holds it")

    def forbid():
        monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    return forbid


def test_a_template_is_compiled_once_then_read_back(tmp_path, no_compiling):
    assert environment(tmp_path, "<p>{{ name }}</p>").get_template("page.html").render(name="Ana") == "<p>Ana</p>"
    assert len(list(tmp_path.glob("*.code"))) == 1
    no_compiling()
    assert environment(tmp_path, "<p>{{ name }}</p>").get_template("page.html").render(name="<b>") == "<p>&lt;b&gt;</p>"


def test_a_changed_or_damaged_entry_is_compiled_afresh(tmp_path):
    environment(tmp_path, "<p>{{ name }}</p>").get_template("page.html")
    entry = next(tmp_path.glob("*.code"))
    assert environment(tmp_path, "<h1>{{ name }}</h1>").get_template("page.html").render(name="A") == "<h1>A</h1>"
    entry.write_bytes(entry.read_bytes()[:-40])  # cut short
    assert environment(tmp_path, "<h1>{{ name }}</h1>").get_template("page.html").render(name="B") == "<h1>B</h1>"
    entry.write_bytes(entry.read_bytes().replace(_TemplateCache.MAGIC, b"another python\n"))
    assert environment(tmp_path, "<h1>{{ name }}</h1>").get_template("page.html").render(name="C") == "<h1>C</h1>"


def test_a_cache_that_cannot_be_written_is_left_alone(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    assert environment(blocked, "<p>{{ 1 + 1 }}</p>").get_template("page.html").render() == "<p>2</p>"
    assert blocked.read_text() == "x"


def test_an_entry_that_is_no_compiled_template_is_compiled_afresh(tmp_path):
    import marshal

    environment(tmp_path, "<p>{{ 2 * 3 }}</p>").get_template("page.html")
    entry = next(tmp_path.glob("*.code"))
    data = entry.read_bytes()
    head = data[:data.index(b"\n", len(_TemplateCache.MAGIC)) + 1]
    entry.write_bytes(head + marshal.dumps({"not": "code"}))
    assert environment(tmp_path, "<p>{{ 2 * 3 }}</p>").get_template("page.html").render() == "<p>6</p>"


def test_the_cache_is_pruned_and_jinjas_former_entries_go(tmp_path, monkeypatch):
    from mentorbook.base import cache
    from mentorbook.core import render

    monkeypatch.setattr(cache, "_PRUNED", set())
    monkeypatch.setattr(render, "KEEP_COMPILED", 2)
    (tmp_path / "__jinja2_0123.cache").write_bytes(b"j2")
    (tmp_path / "notes.txt").write_text("not an entry")
    for i in range(4):
        (tmp_path / f"old{i}.code").write_bytes(b"x")
    environment(tmp_path, "<p>{{ 1 }}</p>").get_template("page.html")  # a miss: pruned, then written
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "__jinja2_0123.cache" not in names and "notes.txt" in names
    assert len([n for n in names if n.endswith(".code")]) == 3  # two kept, and the new one
