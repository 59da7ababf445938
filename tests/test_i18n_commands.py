"""Every command in the program's language: a Spanish program's project and the Spanish sample
run through build, blank, fillable, agenda, brief, calendar, log, report, cohort, import, check
and schema, and no output or message holds an English text of mentorbook's catalog or an English
choice label; texts per language in every text key of a definition; locale-correct data (2,5
horas, names sorted as a Spanish reader sorts them, search without accents); a language without
a catalog shown honestly as English; the Brazilian sample's messages in Portuguese."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import SPANISH_WORKBOOK, write
from test_i18n import english_in, english_strings, normalize, site_texts

from mentorbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"

# A worksheet with a text per language in every key that takes one (deftexts.TEXT_KEYS and the
# texts inside suggestions, anchors and choices).
CHECKIN = """\
id: checkin
title: {en: Quarterly check-in, es: Revisión trimestral}
practice: cultivate
order: 20
intro: {en: Look back on the quarter together., es: Repasen juntos el trimestre.}
fields:
  - type: heading
    label: {en: Where we stand, es: Dónde estamos}
    text: {en: "A short look at the **last three months**.", es: "Un breve repaso de los **últimos tres meses**."}
  - type: instructions
    text: {en: Answer each part before the meeting., es: Responde cada parte antes de la reunión.}
  - id: hours
    label: {en: Hours a month, es: Horas al mes}
    prompt: {en: How long do you meet each month?, es: ¿Cuánto tiempo se reúnen cada mes?}
    type: number
    unit: {en: hours, es: horas}
  - id: pace
    label: {en: Pace, es: Ritmo}
    type: choice
    choices:
      - {value: steady, label: {en: Steady, es: Constante}}
      - {value: rushed, label: {en: Rushed, es: Apresurado}}
  - id: skills
    label: {en: Skills, es: Habilidades}
    type: matrix
    item_label: {en: Skill, es: Habilidad}
    suggestions:
      - {en: Scientific writing, es: Redacción científica}
      - {en: Presenting, es: Presentaciones orales}
    fields:
      - id: mine
        label: {en: My rating, es: Mi calificación}
        type: rating
        anchors: {1: {en: Beginning, es: Inicial}, 5: {en: Advanced, es: Avanzado}}
"""
CHECKIN_DATA = """
checkin:
  hours: 2.5
  pace: steady
  skills:
    - {item: Redacción científica, mine: 3}
"""
ROSTER = ("name,role,program,start_date,mentors,email,workbook\n"
          "Zoe Ruiz,R1,Pediatría,2026-03-01,Dr. Ernesto Villaseñor,,\n"
          "Élida Paz,R2,Pediatría,2025-03-01,,,\n"
          "Álvaro Núñez,R1,Pediatría,2026-03-01,,,\n"
          "Dra. Valeria Quintana Ríos,R2,Medicina Interna,2025-03-01,,,valeria.yml\n")
# Ten mistakes a person typically makes, in three files (a YAML mistake stops the file it is in).
MISTAKES = {
    "errores.yml": """\
trainee:
  name: Ana Gómez
  rol: Residente
  language: es
  start_date: 2026-02-30
self_reflection:
  skill_areas:
    - {area: Docencia, priority: alta}
    - {area: Escritura, priority: urgente}
  goals: Publicar un artículo
mentors:
  - name: Dra. Ruiz
    competence: 7
    confidence: mucha
    decision: talvez
agreements:
  - mentor: Dra. Rius
    frequency: mensual
metas: []
""",
    "tabulador.yml": "trainee:\n  name: Ana\n  language: es\nmentors:\n\t- name: Dra. Ruiz\n",
    "comillas.yml": 'trainee:\n  name: "Ana\n  language: es\n',
}


def spanish_program(root: Path) -> Path:
    """A program's project in Spanish: its own worksheet, a roster, and the Spanish sample with it."""
    (root / "worksheets").mkdir(parents=True)
    (root / "worksheets" / "checkin.yml").write_text(CHECKIN, encoding="utf-8")
    (root / "mentorbook.yml").write_text("program: Programa de Mentoría Clínica\nlanguage: es\n", encoding="utf-8")
    (root / "valeria.yml").write_text(SPANISH_WORKBOOK.read_text(encoding="utf-8") + CHECKIN_DATA, encoding="utf-8")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return root


def run(capsys, said: list[str], *args: str) -> int:
    code = main(list(args))
    out = capsys.readouterr()
    said.append(out.out + "\n" + out.err)
    return code


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def english_labels(code: str) -> list[str]:
    """The English labels of the built-in worksheets' choices that the language says otherwise
    ("Monthly", "Rotating (one focus per meeting)"), and this test's worksheet's."""
    from mentorbook.base.i18n import language
    from mentorbook.core.load import load_sources
    from mentorbook.core.localize import localize_definitions

    sources, _ = load_sources()
    local, _ = localize_definitions(sources.definitions, language(code))

    def labels(fields):
        for f in fields:
            yield from ((c.value, c.label) for c in f.choices)
            yield from labels(f.fields)

    english = dict(p for d in sources.definitions for p in labels(d.fields))
    translated = dict(p for d in local for p in labels(d.fields))
    return sorted({label for value, label in english.items()  # ("Me", "No" are Spanish words too; a label that
                   if translated.get(value) != label and len(label) > 3  # is its value is what YAML holds)
                   and label.casefold() != value.casefold()} | {"Steady", "Rushed"})


@pytest.fixture(scope="module")
def spanish_outputs(tmp_path_factory) -> dict:
    """Every command run on the Spanish program's project: its outputs' texts and its messages."""
    import contextlib

    root = spanish_program(tmp_path_factory.mktemp("programa-es"))
    out = root / "salida"
    project = ["--project", str(root)]
    workbook = str(root / "valeria.yml")
    said: list[str] = []
    texts: dict[str, str] = {}

    class Capture:  # capsys is function-scoped: a module fixture captures with contextlib
        def readouterr(self):
            value = type("Out", (), {"out": stdout.getvalue(), "err": stderr.getvalue()})
            stdout.seek(0), stdout.truncate(), stderr.seek(0), stderr.truncate()
            return value

    stdout, stderr = io.StringIO(), io.StringIO()
    capture = Capture()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        codes = {
            "build": run(capture, said, "build", workbook, *project, "--out", str(out / "sitio"), "--format", "html",
                         "--today", TODAY),
            "blank": run(capture, said, "build", *project, "--out", str(out / "guia"), "--format", "html",
                         "--today", TODAY),
            "fillable": run(capture, said, "build", workbook, *project, "--fillable", "--format", "pdf",
                            "--out", str(out / "rellenable"), "--today", TODAY),
            "agenda": run(capture, said, "agenda", workbook, *project, "-m", "Ernesto", "--date", "2026-12-10",
                          "--out", str(out)),
            "brief": run(capture, said, "brief", workbook, *project, "-m", "Ernesto", "--date", "2026-12-10",
                         "--out", str(out)),
            "calendar": run(capture, said, "calendar", workbook, *project, "-o", str(out / "mentoria.ics")),
            "log": run(capture, said, "log", workbook, *project, "-m", "Ernesto", "--date", "2026-12-10", "-n"),
            "report": run(capture, said, "report", workbook, "--roster", str(root / "roster.csv"), *project,
                          "--out", str(out / "informe"), "--today", TODAY),
            "cohort": run(capture, said, "cohort", str(root / "roster.csv"), *project, "--format", "html",
                          "--jobs", "1", "--out", str(out / "cohorte"), "--today", TODAY),
            "import": run(capture, said, "import", str(out / "rellenable" / "workbook.pdf"), *project,
                          "-o", str(out / "importado.yml")),
            "schema": run(capture, said, "schema", *project),
        }
        mistakes = [write(root, name, text) for name, text in MISTAKES.items()]
        codes["check"] = [run(capture, said, "check", str(m), *project, "--today", TODAY) for m in mistakes]
    texts["site"] = site_texts(out / "sitio" / "site")
    texts["guide"] = site_texts(out / "guia" / "site")
    texts["fillable"] = normalize(pdf_text(out / "rellenable" / "workbook.pdf"))
    for kind in ("agenda", "brief"):
        (html,) = (out / kind).glob("*.html")
        texts[kind] = normalize(BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" "))
    texts["calendar"] = normalize((out / "mentoria.ics").read_text(encoding="utf-8").replace("\\n", " ")
                                  .replace("\r\n ", ""))
    texts["report"] = normalize(BeautifulSoup((out / "informe" / "report.html").read_text(encoding="utf-8"),
                                              "html.parser").get_text(" "))
    texts["report.csv"] = (out / "informe" / "report.csv").read_text(encoding="utf-8")
    texts["cohort"] = normalize(BeautifulSoup((out / "cohorte" / "index.html").read_text(encoding="utf-8"),
                                              "html.parser").get_text(" "))
    texts["summary.csv"] = (out / "cohorte" / "summary.csv").read_text(encoding="utf-8")
    texts["import"] = (out / "importado.yml").read_text(encoding="utf-8")
    schema = json.loads(said[list(codes).index("schema")].split("\n\n")[0].strip() or "{}")
    texts["schema"] = " ".join(v for k, v in _walk(schema) if k in ("title", "description") and isinstance(v, str))
    return {"codes": codes, "said": said, "texts": texts, "schema": schema, "root": root, "out": out}


def _walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def test_every_command_speaks_spanish(spanish_outputs):
    codes, texts, said = spanish_outputs["codes"], spanish_outputs["texts"], spanish_outputs["said"]
    assert {k: v for k, v in codes.items() if k != "check"} == {
        "build": 0, "blank": 0, "fillable": 0, "agenda": 0, "brief": 0, "calendar": 0, "log": 0, "report": 0,
        "cohort": 0, "import": 0, "schema": 0}
    assert codes["check"] == [2, 2, 2]
    english = english_strings("es")
    labels = english_labels("es")
    everything = {**texts, "messages": normalize(" ".join(said))}
    for name, text in everything.items():
        assert english_in(normalize(text), english) == [], name
        if name != "import":  # (a workbook holds the choices' values, not their labels)
            assert [label for label in labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)] == [], name
        assert "{'" not in text, name
    messages = everything["messages"]
    for spanish in ("Generando", "Sitio:", "Listo en", "Agenda:", "Sobre mí:", "Calendario:", "Informe escrito en",
                    "cuadernos generados", "tema", "respuestas", "error de sintaxis YAML"):
        assert spanish in messages, spanish
    assert "Site:" not in messages and "warning:" not in messages and "note:" not in messages


def test_ten_typical_mistakes_are_told_in_spanish(spanish_outputs):
    said = " ".join(spanish_outputs["said"][-3:])
    root = spanish_outputs["root"]
    found = [line for line in said.splitlines() if re.search(r"\.yml:\d+(:\d+)?: (error|aviso|nota): ", line)]
    expected = [
        "errores.yml:3:3: error: trainee.rol: campo desconocido 'rol' (¿querías decir 'role'?)",
        "errores.yml:5:15: error: trainee.start_date: '2026-02-30' no es una fecha",
        "errores.yml:8:34: nota: self_reflection.skill_areas[0].priority: 'alta' es el nombre de la opción 'high'",
        "errores.yml:9:35: error: self_reflection.skill_areas[1].priority: 'urgente' no es una de las opciones",
        "errores.yml:10:10: error: self_reflection.goals: se esperaba una lista",
        "errores.yml:13:17: error: mentors[0].competence: la calificación 7 está fuera de la escala de 1 a 5",
        "errores.yml:14:17: error: mentors[0].confidence: se esperaba un número entero de la escala de calificación",
        "errores.yml:15:15: error: mentors[0].decision: 'talvez' no es una de las opciones",
        "errores.yml:17:13: error: agreements[0].mentor: 'Dra. Rius' no está en la lista",
        "errores.yml:18:16: nota: agreements[0].frequency: 'mensual' es el nombre de la opción 'monthly'",
        "errores.yml:19:1: error: metas: sección desconocida 'metas'",
        "tabulador.yml:5:1: error: error de sintaxis YAML: la línea 5 tiene sangría con un tabulador",
        "comillas.yml:2:9: error: error de sintaxis YAML: al leer un texto entre comillas, el archivo termina",
    ]
    for text in expected:
        assert any(text in line for line in found), (text, "\n".join(found))
    assert str(root) in said


def test_the_json_schema_is_in_the_programs_language(spanish_outputs):
    schema = spanish_outputs["schema"]
    assert schema["title"] == "Cuaderno de mentorbook"
    assert schema["properties"]["trainee"]["title"] == "Persona en formación"
    assert schema["properties"]["checkin"]["title"] == "Revisión trimestral"
    assert schema["properties"]["checkin"]["properties"]["hours"]["description"] == "¿Cuánto tiempo se reúnen cada mes?"
    mentor = schema["properties"]["agreements"]["items"]["properties"]["mentor"]
    assert "Debe coincidir" in mentor["description"]


def test_report_and_cohort_in_spanish_with_names_sorted_as_a_spanish_reader_sorts_them(spanish_outputs):
    texts = spanish_outputs["texts"]
    rows = list(csv.reader(io.StringIO(texts["report.csv"])))
    assert rows[0][:4] == ["persona en formación", "cargo", "archivo", "estado"]
    assert [r[0] for r in rows[1:]] == ["Álvaro Núñez", "Dra. Valeria Quintana Ríos", "Élida Paz", "Zoe Ruiz"]
    assert {r[3] for r in rows[1:]} == {"correcto", "sin cuaderno"}
    assert "Informe de avance de la cohorte" in texts["report"]
    summary = list(csv.reader(io.StringIO(texts["summary.csv"])))
    assert summary[0] == ["persona en formación", "pdf", "páginas", "estado", "problemas"]


def test_texts_per_language_and_numbers_in_the_builds_language(spanish_outputs):
    site = spanish_outputs["out"] / "sitio" / "site" / "cultivate.html"
    text = normalize(BeautifulSoup(site.read_text(encoding="utf-8"), "html.parser").get_text(" "))
    for spanish in ("Revisión trimestral", "Repasen juntos el trimestre.", "Dónde estamos", "últimos tres meses",
                    "Responde cada parte", "Horas al mes", "2,5 horas", "Ritmo", "Constante", "Habilidad",
                    "Redacción científica", "Mi calificación"):
        assert spanish in text, spanish
    fillable = spanish_outputs["texts"]["fillable"]  # the suggested rows and the anchors, on paper too
    assert "Presentaciones orales" in fillable and "1 = Inicial · 5 = Avanzado" in fillable
    assert "Beginning" not in fillable and "Scientific writing" not in fillable


def test_an_imported_spanish_fillable_keeps_its_language(spanish_outputs):
    imported = spanish_outputs["texts"]["import"]
    assert imported.startswith("# Importado de workbook.pdf")
    data = yaml.safe_load(imported)
    assert data["trainee"]["language"] == "es"
    assert data["checkin"]["hours"] == 2.5 and data["checkin"]["pace"] == "steady"


def test_texts_per_language_build_in_english_and_a_missing_one_is_one_notice(tmp_path, capsys):
    root = spanish_program(tmp_path / "p")
    (root / "mentorbook.yml").write_text("program: Clinical Mentoring\n", encoding="utf-8")
    english = write(tmp_path, "en.yml", "trainee:\n  name: Ann Lee\n" + CHECKIN_DATA.replace("Redacción científica",
                                                                                              "Scientific writing"))
    assert main(["build", str(english), "--project", str(root), "--out", str(tmp_path / "en"), "--format", "html",
                 "--today", TODAY, "-q"]) == 0
    site = tmp_path / "en" / "site"
    text = site_texts(site)
    for words in ("Quarterly check-in", "Where we stand", "last three months", "Hours a month", "2.5 hours", "Steady",
                  "Skill", "My rating"):
        assert words in text, words
    assert not any("{'" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))
    sheet = root / "worksheets" / "checkin.yml"
    sheet.write_text(CHECKIN.replace("unit: {en: hours, es: horas}", "unit: {en: hours}"), encoding="utf-8")
    (root / "mentorbook.yml").write_text("language: es\n", encoding="utf-8")
    code = main(["build", str(root / "valeria.yml"), "--project", str(root), "--out", str(tmp_path / "es"),
                 "--format", "html", "--today", TODAY])
    said = capsys.readouterr().err
    notices = [line for line in said.splitlines() if "no hay texto en español" in line]
    assert code == 0 and notices == [f"{sheet}:16:5: nota: checkin.hours.unit: no hay texto en español; se usa el "
                                     "texto en inglés (agrega 'es: ...' a la lista de textos por idioma)"]


def test_a_text_per_language_where_one_text_is_meant_is_a_located_error(tmp_path, capsys):
    root = spanish_program(tmp_path / "p")
    sheet = root / "worksheets" / "checkin.yml"
    sheet.write_text(CHECKIN.replace("  - id: pace\n", "  - id: {en: pace, es: ritmo}\n"), encoding="utf-8")
    assert main(["check", "--project", str(root)]) == 2
    err = capsys.readouterr()
    assert f"{sheet}:17:5: error: id: 'id' admite un solo texto, no un texto por idioma" in err.out + err.err


def test_searching_without_accents_finds_every_accented_word(browser, spanish_sample_site):
    from mentorbook.site.search import fold

    index = json.loads((spanish_sample_site / "assets" / "search-index.js").read_text(encoding="utf-8")
                       .removeprefix("window.MENTORBOOK_SEARCH = ").rstrip().rstrip(";")) \
        if (spanish_sample_site / "assets" / "search-index.js").is_file() else None
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((spanish_sample_site / "cultivate.html").resolve().as_uri())
    if index is None:
        index = page.evaluate("() => window.MENTORBOOK_SEARCH.map(e => ({heading: e.heading, text: e.text, "
                              "page: e.page, url: e.url}))")
    def holds(entry, word):  # a word of the section starts with ``word`` (as search matches)
        return re.search(rf"(?<!\w){word}", " ".join((entry["heading"], entry["text"], entry["page"])).lower())

    accented = [e for e in index if holds(e, "reflexión")]
    with_word = [e for e in index
                 if re.search(r"(?<!\w)reflexion", fold(" ".join((e["heading"], e["text"], e["page"]))))]
    assert len(accented) >= 2 and all(e in with_word for e in accented)
    found = {}
    for query in ("reflexion", "reflexión", "REFLEXION"):
        page.fill("#search-input", "")
        page.locator("#search-input").press_sequentially(query)
        page.wait_for_selector("#search-results a", timeout=5000)
        found[query] = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.getAttribute('href'))")
        marks = page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")
        assert marks and all(fold(m).startswith("reflexion") for m in marks), marks
    assert found["reflexion"] == found["reflexión"] == found["REFLEXION"]
    assert len(found["reflexion"]) == min(8, len(with_word))  # every section with the word, as many as are shown
    page.close()


@pytest.fixture(scope="module")
def french_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("fr")
    workbook = write(root, "fr.yml", "trainee:\n  name: Marie Dupont\n  language: fr\n  updated: 2026-11-05\n"
                                     "self_reflection:\n  values: [Honnêteté]\n")
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["build", str(workbook), "--out", str(root / "out"), "--format", "html", "--today", TODAY]) == 0
    return root / "out" / "site", workbook, err.getvalue()


def test_a_language_without_texts_is_english_said_so_and_located(french_site):
    site, workbook, said = french_site
    notices = [line for line in said.splitlines() if "no texts in French" in line]
    assert notices == [f"{workbook}:3:13: notice: trainee.language: no texts in French ('fr'): mentorbook's own "
                       "texts, its guidance pages and the built-in worksheets stay in English, and the pages say so "
                       "(lang=\"en\") (to have them in French, translate mentorbook: see \"Translations\" in the "
                       "README)"]
    english = english_strings("es")
    for page in sorted(site.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == "en" and not soup.html.get("dir")
        for block in soup.find_all(["p", "li", "h1", "h2", "h3", "dt", "th", "td", "a"]):
            if english_in(normalize(block.get_text(" ")), english):  # an English paragraph...
                assert block.find_parent(lang=True)["lang"].startswith("en") or block.get("lang", "").startswith("en")
    home = normalize(BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" "))
    assert "5 November 2026" in home and "novembre" not in home  # dates in the sentence's language


def test_a_language_without_texts_passes_the_language_audit(browser, french_site):
    from browser import AXE

    site, _, _ = french_site
    page = browser.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], preload: false, "
                            "runOnly: ['html-has-lang', 'html-lang-valid', 'valid-lang', 'html-xml-lang-mismatch']})")
    assert results["violations"] == []
    page.close()


def test_the_brazilian_sample_says_everything_in_portuguese(tmp_path, capsys):
    sample = ROOT / "content" / "examples" / "sample-workbook-pt-BR.yml"
    said = []
    assert run(capsys, said, "build", str(sample), "--out", str(tmp_path / "o"), "--format", "html",
               "--today", TODAY) == 0
    assert run(capsys, said, "calendar", str(sample), "-o", str(tmp_path / "c.ics")) == 0
    assert run(capsys, said, "log", str(sample), "-m", "Tavares", "--date", "2026-12-10", "-n") == 0
    bad = write(tmp_path, "ruim.yml", "trainee:\n  name: Ana\n  language: pt-BR\nmentors:\n  - name: Dr. X\n"
                                      "    competence: muita\n    decison: ask\n")
    assert run(capsys, said, "check", str(bad)) == 2
    messages = normalize(" ".join(said))
    assert english_in(messages, english_strings("pt_BR")) == []
    for portuguese in ("Gerando", "Site:", "Pronto em", "Calendário:", "esperava-se um número inteiro",
                       "campo desconhecido"):
        assert portuguese in messages, portuguese


def test_a_text_that_falls_back_to_english_says_so(tmp_path):
    root = spanish_program(tmp_path / "p")
    sheet = root / "worksheets" / "checkin.yml"
    sheet.write_text(CHECKIN.replace("title: {en: Quarterly check-in, es: Revisión trimestral}",
                                     "title: {en: Quarterly check-in}")
                     .replace("label: {en: Pace, es: Ritmo}", "label: {en: Pace}"), encoding="utf-8")
    assert main(["build", str(root / "valeria.yml"), "--project", str(root), "--out", str(tmp_path / "o"),
                 "--format", "html", "--today", TODAY, "-q"]) == 0
    soup = BeautifulSoup((tmp_path / "o" / "site" / "cultivate.html").read_text(encoding="utf-8"), "html.parser")
    title = soup.find(id="ws-checkin-title")
    assert title.get_text() == "Quarterly check-in" and title["lang"] == "en"
    pace = next(dt for dt in soup.find_all("dt") if dt.get_text() == "Pace")
    assert pace["lang"] == "en"
    assert not soup.find("dt", string="Horas al mes").get("lang")  # the Spanish ones say nothing: the page is Spanish


def test_measurable_goals_are_judged_with_the_languages_own_words(tmp_path, capsys):
    goals = ("self_reflection:\n  goals:\n    - title: Caso\n      term: short\n      measurable: {measure}\n"
             "      target_date: 2027-01-31\n")
    said = {}
    for tag, measure in (("es", "Manuscrito enviado"), ("es", "Hacerlo mejor"), ("fr", "Manuscrit envoyé")):
        workbook = write(tmp_path, f"{tag}.yml", f"trainee:\n  name: Ana\n  language: {tag}\n"
                                                 + goals.format(measure=measure))
        main(["check", str(workbook), "--today", TODAY])
        said[measure] = capsys.readouterr().out
    assert "es imprecisa" not in said["Manuscrito enviado"]  # "enviado" is an observable result in Spanish
    assert "la forma de medir la meta 'Caso' es imprecisa" in said["Hacerlo mejor"]
    assert "the check of vague measures has no words in French: it is off" in said["Manuscrit envoyé"]
    assert "is vague" not in said["Manuscrit envoyé"]


def test_import_log_and_init_errors_speak_spanish(tmp_path, capsys):
    """A hostile or foreign file handed to `import`, a meeting logged twice and `init` in Spanish: every
    message in Spanish, with no English text of the catalog."""
    import zlib

    root = tmp_path / "p"
    root.mkdir()
    (root / "mentorbook.yml").write_text("language: es\n", encoding="utf-8")
    bomb = zlib.compress(b"\0" * (80 * 1024 * 1024), 9)
    (root / "bomba.pdf").write_bytes(b"%%PDF-1.7\n1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n"
                                     % len(bomb) + bomb + b"\nendstream\nendobj\n%%EOF\n")
    (root / "nota.pdf").write_text("no soy un PDF", encoding="utf-8")
    workbook = root / "yo.yml"
    workbook.write_text(SPANISH_WORKBOOK.read_text(encoding="utf-8"), encoding="utf-8")
    said = []
    project = ["--project", str(root)]
    codes = [run(capsys, said, "import", str(root / "bomba.pdf"), *project, "-o", str(tmp_path / "a.yml")),
             run(capsys, said, "import", str(root / "nota.pdf"), *project, "-o", str(tmp_path / "b.yml")),
             run(capsys, said, "log", str(workbook), "-m", "Ernesto", "--date", "2026-12-10", "-q"),
             run(capsys, said, "log", str(workbook), "-m", "Ernesto", "--date", "2026-12-10"),
             run(capsys, said, "init", str(tmp_path / "nuevo"), "--language", "es"),
             run(capsys, said, "init", str(tmp_path / "nuevo"), "--language", "es")]
    assert codes == [2, 2, 0, 2, 0, 2]
    assert "rechazado: sus flujos comprimidos se descomprimen en más de 64 MiB" in said[0]
    assert "nota.pdf: no es un archivo PDF" in said[1]
    assert "la reunión del 2026-12-10 ya está registrada (edita esa entrada o indica otra --date)" in said[3]
    assert "el cuaderno no se cambió" in said[3]
    assert "Proyecto de mentorbook creado en" in said[4] and "Siguiente paso:" in said[4]
    assert "no se sobrescribe" in said[5] and "elige una carpeta vacía o nueva" in said[5]
    assert "language: es" in (tmp_path / "nuevo" / "mentorbook.yml").read_text(encoding="utf-8")
    assert english_in(normalize(" ".join(said)), english_strings("es")) == []


def test_a_spanish_projects_page_and_document_mistakes_are_said_in_spanish(tmp_path, capsys):
    """A guidance page whose front matter never ends, a page naming a worksheet that does not exist
    and a document listing one: `check` says each in the project's language."""
    said: list[str] = []
    unended = tmp_path / "a"
    (unended / "pages").mkdir(parents=True)
    (unended / "mentorbook.yml").write_text("language: es\n", encoding="utf-8")
    (unended / "pages" / "bienvenida.md").write_text("---\ntitle: Bienvenida\n\nTexto.\n", encoding="utf-8")
    assert run(capsys, said, "check", "--project", str(unended)) == 2
    wrong = tmp_path / "b"
    (wrong / "pages").mkdir(parents=True)
    (wrong / "mentorbook.yml").write_text("language: es\ndocuments:\n  - id: compacto\n    title: Compacto\n"
                                          "    worksheets: [mentros]\n", encoding="utf-8")
    (wrong / "pages" / "guia.md").write_text("---\ntitle: Guía\n---\nVea {worksheet:mentros}.\n", encoding="utf-8")
    assert run(capsys, said, "check", "--project", str(wrong)) == 2
    text = "\n".join(said)
    assert "el encabezado de la página empieza con '---' pero no termina" in text, text
    assert "ciérralo con una segunda línea '---'" in text
    assert "no hay ninguna hoja de trabajo 'mentros' para {worksheet:mentros}" in text, text
    assert "no hay ninguna hoja de trabajo 'mentros' para el documento 'compacto'" in text
    assert "¿querías decir 'mentors'?" in text
    assert english_in(normalize(text), english_strings("es")) == []
