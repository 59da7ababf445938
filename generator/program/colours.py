"""Accessible colours from any program's two brand colours (WCAG 2.2 contrast).

A program gives a primary and an accent colour. Text and focus rings need contrast
against what they sit on: 4.5:1 for text, 3:1 for large text and focus indicators.
:func:`palette` derives the shades mentorbook uses, for the light and the dark
scheme, by mixing the brand colour towards black or white just as far as needed, so
a colour that is already fine stays as given. :func:`colour_notices` says which brand
colours cannot be used as given, for ``mentorbook.yml`` warnings.
"""

from __future__ import annotations

import functools

from msgspec import Struct

from ..base.i18n import N_, said

TEXT = 4.5  # normal text
LARGE = 3.0  # large text, icons, focus indicators

WHITE = "#ffffff"
BLACK = "#000000"
# the page's own surfaces (see site.css): light scheme, then dark scheme
# (page, card, accent tint, blue tint: chips and numbers sit on it)
LIGHT_BG, LIGHT_CARD, LIGHT_SOFT, LIGHT_TINT = "#faf8f4", "#ffffff", "#fdf1ea", "#edf2f8"
DARK_BG, DARK_CARD, DARK_SOFT, DARK_TINT = "#15191e", "#1e242b", "#2a2521", "#27303a"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _linear(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(c) for c in range(256)]  # each 8-bit channel value, linearised as WCAG says


def _luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_LINEAR[c] for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@functools.lru_cache(maxsize=512)  # the same surfaces, again and again
def luminance(colour: str) -> float:
    """Relative luminance as WCAG defines it."""
    return _luminance(_rgb(colour))


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mixed(a: tuple[int, int, int], b: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(x + (y - x) * amount))) for x, y in zip(a, b, strict=True))


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0 to 1) of the way towards ``other``."""
    return _hex(_mixed(_rgb(colour), _rgb(other), amount))


def reaching(colour: str, backgrounds: tuple[str, ...], ratio: float, towards: str) -> str:
    """The least change of ``colour`` towards ``towards`` (black or white) that has at least
    ``ratio`` against every one of ``backgrounds``."""
    surfaces = [luminance(bg) for bg in backgrounds]

    def ok(rgb: tuple[int, int, int]) -> bool:
        lum = _luminance(rgb)
        return all((max(lum, bg) + 0.05) / (min(lum, bg) + 0.05) >= ratio for bg in surfaces)

    start, end = _rgb(colour), _rgb(towards)
    if ok(start):
        return colour
    low, high = 0.0, 1.0
    for _ in range(20):  # on channels, not written out: a palette tries some 300 shades
        middle = (low + high) / 2
        if ok(_mixed(start, end, middle)):
            high = middle
        else:
            low = middle
    return _hex(_mixed(start, end, high))


class Palette(Struct, frozen=True):
    """CSS custom properties for the site, light and dark."""

    light: dict[str, str]
    dark: dict[str, str]

    def css(self) -> str:
        def block(values: dict[str, str]) -> str:
            return " ".join(f"--{name}: {value};" for name, value in values.items())

        return (f":root {{ {block(self.light)} }}\n"
                f"@media (prefers-color-scheme: dark) {{ :root {{ {block(self.dark)} }} }}")


def header_colour(primary: str) -> str:
    """The header's background: the primary colour, darkened until white text reads on it."""
    return reaching(primary, (WHITE,), TEXT, BLACK)


@functools.lru_cache(maxsize=16)  # a pure function of two colours, asked for on every page build
def palette(primary: str, accent: str) -> Palette:
    header = header_colour(primary)
    light = {
        "primary": reaching(primary, (LIGHT_BG, LIGHT_CARD, LIGHT_TINT), TEXT, BLACK),  # links, numbers
        "primary-dark": reaching(mix(primary, BLACK, 0.22), (LIGHT_BG, LIGHT_CARD, LIGHT_TINT), TEXT, BLACK),
        "header": header,
        "accent": reaching(accent, (LIGHT_BG, LIGHT_CARD), LARGE, BLACK),  # rules, borders, large marks
        "accent-ink": reaching(accent, (LIGHT_BG, LIGHT_CARD, LIGHT_SOFT), TEXT, BLACK),  # small accent text
        "focus": reaching(accent, (LIGHT_BG, LIGHT_CARD), LARGE, BLACK),
        "focus-on-header": reaching(mix(accent, WHITE, 0.6), (header,), LARGE, WHITE),
    }
    dark_header = reaching(mix(primary, BLACK, 0.35), (WHITE,), TEXT, BLACK)
    dark = {
        "primary": reaching(primary, (DARK_BG, DARK_CARD, DARK_TINT), TEXT, WHITE),
        "primary-dark": reaching(mix(primary, WHITE, 0.35), (DARK_BG, DARK_CARD, DARK_TINT), TEXT, WHITE),
        "header": dark_header,
        "accent": reaching(accent, (DARK_BG, DARK_CARD), LARGE, WHITE),
        "accent-ink": reaching(accent, (DARK_BG, DARK_CARD, DARK_SOFT), TEXT, WHITE),
        "focus": reaching(accent, (DARK_BG, DARK_CARD), LARGE, WHITE),
        "focus-on-header": reaching(mix(accent, WHITE, 0.6), (dark_header,), LARGE, WHITE),
    }
    return Palette(light, dark)


# what each light-scheme surface is, for warnings that name the pair that fails
SURFACES = {LIGHT_BG: N_("the page background"), LIGHT_CARD: N_("white cards"),
            LIGHT_SOFT: N_("the tinted key-point box"), LIGHT_TINT: N_("the tinted chips and numbers")}


def _worst(colour: str, backgrounds: tuple[str, ...], ratio: float) -> tuple[str, float] | None:
    """The background ``colour`` has the least contrast with, if that is under ``ratio``."""
    worst = min(backgrounds, key=lambda bg: contrast(colour, bg))
    return (worst, contrast(colour, worst)) if contrast(colour, worst) < ratio else None


def _pair(colour: str, what: str, failing: tuple[str, float], ratio: float) -> dict:
    """The values of a message naming the pair with the least contrast."""
    background, ratio_found = failing
    return {"colour": colour, "what": said(what), "surface": said(SURFACES[background]), "background": background,
            "found": f"{ratio_found:.2f}", "needs": ratio}


def colour_notices(primary: str, accent: str) -> list[tuple[str, str]]:
    """(config key, message) for each brand colour that cannot be used as given: the message
    (a base.i18n.Said, to be said in the program's language) names the use and the background of
    the pair with the least contrast, and the shade used instead."""
    notices = []
    header = header_colour(primary)
    failing = _worst(primary, (WHITE,), TEXT)
    if failing:
        notices.append(("primary_color", said(N_("%(colour)s is too light for white text on the header: %(found)s:1, "
                                                 "needs %(needs)s:1; the header uses %(shade)s instead"),
                                              colour=primary, found=f"{failing[1]:.2f}", needs=TEXT, shade=header)))
    else:
        text_on = (LIGHT_BG, LIGHT_CARD, LIGHT_TINT)
        failing = _worst(primary, text_on, TEXT)
        if failing:
            notices.append(("primary_color", said(N_("%(colour)s is too light for %(what)s on %(surface)s "
                                                     "(%(background)s): %(found)s:1, needs %(needs)s:1; they use "
                                                     "%(shade)s instead"),
                                                  **_pair(primary, N_("links and headings"), failing, TEXT),
                                                  shade=reaching(primary, text_on, TEXT, BLACK))))
    ink_on = (LIGHT_BG, LIGHT_CARD, LIGHT_SOFT)
    failing = _worst(accent, ink_on, TEXT)
    if failing:
        ink = reaching(accent, ink_on, TEXT, BLACK)
        marks = reaching(accent, (LIGHT_BG, LIGHT_CARD), LARGE, BLACK)
        values = {**_pair(accent, N_("small text"), failing, TEXT), "shade": ink, "marks": marks}
        notices.append(("accent_color", said(N_("%(colour)s is too light for %(what)s on %(surface)s (%(background)s): "
                                                "%(found)s:1, needs %(needs)s:1; small accent text uses %(shade)s, "
                                                "rules and focus rings %(marks)s instead"), **values)
                        if marks.lower() != accent.lower() else
                        said(N_("%(colour)s is too light for %(what)s on %(surface)s (%(background)s): %(found)s:1, "
                                "needs %(needs)s:1; small accent text uses %(shade)s instead"), **values)))
    return notices
