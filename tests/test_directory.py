"""A program's mentor directory (mentors.yml): its mistakes located, and the mentors it
suggests on each trainee's mentor map, assigned over the cohort within every capacity."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import yaml
from bs4 import BeautifulSoup

from mentorbook.cli import main
from mentorbook.insights.suggest import SUGGESTIONS, Need, match, suggest, words
from mentorbook.program.directory import DirectoryMentor

TODAY = dt.date(2026, 11, 25)
STAGES = ("near-peer", "early-career", "mid-career", "senior")
AREAS = ["grant writing", "research methods", "networking", "presentation skills", "work-life balance",
         "leadership", "teaching", "quality improvement", "clinical trials", "career planning",
         "négociation", "public speaking"]


def directory(capacities: list[int]) -> list[DirectoryMentor]:
    """12 mentors: mentor i covers AREAS[i] and AREAS[(i + 5) % 12]."""
    return [DirectoryMentor(f"Dr. Mentor {chr(65 + i)}", (AREAS[i], AREAS[(i + 5) % 12]), "Professor",
                            STAGES[i % 4], capacities[i], f"m{i}@example.org") for i in range(12)]


def trainees(n: int, seed: int = 7) -> list[Need]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        high = rng.sample(AREAS, 2) if i % 6 else ["Underwater basket weaving"]  # every 6th: nobody covers it
        high = [h.upper() if i % 2 else h.title() for h in high]  # case does not matter
        out.append(Need(tuple(high), (f"Give a talk on {rng.choice(AREAS)}",), ("a goal",)))
    return out


def coverable(need: Need, mentors: list[DirectoryMentor]) -> bool:
    return any(match(m, need).covers for m in mentors)


def check_assignment(mentors, needs, found) -> dict[str, int]:
    load = {m.name: 0 for m in mentors}
    for _need, picks in zip(needs, found, strict=True):
        assert len(picks) <= SUGGESTIONS
        assert len({p.mentor.name for p in picks}) == len(picks)
        for p in picks:
            load[p.mentor.name] += 1
            assert p.points > 0
    for m in mentors:
        assert load[m.name] <= m.capacity, m.name
    return load


def test_thirty_trainees_twelve_mentors_within_capacity():
    mentors, needs = directory([4, 3, 5, 2, 6, 3, 4, 2, 5, 3, 4, 6]), trainees(30)
    found = suggest(mentors, needs)
    check_assignment(mentors, needs, found)
    for i, (need, picks) in enumerate(zip(needs, found, strict=True)):
        if coverable(need, mentors):  # capacities are enough: each gets a mentor covering a high area
            assert any(p.covers for p in picks), i
        else:
            assert not any(p.covers for p in picks)
    assert sum(1 for n in needs if coverable(n, mentors)) == 25
    assert found == suggest(mentors, needs)  # the same cohort, the same suggestions
    many = [p for picks in found if len(picks) >= 2 for p in picks]
    assert len({p.mentor.career_stage for p in many}) > 1


def test_short_capacity_is_still_respected():
    mentors = directory([1] * 12)
    needs = [Need(("Grant writing",))] * 30  # all need Mentor A or Mentor H (grant writing), one place each
    found = suggest(mentors, needs)
    load = check_assignment(mentors, needs, found)
    assert load["Dr. Mentor A"] == load["Dr. Mentor H"] == 1
    assert sum(1 for picks in found if picks) == 2
    # the places a mentor already fills with assigned trainees count too
    found = suggest(mentors, needs, {"dr. mentor a": 1})
    assert [p.mentor.name for picks in found for p in picks] == ["Dr. Mentor H"]


def test_a_second_trainee_gets_the_mentor_the_first_can_do_without():
    mentors = [DirectoryMentor("Dr. Both", ("grant writing", "networking"), capacity=1),
               DirectoryMentor("Dr. Net", ("networking",), capacity=1)]
    # greedy, the first trainee would take Dr. Both (two areas), leaving the second with nobody for grants
    found = suggest(mentors, [Need(("Grant writing", "Networking")), Need(("Writing grants",))])
    assert [[p.mentor.name for p in f] for f in found] == [["Dr. Net"], ["Dr. Both"]]


def test_matching_ignores_case_accents_and_plurals():
    assert words("Négociation skills") == words("NEGOCIATION SKILL")
    mentor = DirectoryMentor("Dr. X", ("grant writing",))
    assert match(mentor, Need(("Writing grants or papers",))).covers == ("Writing grants or papers",)
    assert match(DirectoryMentor("Dr. Y", ("research ethics",)), Need(("Research methods",))).points == 0


PROGRAM = "program: Directory Program\npractices: [self-reflect, identify-mentors]\n"
MENTORS = """\
mentors:
  - {name: Dr. Grant Writer, title: Professor, areas: [grant writing], career_stage: senior, capacity: 1,
     contact: gw@example.org}
  - {name: Dr. Net Worker, areas: [networking], career_stage: near-peer, capacity: 2}
  - {name: Dr. Already Mine, areas: [grant writing, networking], career_stage: mid-career, capacity: 5}
  - {name: Dr. Off Duty, areas: [networking], capacity: 0}
"""


def book(name: str, areas: list[str], mentors: list[dict] = ()) -> dict:
    data = {"trainee": {"name": name},
            "self_reflection": {"skill_areas": [{"area": a, "priority": "high"} for a in areas]}}
    if mentors:
        data["mentors"] = list(mentors)
    return data


def project(tmp_path, mentors: str = MENTORS):
    root = tmp_path / "program"
    root.mkdir()
    (root / "mentorbook.yml").write_text(PROGRAM, encoding="utf-8")
    (root / "mentors.yml").write_text(mentors, encoding="utf-8")
    return root


def mentor_map(site) -> dict[str, str]:
    page = BeautifulSoup((site / "identify-mentors.html").read_text(encoding="utf-8"), "html.parser")
    section = page.find(id="ws-mentors")
    return {h.get_text(" ", strip=True): h.find_parent("article").get_text(" ", strip=True)
            for h in section.find_all("h3")}


def test_a_build_suggests_mentors_on_the_map_without_touching_the_trainees_own(tmp_path):
    root = project(tmp_path)
    mine = {"name": "Dr. Already Mine", "found_via": "worked-with", "position": "My own words"}
    path = tmp_path / "ana.yml"
    path.write_text(yaml.safe_dump(book("Ana", ["Grant writing", "Networking"], [mine])), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(path), "--project", str(root), "-o", str(out), "--format", "html", "--today",
                 TODAY.isoformat(), "-q"]) == 0
    entries = mentor_map(out / "site")
    assert list(entries) == ["Dr. Already Mine", "Dr. Grant Writer", "Dr. Net Worker"]
    assert "My own words" in entries["Dr. Already Mine"] and "Worked with" not in entries["Dr. Already Mine"]
    assert "Met or worked with before" in entries["Dr. Already Mine"]
    for name in ("Dr. Grant Writer", "Dr. Net Worker"):
        assert "Suggested by the program" in entries[name]
    assert "Professor · gw@example.org" in entries["Dr. Grant Writer"]
    assert "Grant writing" in entries["Dr. Grant Writer"]  # the need it serves
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["mentors"] == [mine]  # the workbook is not changed


def test_directory_mistakes_are_located(tmp_path, capsys):
    root = project(tmp_path, "mentors:\n"
                             "  - {name: Dr. A, areas: [x], career_stage: senoir, capacity: lots}\n"
                             "  - {name: Dr. B, area: [x]}\n"
                             "  - {name: Dr. A, areas: [y]}\n")
    assert main(["check", "--project", str(root)]) == 2
    out = capsys.readouterr().err
    assert "mentors.yml:2:45: error: mentors[0].career_stage: unknown career stage 'senoir'" in out
    assert "did you mean 'senior'?" in out
    assert "mentors.yml:2:63: error: mentors[0].capacity: 'capacity' must be a whole number" in out
    assert "mentors.yml:3:19: error: mentors[1].area: unknown key 'area'" in out
    assert "mentors.yml:3:6: error: mentors[1].areas: a mentor needs 'areas'" in out
    assert "mentors.yml:4:12: error: mentors[2].name: 'Dr. A' is in the directory twice" in out


def test_the_report_and_the_cohort_share_one_assignment_within_capacity(tmp_path):
    root = project(tmp_path)
    books = tmp_path / "books"
    books.mkdir()
    rows = ["name,workbook,mentors"]
    for name in ("Bo", "Cy", "Di"):
        (books / f"{name}.yml").write_text(yaml.safe_dump(book(name, ["Grant writing"])), encoding="utf-8")
        rows.append(f"{name},books/{name}.yml,")
    roster = tmp_path / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = tmp_path / "report"
    assert main(["report", str(books), "--project", str(root), "-o", str(report), "--today", TODAY.isoformat(),
                 "--format", "csv", "--format", "html", "-q"]) == 0  # no PDF: nothing here looks at it
    got = {r["trainee"]: r["suggested_mentors"]
           for r in csv.DictReader(io.StringIO((report / "report.csv").read_text(encoding="utf-8")))}
    # Dr. Grant Writer (capacity 1) goes to one trainee; Dr. Already Mine (5) to all three
    assert sorted(got.values()) == ["Dr. Already Mine", "Dr. Already Mine", "Dr. Already Mine; Dr. Grant Writer"]
    lucky = next(n for n, v in got.items() if "Grant" in v)
    html = BeautifulSoup((report / "report.html").read_text(encoding="utf-8"), "html.parser")
    load = {tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in html.select("table.load tbody tr")}
    assert load["Dr. Grant Writer"] == ["0", f"1: {lucky}", "1", "1"]
    assert load["Dr. Already Mine"] == ["0", "3: Bo, Cy, Di", "3", "5"]
    assert "Dr. Net Worker" not in load
    out = tmp_path / "cohort"
    assert main(["cohort", str(roster), "--project", str(root), "-o", str(out), "-j", "1", "--format", "html",
                 "--today", TODAY.isoformat(), "-q"]) == 0  # the mentor maps of the sites are the point
    for name, mentor in got.items():
        entries = mentor_map(out / "trainees" / name.lower() / "site")
        assert list(entries) == mentor.split("; "), name


def test_the_report_flags_a_mentor_over_capacity_and_suggests_them_to_nobody_more(tmp_path):
    root = project(tmp_path)
    books = tmp_path / "books"
    books.mkdir()
    for name in ("Ed", "Flo", "Gus"):
        (books / f"{name}.yml").write_text(yaml.safe_dump(book(name, ["Grant writing"])), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,workbook,mentors\nEd,books/Ed.yml,Dr. Grant Writer\nFlo,books/Flo.yml,Dr. Grant Writer\n"
                      "Gus,books/Gus.yml,\n", encoding="utf-8")
    report = tmp_path / "report"
    assert main(["report", "--roster", str(roster), "--project", str(root), "-o", str(report), "--today",
                 TODAY.isoformat(), "--format", "csv", "--format", "html", "-q"]) == 0
    rows = {r["trainee"]: r for r in csv.DictReader(io.StringIO((report / "report.csv").read_text(encoding="utf-8")))}
    assert {n: r["suggested_mentors"] for n, r in rows.items()} == {
        "Ed": "Dr. Already Mine", "Flo": "Dr. Already Mine", "Gus": "Dr. Already Mine"}
    html = BeautifulSoup((report / "report.html").read_text(encoding="utf-8"), "html.parser")
    load = {tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in html.select("table.load tbody tr")}
    assert load["Dr. Grant Writer"] == ["2: Ed, Flo", "0", "2 over capacity", "1"]
    assert "Dr. Grant Writer (2, capacity 1)" in html.find("p", class_="over").get_text(" ", strip=True)


def test_the_flow_finds_the_cheapest_assignment_a_search_of_every_one_finds():
    """The minimum-cost flow under the suggestions against trying every assignment of
    small random cohorts (each trainee one mentor or none, within capacities)."""
    import itertools
    import random

    from mentorbook.insights.suggest import _Flow

    rnd = random.Random(7)
    for _ in range(60):
        trainees, mentors = rnd.randint(1, 5), rnd.randint(1, 3)
        capacity = [rnd.randint(1, 2) for _ in range(mentors)]
        costs = {(i, j): -rnd.randint(1, 30) for i in range(trainees) for j in range(mentors) if rnd.random() < 0.7}
        flow = _Flow(2 + trainees + mentors)
        arcs = {}
        for i in range(trainees):
            flow.add(0, 2 + i, 1, 0)
        for (i, j), cost in costs.items():
            arcs[i, j] = flow.add(2 + i, 2 + trainees + j, 1, cost)
        for j in range(mentors):
            flow.add(2 + trainees + j, 1, capacity[j], 0)
        flow.run(0, 1)
        got = sum(costs[key] for key, arc in arcs.items() if flow.used(arc))
        used = [0] * mentors
        for key, arc in arcs.items():
            used[key[1]] += flow.used(arc)
        assert all(u <= c for u, c in zip(used, capacity, strict=True))
        best = 0
        for choice in itertools.product(*[[None, *[j for j in range(mentors) if (i, j) in costs]]
                                          for i in range(trainees)]):
            if all(sum(1 for c in choice if c == j) <= capacity[j] for j in range(mentors)):
                best = min(best, sum(costs[i, j] for i, j in enumerate(choice) if j is not None))
        assert got == best
