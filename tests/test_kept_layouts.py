"""A cohort's shared layouts kept between runs in the user cache (print/chunkstore.KeptChunks):
a cohort run again lays out only what shows a person, and gives the same PDFs; the cache keeps
nothing of a trainee or a mentor; an entry that cannot be read, or that older code made, is
laid out again."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import msgspec
import pytest
from conftest import TODAY
from pypdf import PdfReader

from mentorbook.cli import main
from mentorbook.print import chunkstore, shared_pages

TRAINEES = ("Oluwaseun Adebayo", "Margarethe Lindqvist")
MENTORS = ("Dr. Ingrid Solberg-Haugen", "Dr. Tomasz Wiśniewski")


def roster(folder: Path) -> Path:
    path = folder / "roster.csv"
    rows = [f"{name},PGY-2 resident,Internal Medicine,2026-07-01,{mentor},," for name, mentor in zip(TRAINEES, MENTORS,
                                                                                                     strict=True)]
    path.write_text("name,role,program,start_date,mentors,email,workbook\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def pdfs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "trainees").glob("*.pdf"))}


class Runs:
    """Cohorts of the same roster and guide, each in a folder of its own, one job (in this
    process: the chunks each lays out are counted), with a user cache of their own."""

    def __init__(self, folder: Path, project: Path, monkeypatch: pytest.MonkeyPatch):
        self.folder, self.project, self.roster = folder, project, roster(folder)
        self.cache = folder / "cache" / "mentorbook" / "layouts"
        monkeypatch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        self.laid: list[str] = []
        real = shared_pages.SharedLayouts._lay_out

        def counted(layouts, head, text, *rest):
            self.laid.append(text)
            return real(layouts, head, text, *rest)

        monkeypatch.setattr(shared_pages.SharedLayouts, "_lay_out", counted)

    def run(self, name: str, *more: str) -> tuple[list[str], dict[str, bytes]]:
        """The chunks laid out by a cohort into ``name``, and its trainees' PDFs."""
        self.laid.clear()
        out = self.folder / name
        assert main(["cohort", str(self.roster), "-q", "--jobs", "1", "--format", "pdf", "--out", str(out),
                     "--today", TODAY.isoformat(), "--project", str(self.project), *more]) == 0
        return list(self.laid), pdfs(out)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, cohort_guide):
    with pytest.MonkeyPatch.context() as monkeypatch:
        runs = Runs(tmp_path_factory.mktemp("kept"), cohort_guide, monkeypatch)
        yield runs, runs.run("first"), runs.run("second")


def test_a_cohort_run_again_lays_out_only_what_shows_a_person(two_runs):
    _, (first, made), (second, again) = two_runs
    assert len(made) == len(TRAINEES) and again == made, "the same PDFs, byte for byte"
    assert len(first) >= 5, "guidance and empty worksheets, laid out once"
    assert 0 < len(second) < len(first)
    assert all(shared_pages.publishable(text, frozenset()) is False for text in second), \
        "laid out again: only the entries the roster filled (each mentor's name)"
    assert any(mentor in " ".join(second) for mentor in MENTORS)


def test_the_kept_layouts_hold_nothing_of_a_person(two_runs, tmp_path):
    """Every kept chunk reads back as data; none shows a trainee's or a mentor's name; the
    guidance of both practices is among them."""
    runs, (first, _), _ = two_runs
    entries = sorted(runs.cache.glob("*.chunk"))
    assert len(entries) == len(first) - sum(not shared_pages.publishable(text, frozenset()) for text in first)
    texts = []
    for entry in entries:
        found = chunkstore._DECODER.decode(entry.read_bytes())
        if found is not None:
            (tmp_path / "chunk.pdf").write_bytes(found.part.data)
            texts.append(" ".join(page.extract_text() for page in PdfReader(tmp_path / "chunk.pdf").pages))
    shown = " ".join(" ".join(texts).split())
    assert [name for name in (*TRAINEES, *MENTORS, "Wiśniewski", "Lindqvist", "Adebayo") if name in shown] == []
    assert "Self-reflect" in shown and "Identify mentors" in shown, shown[:300]


def test_a_kept_layout_that_cannot_be_read_is_laid_out_again(two_runs):
    runs, (first, made), _ = two_runs
    entries = sorted(runs.cache.glob("*.chunk"))
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short
    entries[1].write_bytes(b"\x93" * 64)  # not msgpack of a chunk
    entries[2].write_bytes(b"")
    laid, again = runs.run("third")
    assert again == made
    assert len(laid) == len(first) - len(entries) + 3
    assert all(chunkstore._DECODER.decode(entry.read_bytes()) is not None for entry in entries[:3])


def test_a_kept_layout_is_found_only_by_the_code_that_made_it(tmp_path, monkeypatch):
    from mentorbook.print.stitch import PartPdf

    laid = shared_pages._Laid(2, PartPdf(b"%PDF-1.7 two pages", 2, anchors={"ws-mentors": 1},
                                         sizes=[(612.0, 792.0), (612.0, 792.0)]))
    kept = chunkstore.KeptChunks(tmp_path)
    kept.put("key", laid)
    kept.put("nothing", None)
    found = chunkstore.KeptChunks(tmp_path).get("key")
    assert (found.count, found.part) == (laid.count, laid.part)
    assert chunkstore.KeptChunks(tmp_path).get("nothing") is None
    assert chunkstore.KeptChunks(tmp_path).get("other") is chunkstore.MISSING
    monkeypatch.setattr(chunkstore, "FORMAT", chunkstore.FORMAT + "-next")  # other code: other entries
    assert chunkstore.KeptChunks(tmp_path).get("key") is chunkstore.MISSING
    monkeypatch.undo()
    monkeypatch.setattr(chunkstore, "LARGEST", 16)  # an entry larger than any chunk is not read
    assert chunkstore.KeptChunks(tmp_path).get("key") is chunkstore.MISSING
    assert chunkstore.KeptChunks(None).get("key") is chunkstore.MISSING  # no cache folder: nothing kept


def test_a_kept_layout_that_reads_as_data_but_is_not_whole_is_laid_out_again(tmp_path):
    """An entry that decodes but whose PDF changed, whose counts disagree, or that is not a
    regular file (a FIFO would hang a plain read) is not used."""
    from mentorbook.print.stitch import PartPdf

    kept = chunkstore.KeptChunks(tmp_path)
    part = PartPdf(b"%PDF-1.7 one page", 1, sizes=[(612.0, 792.0)])
    kept.put("good", shared_pages._Laid(1, part))
    entry = kept._entry("good")
    assert kept.get("good") is not chunkstore.MISSING
    entry.write_bytes(entry.read_bytes().replace(b"one page", b"two page"))  # the PDF changed
    assert kept.get("good") is chunkstore.MISSING
    for count, pages in ((3, 1), (1, 2)):  # counts that disagree
        bad = chunkstore._Kept(count, hashlib.sha256(part.data).hexdigest(),
                               PartPdf(part.data, pages, sizes=[(612.0, 792.0)] * pages))
        entry.write_bytes(msgspec.msgpack.encode(bad))
        assert kept.get("good") is chunkstore.MISSING, (count, pages)
    entry.unlink()
    os.mkfifo(entry)
    assert kept.get("good") is chunkstore.MISSING


def test_a_program_with_templates_of_its_own_keeps_nothing(tmp_path, cohort_guide, monkeypatch):
    """Its templates may show a person's values anywhere (in attributes too): its layouts are
    not kept, though its cohort still lays the guidance out once."""
    project = tmp_path / "program"
    shutil.copytree(cohort_guide, project)
    (project / "templates").mkdir()
    (project / "templates" / "page.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    runs = Runs(tmp_path, project, monkeypatch)
    laid, made = runs.run("own")
    assert len(made) == len(TRAINEES) and len(laid) >= 5
    assert not runs.cache.exists() or list(runs.cache.glob("*.chunk")) == []


def test_a_cohort_in_another_page_size_lays_its_guidance_out_again(two_runs):
    runs, (first, _), _ = two_runs
    laid, made = runs.run("a4", "--page-size", "a4")
    assert len(laid) == len(first)
    sizes = {tuple(round(float(v)) for v in page.mediabox[2:]) for pdf in made.values()
             for page in PdfReader(io.BytesIO(pdf)).pages}
    assert sizes == {(595, 842)}


def test_a_chunk_is_publishable_only_without_a_persons_texts():
    personal = frozenset({"Dr. Ingrid Solberg-Haugen", "Margarethe Lindqvist"})
    assert shared_pages.publishable("<h1>Identify mentors</h1><p>Look widely.</p>", personal)
    assert not shared_pages.publishable("<p>Ask <b>Dr. Ingrid</b>\n Solberg-Haugen&nbsp;first.</p>", personal)
    assert not shared_pages.publishable("<p>Margarethe Lindqvist</p>", personal)
    assert not shared_pages.publishable('<div class="bfield bfield-known"><div class="known">A</div></div>',
                                        frozenset())
