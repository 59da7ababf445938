"""The documentation stays honest: a short README, links that lead somewhere, and a
command reference that names every command and option the command line has."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest

from mentorbook.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS = DOCS / "commands.md"
PAGES = [README, *sorted(DOCS.rglob("*.md"))]

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and code spans, where links are only examples."""
    return CODE.sub("", FENCE.sub("", text))


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.replace("`", "").strip().lower()
    kept = "".join(ch for ch in text
                   if ch in " -_" or unicodedata.category(ch)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        slug = anchor(heading)
        found.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return found


def test_the_readme_is_under_250_lines():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250, f"README.md has {len(lines)} lines; move the detail into docs/"


def test_the_anchor_rule_is_githubs():
    assert anchor("Check it: mistakes and mentoring feedback") == "check-it-mistakes-and-mentoring-feedback"
    assert anchor("mentorbook.yml") == "mentorbookyml"
    assert anchor("The PDF: accessible, typeset, reproducible") == "the-pdf-accessible-typeset-reproducible"
    assert anchor("Fillable PDFs and `import`") == "fillable-pdfs-and-import"
    assert anchor("On paper, or in a PDF form") == "on-paper-or-in-a-pdf-form"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        path, _, fragment = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif not file.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif fragment and file.suffix == ".md" and fragment not in anchors(file):
            broken.append(f"{target}: no heading '#{fragment}' in {file.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: broken links:\n" + "\n".join(broken)


def test_the_link_check_finds_broken_links(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Top\n[a](missing.md) [b](#top) [c](#nowhere) `[d](in-code.md)`\n", encoding="utf-8")
    targets = LINK.findall(prose(page.read_text(encoding="utf-8")))
    assert targets == ["missing.md", "#top", "#nowhere"]
    assert anchors(page) == {"top"}


def sections(text: str) -> dict[str, str]:
    """The text of each `## NAME` section of the command reference, by NAME."""
    parts = re.split(r"^## +(\S+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_is_in_the_command_reference():
    reference = sections(COMMANDS.read_text(encoding="utf-8"))
    root = click.Context(cli, info_name="mentorbook", **cli.context_settings)
    expected = {"mentorbook": cli, **{name: cli.get_command(root, name) for name in cli.list_commands(root)}}
    missing = []
    for name, command in expected.items():
        if name not in reference:
            missing.append(f"no section '## {name}'")
            continue
        ctx = click.Context(command, info_name=name, parent=root, **command.context_settings)
        for param in command.get_params(ctx):
            names = [*param.opts, *param.secondary_opts] if isinstance(param, click.Option) \
                else [param.human_readable_name]
            missing += [f"{name}: {option}" for option in names
                        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", reference[name])]
    assert not missing, "docs/commands.md lacks (run `make commands`, then describe them):\n" + "\n".join(missing)


def test_the_generated_parts_of_the_command_reference_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "command_reference.py"), "--check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_every_docs_page_is_reachable_from_the_readme_or_the_map():
    linked = set()
    for page in (README, DOCS / "index.md"):
        for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
            path = target.partition("#")[0]
            if path and not re.match(r"^[a-z][a-z0-9+.-]*:", path):
                linked.add((page.parent / path).resolve())
    unlinked = [p.relative_to(ROOT) for p in DOCS.glob("*.md") if p.resolve() not in linked]
    assert not unlinked, f"pages no one links to: {unlinked}"
