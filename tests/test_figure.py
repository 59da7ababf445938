"""The cycle figure is real SVG generated from the list of practices."""

from xml.etree import ElementTree

from mentorbook.core.figure import cycle_svg

NS = {"svg": "http://www.w3.org/2000/svg"}


def test_cycle_has_a_node_per_practice_and_highlights_current():
    practices = [("a", "One"), ("b", "Two"), ("c", "Three & four"), ("d", "Five")]
    root = ElementTree.fromstring(str(cycle_svg(practices, current="c")))
    nodes = root.findall("svg:g", NS)
    assert [n.get("data-practice") for n in nodes] == ["a", "b", "c", "d"]
    assert [n.get("class") for n in nodes].count("node current") == 1
    assert nodes[2].get("class") == "node current"
    assert len(root.findall("svg:polygon", NS)) == len(practices)  # one arrowhead per step, incl. back to start
    assert "Three &amp; four" in str(cycle_svg(practices))
    assert root.find("svg:title", NS).text == "The mentoring relationship"


def test_no_highlight_without_current():
    root = ElementTree.fromstring(str(cycle_svg([("a", "A"), ("b", "B")])))
    assert all(n.get("class") == "node" for n in root.findall("svg:g", NS))
