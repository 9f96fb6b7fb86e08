"""Typed reading of YAML mappings, logging schema problems with their lines."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from sdm_app.content.problems import REQUIRED_FIELD, SCHEMA, ProblemLog
from sdm_app.content.yamlnodes import YMap, YNode, YScalar, YSeq

ID_PATTERN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def describe(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a set of fields"
    if isinstance(node, YSeq):
        return "a list"
    return "empty" if node.value is None else "text"


class Fields:
    """Reads the fields of one mapping; every getter logs its own problems."""

    def __init__(self, node: YMap, log: ProblemLog, where: str) -> None:
        self.node = node
        self.log = log
        self.where = where  # e.g. 'the header', 'source 2'
        self.seen: set[str] = set()
        for key, line in node.duplicate_keys:
            log.error(line, SCHEMA, f"the field '{key}' appears twice in {where}")
        for line in node.bad_keys:
            log.error(line, SCHEMA, f"a field name in {where} is not plain text")

    def line_of(self, key: str) -> int:
        entry = self.node.entries.get(key)
        return entry[0] if entry else self.node.line

    def _get(self, key: str, required: bool) -> YNode | None:
        self.seen.add(key)
        entry = self.node.entries.get(key)
        value = entry[1] if entry else None
        if value is None or (isinstance(value, YScalar) and value.value in (None, "")):
            if required:
                self.log.error(
                    self.line_of(key),
                    REQUIRED_FIELD,
                    f"'{key}' is missing or empty in {self.where}",
                )
            return None
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        node = self._get(key, required)
        if node is None:
            return None
        if not isinstance(node, YScalar):
            self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be text, not {describe(node)}")
            return None
        # The text as written: 'version: 1.10' stays '1.10', 'title: yes' stays 'yes'.
        text = node.raw.strip()
        if not text:
            if required:
                self.log.error(self.line_of(key), REQUIRED_FIELD, f"'{key}' is empty")
            return None
        return text

    def text_node(self, key: str, required: bool = True) -> tuple[str, int] | None:
        text = self.text(key, required)
        if text is None:
            return None
        entry = self.node.entries[key]
        return text, entry[1].line

    def identifier(self, key: str, required: bool = True) -> str | None:
        value = self.text(key, required)
        if value is not None and not ID_PATTERN.fullmatch(value):
            self.log.error(
                self.line_of(key),
                SCHEMA,
                f"'{key}' must use only letters, digits, dashes and underscores, not '{value}'",
            )
            return None
        return value

    def integer(self, key: str, required: bool = True) -> int | None:
        node = self._get(key, required)
        if node is None:
            return None
        if (
            isinstance(node, YScalar)
            and isinstance(node.value, int)
            and not isinstance(node.value, bool)
            and node.value >= 0
        ):
            return node.value
        self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be a whole number")
        return None

    def number(self, key: str, required: bool = True) -> float | None:
        """A number written as digits (``8`` or ``8.5``), zero or more."""
        node = self._get(key, required)
        if node is None:
            return None
        if (
            isinstance(node, YScalar)
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
            and math.isfinite(node.value)
            and node.value >= 0
        ):
            return float(node.value)
        self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be a number")
        return None

    def boolean(self, key: str, required: bool = True) -> bool | None:
        node = self._get(key, required)
        if node is None:
            return None
        if isinstance(node, YScalar) and isinstance(node.value, bool):
            return node.value
        self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be true or false")
        return None

    def markdown(self, key: str, required: bool = True) -> tuple[str, int] | None:
        """Markdown text and the file line of its first line (block text starts below)."""
        node = self._get(key, required)
        if node is None:
            return None
        if not isinstance(node, YScalar):
            self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be text, not {describe(node)}")
            return None
        raw = node.raw
        text = raw.strip()
        if not text:
            if required:
                self.log.error(self.line_of(key), REQUIRED_FIELD, f"'{key}' is empty")
            return None
        line = node.line + (1 if node.style in ("|", ">") else 0)
        # Leading blank lines of a block are kept by YAML: count them too.
        line += raw[: len(raw) - len(raw.lstrip())].count("\n")
        return text, line

    def day(self, key: str, required: bool = True) -> date | None:
        node = self._get(key, required)
        if node is None:
            return None
        if isinstance(node, YScalar):
            if isinstance(node.value, date) and _DATE_PATTERN.fullmatch(node.raw.strip()):
                return node.value
            if isinstance(node.value, str) and _DATE_PATTERN.fullmatch(node.value.strip()):
                try:
                    return date.fromisoformat(node.value.strip())
                except ValueError:
                    pass
        self.log.error(self.line_of(key), SCHEMA, f"'{key}' must be a date written YYYY-MM-DD")
        return None

    def mapping(self, key: str, required: bool = True) -> YMap | None:
        node = self._get(key, required)
        if node is None:
            return None
        if not isinstance(node, YMap):
            self.log.error(
                self.line_of(key), SCHEMA, f"'{key}' must be a set of fields, not {describe(node)}"
            )
            return None
        return node

    def sequence(self, key: str, required: bool = True) -> YSeq | None:
        node = self._get(key, required)
        if node is None:
            return None
        if not isinstance(node, YSeq):
            self.log.error(
                self.line_of(key), SCHEMA, f"'{key}' must be a list, not {describe(node)}"
            )
            return None
        if not node.items and required:
            self.log.error(self.line_of(key), REQUIRED_FIELD, f"'{key}' is an empty list")
            return None
        return node

    def text_list(self, key: str, required: bool = True) -> list[tuple[str, int]] | None:
        node = self.sequence(key, required)
        if node is None:
            return None
        values: list[tuple[str, int]] = []
        for item in node.items:
            if isinstance(item, YScalar) and item.value is not None and item.raw.strip():
                values.append((item.raw.strip(), item.line))
            else:
                self.log.error(item.line, SCHEMA, f"each entry of '{key}' must be text")
        return values

    def finish(self, extra_allowed: Iterable[str] = ()) -> None:
        """Report fields nobody asked for: usually a typo in a field name."""
        allowed = self.seen | set(extra_allowed)
        for key, (line, _value) in self.node.entries.items():
            if key not in allowed:
                self.log.error(line, SCHEMA, f"unknown field '{key}' in {self.where}")


def expect_mapping(node: YNode | None, log: ProblemLog, line: int, what: str) -> YMap | None:
    if isinstance(node, YMap):
        return node
    if node is None:
        log.error(line, REQUIRED_FIELD, f"{what} is empty")
    else:
        log.error(node.line, SCHEMA, f"{what} must be a set of fields, not {describe(node)}")
    return None
