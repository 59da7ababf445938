"""Safe, readable, unique file names derived from people's names."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .errors import OutputError

MAX_LENGTH = 60  # characters
MAX_BYTES = 120  # in UTF-8: well under the 255 bytes file systems allow, with room for "-12.pdf"
FALLBACK = "trainee"
# Names Windows keeps for devices, whatever the extension ("con.pdf" cannot be created there)
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class UnsafePath(OutputError, ValueError):
    """A file name that would land outside the output folder."""


def _kept(ch: str) -> bool:
    """Letters, marks (the vowel signs of Indic scripts, say) and digits of any script."""
    return unicodedata.category(ch)[0] in "LMN"


def slug(name: str) -> str:
    """A file-name-safe form of ``name`` that keeps letters of any script readable.

    NFKC-normalized and case-folded; every run of other characters (spaces, path
    separators, dots, punctuation, control characters) becomes one '-'.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    parts, run = [], []
    for ch in text:
        if _kept(ch):
            run.append(ch)
        elif run:
            parts.append("".join(run))
            run = []
    if run:
        parts.append("".join(run))
    text = "-".join(parts)
    text = unicodedata.normalize("NFC", text)[:MAX_LENGTH]
    while len(text.encode("utf-8")) > MAX_BYTES:
        text = text[:-1]
    text = text.strip("-")
    if not text:
        return FALLBACK
    if text in RESERVED:
        return f"{FALLBACK}-{text}"
    return text


class UniqueNames:
    """Hands out a different slug for every name, even for people who share one."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, name: str) -> str:
        base = slug(name)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def inside(folder: Path, relative: str) -> Path:
    """``folder / relative``, refusing anything that would land outside ``folder``.

    No part of the way may be a symlink (see safepath.check_target).
    """
    from .safepath import check_target

    try:
        check_target(folder, relative)
    except OutputError as exc:
        raise UnsafePath(exc.message) from None
    target = (folder / relative).resolve()
    if folder.resolve() not in target.parents:
        raise UnsafePath(f"refusing to write {relative!r}: it would land outside {folder}")
    return target


def mentor_slug(workbook, mentor) -> str:
    """The file-name slug of one mentor of ``workbook``: unique among its mentor map, in map order,
    so two mentors whose names give the same slug get ``-2``, ``-3`` ..."""
    names = UniqueNames()
    slugs = [names(m.name) for m in workbook.mentors]
    for m, s in zip(workbook.mentors, slugs, strict=True):
        if m is mentor:
            return s
    return slug(mentor.name)


# Letters of other scripts that look like Latin ones (Unicode's confusables, the common part):
# Cyrillic and Greek capitals and small letters, after case folding.
_LOOKALIKE = str.maketrans({
    **dict(zip("аеорсухіјѕԁһԛԝ", "aeopcyxijsdhqw", strict=True)), "ѵ": "v", "ӏ": "l", "ԍ": "g",
    **dict(zip("αβεηικμνοτυχρζ", "abenikmvotuxpz", strict=True)), "ο": "o", "ѡ": "w",
})


def name_key(name: str) -> str:
    """The form in which two people's names are compared: NFKC (decomposed accents composed, a
    no-break space a space), without invisible format characters (zero-width spaces, joiners,
    direction marks), spaces collapsed, case folded. Equal keys: one person."""
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split()).casefold()


def lookalike_key(name: str) -> str:
    """``name_key`` with letters of other scripts that look Latin made Latin: equal for names a
    reader cannot tell apart ('Аnna' with a Cyrillic А and 'Anna')."""
    return name_key(name).translate(_LOOKALIKE)


def differences(name: str, other: str) -> str:
    """The characters that set ``name`` apart from ``other`` (case aside), escaped and named, for a
    message: 'а (cyrillic small letter a)', '\\u200b (zero width space)'."""
    from .safepath import visible

    def odd(a: str, b: str) -> list[str]:
        folded = set(b.casefold())
        return [ch for ch in dict.fromkeys(a) if ch.casefold() not in folded
                or (ch != " " and unicodedata.category(ch) in ("Cf", "Zs", "Mn", "Me"))]

    found = odd(name, other) or odd(other, name)
    shown = [f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Mn", "Me") else visible(ch) for ch in found]
    return ", ".join(f"{s} ({unicodedata.name(ch, 'unnamed').lower()})" for s, ch in zip(shown, found, strict=True)
                     if ch in found[:4])
