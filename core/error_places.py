"""Where in a file's text a JSON pointer is: the line and column an error message names.

Only used when reporting errors, so it may re-read and re-parse the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .documents import Document
from .file_reading import decode_text, read_limited


def locate(doc: Document, pointer_parts: Iterable[Any],
           key: str | None = None) -> tuple[int | None, int | None]:
    """The (line, column) of a JSON pointer in the document's text, when findable.

    With ``key``, the place of that key inside the mapping the pointer names
    (an unknown field is reported where it is written, not where its parent starts).

    Only used when reporting errors, so it may re-read and re-parse the file:
    YAML and JSON (a YAML flow document) are composed into nodes with marks,
    once per document however many errors it has (kept in ``doc.extra``).
    """
    import yaml

    from .yaml_loader import StrictLoader

    if "nodes" not in doc.extra:
        try:
            raw = doc.extra["raw"] if "raw" in doc.extra else read_limited(doc.path, doc.name)[0]
            text = decode_text(raw, doc.name)
            doc.extra["nodes"] = yaml.compose(text, Loader=StrictLoader)
        except Exception:
            doc.extra["nodes"] = None
    node = doc.extra["nodes"]
    if node is None:
        return None, None
    for part in pointer_parts:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    if node is None:
        return None, None
    if key is not None and isinstance(node, yaml.MappingNode):
        node = next((k for k, _ in node.value if k.value == key), node)
    return node.start_mark.line + 1, node.start_mark.column + 1
