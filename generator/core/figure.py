"""The mentoring relationship cycle, drawn as inline SVG from the list of practices."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..base.i18n import ENGLISH, N_, Language

# texts of the figure (translated where it is drawn: Babel does not look inside f-strings)
TITLE = N_("The mentoring relationship")
CENTRE = (N_("The mentoring"), N_("relationship"))  # the two lines in the middle of the cycle
HERE = N_("you are here")
PRIMARY = "#1d4e89"
ACCENT = "#d9622b"
SIZE = 420
RING = 142  # radius of the cycle
NODE = 56  # radius of each practice node


def _point(angle: float, radius: float) -> tuple[float, float]:
    center = SIZE / 2
    return center + radius * math.cos(angle), center + radius * math.sin(angle)


def _arrowhead(angle: float) -> str:
    """A small triangle at ``angle`` on the ring, pointing clockwise."""
    tip = _point(angle, RING)
    tangent = angle + math.pi / 2
    back = (tip[0] - 11 * math.cos(tangent), tip[1] - 11 * math.sin(tangent))
    normal = (math.cos(angle), math.sin(angle))
    left = (back[0] + 6 * normal[0], back[1] + 6 * normal[1])
    right = (back[0] - 6 * normal[0], back[1] - 6 * normal[1])
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (tip, left, right))


def _label_lines(label: str) -> list[str]:
    if " / " in label:
        first, second = label.split(" / ", 1)
        return [first + " /", second]
    words = label.split()
    if len(label) <= 11 or len(words) == 1:
        return [label]
    half = (len(words) + 1) // 2
    return [" ".join(words[:half]), " ".join(words[half:])]


def _arcs(count: int, primary: str, accent: str) -> list[str]:
    """The arrows from each practice to the next; the last one, back to the start, dashed."""
    step = 2 * math.pi / count
    gap = math.asin(min(1.0, (NODE + 6) / RING)) * 2 / 2 + 0.02
    parts = []
    for i in range(count):
        start = -math.pi / 2 + i * step + gap
        end = -math.pi / 2 + (i + 1) * step - gap
        x1, y1 = _point(start, RING)
        x2, y2 = _point(end - 0.06, RING)
        closing = i == count - 1
        colour = accent if closing else primary
        dash = ' stroke-dasharray="7 5"' if closing else ""
        parts.append(
            f'<path d="M {x1:.1f} {y1:.1f} A {RING} {RING} 0 0 1 {x2:.1f} {y2:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<polygon points="{_arrowhead(end)}" fill="{colour}"/>'
        )
    return parts


def _text(x: float, y: float, size: float, weight: int, fill: str, text: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}" font-family="Noto Sans, sans-serif">{escape(text)}</text>')


def _node(i: int, count: int, pid: str, label: str, here: bool, primary: str, accent: str, here_text: str) -> str:
    """One practice: its circle, number and name, and "you are here" under the current one."""
    x, y = _point(-math.pi / 2 + i * 2 * math.pi / count, RING)
    fill, ink = (accent, "#ffffff") if here else ("#ffffff", primary)
    stroke = accent if here else primary
    parts = [f'<g class="node{" current" if here else ""}" data-practice="{escape(pid)}">'
             f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{NODE}" fill="{fill}" stroke="{stroke}" stroke-width="3"/>']
    lines = _label_lines(label)
    top = y - 6 - 8 * (len(lines) - 1)
    parts.append(_text(x, top - 12, 15, 700, ink, str(i + 1)))
    parts += [_text(x, top + 10 + 16 * j, 13.5, 600, ink, line) for j, line in enumerate(lines)]
    if here:
        parts.append(_text(x, y + NODE + 16, 12, 700, accent, here_text))
    return "".join(parts) + "</g>"


def cycle_svg(practices: Sequence[tuple[str, str]], current: str | None = None,
              primary: str = PRIMARY, accent: str = ACCENT, lang: Language = ENGLISH) -> Markup:
    """Return an accessible SVG of the cycle.

    ``practices`` is a sequence of (id, short label) in cycle order; ``current`` is the
    id to highlight; its texts are in ``lang``.
    """
    _ = lang.gettext
    count = len(practices)
    names = ", ".join(label for _, label in practices)
    current_label = next((label for pid, label in practices if pid == current), "")
    desc = _("A cycle of %(count)s practices: %(names)s; after the last, back to the first.") \
        % {"count": count, "names": names}
    if current_label:
        desc += " " + _("Current practice: %(practice)s.") % {"practice": current_label}
    parts = [
        f'<svg class="cycle" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-labelledby="cycle-title cycle-desc" width="{SIZE}" height="{SIZE}">'
        f'<title id="cycle-title">{escape(_(TITLE))}</title>'
        f'<desc id="cycle-desc">{escape(desc)}</desc>',
        *_arcs(count, primary, accent),
        _text(SIZE / 2, SIZE / 2 - 8, 17, 700, primary, _(CENTRE[0])),
        _text(SIZE / 2, SIZE / 2 + 14, 17, 700, primary, _(CENTRE[1])),
    ]
    parts += [_node(i, count, pid, label, pid == current, primary, accent, _(HERE))
              for i, (pid, label) in enumerate(practices)]
    parts.append("</svg>")
    return Markup("".join(parts))
