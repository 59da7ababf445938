"""Hostile or broken input: each protection has a test that fails without it."""

from __future__ import annotations

import http.server
import os
import re
import threading
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbook import BuildOptions, build
from mentorbook.base.errors import MentorbookError
from mentorbook.base.paths import ROOT, TEMPLATES_DIR
from mentorbook.base.writer import MANIFEST
from mentorbook.base.yamlio import MAX_BYTES, YamlFileError, read_yaml
from mentorbook.cli import main
from mentorbook.core.render import Renderer, markdown_to_html, sanitize_html
from mentorbook.print.pdf import print_html
from mentorbook.site.render import site_files


def yaml_error(tmp_path: Path, content: bytes | str) -> str:
    path = tmp_path / "wb.yml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(YamlFileError) as info:
        read_yaml(path)
    return info.value.problem.format()


# --- YAML ---------------------------------------------------------------------

def test_python_tags_are_errors_not_objects(tmp_path):
    message = yaml_error(tmp_path, "trainee: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    assert ":1:" in message and "python/object/apply" in message and "not allowed" in message


def test_custom_tags_are_errors(tmp_path):
    assert "not allowed" in yaml_error(tmp_path, "trainee:\n  name: !shout Lena\n")


def test_alias_bomb_is_rejected_quickly(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    started = time.monotonic()
    message = yaml_error(tmp_path, "\n".join(lines) + "\n")
    assert "aliases" in message
    assert time.monotonic() - started < 2


def test_deep_nesting_is_rejected(tmp_path):
    assert "nesting deeper" in yaml_error(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n")


def test_oversized_file_is_rejected(tmp_path):
    assert "larger than" in yaml_error(tmp_path, "a: " + "x" * (MAX_BYTES + 10) + "\n")


def test_duplicate_keys_name_both_lines(tmp_path):
    message = yaml_error(tmp_path, "trainee:\n  name: A\n  role: R\n  name: B\n")
    assert ":4:" in message and "duplicate key 'name' at lines 2 and 4" in message


def test_non_utf8_is_reported_with_line(tmp_path):
    message = yaml_error(tmp_path, b"trainee:\n  name: Ren\xe9e\n")
    assert ":2:" in message and "UTF-8" in message


def test_utf16_is_reported(tmp_path):
    assert "UTF-16" in yaml_error(tmp_path, "trainee:\n  name: A\n".encode("utf-16"))


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes(b"\xef\xbb\xbftrainee:\n  name: Ana\n")
    assert read_yaml(path)["trainee"]["name"] == "Ana"


# --- HTML sanitizing --------------------------------------------------------------

HOSTILE = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://example.org"></iframe>',
    '<p style="background:url(https://tracker.example/x.png)">x</p>',
    '<div onclick="alert(1)" onmouseover="x()">x</div>',
    '<svg><script>alert(1)</script></svg>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<link rel="stylesheet" href="https://cdn.example/x.css"><style>@import url(x)</style>',
    '<form action="https://example.org"><input name=q></form>',
]
ALLOWED_SCHEMES = ("http", "https", "mailto", "")


def scheme_of(url: str) -> str:
    """The scheme a browser would see ('' for a relative URL), as the URL standard reads it."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(chr(c) for c in range(33)))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def assert_safe(html: str) -> None:
    doc = BeautifulSoup(html, "html.parser")
    assert not doc.find_all(["script", "iframe", "object", "embed", "style", "link", "form", "input", "svg"])
    for tag in doc.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            assert name != "style", tag
            if name in ("href", "src"):
                assert scheme_of(value) in ALLOWED_SCHEMES, tag


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_cleaned(html):
    cleaned = sanitize_html(html)
    assert_safe(cleaned)
    assert sanitize_html(cleaned) == cleaned


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_in_markdown_is_cleaned(html):
    assert_safe(str(markdown_to_html(f"Some text\n\n{html}\n\nMore [link](javascript:alert(1)).")))


def test_safe_links_survive():
    html = str(markdown_to_html("[a](https://x.org) [b](http://x.org) [c](mailto:a@b.org) [d](cultivate.html#x)"))
    hrefs = [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]
    assert hrefs == ["https://x.org", "http://x.org", "mailto:a@b.org", "cultivate.html#x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(HOSTILE + ["<p>", "</p>", "<a href='", "'>", "text", "<b>", "&amp;", "\"", "<"]),
                max_size=12).map("".join))
def test_sanitizer_properties_on_generated_html(html):
    cleaned = sanitize_html(html)
    assert_safe(cleaned)
    assert sanitize_html(cleaned) == cleaned


# --- user text in templates ----------------------------------------------------------

SPICY = """\
trainee:
  name: "{{ 7*7 }} <script>alert(1)</script>"
self_reflection:
  values: ["{% for x in range(3) %}loop{% endfor %}", "<img src=x onerror=alert(1)>"]
  goals:
    - title: "{{ config.items() }} & <b>bold</b>"
      term: short
"""


def test_user_text_is_literal_and_escaped(tmp_path):
    result = build(BuildOptions(workbook=write(tmp_path, "spicy.yml", SPICY), out_dir=tmp_path / "out", format="html"))
    home = (result.site_index).read_text()
    reflect = (result.site_index.parent / "self-reflect.html").read_text()
    doc = BeautifulSoup(home, "html.parser")
    assert doc.h1.get_text() == "{{ 7*7 }} <script>alert(1)</script>"
    assert "49" not in doc.h1.get_text()
    assert "<script>alert(1)</script>" not in home
    assert "{% for x in range(3) %}loop{% endfor %}" in BeautifulSoup(reflect, "html.parser").get_text()
    assert "looplooploop" not in reflect
    assert "<img src=x" not in reflect and "<b>bold</b>" not in reflect
    assert "&lt;b&gt;bold&lt;/b&gt;" in reflect


def test_template_typo_fails_the_build(tmp_path):
    (tmp_path / "index.html").write_text("{{ wb.trainee.nmae }}")
    renderer = Renderer([tmp_path, TEMPLATES_DIR])
    from mentorbook.pipeline import prepare

    with pytest.raises(MentorbookError) as info:
        site_files(renderer, prepare(BuildOptions()), "workbook.pdf")
    assert "nmae" in str(info.value) and "index.html:1" in str(info.value)


# --- resources the PDF may load --------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # http.server's name
        _Recorder.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_pdf_never_fetches_network_or_outside_files(tmp_path, local_server):
    from mentorbook.print.pdf import html_to_pdf

    inside = tmp_path / "project"
    inside.mkdir()
    (inside / "ok.css").write_text("p { color: rgb(1, 2, 3); }")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    (inside / "link.css").symlink_to(secret)
    html = f"""<html><head>
      <link rel="stylesheet" href="ok.css">
      <link rel="stylesheet" href="{local_server}/style.css">
      <link rel="stylesheet" href="https://example.invalid/x.css">
      <link rel="stylesheet" href="link.css">
      <link rel="stylesheet" href="../secret.txt">
    </head><body>
      <p>hello</p>
      <img src="file:///etc/passwd"><img src="{local_server}/pixel.png"><img src="../secret.txt">
    </body></html>"""
    pdf, refused = html_to_pdf(html, inside, [inside], "2026-01-01T00:00:00+00:00")
    assert pdf.startswith(b"%PDF")
    assert _Recorder.hits == [], "no request may leave the machine"
    assert "file:///etc/passwd" in refused
    assert any(url.startswith(local_server) for url in refused)
    assert any(url.endswith("/link.css") for url in refused), "a symlink leading outside is refused"
    assert any(url.endswith("/secret.txt") for url in refused)
    assert not any(url.endswith("/ok.css") for url in refused)


def test_refused_resources_are_reported_as_warnings(tmp_path, monkeypatch, capsys, short_guide):
    import mentorbook.print.pdf as pdf

    original = pdf.print_html
    def with_local_image(renderer, wb, *args, **kwargs):
        return (original(renderer, wb, *args, **kwargs).replace("<body", '<body><img src="file:///etc/passwd"', 1)
                .replace('<img src="file:///etc/passwd"', '<img src="file:///etc/passwd">', 1))

    monkeypatch.setattr(pdf, "print_html", with_local_image)
    # -q prints only errors: not this warning
    assert main(["build", "--out", str(tmp_path / "o"), "--format", "pdf", "--project", str(short_guide)]) == 0
    assert "not embedded: file:///etc/passwd" in capsys.readouterr().err


# --- output folder ------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["/", "~", str(ROOT), str(ROOT / "content"), str(ROOT / "templates")])
def test_refuses_unsafe_output_folders(folder, capsys):
    assert main(["build", "--out", os.path.expanduser(folder), "-q"]) == 2
    assert "refusing to write" in capsys.readouterr().err


def test_manifest_protects_files_it_did_not_write(sample_output, capsys):
    out = sample_output  # a build of the sample
    notes = out / "site" / "my-notes.html"
    notes.write_text("mine")
    (out / "site" / "index.html").unlink()
    (out / "site" / "index.html").write_text("mine too")
    manifest = (out / MANIFEST).read_text()
    (out / MANIFEST).write_text(manifest.replace('"site/index.html",', ""))
    assert main(["build", "--out", str(out), "-q", "--blank", "--format", "html"]) == 2  # the site is the point
    assert (out / "site" / "index.html").read_text() == "mine too"
    assert notes.read_text() == "mine"


def test_error_mid_build_leaves_previous_output_whole(sample_output, monkeypatch):
    out = sample_output  # a build of the sample
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    import mentorbook.print.pdf as pdf

    def boom(*args, **kwargs):
        raise MentorbookError("layout failed")

    monkeypatch.setattr(pdf, "layout", boom)  # whole or side by side, every layout goes through it
    assert main(["build", "--out", str(out), "-q", "--blank"]) == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_kill_while_writing_leaves_no_half_files(sample_output, monkeypatch):
    out = sample_output  # a build of the sample
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    import mentorbook.base.writer as writer

    calls = {"n": 0}
    real_write = os.write

    def dying_write(fd, data):  # every byte the writer writes goes through os.write
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # as if the process were stopped mid-write
        return real_write(fd, data)

    monkeypatch.setattr(writer.os, "write", dying_write)
    # the site's files are enough to be stopped in the middle of (a PDF would only add a layout first)
    assert main(["build", "--out", str(out), "-q", "--blank", "--format", "html"]) == 1  # click reports "Aborted."
    assert calls["n"] == 5
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before, "no file replaced and no temporary file left behind"


# --- generated workbooks -----------------------------------------------------------------

SCALARS = st.one_of(st.text(max_size=20), st.integers(-5, 2030), st.booleans(), st.none(),
                    st.sampled_from(["2026-01-31", "2026-02-30", "short", "long", "ask", "monthly", "open"]))
FIELDS = st.sampled_from(["name", "role", "title", "term", "date", "mentor", "due", "status", "goals",
                          "competence", "agenda", "frequency", "nmae", "action_items", "task"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(FIELDS, inner, max_size=4)), max_leaves=12)
WORKBOOKS = st.fixed_dictionaries(
    {"trainee": st.one_of(st.fixed_dictionaries({"name": st.text(min_size=1, max_size=15)}), VALUES)},
    optional=dict.fromkeys(("self_reflection", "mentors", "agreements", "meetings", "transitions", "extra"), VALUES),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(WORKBOOKS,
       st.one_of(st.none(), st.tuples(st.integers(0, 400), st.sampled_from([":", "\t", "[", "'", "- ", "&x "]))))
def test_generated_workbooks_build_or_fail_with_location(tmp_path, data, corruption):
    import io

    from ruamel.yaml import YAML

    from mentorbook.base.paths import TEMPLATES_DIR
    from mentorbook.pipeline import analyse

    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, stream)
    text = stream.getvalue()
    if corruption:
        at, junk = corruption
        at = min(at, len(text))
        text = text[:at] + junk + text[at:]
    path = write(tmp_path, "gen.yml", text)
    analysis = analyse(BuildOptions(workbook=path))  # must never raise
    if analysis.errors:
        assert analysis.workbook is None
        for problem in analysis.errors:
            assert problem.file == path and problem.line is not None, problem
        assert main(["check", str(path)]) == 2
    else:
        renderer = Renderer([TEMPLATES_DIR])
        pages = site_files(renderer, analysis.workbook, "workbook.pdf")
        assert "index.html" in pages
        assert print_html(renderer, analysis.workbook).startswith("<!DOCTYPE html>")
