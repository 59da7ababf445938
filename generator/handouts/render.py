"""One-page handouts (the meeting agenda and the "about me" brief) as HTML and PDF.

A handout must fit on one sheet. It is laid out at normal density first; if that
runs over, at compact and then tight density (smaller type, fewer ruled lines). Lists
are already capped when the data is gathered, so tight density is rarely needed.
Whatever room is left on the page goes to ruled lines for notes.

The HTML copy loads its fonts from ``../assets/fonts/`` (written next to it), the
PDF embeds them from the font packages. WeasyPrint is imported only here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from markupsafe import Markup
from msgspec import Struct

from ..base.i18n import ENGLISH, N_, Language
from ..core.fonts import font_dirs, font_face_css, font_files, web_font_bytes, web_font_css
from ..core.render import Renderer
from ..print.pdf import layout, stamp
from ..program.project import BUILTIN, Project
from ..program.roles import BOTH, GOALS_FOCUS, LONG_HORIZON, ME, MENTOR, PROJECTS, SHORT_HORIZON
from .agenda import Agenda
from .brief import Brief

DENSITIES = ("normal", "compact", "tight")
FONTS_FOLDER = "assets/fonts"
NOTES_LINES = (2, 24)  # ruled lines for notes on the agenda: at least, at most
BRIEF_NOTES_LINES = (0, 16)


class Handout(Struct, frozen=True):
    html: str  # for the file next to the PDF
    pdf: bytes
    pages: int
    density: str
    lines: int = 0  # ruled lines written on for notes

    @property
    def fits(self) -> bool:
        return self.pages == 1


def long_date(value: dt.date, lang: Language = ENGLISH) -> str:
    """"Tuesday 1 December 2026"; in other languages their full date ("martes, 1 de diciembre de 2026")."""
    if lang.has_catalog and not lang.english:  # (without a catalog, the sentences around it are English)
        from babel.dates import format_date

        return format_date(value, format="full", locale=lang.babel_locale)
    return f"{value:%A} {value.day} {value:%B %Y}"


def short_date(value: dt.date, today: dt.date | None = None, lang: Language = ENGLISH) -> str:
    """"1 Nov", with the year when it is not the year of ``today``."""
    same_year = today is not None and value.year == today.year
    if lang.has_catalog and not lang.english:
        from babel.dates import format_skeleton

        return format_skeleton("MMMd" if same_year else "yMMMd", value, locale=lang.babel_locale)
    text = f"{value.day} {value:%b}"
    return text if same_year else f"{text} {value.year}"


def renderer(project: Project = BUILTIN, lang: Language = ENGLISH) -> Renderer:
    """The project's templates (a program may override the handouts) in ``lang``, with the handouts' date filters."""
    r = Renderer(project.template_dirs, lang)
    from ..fields.date import date_html

    r.env.filters.update(long_date=lambda v: date_html(v, long_date(v, lang), lang),
                         short_date=lambda v, today=None: date_html(v, short_date(v, today, lang), lang))
    return r


def _document(html: str, project: Project):
    """Lay out ``html`` with WeasyPrint; only local fonts and the project's files are read."""
    return layout(html, project.template_dirs[0], [*project.allowed_roots, *font_dirs()])


def render_handout(template: str, *, page_size: str, date: dt.date, fill: tuple[int, int] = (0, 0),
                   project: Project = BUILTIN, lang: Language = ENGLISH, **context: Any) -> Handout:
    """Lay out ``template`` on one page if it can be done; see the module notes.

    ``fill`` is the smallest and largest number of ruled lines (``fill_lines`` in the
    template) to write on; the page gets as many as it has room for.
    """
    r = renderer(project, lang)
    css = r.asset("handout.css")
    paths = font_files()
    print_css = Markup(font_face_css(lambda name: paths[name].as_uri()) + css)
    file_css = Markup(web_font_css(lambda name: f"../{FONTS_FOLDER}/{name}") + css)
    common = {"page_size": "A4" if page_size == "a4" else "letter", **context}

    def layout(density: str, lines: int):
        return _document(r.render(template, css=print_css, density=density, fill_lines=lines, **common), project)

    low, high = fill
    for density in DENSITIES:
        document = layout(density, low)
        if len(document.pages) == 1:
            break
    if len(document.pages) == 1 and low < high:
        low, document = most_lines(lambda lines: layout(density, lines), low, high, document)
    stamp(document, dt.datetime.combine(date, dt.time(12, 0), dt.UTC).isoformat())
    html = r.render(template, css=file_css, density=density, fill_lines=low, **common)
    from ..print.ua import write_pdf

    return Handout(html=html, pdf=write_pdf(document), pages=len(document.pages), density=density, lines=low)


# Where a handout template marks what fitting its ruled lines measures: the first two of those
# lines (their pitch), the end of its content, and the bottom of the page's content area.
RULES, END, BOTTOM = ("mb-rule-0", "mb-rule-1"), "mb-end", "mb-page-bottom"
CLIMB = 2  # lines tried one by one above the room measured, before a search


def _room(document) -> tuple[float, float] | None:
    """(room left under the content, pitch of one ruled line) on a one-page layout, from its anchors;
    None if the template does not mark them."""
    anchors = document.pages[0].anchors
    if not all(name in anchors for name in (*RULES, END, BOTTOM)):
        return None
    pitch = anchors[RULES[1]][1] - anchors[RULES[0]][1]
    return (anchors[BOTTOM][1] - anchors[END][1], pitch) if pitch > 0 else None


def most_lines(layout, low: int, high: int, document) -> tuple[int, Any]:
    """The most ruled lines, from ``low`` (which ``document`` has, on one page) to ``high``, that keep
    the handout on one page, and that layout. The room the page has left says how many more fit,
    and one more layout checks that a line more would not: two layouts where a search takes five.
    A template that does not mark its lines (a program's own) is searched."""
    lines, room = low, _room(document)
    if room is None and low < 2 <= high:  # the pitch needs two lines to measure
        candidate = layout(2)
        if len(candidate.pages) == 1:
            lines, document, room = 2, candidate, _room(candidate)
    if room is None:
        return _search(layout, lines, high, document)
    free, pitch = room
    target = min(high, lines + int(free // pitch))
    while target > lines:  # as many as the room measured, or fewer
        candidate = layout(target)
        if len(candidate.pages) == 1:
            lines, document = target, candidate
            break
        target, high = target - 1, target - 1
    for _ in range(CLIMB):  # a margin that would end the page can leave room for a line more
        if lines >= high:
            return lines, document
        candidate = layout(lines + 1)
        if len(candidate.pages) != 1:
            return lines, document
        lines, document = lines + 1, candidate
    return _search(layout, lines, high, document)  # the room was not measured right: search the rest


def _search(layout, low: int, high: int, document) -> tuple[int, Any]:
    while low < high:
        middle = (low + high + 1) // 2
        candidate = layout(middle)
        if len(candidate.pages) == 1:
            low, document = middle, candidate
        else:
            high = middle - 1
    return low, document


def font_assets() -> dict[str, bytes]:
    """The font files the HTML copies use, keyed by their path in the output folder."""
    return {f"{FONTS_FOLDER}/{name}": data for name, data in web_font_bytes().items()}


TOPICS_FORMATS = {"fixed": N_("Fixed topics"), "rotating": N_("Rotating topics")}
HORIZONS = {SHORT_HORIZON: N_("short term"), LONG_HORIZON: N_("long term"), BOTH: N_("short and long term")}
FOCUSES = {PROJECTS: N_("projects"), GOALS_FOCUS: N_("goals"), BOTH: N_("projects and goals")}
OWNERS = {ME: N_("Me"), MENTOR: N_("Mentor"), BOTH: N_("Both")}
FREQUENCIES = {"weekly": N_("weekly"), "every-2-weeks": N_("every 2 weeks"), "monthly": N_("monthly"),
               "every-2-months": N_("every 2 months"), "quarterly": N_("quarterly")}


def _format_line(agenda: Agenda) -> str:
    agreement = agenda.agreement
    if agreement is None:
        return ""
    _ = agenda.language.gettext
    topics = agenda.topics_format
    parts = [_(TOPICS_FORMATS[topics]) if topics in TOPICS_FORMATS else f"{topics.capitalize()} topics"]
    if agreement.agenda_horizon in HORIZONS:
        parts.append(_(HORIZONS[agreement.agenda_horizon]))
    if agreement.agenda_focus in FOCUSES:
        parts.append(_(FOCUSES[agreement.agenda_focus]))
    return " · ".join(parts)


def agenda_info(agenda: Agenda) -> dict[str, Any]:
    """Wording for the agenda's header and closing block."""
    agreement = agenda.agreement
    series = agenda.rhythm
    lang = agenda.language
    _ = lang.gettext
    agreed = agreement.frequency if agreement and agreement.frequency else ""
    frequency = _(FREQUENCIES[agreed]) if agreed in FREQUENCIES else agreed.replace("-", " ")
    meta = []
    if agenda.mentor.position:
        meta.append(agenda.mentor.position)
    if frequency:
        meta.append(_("meeting %(frequency)s") % {"frequency": frequency})
    if agenda.last_meeting:
        meta.append(_("last met %(date)s") % {"date": lang.date(agenda.last_meeting.date)})
    else:
        meta.append(_("first meeting in the log"))
    between = _("follow through on the action items, and ask for help early.")
    if agreement and agreement.communication:
        between = _("%(communication)s; follow through on the action items and ask for help early.") \
            % {"communication": agreement.communication.rstrip(".")}
    return {
        "time": series.time.strftime("%H:%M") if series and series.time else "",
        "place": agreement.place if agreement else "",
        "meta": meta,
        "format": _format_line(agenda),
        "owners": {key: _(name) for key, name in OWNERS.items()},
        "between": between,
    }


def render_agenda(agenda: Agenda, page_size: str = "letter", project: Project = BUILTIN) -> Handout:
    """The one-page agenda; the notes area takes the room the page has left."""
    return render_handout("agenda.html", page_size=page_size, date=agenda.date, fill=NOTES_LINES,
                          project=project, lang=agenda.language, a=agenda, info=agenda_info(agenda))


def render_brief(brief: Brief, page_size: str = "letter", project: Project = BUILTIN) -> Handout:
    """The one-page brief; room left on the page becomes lines for notes."""
    return render_handout("brief.html", page_size=page_size, date=brief.date, fill=BRIEF_NOTES_LINES,
                          project=project, lang=brief.language, b=brief)


class Written(Struct, frozen=True):
    """A handout written to disk: what it shows and where it went."""

    plan: Any  # the Agenda or the Brief
    handout: Handout
    pdf: Path
    html: Path


def _write(kind: str, stem: str, plan: Any, handout: Handout, out_dir: Path, project: Project) -> Written:
    from ..base.writer import write_into

    files = {f"{kind}/{stem}.pdf": handout.pdf, f"{kind}/{stem}.html": handout.html, **font_assets()}
    folder = write_into(out_dir, files, project.protected_dirs, project.root)
    return Written(plan, handout, folder / f"{kind}/{stem}.pdf", folder / f"{kind}/{stem}.html")


def _prepare(workbook: Path | None, date: dt.date | None, project: Project):
    """The meeting day (``date``, else today) and the workbook, read and checked as ``build`` does."""
    from ..pipeline import BuildOptions, build_date, prepare

    day = build_date(date)
    return day, prepare(BuildOptions(workbook=workbook, today=day, project=project))


def write_agenda(workbook: Path | None, mentor: str, date: dt.date | None, out_dir: Path, *,
                 project: Project = BUILTIN, page_size: str | None = None) -> Written:
    """``mentorbook agenda``: read and check the workbook, lay out the agenda, write it into ``out_dir``."""
    from ..base.names import mentor_slug
    from .agenda import make_agenda

    day, wb = _prepare(workbook, date, project)
    plan = make_agenda(wb, mentor, day)
    handout = render_agenda(plan, (page_size or project.page_size).lower(), project)
    return _write("agenda", f"{mentor_slug(wb, plan.mentor)}-{day.isoformat()}", plan, handout, out_dir, project)


def write_brief(workbook: Path | None, mentor: str, date: dt.date | None, out_dir: Path, *,
                project: Project = BUILTIN, page_size: str | None = None) -> Written:
    """``mentorbook brief``: read and check the workbook, lay out the brief, write it into ``out_dir``."""
    from ..base.names import mentor_slug
    from .brief import make_brief

    day, wb = _prepare(workbook, date, project)
    about = make_brief(wb, mentor, day)
    handout = render_brief(about, (page_size or project.page_size).lower(), project)
    return _write("brief", mentor_slug(wb, about.mentor), about, handout, out_dir, project)
