"""Plain language: which texts patients read, and the rules 'reading-grade' and
'sentence-length' on them.

Readability formulas are noisy on a single short sentence, so each *whole* text is
graded as the reader meets it: a module (key message and body together), a
decision aid's summary, all of a decision aid's options together (descriptions,
benefits and harms), and a language's glossary (all definitions together). The
messages name the hardest part, so the author knows where to start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdm_app.content.markdown import readable
from sdm_app.content.model import LocatedText, PackContent
from sdm_app.content.problems import READING_GRADE, SENTENCE_LENGTH, Problem, ProblemLog
from sdm_app.content.readability import (
    CRAWFORD,
    TEXTSTAT_VERSION,
    Reading,
    measure,
    textstat_available,
)

# A part shorter than this is not graded on its own when naming the hardest part.
_MIN_PART_WORDS = 10
_FORMULA_NAMES = {CRAWFORD: "Crawford"}


@dataclass(frozen=True, slots=True)
class Part:
    label: str  # for messages: "line 34", "option 'tablets'", "'dna'"
    line: int
    blocks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PatientText:
    id: str  # e.g. 'module/biomarker-testing', 'decision-aid/x/options', 'glossary'
    what: str  # for messages: "the module 'biomarker-testing'"
    locale: str
    file: str
    line: int
    parts: tuple[Part, ...]

    @property
    def blocks(self) -> list[str]:
        return [block for part in self.parts for block in part.blocks]


def _block_parts(blocks: list[LocatedText]) -> list[Part]:
    return [Part(f"line {block.line}", block.line, (block.text,)) for block in blocks]


def patient_texts(content: PackContent) -> list[PatientText]:
    """The patient-facing texts of a checked pack (bodies are read by the check)."""
    texts: list[PatientText] = []
    for module in content.modules:
        if not module.readable:
            continue
        parts: list[Part] = []
        if module.key_message is not None:
            message = module.key_message
            parts.append(Part("the key message", message.line, (readable(message.text),)))
        parts.extend(_block_parts(module.reading_blocks))
        line = module.key_message.line if module.key_message else module.body_line
        texts.append(
            PatientText(
                f"module/{module.id}",
                f"the module '{module.id}'",
                module.locale,
                module.file,
                line,
                tuple(parts),
            )
        )
    for glossary in content.glossaries:
        definitions = [
            Part(f"'{term.id}'", term.definition.line, (readable(term.definition.text),))
            for term in glossary.terms
            if term.definition is not None
        ]
        if definitions:
            texts.append(
                PatientText(
                    "glossary",
                    "the glossary",
                    glossary.locale,
                    glossary.file,
                    definitions[0].line,
                    tuple(definitions),
                )
            )
    for aid in content.decision_aids:
        if not aid.readable:
            continue
        if aid.summary is not None:
            texts.append(
                PatientText(
                    f"decision-aid/{aid.id}/summary",
                    f"the summary of '{aid.id}'",
                    aid.locale,
                    aid.file,
                    aid.summary.line,
                    tuple(_block_parts(aid.summary.reading_blocks)),
                )
            )
        options = []
        for option in aid.options:
            blocks = (
                [block.text for block in option.description.reading_blocks]
                if (option.description is not None)
                else []
            )
            blocks.extend(readable(text.text) for text in [*option.benefits, *option.harms])
            options.append(Part(f"option '{option.id}'", option.line, tuple(blocks)))
        if options:
            texts.append(
                PatientText(
                    f"decision-aid/{aid.id}/options",
                    f"the options of '{aid.id}'",
                    aid.locale,
                    aid.file,
                    aid.options_line,
                    tuple(options),
                )
            )
    return texts


def formula_name(formula: str | None) -> str:
    return _FORMULA_NAMES.get(formula or "", "Flesch-Kincaid")


def check_plain_language(content: PackContent, problems: list[Problem]) -> None:
    """Warnings (not errors: the formulas are estimates) for texts above the ceilings."""
    pack = content.pack
    grade_max, words_max = pack.reading_grade_max, pack.sentence_words_max
    if grade_max is None and words_max is None:
        return
    if grade_max is not None and not textstat_available():
        ProblemLog(pack.file, problems).warning(
            pack.reading_grade_max_line,
            READING_GRADE,
            f"reading grades need textstat {TEXTSTAT_VERSION} installed; nothing was graded",
        )
    for text in patient_texts(content):
        reading = measure(text.blocks, text.locale)
        log = ProblemLog(text.file, problems)
        if grade_max is not None and reading.grade is not None and reading.grade > grade_max:
            log.error(
                text.line,
                READING_GRADE,
                f"{text.what} reads at grade {reading.grade:g} ({formula_name(reading.formula)}),"
                f" above the pack's reading_grade_max of {grade_max:g}{_hardest(text)}",
            )
        average = reading.sentence_words
        if words_max is not None and average is not None and average > words_max:
            log.error(
                text.line,
                SENTENCE_LENGTH,
                f"the sentences of {text.what} average {average:g} words, above the pack's "
                f"sentence_words_max of {words_max:g}{_longest(text)}",
            )


def _hardest(text: PatientText) -> str:
    if len(text.parts) < 2:
        return ""
    graded: list[tuple[float, Part]] = []
    for part in text.parts:
        reading: Reading = measure(part.blocks, text.locale)
        if reading.grade is not None and reading.words >= _MIN_PART_WORDS:
            graded.append((reading.grade, part))
    if not graded:
        return ""
    grade, part = max(graded, key=lambda item: item[0])
    return f"; hardest: {part.label} (grade {grade:g})"


def _longest(text: PatientText) -> str:
    from sdm_app.content.readability import count_sentences, joined

    best: tuple[float, Part] | None = None
    for part in text.parts:
        words, sentences = count_sentences(joined(part.blocks), text.locale)
        if sentences and (best is None or words / sentences > best[0]):
            best = (words / sentences, part)
    if best is None or len(text.parts) < 2:
        return ""
    return f"; longest on average: {best[1].label} ({best[0]:.0f} words a sentence)"
