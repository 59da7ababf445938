"""core/render: templates translate with _(), ngettext() and the rest exactly as Jinja's i18n
extension does (newstyle), without loading it for mentorbook's own templates."""

from __future__ import annotations

import jinja2
import pytest

from mentorbook.base.i18n import language
from mentorbook.core.render import Renderer, gettext_functions
from mentorbook.program.project import BUILTIN

TEMPLATE = "|".join([
    '{{ _("Worksheet") }}', '{{ gettext("Home") }}', '{{ _("Hello %(name)s", name=who) }}', '{{ _("100%%") }}',
    '{{ ngettext("%(num)d entry", "%(num)d entries", n) }}',
    '{{ ngettext("one of %(what)s", "%(num)s of %(what)s", n, what=who) }}',
    '{{ pgettext("menu", "Open") }}', '{{ npgettext("list", "%(num)d item", "%(num)d items", n) }}',
    '{{ _("%(context)s", context=who) }}'])


def rendered(env: jinja2.Environment, **values) -> str:
    return env.from_string(TEMPLATE).render(**values)


@pytest.mark.parametrize("tag", ["en", "es"])
@pytest.mark.parametrize("autoescape", [True, False])
@pytest.mark.parametrize("n", [0, 1, 7])
def test_the_same_text_as_the_i18n_extension(tag, autoescape, n):
    translations = language(tag).translations
    theirs = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    theirs.install_gettext_translations(translations, newstyle=True)
    ours = jinja2.Environment(autoescape=autoescape)
    ours.globals.update(gettext_functions(translations))
    who = "<b>Ana & Luis</b>"
    assert rendered(ours, who=who, n=n) == rendered(theirs, who=who, n=n)
    if tag == "es":
        assert rendered(ours, who=who, n=n).startswith("Hoja de trabajo|")


def test_a_format_string_without_its_value_fails_as_with_the_extension():
    ours = jinja2.Environment(autoescape=True)
    ours.globals.update(gettext_functions(language("en").translations))
    with pytest.raises(KeyError):
        ours.from_string('{{ _("Hello %(name)s") }}').render()


def test_a_programs_own_templates_may_use_the_trans_tag(tmp_path):
    (tmp_path / "page.html").write_text("{% trans who=who %}Hello {{ who }}{% endtrans %}")
    spanish = language("es")
    assert Renderer((tmp_path, *BUILTIN.template_dirs), spanish).render("page.html", who="<i>") == "Hello &lt;i&gt;"
    assert "jinja2.ext.InternationalizationExtension" in Renderer((tmp_path, *BUILTIN.template_dirs)).env.extensions
    assert Renderer(BUILTIN.template_dirs).env.extensions == {}  # mentorbook's own need none
