"""Model step: turn loaded sources and validated data into a Workbook."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..base.i18n import ENGLISH, Language
from ..program.guiderefs import resolve
from ..program.project import BUILTIN, Project
from ..program.roles import PRACTICE_IDS
from .features import build_agreements, build_goals, build_meetings, build_mentors, build_reviews, build_skill_areas
from .load import GuidePage, Sources
from .model import Page, Practice, Trainee, Workbook, Worksheet, infer_practice


def _trainee(data: dict[str, Any]) -> Trainee:
    t = data.get("trainee") or {}
    return Trainee(
        name=t.get("name", ""),
        role=t.get("role", ""),
        program=t.get("program", ""),
        institution=t.get("institution", ""),
        email=t.get("email", ""),
        start_date=t.get("start_date"),
        updated=t.get("updated"),
        current_practice=t.get("current_practice", ""),
        share=t.get("share", ""),
        language=t.get("language", ""),
    )


def _page(page: GuidePage, titles: dict[str, str]) -> Page:
    meta = page.meta
    return Page(id=page.id, title=str(meta["title"]), order=int(meta.get("order") or 0),
                summary=str(meta.get("summary", "")), body=resolve(page.body, titles))


def _extra_pages(sources: Sources, project: Project, titles: dict[str, str]) -> tuple[Page, ...]:
    """Pages that are neither the introduction nor a practice, in the configured order."""
    extra = {p.id: p for p in sources.guide if p.id != "introduction" and p.id not in PRACTICE_IDS}
    order = project.pages or tuple(extra)
    return tuple(_page(extra[page_id], titles) for page_id in order if page_id in extra)


def worksheet_of(definition, data: dict[str, Any]) -> Worksheet:
    """A worksheet with the entries ``data`` (validated) holds for it."""
    value = data.get(definition.id)
    entries = tuple(value or ()) if definition.repeat else ((value,) if value else ())
    return Worksheet(definition, entries)


def _practices(sources: Sources, data: dict[str, Any], project: Project, guide: dict[str, Any],
               titles: dict[str, str]) -> tuple[Practice, ...]:
    """The practices the project shows, in order, each with its guidance and worksheets."""
    practices = []
    for number, practice_id in enumerate(project.practices or PRACTICE_IDS, start=1):
        meta = guide[practice_id].meta
        practices.append(Practice(
            id=practice_id,
            title=str(meta["title"]),
            short_title=str(meta.get("short_title", meta["title"])),
            order=number,  # its place among the practices the project shows
            summary=str(meta.get("summary", "")),
            key_point=str(meta["key_point"]),
            body=resolve(guide[practice_id].body, titles),
            worksheets=tuple(worksheet_of(d, data) for d in sources.definitions if d.practice == practice_id),
        ))
    return tuple(practices)


def make_workbook(sources: Sources, data: dict[str, Any], *, today: dt.date, project: Project = BUILTIN,
                  blank: bool = False, prefilled: bool = False, language: Language = ENGLISH) -> Workbook:
    """Assemble the typed workbook. ``data`` is validated (empty for a blank workbook).

    For a ``blank`` workbook only who it is for is kept, unless it is ``prefilled``
    (a roster's known answers, printed in the blank forms). ``sources`` are already in
    ``language`` (core.localize), the language of every text the outputs add.
    """
    if blank and not prefilled:  # keep who it is for, drop every answer
        data = {"trainee": data["trainee"]} if data.get("trainee") else {}
    guide = {p.id: p for p in sources.guide}
    titles = {d.id: str(d.title) for d in sources.definitions}  # for {worksheet:ID} in the guidance
    contract = sources.contract
    if contract is None:
        from ..program.contract import bind

        contract, _ = bind(sources.definitions)
    goals = build_goals(data, contract)
    mentors = build_mentors(data, contract)
    meetings = build_meetings(data, contract)
    trainee_data = data.get("trainee") or {}
    current = trainee_data.get("current_practice") or infer_practice(goals, mentors, meetings)
    workbook = Workbook(
        trainee=_trainee(data),
        introduction=_page(guide["introduction"], titles),
        practices=_practices(sources, data, project, guide, titles),
        current_practice=current,
        date=trainee_data.get("updated") or today,
        today=today,
        goals=goals,
        skill_areas=build_skill_areas(data, contract),
        mentors=mentors,
        meetings=meetings,
        agreements=build_agreements(data, contract),
        reviews=build_reviews(data, contract),
        pages=_extra_pages(sources, project, titles),
        branding=project.branding,
        contract=contract,
        language=language,
    )
    if project.milestones and not blank:  # judged as the report and the calendar judge them
        from msgspec.structs import replace

        from ..program.milestones import judge

        workbook = replace(workbook, milestones=judge(project.milestones, workbook, workbook.trainee.start_date))
    return workbook
