"""YAML with line numbers: every value remembers the line it was written on.

``yaml.compose`` gives nodes with marks; we convert them ourselves instead of
letting PyYAML build plain objects, so every problem can name its line. We also
catch what PyYAML accepts silently: duplicate keys and non-text keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import yaml

# Aliases can make a tiny file expand enormously ("billion laughs"): cap the work.
_MAX_NODES = 200_000
_MAX_DEPTH = 64

Scalar = str | int | float | bool | date | None


@dataclass(frozen=True, slots=True)
class YScalar:
    value: Scalar
    raw: str  # the text as written, e.g. '2026.11.1' or '010'
    line: int
    style: str | None = None  # '|' or '>' for block text, which starts a line lower


@dataclass(frozen=True, slots=True)
class YSeq:
    items: tuple[YNode, ...]
    line: int


@dataclass(frozen=True, slots=True)
class YMap:
    # key -> (line of the key, value node), in the order written
    entries: dict[str, tuple[int, YNode]]
    line: int
    duplicate_keys: tuple[tuple[str, int], ...] = field(default=())
    bad_keys: tuple[int, ...] = field(default=())  # lines of keys that are not text


YNode = YScalar | YSeq | YMap


class YamlError(Exception):
    """The text is not readable YAML; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, first_line: int = 1) -> YNode | None:
    """Parse one YAML document; ``first_line`` is the file line of the text's start.

    Returns None for an empty document. Raises YamlError for anything unreadable.
    """
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        message = str(error.problem or error.context or "cannot read YAML")
        raise YamlError(message, line) from None
    except (yaml.YAMLError, RecursionError, ValueError, UnicodeError) as error:
        raise YamlError(f"cannot read YAML ({type(error).__name__})", first_line) from None
    if node is None:
        return None
    return _Converter(first_line).convert(node, 0)


class _Converter:
    def __init__(self, first_line: int) -> None:
        self._offset = first_line
        self._count = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def line(self, node: yaml.Node) -> int:
        return self._offset + node.start_mark.line

    def convert(self, node: yaml.Node, depth: int) -> YNode:
        self._count += 1
        if self._count > _MAX_NODES or depth > _MAX_DEPTH:
            raise YamlError("the YAML is too large or too deeply nested", self.line(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            items = tuple(self.convert(item, depth + 1) for item in node.value)
            return YSeq(items, self.line(node))
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> YScalar:
        raw = str(node.value)
        value: Scalar
        try:
            constructed = self._constructor.construct_object(node, deep=True)
        except Exception:  # an invalid date or an unknown tag: keep the text
            constructed = raw
        # Only plain data: a '!!binary' or '!!set' value is kept as its text.
        if constructed is None or isinstance(constructed, str | int | float | bool | date):
            value = constructed
        else:
            value = raw
        style = getattr(node, "style", None)
        return YScalar(value, raw, self.line(node), style if isinstance(style, str) else None)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> YMap:
        entries: dict[str, tuple[int, YNode]] = {}
        duplicates: list[tuple[str, int]] = []
        bad_keys: list[int] = []
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                bad_keys.append(key_line)
                continue
            key = str(key_node.value)
            value = self.convert(value_node, depth + 1)
            if key in entries:
                duplicates.append((key, key_line))
                continue
            entries[key] = (key_line, value)
        return YMap(entries, self.line(node), tuple(duplicates), tuple(bad_keys))
