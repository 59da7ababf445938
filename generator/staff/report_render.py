"""The cohort report as files: HTML (one self-contained page), PDF and CSV.

Charts are inline SVG bar charts, each with a title and description for screen
readers and the same figures as a table, so the page works from ``file://`` with
nothing else beside it. The PDF lays out the same template for paper with
WeasyPrint (``outputs.pdf``), embedding mentorbook's fonts.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from ..core.render import Renderer
from ..program.project import BUILTIN, Project
from .report import PRIVATE, CohortReport, TraineeReport

WIDTH, LABEL, ROW, BAR = 640, 250, 26, 18


def bar_chart(chart_id: str, title: str, desc: str, rows: list[tuple[str, int, bool]], *,
              limit: int | None = None, colour: str = "#1d4e89", flag_note: str = "",
              limit_note: str = "maximum %(limit)s") -> Markup:
    """A horizontal bar chart as inline SVG; flagged bars are red and say so in words."""
    top = max([value for _, value, _ in rows] + [limit or 0, 1])
    area = WIDTH - LABEL - 130
    height = ROW * len(rows) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
             f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(desc)}</desc>']
    for i, (label, value, flagged) in enumerate(rows):
        y = 8 + i * ROW
        width = round(area * value / top, 1)
        fill = "#a4262c" if flagged else colour
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="{LABEL - 8}" y="{y + 13}" text-anchor="end" class="label">{escape(short)}</text>')
        parts.append(f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR}" fill="{fill}"/>')
        note = f" {flag_note}" if flagged and flag_note else ""
        parts.append(f'<text x="{LABEL + width + 6}" y="{y + 13}" class="value">{value}{escape(note)}</text>')
    if limit is not None:
        x = round(LABEL + area * limit / top, 1)
        parts.append(f'<line x1="{x}" y1="2" x2="{x}" y2="{height - 20}" stroke="#3e4c59" '
                     f'stroke-dasharray="4 3"/>')
        label = escape(limit_note % {"limit": limit})
        parts.append(f'<text x="{x}" y="{height - 6}" text-anchor="middle" class="value">{label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def charts(report: CohortReport, most: int | None = None) -> list[dict]:
    """The four charts: their SVG, and their figures for the table beside them. With ``most``, the
    chart of overdue items shows only that many trainees, those with the most (the PDF's)."""
    _ = report.language.gettext
    out = []
    practices = [(title, count, False) for title, count in report.practices]
    out.append({"id": "practices", "title": _("Trainees per practice"), "head": (_("Practice"), _("Trainees")),
                "rows": practices, "empty": "",
                "svg": bar_chart("chart-practices", _("Trainees per practice"),
                                 "; ".join(f"{t}: {c}" for t, c, _f in practices), practices)})
    months = [(_month_label(m, report.language), count, False) for m, count in report.months]
    out.append({"id": "months", "title": _("Meetings per month"), "head": (_("Month"), _("Meetings")),
                "rows": months, "empty": "",
                "svg": bar_chart("chart-months", _("Meetings per month, last 12 months"),
                                 "; ".join(f"{m}: {c}" for m, c, _f in months), months)})
    load = [(m.name, m.total, m.over) for m in report.load]
    over = ", ".join(m.name for m in report.overloaded)
    flag = _("over the maximum")
    load_title = (_("Trainees per mentor (maximum %(limit)s), with the program's suggestions")
                  if any(m.suggested for m in report.load) else _("Trainees per mentor (maximum %(limit)s)"))
    out.append({"id": "load", "title": _("Mentor load"), "head": (_("Mentor"), _("Trainees")), "rows": load,
                "empty": _("No mentor is assigned or under an agreement yet."),
                "svg": bar_chart("chart-load", load_title % {"limit": report.max_load},
                                 "; ".join(f"{n}: {c}{f' ({flag})' if f else ''}" for n, c, f in load)
                                 + (". " + _("Over the maximum: %(names)s.") % {"names": over} if over
                                    else ". " + _("No mentor is over the maximum.")),
                                 load, limit=report.max_load, flag_note=flag, limit_note=_("maximum %(limit)s"))
                if load else ""})
    overdue = [(name, count, False) for name, count in report.overdue]
    if most is not None and len(overdue) > most:
        overdue = sorted(overdue, key=lambda row: -row[1])[:most]
    out.append({"id": "overdue", "title": _("Overdue action items"), "head": (_("Trainee"), _("Overdue items")),
                "rows": overdue, "empty": _("No trainee has an overdue action item."),
                "svg": bar_chart("chart-overdue", _("Overdue action items per trainee"),
                                 "; ".join(f"{n}: {c}" for n, c, _f in overdue), overdue, colour="#8a4b08")
                if overdue else ""})
    return out


def _month_label(month: str, lang=None) -> str:
    day = dt.date.fromisoformat(f"{month}-01")
    if lang is not None and not lang.english:
        from babel.dates import format_skeleton

        return format_skeleton("yMMM", day, locale=lang.babel_locale)
    return day.strftime("%b %Y")


def mentor_names(t: TraineeReport, private: str = PRIVATE) -> list[str]:
    return [m.name or private for m in t.mentors]


def signatures(t: TraineeReport, lang) -> list[str]:
    """Each agreement with signature blocks: its mentor and how far it is signed ("signed by one")."""
    return [f"{m.name or lang.gettext(PRIVATE)}: {m.signature(lang)}" for m in t.mentors if m.signature(lang)]


def _renderer(project: Project, lang=None) -> Renderer:
    from ..base.i18n import ENGLISH

    r = Renderer(project.template_dirs, lang or ENGLISH)
    r.env.filters["iso"] = lambda d: d.isoformat() if d else ""
    return r


PDF_TRAINEES = 200  # trainees the PDF lists one by one; every figure still counts the whole cohort


def report_html(report: CohortReport, project: Project = BUILTIN, links: tuple[bool, bool] = (True, True),
                print_css: str = "", omitted: int = 0) -> str:
    """The report page. ``print_css`` (with @font-face rules) makes it the PDF's layout; ``omitted``
    says how many trainees that layout leaves out of its lists (the page and the CSV list them all)."""
    return _renderer(project, report.language).render(
        "report.html", r=report, charts=charts(report, max(PDF_TRAINEES // 10, 1) if print_css else None),
        branding=project.branding, names_shown=max(PDF_TRAINEES // 25, 1) if print_css else None,
        private=report.language.gettext(PRIVATE),
        mentor_names=mentor_names, pdf_link=links[0], csv_link=links[1], for_print=bool(print_css),
        fonts=Markup(print_css), page_size="A4" if report.page_size == "a4" else "letter", omitted=omitted,
        listed=report.trainees[:PDF_TRAINEES] if print_css else report.trainees,
        attention=report.attention[:PDF_TRAINEES] if print_css else report.attention)


def pdf_html(report: CohortReport, project: Project, print_css: str) -> str:
    """The PDF's layout. A cohort of thousands would make thousands of pages, laid out for minutes:
    the PDF lists the first PDF_TRAINEES and says where the others are."""
    omitted = max(len(report.trainees), len(report.attention)) - PDF_TRAINEES
    return report_html(report, project, print_css=print_css, omitted=max(omitted, 0))


def report_pdf(report: CohortReport, project: Project = BUILTIN) -> bytes:
    """The report laid out for paper, fonts embedded, dated by the report's day."""
    from ..core.fonts import font_dirs, font_face_css, font_files
    from ..print.pdf import html_to_pdf

    paths = font_files()
    html = pdf_html(report, project, font_face_css(lambda name: paths[name].as_uri()))
    stamp = dt.datetime.combine(report.today, dt.time(12, 0), dt.UTC).isoformat()
    pdf, _ = html_to_pdf(html, project.template_dirs[0], [*project.allowed_roots, *font_dirs()], stamp)
    return pdf


CSV_COLUMNS = ("trainee", "role", "file", "status", "current_practice", "mentor_count", "mentors_with_agreement",
               "mentor_names", "agreements_signed", "suggested_mentors", "meetings_last_90_days", "last_meeting",
               "open_action_items", "overdue_action_items", "goals", "smart_goals", "private_answers_filled_in",
               "share", "milestones", "needs_attention", "errors")


def csv_headings(lang) -> list[str]:
    """CSV_COLUMNS as the report's language heads them (English keeps the column ids)."""
    if lang.english:
        return list(CSV_COLUMNS)
    pgettext = lang.pgettext
    return [
        pgettext("report column", "trainee"),
        pgettext("report column", "role"),
        pgettext("report column", "file"),
        pgettext("report column", "status"),
        pgettext("report column", "current_practice"),
        pgettext("report column", "mentor_count"),
        pgettext("report column", "mentors_with_agreement"),
        pgettext("report column", "mentor_names"),
        pgettext("report column", "agreements_signed"),
        pgettext("report column", "suggested_mentors"),
        pgettext("report column", "meetings_last_90_days"),
        pgettext("report column", "last_meeting"),
        pgettext("report column", "open_action_items"),
        pgettext("report column", "overdue_action_items"),
        pgettext("report column", "goals"),
        pgettext("report column", "smart_goals"),
        pgettext("report column", "private_answers_filled_in"),
        pgettext("report column", "share"),
        pgettext("report column", "milestones"),
        pgettext("report column", "needs_attention"),
        pgettext("report column", "errors"),
    ]


def report_csv(report: CohortReport) -> str:
    """One row per trainee, the columns of CSV_COLUMNS (headed in the report's language; cells a
    spreadsheet would take for formulas are quoted: base/tabular.py)."""
    from ..base.tabular import csv_text

    _ = report.language.gettext
    return csv_text(csv_headings(report.language), (
        [t.name, t.role, t.source, _(t.status), t.practice, len(t.mentors), t.agreements,
         "; ".join(mentor_names(t)), "; ".join(signatures(t, report.language)), "; ".join(t.suggested),
         t.meetings_recent, t.last_meeting.isoformat() if t.last_meeting else "", t.open_items, len(t.overdue),
         len(t.goals), t.smart_goals, t.private_filled, t.share,
         "; ".join(f"{m.title}: {_(m.status)} ({m.due.isoformat()})" for m in t.milestones)
         or (_("no start date") if report.milestones and t.ok else ""),
         "; ".join(t.reasons), " | ".join(t.errors)] for t in report.trainees))
