"""What the content check reports: one problem, at one line of one file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

# The rules, as listed for authors in content/README.md.
YAML_SYNTAX = "yaml-syntax"
ENCODING = "encoding"
SCHEMA = "schema"
REQUIRED_FIELD = "required-field"
INVALID_LOCALE = "invalid-locale"
DUPLICATE_ID = "duplicate-id"
UNKNOWN_TOPIC = "unknown-topic"
UNKNOWN_MODULE_LINK = "unknown-module-link"
UNKNOWN_GLOSSARY_TERM = "unknown-glossary-term"
UNKNOWN_SOURCE = "unknown-source"
NUMBER_WITHOUT_SOURCE = "number-without-source"
NUMBER_MISMATCH = "number-mismatch"
STALE_TRANSLATION = "stale-translation"
ORPHAN_TRANSLATION = "orphan-translation"
UNSAFE_LINK = "unsafe-link"
REVIEW_OVERDUE = "review-overdue"
IPDAS_OPTIONS = "ipdas-options"
IPDAS_BENEFIT_HARM = "ipdas-benefit-harm"
IPDAS_ATTRIBUTE_ANSWERS = "ipdas-attribute-answers"
IPDAS_COMPARABLE_OUTCOMES = "ipdas-comparable-outcomes"
IPDAS_PROBABILITY_SOURCE = "ipdas-probability-source"
IPDAS_DISCLOSURE = "ipdas-disclosure"
IPDAS_NO_ACTION = "ipdas-no-action"
FIGURE_WITHOUT_CERTAINTY_REASON = "figure-without-certainty-reason"
COMPARATOR_MISMATCH = "comparator-mismatch"
OPTION_WITHOUT_HARM_FIGURE = "option-without-harm-figure"
READING_GRADE = "reading-grade"
SENTENCE_LENGTH = "sentence-length"
TOO_COMPLEX = "too-complex"
CHANGELOG = "changelog"
CHANGELOG_MISSING = "changelog-missing"

RULES = (
    YAML_SYNTAX,
    ENCODING,
    SCHEMA,
    REQUIRED_FIELD,
    INVALID_LOCALE,
    DUPLICATE_ID,
    UNKNOWN_TOPIC,
    UNKNOWN_MODULE_LINK,
    UNKNOWN_GLOSSARY_TERM,
    UNKNOWN_SOURCE,
    NUMBER_WITHOUT_SOURCE,
    NUMBER_MISMATCH,
    STALE_TRANSLATION,
    ORPHAN_TRANSLATION,
    UNSAFE_LINK,
    REVIEW_OVERDUE,
    IPDAS_OPTIONS,
    IPDAS_BENEFIT_HARM,
    IPDAS_ATTRIBUTE_ANSWERS,
    IPDAS_COMPARABLE_OUTCOMES,
    IPDAS_PROBABILITY_SOURCE,
    IPDAS_DISCLOSURE,
    IPDAS_NO_ACTION,
    FIGURE_WITHOUT_CERTAINTY_REASON,
    COMPARATOR_MISMATCH,
    OPTION_WITHOUT_HARM_FIGURE,
    READING_GRADE,
    SENTENCE_LENGTH,
    TOO_COMPLEX,
    CHANGELOG,
    CHANGELOG_MISSING,
)


class Problem(NamedTuple):
    file: str
    line: int
    rule: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def format_problem(problem: Problem) -> str:
    """``FILE:LINE: RULE: message``, with ``warning:`` before the message of a warning."""
    prefix = "warning: " if problem.severity == "warning" else ""
    # One line per problem, whatever the author wrote into a message.
    message = " ".join(problem.message.split())
    return f"{problem.file}:{problem.line}: {problem.rule}: {prefix}{message}"


def sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line, problem.rule, problem.message)


class ProblemLog:
    """Collects problems for one file, so checks need not repeat the file name."""

    def __init__(self, file: str, sink: list[Problem]) -> None:
        self.file = file
        self._sink = sink

    def error(self, line: int, rule: str, message: str) -> None:
        self._sink.append(Problem(self.file, max(line, 1), rule, message, "error"))

    def warning(self, line: int, rule: str, message: str) -> None:
        self._sink.append(Problem(self.file, max(line, 1), rule, message, "warning"))


def unique_ids(
    documents: Iterable[tuple[str, str]], what: str, log: Callable[[str], ProblemLog]
) -> set[str]:
    """The ids of ``(id, file)`` pairs; each id taken twice is reported where it recurs."""
    owners: dict[str, str] = {}
    for document_id, file in documents:
        if document_id in owners:
            log(file).error(
                1, DUPLICATE_ID, f"{what} id '{document_id}' is also used by {owners[document_id]}"
            )
        else:
            owners[document_id] = file
    return set(owners)


class ContentBuildError(Exception):
    """The content has errors; ``problems`` lists them (warnings included)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [problem for problem in self.problems if problem.is_error]
        lines = [format_problem(problem) for problem in errors[:10]]
        more = f"\n... and {len(errors) - 10} more" if len(errors) > 10 else ""
        super().__init__(f"the content has {len(errors)} error(s):\n" + "\n".join(lines) + more)
