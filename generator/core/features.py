"""The typed goals, mentors, agreements, meetings and reviews, read through roles.

Each ``build_*`` reads validated workbook data where the definitions' roles say
(program/contract.py): the goals are the entries of every list with ``role: goals``, a
goal's target date is its field with ``role: target_date``, and so on. A role that no
definition declares leaves its attribute at the default, so the feature reading it has
nothing to say instead of failing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import fields as field_types
from ..program.contract import Bound, Contract
from ..program.roles import (
    AGREEMENT_LIST,
    CONCLUDE,
    GOALS_LIST,
    ITEM_OPEN,
    ME,
    MEETING_LOG,
    MENTOR_MAP,
    NOT_STARTED,
    REVIEW_LIST,
    SHORT_TERM,
    SKILL_AREAS_LIST,
)
from .model import ActionItem, Agreement, Goal, Meeting, Mentor, Review, SkillArea


def entries(data: Any, bound: Bound, base: Any = None, base_path: str = "") -> list[tuple[dict, str]]:
    """The entries of a list role with their paths ("meetings[2]"); from ``base`` (an
    entry of the enclosing list) when the role sits inside one."""
    steps = bound.path[len(bound.parent.path):] if bound.parent else bound.path
    found: list[tuple[Any, str]] = [(data if base is None else base, base_path)]
    for key, is_list in steps:
        deeper: list[tuple[Any, str]] = []
        for value, path in found:
            inner = value.get(key) if isinstance(value, dict) else None
            where = f"{path}.{key}" if path else key
            if is_list:
                deeper += [(e, f"{where}[{i}]") for i, e in enumerate(inner or []) if isinstance(e, dict)]
            elif isinstance(inner, dict):
                deeper.append((inner, where))
        found = deeper
    return found


class _Reader:
    """The fields of one list role's entries, by role."""

    def __init__(self, contract: Contract, bound: Bound):
        self.contract, self.bound = contract, bound

    def raw(self, entry: dict, role: str) -> Any:
        child = self.contract.child(self.bound, role)
        value: Any = entry
        for key in child.relative if child else ("\0",):
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def text(self, entry: dict, role: str, default: str = "") -> str:
        return str(self.raw(entry, role) or default)

    def texts(self, entry: dict, role: str) -> tuple[str, ...]:
        value = self.raw(entry, role)
        return tuple(value) if isinstance(value, list) else ()

    def date(self, entry: dict, role: str) -> dt.date | None:
        value = self.raw(entry, role)
        return value if isinstance(value, dt.date) else None

    def number(self, entry: dict, role: str) -> Any:
        value = self.raw(entry, role)
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _each(data: dict, contract: Contract, role: str):
    for bound in contract.top(role):
        reader = _Reader(contract, bound)
        for entry, path in entries(data, bound):
            yield reader, entry, path


def build_goals(data: dict[str, Any], contract: Contract) -> tuple[Goal, ...]:
    return tuple(
        Goal(title=r.text(g, "goal_title"), term=r.text(g, "goal_term", SHORT_TERM),
             skill_area=r.text(g, "goal_skill_area"), specific=r.text(g, "specific"),
             measurable=r.text(g, "measurable"), achievable=r.text(g, "achievable"),
             relevant=r.text(g, "relevant"), time_bound=r.text(g, "time_bound"),
             target_date=r.date(g, "target_date"), status=r.text(g, "goal_status", NOT_STARTED), path=path)
        for r, g, path in _each(data, contract, GOALS_LIST))


def build_skill_areas(data: dict[str, Any], contract: Contract) -> tuple[SkillArea, ...]:
    return tuple(SkillArea(area=r.text(a, "skill_area"), priority=r.text(a, "priority"), path=path)
                 for r, a, path in _each(data, contract, SKILL_AREAS_LIST))


def build_meetings(data: dict[str, Any], contract: Contract) -> tuple[Meeting, ...]:
    meetings = []
    for r, m, path in _each(data, contract, MEETING_LOG):
        date = r.date(m, "meeting_date")
        if date is None:  # a meeting that is not placed in time is read by no feature
            continue
        items_bound = contract.child(r.bound, "action_items")
        items: tuple[ActionItem, ...] = ()
        if items_bound:
            ir = _Reader(contract, items_bound)
            items = tuple(
                ActionItem(task=ir.text(a, "task"), mentor=r.text(m, "mentor"), meeting_date=date,
                           owner=ir.text(a, "owner", ME), due=ir.date(a, "due"),
                           status=ir.text(a, "item_status", ITEM_OPEN), path=item_path)
                for a, item_path in entries(data, items_bound, m, path))
        meetings.append(Meeting(date=date, mentor=r.text(m, "mentor"), agenda=r.texts(m, "meeting_agenda"),
                                action_items=items, next_meeting=r.date(m, "next_meeting"), path=path))
    return tuple(sorted(meetings, key=lambda m: m.date))


def build_mentors(data: dict[str, Any], contract: Contract) -> tuple[Mentor, ...]:
    agreed = {r.text(a, "mentor") for r, a, _ in _each(data, contract, AGREEMENT_LIST)}
    concluded = {r.text(t, "mentor") for r, t, _ in _each(data, contract, REVIEW_LIST)
                 if r.text(t, "outcome") == CONCLUDE}
    mentors = []
    for r, m, path in _each(data, contract, MENTOR_MAP):
        name = r.text(m, "mentor_name")
        mentors.append(Mentor(
            name=name, position=r.text(m, "position"), found_via=r.text(m, "found_via"),
            career_stage=r.text(m, "career_stage"), serves=r.texts(m, "serves"),
            competence=r.number(m, "competence"), confidence=r.number(m, "confidence"),
            commitment=r.number(m, "commitment"), first_meeting=r.date(m, "first_meeting"),
            decision=r.text(m, "decision"), has_agreement=name in agreed, concluded=name in concluded, path=path))
    return tuple(mentors)


def _signature_paths(bound: Bound) -> list[tuple[str, ...]]:
    """Where the signature blocks of an agreement's entry are: every ``signature`` field of the entry,
    in groups too (each one party)."""
    found: list[tuple[str, ...]] = []

    def walk(fields, at: tuple[str, ...]) -> None:
        for fdef in fields:
            ftype = field_types.get(fdef.type)
            if ftype.signs:
                found.append((*at, fdef.id))
            elif ftype.nested and not ftype.entries:  # a group of fields
                walk(fdef.fields, (*at, fdef.id))

    walk(bound.fdef.fields or (bound.sheet.fields if bound.parent is None else ()), ())
    return found


def _signed(entry: dict, paths: list[tuple[str, ...]]) -> tuple[bool, ...]:
    """For each party of the entry's signature blocks, whether they signed: a block with its date."""
    def block(keys: tuple[str, ...]) -> Any:
        value: Any = entry
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    return tuple(isinstance(b := block(keys), dict) and isinstance(b.get("date"), dt.date) for keys in paths)


def build_agreements(data: dict[str, Any], contract: Contract) -> tuple[Agreement, ...]:
    return tuple(
        Agreement(mentor=r.text(a, "mentor"), purpose=r.text(a, "purpose"), shared_goals=r.texts(a, "shared_goals"),
                  feedback_plan=r.text(a, "feedback_plan"), meeting_time=r.text(a, "meeting_time"),
                  frequency=r.text(a, "meeting_frequency"), place=r.text(a, "place"),
                  agenda_topics=r.text(a, "agenda_topics"), agenda_horizon=r.text(a, "agenda_horizon"),
                  agenda_focus=r.text(a, "agenda_focus"), topic_list=r.texts(a, "topic_list"),
                  communication=r.text(a, "between_meetings"), start_date=r.date(a, "start_date"),
                  review_date=r.date(a, "review_date"), path=path,
                  period=contract.period(r.text(a, "meeting_frequency")),
                  signatures=_signed(a, _signature_paths(r.bound)))
        for r, a, path in _each(data, contract, AGREEMENT_LIST))


def build_reviews(data: dict[str, Any], contract: Contract) -> tuple[Review, ...]:
    return tuple(
        Review(mentor=r.text(t, "mentor"), outcome=r.text(t, "outcome"), date=r.date(t, "meeting_date"),
                   reflection=r.text(t, "reflection"), reevaluated_needs=r.texts(t, "reevaluated_needs"), path=path)
        for r, t, path in _each(data, contract, REVIEW_LIST))
