"""The cohort progress report's data: one row per trainee, and the cohort's figures.

Workbooks (YAML) and returned fillable PDFs are read and checked like ``check``
does; every figure is computed from the typed model (``core.model.Workbook``). A
workbook with errors is kept as "needs fixing" with its first errors, never dropped.

Privacy: a definition field marked ``private: true``, or every answer of a workbook
whose trainee section says ``share: progress-only``, is never copied into the
report. Only counts, and whether private answers are filled in, are kept, so the
HTML, PDF and CSV made from this data cannot show them. A mentor named only in
private answers still counts towards the load (see report_load.py), under a one-way
token of their name (``MentorEntry.hidden``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from msgspec import Struct

from ..base import names
from ..base.errors import Problem
from ..base.i18n import ENGLISH, N_, Language
from ..core.model import Workbook
from ..fields.fielddef import FieldDef
from .privacy import PROGRESS_ONLY, private_paths  # noqa: F401  (part of this module's API)
from .report_load import PRIVATE, MentorLoad, hidden_key, mentor_loads  # noqa: F401  (as above)

RECENT_DAYS = 90  # "meetings in the last 90 days"
FIRST_ERRORS = 3  # errors listed for a workbook that needs fixing
MONTHS = 12  # months in the meetings-per-month chart
SMART = ("specific", "measurable", "achievable", "relevant", "time_bound")
SUFFIXES = (".yml", ".yaml", ".pdf")
_INDEX = re.compile(r"\[\d+\*?\]")


class Privacy(Struct, frozen=True):
    """Which answers of one workbook the report may show."""

    private: frozenset[str] = frozenset()
    everything: bool = False  # the workbook says share: progress-only
    known_names: frozenset[str] = frozenset()  # mentors the roster named: the program knows them already

    def hides(self, path: str) -> bool:
        if path.split(".", 1)[0] == "trainee":
            return False  # who the trainee is: the program's own data
        if self.everything:
            return True
        key = _INDEX.sub("", path)
        return any(key == p or key.startswith(p + ".") for p in self.private)

    def mentor_name(self, name: str) -> str | None:
        if not self.hides("mentors.name") or name_key(name) in self.known_names:
            return name
        return None

    def problem(self, problem: Problem, lang: Language = ENGLISH) -> str:
        """A problem as text; the message and hint of a private answer's problem may quote it."""
        if not self.hides(problem.field or "?"):
            return problem.format(lang)
        return (f"{problem.location()}: {lang.gettext(problem.severity)}: {problem.field}: "
                + lang.gettext("a private answer needs fixing"))


def name_key(name: str) -> str:
    """People's names as they are compared (base.names.name_key: normalised, invisible characters dropped)."""
    return names.name_key(name)


class MentorEntry(Struct, frozen=True):
    name: str | None  # None: private
    agreement: bool
    assigned: bool
    concluded: bool
    program: bool = False  # found via the program's suggestion (found_via: program)
    hidden: str = ""  # a private name's hidden_key: counts the mentor's load, never shown
    signed: int = 0  # parties of the agreement's signature blocks who signed
    parties: int = 0  # parties its signature blocks name (0: the agreement has none)

    def signature(self, lang: Language = ENGLISH) -> str:
        """The agreement's signatures in words, or "" when it has no signature blocks."""
        _ = lang.gettext
        if not (self.agreement and self.parties):
            return ""
        if self.signed == self.parties:
            return {1: _("signed"), 2: _("signed by both")}.get(self.parties) or _("signed by all")
        if not self.signed:
            return _("not signed")
        return _("signed by one") if self.parties == 2 else (_("signed by %(count)s of %(total)s")
                                                             % {"count": self.signed, "total": self.parties})

    @property
    def carries(self) -> bool:
        """Counts towards the mentor's load: assigned or agreed, and not concluded."""
        return (self.agreement or self.assigned) and not self.concluded

    @property
    def suggested(self) -> bool:
        """Counts towards the mentor's load as a suggestion of the program's."""
        return self.program and not self.carries and not self.concluded


class GoalEntry(Struct, frozen=True):
    title: str | None  # None: private
    smart_parts: int  # of the five, how many are written
    status: str
    late: bool  # past its target date and not done


class OverdueEntry(Struct, frozen=True):
    task: str | None  # None: private
    due: dt.date | None  # None: private
    days: int  # days overdue


class TraineeReport(Struct, frozen=True):
    name: str
    source: str  # the file it was read from ("" when the roster names no workbook)
    status: str = "ok"  # ok | needs fixing | no workbook
    role: str = ""
    errors: tuple[str, ...] = ()
    error_count: int = 0
    share: str = "all"
    practice: str = ""  # practice id; "" when not known
    practice_title: str = ""
    mentors: tuple[MentorEntry, ...] = ()
    meetings_recent: int = 0
    meetings_total: int = 0
    last_meeting: dt.date | None = None
    meeting_months: tuple[str, ...] = ()  # YYYY-MM of each meeting, for the cohort's chart
    open_items: int = 0
    overdue: tuple[OverdueEntry, ...] = ()
    goals: tuple[GoalEntry, ...] = ()
    private_filled: int = 0  # private answers that are filled in
    milestones: tuple = ()  # core.milestones.MilestoneStatus, when the program has milestones
    suggested: tuple[str, ...] = ()  # mentors the program's directory suggests (insights/suggest.py)
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def agreements(self) -> int:
        return sum(1 for m in self.mentors if m.agreement)

    @property
    def smart_goals(self) -> int:
        return sum(1 for g in self.goals if g.smart_parts == len(SMART))


class CohortReport(Struct, frozen=True):
    today: dt.date
    program: str
    max_load: int
    trainees: tuple[TraineeReport, ...]
    practices: tuple[tuple[str, int], ...]  # (practice title, trainees there)
    months: tuple[tuple[str, int], ...]  # (YYYY-MM, meetings)
    load: tuple[MentorLoad, ...]  # most trainees first
    page_size: str = "letter"
    milestones: tuple = ()  # the program's (core.milestones.Milestone)
    language: Language = ENGLISH  # the program's: the report's texts
    notes: tuple[str, ...] = ()  # sources left out because another one of the same trainee was read

    @property
    def attention(self) -> tuple[TraineeReport, ...]:
        return tuple(t for t in self.trainees if t.reasons)

    @property
    def overdue(self) -> tuple[tuple[str, int], ...]:
        return tuple((t.name, len(t.overdue)) for t in self.trainees if t.overdue)

    @property
    def overloaded(self) -> tuple[MentorLoad, ...]:
        return tuple(m for m in self.load if m.over)


def trainee_report(workbook: Workbook, source: Path, privacy: Privacy, share: str = "all",
                   assigned: frozenset[str] = frozenset(), milestones: tuple = (),
                   lang: Language = ENGLISH) -> TraineeReport:
    """What the report shows of one valid workbook; private answers never enter it."""
    from ..program.milestones import judge

    today = workbook.today
    signatures = {a.mentor: a.signatures for a in workbook.agreements}  # the last agreement with each mentor
    mentors = tuple(MentorEntry(shown, m.has_agreement,
                                m.found_via == "assigned" or name_key(m.name) in assigned, m.concluded,
                                m.found_via == "program", "" if shown is not None else hidden_key(m.name),
                                sum(signatures.get(m.name, ())), len(signatures.get(m.name, ())))
                    for m in workbook.mentors for shown in (privacy.mentor_name(m.name),))
    recent = [m for m in workbook.meetings if today - dt.timedelta(days=RECENT_DAYS) <= m.date <= today]
    past = [m for m in workbook.meetings if m.date <= today]
    overdue = tuple(OverdueEntry(None if privacy.hides(i.path + ".task") else i.task,
                                 None if privacy.hides(i.path + ".due") else i.due, (today - i.due).days)
                    for i in workbook.open_action_items if i.overdue(today))
    goals = tuple(GoalEntry(None if privacy.hides(g.path + ".title") else g.title,
                            sum(1 for part in SMART if getattr(g, part).strip()), g.status,
                            not g.done and g.target_date is not None and g.target_date < today)
                  for g in workbook.goals)
    last = max((m.date for m in past), default=None)
    titles = {p.id: p.title for p in workbook.practices}
    report = TraineeReport(
        name=workbook.trainee.name, source=source.name, role=workbook.trainee.role, share=share,
        practice=workbook.current_practice, practice_title=titles.get(workbook.current_practice,
                                                                      workbook.current_practice),
        mentors=mentors, meetings_recent=len(recent), meetings_total=len(workbook.meetings),
        last_meeting=None if last is None or privacy.hides("meetings.date") else last,
        meeting_months=tuple(m.date.strftime("%Y-%m") for m in workbook.meetings),
        open_items=len(workbook.open_action_items), overdue=overdue, goals=goals,
        private_filled=_private_filled(workbook, privacy),
        milestones=judge(milestones, workbook, workbook.trainee.start_date),
    )
    return _with_reasons(report, bool(past), lang)


def _with_reasons(t: TraineeReport, met: bool, lang: Language = ENGLISH) -> TraineeReport:
    from msgspec.structs import replace

    _, ngettext = lang.gettext, lang.ngettext
    reasons = []
    if not t.mentors:
        reasons.append(_("no mentor yet"))
    elif not any(m.agreement and not m.concluded for m in t.mentors):
        reasons.append(_("no mentoring agreement yet"))
    if t.overdue:
        count = len(t.overdue)
        reasons.append(ngettext("%(count)s overdue action item", "%(count)s overdue action items", count)
                       % {"count": count})
    if not met:
        reasons.append(_("no meeting logged yet"))
    elif not t.meetings_recent:
        reasons.append(_("no meeting in the last %(days)s days") % {"days": RECENT_DAYS})
    if not t.goals:
        reasons.append(_("no goals yet"))
    elif not t.smart_goals:
        reasons.append(_("no goal has all five SMART parts"))
    late = sum(1 for g in t.goals if g.late)
    if late:
        reasons.append(ngettext("%(count)s goal past the target date", "%(count)s goals past the target date", late)
                       % {"count": late})
    reasons += [_("milestone late: %(title)s") % {"title": m.title} for m in t.milestones if m.status == "late"]
    return replace(t, reasons=tuple(reasons))


# TraineeReport.status and the milestones' statuses (core.milestones), translated where shown
STATUSES = (N_("ok"), N_("needs fixing"), N_("no workbook"), N_("met"), N_("late"), N_("due"))


def _private_filled(workbook: Workbook, privacy: Privacy) -> int:
    """How many private answers are filled in (only that is reported of them)."""
    count = 0

    def walk(fdef: FieldDef, value: Any, path: str) -> None:
        nonlocal count
        if value in (None, "", [], {}):
            return
        if fdef.fields and isinstance(value, (dict, list)):
            rows = value if isinstance(value, list) else [value]
            for row in rows:
                if isinstance(row, dict):
                    for child in fdef.fields:
                        walk(child, row.get(child.id), f"{path}.{child.id}")
            return
        if privacy.hides(path):
            count += 1

    for sheet in workbook.worksheets:  # a blank workbook has no entries
        data = list(sheet.entries) if sheet.definition.repeat else (sheet.entries[0] if sheet.entries else {})
        walk(sheet.definition.as_field(), data, sheet.id)
    return count


def roster_mentors(names: tuple[str, ...] = ()) -> tuple[MentorEntry, ...]:
    """The mentors a roster assigns, for a trainee whose workbook is missing or cannot be read."""
    return tuple(MentorEntry(name, agreement=False, assigned=True, concluded=False) for name in names)


def broken_report(name: str, source: Path, problems: list[Problem], privacy: Privacy, role: str = "",
                  share: str = "all", lang: Language = ENGLISH, mentors: tuple[str, ...] = ()) -> TraineeReport:
    """A workbook that needs fixing; ``mentors``: those its roster row assigns."""
    errors = [p for p in problems if p.severity == "error"] or problems
    shown = tuple(privacy.problem(p, lang) for p in errors[:FIRST_ERRORS])
    return TraineeReport(name=name, source=source.name, status="needs fixing", role=role, share=share,
                         errors=shown, error_count=len(errors), mentors=roster_mentors(mentors),
                         reasons=(lang.ngettext("workbook needs fixing (%(count)s error)",
                                                "workbook needs fixing (%(count)s errors)", len(errors))
                                  % {"count": len(errors)},))


def missing_report(name: str, role: str = "", lang: Language = ENGLISH, mentors: tuple[str, ...] = ()
                   ) -> TraineeReport:
    """A roster row without a workbook; ``mentors``: those the roster assigns."""
    return TraineeReport(name=name, source="", status="no workbook", role=role, mentors=roster_mentors(mentors),
                         reasons=(lang.gettext("no workbook returned yet"),))


def cohort_report(trainees: list[TraineeReport], today: dt.date, *, max_load: int, program: str = "",
                  practices: list[tuple[str, str]] = (), page_size: str = "letter",
                  milestones: tuple = (), capacities: dict[str, int] | None = None,
                  lang: Language = ENGLISH, notes: tuple[str, ...] = ()) -> CohortReport:
    """The cohort's figures from its trainees' rows. ``practices`` are (id, title) in cycle order;
    ``capacities``: per mentor name key, the capacity the program's directory gives them."""
    at = Counter(t.practice for t in trainees if t.ok)
    rows = [(title, at.get(pid, 0)) for pid, title in practices]
    unknown = sum(1 for t in trainees if not t.ok)
    if unknown:
        rows.append((lang.gettext("Not known (needs fixing or no workbook)"), unknown))
    months = _months(today)
    per_month = Counter(m for t in trainees for m in t.meeting_months)
    return CohortReport(today=today, program=program, max_load=max_load, trainees=tuple(trainees),
                        practices=tuple(rows), months=tuple((m, per_month.get(m, 0)) for m in months),
                        load=mentor_loads(trainees, max_load, capacities, lang), page_size=page_size,
                        milestones=milestones, language=lang, notes=notes)


def _months(today: dt.date) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(MONTHS):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def find_sources(sources: list[Path], exclude: Path | None = None) -> list[tuple[Path, Path | None]]:
    """Workbook and PDF files: each file given, and those in each folder (not hidden ones), each
    with the folder it must stay inside when read (None for a file given itself).

    Folders are walked without following symlinked folders; a symlinked file is listed, and
    refused when it is read if it leads outside its folder. Nothing inside ``exclude`` (the
    report's own output folder) is a source. A PDF with an imported workbook beside it
    (same name, .yml) is read through that workbook.
    """
    import os

    skip = os.path.realpath(exclude) if exclude is not None else None
    files: list[tuple[Path, Path | None]] = []
    for source in sources:
        if not source.is_dir():
            files.append((source, None))
            continue
        found = []
        for top, dirs, entries in os.walk(source, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and not (skip and _inside(os.path.join(top, d), skip)))
            found += [Path(top, n) for n in entries if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]
        files += [(p, source) for p in sorted(found, key=lambda p: (p.is_symlink(), p))]  # a file before its links
    seen: set[Path] = set()
    unique = []
    given = {path for path, _ in files}
    for path, within in files:
        resolved = path.resolve()
        if resolved in seen or (skip and within is not None and _inside(str(path), skip)):
            continue
        seen.add(resolved)
        if path.suffix.lower() == ".pdf" and any(path.with_suffix(s) in given for s in (".yml", ".yaml")):
            continue
        unique.append((path, within))
    return unique


def _inside(path: str, folder: str) -> bool:
    import os

    real = os.path.realpath(path)
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)
