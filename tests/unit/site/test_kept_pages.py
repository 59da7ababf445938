"""site/render: a page kept from an earlier build of the process is used only when it is made of the same."""

from mentorbook.site import render as site_render


def test_a_kept_page_is_used_only_for_what_reads_the_same():
    kept = [(("entries", ({"hours": 3},)),), "<p>3</p>", None]
    assert site_render._same(kept, (("entries", ({"hours": 3},)),))
    assert not site_render._same(kept, (("entries", ({"hours": 4},)),))
    # equal in Python, shown differently: rendered again
    assert not site_render._same(kept, (("entries", ({"hours": 3.0},)),))
    assert not site_render._same([((True,),), "", None], ((1,),))
