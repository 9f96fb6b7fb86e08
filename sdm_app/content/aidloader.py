"""Reads decision aids (``decision-aids/<id>.<locale>.yaml``) and the patient-support
directory (``support/directory.<locale>.yaml``) of one pack, with line numbers.

Like ``loader``, only single-file checks live here; the IPDAS rules, which compare
options, outcomes and sources, are in ``validate``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from sdm_app.content.fields import ID_PATTERN, Fields, expect_mapping
from sdm_app.content.loader import PackLoader, is_hidden
from sdm_app.content.model import (
    AttributeDoc,
    DecisionAidDoc,
    DisclosureDoc,
    FigureDoc,
    LocatedText,
    MarkdownText,
    OptionDoc,
    OutcomeDoc,
    PackContent,
    PackDoc,
    SupportDirectoryDoc,
    SupportEntryDoc,
    ValueDoc,
)
from sdm_app.content.problems import REQUIRED_FIELD, SCHEMA, UNSAFE_LINK, ProblemLog
from sdm_app.content.yamlnodes import YMap, YScalar
from sdm_app.core.decision_aid import CERTAINTIES, OUTCOME_KINDS
from sdm_app.core.library import AUDIENCES

_AID_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<locale>[^.]+)\.yaml")
_DIRECTORY_NAME = re.compile(r"directory\.(?P<locale>[^.]+)\.yaml")
_HTTPS = re.compile(r"https://[^\s/]+\S*")
DISCLOSURE_FIELDS = (
    "authors",
    "funding",
    "conflicts_of_interest",
    "evidence_method",
    "update_policy",
)


def _located(found: tuple[str, int] | None) -> LocatedText | None:
    return LocatedText(*found) if found else None


class AidLoader:
    def __init__(self, loader: PackLoader) -> None:
        self.loader = loader

    def load_into(self, content: PackContent) -> None:
        folder = self.loader.folder
        aids_dir = folder / "decision-aids"
        if aids_dir.is_dir():
            for path in sorted(aids_dir.rglob("*")):
                if path.is_file() and not is_hidden(path):
                    aid = self.load_decision_aid(path, content.pack)
                    if aid is not None:
                        content.decision_aids.append(aid)
        support_dir = folder / "support"
        if support_dir.is_dir():
            for path in sorted(support_dir.iterdir()):
                if path.is_file() and not is_hidden(path):
                    directory = self.load_directory(path, content.pack)
                    if directory is not None:
                        content.support.append(directory)

    def _log(self, path: Path) -> tuple[str, ProblemLog]:
        file = self.loader.show(path)
        return file, ProblemLog(file, self.loader.problems)

    # decision-aids/<id>.<locale>.yaml ------------------------------------------

    def load_decision_aid(self, path: Path, pack: PackDoc) -> DecisionAidDoc | None:
        file, log = self._log(path)
        match = _AID_NAME.fullmatch(path.name)
        if match is None:
            if path.suffix in (".yaml", ".yml"):
                log.error(
                    1,
                    SCHEMA,
                    "a decision aid file must be named <decision aid id>.<language code>.yaml",
                )
            return None
        aid_id, code = match["id"], match["locale"]
        if not ID_PATTERN.fullmatch(aid_id):
            log.error(
                1,
                SCHEMA,
                f"'{aid_id}' is not a valid decision aid id (use letters, digits and dashes)",
            )
            return None
        if not self.loader.check_locale(code, pack, log, 1):
            return None
        aid = DecisionAidDoc(file, aid_id, code, is_source=code == pack.source_locale)
        readable, document = self.loader._read_yaml(path, log)
        node = expect_mapping(document, log, 1, "the decision aid") if readable else None
        if node is None:
            aid.readable = False
            return aid
        self._aid(aid, Fields(node, log, "the decision aid"), log)
        return aid

    def _aid(self, aid: DecisionAidDoc, fields: Fields, log: ProblemLog) -> None:
        source = aid.is_source
        declared = fields.text("id")
        if declared is not None and declared != aid.id:
            log.error(
                fields.line_of("id"),
                SCHEMA,
                f"'id: {declared}' does not match the file name ({aid.id}.{aid.locale}.yaml)",
            )
        aid.status = self.loader._status(fields, source, log)
        if source:
            aid.version = fields.integer("version")
        else:
            aid.translation_of = fields.integer("translation_of")
            aid.translation_of_line = fields.line_of("translation_of")
        aid.title = _located(fields.text_node("title"))
        aid.question = _located(fields.text_node("question"))
        # A translation takes audience, applies_to, review and sources from its
        # source file; it may repeat them, and they are checked for form.
        audience: list[str] = []
        for value, line in fields.text_list("audience", required=source) or ():
            if value in AUDIENCES:
                audience.append(value)
            else:
                log.error(
                    line, SCHEMA, f"unknown audience '{value}'; use any of: {', '.join(AUDIENCES)}"
                )
        aid.audience = tuple(audience)
        applies_to = fields.mapping("applies_to", required=False)
        if applies_to is not None:
            applies = Fields(applies_to, log, "'applies_to'")
            conditions = applies.text_list("conditions", required=False) or []
            biomarkers = applies.text_list("biomarkers", required=False) or []
            applies.finish()
            aid.conditions = tuple(text for text, _line in conditions)
            aid.biomarkers = tuple(text for text, _line in biomarkers)
        summary = fields.markdown("summary")
        aid.summary = MarkdownText(*summary) if summary else None
        review = fields.mapping("review", required=source)
        if review is not None:
            aid.review = self.loader._review(Fields(review, log, "'review'"), log)
        disclosure = fields.mapping("disclosure", required=False)
        if disclosure is not None:
            aid.disclosure = self._disclosure(
                Fields(disclosure, log, "'disclosure'"), fields.line_of("disclosure")
            )
        sources = fields.sequence("sources", required=source)
        for position, item in enumerate(sources.items if sources else ()):
            entry = expect_mapping(item, log, item.line, f"source {position + 1}")
            if entry is not None:
                found = self.loader._source(Fields(entry, log, f"source {position + 1}"), log)
                if found is not None:
                    aid.sources.append(found)
        attributes = fields.sequence("attributes")
        aid.attributes_line = fields.line_of("attributes")
        for position, item in enumerate(attributes.items if attributes else ()):
            entry = expect_mapping(item, log, item.line, f"attribute {position + 1}")
            if entry is not None:
                attribute_fields = Fields(entry, log, f"attribute {position + 1}")
                attribute_id = attribute_fields.identifier("id")
                question = _located(attribute_fields.text_node("question"))
                attribute_fields.finish()
                if attribute_id is not None:
                    aid.attributes.append(AttributeDoc(attribute_id, entry.line, question))
        # Fewer than two options is the IPDAS rule's to report, not 'required-field'.
        options = fields.sequence("options", required=False)
        aid.options_line = fields.line_of("options")
        aid.options_given = options is not None
        if "options" not in fields.node.entries:
            log.error(fields.node.line, REQUIRED_FIELD, "'options' is missing in the decision aid")
        for position, item in enumerate(options.items if options else ()):
            entry = expect_mapping(item, log, item.line, f"option {position + 1}")
            if entry is not None:
                option = self._option(Fields(entry, log, f"option {position + 1}"), log)
                if option is not None:
                    aid.options.append(option)
        outcomes = fields.sequence("outcomes", required=False)
        for position, item in enumerate(outcomes.items if outcomes else ()):
            entry = expect_mapping(item, log, item.line, f"outcome {position + 1}")
            if entry is not None:
                outcome = self._outcome(Fields(entry, log, f"outcome {position + 1}"), log, source)
                if outcome is not None:
                    aid.outcomes.append(outcome)
        values = fields.sequence("values")
        for position, item in enumerate(values.items if values else ()):
            entry = expect_mapping(item, log, item.line, f"value {position + 1}")
            if entry is not None:
                found_value = self._value(Fields(entry, log, f"value {position + 1}"), log)
                if found_value is not None:
                    aid.values.append(found_value)
        aid.no_action_reason = _located(fields.text_node("no_action_reason", required=False))
        if source:
            aid.changelog = self.loader._changelog(fields, log)
            aid.changelog_line = fields.line_of("changelog")
        fields.finish()

    def _disclosure(self, fields: Fields, line: int) -> DisclosureDoc:
        # Missing parts are the 'ipdas-disclosure' rule's to report.
        disclosure = DisclosureDoc(line)
        for name in DISCLOSURE_FIELDS:
            setattr(disclosure, name, fields.text(name, required=False))
        fields.finish()
        return disclosure

    def _text_map(self, node: YMap, log: ProblemLog, where: str) -> dict[str, LocatedText]:
        """A mapping of ids to sentences, e.g. an option's answers."""
        fields = Fields(node, log, where)
        found: dict[str, LocatedText] = {}
        for key in node.entries:
            line = fields.line_of(key)
            value = node.entries[key][1]
            if (
                isinstance(value, YScalar)
                and isinstance(value.value, int | float)
                and not isinstance(value.value, bool)
            ):
                log.error(line, SCHEMA, f"'{key}' in {where} must be a sentence, not a rank")
                fields.seen.add(key)
                continue
            text = fields.text_node(key)
            if text is not None:
                found[key] = LocatedText(*text)
        return found

    def _option(self, fields: Fields, log: ProblemLog) -> OptionDoc | None:
        option_id = fields.identifier("id")
        option = OptionDoc(option_id or "", fields.node.line)
        option.title = _located(fields.text_node("title"))
        description = fields.markdown("description")
        option.description = MarkdownText(*description) if description else None
        answers = fields.mapping("answers", required=False)
        option.answers_line = fields.line_of("answers")
        option.answers_given = "answers" in fields.node.entries
        if answers is not None:
            option.answers = self._text_map(answers, log, f"the answers of option '{option_id}'")
        for name in ("benefits", "harms"):
            items = fields.text_list(name, required=False) or []
            located = [LocatedText(text, line) for text, line in items]
            if name == "benefits":
                option.benefits, option.benefits_line = located, fields.line_of(name)
            else:
                option.harms, option.harms_line = located, fields.line_of(name)
        option.no_action = fields.boolean("no_action", required=False)
        fields.finish()
        return option if option_id is not None else None

    def _outcome(self, fields: Fields, log: ProblemLog, source: bool) -> OutcomeDoc | None:
        outcome_id = fields.identifier("id")
        outcome = OutcomeDoc(outcome_id or "", fields.node.line)
        kind = fields.text("kind", required=source)
        if kind is not None and kind not in OUTCOME_KINDS:
            log.error(
                fields.line_of("kind"),
                SCHEMA,
                f"'kind' must be one of: {', '.join(OUTCOME_KINDS)}, not '{kind}'",
            )
            kind = None
        outcome.kind = kind
        outcome.label = _located(fields.text_node("label"))
        outcome.population = _located(fields.text_node("population"))
        # Whether it names an option (and the figures can be compared) is checked later.
        outcome.comparator = fields.identifier("comparator", required=False)
        outcome.comparator_line = fields.line_of("comparator")
        per_option = fields.mapping("per_option")
        outcome.per_option_line = fields.line_of("per_option")
        fields.finish()
        if per_option is not None:
            per_fields = Fields(per_option, log, f"the per_option of outcome '{outcome_id}'")
            for option_id in per_option.entries:
                entry = per_fields.mapping(option_id)
                if entry is not None:
                    where = f"the figure for '{option_id}' in outcome '{outcome_id}'"
                    outcome.figures.append(
                        self._figure(option_id, Fields(entry, log, where), log, source)
                    )
        return outcome if outcome_id is not None else None

    def _figure(self, option_id: str, fields: Fields, log: ProblemLog, source: bool) -> FigureDoc:
        figure = FigureDoc(option_id, fields.node.line)
        # numerator: null is meaningful (no figure exists), so it is read by hand.
        fields.seen.add("numerator")
        entry = fields.node.entries.get("numerator")
        figure.numerator_given = entry is not None
        if entry is not None:
            value = entry[1]
            if isinstance(value, YScalar) and value.value is None:
                pass
            elif (
                isinstance(value, YScalar)
                and isinstance(value.value, int | float)
                and not isinstance(value.value, bool)
                and math.isfinite(value.value)
                and value.value >= 0
            ):
                figure.numerator = float(value.value)
            else:
                log.error(entry[0], SCHEMA, "'numerator' must be a number, or null")
                figure.numerator_given = False
        elif source:
            log.error(
                fields.node.line,
                REQUIRED_FIELD,
                f"'numerator' is missing in {fields.where} (write null when no figure exists)",
            )
        figure.denominator = fields.integer("denominator", required=source)
        if figure.denominator == 0:
            log.error(fields.line_of("denominator"), SCHEMA, "'denominator' cannot be 0")
            figure.denominator = None
        if (
            figure.numerator is not None
            and figure.denominator is not None
            and figure.numerator > figure.denominator
        ):
            log.error(
                fields.line_of("numerator"),
                SCHEMA,
                f"the numerator {figure.numerator:g} is more than the denominator "
                f"{figure.denominator}",
            )
        figure.time_frame = fields.text("time_frame", required=source)
        figure.time_frame_line = fields.line_of("time_frame")
        # certainty and source: their absence is 'ipdas-probability-source'.
        certainty = fields.text("certainty", required=False)
        figure.certainty_line = fields.line_of("certainty")
        if certainty is not None and certainty not in CERTAINTIES:
            log.error(
                figure.certainty_line,
                SCHEMA,
                f"'certainty' must be one of: {', '.join(CERTAINTIES)}, not '{certainty}'",
            )
            certainty = None
        figure.certainty = certainty
        figure.source = fields.text("source", required=False)
        figure.source_line = fields.line_of("source")
        figure.missing_reason = fields.text("missing_reason", required=False)
        figure.missing_reason_line = fields.line_of("missing_reason")
        # Words, so a translation may give them; required with a number ('validate').
        figure.certainty_reason = fields.text("certainty_reason", required=False)
        figure.certainty_reason_line = fields.line_of("certainty_reason")
        if (
            source
            and figure.numerator_given
            and figure.numerator is None
            and figure.missing_reason is None
        ):
            log.error(
                fields.line_of("numerator"),
                REQUIRED_FIELD,
                f"{fields.where} has no numerator: say why in 'missing_reason'",
            )
        fields.finish()
        return figure

    def _value(self, fields: Fields, log: ProblemLog) -> ValueDoc | None:
        value_id = fields.identifier("id")
        value = ValueDoc(value_id or "", fields.node.line)
        value.statement = _located(fields.text_node("statement"))
        relates_to = fields.mapping("relates_to")
        value.relates_to_line = fields.line_of("relates_to")
        fields.finish()
        if relates_to is not None:
            value.relates_to = self._text_map(relates_to, log, f"'relates_to' of '{value_id}'")
        return value if value_id is not None else None

    # support/directory.<locale>.yaml -------------------------------------------

    def load_directory(self, path: Path, pack: PackDoc) -> SupportDirectoryDoc | None:
        file, log = self._log(path)
        match = _DIRECTORY_NAME.fullmatch(path.name)
        if match is None:
            if path.suffix in (".yaml", ".yml"):
                log.error(
                    1, SCHEMA, "a support directory must be named directory.<language code>.yaml"
                )
            return None
        code = match["locale"]
        if not self.loader.check_locale(code, pack, log, 1):
            return None
        directory = SupportDirectoryDoc(file, code, is_source=code == pack.source_locale)
        readable, document = self.loader._read_yaml(path, log)
        node = expect_mapping(document, log, 1, "the support directory") if readable else None
        if node is None:
            return directory
        fields = Fields(node, log, "the support directory")
        declared = fields.text("locale")
        if declared is not None and declared != code:
            log.error(
                fields.line_of("locale"),
                SCHEMA,
                f"'locale: {declared}' does not match the file name (directory.{code}.yaml)",
            )
        directory.status = self.loader._status(fields, directory.is_source, log)
        directory.reviewed_on = fields.day("reviewed_on")
        entries = fields.sequence("entries")
        fields.finish()
        for position, item in enumerate(entries.items if entries else ()):
            entry = expect_mapping(item, log, item.line, f"entry {position + 1}")
            if entry is not None:
                found = self._entry(Fields(entry, log, f"entry {position + 1}"), log)
                if found is not None:
                    directory.entries.append(found)
        return directory

    def _entry(self, fields: Fields, log: ProblemLog) -> SupportEntryDoc | None:
        entry_id = fields.identifier("id")
        entry = SupportEntryDoc(entry_id or "", fields.node.line)
        entry.name = fields.text("name")
        url = fields.text("url")
        if url is not None and not _HTTPS.fullmatch(url):
            log.error(
                fields.line_of("url"), UNSAFE_LINK, f"the address '{url}' must start with https://"
            )
            url = None
        entry.url = url
        entry.biomarkers = tuple(text for text, _line in fields.text_list("biomarkers") or ())
        entry.region = fields.text("region")
        entry.description = fields.text("description")
        fields.finish()
        return entry if entry_id is not None else None
