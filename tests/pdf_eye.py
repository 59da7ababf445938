"""An automatic eye for printed pages: what a person leafing through a PDF would frown at.

Each PDF is read once with Poppler's ``pdftohtml -xml`` (every run of text with its
position, font and size, in drawing order, and the bookmarks) and pikepdf (the form
widgets). The checks take the worksheet definitions the PDF was built from, in its
language, to know which texts are field labels, choice ids, rating scales, anchors and
signature sections. Each check returns a list of problems, each naming its page.

Only the body of a page counts: the text frame inside the ``@page`` margins of
templates/print.css (the running header and footer sit in the margins).
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pikepdf

from mentorbook.base.paths import TEMPLATES_DIR

MM = 72 / 25.4
SLACK = 1.0  # pt: rounding of positions in pdftohtml's output


def page_margins() -> tuple[float, float, float, float]:
    """(top, right, bottom, left) of the page's text frame in pt, from print.css's ``@page``."""
    css = (TEMPLATES_DIR / "print.css").read_text(encoding="utf-8")
    found = re.search(r"@page\s*\{\s*margin:\s*([^;]+);", css)
    assert found, "print.css has no @page margin"
    values = [float(v.removesuffix("mm")) * MM for v in found.group(1).split()]
    values += values[len(values) // 2:] if len(values) < 4 else []  # "20mm 18mm" -> four sides
    return values[0], values[1], values[2], values[3]


@dataclass(frozen=True)
class Run:
    """One run of text as drawn: its box (pt, from the page's top left), font and words."""

    page: int
    top: float
    left: float
    width: float
    height: float
    text: str
    size: float
    family: str
    bold: bool

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def serif(self) -> bool:
        return "serif" in self.family.lower()


@dataclass
class Page:
    number: int
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)  # the body's runs, in drawing order
    widgets: list[tuple[float, float, float, float]] = field(default_factory=list)  # (x0, y0, x1, y1), PDF space

    @cached_property
    def frame(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the text frame, from the top left, in pt."""
        top, right, bottom, left = page_margins()
        return left, top, self.width - right, self.height - bottom

    @cached_property
    def ordered(self) -> list[Run]:
        """The runs from top to bottom, left to right."""
        return sorted(self.runs, key=lambda r: (round(r.top), r.left))

    @property
    def stream(self) -> str:
        """The page's words in drawing order, one space between runs."""
        return " ".join(r.text for r in self.runs)

    def fullness(self) -> float:
        """How far down the text frame the content reaches (text and form widgets), 0 to 1."""
        left, top, right, bottom = self.frame
        lowest = max([r.bottom for r in self.runs] + [self.height - y0 for _, y0, _, _ in self.widgets], default=top)
        return max(0.0, min(1.0, (lowest - top) / (bottom - top)))


@dataclass
class Document:
    path: Path
    pages: list[Page]
    outline: list[tuple[int, str, int]]  # (level, title, page)
    looked: Counter = field(default_factory=Counter)  # what each check found to look at, e.g. "scales"

    @cached_property
    def starts(self) -> set[int]:
        """Pages where a chapter or a worksheet begins (a bookmark of level 1 or 2)."""
        return {page for level, _, page in self.outline if level <= 2}


def read(pdf: Path) -> Document:
    """The body text, widgets and bookmarks of every page of ``pdf``."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", "-zoom", "1", str(pdf)],
                         capture_output=True, check=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xml))
    fonts: dict[str, tuple[float, str]] = {}
    pages: list[Page] = []
    for node in root.iter("page"):
        page = Page(int(node.get("number")), float(node.get("width")), float(node.get("height")))
        for spec in node.iter("fontspec"):
            fonts[spec.get("id")] = (float(spec.get("size")), spec.get("family") or "")
        left, top, right, bottom = page.frame
        for t in node.iter("text"):
            text = " ".join("".join(t.itertext()).split())
            if not text:
                continue
            size, family = fonts.get(t.get("font"), (0.0, ""))
            run = Run(page.number, float(t.get("top")), float(t.get("left")), float(t.get("width")),
                      float(t.get("height")), text, size, family, t.find(".//b") is not None)
            if run.top >= top - SLACK and run.bottom <= bottom + SLACK:
                page.runs.append(run)
        pages.append(page)
    with pikepdf.open(pdf) as doc:
        for page, pdf_page in zip(pages, doc.pages, strict=True):
            for annot in pdf_page.obj.get("/Annots") or []:
                if annot.get("/Subtype") == "/Widget" and "/Rect" in annot:
                    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                    page.widgets.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    return Document(pdf, pages, _outline(root))


def _outline(root: ET.Element) -> list[tuple[int, str, int]]:
    entries: list[tuple[int, str, int]] = []

    def walk(node: ET.Element, level: int) -> None:
        for child in node:
            if child.tag == "item" and child.get("page"):
                entries.append((level, "".join(child.itertext()).strip(), int(child.get("page"))))
            elif child.tag == "outline":
                walk(child, level + 1)

    top = root.find("outline")
    if top is not None:
        walk(top, 1)
    return entries


# -- what the definitions say ---------------------------------------------------------------


@dataclass
class Instruments:
    """What the checks need to know from a build's worksheet definitions (in its language)."""

    labels: set[str]  # casefolded labels of every field, column and matrix row heading
    choices: list[tuple[tuple[str, str], ...]]  # each choice field's (id, label) pairs, in order
    scales: set[tuple[int, int]]  # the rating scales
    anchors: list[tuple[str, tuple[tuple[int, str], ...]]]  # (label of a rating or matrix, its anchors)
    signature_sections: set[str]  # the heading above each signature block (else its worksheet's title)
    caption: str  # the signature block's caption under the name line ("Printed name")
    tables: list[set[str]] = field(default_factory=list)  # casefolded column headings of each table and matrix


def instruments(definitions: Iterable[Any], lang: Any) -> Instruments:
    from mentorbook.fields import get

    found = Instruments(set(), [], set(), [], set(), lang.gettext("Printed name"))

    def walk(fields: Iterable[Any], section: str) -> None:
        for f in fields:
            ftype = get(f.type)
            if f.type == "heading":
                section = str(f.label)
                continue
            if ftype.element:
                continue
            found.labels.add(str(f.label).casefold())
            if any(c.value != c.label for c in f.choices):
                found.choices.append(tuple((c.value, str(c.label)) for c in f.choices))
            if f.type == "rating":
                found.scales.add(tuple(f.scale))
                if f.anchors:
                    found.anchors.append((str(f.label), f.anchors))
            if f.type == "signature":
                found.signature_sections.add(section)
            if f.type in ("table", "matrix"):
                found.tables.append({str(c.label).casefold() for c in f.fields})
            if f.type == "matrix":  # its columns' anchors print once, as the matrix's legend
                found.tables[-1].add(str(f.item_label or lang.gettext("Item")).casefold())
                found.labels.add(str(f.item_label or lang.gettext("Item")).casefold())
                found.labels.update(s.casefold() for s in f.suggestions)
                found.labels.update(str(c.label).casefold() for c in f.fields)
                found.scales.update(tuple(c.scale) for c in f.fields if c.type == "rating")
                for anchors in dict.fromkeys(c.anchors for c in f.fields if c.type == "rating" and c.anchors):
                    found.anchors.append((str(f.label), anchors))
                continue
            walk(f.fields, section)

    for d in definitions:
        walk(d.fields, str(d.title))
    return found


# -- the checks ----------------------------------------------------------------------------


def _id_like(value: str, label: str) -> bool:
    """An id no sentence would hold alone: 'not-started', 'every_2_weeks', 'option3'."""
    return value.casefold() != label.casefold() and bool(re.search(r"[-_\d]", value))


def raw_text(doc: Document, known: Instruments) -> list[str]:
    """Python reprs, and choice ids printed where their labels belong: two ids of one
    field side by side ("me mentor both"), or an id-like value as a whole answer."""
    problems = []
    labels = {label for pairs in known.choices for _, label in pairs}
    single = {value: label for pairs in known.choices for value, label in pairs
              if _id_like(value, label) and value not in labels}
    for page in doc.pages:
        texts = [r.text for r in page.runs]
        for run in page.runs:
            if "{'" in run.text or "['" in run.text:
                problems.append(f"p.{page.number}: a Python repr: {run.text!r}")
            for piece in re.split(r",\s*", run.text.strip(" .;:")):
                if piece in single:
                    problems.append(f"p.{page.number}: the choice id {piece!r} where its label "
                                    f"{single[piece]!r} belongs")
        for pairs in known.choices:  # options printed as ids: one run each, or one run of ids alone
            ids = {v for v, _ in pairs}
            for (v1, l1), (v2, l2) in zip(pairs, pairs[1:], strict=False):
                together = any(set(t.split()) <= ids and f" {v1} {v2} " in f" {t} " for t in texts)
                apart = any(pair == (v1, v2) for pair in zip(texts, texts[1:], strict=False))
                if (v1, v2) != (l1, l2) and (together or apart):
                    problems.append(f"p.{page.number}: the choice ids '{v1} {v2}' where the labels "
                                    f"'{l1} {l2}' belong")
    return problems


def _worksheet_pages(doc: Document) -> set[int]:
    """Pages from a worksheet's start to the next chapter or worksheet (guidance excluded)."""
    pages: set[int] = set()
    entries = sorted((page, level) for level, _, page in doc.outline if level <= 2)
    for i, (page, level) in enumerate(entries):
        if level == 2:
            end = entries[i + 1][0] if i + 1 < len(entries) else len(doc.pages) + 1
            pages.update(range(page, max(end, page + 1)))
    return pages


def _is_label(run: Run, known: Instruments) -> bool:
    return run.bold and not run.serif and run.text.strip(" :").casefold() in known.labels


def _joined(runs: list[Run], known: Instruments) -> list[Run]:
    """``runs`` (top to bottom) with a label that wraps over lines joined into one run."""
    out: list[Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if (prev and run.bold and prev.bold and not run.serif and abs(run.left - prev.left) <= 2
                and 0 <= run.top - prev.bottom <= run.height and not _is_label(prev, known)
                and any(label.startswith(prev.text.casefold() + " ") for label in known.labels)):
            out[-1] = Run(prev.page, prev.top, prev.left, max(prev.width, run.width), run.bottom - prev.top,
                          f"{prev.text} {run.text}", prev.size, prev.family, True)
        else:
            out.append(run)
    return out


def _headed(page: Page) -> bool:
    """The page starts with a heading (a chapter, worksheet, card or section), not with the
    rest of something begun on the page before."""
    return any(r.serif for r in page.ordered[:2])


def _rows(runs: list[Run], widgets: list[float]) -> int:
    """Table rows below a repeated header: groups of lines closer than a line apart."""
    tops = sorted({round(r.top) for r in runs} | {round(w) for w in widgets})
    rows, last = 0, None
    for top in tops:
        if last is None or top - last > 14:
            rows += 1
        last = top
    return rows


def lone_at_top(doc: Document, known: Instruments) -> list[str]:
    """A field, or one table row, alone at the top of a page, the rest of its card, section
    or table on the page before; and a heading with one field alone at a page's foot."""
    problems = []
    sheets = _worksheet_pages(doc)
    for page in doc.pages:
        if page.number not in sheets or not page.runs:
            continue
        ordered = _joined(page.ordered, known)
        doc.looked["labels"] += sum(_is_label(r, known) for r in ordered)
        if not _headed(page) and page.number - 1 in sheets:
            problems += _alone_at_top(page, ordered, known)
        nxt = page.number + 1
        last = max((i for i, r in enumerate(ordered) if r.serif), default=None)
        if nxt in sheets and nxt <= len(doc.pages) and not _headed(doc.pages[nxt - 1]) and last is not None:
            tail = [r for r in ordered[last + 1:] if _is_label(r, known)]
            if len({round(r.top) for r in tail}) == 1:
                problems.append(f"p.{page.number}: {ordered[last].text!r} and one field ({tail[0].text!r}) "
                                f"alone at the foot of the page, the rest on p.{nxt}")
    return problems


def _alone_at_top(page: Page, ordered: list[Run], known: Instruments) -> list[str]:
    """What the page holds before its first heading, when that is one field or one table row."""
    run = ordered[:next((i for i, r in enumerate(ordered) if r.serif), len(ordered))]
    labels = [r for r in run if _is_label(r, known)]
    if not labels:
        return []
    header = [r for r in labels if abs(r.top - labels[0].top) <= SLACK]
    names = {r.text.strip(" :").casefold() for r in header}
    if len(header) >= 2 and labels[0] is run[0] and any(names <= t for t in known.tables):  # a table's head, again
        below = [r for r in run if r.top > header[0].bottom]
        end = next((r.top for r in below if _is_label(r, known) and r.left < header[0].left + 2), page.height)
        body = [r for r in below if r.top < end]
        widgets = [page.height - y1 for _, _, _, y1 in page.widgets if header[0].bottom < page.height - y1 < end]
        if _rows(body, widgets) == 1:
            return [f"p.{page.number}: one table row alone under its repeated header "
                    f"({' | '.join(r.text for r in header)})"]
    elif len(labels) == 1:
        return [f"p.{page.number}: the field {labels[0].text!r} alone at the top of the page, "
                f"the rest of its group on p.{page.number - 1}"]
    return []


def label_at_foot(doc: Document, known: Instruments) -> list[str]:
    """A field's label as the last line of a page and its answer on the next: in a filled
    PDF (answers are text) or a fillable one (answers are form fields; a blank form's ruled
    lines are not text, so a blank one cannot be judged)."""
    problems = []
    sheets = _worksheet_pages(doc)
    for page in doc.pages[:-1]:
        runs = _joined(page.ordered, known)
        if page.number in sheets and runs:
            last = [r for r in runs if r.top >= max(r.top for r in runs) - SLACK]
            below = [y0 for _, y0, _, y1 in page.widgets if page.height - (y0 + y1) / 2 >= last[0].top]
            if all(_is_label(r, known) for r in last) and not below:
                problems.append(f"p.{page.number}: the label {last[-1].text!r} ends the page, its answer on "
                                f"p.{page.number + 1}")
    return problems


def short_pages(doc: Document, least: float = 1 / 3) -> list[str]:
    """Pages less than ``least`` full that end no chapter or worksheet (the cover, the last
    page and empty pages aside)."""
    problems = []
    for page in doc.pages[1:-1]:
        if not page.runs and not page.widgets:
            continue  # a page left empty on purpose (duplex)
        if page.number + 1 in doc.starts:
            continue
        full = page.fullness()
        if full < least:
            problems.append(f"p.{page.number}: {full:.0%} full and no chapter or worksheet ends there "
                            f"({' / '.join(r.text for r in page.ordered[:3])})")
    return problems


def split_scales(doc: Document, known: Instruments) -> list[str]:
    """A rating scale whose points do not all sit on one line."""
    problems = []
    for page in doc.pages:
        words = [(word, run.top) for run in page.runs for word in run.text.split()]
        for i, (word, _) in enumerate(words):
            for low, high in known.scales:
                if word != str(low) or (i and words[i - 1][0] == str(low - 1)):
                    continue
                points = words[i:i + high - low + 1]
                if [w for w, _ in points] != [str(n) for n in range(low, high + 1)]:
                    continue
                doc.looked["scales"] += 1
                tops = sorted({round(top) for _, top in points})
                if tops[-1] - tops[0] > SLACK + 1:
                    problems.append(f"p.{page.number}: the scale {low} to {high} runs over {len(tops)} lines")
    return problems


def missing_anchors(doc: Document, known: Instruments) -> list[str]:
    """A rating or matrix with anchors whose page does not print them ("1 = Novice")."""
    problems = []
    for label, anchors in known.anchors:
        pages = [p for p in doc.pages if any(_is_label(r, _only(label)) for r in p.runs)]
        if not pages:
            problems.append(f"{label!r} is not printed at all")
        for page in pages:
            text = page.stream
            doc.looked["anchored"] += 1
            for point, name in anchors:
                if not re.search(rf"\b{point}\s*=\s*{re.escape(name)}", text):
                    problems.append(f"p.{page.number}: {label!r} does not print its anchor '{point} = {name}'")
    return problems


def _only(label: str) -> Instruments:
    return Instruments({label.casefold()}, [], set(), [], set(), "")


def widgets_outside(doc: Document) -> list[str]:
    """Form widgets that reach past the page's text frame."""
    problems = []
    for page in doc.pages:
        left, top, right, bottom = page.frame
        for x0, y0, x1, y1 in page.widgets:
            doc.looked["widgets"] += 1
            high, low = page.height - y1, page.height - y0  # from the page's top
            if x0 < left - SLACK or x1 > right + SLACK or high < top - SLACK or low > bottom + SLACK:
                problems.append(f"p.{page.number}: a widget at [{x0:.0f} {y0:.0f} {x1:.0f} {y1:.0f}] is outside "
                                f"the text frame [{left:.0f} {page.height - bottom:.0f} {right:.0f} "
                                f"{page.height - top:.0f}]")
    return problems


def signatures_apart(doc: Document, known: Instruments) -> list[str]:
    """A signature block on another page than the heading of the section it closes."""
    problems = []
    for page in doc.pages:
        for run in page.runs:
            if run.text != known.caption:
                continue
            doc.looked["signatures"] += 1
            above = [r for r in page.ordered if r.serif and r.bottom <= run.top]
            heading = above[-1].text if above else None
            if heading not in known.signature_sections:
                problems.append(f"p.{page.number}: a signature block under {heading!r}, not under "
                                f"its section's heading (one of {sorted(known.signature_sections)})")
    return problems
