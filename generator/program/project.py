"""Where a build's guidance, worksheets, templates and assets come from.

The built-in project is mentorbook's own ``content/`` and ``templates/``. A program's
project (see ``config.py``) puts its own folders in front: a page, worksheet or
template with the same name or id replaces the built-in one; anything else is added.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct, field

from ..base.paths import CONTENT_DIR, GUIDE_DIR, SCAFFOLD_DIR, TEMPLATES_DIR, WORKSHEETS_DIR
from . import PAGE_SIZES  # noqa: F401  (part of this module's API)

# The folders a program's project may hold, beside its mentorbook.yml.
PROJECT_FOLDERS = ("pages", "worksheets", "templates", "assets")
PRIMARY, ACCENT = "#1d4e89", "#d9622b"  # the built-in colours
MAX_TRAINEES_PER_MENTOR = 4  # the cohort report flags mentors with more trainees


class Branding(Struct, frozen=True):
    """A program's name, logo and colours."""

    program: str = ""
    institution: str = ""
    logo: str = ""  # file name inside the project's assets, copied into the site
    primary: str = PRIMARY
    accent: str = ACCENT
    footer: str = ""
    contact: str = ""


class Document(Struct, frozen=True):
    """A PDF of a chosen set of worksheets under its own title (``documents:`` in mentorbook.yml)."""

    id: str  # also its file name: OUT/ID.pdf
    title: str  # a core.deftexts.Texts when given per language
    worksheets: tuple[str, ...]  # worksheet ids, in order
    at: tuple = ()  # (line, column) of each worksheet id in mentorbook.yml, for located errors


class Project(Struct, frozen=True):
    """A program's project: its settings, and the folders its guidance, worksheets, templates and assets come from."""

    root: Path | None = None
    guide_dirs: tuple[Path, ...] = (GUIDE_DIR,)  # later folders override earlier ones
    worksheet_dirs: tuple[Path, ...] = (WORKSHEETS_DIR,)  # later folders override earlier ones
    template_dirs: tuple[Path, ...] = (TEMPLATES_DIR,)  # the first folder that has a template wins
    asset_dirs: tuple[Path, ...] = ()
    branding: Branding = field(default_factory=Branding)
    page_size: str = "letter"
    practices: tuple[str, ...] = ()  # practice ids to show, in order; empty: all five
    pages: tuple[str, ...] = ()  # extra page ids to show, in order; empty: all extra pages
    config_file: Path | None = None
    max_trainees_per_mentor: int = MAX_TRAINEES_PER_MENTOR  # the cohort report flags mentors with more trainees
    milestones: tuple = ()  # core.milestones.Milestone, from mentorbook.yml
    directory: tuple = ()  # core.directory.DirectoryMentor, from mentors.yml (see insights/suggest.py)
    directory_file: Path | None = None
    notices: tuple = ()  # warnings about the config itself (Problems), e.g. a colour adjusted for contrast
    language: str = "en"  # BCP 47 tag of the program's language (core.i18n); a trainee's own wins
    documents: tuple[Document, ...] = ()  # PDFs of chosen worksheets, besides the guide

    @property
    def source_dirs(self) -> tuple[Path, ...]:
        """Every folder a build reads guidance, worksheets, templates or assets from."""
        return (*self.guide_dirs, *self.worksheet_dirs, *self.template_dirs, *self.asset_dirs)

    @property
    def allowed_roots(self) -> list[Path]:
        """Folders the PDF renderer may read files from."""
        roots = [CONTENT_DIR, TEMPLATES_DIR, *self.guide_dirs, *self.template_dirs, *self.asset_dirs]
        if self.root:
            roots.append(self.root)
        return roots


    @property
    def protected_dirs(self) -> tuple[Path, ...]:
        """Folders a build must never write into, at any depth (the project's own
        folder is refused only itself: see ``writer.check_out_dir``)."""
        if not self.root:
            return ()
        return self.source_dirs


BUILTIN = Project()


def create_project(directory: Path, tag: str = "") -> list[str]:
    """``mentorbook init``: a commented, working project in ``directory``; the files it created.
    ``tag``: the project's language (a checked BCP 47 tag), set in its mentorbook.yml.

    Nothing is written when any scaffold file exists there already.
    """
    import re

    from ..base.errors import OutputError
    from ..base.i18n import N_, said
    from ..base.writer import create_files

    sources = sorted(p for p in SCAFFOLD_DIR.rglob("*") if p.is_file()) if SCAFFOLD_DIR.is_dir() else []
    if not sources:
        raise OutputError(said(N_("mentorbook's project scaffold is missing from %(folder)s: reinstall mentorbook "
                                  "(pip install --force-reinstall mentorbook)"), folder=SCAFFOLD_DIR))
    files = {p.relative_to(SCAFFOLD_DIR).as_posix(): p.read_bytes() for p in sources}
    if tag and "mentorbook.yml" in files:  # "# language: es   # ..." becomes "language: TAG   # ..."
        files["mentorbook.yml"] = re.sub(rb"(?m)^# language: \S+", f"language: {tag}".encode(),
                                         files["mentorbook.yml"], count=1)
    create_files(directory, files, folders=PROJECT_FOLDERS)
    return list(files)
