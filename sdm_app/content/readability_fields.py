"""Every patient-facing field of a pack, one by one, for ``sdm-app content stats``.

The plain-language check (``plain``) grades whole texts as the reader meets them;
this lists each field a patient reads on its own, with its file and line, so the
figures show where hard wording sits: a module's key message and each section of
its body; a decision aid's question, summary, attribute questions, option
descriptions, answers, benefits and harms, outcome labels and populations, the
reasons a figure is missing or has its certainty, value statements and how each
option relates to them, the reason there is no "wait" option, and its disclosure;
every glossary definition; every text of the clinical knowledge behind the
explanation cards; every description in the patient-support directory.

Names and titles (of modules, aids, options, terms, organisations) are left out:
they are labels, not sentences, and a formula made for sentences misreads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sdm_app.content.markdown import readable
from sdm_app.content.model import (
    DecisionAidDoc,
    LocatedText,
    MarkdownText,
    ModuleDoc,
    PackContent,
)

# The kinds of field, in the order they are listed.
FIELD_KINDS = (
    "key_message",
    "module_section",
    "aid_question",
    "aid_summary",
    "attribute_question",
    "option_description",
    "answer",
    "benefit",
    "harm",
    "no_action_reason",
    "outcome_label",
    "outcome_population",
    "missing_reason",
    "certainty_reason",
    "value_statement",
    "value_relation",
    "disclosure",
    "glossary_definition",
    "knowledge_text",
    "support_description",
)


@dataclass(frozen=True, slots=True)
class PatientField:
    kind: str  # one of FIELD_KINDS
    where: str  # the field in its file, by its keys: "options.tablets.answers.how-given"
    document: str  # "module/x", "decision-aid/y", "glossary", "knowledge", "support"
    locale: str
    file: str
    line: int
    blocks: tuple[str, ...]  # as readers see it: term marks as words, no citations


def patient_fields(content: PackContent) -> list[PatientField]:
    """The patient-facing fields of a checked pack (bodies are read by the check)."""
    fields: list[PatientField] = []
    for module in content.modules:
        if module.readable:
            fields.extend(_module_fields(module))
    for aid in content.decision_aids:
        if aid.readable:
            fields.extend(_aid_fields(aid))
    for glossary in content.glossaries:
        for term in glossary.terms:
            if term.definition is not None:
                fields.append(
                    _field(
                        "glossary_definition",
                        f"terms.{term.id}.definition",
                        "glossary",
                        glossary.locale,
                        glossary.file,
                        term.definition,
                    )
                )
    for knowledge in content.knowledge:
        for key, text in knowledge.all_texts().items():
            located = LocatedText(text.text, text.line)
            fields.append(
                _field(
                    "knowledge_text", key, "knowledge", knowledge.locale, knowledge.file, located
                )
            )
    for directory in content.support:
        for entry in directory.entries:
            if entry.description:
                located = LocatedText(entry.description, entry.line)
                fields.append(
                    _field(
                        "support_description",
                        f"entries.{entry.id}.description",
                        "support",
                        directory.locale,
                        directory.file,
                        located,
                    )
                )
    return [field for field in fields if any(block.strip() for block in field.blocks)]


def _field(
    kind: str, where: str, document: str, locale: str, file: str, text: LocatedText
) -> PatientField:
    return PatientField(kind, where, document, locale, file, text.line, (readable(text.text),))


def _module_fields(module: ModuleDoc) -> Iterator[PatientField]:
    document = f"module/{module.id}"

    def field(kind: str, where: str, line: int, blocks: list[str]) -> PatientField:
        return PatientField(kind, where, document, module.locale, module.file, line, tuple(blocks))

    if module.key_message is not None:
        yield field(
            "key_message",
            "key_message",
            module.key_message.line,
            [readable(module.key_message.text)],
        )
    # A section runs from a heading to the next; text before the first heading is one too.
    body_lines = module.body.splitlines()
    section: list[LocatedText] = []
    for block in module.reading_blocks:
        offset = block.line - module.body_line
        is_heading = 0 <= offset < len(body_lines) and body_lines[offset].lstrip().startswith("#")
        if is_heading and section:
            yield field("module_section", "body", section[0].line, _texts(section))
            section = []
        section.append(block)
    if section:
        yield field("module_section", "body", section[0].line, _texts(section))


def _texts(blocks: list[LocatedText]) -> list[str]:
    return [block.text for block in blocks]


def _aid_fields(aid: DecisionAidDoc) -> Iterator[PatientField]:
    document = f"decision-aid/{aid.id}"

    def plain(kind: str, where: str, text: LocatedText | None) -> Iterator[PatientField]:
        if text is not None:
            yield _field(kind, where, document, aid.locale, aid.file, text)

    def markdown(kind: str, where: str, text: MarkdownText | None) -> Iterator[PatientField]:
        if text is not None:
            blocks = tuple(block.text for block in text.reading_blocks)
            yield PatientField(kind, where, document, aid.locale, aid.file, text.line, blocks)

    yield from plain("aid_question", "question", aid.question)
    yield from markdown("aid_summary", "summary", aid.summary)
    for attribute in aid.attributes:
        where = f"attributes.{attribute.id}.question"
        yield from plain("attribute_question", where, attribute.question)
    for option in aid.options:
        name = f"options.{option.id}"
        yield from markdown("option_description", f"{name}.description", option.description)
        for attribute_id, answer in option.answers.items():
            yield from plain("answer", f"{name}.answers.{attribute_id}", answer)
        for position, benefit in enumerate(option.benefits, 1):
            yield from plain("benefit", f"{name}.benefits[{position}]", benefit)
        for position, harm in enumerate(option.harms, 1):
            yield from plain("harm", f"{name}.harms[{position}]", harm)
    yield from plain("no_action_reason", "no_action_reason", aid.no_action_reason)
    for outcome in aid.outcomes:
        name = f"outcomes.{outcome.id}"
        yield from plain("outcome_label", f"{name}.label", outcome.label)
        yield from plain("outcome_population", f"{name}.population", outcome.population)
        for figure in outcome.figures:
            where = f"{name}.per_option.{figure.option_id}"
            if figure.missing_reason:
                reason = LocatedText(figure.missing_reason, figure.missing_reason_line)
                yield from plain("missing_reason", f"{where}.missing_reason", reason)
            certainty_reason: str | None = getattr(figure, "certainty_reason", None)
            if certainty_reason:
                line: int = getattr(figure, "certainty_reason_line", figure.line)
                reason = LocatedText(certainty_reason, line)
                yield from plain("certainty_reason", f"{where}.certainty_reason", reason)
    for value in aid.values:
        name = f"values.{value.id}"
        yield from plain("value_statement", f"{name}.statement", value.statement)
        for option_id, relation in value.relates_to.items():
            yield from plain("value_relation", f"{name}.relates_to.{option_id}", relation)
    disclosure = aid.disclosure
    if disclosure is not None:
        for key, text in (
            ("authors", disclosure.authors),
            ("funding", disclosure.funding),
            ("conflicts_of_interest", disclosure.conflicts_of_interest),
            ("evidence_method", disclosure.evidence_method),
            ("update_policy", disclosure.update_policy),
        ):
            if text:
                located = LocatedText(text, disclosure.line)
                yield from plain("disclosure", f"disclosure.{key}", located)
