"""Problems found in user input, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from msgspec import Struct

from .i18n import ENGLISH, Language, Said, said


class Problem(Struct, frozen=True):
    """One located finding: an error that stops the build, or a warning."""

    file: Path
    line: int | None  # 1-based
    message: str
    column: int | None = None  # 1-based
    field: str = ""  # dotted path such as ``meetings[2].action_items[0].due``
    severity: str = "error"
    hint: str = ""
    practice: str = ""  # for insights: the practice the advice comes from
    group: str = ""  # for insights: smart, goals, network, agreements, cultivation, conclusion

    def location(self, lang=None) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def as_dict(self) -> dict:
        return {
            "file": str(self.file), "line": self.line, "column": self.column, "severity": self.severity,
            "field": self.field, "message": self.message, "hint": self.hint,
            "practice": self.practice, "group": self.group,
        }

    def format(self, lang=None) -> str:
        """FILE:LINE:COL: severity: field: message (hint); the severity in ``lang`` (a core.i18n.Language)."""
        severity = lang.gettext(self.severity) if lang is not None else self.severity
        text = f"{self.location(lang)}: {severity}: "
        if self.field:
            text += f"{self.field}: "
        text += _said_in(self.message, lang)
        if self.hint:
            text += f" ({_said_in(self.hint, lang)})"
        return text


def _said_in(text: str, lang) -> str:
    """``text`` in ``lang`` when it is a Said (a message that can be said again from the catalog)."""
    return text.in_language(lang) if isinstance(text, Said) and lang is not None else text


def N_(text: str) -> str:  # catalog marks (core.i18n.N_): the severities and the usual note
    return text


SEVERITY_NAMES = (N_("error"), N_("warning"), N_("notice"), N_("nothing was written"))


class MentorbookError(click.ClickException):
    """Base for every error shown to the user without a traceback."""

    exit_code = 1

    def in_language(self, lang: Language) -> MentorbookError:
        """This error said in ``lang``: its message again from the catalog, when it was made with ``said``."""
        self.message = _said_in(self.message, lang)
        return self


@contextmanager
def spoken(lang: Language) -> Iterator[None]:
    """MentorbookErrors raised inside are said in ``lang`` (those not yet said in a language)."""
    try:
        yield
    except MentorbookError as exc:
        exc.in_language(lang)
        raise


class InputError(MentorbookError):
    """The user's files are wrong. Lists every problem; exit status 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem], note: str = "nothing was written", lang=None):
        """``lang``: the core.i18n.Language of the messages (English when None)."""
        self.problems = [p for p in problems if p.severity == "error"] or list(problems)
        self.note, self.lang = note, lang
        count = len(self.problems)
        if lang is None:
            summary = f"{count} error{'s' if count != 1 else ''} found; {note}."
        else:
            summary = lang.ngettext("%(count)s error found; %(note)s.", "%(count)s errors found; %(note)s.", count) \
                % {"count": count, "note": lang.gettext(note)}
        super().__init__("\n".join([p.format(lang) for p in self.problems] + [summary]))

    def in_language(self, lang: Language) -> InputError:
        if self.lang is None:  # (an error already said in the workbook's language stays in it)
            InputError.__init__(self, self.problems, self.note, lang)
        return self

    def show(self, file=None) -> None:  # click's signature
        click.echo(self.format_message(), err=True, file=file)


class OutputError(MentorbookError):
    """The output location is unsafe or cannot be written."""

    exit_code = 2


def storage_error(exc: OSError, path: Path) -> OutputError:
    """An OSError met while writing ``path`` as one message: what happened and what to do."""
    return OutputError(f"cannot write {path}: {storage_reason(exc)}; what was there before is unchanged")


def storage_reason(exc: OSError) -> str:
    """Why writing failed, and what to do, in words."""
    reasons = {errno.ENOSPC: "the disk is full; free some space and run the command again",
               errno.EDQUOT: "your disk quota is used up; free some space and run the command again",
               errno.EROFS: "the folder is on a read-only file system; choose another folder",
               errno.EACCES: "you may not write there; choose another folder or change its permissions",
               errno.EPERM: "you may not write there; choose another folder or change its permissions",
               errno.EFBIG: "the file would be larger than this system allows (see `ulimit -f`)"}
    return reasons.get(exc.errno, exc.strerror or str(exc))


@contextmanager
def storage(path: Path) -> Iterator[None]:
    """Turn an OSError while writing ``path`` into an OutputError that names it (base/writer.py)."""
    try:
        yield
    except OSError as exc:
        raise storage_error(exc, path) from None


class FileChanged(OutputError):
    """The file is no longer the version the person's change was made to: nothing was written."""

    exit_code = 1

    def __init__(self, path: Path, current: bytes):
        super().__init__(f"{path} changed since it was read; nothing was written")
        self.current = current


def closest(value: str, options: list[str]) -> str | None:
    """The option ``value`` most likely misspells, if one is close enough."""
    import difflib  # only when something is misspelt

    match = difflib.get_close_matches(str(value)[:200], options, n=1, cutoff=0.6)  # long values: no slow compare
    return match[0] if match else None


def did_you_mean(value: str, options: list[str], lang: Language = ENGLISH) -> str:
    """A hint for a value that is not among ``options``: the close one, or the list when it is short."""
    match = closest(value, options)
    if match:
        hint = said(N_("did you mean '%(value)s'?"), value=match)
    elif len(options) <= 12:
        hint = said(N_("expected one of: %(values)s"), values=", ".join(options))
    else:
        return ""
    return hint if lang.english else hint.in_language(lang)  # in English, it can still be said in another
