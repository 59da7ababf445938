"""House rules that hold for the package's source as a whole.

Only the Writer writes to disk; every module imports on its own; imports run one way,
from the command line down to the field types; no module grows past 400 lines,
no function past 60.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import mentorbook

PACKAGE = Path(mentorbook.__file__).resolve().parent
WRITER = PACKAGE / "base" / "writer"  # the one package that writes
MAX_LINES = 400
MAX_FUNCTION_LINES = 60

# Calls that write, move or remove files and folders, by the module they come from ...
MODULE_CALLS = {
    "os": {"replace", "rename", "renames", "remove", "unlink", "rmdir", "removedirs", "mkdir", "makedirs",
           "link", "symlink", "truncate", "chmod", "open", "fdopen", "mkfifo"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "move", "rmtree",
               "make_archive", "unpack_archive"},
}
# ... by method name (pathlib.Path's), whatever they are called on ...
METHODS = {"write_text", "write_bytes", "mkdir", "unlink", "rmdir", "touch", "symlink_to", "hardlink_to",
           "rename"}
# ... and modules whose only purpose here would be to write scratch files.
MODULES = {"tempfile"}
WRITE_MODES = set("wax+")


# The layers of the package, from the bottom up: a module imports only from its own
# package or from layers below it (packages that share a layer never import each other),
# and no chain of imports comes back to where it started.
LAYERS = (
    ("base",),            # errors, languages, paths, safe reading, YAML, the Writer
    ("fields",),          # the field-type registry
    ("program",),         # what a program declares: config, definitions, roles, milestones, directory
    ("core",),            # the pipeline stages: load, validate, assemble (model), render
    ("insights",),        # what mentorbook works out from a workbook: feedback, mentor suggestions
    ("site", "print"),    # the two outputs of a build: the HTML site, the print layout and its PDF
    ("pipeline",),        # runs a whole build: the stages, then the outputs, then the Writer
    ("handouts",),        # agenda, brief, calendar, meeting log
    ("staff", "live"),    # cohorts, reports, import of filled forms; serve and edit
    ("cli",),             # one module per command
    ("", "__main__"),     # the package's public API and `python -m mentorbook`
)
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _mode(node: ast.Call) -> str | None:
    """The mode of an ``open(...)`` or ``path.open(...)`` call, when it is written out."""
    for keyword in node.keywords:
        if keyword.arg == "mode" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    position = 1 if isinstance(node.func, ast.Name) else 0  # open(file, mode) / path.open(mode)
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
            and node.func.value.id in ("io", "os", "gzip", "bz2", "lzma", "codecs"):
        position = 1
    if len(node.args) > position and isinstance(node.args[position], ast.Constant):
        return str(node.args[position].value)
    return None


WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND", "O_TMPFILE"}


def _read_only(call: ast.Call) -> bool:
    """An os.open() whose flags name O_RDONLY and nothing that writes."""
    if len(call.args) < 2:
        return False
    names = {n.attr for n in ast.walk(call.args[1]) if isinstance(n, ast.Attribute)}
    names |= {n.value for n in ast.walk(call.args[1]) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return "O_RDONLY" in names and not names & WRITE_FLAGS


def disk_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for every call in ``source`` that writes to disk."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] in MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in MODULES:
                found.append((node.lineno, f"from {node.module} import ..."))
            found += [(node.lineno, f"from {root} import {a.name}") for a in node.names
                      if a.name in MODULE_CALLS.get(root, ())]
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [(node.lineno, "edits a Writer's .written") for t in targets
                      if isinstance(t, ast.Attribute) and t.attr == "written"]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else None
                if owner == "os" and func.attr == "open" and _read_only(node):
                    pass  # os.open(path, os.O_RDONLY | ...) reads, e.g. without blocking on a FIFO
                elif owner in MODULE_CALLS and func.attr in MODULE_CALLS[owner]:
                    found.append((node.lineno, f"{owner}.{func.attr}()"))
                elif owner not in MODULE_CALLS and func.attr in METHODS:
                    found.append((node.lineno, f".{func.attr}()"))
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "open" and WRITE_MODES & set(_mode(node) or ""):
                found.append((node.lineno, f"open(..., {_mode(node)!r})"))
    return found


def imports_of(path: Path, names: set[str]) -> set[str]:
    """The package's modules (``names``, dotted below the package) that ``path`` imports,
    at module level, inside functions or for type checking alike."""
    here = _module_name(path).split(".")[1:]
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[:len(package) - (node.level - 1)] + ([node.module] if node.module else []))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "mentorbook":
            base = node.module.partition(".")[2]
        elif isinstance(node, ast.Import):
            found |= {a.name.partition(".")[2] for a in node.names if a.name.split(".")[0] == "mentorbook"}
            continue
        else:
            continue
        for alias in node.names:  # "from . import fields" imports a module, "from .x import y" a name
            found.add(f"{base}.{alias.name}".strip(".") if f"{base}.{alias.name}".strip(".") in names else base)
    return found


def import_graph() -> dict[str, set[str]]:
    names = {_module_name(p).partition(".")[2] for p in modules()}
    return {_module_name(p).partition(".")[2]: imports_of(p, names) & names for p in modules()}


def layer_problems(graph: dict[str, set[str]]) -> list[str]:
    """Imports that run up or sideways between layers, and import cycles."""
    def package(name: str) -> str:
        return name.split(".")[0]

    found = [f"{a} imports {b or 'mentorbook'}" for a, targets in sorted(graph.items()) for b in sorted(targets)
             if package(a) != package(b) and RANK[package(b)] >= RANK[package(a)]]
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:  # depth first; a name already on the path closes a cycle
        if name in path:
            found.append("cycle: " + " -> ".join(path[path.index(name):] + [name]))
            return
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            if target != name:
                visit(target, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return found


def test_the_layer_check_finds_upward_sideways_and_cyclic_imports():
    assert layer_problems({"core.load": {"base.errors", "core.model"}, "core.model": set(), "base.errors": set()}) == []
    assert layer_problems({"core.render": {"site.render"}, "site.render": set()}) == ["core.render imports site.render"]
    assert layer_problems({"site.a": {"print.b"}, "print.b": set()}) == ["site.a imports print.b"]
    assert layer_problems({"cli": {""}, "": set()}) == ["cli imports mentorbook"]
    assert layer_problems({"fields.a": {"fields.b"}, "fields.b": {"fields.a"}}) == [
        "cycle: fields.a -> fields.b -> fields.a"]


def test_imports_run_one_way_and_never_in_a_circle():
    graph = import_graph()
    assert {name.split(".")[0] for name in graph} <= set(RANK), "a new package needs its place in LAYERS"
    assert "base.errors" in graph["fields.registry"]  # the graph sees imports
    assert layer_problems(graph) == []


def top_level_names(path: Path) -> set[str]:
    """What a module defines or imports at its top level (and in ``if`` blocks there)."""
    names: set[str] = set()
    body = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while body:
        node = body.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.If, ast.Try)):
            body += [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", []),
                     *(h for handler in getattr(node, "handlers", []) for h in handler.body)]
    return names


def unresolved_imports() -> list[str]:
    """Every ``from`` import of ours, at any depth, whose module or name does not exist:
    a function-level import fails only when it runs, so it is checked here."""
    paths = {_module_name(p): p for p in modules()}
    found = []
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.level or (node.module or "").startswith("mentorbook")):
                continue
            base = ".".join(package[:len(package) - (node.level - 1)] + ([node.module] if node.module else [])) \
                if node.level else node.module
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            if base not in paths:
                found.append(f"{where}: no module {base}")
                continue
            defined = top_level_names(paths[base])
            found += [f"{where}: {base} has no {a.name}" for a in node.names
                      if a.name != "*" and a.name not in defined and f"{base}.{a.name}" not in paths]
    return found


def test_every_import_of_ours_names_a_module_and_a_name_that_exist():
    assert unresolved_imports() == []


def third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> the modules of ours that import it, for every import that is
    neither the standard library's nor ours."""
    found: dict[str, set[str]] = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and not node.level and node.module else []
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "mentorbook":
                    found.setdefault(top, set()).add(_module_name(path))
    return found


def test_every_package_imported_is_a_declared_dependency():
    """What the package imports comes from its declared dependencies (the Dask cluster from the
    'cluster' extra, imported only when a scheduler is given); nothing relies on a package
    that happens to be installed beside it."""
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:  # "dask[distributed]>=2024.1" names dask and distributed
        return {n.strip().lower().replace("_", "-") for r in requirements
                for n in re.split(r"[\[\],]", re.split(r"[<>=!~ ;]", r)[0]) if n.strip()}

    declared, cluster = names(project["dependencies"]), names(project["optional-dependencies"]["cluster"])
    providers = importlib.metadata.packages_distributions()
    imported = third_party_imports()
    assert {"weasyprint", "click", "jinja2", "yaml"} <= set(imported)
    undeclared = {top: users for top, users in imported.items()
                  if not {d.lower().replace("_", "-") for d in providers.get(top, [top])} & (declared | cluster)}
    assert undeclared == {}
    extra = {top for top in imported if {d.lower() for d in providers.get(top, [])} & cluster - declared}
    assert extra == {"distributed"} and imported["distributed"] == {"mentorbook.staff.executor"}


def test_the_scan_finds_every_kind_of_write():
    source = """
import os, shutil
from pathlib import Path
import tempfile  # write
from os import replace  # write
Path("a").write_text("x")  # write
Path("a").write_bytes(b"x")  # write
open("a", "w")  # write
open("a", mode="ab")  # write
Path("a").open("w")  # write
os.replace("a", "b")  # write
os.rename("a", "b")  # write
shutil.copy("a", "b")  # write
shutil.copyfile("a", "b")  # write
Path("d").mkdir()  # write
Path("a").unlink()  # write
writer.written += ["a"]  # write
os.open("a", os.O_WRONLY | os.O_CREAT)  # write
os.open("a", os.O_RDWR)  # write
os.open("a", os.O_RDONLY | os.O_NONBLOCK)
open("a")
open("a", "rb")
Path("a").read_text()
"a-b".replace("-", "")
os.path.join("a", "b")
"""
    expected = [i for i, line in enumerate(source.splitlines(), start=1) if line.endswith("# write")]
    assert sorted(line for line, _ in disk_writes(source)) == expected


def test_only_the_writer_writes_files():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
                 for path in modules() if WRITER not in path.parents
                 for line, what in disk_writes(path.read_text(encoding="utf-8"))]
    assert offenders == [], "write through mentorbook.base.writer instead:\n" + "\n".join(offenders)


def test_no_module_is_longer_than_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of every function or method longer than MAX_FUNCTION_LINES, counted from its
    ``def`` to its last line: decorators left out, its docstring in."""
    return [(node.name, n) for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and (n := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES]


def test_the_length_check_counts_from_def_to_the_end_without_decorators():
    body = "".join(f"    x{i} = {i}\n" for i in range(58))
    fits = '@a\n@b\ndef f():\n    """Doc."""\n' + body  # 60 lines from def, 62 with its decorators
    assert long_functions(fits) == []
    assert long_functions(fits + "    return x0\n") == [("f", 61)]
    method = "class C:\n    async def m(self):\n" + (body * 2).replace("    ", "        ")
    assert long_functions(method) == [("m", 117)]


def test_no_function_is_longer_than_60_lines():
    long = [f"{path.relative_to(PACKAGE)}: {name} ({n} lines)" for path in modules()
            for name, n in long_functions(path.read_text(encoding="utf-8"))]
    assert long == [], "split these functions:\n" + "\n".join(long)


def test_the_public_names_are_the_ones_imported_on_first_use():
    # __all__ is spelled out for linters; the names mentorbook imports lazily must be the same
    assert set(mentorbook.__all__) == {*mentorbook._EXPORTS, "__version__"}
    assert all(getattr(mentorbook, name) is not None for name in mentorbook.__all__)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("mentorbook", *parts))


# Imports every module named on its command line in a process of its own, forked from one
# that has imported the third-party libraries and nothing of mentorbook's: each module
# starts as a fresh interpreter would see it, without paying for WeasyPrint again.
FORKING_IMPORTER = """
import importlib, os, sys
for library in ("click", "jinja2", "markdown", "yaml", "ruamel.yaml", "nh3", "babel", "pypdf", "pikepdf",
                "fontTools.ttLib", "icalendar", "dateutil.rrule", "platformdirs", "weasyprint"):
    importlib.import_module(library)
assert not any(name.split(".")[0] == "mentorbook" for name in sys.modules)
failed = 0
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            print(f"{name}: {exc!r}", flush=True)
            os._exit(1)
        os._exit(0)
    failed += os.waitpid(pid, 0)[1] != 0
sys.exit(1 if failed else 0)
"""


def test_every_module_imports_on_its_own():
    # __main__ too: it runs the command only as `python -m mentorbook`; the entry point imports it
    names = [_module_name(p) for p in modules()]
    assert len(names) > 40 and "mentorbook.base.writer" in names
    halves = [names[::2], names[1::2]]  # two processes, one per core

    def load(part: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", FORKING_IMPORTER, *part], capture_output=True, text=True,
                              timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(load, halves))
    assert [d.stdout.strip() for d in done if d.stdout.strip()] == []
    assert [d.returncode for d in done] == [0, 0], [d.stderr[-2000:] for d in done]


def test_the_forking_importer_reports_a_module_that_does_not_import():
    done = subprocess.run([sys.executable, "-c", FORKING_IMPORTER, "mentorbook.base.errors", "mentorbook.nowhere"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout.startswith("mentorbook.nowhere: ModuleNotFoundError")


def test_every_package_folder_is_in_the_wheel():
    """pyproject.toml lists the packages a wheel carries (the source folder is not named like the
    package): a new one missing there installs a mentorbook that cannot import it."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {_module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set()
