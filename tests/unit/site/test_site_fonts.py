"""site/render: the site ships the font files of every character a browser may draw."""

from mentorbook.core.fonts import web_faces
from mentorbook.site.render import _shown


def files(shown: frozenset[str]) -> set[str]:
    return {name.split(".", 1)[1] for *_, name, _ in web_faces(shown) if name.startswith("NotoSans-Regular.")}


def test_capitals_escapes_and_references_are_drawn_too():
    assert files(_shown(["<p>Plan the next meeting.</p>"], "p { color: red }")) == {"latin.woff2"}
    # a label set in capitals by the stylesheet: "µ" is drawn as Greek capital mu
    assert "greek.woff2" in files(_shown(["<th>Dose (µg)</th>"], "th { text-transform: uppercase }"))
    assert "cyrillic.woff2" in files(_shown(['var t = "\\u0416";'], ""))  # a script's escape
    assert "latin-ext.woff2" in files(_shown(["<p>&#x141;ukasz</p>"], ""))  # a character reference
    symbols = [name for *_, name, _ in web_faces(_shown(["<p>x</p>"], '.star::after { content: "\\2605"; }'))]
    assert "NotoSansSymbols2-Regular.woff2" in symbols  # a stylesheet's escape
