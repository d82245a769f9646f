"""YAML with line numbers: every mapping and list remembers where it was written.

A definition error must name the line at fault, so definitions are parsed
with a :class:`yaml.SafeLoader` subclass that records the start mark of each
mapping, each list and each mapping key.

>>> doc = load("name: x\\nnodes:\\n  a: {label: Persn}\\n", "d.yaml")
>>> doc.line, doc["nodes"].line_of("a"), doc["nodes"]["a"].line_of("label")
(1, 3, 3)
>>> load("columns: [no, nama, yes]\\nok: true", "d.yaml")
{'columns': ['no', 'nama', 'yes'], 'ok': True}
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import DefinitionError

__all__ = ["LineDict", "LineList", "load", "line_of"]


class LineDict(dict):
    """A dict that knows the line of itself (``line``) and of each key (:meth:`line_of`)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its line and the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(obj: Any, default: int = 0) -> int:
    """The line an object parsed by :func:`load` starts on (``default`` for scalars)."""
    return getattr(obj, "line", default) or default


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "found an unhashable key", key_node.start_mark
                ) from None
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            out[key] = self.construct_object(value_node, deep=True)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        out = LineList(self.construct_object(child, deep=True) for child in node.value)
        out.line = node.start_mark.line + 1
        out.item_lines = [child.start_mark.line + 1 for child in node.value]
        return out


# YAML 1.2 booleans only: a column called `no`, `yes`, `on` or `off` (common in
# Indonesian registers: `no` = nomor) stays text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load(text: str, path: str) -> Any:
    """Parse YAML text; a syntax error is a :class:`DefinitionError` with its line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        raise DefinitionError(path, line, f"not valid YAML: {e.problem or e}") from None
    except yaml.YAMLError as e:
        raise DefinitionError(path, None, f"not valid YAML: {e}") from None
