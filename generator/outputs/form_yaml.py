"""An imported workbook written out as YAML a person can read and edit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any


def workbook_yaml(data: dict[str, Any], source: Path) -> str:
    """The workbook as block-style YAML, dates as YYYY-MM-DD, paragraphs as literal blocks."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    def styled(value: Any) -> Any:
        if isinstance(value, dict):
            return CommentedMap((k, styled(v)) for k, v in value.items())
        if isinstance(value, list):
            return [styled(v) for v in value]
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        return value

    document = styled(data)
    document.yaml_set_start_comment(f"Imported from {source.name} with `mentorbook import`.")
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()
