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
    assert main(["build", "--project", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert "mentorbook.yml:2:16: warning: primary_color: #88ccee is too light for white text on the header" in err
    assert "mentorbook.yml:3:15: warning: accent_color: #ffcc00 is too light for small text" in err
    assert err.count("warning: accent_color") == 1, "once per build"
    page = (tmp_path / "out" / "site" / "index.html").read_text()
    assert "--header: #537c91" in page and "prefers-color-scheme: dark" in page
    assert main(["build", "--project", str(tmp_path), "--out", str(tmp_path / "q"), "--format", "html", "-q"]) == 0
    assert capsys.readouterr().err == "", "-q prints only errors"


def test_a_colour_warning_names_the_pair_that_fails(tmp_path, capsys):
    """An accent that reads on white (4.96:1) but not on the key-point box's tint (4.47:1) blames the box."""
    accent = "#b9501c"
    assert min(contrast(accent, colours.LIGHT_CARD), contrast(accent, colours.LIGHT_BG)) >= 4.5
    assert contrast(accent, colours.LIGHT_SOFT) < 4.5
    (tmp_path / "mentorbook.yml").write_text(f'accent_color: "{accent}"\n')
    assert main(["check", "--project", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    ratio = f"{contrast(accent, colours.LIGHT_SOFT):.2f}:1"
    assert (f"warning: accent_color: {accent} is too light for small text on the tinted key-point box (#fdf1ea): "
            f"{ratio}, needs 4.5:1; small accent text uses") in out
    assert out.count("warning:") == 1 and "on white" not in out
