"""site/render: the site ships the font files of every character a browser may draw."""

from html import unescape

import pytest

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


@pytest.mark.parametrize("text", [
    "<p>It&#39;s &amp; &lt;b&gt; &quot;x&quot;</p>",
    "<p>&#x141;ukasz &#8211; &#150; &#0; &#xD800; &#65535; &#x10FFFF; &#1114112; &#99999999999;</p>",
    "<p>&nbsp;&eacute;&Alpha;&copy &notit; &amp;#945; &AMP; &unknown; & alone &#; &#x;</p>",
    "<p>&#x416;&#1046;&#X416</p>",
    "<p>&notin x, &notinx;, &copysr, &in; &eacute-x &not-in &AElig &ampx</p>",  # names without a semicolon
    "<p>&#0000000065;&#x0000000e9;&#000000000000000000233 &#x00000010FFFF; &#0;</p>",  # leading zeros
])
def test_references_give_the_characters_html_unescape_gives(text):
    """A page's characters with its references resolved: as html.unescape resolves the whole page
    (the references' own characters are counted too: they are ASCII, like the markup)."""
    cased = set(text) | set(unescape(text))
    expected = cased | set("".join(cased).upper()) | set("".join(cased).lower())
    assert _shown([text], "") == frozenset(expected)


def test_a_reference_too_long_for_a_number_is_a_replacement_character():
    # html.unescape itself gives up on it (ValueError: too many digits); a browser shows U+FFFD
    assert "\ufffd" in _shown(["<p>&#" + "9" * 5000 + "; and &#x" + "f" * 5000 + ";</p>"], "")
