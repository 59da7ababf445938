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

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.errors import Problem
from ..base.limits import MAX_ITEMS
from .roles import CAREER_STAGES
from ..base.limits import char_problem
from ..base.safepath import shorten
from ..base.errors import did_you_mean
from ..base.yamlio import YamlFileError, key_position, read_yaml, value_position

DIRECTORY_NAME = "mentors.yml"
KEYS = ("name", "title", "areas", "career_stage", "capacity", "contact")
MAX_MENTORS = MAX_ITEMS  # mentors in one directory
MAX_AREAS = 30  # areas of one mentor
MAX_CHARS = {"name": 120, "title": 120, "contact": 120, "area": 100}  # name + title + contact fit a text field
MAX_CAPACITY = 100


@dataclass(frozen=True)
class DirectoryMentor:
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
    """The mentors of ``root/mentors.yml`` (none when there is no such file), with its problems."""
    path = root / DIRECTORY_NAME
    if not path.exists() and not path.is_symlink():
        return (), [], None
    try:
        data = read_yaml(path, within=root)
    except YamlFileError as exc:
        return (), [exc.problem], path
    problems: list[Problem] = []

    def error(container: Any, key: Any, field: str, message: str, hint: str = "", value: bool = True) -> None:
        line, col = (value_position if value else key_position)(container, key)
        problems.append(Problem(path, line, message, column=col, field=field, hint=hint))

    if not isinstance(data, dict) or not isinstance(data.get("mentors"), list):
        problems.append(Problem(path, 1, "mentors.yml holds a list under 'mentors:'",
                                hint="mentors:\n  - {name: Dr. Ada Quinn, areas: [grant writing], capacity: 2}"))
        return (), problems, path
    for key in data:
        if key != "mentors":
            error(data, key, str(key), f"unknown key '{shorten(key)}'", hint="mentors.yml has only 'mentors:'",
                  value=False)
    items = data["mentors"]
    if len(items) > MAX_MENTORS:
        error(data, "mentors", "mentors", f"{len(items):,} mentors are more than the {MAX_MENTORS} a directory may "
                                          "hold", hint="split the program, or keep only mentors taking trainees")
        return (), problems, path
    mentors: list[DirectoryMentor] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        where = f"mentors[{i}]"
        if not isinstance(item, dict):
            error(items, i, where, "a mentor is a mapping of " + ", ".join(KEYS))
            continue
        for key in item:
            if key not in KEYS:
                error(item, key, f"{where}.{shorten(key, 40)}", f"unknown key '{shorten(key)}'",
                      hint=did_you_mean(str(key), list(KEYS)), value=False)
        texts = {}
        for key in ("name", "title", "contact"):
            value = item.get(key)
            if isinstance(value, (dict, list)):
                error(item, key, f"{where}.{key}", f"'{key}' must be a text")
                value = ""
            text = " ".join(str(value if value is not None else "").split())
            bad = char_problem("text", text)
            if len(text) > MAX_CHARS[key]:
                error(item, key, f"{where}.{key}", f"'{shorten(text, 40)}' has {len(text)} characters; at most "
                                                   f"{MAX_CHARS[key]} are allowed here", hint="shorten it")
                text = ""
            elif bad:
                error(item, key, f"{where}.{key}", bad[0], hint=bad[1])
                text = ""
            texts[key] = text
        if not texts["name"] and "name" not in item:
            error(items, i, f"{where}.name", "a mentor needs a 'name'", value=False)
        elif not texts["name"]:
            error(item, "name", f"{where}.name", "'name' is empty")
        key = texts["name"].casefold()
        if key and key in seen:
            error(item, "name", f"{where}.name", f"'{shorten(texts['name'])}' is in the directory twice",
                  hint=f"also at mentors[{seen[key]}]; keep one entry per mentor")
        seen.setdefault(key, i)
        areas = _areas(item, where, error)
        stage = str(item.get("career_stage") or "").strip()
        if stage and stage not in CAREER_STAGES:
            error(item, "career_stage", f"{where}.career_stage", f"unknown career stage '{shorten(stage)}'",
                  hint=did_you_mean(stage, list(CAREER_STAGES)))
            stage = ""
        capacity = item.get("capacity", 1)
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= MAX_CAPACITY:
            error(item, "capacity", f"{where}.capacity",
                  f"'capacity' must be a whole number from 0 to {MAX_CAPACITY}",
                  hint="how many trainees they take at once; 0: none now")
            capacity = 0
        if texts["name"] and areas:
            mentors.append(DirectoryMentor(texts["name"], areas, texts["title"], stage, capacity, texts["contact"]))
    if problems:
        return (), problems, path
    return tuple(mentors), [], path


def _areas(item: dict, where: str, error) -> tuple[str, ...]:
    value = item.get("areas")
    if value is None:
        error(item, "name" if "name" in item else "areas", f"{where}.areas",
              "a mentor needs 'areas': what they can mentor in", hint="e.g. areas: [grant writing, leadership]",
              value=False)
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        error(item, "areas", f"{where}.areas", "'areas' is a list of texts", hint="e.g. [grant writing, leadership]")
        return ()
    if len(value) > MAX_AREAS:
        error(item, "areas", f"{where}.areas", f"{len(value)} areas are more than the {MAX_AREAS} a mentor may list")
        return ()
    areas = []
    for j, area in enumerate(value):
        text = " ".join(str(area if area is not None else "").split())
        if isinstance(area, (dict, list)) or not text:
            error(value, j, f"{where}.areas[{j}]", "an area is a short text, e.g. grant writing")
        elif len(text) > MAX_CHARS["area"]:
            error(value, j, f"{where}.areas[{j}]", f"'{shorten(text, 40)}' has {len(text)} characters; at most "
                                                   f"{MAX_CHARS['area']} are allowed here", hint="shorten it")
        else:
            areas.append(text)
    return tuple(areas)
