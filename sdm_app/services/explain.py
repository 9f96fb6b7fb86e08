"""A plain explanation of one test result, as a card: what kind of finding it is,
what its class or level means, what it means in this type of cancer, what a
"target" means here and what it does not, what it means for relatives and for
medicines, where to learn more, and the patient communities for the biomarker.

The card engine holds no clinical knowledge of its own: which genes are
hereditary cancer genes or pharmacogenes, what each level means, what a finding
means in one type of cancer and which words mean "nothing found" all come from
the content packs' knowledge files (``core.knowledge``), with their sources and
review. No gene or biomarker is named in this module, and a test keeps it so.

The app never computes a class: it explains the one written on the report. It
never recommends a treatment: therapies are named exactly as the report wrote
them. Anything it does not know gives a plain "ask your care team" sentence
instead of an empty card or an error.

Qt-free. The card's frame follows the UI language (``_``); knowledge texts,
module titles and community entries come from the content library in the
requested ``locale``, each marked when it is not in that language, machine-assisted
or not yet clinically reviewed. ``card_html`` escapes every string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple, Protocol

from sdm_app.core import knowledge as rules
from sdm_app.core.classification import (
    ACTIONABLE,
    BENIGN,
    DRUG_RESPONSE,
    PATHOGENIC,
    RESISTANCE,
    UNCERTAIN,
    Scheme,
    SchemeClass,
    scheme,
)
from sdm_app.core.decision_aid import SupportEntry
from sdm_app.core.knowledge import (
    BiomarkerRule,
    Citation,
    GeneRule,
    Knowledge,
    KnowledgeText,
    LevelRule,
    Provenance,
)
from sdm_app.core.library import Module
from sdm_app.core.results import (
    GERMLINE_ORIGINS,
    SOMATIC_ORIGINS,
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestResult,
    TestType,
    germline_confirmed,
    germline_question_open,
)
from sdm_app.i18n import _
from sdm_app.services.page_parts import direction, ui_direction
from sdm_app.services.result_words import (
    finding_name,
    measured_value,
    report_facts,
    therapy_groups,
)

# How specific a "learn more" module is; lower sorts first.
SPECIFIC = 0  # about this gene in this tumour type
GENE = 1  # about this gene or biomarker
GENERAL = 2  # about this kind of result

# Section keys, so the UI and tests can find a part of the card.
TUMOUR_CONTEXT = "tumour_context"  # what this finding means in this type of cancer
BIOMARKER = "biomarker"  # what a measure across the tumour means
TARGET = "target"
EARLY_EVIDENCE = "early_evidence"  # early evidence only: no medicine is expected to work
THERAPIES = "therapies"  # treatments named on a result whose class is not about treatment
NEGATIVE = "negative"  # the test found nothing in this gene
NO_ACTIONABLE = "no_actionable"
NEGATIVE_BLOOD = "negative_blood"
CLONAL = "clonal_haematopoiesis"  # a change in blood that may come from ageing blood cells
HEREDITARY_CHECK = "hereditary_check"  # a tumour result that calls for an inherited cause check
CONFIRM_GERMLINE = "confirm_germline"  # may be inherited: a germline test comes first
RELATIVES = "relatives"
UNCERTAIN_RESULT = "uncertain"
MEDICINES = "medicines"

FAMILY_MODULE = "family-and-cascade-testing"

# Kinds whose result is about a named gene: an empty gene leaves the card vague.
_GENE_KINDS = frozenset(
    {
        BiomarkerKind.SEQUENCE_VARIANT,
        BiomarkerKind.FUSION,
        BiomarkerKind.COPY_NUMBER,
        BiomarkerKind.EXPRESSION,
        BiomarkerKind.PHARMACOGENOMIC,
        BiomarkerKind.OTHER,
    }
)
# Kinds that describe a change in the DNA, which may be inherited.
_DNA_KINDS = frozenset(
    {BiomarkerKind.SEQUENCE_VARIANT, BiomarkerKind.COPY_NUMBER, BiomarkerKind.OTHER}
)
# Kinds measured across the tumour or as a protein: never inherited as such.
_MEASURE_KINDS = frozenset({BiomarkerKind.SIGNATURE, BiomarkerKind.EXPRESSION})
_TUMOUR_TESTS = frozenset({TestType.TUMOUR_ONLY, TestType.CTDNA, TestType.UNKNOWN})

# A scheme class's meaning, when the knowledge has no entry for its level.
_FALLBACK_EFFECTS = {
    PATHOGENIC: rules.PATHOGENIC,
    UNCERTAIN: rules.UNCERTAIN,
    BENIGN: rules.BENIGN,
    ACTIONABLE: rules.TREATMENT,
    RESISTANCE: rules.RESISTANCE,
    DRUG_RESPONSE: rules.DRUG_RESPONSE,
}
_HARMFUL_EFFECTS = frozenset({rules.PATHOGENIC, rules.TREATMENT, rules.EARLY, rules.RESISTANCE})
_QUIET_EFFECTS = frozenset({rules.UNCERTAIN, rules.BENIGN})


class ContentSource(Protocol):
    """What the explanation reads from the content library (``ContentLibrary`` fits)."""

    def module(self, module_id: str, locale: str) -> Module | None: ...

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]: ...

    def knowledge(self, locale: str) -> Knowledge: ...


class LearnMore(NamedTuple):
    module_id: str
    title: str  # in ``locale``, or in the module's source language when not translated
    locale: str  # the language of ``title``
    level: int  # SPECIFIC, GENE or GENERAL


class ItemList(NamedTuple):
    lead: str  # the sentence before the list
    items: tuple[str, ...]  # texts as written on the report (therapies) or in the content
    direction: Direction = Direction.OTHER


class CardSection(NamedTuple):
    key: str  # TARGET, RELATIVES, ...
    heading: str
    paragraphs: tuple[str, ...]
    lists: tuple[ItemList, ...] = ()  # shown after the paragraphs
    links: tuple[LearnMore, ...] = ()


class ExplanationCard(NamedTuple):
    heading: str  # gene, alteration and origin in words
    finding: tuple[str, ...]  # what kind of finding it is
    class_meaning: tuple[str, ...]  # what its class or level means (or a safe fallback)
    class_known: bool  # False when the scheme or class is missing or unknown
    scheme_line: str  # the scheme's name and version, "" when unknown
    scheme_source: str  # the scheme's citation, "" when unknown
    explainer: LearnMore | None  # the module that explains the class
    sections: tuple[CardSection, ...]
    notes: tuple[str, ...]  # what the app could not explain, and what to ask instead
    learn_more: tuple[LearnMore, ...]  # most specific first; the explainer is not repeated
    communities: tuple[SupportEntry, ...]  # for this biomarker only
    locale: str  # the content language asked for
    facts: tuple[str, ...] = ()  # the report's facts, for clinicians (test, HGVS, VAF ...)
    status_notes: tuple[str, ...] = ()  # untranslated, machine-assisted, not reviewed
    sources: tuple[Citation, ...] = ()  # of the clinical rules the card used

    def section(self, key: str) -> CardSection | None:
        return next((s for s in self.sections if s.key == key), None)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


# What the knowledge says about this result ----------------------------------------


@dataclass
class _Facts:
    """The knowledge that applies to one result, and what was used (for sources)."""

    result: TestResult
    knowledge: Knowledge
    condition: str
    genes: tuple[GeneRule, ...] = ()
    biomarker: BiomarkerRule | None = None
    state: str = ""  # rules.POSITIVE, rules.NEGATIVE or ""
    negative: bool = False
    texts: list[KnowledgeText] = field(default_factory=list)
    used: list[Provenance] = field(default_factory=list)

    def __post_init__(self) -> None:
        result, knowledge = self.result, self.knowledge
        found = (knowledge.gene(name) for name in result.genes)
        self.genes = tuple(dict.fromkeys(rule for rule in found if rule is not None))
        names = (result.gene, *result.genes) if result.gene.strip() else result.genes
        self.biomarker = next(
            (b for b in (knowledge.biomarker(name) for name in names) if b is not None), None
        )
        if self.biomarker is not None:
            words = (result.gene, result.alteration, result.value, result.measure)
            self.state = knowledge.biomarker_state(self.biomarker, words)
        self.negative = result.kind is BiomarkerKind.NO_FINDING or (
            result.kind not in _MEASURE_KINDS
            and knowledge.says_nothing_found(_clean(result.alteration))
        )

    def text(self, item: KnowledgeText, provenance: Provenance) -> str:
        self.texts.append(item)
        self.used.append(provenance)
        return item.text

    def gene_with(self, test: str) -> GeneRule | None:
        for rule in self.genes:
            if (test == "hereditary" and rule.hereditary) or (
                test == "pharmacogene" and rule.pharmacogene
            ):
                return rule
            if test == "clonal" and rule.clonal_haematopoiesis:
                return rule
        return None


def _knowledge(library: ContentSource, locale: str) -> Knowledge:
    try:
        return library.knowledge(locale)
    except Exception:  # a damaged library must not break the results step
        return Knowledge()


def gene_module_ids(result: TestResult, knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """Candidate modules about the gene or biomarker, most specific first."""
    knowledge = knowledge or Knowledge()
    ids: list[str] = []
    for gene in result.genes:
        rule = knowledge.gene(gene)
        if rule is not None:
            ids.extend(rule.modules)
        slug = _slug(gene)
        if slug:
            ids.append(f"gene-{slug}")
    marker = knowledge.biomarker(result.gene)
    if marker is not None:
        ids.extend(marker.modules)
    return tuple(dict.fromkeys(ids))


def specific_module_ids(
    result: TestResult, condition: str, knowledge: Knowledge | None = None
) -> tuple[str, ...]:
    """Candidate modules about this gene in this tumour type: ``gene-<gene>-<condition>``."""
    condition_slug = _slug(condition)
    if not condition_slug:
        return ()
    conditions = [condition_slug]
    for suffix in ("-cancer", "-tumour", "-tumor", "-carcinoma"):
        if condition_slug.endswith(suffix) and len(condition_slug) > len(suffix):
            conditions.append(condition_slug[: -len(suffix)])
    bases = [m for m in gene_module_ids(result, knowledge) if m.startswith("gene-")]
    return tuple(dict.fromkeys(f"{base}-{cond}" for base in bases for cond in conditions))


def community_names(result: TestResult, knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """The biomarker names to look up patient communities for."""
    knowledge = knowledge or Knowledge()
    names: list[str] = []
    for gene in result.genes:
        names.append(_clean(gene))
        rule = knowledge.gene(gene)
        if rule is not None:
            names.extend(rule.communities)
    marker = knowledge.biomarker(result.gene)
    if marker is not None:
        names.extend(marker.communities)
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# Words -----------------------------------------------------------------------


def _heading(facts: _Facts) -> str:
    # "Inherited" only after a germline test: a tumour test cannot show it.
    result = facts.result
    finding = finding_name(result)
    if result.kind is BiomarkerKind.NO_FINDING:
        return _("No change found")
    if facts.negative:
        gene = _clean(result.gene) or finding
        return _("{gene}: no change found").format(gene=gene)
    if result.kind in _MEASURE_KINDS:
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


def _origin_sentences(facts: _Facts) -> tuple[str, ...]:
    result = facts.result
    if facts.negative or result.kind in _MEASURE_KINDS:
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
    gene = _clean(result.gene) or _("a gene")
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
            copies=_clean(result.copy_number)
        )
    return sentence


def _value_sentence(result: TestResult) -> str:
    value = " ".join(p for p in (_clean(result.measure), measured_value(result)) if p)
    return _("The report gives: {value}.").format(value=value) if value else ""


def _measure_sentence(facts: _Facts) -> str:
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


def _kind_sentence(facts: _Facts) -> str:
    result = facts.result
    kind = result.kind
    if kind is BiomarkerKind.NO_FINDING:
        text = _("The report found no change to report in the genes the test looked at.")
        words = _clean(result.alteration)
        return f"{text} {_('The report says: {words}.').format(words=words)}" if words else text
    if facts.negative:
        gene = _clean(result.gene)
        if gene:
            return _("The test found no change in {gene}. The report says: {words}.").format(
                gene=gene, words=_clean(result.alteration)
            )
        return _("The test found no change. The report says: {words}.").format(
            words=_clean(result.alteration)
        )
    if kind is BiomarkerKind.COPY_NUMBER:
        return _copy_number_sentence(result)
    if kind in _MEASURE_KINDS:
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
            ).format(score=_clean(result.activity_score))
        return text
    if kind is BiomarkerKind.SEQUENCE_VARIANT:
        return _("It is a variant: a change in the DNA code of a gene.")
    return _(
        "The report lists another kind of result. Ask your care team what the test looked for."
    )


# The class or level --------------------------------------------------------------


class _ClassPart(NamedTuple):
    sentences: tuple[str, ...]
    known: bool
    scheme: Scheme | None
    klass: SchemeClass | None
    effect: str  # a core.knowledge effect, "" when the class is unknown
    level: LevelRule | None


def _classify(result: TestResult, facts: _Facts | None = None) -> _ClassPart:
    scheme_id, code = result.scheme_id.strip(), _clean(result.class_code)
    if not scheme_id and not code:
        return _ClassPart(
            (_("The report gives no class or tier for this result."),), False, None, None, "", None
        )
    if not scheme_id:
        text = _(
            "The report's classification '{code}' was entered without its scheme, so the app "
            "cannot explain it. Ask your care team what it means."
        ).format(code=code)
        return _ClassPart((text,), False, None, None, "", None)
    found = scheme(scheme_id)
    if found is None:
        if code:
            text = _(
                "The report's classification '{code}' (scheme '{scheme}') is not one the app "
                "knows. Ask your care team what it means."
            ).format(code=code, scheme=scheme_id)
        else:
            text = _(
                "The report's classification scheme '{scheme}' is not one the app knows. Ask "
                "your care team what it means."
            ).format(scheme=scheme_id)
        return _ClassPart((text,), False, None, None, "", None)
    if not code:
        text = _(
            "The report names the {scheme} but gives no class. Ask your care team what the "
            "result means."
        ).format(scheme=_(found.name))
        return _ClassPart((text,), False, found, None, "", None)
    klass = found.find(code)
    if klass is None:
        text = _(
            "The report's classification '{code}' is not one the app knows in the {scheme}. "
            "Ask your care team what it means."
        ).format(code=code, scheme=_(found.name))
        return _ClassPart((text,), False, found, None, "", None)
    label = _("The report classifies this result as “{label}” ({code}).").format(
        code=klass.code, label=_(klass.label)
    )
    level = facts.knowledge.level(found.id, klass.code) if facts is not None else None
    if level is None or facts is None:
        return _ClassPart(
            (label, _("Ask your care team what this class means for you.")),
            True,
            found,
            klass,
            _FALLBACK_EFFECTS.get(klass.meaning, ""),
            None,
        )
    sentences = [
        label,
        facts.text(level.text, level.provenance),
        facts.text(level.meaning.text, level.meaning.provenance),
    ]
    effect = level.meaning.effect
    if effect == rules.PATHOGENIC:
        if facts.gene_with("pharmacogene") is not None:
            sentences.append(
                _(
                    "A harmful change in this gene does not cause cancer. It changes how the "
                    "body handles some medicines."
                )
            )
        elif facts.gene_with("hereditary") is not None:
            sentences.append(_("Harmful changes in this gene can raise the risk of some cancers."))
    return _ClassPart(tuple(sentences), True, found, klass, effect, level)


# Sections ----------------------------------------------------------------------


def therapy_lists(result: TestResult, *, early: bool = False) -> tuple[ItemList, ...]:
    """The report's therapies, each group led by what the report says they do.
    ``early``: the level is early evidence, so none is said to be expected to work."""
    leads = {
        Direction.SENSITIVE: _(
            "The report links these treatments to this change as expected to work against "
            "tumours that have it. That is evidence about the change, not a promise for you:"
        ),
        Direction.RESISTANT: _(
            "The report says these treatments are expected not to work when the tumour has "
            "this change:"
        ),
        Direction.OTHER: _(
            "The report names these treatments for this result, shown here as written on the "
            "report:"
        ),
    }
    if early:
        leads[Direction.SENSITIVE] = _(
            "The report names these treatments. The evidence for them is early:"
        )
    return tuple(
        ItemList(leads[direction], names, direction) for direction, names in therapy_groups(result)
    )


def _no_advice() -> str:
    return _(
        "This app does not recommend treatments. Whether a treatment fits you is a decision "
        "to make with your care team."
    )


def _context_section(facts: _Facts, effect: str) -> CardSection | None:
    result = facts.result
    if facts.negative or effect in _QUIET_EFFECTS:
        return None
    found = facts.knowledge.contexts_for(
        result.genes,
        (result.alteration, result.hgvs_p, result.hgvs_c),
        result.kind.value,
        facts.condition,
    )
    if not found:
        return None
    return CardSection(
        TUMOUR_CONTEXT,
        _("In your type of cancer"),
        tuple(facts.text(rule.text, rule.provenance) for rule in found),
    )


def _biomarker_section(facts: _Facts) -> CardSection | None:
    marker = facts.biomarker
    if marker is None or facts.result.kind not in _MEASURE_KINDS:
        return None
    if facts.state == rules.POSITIVE and marker.when_positive is not None:
        text = facts.text(marker.when_positive, marker.provenance)
    elif facts.state == rules.NEGATIVE and marker.when_negative is not None:
        text = facts.text(marker.when_negative, marker.provenance)
    else:
        text = _(
            "What counts as high or low depends on the type of cancer and the medicine. Ask "
            "your care team what your result means."
        )
    return CardSection(BIOMARKER, _("What this result means"), (text,))


def _target_section(effect: str, result: TestResult, condition: str) -> CardSection:
    lists = therapy_lists(result)
    resistant = effect == rules.RESISTANCE or any(
        group.direction is Direction.RESISTANT for group in lists
    )
    condition = _clean(condition)
    if resistant:
        heading = _("What this result means for treatment, and what it does not")
        first = _(
            "Resistance means a treatment is expected not to work, or to work less well, "
            "against this change."
        )
    else:
        heading = _("What a “target” means here, and what it does not")
        first = _(
            "A target is a change in the tumour that a medicine can act on. It does not mean "
            "that a treatment will work for you, or that it is the right choice for you."
        )
    paragraphs = [
        first,
        _(
            "The same change can mean different things in different types of cancer. A medicine "
            "that works against it in one cancer may not work in another."
        ),
    ]
    if condition:
        paragraphs.append(
            _("Does this apply to your cancer ({condition})? Ask your care team.").format(
                condition=condition
            )
        )
    else:
        paragraphs.append(_("Does this apply to your type of cancer? Ask your care team."))
    paragraphs.append(_no_advice())
    if not lists:
        paragraphs.append(_("The report does not name a treatment for this result."))
    return CardSection(TARGET, heading, tuple(paragraphs), lists)


def _early_section() -> CardSection:
    return CardSection(
        EARLY_EVIDENCE,
        _("Early evidence only"),
        (
            _(
                "The evidence that links this change to a medicine is limited. It is not enough "
                "to know if a medicine helps."
            ),
            _("A clinical trial may be a way to get such a medicine. Ask your care team."),
        ),
    )


def _therapies_section(result: TestResult) -> CardSection:
    """Treatments a report names on a result whose class is not about treatment."""
    return CardSection(
        THERAPIES,
        _("Treatments named on the report"),
        (_("This app does not recommend treatments. Ask your care team what these mean for you."),),
        therapy_lists(result, early=True),
    )


def _relatives_section(facts: _Facts, family: LearnMore | None) -> CardSection:
    """Only for a change a germline test has confirmed."""
    blood = _(
        "Blood relatives, such as parents, brothers, sisters and children, may have the same "
        "change. Partners and relatives by marriage do not share it."
    )
    if facts.gene_with("pharmacogene") is not None and facts.gene_with("hereditary") is None:
        paragraphs = (
            blood,
            _(
                "It matters for them only if they ever need these medicines. A test can show if "
                "they have it."
            ),
            _("Whether and when to tell relatives is up to you."),
        )
    else:
        paragraphs = (
            blood,
            _(
                "Relatives can choose a test for this one change. This is called cascade "
                "testing. Knowing can help them decide about checks or prevention."
            ),
            _(
                "A genetic counsellor can explain what this means for you and your family, and "
                "help you tell relatives. Whether and when to share is up to you."
            ),
        )
    return CardSection(
        RELATIVES,
        _("What it means for your blood relatives"),
        paragraphs,
        links=(family,) if family else (),
    )


def _germline_test_sentences(facts: _Facts) -> list[str]:
    """Why a germline test comes first: the report's open question, then the rule for
    this gene (if the knowledge has one), else the general tumour-test caution."""
    result = facts.result
    sentences: list[str] = []
    if germline_question_open(result):
        sentences.append(
            _(
                "This change may be inherited, but that is not confirmed. It needs a germline "
                "test, on blood or saliva, before relatives are told about it."
            )
        )
    hereditary = facts.gene_with("hereditary")
    if hereditary is not None and result.test_type in _TUMOUR_TESTS:
        facts.used.append(hereditary.provenance)
        if hereditary.follow_up == rules.FOLLOW_UP_ANY_TUMOUR:
            sentences.append(
                _(
                    "Guidelines advise a germline test, on blood or saliva, when a tumour test "
                    "finds a harmful change in this gene, whatever the type of cancer."
                )
            )
        else:
            sentences.append(
                _(
                    "Whether a germline test is advised for a change in this gene depends on the "
                    "type of cancer, your age and your family history. Ask your care team."
                )
            )
    if not sentences:
        sentences.append(
            _(
                "A tumour test can sometimes find a change that was inherited. Ask your care "
                "team if a germline test, on blood or saliva, is advised."
            )
        )
    return sentences


def _confirm_germline_section(facts: _Facts, family: LearnMore | None) -> CardSection:
    """A change that may be inherited: the germline test comes before relatives."""
    return CardSection(
        CONFIRM_GERMLINE,
        _("Before relatives are told"),
        (
            *_germline_test_sentences(facts),
            _(
                "Until a germline test confirms it, relatives are not offered a test for this "
                "change."
            ),
            _(
                "If a germline test confirms it, a genetic counsellor can explain what it means "
                "for your blood relatives."
            ),
        ),
        links=(family,) if family else (),
    )


def _hereditary_check_section(facts: _Facts, family: LearnMore | None) -> CardSection | None:
    marker = facts.biomarker
    if marker is None or marker.hereditary_check is None or facts.state != rules.POSITIVE:
        return None
    return CardSection(
        HEREDITARY_CHECK,
        _("Checking for an inherited cause"),
        (
            facts.text(marker.hereditary_check, marker.provenance),
            _("Until then, this result does not show that the cancer was inherited."),
        ),
        links=(family,) if family else (),
    )


def _uncertain_section(result: TestResult, scheme_origin: str) -> CardSection:
    paragraphs = [
        _(
            "This result should not change your care on its own. Decisions are based on your "
            "other results and your personal and family history."
        ),
        _(
            "As more is learned, an uncertain result can be reclassified. Ask your care team how "
            "you would hear about it."
        ),
    ]
    if scheme_origin == "germline" or result.origin in GERMLINE_ORIGINS:
        paragraphs.append(_("Relatives are not usually offered testing for an uncertain change."))
    return CardSection(UNCERTAIN_RESULT, _("An uncertain result"), tuple(paragraphs))


def _no_actionable_section() -> CardSection:
    return CardSection(
        NO_ACTIONABLE,
        _("What “no actionable finding” means, and what it does not"),
        (
            _(
                "It means the test did not find a change that the lab links to a targeted "
                "treatment today."
            ),
            _(
                "It does not mean there is no treatment. Standard treatments, such as surgery, "
                "chemotherapy, radiotherapy or immunotherapy, may still be options, and so may "
                "clinical trials."
            ),
            _(
                "It does not mean the tumour has no changes at all: a test looks only at the "
                "genes it covers. New targets are found over time, so testing again later can "
                "sometimes help."
            ),
            _(
                "A tumour test is not a test for inherited risk, unless the report says it "
                "looked for inherited changes."
            ),
        ),
    )


def _negative_section() -> CardSection:
    return CardSection(
        NEGATIVE,
        _("What a negative result means"),
        (
            _(
                "A test looks only for the changes it covers. A change it does not cover can "
                "still be there."
            ),
            _("Ask your care team what this result means for your treatment."),
        ),
    )


def _negative_blood_section() -> CardSection:
    return CardSection(
        NEGATIVE_BLOOD,
        _("The limits of a negative blood test"),
        (
            _(
                "This test looked for tumour DNA in a blood sample (a liquid biopsy). Some "
                "tumours release very little DNA into the blood, so a change can be missed."
            ),
            _(
                "A negative blood test does not rule out a change in the tumour. When a blood "
                "test finds nothing, a test on a tissue sample is often advised."
            ),
            _("Ask your care team if a tissue test is possible or planned."),
        ),
    )


def _per_cent(text: str) -> float | None:
    cleaned = _clean(text).removesuffix("%").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _clonal_section(facts: _Facts) -> CardSection | None:
    result = facts.result
    rule = facts.gene_with("clonal")
    in_blood = result.sample is Sample.BLOOD or result.test_type is TestType.CTDNA
    if rule is None or not in_blood or facts.negative or result.kind not in _DNA_KINDS:
        return None
    if germline_confirmed(result):
        return None  # a germline test placed it
    facts.used.append(rule.provenance)
    paragraphs = [
        _(
            "A change in this gene found in blood may come from ageing blood cells, not from the "
            "tumour and not from inheritance. This is called clonal haematopoiesis."
        )
    ]
    vaf = _per_cent(result.vaf)
    low = facts.knowledge.clonal_low_vaf_percent
    if vaf is not None and low is not None and vaf < low:
        facts.used.append(facts.knowledge.clonal_provenance)
        paragraphs.append(
            _(
                "The change was found in a small share of the DNA tested ({vaf}%), so blood cells "
                "are a likely source."
            ).format(vaf=_clean(result.vaf).removesuffix("%").strip())
        )
    paragraphs.append(
        _("Ask your care team if a test of a tumour sample or of blood cells is needed.")
    )
    return CardSection(CLONAL, _("A change that may come from blood cells"), tuple(paragraphs))


def _medicines_section(facts: _Facts) -> CardSection:
    result = facts.result
    rule = facts.gene_with("pharmacogene")
    lists: tuple[ItemList, ...] = ()
    if rule is not None:
        facts.used.append(rule.provenance)
        lists = (ItemList(_("Medicines this gene is known to affect include:"), rule.drugs),)
    somatic = result.confirmation is Confirmation.NOT_GERMLINE or result.origin is Origin.SOMATIC
    germline = (
        germline_confirmed(result)
        or result.origin in GERMLINE_ORIGINS
        or result.test_type is TestType.GERMLINE
        or (result.kind is BiomarkerKind.PHARMACOGENOMIC and result.origin not in SOMATIC_ORIGINS)
    )
    if somatic:
        lasting = _(
            "This change was found in the tumour only. It does not change how your body handles "
            "medicines, or your dose."
        )
    elif result.origin is Origin.LIKELY_SOMATIC:
        lasting = _(
            "The report says this change is probably in the tumour only. If so, it does not "
            "change how your body handles medicines. Ask if a blood test is needed to be sure."
        )
    elif germline:
        lasting = _(
            "Tell every doctor and pharmacist who prescribes medicines for you about this "
            "result. It stays the same all your life."
        )
    else:
        lasting = _(
            "A tumour test cannot always tell if this change is inherited. Ask your care team if "
            "a blood test is needed before these medicines are used."
        )
    return CardSection(
        MEDICINES,
        _("What it means for your medicines"),
        (
            _(
                "This result is about how your body breaks down some medicines. It does not "
                "show whether you have cancer or how a cancer will grow."
            ),
            _(
                "With some results, a medicine's dose may need to be lower, or a different "
                "medicine may be used, to lower the risk of serious side effects."
            ),
            _(
                "Your care team decides the dose. Do not change how you take any medicine on "
                "your own."
            ),
            lasting,
        ),
        lists,
    )


def _may_concern_relatives(facts: _Facts, effect: str) -> bool:
    """A change that would matter for relatives if inherited."""
    result = facts.result
    if facts.negative or result.kind not in _DNA_KINDS:
        return False  # nothing found, a fusion (arises in the tumour) or a measure
    if result.test_type is TestType.TUMOUR_NORMAL and result.origin in SOMATIC_ORIGINS:
        return False  # compared with the patient's normal sample: not inherited
    if effect == rules.PATHOGENIC:
        return True
    if effect not in _HARMFUL_EFFECTS:
        return False
    return facts.gene_with("hereditary") is not None or result.origin in GERMLINE_ORIGINS


def germline_test_first(result: TestResult, knowledge: Knowledge | None = None) -> str:
    """The card's first sentence on testing before relatives are told, or "" when the
    change is confirmed, shown not germline, or of a class that does not concern them."""
    facts = _Facts(result, knowledge or Knowledge(), "")
    part = _classify(result, facts)
    if (
        not _may_concern_relatives(facts, part.effect)
        or germline_confirmed(result)
        or result.confirmation is Confirmation.NOT_GERMLINE
        or facts.gene_with("pharmacogene") is not None
    ):
        return ""
    return _germline_test_sentences(facts)[0]


# The card ------------------------------------------------------------------------


class _Modules:
    """Module lookups for one card, each id asked once."""

    def __init__(self, library: ContentSource, locale: str) -> None:
        self._library = library
        self._locale = locale
        self._seen: dict[str, Module | None] = {}

    def get(self, module_id: str, level: int) -> LearnMore | None:
        if not module_id:
            return None
        if module_id not in self._seen:
            try:
                self._seen[module_id] = self._library.module(module_id, self._locale)
            except Exception:  # a damaged library must not break the results step
                self._seen[module_id] = None
        module = self._seen[module_id]
        if module is None:
            return None
        return LearnMore(module.id, module.title, module.locale, level)


def _general_module_ids(
    facts: _Facts, part: _ClassPart, sections: Iterable[CardSection]
) -> list[str]:
    keys = {section.key for section in sections}
    ids: list[str] = []
    if part.effect in (rules.TREATMENT, rules.EARLY):
        ids += ["targets-and-tumour-type", "targeted-therapy"]
    if part.effect == rules.RESISTANCE:
        ids += ["targets-and-tumour-type", "resistance-and-retesting"]
    if keys & {RELATIVES, CONFIRM_GERMLINE, HEREDITARY_CHECK}:
        ids.append(FAMILY_MODULE)
    if UNCERTAIN_RESULT in keys or NO_ACTIONABLE in keys:
        ids.append("vus-and-no-actionable-finding")
    if UNCERTAIN_RESULT in keys:
        ids.append("living-with-uncertainty")
    if EARLY_EVIDENCE in keys:
        ids.append("clinical-trials")
    ids.append("germline-vs-somatic")
    if part.scheme is not None:
        ids.append("variant-classes" if part.scheme.origin == "germline" else "tiers-and-levels")
    elif facts.result.scheme_id.strip() or facts.result.class_code.strip():
        ids.append("classification-schemes")  # a class the app could not explain
    if keys & {NO_ACTIONABLE, NEGATIVE, NEGATIVE_BLOOD}:
        ids += ["biomarker-testing", "clinical-trials"]
    ids.append("patient-communities")
    return ids


def _communities(
    library: ContentSource, locale: str, result: TestResult, knowledge: Knowledge
) -> tuple[SupportEntry, ...]:
    names = community_names(result, knowledge)
    wanted = {name.casefold() for name in names} - {"any"}
    found: dict[str, SupportEntry] = {}
    for name in names:
        try:
            entries = library.support_entries(locale, name)
        except Exception:  # a damaged library must not break the results step
            return tuple(found.values())
        for entry in entries:
            # Entries open to everyone are general groups, not this biomarker's community.
            if wanted & {marker.casefold() for marker in entry.biomarkers}:
                found.setdefault(entry.id, entry)
    return tuple(found.values())


def _status_notes(facts: _Facts, locale: str) -> tuple[str, ...]:
    notes: list[str] = []
    if any(text.locale != locale for text in facts.texts):
        notes.append(_("Parts of this explanation are not yet translated into your language."))
    if any(text.status == "machine-assisted" for text in facts.texts):
        notes.append(
            _(
                "Parts of this explanation were translated with the help of a machine and not "
                "yet checked by a reviewer."
            )
        )
    if any(text.status == "draft" for text in facts.texts):
        notes.append(_("Parts of this explanation are drafts."))
    if any(item.review_status != "reviewed" for item in facts.used if item.sources):
        notes.append(_("The clinical rules behind this explanation still need clinical review."))
    return tuple(notes)


def _citations(facts: _Facts) -> tuple[Citation, ...]:
    found: dict[str, Citation] = {}
    for provenance in facts.used:
        for citation in provenance.sources:
            found.setdefault(citation.id, citation)
    return tuple(found.values())


def _sections(
    facts: _Facts, part: _ClassPart, modules: _Modules
) -> tuple[list[CardSection], list[str]]:
    result, effect = facts.result, part.effect
    notes: list[str] = []
    sections: list[CardSection] = []
    for optional in (_context_section(facts, effect), _biomarker_section(facts)):
        if optional is not None:
            sections.append(optional)
    resistant_therapy = any(t.direction is Direction.RESISTANT for t in result.therapies)
    if effect in (rules.TREATMENT, rules.RESISTANCE) or resistant_therapy:
        sections.append(_target_section(effect, result, facts.condition))
    else:
        if effect == rules.EARLY:
            sections.append(_early_section())
        if result.therapies:
            sections.append(_therapies_section(result))
    if facts.negative and result.kind is not BiomarkerKind.NO_FINDING:
        sections.append(_negative_section())
    if result.kind is BiomarkerKind.NO_FINDING:
        sections.append(_no_actionable_section())
    # The limits of a liquid biopsy; a germline test reads the patient's own DNA.
    if (
        result.sample is Sample.BLOOD
        and facts.negative
        and result.test_type is not TestType.GERMLINE
    ):
        sections.append(_negative_blood_section())
    clonal = _clonal_section(facts)
    if clonal is not None:
        sections.append(clonal)
    # Relatives are addressed only for a change a germline test confirmed; a change that
    # may be inherited gets the germline test first.
    pharmacogene = facts.gene_with("pharmacogene") is not None
    concerns = _may_concern_relatives(facts, effect)
    wants_family = concerns or facts.state == rules.POSITIVE
    family = modules.get(FAMILY_MODULE, GENERAL) if wants_family else None
    check = _hereditary_check_section(facts, family)
    if check is not None:
        sections.append(check)
    if concerns and germline_confirmed(result):
        sections.append(_relatives_section(facts, family))
    elif concerns and result.confirmation is not Confirmation.NOT_GERMLINE and not pharmacogene:
        sections.append(_confirm_germline_section(facts, family))
    if effect == rules.UNCERTAIN:
        sections.append(_uncertain_section(result, part.scheme.origin if part.scheme else ""))
    if (result.kind is BiomarkerKind.PHARMACOGENOMIC or pharmacogene) and not facts.negative:
        sections.append(_medicines_section(facts))
    germline_scheme = part.scheme is not None and part.scheme.origin == "germline"
    if germline_scheme and result.origin in SOMATIC_ORIGINS and not pharmacogene:
        notes.append(
            _(
                "This classification scheme is made for inherited (germline) changes, but "
                "the result is reported as somatic. Ask your care team how to read it."
            )
        )
    return sections, notes


def explain(
    result: TestResult, condition: str, library: ContentSource, locale: str
) -> ExplanationCard:
    """The plain explanation of ``result`` for a patient with ``condition``.

    ``library`` is the content library (``storage.content_db.ContentLibrary``);
    knowledge, module titles and communities are read in ``locale``. Never raises
    for odd or missing data: what the app cannot explain becomes an "ask your care
    team" note.
    """
    knowledge = _knowledge(library, locale)
    facts = _Facts(result, knowledge, _clean(condition))
    modules = _Modules(library, locale)
    part = _classify(result, facts)
    notes: list[str] = []

    scheme_line = scheme_source = ""
    if part.scheme is not None:
        scheme_line = _("Classification scheme: {scheme}, version {version}.").format(
            scheme=_(part.scheme.name), version=part.scheme.version
        )
        scheme_source = part.scheme.citation

    explainer: LearnMore | None = None
    if part.klass is not None:
        explainer = modules.get(part.klass.explainer, GENERAL)
        if explainer is None:
            notes.append(
                _(
                    "The page that explains this class is not in the library on this "
                    "computer. Ask your care team for written information."
                )
            )

    finding = (*_origin_sentences(facts), _kind_sentence(facts))
    sections, section_notes = _sections(facts, part, modules)
    notes += section_notes

    # Learn more: gene-and-tumour-specific, then gene, then general.
    candidates: list[tuple[str, int]] = [
        *((m, SPECIFIC) for m in specific_module_ids(result, condition, knowledge)),
        *((m, GENE) for m in gene_module_ids(result, knowledge)),
        *((m, GENERAL) for m in _general_module_ids(facts, part, sections)),
    ]
    learn_more: list[LearnMore] = []
    listed = {explainer.module_id} if explainer else set()
    for module_id, level in candidates:
        if module_id in listed:
            continue
        found = modules.get(module_id, level)
        if found is not None:
            listed.add(found.module_id)
            learn_more.append(found)

    if not result.genes and result.kind in _GENE_KINDS:
        notes.append(
            _(
                "The gene or biomarker name was not entered, so the app cannot show what is "
                "known about it. Ask your care team which gene this result is about."
            )
        )
    elif (
        result.genes
        and result.kind is not BiomarkerKind.NO_FINDING
        and not any(item.level in (SPECIFIC, GENE) for item in learn_more)
    ):
        notes.append(
            _(
                "The app has no page about {gene} yet. The general pages still apply. Ask "
                "your care team what this gene means for you."
            ).format(gene=" / ".join(result.genes))
        )
    if not learn_more and explainer is None:
        notes.append(
            _(
                "No further reading is available in the library on this computer. Ask your care "
                "team for written information."
            )
        )
    # Communities of a condition are not offered for a result that does not show it.
    quiet = facts.negative or part.effect in _QUIET_EFFECTS
    communities = () if quiet else _communities(library, locale, result, knowledge)
    return ExplanationCard(
        heading=_heading(facts),
        finding=finding,
        class_meaning=part.sentences,
        class_known=part.klass is not None,
        scheme_line=scheme_line,
        scheme_source=scheme_source,
        explainer=explainer,
        sections=tuple(sections),
        notes=tuple(notes),
        learn_more=tuple(learn_more),
        communities=communities,
        locale=locale,
        facts=tuple(report_facts(result, clinician=True)),
        status_notes=_status_notes(facts, locale),
        sources=_citations(facts),
    )


def patient_text(card: ExplanationCard) -> tuple[str, ...]:
    """Every text of the card a patient reads, in order (not the report's facts,
    therapy names, scheme citation or sources)."""
    texts = [card.heading, *card.finding, *card.class_meaning]
    for section in card.sections:
        texts += [section.heading, *section.paragraphs, *(group.lead for group in section.lists)]
    texts += [*card.notes, *card.status_notes]
    return tuple(text for text in texts if text)


# HTML --------------------------------------------------------------------------


def _module_link(item: LearnMore) -> str:
    return (
        f'<a href="module:{escape(item.module_id, quote=True)}">'
        f'<span dir="{direction(item.locale)}">{escape(item.title)}</span></a>'
    )


def _links_html(items: Iterable[LearnMore]) -> str:
    rows = [f'<li dir="{direction(item.locale)}">{_module_link(item)}</li>' for item in items]
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def card_html(card: ExplanationCard, *, clinician: bool = False) -> str:
    """The card as safe HTML: every string escaped, links only to ``module:`` ids,
    community names and addresses as plain text. ``clinician`` adds the report's facts."""
    ui = ui_direction()

    def h(level: int, text: str) -> str:
        return f'<h{level} dir="{ui}">{escape(text)}</h{level}>'

    def paragraphs(texts: Iterable[str]) -> str:
        return "".join(f'<p dir="{ui}">{escape(text)}</p>' for text in texts if text)

    parts = [f'<div class="explanation" dir="{ui}">', h(2, card.heading)]
    parts += [h(3, _("What kind of finding it is")), paragraphs(card.finding)]
    parts += [h(3, _("What its class or tier means")), paragraphs(card.class_meaning)]
    parts.append(paragraphs((card.scheme_line,)))
    if card.scheme_source:
        parts.append(f'<p dir="ltr"><i>{escape(card.scheme_source)}</i></p>')
    if card.explainer is not None:
        parts.append(paragraphs((_("This is explained in:"),)))
        parts.append(_links_html((card.explainer,)))
    for section in card.sections:
        parts += [h(3, section.heading), paragraphs(section.paragraphs)]
        for group in section.lists:
            parts.append(paragraphs((group.lead,)))
            items = "".join(f"<li>{escape(item)}</li>" for item in group.items)
            parts.append(f'<ul dir="{ui}">{items}</ul>')
        parts.append(_links_html(section.links))
    if clinician and card.facts:
        parts.append(h(3, _("From the report (for clinicians)")))
        facts = "".join(f"<li>{escape(fact)}</li>" for fact in card.facts)
        parts.append(f'<ul dir="{ui}">{facts}</ul>')
    notices = (*card.notes, *card.status_notes)
    if notices:
        notes = (f'<p class="notice" dir="{ui}"><i>{escape(note)}</i></p>' for note in notices)
        parts.append("".join(notes))
    if card.learn_more:
        parts += [h(3, _("Learn more")), _links_html(card.learn_more)]
    if card.communities:
        parts.append(h(3, _("Patient communities")))
        parts.append(
            paragraphs(
                (
                    _(
                        "Groups for people with this biomarker. Their addresses are shown to "
                        "copy; the app does not open them."
                    ),
                )
            )
        )
        rows = []
        for entry in card.communities:
            lines = [f"<b>{escape(entry.name)}</b>"]
            lines += [escape(text) for text in (entry.region, entry.description, entry.url) if text]
            rows.append(f'<li dir="{direction(entry.locale)}">{"<br>".join(lines)}</li>')
        parts.append(f"<ul>{''.join(rows)}</ul>")
    if card.sources:
        parts.append(h(3, _("Sources of this explanation")))
        cited = "".join(f"<li>{escape(citation_text(item))}</li>" for item in card.sources)
        parts.append(f'<ul dir="ltr">{cited}</ul>')
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def citation_text(item: Citation) -> str:
    """A citation with its identifiers, as plain text (addresses are not opened)."""
    ids = [f"doi:{item.doi}" if item.doi else "", f"PMID {item.pmid}" if item.pmid else ""]
    ids.append(item.url if item.url and not (item.doi or item.pmid) else "")
    return " ".join(part for part in (item.citation, *ids) if part)
