"""`serve` keeps the PDF current: laid out in the background after each save, only the
parts a save changed laid out again, the same pages as `build` makes, and the page says
when the new PDF is ready. The watcher sees a save at once."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request

import pytest
from conftest import TODAY, poppler_text
from playwright.sync_api import expect
from test_preview import start, stop, wait_until

from mentorbook.base.paths import SAMPLE_WORKBOOK
from mentorbook.live.pdfkeeper import PDF_STATUS_PATH
from mentorbook.pipeline import BuildOptions

OLD, NEW = "Finish chart abstraction", "Finish the chart abstraction by Friday"


def page_texts(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A preview of a copy of the sample that keeps its PDF; its first PDF is ready."""
    root = tmp_path_factory.mktemp("live-pdf")
    workbook = root / "workbook.yml"
    shutil.copy(SAMPLE_WORKBOOK, workbook)
    preview, thread, messages = start(BuildOptions(workbook=workbook, out_dir=root / "out", today=TODAY), pdf=True)
    try:
        wait_until(lambda: pdf_status(preview)["state"] == "ready", timeout=120, what="the first PDF")
        yield preview, workbook, messages
    finally:
        stop(preview, thread, timeout=30)
        assert preview.pdf._process.poll() is not None, "the PDF process has stopped"


def pdf_status(preview) -> dict:
    return json.loads(urllib.request.urlopen(preview.url + PDF_STATUS_PATH.lstrip("/"), timeout=10).read())


def test_the_first_pdf_is_the_pdf_build_makes(live, sample_build):
    preview, _, _ = live
    status = pdf_status(preview)
    assert status["version"] == 1 and status["laid_out"] == status["parts"] >= 10
    out = preview.options.out_dir
    assert (out / "workbook.pdf").read_bytes() == (out / "site" / "workbook.pdf").read_bytes()
    assert page_texts(out / "workbook.pdf") == page_texts(sample_build.pdf)
    home = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert 'class="button pdf-link" href="workbook.pdf"' in home


def test_a_changed_answer_lays_out_only_its_part_and_the_page_says_so(live, browser):
    preview, workbook, messages = live
    before = pdf_status(preview)["version"]
    page = browser.new_page()
    page.goto(preview.url + "cultivate.html")
    page.wait_for_timeout(300)  # the status script has seen the current PDF
    site_page = preview.options.out_dir / "site" / "cultivate.html"
    stamp = site_page.stat().st_mtime_ns
    saved = time.monotonic()
    workbook.write_text(workbook.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    wait_until(lambda: site_page.stat().st_mtime_ns != stamp, timeout=10, what="the page")
    assert time.monotonic() - saved < 5, "the page is rebuilt as soon as the file is saved"
    status = wait_until(lambda: (s := pdf_status(preview))["version"] > before and s["state"] == "ready" and s,
                        timeout=120, what="the new PDF")
    assert 1 <= status["laid_out"] <= 2 < status["parts"], "only the parts the answer is in are laid out again"
    assert NEW in " ".join(poppler_text(preview.options.out_dir / "workbook.pdf").split())
    notice = page.locator("#mentorbook-pdf")
    notice.wait_for(timeout=30000)
    # a locator waits outside the page's scripts: the served page's policy forbids evaluating strings
    expect(notice).to_contain_text("up to date", timeout=30000)
    assert page.locator("#mentorbook-pdf a").get_attribute("href").startswith("workbook.pdf?v=")
    page.close()
    assert any("parts laid out again" in m for m in messages)


def test_a_broken_edit_keeps_the_last_good_pdf(live):
    preview, workbook, _ = live
    pdf = preview.options.out_dir / "workbook.pdf"
    good = pdf.read_bytes()
    version = pdf_status(preview)["version"]
    text = workbook.read_text(encoding="utf-8")
    workbook.write_text(text + "\nmeetings: [unclosed\n", encoding="utf-8")
    wait_until(lambda: preview.status()["error"], timeout=20, what="the error")
    time.sleep(0.5)
    assert pdf.read_bytes() == good and pdf_status(preview)["version"] == version
    workbook.write_text(text, encoding="utf-8")
    wait_until(lambda: preview.status()["error"] is None, timeout=20, what="the fix")


def test_pages_whose_inputs_did_not_change_are_not_rendered_again(monkeypatch):
    """Rebuilding the site in one process (as serve does) renders only the pages a change
    touches: the home page always, the practice whose worksheet changed, nothing else."""
    from msgspec.structs import replace

    from mentorbook.core.render import Renderer, make_renderer
    from mentorbook.pipeline import prepare
    from mentorbook.site import render as site_render
    from mentorbook.site.render import render_site

    # a memo of this test's own, with room for every page: the worker's earlier tests (and a
    # preview they left running) fill the process's one and push pages out of it
    monkeypatch.setattr(site_render, "_RENDERED", {})
    monkeypatch.setattr(site_render, "_KEPT", 10_000)
    options = BuildOptions(workbook=SAMPLE_WORKBOOK, today=TODAY)
    workbook = prepare(options)
    first = render_site(workbook, options.render_options, options.project, make_renderer(options.project))
    rendered: list[str] = []
    real = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, name, **c: rendered.append(
        c["page"].path if "page" in c else name) or real(self, name, **c))
    practice = next(p for p in workbook.practices if p.worksheets and p.worksheets[0].entries)
    sheet = practice.worksheets[0]
    entry = {**sheet.entries[0], "mb_note": "changed"}
    changed = replace(sheet, entries=(entry, *sheet.entries[1:]))
    edited = replace(workbook, practices=tuple(
        replace(p, worksheets=(changed, *p.worksheets[1:])) if p is practice else p
        for p in workbook.practices))
    again = render_site(edited, options.render_options, options.project, make_renderer(options.project))
    pages = [r for r in rendered if r.endswith(".html") and r not in ("_nav.html", "search.js")]
    assert sorted(pages) == sorted(["index.html", f"{practice.id}.html"])
    assert again.keys() == first.keys()
    assert [again[k] == first[k] for k in first if k.endswith(".html")].count(False) <= 2
