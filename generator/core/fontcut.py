"""How mentorbook's fonts are cut from their sources (fontTools), and which characters
each cut holds.

The print fonts (``content/fonts/*.ttf``) are Noto Sans, Noto Serif and two small
Noto symbol fonts cut to the scripts mentorbook lays out: Latin with Latin Extended
and Vietnamese, Greek, Cyrillic, punctuation and the symbols below. The site gets
each of them again as WOFF2 files split by script (``content/fonts/web``), each with
the ``unicode-range`` a browser uses to fetch only the files a page needs.

``tools/cut_fonts.py`` makes both from Debian's ``fonts-noto-core``; the tests check
that the shipped files hold exactly the characters and outlines these ranges give.
Nothing here runs during a build.
"""

from __future__ import annotations

import io

Range = tuple[int, int]


def _ranges(spec: str) -> tuple[Range, ...]:
    """``"0000-00FF, 0131"`` -> ((0x0, 0xFF), (0x131, 0x131))."""
    out = []
    for part in spec.replace("\n", " ").split(","):
        low, _, high = part.strip().partition("-")
        out.append((int(low, 16), int(high or low, 16)))
    return tuple(out)


# The site's subsets, as the usual web font services split a Latin/Greek/Cyrillic family.
WEB_SUBSETS: dict[str, tuple[Range, ...]] = {
    "latin": _ranges("0000-00FF, 0131, 0152-0153, 02BB-02BC, 02C6, 02DA, 02DC, 0304, 0308, 0329, 2000-206F, "
                     "20AC, 2122, 2212, 2215, FEFF, FFFD"),
    "latin-ext": _ranges("0100-024F, 0259, 02B0-02BA, 02BD-02C5, 02C7-02CC, 02CE-02D7, 02DD-02FF, 0304, 0308, "
                         "0329, 1E00-1E9F, 1EF2-1EFF, 2020, 20A0-20AB, 20AD-20C0, 2113"),
    "greek": _ranges("0370-0377, 037A-037F, 0384-038A, 038C, 038E-03A1, 03A3-03FF"),
    "cyrillic-ext": _ranges("0460-052F, 1C80-1C88, 20B4, 2DE0-2DFF, A640-A69F, FE2E-FE2F"),
    "cyrillic": _ranges("0301, 0400-045F, 0490-0491, 04B0-04B1, 2116"),
    "vietnamese": _ranges("0102-0103, 0110-0111, 0128-0129, 0168-0169, 01A0-01A1, 01AF-01B0, 0300-0301, "
                          "0303-0304, 0308-0309, 0323, 0329, 1EA0-1EF9, 20AB"),
}
TEXT_RANGES = tuple(sorted({r for ranges in WEB_SUBSETS.values() for r in ranges} | {(0x0300, 0x036F)}))
# Check boxes, ticks, stars, bullets and shapes (Noto Sans Symbols 2), arrows (Noto Sans Math).
SYMBOL_RANGES = _ranges("25A0-25FF, 2600-26FF, 2700-27BF")
ARROW_RANGES = _ranges("2190-21FF")

# (source file in fonts-noto-core, shipped file, characters it keeps)
SOURCES = (
    ("NotoSans-Regular.ttf", "NotoSans-Regular.ttf", TEXT_RANGES),
    ("NotoSans-Italic.ttf", "NotoSans-Italic.ttf", TEXT_RANGES),
    ("NotoSans-Bold.ttf", "NotoSans-Bold.ttf", TEXT_RANGES),
    ("NotoSans-BoldItalic.ttf", "NotoSans-BoldItalic.ttf", TEXT_RANGES),
    ("NotoSerif-Bold.ttf", "NotoSerif-Bold.ttf", TEXT_RANGES),
    ("NotoSansSymbols2-Regular.ttf", "NotoSansSymbols2-Regular.ttf", SYMBOL_RANGES),
    ("NotoSansMath-Regular.ttf", "NotoSansMath-Arrows.ttf", ARROW_RANGES),
)


def unicodes(ranges: tuple[Range, ...]) -> set[int]:
    return {code for low, high in ranges for code in range(low, high + 1)}


def css_range(ranges: tuple[Range, ...]) -> str:
    """The CSS ``unicode-range`` value of ``ranges``."""
    return ", ".join(f"U+{low:04X}" if low == high else f"U+{low:04X}-{high:04X}" for low, high in ranges)


def cut(data: bytes, keep: set[int], flavor: str | None = None) -> bytes:
    """``data`` (a TrueType font) cut to the characters ``keep`` that it has, with the
    default layout features that shape them (kerning, standard ligatures, marks for
    stacked accents, local forms), without hinting; ``flavor="woff2"`` compresses it
    for the web."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["DSIG"]
    options.flavor = flavor
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep & set(font.getBestCmap()))
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = flavor
    font.save(out)
    return out.getvalue()


def web_cuts(name: str, data: bytes, ranges: tuple[Range, ...]) -> dict[str, tuple[bytes, tuple[Range, ...]]]:
    """The WOFF2 files of one shipped font: file name -> (bytes, its unicode-range).

    Text fonts are split by script (only the scripts they have characters in); a
    symbol font is one file."""
    from fontTools.ttLib import TTFont

    have = set(TTFont(io.BytesIO(data)).getBestCmap())
    stem = name.rsplit(".", 1)[0]
    if ranges is not TEXT_RANGES:
        return {f"{stem}.woff2": (cut(data, unicodes(ranges), "woff2"), ranges)}
    out = {}
    for subset_name, subset_ranges in WEB_SUBSETS.items():
        if unicodes(subset_ranges) & have:
            out[f"{stem}.{subset_name}.woff2"] = (cut(data, unicodes(subset_ranges), "woff2"), subset_ranges)
    return out
