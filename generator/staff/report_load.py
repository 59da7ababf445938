"""The cohort report's mentor load: per mentor, the trainees who take up one of their places.

A trainee takes up a place of a mentor assigned to them (by their workbook or the
roster), in an agreement with them that is not concluded, or suggested to them by
the program. A roster row without a readable workbook brings the roster's mentors.

A mentor named only in private answers is never named: every place held under a
private name is counted in one row, shown as "(private)". That row is over the
maximum when one of those mentors is, counting all their trainees (public and
private) against ``max_load`` and their directory capacity; a named mentor's row
counts only the places known by name, so it never tells that a private one exists.
"""

from __future__ import annotations

import hashlib

from msgspec import Struct

from ..base.i18n import ENGLISH, N_, Language
from ..insights.suggest import name_key

PRIVATE = N_("(private)")  # shown where a private answer would be, and as the row of private names


def hidden_key(name: str) -> str:
    """A one-way token of a private mentor name: equal for names ``name_key`` finds equal,
    so their load is counted, with nothing of the name to show."""
    return hashlib.blake2b(name_key(name).encode("utf-8"), digest_size=12, person=b"mentorbook").hexdigest()


class MentorLoad(Struct, frozen=True):
    name: str
    trainees: tuple[str, ...]  # assigned or under an agreement
    over: bool  # more trainees (with suggestions) than the maximum, or than the directory's capacity
    suggested: tuple[str, ...] = ()  # suggested by the program (insights/suggest.py)
    capacity: int | None = None  # from the program's mentor directory
    private: bool = False  # the places held under private names, all such mentors together

    @property
    def total(self) -> int:
        return len(self.trainees) + len(self.suggested)

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.total > self.capacity


Table = dict[str, tuple[str, list[str], list[str]]]  # key: (name shown, carrying trainees, suggested to)


def mentor_loads(trainees, max_load: int, capacities: dict[str, int] | None = None,
                 lang: Language = ENGLISH) -> tuple[MentorLoad, ...]:
    """Each mentor's load (most trainees first), from the report's trainee rows
    (``report.TraineeReport``); ``capacities``: per name key, from the directory."""
    capacities = capacities or {}
    named: Table = {}
    hidden: Table = {}  # per hidden_key of a private name

    def count(table: Table, key: str, shown: str, trainee: str, carries: bool) -> None:
        _, names, offered = table.setdefault(key, (shown, [], []))
        if trainee not in names and trainee not in offered:
            (names if carries else offered).append(trainee)

    for t in trainees:
        for m in t.mentors:
            if not (m.carries or m.suggested):
                continue
            if m.name:
                count(named, name_key(m.name), m.name, t.name, m.carries)
            elif m.hidden:
                count(hidden, m.hidden, "", t.name, m.carries)
    for t in trainees:
        for mentor in t.suggested:
            count(named, name_key(mentor), mentor, t.name, False)

    def over(total: int, capacity: int | None) -> bool:
        return total > max_load or (capacity is not None and total > capacity)

    loads = [MentorLoad(shown, tuple(names), over(len(names) + len(offered), capacities.get(key)),
                        tuple(offered), capacities.get(key))
             for key, (shown, names, offered) in named.items()]
    loads = lang.sorted(loads, key=lambda m: m.name)  # by name as the program's readers sort names, ...
    loads.sort(key=lambda m: -m.total)  # ... within each load, the busiest first
    if hidden:
        keys = {hidden_key(k): k for k in (*capacities, *named)}  # the private names known otherwise
        flagged = False
        for token, (_, names, offered) in hidden.items():
            key = keys.get(token, "")
            _, more, more_offered = named.get(key, ("", [], []))
            flagged |= over(len(names) + len(offered) + len(more) + len(more_offered), capacities.get(key))
        loads.append(MentorLoad(lang.gettext(PRIVATE), tuple(sorted(n for _, names, _ in hidden.values()
                                                                    for n in names)),
                                flagged, tuple(sorted(n for _, _, offered in hidden.values() for n in offered)),
                                private=True))
    return tuple(loads)
