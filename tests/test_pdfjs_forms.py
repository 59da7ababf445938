"""A fillable workbook filled in a real reader: pdf.js (Firefox's viewer) in Debian's Chromium.

Two sittings: type text and tick choices, save with pdf.js, reopen the saved file,
see every answer again, change some, save again; ``mentorbook import`` then gives
back exactly the final answers. pdf.js comes from npm (tests/js, installed by
``make test``); the page and its scripts are served by the test itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from pathlib import Path

import pikepdf
import pytest
import yaml

from mentorbook.cli import main

JS = Path(__file__).parent / "js"
PDFJS = JS / "node_modules" / "pdfjs-dist"
ORIGIN = "http://mentorbook.test"

FIRST_TEXT = {
    "mb:trainee/name": "Ана Петрова",
    "mb:trainee/institution": "Riverside University Hospital",
    "mb:trainee/start_date": "2026-09-01",
    "mb:self_reflection/past_experiences": "A supervisor who met me every week.\nAn advisor I met twice.",
    "mb:self_reflection/values[0]": "Honest feedback",
    "mb:mentors[0]/name": "Dr. Tomáš Dvořák",
}
FIRST_CHOICES = {
    "mb:self_reflection/structure": "moderate",
    "mb:mentors[0]/competence": "4",
    "mb:mentors[0]/found_via": "worked-with",
    "mb:self_reflection/skill_areas[0*]/priority": "high",
}
SECOND_TEXT = {"mb:trainee/name": "Ана Мария Петрова Nguyễn Thị Ελένη"}
SECOND_CHOICES = {"mb:self_reflection/structure": "close", "mb:mentors[0]/competence": "2"}


def form_map(pdf_path: Path):
    """Pages of text fields by name, and (page, pdf.js element id) of each radio button by name and choice."""
    texts: dict[str, int] = {}
    radios: dict[str, dict[str, tuple[int, str]]] = {}
    suggestion = ""
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                if "/Parent" in annot:
                    name = str(annot.Parent.T)
                    state = next(str(k)[1:] for k in annot.AP.N if k != "/Off")
                    options = [str(o) for o in annot.Parent.get("/Opt", [])]
                    if options and state.isdigit():  # states numbered into /Opt (WeasyPrint's own)
                        state = options[int(state)]
                    num, gen = annot.objgen
                    radios.setdefault(name, {})[state] = (number, f"{num}R" + (f"{gen}" if gen else ""))
                else:
                    texts[str(annot.T)] = number
                    if str(annot.T) == "mb:self_reflection/skill_areas[0*]/area":
                        suggestion = str(annot.V)
    return texts, radios, suggestion


def serve(route):
    path = route.request.url[len(ORIGIN):].split("?")[0]
    if path.startswith("/pdfjs/"):
        file = PDFJS / path[len("/pdfjs/"):]
    else:
        file = JS / path.lstrip("/")
    if not file.is_file():
        return route.fulfill(status=404, body="")
    kind = "text/javascript" if file.suffix == ".mjs" else mimetypes.guess_type(file.name)[0] or "text/plain"
    route.fulfill(status=200, body=file.read_bytes(), headers={"Content-Type": kind})


class Reader:
    """pdf.js's viewer in a Chromium page."""

    def __init__(self, page):
        self.page = page
        page.route(f"{ORIGIN}/**", serve)
        page.goto(f"{ORIGIN}/viewer.html")
        page.wait_for_function("window.viewerReady === true", timeout=30_000)

    def open(self, data: bytes) -> None:
        assert self.page.evaluate("b => openPdf(b)", base64.b64encode(data).decode()) > 0

    def layer(self, number: int) -> str:
        self.page.evaluate("n => showPage(n)", number)
        where = f'.page[data-page-number="{number}"] .annotationLayer'
        self.page.wait_for_selector(f"{where} input, {where} textarea", state="attached", timeout=30_000)
        return where

    def type(self, number: int, name: str, value: str) -> None:
        self.page.fill(f'{self.layer(number)} [name="{name}"]', value)

    def tick(self, number: int, element: str) -> None:
        self.page.check(f'{self.layer(number)} [data-element-id="{element}"]')

    def text(self, number: int, name: str) -> str:
        return self.page.input_value(f'{self.layer(number)} [name="{name}"]')

    def ticked(self, number: int, element: str) -> bool:
        return self.page.is_checked(f'{self.layer(number)} [data-element-id="{element}"]')

    def save(self) -> bytes:
        return base64.b64decode(self.page.evaluate("() => savePdf()"))


def shows(reader: Reader, texts, radios, answers: dict[str, str], choices: dict[str, str]) -> None:
    for name, value in answers.items():
        assert reader.text(texts[name], name) == value, name
    for name, choice in choices.items():
        for option, (number, element) in radios[name].items():
            assert reader.ticked(number, element) == (option == choice), (name, option)


@pytest.fixture
def chromium(browser):
    assert (PDFJS / "build" / "pdf.mjs").exists(), "pdf.js is missing: `make test` installs it (npm ci in tests/js)"
    return browser


def test_two_sittings_in_pdfjs_import_exactly(chromium, fillable_blank, tmp_path):
    texts, radios, suggestion = form_map(fillable_blank)
    page = chromium.new_page(viewport={"width": 1000, "height": 1200})
    reader = Reader(page)

    reader.open(fillable_blank.read_bytes())  # first sitting
    for name, value in FIRST_TEXT.items():
        reader.type(texts[name], name, value)
    for name, choice in FIRST_CHOICES.items():
        reader.tick(*radios[name][choice])
    first = reader.save()

    reader.open(first)  # second sitting: everything shows again, then some answers change
    shows(reader, texts, radios, FIRST_TEXT, FIRST_CHOICES)
    for name, value in SECOND_TEXT.items():
        reader.type(texts[name], name, value)
    for name, choice in SECOND_CHOICES.items():
        reader.tick(*radios[name][choice])
    second = reader.save()

    final_text, final_choices = {**FIRST_TEXT, **SECOND_TEXT}, {**FIRST_CHOICES, **SECOND_CHOICES}
    reader.open(second)
    shows(reader, texts, radios, final_text, final_choices)
    page.close()

    returned = tmp_path / "returned.pdf"
    returned.write_bytes(second)
    assert main(["import", str(returned), "-q"]) == 0
    data = yaml.safe_load(returned.with_suffix(".yml").read_text(encoding="utf-8"))
    assert data == {
        "trainee": {"name": final_text["mb:trainee/name"], "institution": "Riverside University Hospital",
                    "start_date": dt.date(2026, 9, 1)},
        "self_reflection": {
            "past_experiences": FIRST_TEXT["mb:self_reflection/past_experiences"],
            "values": ["Honest feedback"],
            "structure": "close",
            "skill_areas": [{"area": suggestion, "priority": "high"}],
        },
        "mentors": [{"name": "Dr. Tomáš Dvořák", "found_via": "worked-with", "competence": 2}],
    }


def test_a_check_box_ticks_and_unticks_in_pdfjs(chromium, tmp_path):
    """A real check box: ticked in one sitting, unticked in the next; import sees both."""
    from test_field_types import make_project

    project = make_project(tmp_path / "project")
    out = tmp_path / "out"
    assert main(["build", "--fillable", "--format", "pdf", "--project", str(project), "--out", str(out), "-q"]) == 0
    pdf_path = out / "workbook.pdf"
    boxes: dict[str, tuple[int, str]] = {}
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.get("/Annots", []):
                name = str(annot.get("/T", ""))
                if name in ("mb:instrument/agree", "mb:instrument/interests[1]"):
                    num, gen = annot.objgen
                    boxes[name] = (number, f"{num}R" + (f"{gen}" if gen else ""))
    assert len(boxes) == 2
    page = chromium.new_page(viewport={"width": 1000, "height": 1200})
    reader = Reader(page)
    reader.open(pdf_path.read_bytes())
    reader.type(_page_of(pdf_path, "mb:trainee/name"), "mb:trainee/name", "Ada Types")  # a workbook needs a name
    for box in boxes.values():
        reader.tick(*box)
    first = reader.save()

    reader.open(first)
    assert all(reader.ticked(*box) for box in boxes.values())
    number, element = boxes["mb:instrument/agree"]
    page.uncheck(f'{reader.layer(number)} [data-element-id="{element}"]')
    second = reader.save()
    reader.open(second)
    assert not reader.ticked(number, element) and reader.ticked(*boxes["mb:instrument/interests[1]"])
    page.close()

    returned = tmp_path / "returned.pdf"
    returned.write_bytes(second)
    assert main(["import", str(returned), "--project", str(project), "-q"]) == 0
    data = yaml.safe_load(returned.with_suffix(".yml").read_text(encoding="utf-8"))
    assert data == {"trainee": {"name": "Ada Types"}, "instrument": {"interests": ["research"]}}


def _page_of(pdf_path: Path, name: str) -> int:
    with pikepdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if any(str(a.get("/T", "")) == name for a in page.get("/Annots", [])):
                return number
    raise AssertionError(name)
