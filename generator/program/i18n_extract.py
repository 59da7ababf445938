"""A Babel extractor for worksheet definitions: ``pybabel extract`` sees their texts.

babel.cfg maps ``content/worksheets/*.yml`` to it. It yields each definition's title,
intro, labels, prompts, choice labels and suggested rows with their lines; texts given
per language (``label: {en: ..., es: ...}``) are translated in the definition itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .deftexts import TEXT_KEYS, TEXT_MAPS
from .deftexts import TEXT_LISTS as LIST_KEYS


def worksheet_texts(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every translatable text of one definition file."""
    import yaml

    root = yaml.compose(source, Loader=yaml.SafeLoader)
    if root is None:
        return

    def walk(node: Any) -> Iterator[tuple[int, str]]:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else ""
                if name in TEXT_KEYS and isinstance(value, yaml.ScalarNode) and value.value:
                    yield value.start_mark.line + 1, value.value
                elif name in TEXT_MAPS and isinstance(value, yaml.MappingNode):  # rating anchors' labels
                    for _point, label in value.value:
                        if isinstance(label, yaml.ScalarNode) and label.value:
                            yield label.start_mark.line + 1, label.value
                elif name in LIST_KEYS and isinstance(value, yaml.SequenceNode):
                    for item in value.value:
                        if isinstance(item, yaml.ScalarNode) and item.value:
                            yield item.start_mark.line + 1, item.value
                elif name == "choices" and isinstance(value, yaml.SequenceNode):
                    for item in value.value:
                        if isinstance(item, yaml.ScalarNode) and item.value:  # a bare choice is its own label
                            yield item.start_mark.line + 1, item.value
                        else:
                            yield from walk(item)
                else:
                    yield from walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from walk(item)

    # texts exactly as definitions.py reads them (a folded ``intro: >`` keeps its final newline)
    yield from walk(root)


def extract_worksheet(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor interface (see babel.messages.extract)."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text in worksheet_texts(source):
        yield line, None, text, []
