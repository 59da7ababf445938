"""Mentors a program suggests to its trainees, from its directory (program/directory.py).

Matching. A text is reduced to its words: accents dropped, case folded, anything but
letters and digits a break, short joining words (and, of, the, ...) left out, and a
plural "s" dropped ("Grants" is "grant"). A mentor's area **covers** a trainee's
high-priority skill area when the words of one are all among the words of the other
("grant writing" covers "Writing grants or papers"; "research ethics" does not cover
"research methods"). An area **matches** a goal when all its words are among the words
of the goal's title, skill area and "specific" part. A mentor scores HIGH points per
high-priority area covered and GOAL points per goal matched; one who scores nothing is
never suggested, nor one already on the trainee's mentor map.

Assignment, over the whole cohort at once, never beyond a mentor's capacity (minus
the trainees already assigned to them or in an agreement with them):

1. as many trainees as capacity allows get one mentor covering one of their
   high-priority areas (a maximum matching, the best-covering first);
2. the remaining places, up to SUGGESTIONS per trainee, go by a minimum-cost flow:
   the highest scores first, a second mentor at the same career stage costing SPREAD
   points (so suggestions spread across stages).

Ties are broken by the mentors' names, so the same cohort always gets the same
suggestions. A single ``build`` is a cohort of one: a mentor's capacity (1 or more)
cannot bind there; in ``cohort`` and ``report`` it does.
"""

from __future__ import annotations

import copy
import functools
import heapq
import re
import unicodedata
from collections.abc import Iterable

from msgspec import Struct

from ..program.directory import DirectoryMentor
from ..program.roles import CAREER_STAGES, HIGH_PRIORITY, MENTOR_MAP, PROGRAM

SUGGESTIONS = 3  # mentors suggested to one trainee, at most
HIGH, GOAL, SPREAD = 10, 3, 8  # points: a high-priority area covered, a goal matched, a same-stage repeat
STOP_WORDS = frozenset(["a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "my",
                        "of", "on", "or", "our", "the", "their", "to", "with", "your"])


@functools.lru_cache(maxsize=16384)  # a cohort compares the same areas and goals many times
def words(text: str) -> frozenset[str]:
    """The words of a text as matching compares them."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    out = set()
    for word in re.findall(r"[^\W_]+", plain):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


def name_key(name: str) -> str:
    """People's names as they are compared (base.names.name_key: normalised, invisible characters dropped)."""
    from ..base.names import name_key as key

    return key(name)


class Need(Struct, frozen=True):
    """What one trainee's suggestions are matched against."""

    high: tuple[str, ...] = ()  # high-priority skill areas
    goals: tuple[str, ...] = ()  # each goal's title, skill area and specific part, as one text
    goal_titles: tuple[str, ...] = ()
    taken: frozenset[str] = frozenset()  # name keys of the mentors on their map


class Match(Struct, frozen=True):
    mentor: DirectoryMentor
    points: int
    covers: tuple[str, ...]  # the trainee's high-priority areas it covers
    goals: tuple[int, ...]  # indexes of the goals it matches


def need_of(workbook) -> Need:
    """A trainee's need from their workbook model (core.model.Workbook, or anything with its
    skill_areas, goals and mentors)."""
    return Need(tuple(a.area for a in workbook.skill_areas if a.priority == HIGH_PRIORITY and a.area.strip()),
                tuple(" ".join((g.title, g.skill_area, g.specific)) for g in workbook.goals),
                tuple(g.title for g in workbook.goals),
                frozenset(name_key(m.name) for m in workbook.mentors))


def match(mentor: DirectoryMentor, need: Need) -> Match:
    areas = [w for w in (words(a) for a in mentor.areas) if w]
    covers = tuple(h for h in need.high if (hw := words(h)) and any(a <= hw or hw <= a for a in areas))
    goals = tuple(i for i, g in enumerate(need.goals) if any(a <= words(g) for a in areas))
    return Match(mentor, HIGH * len(covers) + GOAL * len(goals), covers, goals)


def suggest(directory: Iterable[DirectoryMentor], needs: list[Need], carried: dict[str, int] | None = None
            ) -> list[tuple[Match, ...]]:
    """Each trainee's suggested mentors (best first), the cohort assigned at once.

    ``carried``: per mentor name key, the trainees of the cohort already assigned to
    them (or in an agreement with them); they count towards the capacity.
    """
    mentors = sorted(directory, key=lambda m: (m.name.casefold(), m.name))
    carried = carried or {}
    room = [max(0, m.capacity - carried.get(name_key(m.name), 0)) for m in mentors]
    matches = [[(j, mt) for j, m in enumerate(mentors)
                if room[j] and name_key(m.name) not in need.taken and (mt := match(m, need)).points > 0]
               for need in needs]
    scale = len(mentors) + 1  # a point outweighs any tie-break by name
    chosen: list[list[Match]] = [[] for _ in needs]
    # 1. one covering mentor for as many trainees as capacity allows
    flow = _Flow(2 + len(needs) + len(mentors))
    src, sink = 0, 1
    huge = scale * (HIGH * 100 + GOAL * 100 + SPREAD * SUGGESTIONS) + 1  # one more covered trainee beats any score
    arcs = []
    for i, found in enumerate(matches):
        if any(mt.covers for _, mt in found):
            flow.add(src, 2 + i, 1, 0)
        for j, mt in found:
            if mt.covers:
                arcs.append((i, j, mt, flow.add(2 + i, 2 + len(needs) + j, 1, -huge - mt.points * scale + j)))
    for j, r in enumerate(room):
        flow.add(2 + len(needs) + j, sink, r, 0)
    flow.run(src, sink)
    for i, j, mt, arc in arcs:
        if flow.used(arc):
            chosen[i].append(mt)
            room[j] -= 1
    # 2. the remaining places: best scores, spread across career stages
    flow = _Flow(2 + len(needs) * (1 + len(STAGE_SLOTS)) + len(mentors))
    arcs = []
    for i, found in enumerate(matches):
        left = SUGGESTIONS - len(chosen[i])
        taken = {mt.mentor.name for mt in chosen[i]}
        if not left:
            continue
        trainee = 2 + i
        flow.add(src, trainee, left, 0)
        used = {mt.mentor.career_stage for mt in chosen[i]}
        for s, stage in enumerate(STAGE_SLOTS):
            group = 2 + len(needs) + i * len(STAGE_SLOTS) + s
            if stage not in used:
                flow.add(trainee, group, 1, 0)
            flow.add(trainee, group, SUGGESTIONS, SPREAD * scale)
            for j, mt in found:
                if (mt.mentor.career_stage or "") == stage and mt.mentor.name not in taken:
                    arcs.append((i, j, mt, flow.add(group, 2 + len(needs) * (1 + len(STAGE_SLOTS)) + j, 1,
                                                    -mt.points * scale + j)))
    for j, r in enumerate(room):
        flow.add(2 + len(needs) * (1 + len(STAGE_SLOTS)) + j, sink, r, 0)
    flow.run(src, sink)
    for i, _j, mt, arc in arcs:
        if flow.used(arc):
            chosen[i].append(mt)
    return [tuple(sorted(c, key=lambda mt: (-mt.points, mt.mentor.name.casefold()))) for c in chosen]


STAGE_SLOTS = ("", *CAREER_STAGES)  # "": a mentor without a stage


def entries(found: tuple[Match, ...], need: Need, contract, bound) -> list[dict]:
    """Mentor map entries (of the list ``bound``) for suggested mentors, marked as suggested by the program."""
    out = []
    for mt in found:
        serves = list(mt.covers) + [need.goal_titles[i] for i in mt.goals]
        out.append(contract.new_entry(bound, {
            "mentor_name": mt.mentor.name, "found_via": PROGRAM, "position": mt.mentor.position,
            "career_stage": mt.mentor.career_stage, "serves": list(dict.fromkeys(s for s in serves if s))}))
    return out


class _Flow:
    """A minimum-cost flow: successive shortest paths (Bellman-Ford, then Dijkstra on
    reduced costs), augmenting while a path lowers the cost."""

    def __init__(self, nodes: int):
        self.graph: list[list[int]] = [[] for _ in range(nodes)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self.initial: list[int] = []

    def add(self, u: int, v: int, cap: int, cost: int) -> int:
        arc = len(self.to)
        for a, b, c, w in ((u, v, cap, cost), (v, u, 0, -cost)):
            self.graph[a].append(len(self.to))
            self.to.append(b)
            self.cap.append(c)
            self.cost.append(w)
            self.initial.append(c)
        return arc

    def used(self, arc: int) -> int:
        return self.initial[arc] - self.cap[arc]

    def run(self, src: int, sink: int) -> None:
        n = len(self.graph)
        inf = float("inf")
        potential = [inf] * n  # Bellman-Ford: the arcs' costs may be negative
        potential[src] = 0
        for _ in range(n):
            changed = False
            for u in range(n):
                if potential[u] == inf:
                    continue
                for arc in self.graph[u]:
                    if self.cap[arc] and potential[u] + self.cost[arc] < potential[self.to[arc]]:
                        potential[self.to[arc]] = potential[u] + self.cost[arc]
                        changed = True
            if not changed:
                break
        potential = [p if p != inf else 0 for p in potential]
        while True:
            dist = [inf] * n
            back = [-1] * n
            dist[src] = 0
            heap = [(0, src)]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                if u == sink:
                    break  # nodes not yet settled are at least this far
                for arc in self.graph[u]:
                    v = self.to[arc]
                    if self.cap[arc] <= 0:
                        continue
                    nd = d + self.cost[arc] + potential[u] - potential[v]
                    if nd < dist[v]:
                        dist[v], back[v] = nd, arc
                        heapq.heappush(heap, (nd, v))
            if dist[sink] == inf:
                return
            reach = dist[sink]
            for v in range(n):
                potential[v] += min(dist[v], reach)  # keeps every residual arc's reduced cost >= 0
            if potential[sink] - potential[src] >= 0:
                return  # no path lowers the cost any more
            push, v = inf, sink
            while v != src:
                arc = back[v]
                push = min(push, self.cap[arc])
                v = self.to[arc ^ 1]
            v = sink
            while v != src:
                arc = back[v]
                self.cap[arc] -= push
                self.cap[arc ^ 1] += push
                v = self.to[arc ^ 1]


def workbook_view(data: dict, contract):
    """Validated workbook data as ``need_of`` and ``carried_by`` read a workbook model."""
    from types import SimpleNamespace

    from ..core.features import build_goals, build_mentors, build_skill_areas

    return SimpleNamespace(skill_areas=build_skill_areas(data, contract), goals=build_goals(data, contract),
                           mentors=build_mentors(data, contract))


def need_from_data(data: dict, contract) -> Need:
    """A trainee's need from validated workbook data, read through the definitions' roles."""
    return need_of(workbook_view(data, contract))


def carried_by(workbook, assigned: frozenset[str] = frozenset()) -> set[str]:
    """Name keys of the mentors a trainee takes up a place of: assigned (by ``found_via`` or
    on the roster: ``assigned`` holds name keys), in an agreement or suggested by the
    program, and not concluded."""
    from ..program.roles import ASSIGNED

    return {name_key(m.name) for m in workbook.mentors
            if (m.has_agreement or m.found_via in (ASSIGNED, PROGRAM) or name_key(m.name) in assigned)
            and not m.concluded}


def placed(workbook, roster_mentors: Iterable[str] = ()) -> tuple[Need, frozenset[str]]:
    """What one trainee brings to the cohort's assignment: their need, and the name keys of
    the mentors whose places they take.

    ``workbook``: their workbook model (or ``workbook_view`` of validated data), completed
    with their roster row; None when they have no workbook or it could not be read: then
    the roster's mentors (``roster_mentors``) are theirs, and nothing is suggested to them.
    ``cohort`` and ``report`` both go through here, so they assign alike.
    """
    assigned = frozenset(name_key(m) for m in roster_mentors)
    if workbook is None:
        return Need(taken=assigned), assigned
    return need_of(workbook), frozenset(carried_by(workbook, assigned))


def assign(directory: Iterable[DirectoryMentor], trainees: list[tuple[Need, frozenset[str]]]
           ) -> list[tuple[Match, ...]]:
    """Each trainee's suggestions (``placed`` gives each one's part), the cohort at once."""
    from collections import Counter

    carried: Counter[str] = Counter()
    for _, keys in trainees:
        carried.update(keys)
    return suggest(directory, [need for need, _ in trainees], carried)


def add_suggestions(data: dict, directory: tuple[DirectoryMentor, ...], names: tuple[str, ...] | None,
                    contract) -> dict:
    """Validated workbook data with suggested mentors appended to its mentor map (never
    replacing an entry of the trainee's own). ``names``: None, the best for this trainee."""
    need = need_from_data(data, contract)
    if names is None:
        found = suggest(directory, [need])[0]
    else:
        by_name = {m.name: m for m in directory}
        found = tuple(mt for n in names if n in by_name and name_key(n) not in need.taken
                      and (mt := match(by_name[n], need)).points > 0)
    if not found:
        return data
    data = copy.deepcopy(data)  # the caller's data stays as it was
    mentor_map = contract.entries_of(data, MENTOR_MAP, create=True)
    if mentor_map is None:
        return data
    mentor_map[1].extend(entries(found, need, contract, mentor_map[0]))
    return data
