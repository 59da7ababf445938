"""`mentorbook edit` in Chromium: every field type filled in through the page (each kind
by keyboard at least once), entries added, removed and moved, conditions shown live,
what is typed kept through a reload and a restart, refused saves shown, and axe on
every edit page."""

from __future__ import annotations

import copy
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

from mentorbook.base.paths import CONTENT_DIR, SAMPLE_WORKBOOK
from mentorbook.base.yamlio import read_yaml

from browser import AXE
from conftest import TODAY
from editing import start_editor, stop

INSTRUMENTS = CONTENT_DIR / "examples" / "instruments"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def sample_editor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit-sample")
    shutil.copy(SAMPLE_WORKBOOK, folder / "me.yml")
    server = start_editor(folder / "me.yml", folder / "out")
    yield server
    stop(server)


@pytest.fixture(scope="module")
def instruments_editor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edit-instruments")
    shutil.copy(INSTRUMENTS / "workbook.yml", folder / "fellow.yml")
    server = start_editor(folder / "fellow.yml", folder / "out", project=INSTRUMENTS)
    yield server
    stop(server)


class Page:
    """A tab on one editor, with the few moves a person makes on a form."""

    def __init__(self, browser, server, width: int = 1280, scheme: str = "light"):
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(str(e)))
        self.page.on("request", lambda r: self.problems.append(f"leaves the editor: {r.url}")
                     if not r.url.startswith(server.url) else None)
        self.page.goto(server.address)

    def open(self, sheet: str):
        self.page.goto(f"{self.server.url}mentorbook-edit.html?sheet={sheet}")

    def box(self, name: str, value: str | None = None):
        value_part = f'[value="{value}"]' if value is not None else ""
        return self.page.locator(f'[name="{name}"]{value_part}').last

    def type(self, name: str, text: str):
        """Click into a field, select what is there, and type (Enter starts a new line)."""
        self.box(name).click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def fill(self, name: str, text: str):
        self.box(name).fill(text)

    def choose(self, name: str, value: str):
        self.box(name, value).check()

    def press_button(self, name: str):
        """A button reached by keyboard: focused, then Enter."""
        self.page.get_by_role("button", name=name, exact=True).last.focus()
        self.page.keyboard.press("Enter")

    def save(self):
        with self.page.expect_navigation():
            self.page.click("button.ed-save")
        assert "saved=" in self.page.url, self.page.url

    def close(self):
        self.context.close()


def data(server) -> dict:
    return read_yaml(server.workbook)


def check_passes(server) -> None:
    result = subprocess.run([sys.executable, "-m", "mentorbook", "check", str(server.workbook), "--today",
                             TODAY.isoformat(), *(["--project", str(INSTRUMENTS)] if "fellow" in server.workbook.name
                                                  else [])], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_field_of_the_built_in_worksheets_is_filled_in_through_the_page(browser, sample_editor):
    tab = Page(browser, sample_editor)
    want = copy.deepcopy(data(sample_editor))

    tab.open("trainee")
    tab.type("trainee.role", "PGY-3 resident, Internal Medicine")  # text, by keyboard
    tab.type("trainee.start_date", "2025-07-15")  # date, by keyboard
    tab.box("trainee.current_practice", "").focus()  # choice, by keyboard: from "No answer" one up
    tab.page.keyboard.press("ArrowUp")
    tab.choose("trainee.share", "progress-only")
    tab.save()
    want["trainee"].update(role="PGY-3 resident, Internal Medicine", start_date="2025-07-15",
                           current_practice="refine-or-conclude", share="progress-only")
    assert data(sample_editor)["trainee"] == want["trainee"]

    tab.open("self_reflection")
    sheet = "self_reflection"
    tab.type(f"{sheet}.past_experiences", "A supervisor who met me weekly.\n\nAn advisor I met twice.")  # long text
    tab.type(f"{sheet}.values", "Patients first\nHonest feedback")  # a list, one a line, by keyboard
    tab.box(f"{sheet}.structure", "moderate").focus()
    tab.page.keyboard.press("ArrowRight")  # to "close"
    tab.fill(f"{sheet}.structure_notes", "Weekly, for now")
    # a suggested row counts once it has an answer; a new row is added by keyboard
    tab.page.locator(f'[name="{sheet}.skill_areas[6].priority"]').select_option("low")
    tab.press_button("Add a row to Knowledge and skill areas to develop")
    tab.page.keyboard.type("Teaching")  # the new row's first box has the focus
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("ArrowDown")  # a list box, by keyboard: high
    tab.fill(f"{sheet}.skill_areas[7].notes", "Noon conferences")
    # cards: the fifth goal removed, the second moved up (by keyboard), one added
    entry = tab.page.locator(".ed-entry").filter(has=tab.page.locator(f'[name="{sheet}.goals[4].title"]'))
    entry.locator("[data-remove]").click()
    second = tab.page.locator(".ed-entry").filter(has=tab.page.locator(f'[name="{sheet}.goals[1].title"]'))
    second.locator('[data-move="-1"]').focus()
    tab.page.keyboard.press("Enter")
    tab.press_button("Add an entry to Career goals")
    goal = f"{sheet}.goals[4]"
    tab.page.keyboard.type("Teach a workshop")
    tab.choose(f"{goal}.term", "short")
    tab.fill(f"{goal}.skill_area", "Presentation skills")
    for part, text in (("specific", "A workshop on feedback"), ("measurable", "Held, with ratings"),
                       ("achievable", "Slot offered"), ("relevant", "Teaching track"), ("time_bound", "By March")):
        tab.fill(f"{goal}.{part}", text)
    tab.fill(f"{goal}.target_date", "2027-03-31")
    tab.choose(f"{goal}.status", "not-started")
    tab.save()
    mine = want[sheet]
    mine.update(past_experiences="A supervisor who met me weekly.\n\nAn advisor I met twice.\n",
                values=["Patients first", "Honest feedback"], structure="close", structure_notes="Weekly, for now")
    mine["skill_areas"] += [{"area": "Understanding the department's priorities", "priority": "low"},
                            {"area": "Teaching", "priority": "high", "notes": "Noon conferences"}]
    goals = mine["goals"]
    mine["goals"] = [goals[1], goals[0], goals[2], goals[3],
                     {"title": "Teach a workshop", "term": "short", "skill_area": "Presentation skills",
                      "specific": "A workshop on feedback", "measurable": "Held, with ratings",
                      "achievable": "Slot offered", "relevant": "Teaching track", "time_bound": "By March",
                      "target_date": "2027-03-31", "status": "not-started"}]
    assert data(sample_editor)[sheet] == mine

    tab.open("mentors")
    tab.press_button("Add an entry")
    new = "mentors[5]"
    tab.page.keyboard.type("Dr. Ada Byrne")
    tab.fill(f"{new}.position", "Professor of Medical Education")
    tab.choose(f"{new}.found_via", "program")
    tab.choose(f"{new}.career_stage", "senior")
    tab.type(f"{new}.serves", "Teaching\nEducation research")
    tab.box(f"{new}.competence", "").focus()  # a rating, by keyboard: from "No answer" one up, to 5
    tab.page.keyboard.press("ArrowUp")
    tab.choose(f"{new}.confidence", "4")
    tab.choose(f"{new}.commitment", "3")
    tab.fill(f"{new}.first_meeting", "2026-11-24")
    tab.fill(f"{new}.first_meeting_notes", "Runs the teaching academy.")
    tab.choose(f"{new}.decision", "undecided")
    tab.save()
    want["mentors"].append({"name": "Dr. Ada Byrne", "position": "Professor of Medical Education",
                            "found_via": "program", "career_stage": "senior",
                            "serves": ["Teaching", "Education research"], "competence": 5, "confidence": 4,
                            "commitment": 3, "first_meeting": "2026-11-24",
                            "first_meeting_notes": "Runs the teaching academy.", "decision": "undecided"})
    assert data(sample_editor)["mentors"] == want["mentors"]

    tab.open("agreements")
    tab.press_button("Add an entry")
    new = "agreements[4]"
    tab.page.keyboard.type("Dr. Ada Byrne")
    answers = {"purpose": "Teaching skills", "feedback_plan": "After each session", "meeting_time": "Fridays",
               "place": "Her office", "communication": "Email", "start_date": "2026-12-01",
               "review_date": "2027-06-01"}
    for part, text in answers.items():
        tab.fill(f"{new}.{part}", text)
    for part, text in (("shared_goals", "A workshop"), ("my_expectations", "Prepare"),
                       ("mentor_expectations", "Observe me")):
        tab.fill(f"{new}.{part}", text)
    tab.choose(f"{new}.frequency", "monthly")
    tab.choose(f"{new}.agenda.topics", "fixed")  # a group of fields
    tab.choose(f"{new}.agenda.horizon", "both")
    tab.choose(f"{new}.agenda.focus", "goals")
    tab.fill(f"{new}.agenda.topic_list", "Teaching\nFeedback")
    tab.save()
    want["agreements"].append({"mentor": "Dr. Ada Byrne", "purpose": "Teaching skills", "shared_goals": ["A workshop"],
                               "feedback_plan": "After each session", "my_expectations": ["Prepare"],
                               "mentor_expectations": ["Observe me"], "meeting_time": "Fridays",
                               "frequency": "monthly", "place": "Her office",
                               "agenda": {"topics": "fixed", "horizon": "both", "focus": "goals",
                                          "topic_list": ["Teaching", "Feedback"]},
                               "communication": "Email", "start_date": "2026-12-01", "review_date": "2027-06-01"})
    assert data(sample_editor)["agreements"] == want["agreements"]

    tab.open("meetings")
    tab.press_button("Add an entry")
    new = "meetings[6]"
    tab.page.keyboard.type("2026-12-05")
    tab.fill(f"{new}.mentor", "Dr. Ada Byrne")
    for part in ("agenda", "updates", "ideas", "questions"):
        tab.fill(f"{new}.{part}", f"One {part}\nTwo {part}")
    tab.fill(f"{new}.notes", "A first meeting.")
    row = f"{new}.action_items[0]"  # a new entry's table starts with one empty row
    tab.fill(f"{row}.task", "Send my teaching portfolio")
    tab.page.locator(f'[name="{row}.owner"]').select_option("me")
    tab.fill(f"{row}.due", "2026-12-12")
    tab.page.locator(f'[name="{row}.status"]').select_option("open")
    tab.fill(f"{new}.next_meeting", "2027-01-09")
    tab.save()
    want["meetings"].append({"date": "2026-12-05", "mentor": "Dr. Ada Byrne",
                             **{p: [f"One {p}", f"Two {p}"] for p in ("agenda", "updates", "ideas", "questions")},
                             "notes": "A first meeting.",
                             "action_items": [{"task": "Send my teaching portfolio", "owner": "me", "due": "2026-12-12",
                                               "status": "open"}], "next_meeting": "2027-01-09"})
    assert data(sample_editor)["meetings"] == want["meetings"]

    tab.open("transitions")
    tab.press_button("Add an entry")
    new = "transitions[2]"
    tab.page.keyboard.type("Dr. Priya Natarajan")
    tab.fill(f"{new}.date", "2026-12-20")
    tab.choose(f"{new}.outcome", "refine")
    for part in ("goals_reached", "reflection", "feelings"):
        tab.fill(f"{new}.{part}", f"About {part}.")
    tab.fill(f"{new}.next_steps", "Meet quarterly")
    tab.fill(f"{new}.reevaluated_needs", "Research methods")
    tab.save()
    want["transitions"].append({"mentor": "Dr. Priya Natarajan", "date": "2026-12-20", "outcome": "refine",
                                **{p: f"About {p}." for p in ("goals_reached", "reflection", "feelings")},
                                "next_steps": ["Meet quarterly"], "reevaluated_needs": ["Research methods"]})
    assert data(sample_editor) == want  # every section as typed, nothing else changed
    check_passes(sample_editor)
    assert tab.problems == []
    tab.close()


def test_every_field_of_a_programs_own_worksheets_is_filled_in_through_the_page(browser, instruments_editor):
    tab = Page(browser, instruments_editor)
    want = copy.deepcopy(data(instruments_editor))

    tab.open("agreements")  # the program's mentoring compact, in place of the built-in agreement
    page = tab.page
    assert page.locator(".ed-entry h3.ws-heading").first.inner_text() == "Goals of our relationship"
    assert "What we discuss stays between us" in page.locator(".ws-instructions").first.inner_text()
    tab.press_button("Add an entry")
    new = "agreements[1]"
    page.keyboard.type("Dr. Rafael Okonjo")
    tab.fill(f"{new}.start_date", "2026-12-01")
    tab.fill(f"{new}.relationship_goals", "Survive the first year\nFind a research question")
    tab.fill(f"{new}.success", "I know what I want to study.")
    tab.choose(f"{new}.frequency", "every-2-months")
    tab.type(f"{new}.meeting_length", "60")  # a number with its unit and range, by keyboard
    assert "from 15 to 180 minutes" in page.locator(f'#{tab.box(f"{new}.meeting_length").get_attribute("id")}-about') \
        .inner_text()
    tab.box(f"{new}.formats", "video").focus()  # several choices, by keyboard: Space ticks
    page.keyboard.press("Space")
    tab.box(f"{new}.formats", "phone").check()
    tab.choose(f"{new}.agenda_owner", "shared")
    tab.fill(f"{new}.communication", "Messages")
    tab.box(f"{new}.confidentiality", "true").focus()  # a check box, by keyboard
    page.keyboard.press("Space")
    tab.fill(f"{new}.confidentiality_exceptions", "None")
    tab.fill(f"{new}.ground_rules", "On time")
    tab.box(f"{new}.notice", "").focus()  # yes/no, by keyboard: from "No answer" up to "No", then "Yes"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    tab.fill(f"{new}.feedback_for_mentee", "Straight away")
    tab.fill(f"{new}.feedback_for_mentor", "Each review")
    tab.fill(f"{new}.review_date", "2027-06-01")
    tab.fill(f"{new}.ending", "A last meeting")
    tab.type(f"{new}.mentee_signature.name", "Tomás Ferreira-Lund")  # a signature: name and date, by keyboard
    page.keyboard.press("Tab")
    page.keyboard.type("2026-12-01")
    tab.fill(f"{new}.mentor_signature.name", "Rafael Okonjo")
    tab.fill(f"{new}.mentor_signature.date", "2026-12-02")
    tab.save()
    want["agreements"].append({
        "mentor": "Dr. Rafael Okonjo", "start_date": "2026-12-01",
        "relationship_goals": ["Survive the first year", "Find a research question"],
        "success": "I know what I want to study.", "frequency": "every-2-months", "meeting_length": 60,
        "formats": ["video", "phone"], "agenda_owner": "shared", "communication": "Messages",
        "confidentiality": True, "confidentiality_exceptions": "None", "ground_rules": ["On time"],
        "notice": "yes", "feedback_for_mentee": "Straight away", "feedback_for_mentor": "Each review",
        "review_date": "2027-06-01", "ending": "A last meeting",
        "mentee_signature": {"name": "Tomás Ferreira-Lund", "date": "2026-12-01"},
        "mentor_signature": {"name": "Rafael Okonjo", "date": "2026-12-02"}})
    assert data(instruments_editor)["agreements"] == want["agreements"]

    tab.open("development_plan")
    plan = "development_plan"
    comments = page.locator('[data-field="mentor_comments"]')
    assert comments.is_visible()  # ticked in the file
    tab.box(f"{plan}.reviewed", "true").uncheck()
    assert not comments.is_visible()  # shown only while "reviewed" is ticked, as the page changes
    tab.box(f"{plan}.reviewed", "true").check()
    assert comments.is_visible()
    tab.fill(f"{plan}.mentor_comments", "Keep it small.")
    page.locator(f'[name="{plan}.skills[1].self"]').focus()  # a matrix cell, by keyboard: 3 -> 4
    page.keyboard.press("ArrowDown")
    tab.press_button("Add a row to Skills")
    page.keyboard.type("Mentoring juniors")  # the row's label
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # its first rating: 1
    page.locator(f'[name="{plan}.skills[8].mentor"]').select_option("2")
    tab.box(f"{plan}.career_paths", "leadership").check()
    tab.box(f"{plan}.career_paths", "physician-scientist").uncheck()
    tab.fill(f"{plan}.career_notes", "Teaching at night.")
    first = page.locator(".ed-entry").filter(has=page.locator(f'[name="{plan}.goals[0].goal"]'))
    first.locator('[data-move="1"]').click()  # the first goal moves below the second
    tab.press_button("Add an entry to Goals")
    goal = f"{plan}.goals[3]"
    page.keyboard.type("Write the protocol")
    tab.fill(f"{goal}.skill", "Study design")
    tab.fill(f"{goal}.approach", "With the methods group.")
    tab.fill(f"{goal}.support", "A statistician")
    tab.fill(f"{goal}.target_date", "2027-02-28")
    tab.choose(f"{goal}.status", "in-progress")
    tab.type(f"{plan}.protected_time", "5.5")
    tab.fill(f"{plan}.trainee_signature.date", "2026-12-03")
    tab.save()
    mine = want[plan]
    mine["mentor_comments"] = "Keep it small."
    mine["skills"][1]["self"] = 4
    mine["skills"].append({"item": "Mentoring juniors", "self": 1, "mentor": 2})
    mine["career_paths"] = ["clinician-educator", "leadership"]
    mine["career_notes"] = "Teaching at night."
    goals = mine["goals"]
    mine["goals"] = [goals[1], goals[0], goals[2],
                     {"goal": "Write the protocol", "skill": "Study design", "approach": "With the methods group.",
                      "support": "A statistician", "target_date": "2027-02-28", "status": "in-progress"}]
    mine["protected_time"] = 5.5
    mine["trainee_signature"]["date"] = "2026-12-03"
    got = data(instruments_editor)
    for key in want[plan]:
        assert got[plan].get(key) == want[plan][key], key
    assert got == want
    check_passes(instruments_editor)
    assert tab.problems == []
    tab.close()
