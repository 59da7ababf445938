"""A cohort lays out the shared guidance once per worker: its PDFs have the pages, text,
bookmarks, links and tags of PDFs laid out whole."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import COHORT_TRAINEES, TODAY, outline_entries
from pdfua_check import check
from pypdf import PdfReader

from mentorbook.core.load import load_sources
from mentorbook.core.render import make_renderer
from mentorbook.pipeline import BuildOptions, analyse_data
from mentorbook.print.shared_pages import SharedLayouts, split_print_html
from mentorbook.program.config import load_project
from mentorbook.staff.cohort import build_cohort, roster_workbook
from mentorbook.staff.roster import RosterRow


@pytest.fixture(scope="module")
def whole(example_cohort, cohort_guide, tmp_path_factory):
    """The conftest cohort (guidance laid out once per worker) built again laying out every PDF whole."""
    roster = example_cohort.out_dir.parent / "example" / "roster.csv"
    result = build_cohort(roster, tmp_path_factory.mktemp("whole") / "out", jobs=2, today=TODAY,
                          shared_layout=False, project=load_project(cohort_guide), formats=("pdf",))
    assert result.failures == []
    return result.out_dir


def trainee_pdfs(out: Path) -> list[Path]:
    return sorted((out / "trainees").glob("*.pdf"))


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def named_pages(path: Path) -> dict[str, int]:
    reader = PdfReader(path)
    return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def test_every_page_reads_as_in_a_pdf_laid_out_whole(example_cohort, whole):
    shared = trainee_pdfs(example_cohort.out_dir)
    assert [p.name for p in shared] == [p.name for p in trainee_pdfs(whole)] and len(shared) == len(COHORT_TRAINEES)
    for pdf in shared:
        once, again = page_texts(pdf), page_texts(whole / "trainees" / pdf.name)
        assert len(once) == len(again) >= 8, pdf.name
        different = [i + 1 for i, (a, b) in enumerate(zip(once, again, strict=True)) if a != b]
        assert different == [], f"{pdf.name}: pages {different} differ"
    path = example_cohort.out_dir / "trainees" / "amara-nwosu.pdf"
    amara = page_texts(path)
    guidance = named_pages(path)["practice-self-reflect"]
    assert "Amara Nwosu" in amara[guidance] and f"Page {guidance + 1}" in amara[guidance], \
        "a shared guidance page has this trainee's running head and its own page number"


def test_bookmarks_and_named_destinations_point_to_the_same_pages(example_cohort, whole):
    for pdf in trainee_pdfs(example_cohort.out_dir):
        reference = whole / "trainees" / pdf.name
        assert outline_entries(PdfReader(pdf)) == outline_entries(PdfReader(reference)), pdf.name
        names = named_pages(pdf)
        assert names == named_pages(reference) and "practice-self-reflect" in names


def structure(path: Path) -> list[tuple[int, str, int | None]]:
    """Every structure element in tree order: its depth, type and page."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        found = []

        def walk(element, depth):
            if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
                return
            found.append((depth, str(element.S), pages.get(element.Pg.objgen) if "/Pg" in element else None))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                walk(kid, depth + 1)

        root = pdf.Root.StructTreeRoot.K
        for element in (root if isinstance(root, pikepdf.Array) else [root]):
            walk(element, 0)
        return found


def test_the_tags_are_those_of_a_whole_layout(example_cohort, whole):
    """Each page's structure elements, nested as a whole layout nests them: a chapter's
    worksheets inside its section, a worksheet's entries inside the worksheet's."""
    for pdf in trainee_pdfs(example_cohort.out_dir):
        tags = structure(pdf)
        assert len(tags) > 500 and tags == structure(whole / "trainees" / pdf.name), pdf.name


def test_contents_links_lead_to_their_chapters(example_cohort):
    path = example_cohort.out_dir / "trainees" / "benjamin-carter.pdf"
    reader = PdfReader(path)
    texts = page_texts(path)
    names = named_pages(path)
    contents = reader.pages[1]
    targets = [annot.get_object()["/Dest"] for annot in contents.get("/Annots") or []
               if annot.get_object().get("/Subtype") == "/Link" and "/Dest" in annot.get_object()]
    assert len(targets) >= 5  # the introduction, two practices and their worksheets
    for practice, title in (("practice-self-reflect", "Self-reflect"),
                            ("practice-identify-mentors", "Identify mentors")):
        assert practice in [str(t) for t in targets]
        page = names[practice]
        assert title in texts[page]
        printed = [line for line in texts[1].splitlines() if title in line and "Worksheet" not in line][0]
        assert printed.split()[-1] == str(page + 1), "the contents print the page the link goes to"


def test_the_pdfs_are_pdf_ua(example_cohort):
    for pdf in [*trainee_pdfs(example_cohort.out_dir), example_cohort.out_dir / "cohort.pdf"]:
        assert check(pdf) == [], pdf.name
    with pikepdf.open(example_cohort.out_dir / "trainees" / "amara-nwosu.pdf") as pdf:
        tree = pdf.Root.StructTreeRoot.ParentTree
        keys = {int(k) for k in tree.Nums[::2]}
        pages = [int(page.obj.StructParents) for page in pdf.pages if "/StructParents" in page.obj]
        assert len(pages) == len(pdf.pages) and set(pages) <= keys, "every page's content is in the parent tree"


def test_the_guidance_is_laid_out_once_and_the_bytes_do_not_depend_on_it(tmp_path, cohort_guide):
    project = load_project(cohort_guide)  # two practices: fewer chunks than the whole guide, as many to count
    sources, problems = load_sources(project)
    assert problems == []
    renderer = make_renderer(project)
    layouts = SharedLayouts()
    roster = tmp_path / "roster.csv"
    made = []
    for name in ("Ada One", "Bo Two"):
        row = RosterRow(line=2, name=name, mentors=("Dr. Same",))
        options = BuildOptions(workbook=roster, blank=True, prefilled=True, today=TODAY, project=project)
        workbook = analyse_data(roster_workbook(row), roster, options, sources).workbook
        made.append((workbook, options.render_options))
    first = layouts.pdf(*made[0], project, renderer)
    misses, hits = layouts.misses, layouts.hits
    assert misses >= 4 and hits >= 1, "a worksheet's empty copies of an entry are laid out once"
    second = layouts.pdf(*made[1], project, renderer)
    assert layouts.misses == misses and layouts.hits == 2 * hits + misses, "the second reuses every chunk"
    assert second == SharedLayouts().pdf(*made[1], project, renderer), "the same bytes from a fresh worker"
    assert first != second and "Bo Two" in PdfReader(io.BytesIO(second)).pages[4].extract_text()


def prefilled(project_dir: Path, name: str, mentors: tuple[str, ...], folder: Path):
    """A roster trainee's blank workbook with the mentors filled in, as a cohort makes it:
    (workbook, render options, project)."""
    project = load_project(project_dir)
    sources, problems = load_sources(project)
    assert problems == []
    row = RosterRow(line=2, name=name, mentors=mentors)
    options = BuildOptions(workbook=folder / "roster.csv", blank=True, prefilled=True, today=TODAY, project=project)
    return analyse_data(roster_workbook(row), options.workbook, options, sources).workbook, options.render_options, \
        project


def own_template(folder: Path, name: str, text: str) -> Path:
    """A two-practice program whose templates/NAME is its own."""
    (folder / "templates").mkdir()
    (folder / "mentorbook.yml").write_text("practices: [self-reflect, identify-mentors]\n", encoding="utf-8")
    (folder / "templates" / name).write_text(text, encoding="utf-8")
    return folder


def test_an_entry_a_mentor_fills_for_several_trainees_is_laid_out_once_and_reads_as_laid_out_whole(
        tmp_path, cohort_guide):
    """A prefilled worksheet's head and first entry, and each entry after it (which starts a
    page of its own), are laid out once per distinct text, inside the worksheet's section: a
    trainee with the mentors of one before lays out no worksheet again, one with a mentor
    new to the worker lays out that mentor's entry only."""
    from mentorbook.print.pdf import PRINT_HTML, render_pdf, render_print_files

    layouts = SharedLayouts()
    pdfs, misses = [], []
    for name, mentors in (("Ada One", ("Dr. Same", "Dr. Also")), ("Bo Two", ("Dr. Same", "Dr. Also")),
                          ("Cy Three", ("Dr. Same", "Dr. Other"))):
        workbook, options, project = prefilled(cohort_guide, name, mentors, tmp_path)
        renderer = make_renderer(project)
        before = layouts.misses
        pdfs.append((layouts.pdf(workbook, options, project, renderer),
                     render_pdf(workbook, options, project, renderer)[0]))
        misses.append(layouts.misses - before)
    assert misses[0] >= 5 and misses[1:] == [0, 1], misses
    split = split_print_html(str(render_print_files(workbook, options, project, renderer, split=True)[PRINT_HTML]))
    assert [chunk for chunk in split[2] if "Dr. Other" in chunk], "the entry is a chunk of its own"
    for shared, whole in pdfs:
        (tmp_path / "shared.pdf").write_bytes(shared)
        (tmp_path / "whole.pdf").write_bytes(whole)
        once, again = page_texts(tmp_path / "shared.pdf"), page_texts(tmp_path / "whole.pdf")
        assert once == again
        assert named_pages(tmp_path / "shared.pdf") == named_pages(tmp_path / "whole.pdf")
        assert structure(tmp_path / "shared.pdf") == structure(tmp_path / "whole.pdf")
        assert outline_entries(PdfReader(tmp_path / "shared.pdf")) == outline_entries(PdfReader(tmp_path / "whole.pdf"))
        assert check(tmp_path / "shared.pdf") == []
    mentors = [i for i, text in enumerate(once) if "Dr. Same" in text or "Dr. Other" in text]
    assert len(mentors) >= 2 and all("Cy Three" in once[i] for i in mentors), \
        "the mentors' entries carry the last trainee's running head"


@pytest.mark.parametrize(("change", "shared"), [
    ("", True),  # the built-in styles, as a program's own file: cut
    ("\n.bentry-repeat + .bentry-repeat { break-before: avoid; }\n", False),
    ("\n.worksheet.is-blank { break-before: auto; }\n", False),
    ("\nsection.chapter { break-before: auto; }\n", False),
], ids=["as built in", "entries run on", "worksheets run on", "chapters run on"])
def test_a_program_stylesheet_that_runs_pages_on_gets_whole_layouts(tmp_path, change, shared):
    """A cohort cuts the layout where its styles start pages, as the cascade has it: a
    program's own print.css that runs entries, worksheets or chapters on gets whole layouts."""
    from mentorbook.base.paths import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "print.css").read_text(encoding="utf-8")
    workbook, options, project = prefilled(own_template(tmp_path, "print.css", css + change), "Ada One",
                                           ("Dr. Same", "Dr. Also"), tmp_path)
    layouts = SharedLayouts()
    pdf = layouts.pdf(workbook, options, project, make_renderer(project))
    assert (pdf is not None) == shared and (layouts.misses > 0) == shared


def test_a_programs_own_worksheet_template_written_before_entries_were_shared_still_works(tmp_path):
    """A program's own _worksheet.html whose worksheet macro takes no ``split`` builds its
    PDF, and its cohort shares the guidance (its worksheets are each trainee's own)."""
    from mentorbook.base.paths import TEMPLATES_DIR
    from mentorbook.cli import main

    older = (TEMPLATES_DIR / "_worksheet.html").read_text(encoding="utf-8")
    for new, old in (("fillable=False, split=False) -%}", "fillable=False) -%}"),
                     ("{% if split and prefilled %}<!--mb-shared-->{% endif %}\n", ""),
                     ("prefilled_sheet(ws, split)", "prefilled_sheet(ws)")):
        assert new in older
        older = older.replace(new, old)
    own_template(tmp_path, "_worksheet.html", older)
    assert main(["build", "--blank", "--format", "pdf", "-q", "--project", str(tmp_path),
                 "--out", str(tmp_path / "out")]) == 0
    workbook, options, project = prefilled(tmp_path, "Ada One", ("Dr. Same", "Dr. Also"), tmp_path)
    shared = SharedLayouts().pdf(workbook, options, project, make_renderer(project))
    assert shared is not None
    assert any("Dr. Also" in page.extract_text() for page in PdfReader(io.BytesIO(shared)).pages)


def test_a_print_layout_without_shared_parts_is_laid_out_whole():
    assert split_print_html("<html><body><p>A program's own print.html</p></body></html>") is None
    head, parts, chunks, tail = split_print_html(
        "<html><head></head><body><p>cover</p><!--mb-shared--><h1 id='a'>A</h1><!--/mb-shared--><p>sheet</p>"
        "</body></html>")
    assert head.endswith("<body>") and parts == ["<p>cover</p>", "<p>sheet</p>"] and chunks == ["<h1 id='a'>A</h1>"]


def test_workers_of_a_cohort_share_the_chunks_one_of_them_made(tmp_path, cohort_guide, monkeypatch):
    """Two workers with one store (print/chunkstore.py): the second lays out no chunk the first
    published and makes the same bytes; a chunk another live worker claimed but never published
    is waited for, then made (here after a short wait); a claim whose worker has ended is not
    waited for."""
    import os

    from mentorbook.print import chunkstore

    store = tmp_path / "store"
    workbook, options, project = prefilled(cohort_guide, "Ada One", ("Dr. Same", "Dr. Also"), tmp_path)
    renderer = make_renderer(project)
    first = SharedLayouts(store=store)
    made = first.pdf(workbook, options, project, renderer)
    assert made is not None and first.misses >= 5 and len(list(store.glob("*.chunk"))) == first.misses
    second = SharedLayouts(store=store)
    assert second.pdf(workbook, options, project, renderer) == made and second.misses == 0

    claimed = tmp_path / "claimed"
    keys: dict[str, bool] = {}
    real_claim = chunkstore.ChunkStore.claim

    def claimed_elsewhere(self, key):  # every other chunk: claimed by a worker that never publishes it
        if keys.setdefault(key, len(keys) % 2 == 0):
            return real_claim(self, key)
        (self.folder / f"{key}.claim").write_text(str(pid))
        return False

    looks: list[bool] = []
    real_lives = chunkstore.ChunkStore._claimer_lives

    def lives(self, key):
        looks.append(real_lives(self, key))
        return looks[-1]

    monkeypatch.setattr(chunkstore.ChunkStore, "claim", claimed_elsewhere)
    monkeypatch.setattr(chunkstore.ChunkStore, "_claimer_lives", lives)
    monkeypatch.setattr(chunkstore, "WAIT", 0.2)
    for pid in (os.getppid(), 2 ** 22 + 12345):  # alive (another process), then a worker that has ended
        keys.clear()
        for old in claimed.glob("*") if claimed.exists() else ():
            old.unlink()
        looks.clear()
        third = SharedLayouts(store=claimed)
        assert third.pdf(workbook, options, project, renderer) == made
        assert third.misses == len(keys) >= 5, "each chunk made here, the claimed ones last"
        elsewhere = sum(1 for mine in keys.values() if not mine)
        if pid == os.getppid():
            assert len(looks) > elsewhere and set(looks) == {True}, "a live claimer is waited for"
        else:
            assert looks == [False] * elsewhere, "an ended claimer is not"


def test_a_chunk_a_worker_fails_to_make_is_not_waited_for(tmp_path, cohort_guide, monkeypatch):
    """A chunk whose layout fails leaves no claim behind: the worker's later trainees and the other
    workers do not wait for it, they try it themselves."""
    from mentorbook.print import chunkstore

    store = tmp_path / "store"
    workbook, options, project = prefilled(cohort_guide, "Ada One", ("Dr. Same",), tmp_path)
    renderer = make_renderer(project)
    real = SharedLayouts._lay_out

    def fails_once(self, *args):
        if not failed:
            failed.append(True)
            raise OSError("the disk went away")
        return real(self, *args)

    failed: list[bool] = []
    monkeypatch.setattr(SharedLayouts, "_lay_out", fails_once)
    monkeypatch.setattr(chunkstore, "WAIT", 600.0)  # a wait would stall this test
    worker = SharedLayouts(store=store)
    with pytest.raises(OSError):
        worker.pdf(workbook, options, project, renderer)
    claims = {p.stem for p in store.glob("*.claim")}
    assert claims - {p.stem for p in store.glob("*.chunk")} == set(), "no claim without its chunk"
    assert worker.pdf(workbook, options, project, renderer) is not None
    assert SharedLayouts(store=store).pdf(workbook, options, project, renderer) is not None
