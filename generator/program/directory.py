"""A program's mentor directory: ``mentors.yml`` beside its mentorbook.yml.

    mentors:
      - name: Dr. Ada Quinn
        title: Associate Professor of Pediatrics
        areas: [grant writing, research methods]
        career_stage: mid-career
        capacity: 3
        contact: ada.quinn@example.org

``name`` and ``areas`` are required; ``capacity`` (how many trainees of a cohort the
mentor takes at once, counting the ones already assigned to them) is 1 unless given,
and 0 means "not taking trainees now". Every problem is located like a workbook's.
What the directory is used for: insights/suggest.py.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from ..base.errors import Problem
from ..base.i18n import N_
from ..base.limits import MAX_ITEMS
from ..base.yamlio import YamlFileError, read_yaml
from .options import Context, Entries, OneOf, Schema, Text, Texts, Whole
from .roles import CAREER_STAGES

DIRECTORY_NAME = "mentors.yml"
MAX_MENTORS = MAX_ITEMS  # mentors in one directory
MAX_AREAS = 30  # areas of one mentor
MAX_CHARS = {"name": 120, "title": 120, "contact": 120, "area": 100}  # name + title + contact fit a text field
MAX_CAPACITY = 100


class MentorEntry(Schema):
    """One mentor of the directory."""

    shape = N_("a mentor is a mapping of name, title, areas, career_stage, capacity, contact")
    twice = N_("'%(value)s' is in the directory twice")
    allowed = N_("a mentor takes: %(keys)s")

    name = Text("the mentor's name, as trainees write it on their mentor map", required=True,
                max_chars=MAX_CHARS["name"], missing=N_("a mentor needs a 'name'"))
    title = Text("their position, shown on the mentor map", max_chars=MAX_CHARS["title"])
    areas = Texts("what they can mentor in (matched with the trainees' skill areas and goals)", required=True,
                  max_items=MAX_AREAS, max_chars=MAX_CHARS["area"],
                  item=N_("an area is a short text, e.g. grant writing"),
                  example="[grant writing, leadership]", missing=N_("a mentor needs 'areas': what they can mentor in"))
    career_stage = OneOf("early-career, mid-career or senior", values=CAREER_STAGES,
                         message=N_("unknown career stage '%(value)s'"))
    capacity = Whole("how many trainees of a cohort they take at once (0: none now)", default=1, low=0,
                     high=MAX_CAPACITY, message=N_("'capacity' must be a whole number from 0 to 100"),
                     hint=N_("how many trainees they take at once; 0: none now"))
    contact = Text("how to reach them, shown on the mentor map", max_chars=MAX_CHARS["contact"])


class DirectoryFile(Schema):
    """The whole of mentors.yml."""

    allowed = N_("mentors.yml has only 'mentors:'")
    example = "mentors:\n  - {name: Dr. Ada Quinn, areas: [grant writing], capacity: 2}"

    mentors = Entries(MentorEntry, "the program's mentors", required=True, max_items=MAX_MENTORS, unique="name",
                      shape=N_("mentors.yml holds a list under 'mentors:'"),
                      missing=N_("mentors.yml holds a list under 'mentors:'"))


class DirectoryMentor(Struct, frozen=True):
    """One mentor of a program's directory, whom suggestions may name."""

    name: str
    areas: tuple[str, ...]
    title: str = ""
    career_stage: str = ""  # one of roles.CAREER_STAGES, or ""
    capacity: int = 1
    contact: str = ""

    @property
    def position(self) -> str:
        """What the mentor map's "Position and field" shows of them."""
        return " · ".join(part for part in (self.title, self.contact) if part)


def read_directory(root: Path) -> tuple[tuple[DirectoryMentor, ...], list[Problem], Path | None]:
    """The mentors of ``root/mentors.yml`` (none when there is no such file), with its problems:
    a directory with any problem gives no mentors."""
    path = root / DIRECTORY_NAME
    if not path.exists() and not path.is_symlink():
        return (), [], None
    try:
        data = read_yaml(path, within=root)
    except YamlFileError as exc:
        return (), [exc.problem], path
    if not isinstance(data, dict):
        return (), [Problem(path, 1, DirectoryFile.mentors.shape, hint=DirectoryFile.example)], path
    context = Context(path, root)
    read = DirectoryFile.read(data, context)
    if context.problems or read is None:
        return (), context.problems, path
    return tuple(DirectoryMentor(**entry) for entry in read.mentors), [], path
