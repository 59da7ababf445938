"""Make the README's picture of the PDF workbook from the current sample (`make preview`).

    .venv/bin/python tools/preview.py [--pages 1,2,Self-reflect,"Mentor map"] [--width 2000]

builds the bundled sample's PDF into a temporary folder, places the chosen pages side by
side on one sheet (pikepdf, each page as it is laid out) and renders that sheet to
content/examples/preview/pdf-pages.png with Poppler's pdftoppm. A page is chosen by its
number or by the title of a bookmark (a practice, a worksheet): the picture follows the
guide when pages move. The same mentorbook and Poppler give the same PNG.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "content" / "examples" / "preview" / "pdf-pages.png"
# cover, contents, the first page of a practice, a filled-in worksheet
PAGES = "1,2,Self-reflect,Mentor map"
TODAY = "2026-11-25"  # the date the sample is judged on, so that the picture does not change by itself
GAP = 28  # points between pages and around them
BACKGROUND = (0.91, 0.89, 0.86)  # a warm grey, so that white pages stand out
SHADOW = (0.78, 0.76, 0.73)


def build_sample(out: Path) -> Path:
    """The sample workbook's PDF, built by the installed mentorbook."""
    subprocess.run([sys.executable, "-m", "mentorbook", "build", "--format", "pdf", "--today", TODAY,
                    "--out", str(out), "--quiet"], check=True)
    return out / "workbook.pdf"


def bookmarks(reader: PdfReader, outline=None) -> dict[str, int]:
    """Every bookmark's title and the index of its page (the first of equal titles wins)."""
    found: dict[str, int] = {}
    for item in reader.outline if outline is None else outline:
        if isinstance(item, list):
            for title, page in bookmarks(reader, item).items():
                found.setdefault(title, page)
        else:
            found.setdefault(item.title, reader.get_destination_page_number(item))
    return found


def page_indexes(pdf: Path, chosen: str) -> list[int]:
    """The 0-based page indexes of ``chosen``: page numbers or bookmark titles, comma-separated."""
    reader = PdfReader(pdf)
    marks = bookmarks(reader)
    indexes = []
    for choice in (part.strip() for part in chosen.split(",")):
        if choice.isdigit() and 1 <= int(choice) <= len(reader.pages):
            indexes.append(int(choice) - 1)
        elif choice in marks:
            indexes.append(marks[choice])
        else:
            sys.exit(f"preview: no page {choice!r} in the sample (pages 1 to {len(reader.pages)}, "
                     f"or a bookmark: {', '.join(marks)})")
    return indexes


def _rect(x: float, y: float, w: float, h: float, colour: tuple[float, float, float]) -> bytes:
    r, g, b = colour
    return f"{r:.3f} {g:.3f} {b:.3f} rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f\n".encode()


def sheet(pdf: Path, indexes: list[int], out: Path) -> None:
    """One page holding the chosen pages side by side, each with a soft shadow."""
    source = pikepdf.open(pdf)
    pages = [source.pages[i] for i in indexes]
    width, height = (float(v) for v in pages[0].mediabox[2:])
    total = (width + GAP) * len(pages) + GAP, height + 2 * GAP
    composed = pikepdf.new()
    composed.add_blank_page(page_size=total)
    target = composed.pages[0]
    drawing = _rect(0, 0, *total, BACKGROUND)
    for n in range(len(pages)):
        drawing += _rect(GAP + n * (width + GAP) + 2, GAP - 2, width, height, SHADOW)
        drawing += _rect(GAP + n * (width + GAP), GAP, width, height, (1, 1, 1))
    target.contents_add(composed.make_stream(drawing), prepend=True)
    for n, page in enumerate(pages):
        x = GAP + n * (width + GAP)
        target.add_overlay(page, pikepdf.Rectangle(x, GAP, x + width, GAP + height))
    composed.save(out, deterministic_id=True)


def render(sheet_pdf: Path, width: int, png: Path) -> None:
    """The sheet as a PNG ``width`` pixels wide, written over ``png`` only when it is whole."""
    stem = png.with_name(png.stem + "-partial")  # pdftoppm adds .png
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", "-1",
                    str(sheet_pdf), str(stem)], check=True)
    os.replace(stem.with_name(stem.name + ".png"), png)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=PAGES, help=f"page numbers or bookmark titles [default: {PAGES}]")
    parser.add_argument("--width", type=int, default=2000, help="width of the PNG in pixels [default: 2000]")
    parser.add_argument("--out", type=Path, default=TARGET, help="the PNG to write [default: the README's]")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentorbook-preview-") as tmp:
        pdf = build_sample(Path(tmp) / "sample")
        composed = Path(tmp) / "sheet.pdf"
        sheet(pdf, page_indexes(pdf, args.pages), composed)
        render(composed, args.width, args.out)
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: pages {args.pages}")


if __name__ == "__main__":
    main()
