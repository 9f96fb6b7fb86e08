"""The card's first parts in words: heading, origin, kind of finding, and what its
class or level means."""

from __future__ import annotations

from typing import NamedTuple

from sdm_app.core import knowledge as rules
from sdm_app.core.classification import Scheme, SchemeClass, scheme
from sdm_app.core.knowledge import LevelRule
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Origin,
    TestResult,
    TestType,
    germline_confirmed,
    germline_question_open,
)
from sdm_app.i18n import _
from sdm_app.services.cards.facts import FALLBACK_EFFECTS, MEASURE_KINDS, Facts, clean
from sdm_app.services.result_words import finding_name, measured_value

# Words -----------------------------------------------------------------------


def heading(facts: Facts) -> str:
    # "Inherited" only after a germline test: a tumour test cannot show it.
    result = facts.result
    finding = finding_name(result)
    if result.kind is BiomarkerKind.NO_FINDING:
        return _("No change found")
    if facts.negative:
        gene = clean(result.gene) or finding
        return _("{gene}: no change found").format(gene=gene)
    if result.kind in MEASURE_KINDS:
        return finding
    if germline_confirmed(result):
        return _("{finding}: inherited (germline)").format(finding=finding)
    if germline_question_open(result):
        return _("{finding}: may be inherited, not yet confirmed").format(finding=finding)
    if result.confirmation is Confirmation.NOT_GERMLINE or result.origin is Origin.SOMATIC:
        return _("{finding}: in the tumour only (somatic)").format(finding=finding)
    if result.origin is Origin.LIKELY_SOMATIC:
        return _("{finding}: probably in the tumour only (likely somatic)").format(finding=finding)
    if result.kind is BiomarkerKind.PHARMACOGENOMIC:
        return finding
    return _("{finding}: origin not stated").format(finding=finding)


def origin_sentences(facts: Facts) -> tuple[str, ...]:
    result = facts.result
    if facts.negative or result.kind in MEASURE_KINDS:
        return ()  # nothing was found, or a measure: no change to place
    if germline_confirmed(result):
        return (
            _(
                "A germline test found this change, so it was inherited. It is in every cell "
                "of the body. Blood relatives may have it too."
            ),
        )
    if result.confirmation is Confirmation.NOT_GERMLINE:
        return (
            _(
                "A germline test did not find this change, so it was not inherited. It is in "
                "the tumour only, and it is not passed on to children."
            ),
        )
    if germline_question_open(result):
        sentences = [
            _(
                "The report says this change may be inherited (germline). That is not "
                "confirmed yet. A germline test, on blood or saliva, can show it."
            )
        ]
        if result.test_type in (TestType.TUMOUR_ONLY, TestType.CTDNA):
            sentences.append(
                _(
                    "It was found by a test of the tumour's DNA. On its own, such a test cannot "
                    "tell an inherited change from one that arose in the tumour."
                )
            )
        return tuple(sentences)
    if result.origin is Origin.SOMATIC:
        return (
            _(
                "This change is reported as somatic: found in the tumour only. A somatic change "
                "is not passed on to children."
            ),
        )
    if result.origin is Origin.LIKELY_SOMATIC:
        return (
            _("The report says this change is likely somatic: it is probably in the tumour only."),
        )
    if result.kind is BiomarkerKind.PHARMACOGENOMIC:
        return ()
    return (
        _(
            "The report does not say if this change was inherited (germline) or is in the "
            "tumour only (somatic). Ask your care team."
        ),
    )


def _copy_number_sentence(result: TestResult) -> str:
    gene = clean(result.gene) or _("a gene")
    change = result.copy_number_change
    if change is CopyNumberChange.GAIN:
        text = _("The cells have extra copies of {gene}: a copy number gain.")
    elif change is CopyNumberChange.AMPLIFICATION:
        text = _(
            "The cells have many extra copies of {gene}: an amplification. Extra copies can make "
            "the cells produce more of the gene's protein."
        )
    elif change is CopyNumberChange.LOSS:
        text = _("The cells have lost a copy of {gene}: a copy number loss.")
    elif change is CopyNumberChange.DEEP_DELETION:
        text = _("Both copies of {gene} are missing from the cells: a deep deletion.")
    else:
        text = _(
            "It is a copy number change: the cells have more or fewer copies of {gene} than usual."
        )
    sentence = text.format(gene=gene)
    if result.copy_number.strip():
        sentence += " " + _("Copies counted on the report: {copies}.").format(
            copies=clean(result.copy_number)
        )
    return sentence


def _value_sentence(result: TestResult) -> str:
    value = " ".join(p for p in (clean(result.measure), measured_value(result)) if p)
    return _("The report gives: {value}.").format(value=value) if value else ""


def _measure_sentence(facts: Facts) -> str:
    result = facts.result
    marker = facts.biomarker
    if marker is not None:
        text = facts.text(marker.about, marker.provenance)
    elif result.kind is BiomarkerKind.SIGNATURE:
        text = _("It is a tumour signature: a measure taken across many genes of the tumour.")
    else:
        text = _(
            "It is an expression result: it measures how much of a gene's product, often a "
            "protein, the cells make."
        )
    value = _value_sentence(result)
    return f"{text} {value}" if value else text


def kind_sentence(facts: Facts) -> str:
    result = facts.result
    kind = result.kind
    if kind is BiomarkerKind.NO_FINDING:
        text = _("The report found no change to report in the genes the test looked at.")
        words = clean(result.alteration)
        if not words:
            return text
        said = _("The report says: {words}.").format(words=words)
        return f"{text} {said}"
    if facts.negative:
        gene = clean(result.gene)
        if gene:
            return _("The test found no change in {gene}. The report says: {words}.").format(
                gene=gene, words=clean(result.alteration)
            )
        return _("The test found no change. The report says: {words}.").format(
            words=clean(result.alteration)
        )
    if kind is BiomarkerKind.COPY_NUMBER:
        return _copy_number_sentence(result)
    if kind in MEASURE_KINDS:
        return _measure_sentence(facts)
    if kind is BiomarkerKind.FUSION:
        first, *rest = (*(p.strip() for p in result.partners if p.strip()), "", "")
        if first and rest[0]:
            return _(
                "It is a fusion: part of the {first} gene has joined part of the {second} gene "
                "({fusion}). This can make a protein that helps the cancer grow."
            ).format(first=first, second=rest[0], fusion=result.fusion_name)
        return _(
            "It is a fusion: two genes have joined together. This can make a protein that "
            "helps the cancer grow."
        )
    if kind is BiomarkerKind.PHARMACOGENOMIC:
        text = _(
            "It is a medicine-gene (pharmacogenomic) result. It is about how the body handles "
            "some medicines, not about the cancer itself."
        )
        if result.activity_score.strip():
            text += " " + _(
                "The report gives an activity score of {score}. It shows how well the enzyme "
                "made by this gene works."
            ).format(score=clean(result.activity_score))
        return text
    if kind is BiomarkerKind.SEQUENCE_VARIANT:
        return _("It is a variant: a change in the DNA code of a gene.")
    return _(
        "The report lists another kind of result. Ask your care team what the test looked for."
    )


# The class or level --------------------------------------------------------------


class ClassPart(NamedTuple):
    sentences: tuple[str, ...]
    known: bool
    scheme: Scheme | None
    klass: SchemeClass | None
    effect: str  # a core.knowledge effect, "" when the class is unknown
    level: LevelRule | None


def classify(result: TestResult, facts: Facts | None = None) -> ClassPart:
    scheme_id, code = result.scheme_id.strip(), clean(result.class_code)
    if not scheme_id and not code:
        return ClassPart(
            (_("The report gives no class or tier for this result."),), False, None, None, "", None
        )
    if not scheme_id:
        text = _(
            "The report's classification '{code}' was entered without its scheme, so the app "
            "cannot explain it. Ask your care team what it means."
        ).format(code=code)
        return ClassPart((text,), False, None, None, "", None)
    found = scheme(scheme_id)
    if found is None:
        if code:
            text = _(
                "The report gives the class '{code}' from the scheme '{scheme}'. This scheme is "
                "not one the app knows. Ask your care team what it means."
            ).format(code=code, scheme=scheme_id)
        else:
            text = _(
                "The report's classification scheme '{scheme}' is not one the app knows. Ask "
                "your care team what it means."
            ).format(scheme=scheme_id)
        return ClassPart((text,), False, None, None, "", None)
    if not code:
        text = _(
            "The report names the {scheme} but gives no class. Ask your care team what the "
            "result means."
        ).format(scheme=_(found.name))
        return ClassPart((text,), False, found, None, "", None)
    klass = found.find(code)
    if klass is None:
        text = _(
            "The report's classification '{code}' is not one the app knows in the {scheme}. "
            "Ask your care team what it means."
        ).format(code=code, scheme=_(found.name))
        return ClassPart((text,), False, found, None, "", None)
    label = _("The report puts this result in the class “{label}” ({code}).").format(
        code=klass.code, label=_(klass.label)
    )
    level = facts.knowledge.level(found.id, klass.code) if facts is not None else None
    if level is None or facts is None:
        return ClassPart(
            (label, _("Ask your care team what this class means for you.")),
            True,
            found,
            klass,
            FALLBACK_EFFECTS.get(klass.meaning, ""),
            None,
        )
    sentences = [
        label,
        facts.text(level.text, level.provenance),
        facts.text(level.meaning.text, level.meaning.provenance),
    ]
    effect = level.meaning.effect
    if effect == rules.PATHOGENIC:
        pharmacogene = facts.gene_with("pharmacogene")
        hereditary = facts.gene_with("hereditary")
        if pharmacogene is not None:
            facts.used.append(pharmacogene.provenance)
            sentences.append(
                _(
                    "A harmful change in this gene does not cause cancer. It changes how the "
                    "body handles some medicines."
                )
            )
        elif hereditary is not None:
            facts.used.append(hereditary.provenance)
            sentences.append(_("Harmful changes in this gene can raise the risk of some cancers."))
    return ClassPart(tuple(sentences), True, found, klass, effect, level)
