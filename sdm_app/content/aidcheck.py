"""The checks for decision aids and the support directory, including the IPDAS rules.

Called by ``validate._Checker`` once modules and glossaries are known, so term and
module links can be checked. Every rule reports at the line it names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sdm_app.content.aidloader import DISCLOSURE_FIELDS
from sdm_app.content.changelog import check_changelog
from sdm_app.content.markdown import (
    CITATION,
    TERM,
    complexity_problems,
    parse,
    plain_words,
    scan_tokens,
)
from sdm_app.content.model import (
    DecisionAidDoc,
    FigureDoc,
    LocatedText,
    MarkdownText,
    OptionDoc,
    OutcomeDoc,
    PackContent,
    SupportDirectoryDoc,
)
from sdm_app.content.numbers import find_numbers
from sdm_app.content.problems import (
    COMPARATOR_MISMATCH,
    DUPLICATE_ID,
    FIGURE_WITHOUT_CERTAINTY_REASON,
    IPDAS_ATTRIBUTE_ANSWERS,
    IPDAS_BENEFIT_HARM,
    IPDAS_COMPARABLE_OUTCOMES,
    IPDAS_DISCLOSURE,
    IPDAS_NO_ACTION,
    IPDAS_OPTIONS,
    IPDAS_PROBABILITY_SOURCE,
    NUMBER_MISMATCH,
    NUMBER_WITHOUT_SOURCE,
    OPTION_WITHOUT_HARM_FIGURE,
    ORPHAN_TRANSLATION,
    REQUIRED_FIELD,
    REVIEW_OVERDUE,
    SCHEMA,
    TOO_COMPLEX,
    UNKNOWN_GLOSSARY_TERM,
    UNKNOWN_SOURCE,
    ProblemLog,
    unique_ids,
)

if TYPE_CHECKING:
    from sdm_app.content.validate import _Checker


def _duplicates(items: Iterable[tuple[str, int]], what: str, log: ProblemLog) -> None:
    seen: set[str] = set()
    for item_id, line in items:
        if item_id in seen:
            log.error(line, DUPLICATE_ID, f"{what} id '{item_id}' is used twice")
        seen.add(item_id)


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


class AidChecker:
    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.aid_ids: set[str] = set()

    def log(self, file: str) -> ProblemLog:
        return self.checker.log(file)

    def collect_ids(self, packs: list[PackContent]) -> None:
        sources = (
            (aid.id, aid.file)
            for content in packs
            for aid in content.decision_aids
            if aid.is_source and aid.readable
        )
        self.aid_ids = unique_ids(sources, "decision aid", self.log)

    def check_pack(self, content: PackContent) -> None:
        pack = content.pack
        sources = {aid.id: aid for aid in content.decision_aids if aid.is_source and aid.readable}
        for aid in sorted(content.decision_aids, key=lambda a: not a.is_source):
            if not aid.readable:
                continue
            log = self.log(aid.file)
            original = aid if aid.is_source else sources.get(aid.id)
            if original is None:
                name = f"{aid.id}.{pack.source_locale or '<source>'}.yaml"
                log.error(1, ORPHAN_TRANSLATION, f"there is no source file {name}")
                continue
            self._check_aid(aid, original, log, pack.source_locale or "")
        self._check_support(content.support)

    # one decision aid ------------------------------------------------------------

    def _check_aid(
        self, aid: DecisionAidDoc, original: DecisionAidDoc, log: ProblemLog, source_locale: str
    ) -> None:
        source_order = [source.id for source in original.sources]
        source_ids = set(source_order)
        if aid.is_source:
            check_changelog(aid.changelog, aid.version, aid.changelog_line, log, self.checker.today)
            _duplicates(((s.id, s.line) for s in aid.sources), "source", log)
            due = aid.review.next_review if aid.review else None
            if aid.review is not None and due is not None and due < self.checker.today:
                log.warning(
                    aid.review.next_review_line,
                    REVIEW_OVERDUE,
                    f"the review was due on {due.isoformat()}",
                )
        else:
            self.checker._check_versions(
                log, aid.translation_of_line, aid.translation_of, original.version, source_locale
            )
            self._check_structure(aid, original, log)
        _duplicates(((a.id, a.line) for a in aid.attributes), "attribute", log)
        _duplicates(((o.id, o.line) for o in aid.options), "option", log)
        _duplicates(((o.id, o.line) for o in aid.outcomes), "outcome", log)
        _duplicates(((v.id, v.line) for v in aid.values), "value", log)
        for markdown in self._markdown_fields(aid):
            self._check_markdown(markdown, source_order, log)
        for located, numbers_need_source in self._plain_fields(aid):
            self._check_plain(located, source_ids, numbers_need_source, log)
        self._ipdas(aid, original, source_ids, log)
        self._check_values(aid, log)
        if not aid.is_source:
            self._compare_numbers(aid, original, log, source_locale)

    def _markdown_fields(self, aid: DecisionAidDoc) -> list[MarkdownText]:
        fields = [aid.summary] + [option.description for option in aid.options]
        return [field for field in fields if field is not None]

    def _plain_fields(self, aid: DecisionAidDoc) -> list[tuple[LocatedText, bool]]:
        """Plain-text fields, and whether a number in them must cite a source."""
        found: list[tuple[LocatedText | None, bool]] = [(aid.no_action_reason, False)]
        for attribute in aid.attributes:
            found.append((attribute.question, False))
        for option in aid.options:
            found.extend((text, True) for text in option.benefits)
            found.extend((text, True) for text in option.harms)
            found.extend((text, True) for text in option.answers.values())
        for outcome in aid.outcomes:
            # Outcome figures carry their own sources: their words need none.
            found.extend([(outcome.label, False), (outcome.population, False)])
            for figure in outcome.figures:
                for words, line in (
                    (figure.certainty_reason, figure.certainty_reason_line),
                    (figure.missing_reason, figure.missing_reason_line),
                ):
                    if words is not None:
                        found.append((LocatedText(words, line), False))
        for value in aid.values:
            found.append((value.statement, False))
            found.extend((text, True) for text in value.relates_to.values())
        return [(text, need) for text, need in found if text is not None]

    def _check_markdown(
        self, markdown: MarkdownText, source_order: list[str], log: ProblemLog
    ) -> None:
        from sdm_app.content.validate import reading_blocks

        too_complex = complexity_problems(markdown.text, markdown.line)
        for line, message in too_complex:
            log.error(line, TOO_COMPLEX, message)
        tokens = parse(markdown.text) if not too_complex else []
        facts = scan_tokens(tokens, markdown.line)
        markdown.reading_blocks = reading_blocks(facts)
        self.checker.check_facts(facts, set(source_order), log, "decision aid")
        if self.checker.render:
            from sdm_app.content.render import render_tokens  # deferred: nh3

            rendered = render_tokens(tokens, source_order)
            markdown.html, markdown.plain_text = rendered.html, rendered.text

    def _check_plain(
        self, located: LocatedText, source_ids: set[str], numbers_need_source: bool, log: ProblemLog
    ) -> None:
        text, line = located.text, located.line
        for match in TERM.finditer(text):
            term_id = match.group(1).strip()
            if term_id not in self.checker.term_ids:
                log.error(line, UNKNOWN_GLOSSARY_TERM, f"the glossary has no term '{term_id}'")
        cites = False
        for match in CITATION.finditer(text):
            cites = True
            if match.group(1) not in source_ids:
                log.error(
                    line, UNKNOWN_SOURCE, f"the decision aid lists no source '{match.group(1)}'"
                )
        if numbers_need_source and not cites:
            numbers = find_numbers(plain_words(text))
            if numbers:
                log.error(
                    line,
                    NUMBER_WITHOUT_SOURCE,
                    f"this sentence has a number ({numbers[0][1]}) but cites no source; "
                    "add [@source-id]",
                )

    # translations --------------------------------------------------------------

    def _check_structure(
        self, aid: DecisionAidDoc, original: DecisionAidDoc, log: ProblemLog
    ) -> None:
        """A translation has the same attributes, options, outcomes and values."""
        groups = (
            ("attribute", aid.attributes, original.attributes),
            ("option", aid.options, original.options),
            ("outcome", aid.outcomes, original.outcomes),
            ("value", aid.values, original.values),
        )
        source_name = Path(original.file).name
        for what, translated, source in groups:
            have = {item.id: item.line for item in translated}
            want = [item.id for item in source]
            missing = [item_id for item_id in want if item_id not in have]
            if missing:
                log.error(
                    translated[0].line if translated else 1,
                    REQUIRED_FIELD,
                    f"the translation has no {what} {', '.join(repr(m) for m in missing)} "
                    f"of {source_name}",
                )
            for item_id, line in have.items():
                if item_id not in want:
                    log.error(
                        line, ORPHAN_TRANSLATION, f"{what} '{item_id}' is not in {source_name}"
                    )

    def _compare_numbers(
        self, aid: DecisionAidDoc, original: DecisionAidDoc, log: ProblemLog, source_locale: str
    ) -> None:
        self.checker._compare_numbers(
            log,
            _text_numbers(aid),
            _text_numbers(original),
            aid.summary.line if aid.summary else 1,
            source_locale,
        )
        figures = {
            (outcome.id, figure.option_id): figure
            for outcome in original.outcomes
            for figure in outcome.figures
        }
        for outcome in aid.outcomes:
            for figure in outcome.figures:
                was = figures.get((outcome.id, figure.option_id))
                if was is None:
                    continue
                differs = []
                if figure.numerator is not None and figure.numerator != was.numerator:
                    differs.append("numerator")
                if figure.denominator is not None and figure.denominator != was.denominator:
                    differs.append("denominator")
                if figure.time_frame is not None and was.time_frame is not None:
                    have = sorted(n for _o, n in find_numbers(figure.time_frame))
                    want = sorted(n for _o, n in find_numbers(was.time_frame))
                    if have != want:
                        differs.append("time frame")
                if figure.certainty_reason is not None and was.certainty_reason is not None:
                    have = sorted(n for _o, n in find_numbers(plain_words(figure.certainty_reason)))
                    want = sorted(n for _o, n in find_numbers(plain_words(was.certainty_reason)))
                    if have != want:
                        differs.append("certainty reason")
                if differs:
                    log.error(
                        figure.line,
                        NUMBER_MISMATCH,
                        f"the {' and '.join(differs)} of '{figure.option_id}' in outcome "
                        f"'{outcome.id}' differ from the source",
                    )

    # IPDAS -----------------------------------------------------------------------

    def _ipdas(
        self,
        aid: DecisionAidDoc,
        original: DecisionAidDoc,
        source_ids: set[str],
        log: ProblemLog,
    ) -> None:
        if aid.is_source and aid.options_given and len(aid.options) < 2:
            log.error(
                aid.options_line,
                IPDAS_OPTIONS,
                f"a decision aid compares at least two options; this one has {len(aid.options)}",
            )
        attribute_ids = [attribute.id for attribute in original.attributes]
        for option in aid.options:
            self._benefit_harm(option, log)
            self._answers(option, attribute_ids, log)
        if aid.is_source:
            self._no_action(aid, log)
            self._disclosure(aid, log, required=True)
        elif aid.disclosure is not None:
            self._disclosure(aid, log, required=False)
        option_ids = [option.id for option in original.options]
        source_outcomes = {outcome.id: outcome for outcome in original.outcomes}
        for outcome in aid.outcomes:
            self._comparable(outcome.id, outcome.figures, option_ids, outcome.per_option_line, log)
            for figure in outcome.figures:
                self._probability(outcome.id, figure, source_ids, aid.is_source, log)
                self._certainty_reason(outcome.id, figure, aid.is_source, log)
            self._comparator(
                outcome, source_outcomes.get(outcome.id), option_ids, aid.is_source, log
            )
        if aid.is_source:
            self._harm_figures(aid, log)

    def _benefit_harm(self, option: OptionDoc, log: ProblemLog) -> None:
        if not option.benefits:
            log.error(
                option.benefits_line if option.benefits_line != 1 else option.line,
                IPDAS_BENEFIT_HARM,
                f"option '{option.id}' lists no benefit; give at least one",
            )
        if not option.harms:
            log.error(
                option.harms_line if option.harms_line != 1 else option.line,
                IPDAS_BENEFIT_HARM,
                f"option '{option.id}' lists no harm; give at least one",
            )

    def _answers(self, option: OptionDoc, attribute_ids: list[str], log: ProblemLog) -> None:
        if not option.answers_given:
            if attribute_ids:
                log.error(
                    option.line,
                    IPDAS_ATTRIBUTE_ANSWERS,
                    f"option '{option.id}' has no 'answers': answer every attribute question",
                )
            return
        missing = [a for a in attribute_ids if a not in option.answers]
        if missing:
            log.error(
                option.answers_line,
                IPDAS_ATTRIBUTE_ANSWERS,
                f"option '{option.id}' does not answer {', '.join(repr(m) for m in missing)}",
            )
        for attribute_id, answer in option.answers.items():
            if attribute_id not in attribute_ids:
                log.error(
                    answer.line,
                    IPDAS_ATTRIBUTE_ANSWERS,
                    f"option '{option.id}' answers '{attribute_id}', which is not an attribute",
                )

    def _no_action(self, aid: DecisionAidDoc, log: ProblemLog) -> None:
        if not aid.options or any(option.no_action for option in aid.options):
            return
        if aid.no_action_reason is None:
            log.error(
                aid.options_line,
                IPDAS_NO_ACTION,
                "no option means waiting or doing nothing (no_action: true), "
                "and no 'no_action_reason' says why",
            )

    def _disclosure(self, aid: DecisionAidDoc, log: ProblemLog, required: bool) -> None:
        disclosure = aid.disclosure
        if disclosure is None:
            if required:
                log.error(
                    1,
                    IPDAS_DISCLOSURE,
                    "the decision aid has no 'disclosure' (authors, funding, "
                    "conflicts of interest, evidence method, update policy)",
                )
            return
        for name in DISCLOSURE_FIELDS:
            if getattr(disclosure, name) is None:
                log.error(
                    disclosure.line,
                    IPDAS_DISCLOSURE,
                    f"the disclosure has no '{name}'",
                )

    def _comparable(
        self,
        outcome_id: str,
        figures: list[FigureDoc],
        option_ids: list[str],
        line: int,
        log: ProblemLog,
    ) -> None:
        given = {figure.option_id for figure in figures}
        missing = [option_id for option_id in option_ids if option_id not in given]
        if missing:
            log.error(
                line,
                IPDAS_COMPARABLE_OUTCOMES,
                f"outcome '{outcome_id}' gives no figure for {', '.join(repr(m) for m in missing)}"
                "; give every option, with numerator: null and a missing_reason where none exists",
            )
        for figure in figures:
            if figure.option_id not in option_ids:
                log.error(
                    figure.line,
                    IPDAS_COMPARABLE_OUTCOMES,
                    f"outcome '{outcome_id}' names '{figure.option_id}', which is not an option",
                )
        known = [figure for figure in figures if figure.option_id in option_ids]
        denominators: list[tuple[FigureDoc, int | str | None]] = [
            (f, f.denominator) for f in known if f.denominator is not None
        ]
        self._differ(outcome_id, "denominators", denominators, log)
        frames: list[tuple[FigureDoc, int | str | None]] = [
            (f, f.time_frame) for f in known if f.time_frame is not None
        ]
        self._differ(outcome_id, "time frames", frames, log)

    def _differ(
        self,
        outcome_id: str,
        what: str,
        values: list[tuple[FigureDoc, int | str | None]],
        log: ProblemLog,
    ) -> None:
        def key(value: int | str | None) -> str:
            return _same_text(value) if isinstance(value, str) else str(value)

        counts = Counter(key(value) for _figure, value in values)
        if len(counts) < 2:
            return
        usual = counts.most_common(1)[0][0]
        odd = next(figure for figure, value in values if key(value) != usual)
        listing = ", ".join(f"{figure.option_id}: {value}" for figure, value in values)
        log.error(
            odd.line,
            IPDAS_COMPARABLE_OUTCOMES,
            f"outcome '{outcome_id}' uses different {what} ({listing}); "
            "use the same for every option",
        )

    def _probability(
        self,
        outcome_id: str,
        figure: FigureDoc,
        source_ids: set[str],
        is_source: bool,
        log: ProblemLog,
    ) -> None:
        where = f"the figure for '{figure.option_id}' in outcome '{outcome_id}'"
        if figure.source is not None and figure.source not in source_ids:
            log.error(
                figure.source_line,
                IPDAS_PROBABILITY_SOURCE,
                f"{where} names the source '{figure.source}', which the decision aid does not list",
            )
        if not is_source or figure.numerator is None:
            return  # a translation takes its figures' sources from the source file
        if figure.source is None:
            log.error(figure.line, IPDAS_PROBABILITY_SOURCE, f"{where} has no source")
        if figure.certainty is None:
            log.error(
                figure.line,
                IPDAS_PROBABILITY_SOURCE,
                f"{where} has no certainty (high, moderate, low or very low)",
            )

    def _certainty_reason(
        self, outcome_id: str, figure: FigureDoc, is_source: bool, log: ProblemLog
    ) -> None:
        if not is_source or figure.numerator is None or figure.certainty_reason is not None:
            return  # a translation takes the reason from the source file when it gives none
        log.error(
            figure.line,
            FIGURE_WITHOUT_CERTAINTY_REASON,
            f"the figure for '{figure.option_id}' in outcome '{outcome_id}' has no "
            "'certainty_reason': say why the certainty is what it is "
            "(e.g. 'One large randomised trial; open-label')",
        )

    def _comparator(
        self,
        outcome: OutcomeDoc,
        source_outcome: OutcomeDoc | None,
        option_ids: list[str],
        is_source: bool,
        log: ProblemLog,
    ) -> None:
        """The comparator is an option with a figure, and every figure compared with
        it has the same denominator and time frame."""
        comparator, line = outcome.comparator, outcome.comparator_line
        if comparator is None:
            return
        where = f"outcome '{outcome.id}' compares with '{comparator}'"
        if not is_source:
            # A translation takes the comparator from its source; it may repeat it.
            said = source_outcome.comparator if source_outcome is not None else None
            if source_outcome is not None and comparator != said:
                log.error(
                    line,
                    COMPARATOR_MISMATCH,
                    f"{where}, but the source compares with "
                    f"{repr(said) if said else 'nothing'}; leave 'comparator' out here",
                )
            return
        if comparator not in option_ids:
            log.error(line, COMPARATOR_MISMATCH, f"{where}, which is not an option")
            return
        base = next((f for f in outcome.figures if f.option_id == comparator), None)
        if base is None or base.numerator is None:
            log.error(
                line,
                COMPARATOR_MISMATCH,
                f"{where}, which has no figure in it; compare with an option that has one",
            )
            return
        differ: list[str] = []
        for figure in outcome.figures:
            if figure is base or figure.option_id not in option_ids or figure.numerator is None:
                continue
            if (
                figure.denominator is not None
                and base.denominator is not None
                and figure.denominator != base.denominator
            ):
                differ.append(
                    f"'{figure.option_id}' is out of {figure.denominator}, "
                    f"'{comparator}' out of {base.denominator}"
                )
            if (
                figure.time_frame is not None
                and base.time_frame is not None
                and _same_text(figure.time_frame) != _same_text(base.time_frame)
            ):
                differ.append(
                    f"'{figure.option_id}' is over {figure.time_frame}, "
                    f"'{comparator}' over {base.time_frame}"
                )
        if differ:
            log.error(
                line,
                COMPARATOR_MISMATCH,
                f"{where}, but {'; '.join(differ)}; compared figures need the same "
                "denominator and time frame",
            )

    def _harm_figures(self, aid: DecisionAidDoc, log: ProblemLog) -> None:
        """Every option has a harm given as a number, or a stated reason why not."""
        for option in options_without_harm_figure(aid):
            log.error(
                option.line,
                OPTION_WITHOUT_HARM_FIGURE,
                f"option '{option.id}' has no harm given as a number: add an outcome "
                "with 'kind: harm' and a numerator for it, or numerator: null with a "
                "'missing_reason' saying why there is no figure",
            )

    def _check_values(self, aid: DecisionAidDoc, log: ProblemLog) -> None:
        option_ids = [option.id for option in aid.options]
        for value in aid.values:
            if not value.relates_to:
                continue  # missing or wrong: already reported
            missing = [o for o in option_ids if o not in value.relates_to]
            if missing:
                log.error(
                    value.relates_to_line,
                    REQUIRED_FIELD,
                    f"value '{value.id}' says nothing about {', '.join(repr(m) for m in missing)}",
                )
            for option_id, text in value.relates_to.items():
                if option_id not in option_ids:
                    log.error(
                        text.line, SCHEMA, f"value '{value.id}' names '{option_id}', not an option"
                    )

    # support directory -------------------------------------------------------------

    def _check_support(self, directories: list[SupportDirectoryDoc]) -> None:
        for directory in directories:
            log = self.log(directory.file)
            _duplicates(((e.id, e.line) for e in directory.entries), "entry", log)


def options_without_harm_figure(aid: DecisionAidDoc) -> list[OptionDoc]:
    """The options of a source decision aid with no harm outcome that gives them a
    numerator, or numerator: null with a missing_reason (rule 'option-without-harm-figure')."""
    return [
        option
        for option in aid.options
        if not any(
            outcome.kind == "harm"
            and figure.option_id == option.id
            and (figure.numerator is not None or figure.missing_reason is not None)
            for outcome in aid.outcomes
            for figure in outcome.figures
        )
    ]


def _text_numbers(aid: DecisionAidDoc) -> list[tuple[str, int]]:
    """Every number in the words of a decision aid, for comparing translations."""
    texts: list[LocatedText | MarkdownText | None] = [
        aid.title,
        aid.question,
        aid.summary,
        aid.no_action_reason,
    ]
    texts.extend(attribute.question for attribute in aid.attributes)
    for option in aid.options:
        texts.extend([option.title, option.description, *option.benefits, *option.harms])
        texts.extend(option.answers.values())
    for outcome in aid.outcomes:
        texts.extend([outcome.label, outcome.population])
    for value in aid.values:
        texts.append(value.statement)
        texts.extend(value.relates_to.values())
    numbers: list[tuple[str, int]] = []
    for text in texts:
        if text is not None:
            numbers.extend((n, text.line) for _o, n in find_numbers(plain_words(text.text)))
    return numbers
