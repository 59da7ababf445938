"""mentorbook installed like real software: a wheel in a fresh virtual environment, run from an empty folder.

The wheel and the sdist are built from a copy of the source (so nothing is left in the
checkout and no earlier build folder leaks into them). The fresh environment gets
mentorbook from the wheel only; its dependencies come from this test environment through
a path file, so nothing is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY

from mentorbook import __version__

SOURCE = Path(__file__).resolve().parent.parent
SHIPPED = ("pyproject.toml", "README.md", "MANIFEST.in", "generator", "content", "templates", "docs")
NEEDED = ("content/guide/00-introduction.md", "content/worksheets/1-self-reflection.yml",
          "content/examples/sample-workbook.yml", "content/scaffold/mentorbook.yml",
          "content/fonts/NotoSans-Regular.ttf",
          "content/fonts/web/NotoSans-Regular.latin.woff2", "content/fonts/Noto-OFL.txt",
          "templates/print.html", "templates/site.css", "templates/search.js")


def run(*command, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("source")
    for name in SHIPPED:
        path = SOURCE / name
        if path.is_dir():
            shutil.copytree(path, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, root / name)
    return root


@pytest.fixture(scope="module")
def wheel(source_copy, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", ".", "-w", dist,
        cwd=source_copy)
    (found,) = dist.glob("mentorbook-*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with the wheel installed (not editable); returns its bin folder."""
    env = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env)  # this environment's pip installs into it (--python)
    bin_dir = env / "bin"
    purelib = run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                  cwd=env).stdout.strip()
    # this environment's packages, and those it reads through a path file of its own (a
    # virtual environment that shares another one's); path files in them are not read
    shared = [p for p in sys.path if Path(p).name == "site-packages"] or [sysconfig.get_paths()["purelib"]]
    (Path(purelib) / "dependencies.pth").write_text("\n".join(shared) + "\n")
    run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "-q", "--no-deps", "--no-index",
        wheel, cwd=env)
    return bin_dir


def test_wheel_carries_guidance_worksheets_templates_and_fonts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in NEEDED:
        assert f"mentorbook/{needed}" in names, needed
    assert not any("__pycache__" in n for n in names)


def test_sdist_carries_what_the_wheel_is_built_from(source_copy, tmp_path):
    code = f"from setuptools import build_meta; print(build_meta.build_sdist({str(tmp_path)!r}))"
    name = run(sys.executable, "-c", code, cwd=source_copy).stdout.strip().splitlines()[-1]
    with tarfile.open(tmp_path / name) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    for needed in (*NEEDED, "generator/cli/__init__.py", "generator/pipeline.py", "docs/worksheets-reference.md"):
        assert needed in members, needed


def test_installed_wheel_builds_the_sample_like_the_editable_install(fresh, sample_build, tmp_path):
    installed = run(fresh / "python", "-c", "import mentorbook; print(mentorbook.__file__)", cwd=tmp_path).stdout
    assert str(SOURCE) not in installed and "site-packages" in installed
    run(fresh / "mentorbook", "build", "-q", "--today", TODAY.isoformat(), cwd=tmp_path)
    out = tmp_path / "output"
    assert (out / "site" / "index.html").read_bytes() == sample_build.site_index.read_bytes()
    assert (out / "workbook.pdf").read_bytes() == sample_build.pdf.read_bytes()


def test_installed_wheel_starts_a_project_and_builds_it(fresh, tmp_path):
    run(fresh / "mentorbook", "init", "p", cwd=tmp_path)
    project = tmp_path / "p"
    assert (project / "mentorbook.yml").is_file() and list((project / "pages").glob("*.md"))
    with (project / "mentorbook.yml").open("a", encoding="utf-8") as config:
        config.write("practices: [self-reflect]\n")  # the wheel builds a project: the whole guide is built elsewhere
    run(fresh / "mentorbook", "build", "-q", cwd=project)
    assert (project / "output" / "site" / "index.html").is_file()
    assert (project / "output" / "workbook.pdf").read_bytes().startswith(b"%PDF-")


def test_python_dash_m_prints_the_version(fresh, tmp_path):
    assert __version__ in run(fresh / "python", "-m", "mentorbook", "--version", cwd=tmp_path).stdout


def test_init_without_its_scaffold_is_an_error(fresh, tmp_path):
    import json

    where = run(fresh / "python", "-c", "from mentorbook.base.paths import SCAFFOLD_DIR; print(SCAFFOLD_DIR)",
                cwd=tmp_path).stdout.strip()
    hidden = Path(where).with_name("scaffold-hidden")
    Path(where).rename(hidden)
    try:
        result = subprocess.run([str(fresh / "mentorbook"), "init", "p"], cwd=tmp_path, capture_output=True, text=True)
    finally:
        hidden.rename(where)
    assert result.returncode == 2, json.dumps([result.stdout, result.stderr])
    assert "scaffold" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p").exists()


def test_installed_wheel_carries_the_catalogs_and_speaks_spanish(wheel, fresh, tmp_path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"mentorbook/locale/mentorbook.pot", "mentorbook/locale/es/LC_MESSAGES/mentorbook.po",
            "mentorbook/locale/pt_BR/LC_MESSAGES/mentorbook.po",
            "mentorbook/content/guide/pt-BR/00-introduction.md"} <= names
    (tmp_path / "wb.yml").write_text("trainee:\n  name: Ana\n  language: es\n  nmae: x\n", encoding="utf-8")
    result = subprocess.run([str(fresh / "mentorbook"), "check", "wb.yml"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "wb.yml:4:3: error: trainee.nmae: campo desconocido 'nmae' (¿querías decir 'name'?)" in result.stdout
