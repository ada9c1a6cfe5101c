"""YAML reading that remembers where every value came from.

A principal social worker editing a standard needs "line 14: unknown key 'withn'", not a stack trace. The
loader composes the YAML node tree, builds plain Python values from it and keeps a map from each value's path
(keys and list indexes) to its line, so validation errors found later can point back into the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from casewatch.errors import StandardsError

Path_ = tuple[str | int, ...]


class LocatedYaml:
    """A parsed YAML document and the line of every value in it."""

    def __init__(self, path: Path, data: Any, lines: dict[Path_, int]) -> None:
        self.path = path
        self.data = data
        self._lines = lines

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The line of the deepest part of ``loc`` that exists in the file (1-based)."""
        key = tuple(loc)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return self._lines.get((), 1)

    def error(self, loc: Sequence[str | int], message: str) -> StandardsError:
        return StandardsError(f"{self.path}, line {self.line_of(loc)}: {message}")


def read_located_yaml(path: Path) -> LocatedYaml:
    """Parse ``path``; syntax errors and duplicate keys become one located sentence."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StandardsError(f"{path}: cannot be read ({exc.strerror}).") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise StandardsError(f"{path}{where}: not valid YAML ({problem}).") from exc
    lines: dict[Path_, int] = {}
    if node is None:
        return LocatedYaml(path, None, lines)
    data = _build(node, (), lines, path)
    return LocatedYaml(path, data, lines)


def _build(node: yaml.Node, at: Path_, lines: dict[Path_, int], path: Path) -> Any:
    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node))
            if key in result:
                raise StandardsError(f"{path}, line {key_node.start_mark.line + 1}: the key '{key}' appears twice.")
            lines[(*at, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*at, key), lines, path)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*at, i), lines, path) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
