"""Keep docs/commands.md true to the commands: their usage and options come from Click (`make commands`).

    .venv/bin/python tools/command_reference.py          # rewrite the generated parts
    .venv/bin/python tools/command_reference.py --check  # exit 1 when they are stale

docs/commands.md is written by hand, except between a pair of markers per command:

    <!-- begin: mentorbook build -->
    ... usage line and options table, made from the command's own --help ...
    <!-- end: mentorbook build -->

(and `mentorbook` itself for the command list). A command without markers gets a new
section at the end of the page, to be given its prose; markers of a command that no
longer exists are an error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from mentorbook.cli import cli

PAGE = Path(__file__).resolve().parent.parent / "docs" / "commands.md"
BLOCK = re.compile(r"<!-- begin: (?P<name>mentorbook(?: [\w-]+)?) -->\n.*?<!-- end: (?P=name) -->", re.S)
NOTE = ("<!-- made by tools/command_reference.py from the command's --help: "
        "change the help, then run `make commands` -->")
TRAILER = re.compile(r"\s*\[([^\[\]]*)\]$")  # Click's "[default: ...]", "[required]", "[1<=x<=64]"
RANGE = re.compile(r"^(-?\d+)<=x<=(-?\d+)$")  # Click's range of an IntRange
WIDTH = 200  # wide enough that Click never wraps a help text


def _context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return click.Context(command, info_name=name, parent=parent, **settings)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _option_row(param: click.Option, record: tuple[str, str]) -> str:
    """One option as a table row: the option and its value, what it does, its default."""
    opts, help_text = record
    notes, default = [], ""
    while match := TRAILER.search(help_text):
        for note in (part.strip() for part in match.group(1).split(";")):
            if note.startswith("default: "):
                default = note.removeprefix("default: ")
            elif note == "required":
                default = "required"
            else:
                notes.insert(0, RANGE.sub(r"from \1 to \2", note))
        help_text = help_text[:match.start()]
    if notes:
        help_text += "".join(f" {note[0].upper()}{note[1:]}." for note in notes)
    if param.is_flag and param.expose_value and not default:
        default = "off"
    elif default and default == str(param.default):  # a value to type, not a description of one
        default = f"`{default}`"
    return f"| `{_cell(opts)}` | {_cell(help_text)} | {_cell(default)} |"


def _options_table(command: click.Command, ctx: click.Context) -> list[str]:
    rows = [_option_row(param, record) for param in command.get_params(ctx)
            if isinstance(param, click.Option) and (record := param.get_help_record(ctx))]
    return ["| option | what it does | default |", "|---|---|---|", *rows]


def blocks() -> dict[str, str]:
    """The generated text of every marked block, by its name (``mentorbook`` and ``mentorbook NAME``)."""
    root = _context(cli, "mentorbook")
    names = cli.list_commands(root)
    made = {"mentorbook": [
        "```text", "mentorbook [OPTIONS] COMMAND [ARGS]...", "```", "",
        "| command | what it does |", "|---|---|",
        *(f"| [`{name}`](#{name}) | {_cell(cli.get_command(root, name).get_short_help_str(WIDTH))} |"
          for name in names),
        "", "Options of `mentorbook` itself:", "", *_options_table(cli, root),
    ]}
    for name in names:
        command = cli.get_command(root, name)
        ctx = _context(command, name, root)
        made[f"mentorbook {name}"] = ["```text", f"mentorbook {name} {' '.join(command.collect_usage_pieces(ctx))}",
                                      "```", "", *_options_table(command, ctx)]
    return {name: f"<!-- begin: {name} -->\n{NOTE}\n\n" + "\n".join(lines) + f"\n\n<!-- end: {name} -->"
            for name, lines in made.items()}


def updated(page: str) -> tuple[str, list[str]]:
    """The page with every block made again and missing ones added, and what was wrong with it."""
    made = blocks()
    problems, seen = [], set()

    def replace(match: re.Match) -> str:
        name = match.group("name")
        seen.add(name)
        if name not in made:
            problems.append(f"{name}: there is no such command (remove its section)")
            return match.group(0)
        if match.group(0) != made[name]:
            problems.append(f"{name}: its reference is out of date")
        return made[name]

    page = BLOCK.sub(replace, page)
    for name, block in made.items():
        if name not in seen:
            problems.append(f"{name}: no reference yet (a section was added at the end)")
            page = page.rstrip("\n") + f"\n\n## {name.split()[-1]}\n\n{block}\n"
    return page, problems


def main(argv: list[str]) -> int:
    check = "--check" in argv
    page, problems = updated(PAGE.read_text(encoding="utf-8"))
    wrong = [p for p in problems if "no such command" in p] if not check else problems
    for problem in wrong:
        print(f"docs/commands.md: {problem}", file=sys.stderr)
    if check and problems:
        print("Run `make commands` to bring docs/commands.md up to date.", file=sys.stderr)
    if not check and page != PAGE.read_text(encoding="utf-8"):
        PAGE.write_text(page, encoding="utf-8")
        print(f"docs/commands.md: updated ({len(problems)} commands)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
