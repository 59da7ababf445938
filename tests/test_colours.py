"""Accessible shades from any brand colours, and warnings located in mentorbook.yml."""

from __future__ import annotations

import pytest

from mentorbook.cli import main
from mentorbook.program import colours
from mentorbook.program.colours import contrast, palette

BRANDS = [("#1d4e89", "#d9622b"), ("#0f5c5c", "#c2410c"), ("#88ccee", "#ffcc00"), ("#ffffff", "#ffffff"),
          ("#000000", "#000000"), ("#777777", "#ff00ff")]


@pytest.mark.parametrize("primary, accent", BRANDS)
def test_every_derived_shade_has_the_contrast_it_is_used_for(primary, accent):
    shades = palette(primary, accent)
    for values, (bg, card, soft, tint) in ((shades.light, (colours.LIGHT_BG, colours.LIGHT_CARD, colours.LIGHT_SOFT,
                                                           colours.LIGHT_TINT)),
                                           (shades.dark, (colours.DARK_BG, colours.DARK_CARD, colours.DARK_SOFT,
                                                          colours.DARK_TINT))):
        assert contrast("#ffffff", values["header"]) >= 4.5  # header text
        for surface in (bg, card, tint):
            assert contrast(values["primary"], surface) >= 4.5
            assert contrast(values["primary-dark"], surface) >= 4.5
        for surface in (bg, card, soft):
            assert contrast(values["accent-ink"], surface) >= 4.5
        for surface in (bg, card):
            assert contrast(values["focus"], surface) >= 3
        assert contrast(values["focus-on-header"], values["header"]) >= 3


def test_a_usable_colour_is_kept_as_given():
    assert palette("#0f5c5c", "#c2410c").light["header"] == "#0f5c5c"
    assert colours.colour_notices("#0f5c5c", "#c2410c") == []


def test_colours_that_cannot_be_used_as_given_are_warnings_with_their_line(tmp_path, capsys):
    (tmp_path / "mentorbook.yml").write_text('program: Light\nprimary_color: "#88ccee"\naccent_color: "#ffcc00"\n')
    assert main(["build", "--project", str(tmp_path), "--out", str(tmp_path / "out"), "-q", "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert "mentorbook.yml:2:16: warning: primary_color: #88ccee is too light for white text" in err
    assert "mentorbook.yml:3:15: warning: accent_color: #ffcc00 is too light for small text" in err
    page = (tmp_path / "out" / "site" / "index.html").read_text()
    assert "--header: #537c91" in page and "prefers-color-scheme: dark" in page
