"""A plain explanation of one test result, as a card: what kind of finding it is,
what its class or tier means, what a "target" means here and what it does not,
what it means for relatives, where to learn more, and the patient communities for
the biomarker.

The app never computes a class: it explains the one written on the report, using
the scheme tables of ``core.classification``. It never recommends a treatment:
therapies are named exactly as the report wrote them. Anything it does not know
(a scheme, a class, a gene, a missing module) gives a plain "ask your care team"
sentence instead of an empty card or an error.

Qt-free. The app's own words follow the UI language (``_``); module titles and
community entries come from the content library in the requested ``locale``.
``card_html`` escapes every string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import NamedTuple, Protocol

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
TARGET = "target"
RELATIVES = "relatives"
UNCERTAIN_RESULT = "uncertain"
NO_ACTIONABLE = "no_actionable"
NEGATIVE_BLOOD = "negative_blood"
MEDICINES = "medicines"
THERAPIES = "therapies"  # treatments named on a result whose class is not about treatment
CONFIRM_GERMLINE = "confirm_germline"  # may be inherited: a germline test comes first

FAMILY_MODULE = "family-and-cascade-testing"


class ContentSource(Protocol):
    """What the explanation reads from the content library (``ContentLibrary`` fits)."""

    def module(self, module_id: str, locale: str) -> Module | None: ...

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]: ...


class LearnMore(NamedTuple):
    module_id: str
    title: str  # in ``locale``, or in the module's source language when not translated
    locale: str  # the language of ``title``
    level: int  # SPECIFIC, GENE or GENERAL


class ItemList(NamedTuple):
    lead: str  # the sentence before the list
    items: tuple[str, ...]  # texts as written on the report (therapies)
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
    class_meaning: tuple[str, ...]  # what its class or tier means (or a safe fallback)
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

    def section(self, key: str) -> CardSection | None:
        return next((s for s in self.sections if s.key == key), None)


# Genes and biomarkers ----------------------------------------------------------

# Normalised name (upper case, letters and digits only) -> the module about it.
_GENE_MODULES: dict[str, str] = {
    "BRCA": "gene-brca",
    "BRCA1": "gene-brca",
    "BRCA2": "gene-brca",
    "MLH1": "gene-mmr-msi",
    "MSH2": "gene-mmr-msi",
    "MSH6": "gene-mmr-msi",
    "PMS2": "gene-mmr-msi",
    "EPCAM": "gene-mmr-msi",
    "MSI": "gene-mmr-msi",
    "MSIH": "gene-mmr-msi",
    "MMR": "gene-mmr-msi",
    "DMMR": "gene-mmr-msi",
    "NTRK": "gene-ntrk",
    "NTRK1": "gene-ntrk",
    "NTRK2": "gene-ntrk",
    "NTRK3": "gene-ntrk",
    "ERBB2": "gene-her2",
    "HER2": "gene-her2",
    "TMB": "immunotherapy-biomarkers",
    "PDL1": "immunotherapy-biomarkers",
}

# The names a patient community may list for the same biomarker.
_COMMUNITY_NAMES: dict[str, tuple[str, ...]] = {
    "gene-brca": ("BRCA1", "BRCA2", "BRCA"),
    "gene-mmr-msi": ("MLH1", "MSH2", "MSH6", "PMS2", "EPCAM", "MSI", "MMR", "dMMR"),
    "gene-ntrk": ("NTRK1", "NTRK2", "NTRK3", "NTRK"),
    "gene-her2": ("HER2", "ERBB2"),
}

_KIND_MODULES: dict[BiomarkerKind, tuple[str, ...]] = {
    BiomarkerKind.SIGNATURE: ("immunotherapy-biomarkers",),
}

_PHARMACOGENES = frozenset({"DPYD", "TPMT", "NUDT15", "UGT1A1", "CYP2D6", "CYP2C19"})

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

# Alteration texts that say the test found nothing.
_NEGATIVE_WORDS = frozenset(
    {
        "negative",
        "not detected",
        "none detected",
        "no mutation detected",
        "no alteration detected",
        "no variant detected",
        "wild type",
        "wild-type",
        "wildtype",
    }
)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _key(name: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", name.upper())


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


def gene_module_ids(result: TestResult) -> tuple[str, ...]:
    """Candidate modules about the gene or biomarker, most specific first."""
    ids: list[str] = []
    for gene in result.genes:
        alias = _GENE_MODULES.get(_key(gene))
        if alias:
            ids.append(alias)
        slug = _slug(gene)
        if slug:
            ids.append(f"gene-{slug}")
    ids.extend(_KIND_MODULES.get(result.kind, ()))
    return tuple(dict.fromkeys(ids))


def specific_module_ids(result: TestResult, condition: str) -> tuple[str, ...]:
    """Candidate modules about this gene in this tumour type: ``gene-<gene>-<condition>``."""
    condition_slug = _slug(condition)
    if not condition_slug:
        return ()
    conditions = [condition_slug]
    for suffix in ("-cancer", "-tumour", "-tumor", "-carcinoma"):
        if condition_slug.endswith(suffix) and len(condition_slug) > len(suffix):
            conditions.append(condition_slug[: -len(suffix)])
    bases = [m for m in gene_module_ids(result) if m.startswith("gene-")]
    return tuple(dict.fromkeys(f"{base}-{cond}" for base in bases for cond in conditions))


def community_names(result: TestResult) -> tuple[str, ...]:
    """The biomarker names to look up patient communities for."""
    names: list[str] = []
    for gene in result.genes:
        names.append(_clean(gene))
        alias = _GENE_MODULES.get(_key(gene))
        names.extend(_COMMUNITY_NAMES.get(alias or "", ()))
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# Words -----------------------------------------------------------------------


def _heading(result: TestResult) -> str:
    # "Inherited" only after a germline test: a tumour test cannot show it.
    finding = finding_name(result)
    if germline_confirmed(result):
        return _("{finding}: inherited (germline)").format(finding=finding)
    if germline_question_open(result):
        return _("{finding}: may be inherited, not yet confirmed").format(finding=finding)
    if result.confirmation is Confirmation.NOT_GERMLINE or result.origin is Origin.SOMATIC:
        return _("{finding}: in the tumour only (somatic)").format(finding=finding)
    if result.origin is Origin.LIKELY_SOMATIC:
        return _("{finding}: probably in the tumour only (likely somatic)").format(finding=finding)
    return _("{finding}: origin not stated").format(finding=finding)


def _origin_sentences(result: TestResult) -> tuple[str, ...]:
    if germline_confirmed(result):
        return (
            _(
                "A germline test found this change: it was inherited, and it is in every cell "
                "of the body. Blood relatives may have it too."
            ),
        )
    if result.confirmation is Confirmation.NOT_GERMLINE:
        return (
            _(
                "A germline test did not find this change, so it was not inherited: it is in "
                "the tumour only, and it is not passed on to children."
            ),
        )
    if germline_question_open(result):
        sentences = [
            _(
                "The report says this change may be inherited (germline). That is not "
                "confirmed yet: a germline test, on blood or saliva, can show whether it was."
            )
        ]
        if result.test_type in (TestType.TUMOUR_ONLY, TestType.CTDNA):
            sentences.append(
                _(
                    "It was found by a test of the tumour's DNA, which on its own cannot tell "
                    "an inherited change from one that arose in the tumour."
                )
            )
        return tuple(sentences)
    if result.origin is Origin.SOMATIC:
        return (
            _(
                "This change is reported as somatic: found in the tumour only. A somatic change "
                "is not passed on to children."
            ),
            _(
                "A tumour test can sometimes find a change that was inherited. Your care team "
                "will say if a germline test is advised."
            ),
        )
    if result.origin is Origin.LIKELY_SOMATIC:
        return (
            _(
                "The report says this change is likely somatic: it is probably in the tumour "
                "only. Ask your care team whether a germline test is needed to be sure."
            ),
        )
    return (
        _(
            "The report does not say whether this change was inherited (germline) or is found "
            "in the tumour only (somatic). Ask your care team."
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


def _signature_sentence(result: TestResult) -> str:
    key = _key(result.gene)
    if key == "TMB":
        text = _(
            "It is a tumour mutational burden (TMB) result: a count of how many DNA changes "
            "the tumour has."
        )
    elif key in ("MSI", "MSIH", "MSS", "MMR", "DMMR", "PMMR"):
        text = _(
            "It is a mismatch repair (MMR) or microsatellite instability (MSI) result: it shows "
            "whether the tumour can repair mistakes in its DNA."
        )
    elif key == "HRD":
        text = _(
            "It is a homologous recombination deficiency (HRD) result: it shows whether the "
            "tumour can repair one kind of damage to its DNA."
        )
    else:
        text = _("It is a tumour signature: a measure taken across many genes of the tumour.")
    value = " ".join(p for p in (_clean(result.measure), measured_value(result)) if p)
    if value:
        text += " " + _("The report gives: {value}.").format(value=value)
    return text


def _kind_sentence(result: TestResult) -> str:
    kind = result.kind
    if kind is BiomarkerKind.COPY_NUMBER:
        return _copy_number_sentence(result)
    if kind is BiomarkerKind.SIGNATURE:
        return _signature_sentence(result)
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
    if kind is BiomarkerKind.EXPRESSION:
        text = _(
            "It is an expression result: it measures how much of a gene's product, often a "
            "protein, the cells make."
        )
        value = " ".join(p for p in (_clean(result.measure), measured_value(result)) if p)
        if value:
            text += " " + _("The report gives: {value}.").format(value=value)
        return text
    if kind is BiomarkerKind.PHARMACOGENOMIC:
        text = _(
            "It is a medicine-gene (pharmacogenomic) result: it is about how the body handles "
            "some medicines, not about the cancer itself."
        )
        if result.activity_score.strip():
            text += " " + _(
                "The report gives an activity score of {score}: a measure of how well the "
                "enzyme made by this gene works."
            ).format(score=_clean(result.activity_score))
        return text
    sentences = {
        BiomarkerKind.SEQUENCE_VARIANT: _("It is a variant: a change in the DNA code of a gene."),
        BiomarkerKind.NO_FINDING: _(
            "The report found no change to report in the genes the test looked at."
        ),
        BiomarkerKind.OTHER: _(
            "The report lists another kind of result. Ask your care team what the test looked for."
        ),
    }
    return sentences.get(kind, sentences[BiomarkerKind.OTHER])


_SLOWER = frozenset({"IM", "LIM", "PIM", "PM", "LPM"})
_FASTER = frozenset({"UM", "RM"})


def _drug_response_sentences(klass: SchemeClass) -> tuple[str, ...]:
    code = klass.code.upper()
    if code in _SLOWER:
        return (
            _(
                "This phenotype means the body breaks down some medicines more slowly than "
                "usual. Those medicines can build up and cause serious side effects, so a lower "
                "dose or another medicine may be needed."
            ),
        )
    if code in _FASTER:
        return (
            _(
                "This phenotype means the body breaks down some medicines faster than usual. "
                "Some may work less well, and others, which the body turns into their active "
                "form, may act more strongly."
            ),
        )
    if code == "NM":
        return (_("This phenotype means the body handles these medicines as most people do."),)
    return (
        _(
            "The laboratory could not say from this result how the body handles these "
            "medicines. Ask your care team what it means for you."
        ),
    )


def _meaning_sentences(klass: SchemeClass) -> tuple[str, ...]:
    if klass.meaning == PATHOGENIC:
        return (
            _(
                "This class means the lab found strong evidence that the change can cause "
                "disease or raise the risk of cancer. Pathogenic and likely pathogenic "
                "results are usually acted on in the same way."
            ),
        )
    if klass.meaning == UNCERTAIN:
        return (
            _(
                "This class means it is not yet known whether the change matters for health "
                "or for treatment."
            ),
        )
    if klass.meaning == BENIGN:
        return (
            _(
                "This class means the change is not expected to cause disease or to matter "
                "for treatment."
            ),
        )
    if klass.meaning == ACTIONABLE:
        return (
            _(
                "This class means there is evidence linking the change to a treatment. How "
                "strong that evidence is depends on the tier or level."
            ),
        )
    if klass.meaning == RESISTANCE:
        return (
            _(
                "This class means there is evidence that a treatment is expected not to work, or "
                "to work less well, when the tumour has this change."
            ),
        )
    if klass.meaning == DRUG_RESPONSE:
        return _drug_response_sentences(klass)
    return (_("Ask your care team what this class means for you."),)


class _ClassPart(NamedTuple):
    sentences: tuple[str, ...]
    known: bool
    scheme: Scheme | None
    klass: SchemeClass | None


def _classify(result: TestResult) -> _ClassPart:
    scheme_id, code = result.scheme_id.strip(), _clean(result.class_code)
    if not scheme_id and not code:
        return _ClassPart(
            (_("The report gives no class or tier for this result."),), False, None, None
        )
    if not scheme_id:
        text = _(
            "The report's classification '{code}' was entered without its scheme, so the app "
            "cannot explain it; ask your care team what it means."
        ).format(code=code)
        return _ClassPart((text,), False, None, None)
    found = scheme(scheme_id)
    if found is None:
        if code:
            text = _(
                "The report's classification '{code}' (scheme '{scheme}') is not one the app "
                "knows; ask your care team what it means."
            ).format(code=code, scheme=scheme_id)
        else:
            text = _(
                "The report's classification scheme '{scheme}' is not one the app knows; ask "
                "your care team what it means."
            ).format(scheme=scheme_id)
        return _ClassPart((text,), False, None, None)
    if not code:
        text = _(
            "The report names the {scheme} but gives no class; ask your care team what the "
            "result means."
        ).format(scheme=_(found.name))
        return _ClassPart((text,), False, found, None)
    klass = found.find(code)
    if klass is None:
        text = _(
            "The report's classification '{code}' is not one the app knows in the {scheme}; "
            "ask your care team what it means."
        ).format(code=code, scheme=_(found.name))
        return _ClassPart((text,), False, found, None)
    label = _("The report classifies this result as “{label}” ({code}).").format(
        code=klass.code, label=_(klass.label)
    )
    return _ClassPart((label, *_meaning_sentences(klass)), True, found, klass)


# Sections ----------------------------------------------------------------------


def therapy_lists(result: TestResult) -> tuple[ItemList, ...]:
    """The report's therapies, each group led by what the report says they do."""
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
    return tuple(
        ItemList(leads[direction], names, direction) for direction, names in therapy_groups(result)
    )


def _target_section(klass: SchemeClass | None, result: TestResult, condition: str) -> CardSection:
    lists = therapy_lists(result)
    resistant = (klass is not None and klass.meaning == RESISTANCE) or any(
        group.direction is Direction.RESISTANT for group in lists
    )
    condition = _clean(condition)
    if resistant:
        heading = _("What this result means for treatment, and what it does not")
        first = _(
            "Resistance means evidence that a treatment is expected not to work, or to work "
            "less well, when the tumour has this change."
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
            "The same change can mean different things in different tumour types: a medicine "
            "that works against it in one cancer may not work in another."
        ),
    ]
    if condition:
        paragraphs.append(
            _(
                "Ask your care team whether the evidence behind this class applies to your "
                "cancer ({condition})."
            ).format(condition=condition)
        )
    else:
        paragraphs.append(
            _(
                "Ask your care team whether the evidence behind this class applies to your "
                "type of cancer."
            )
        )
    paragraphs.append(
        _(
            "This app does not recommend treatments. Whether a treatment fits you is a "
            "decision to make with your care team."
        )
    )
    if not lists:
        paragraphs.append(_("The report does not name a treatment for this result."))
    return CardSection(TARGET, heading, tuple(paragraphs), lists)


def _therapies_section(result: TestResult) -> CardSection:
    """Treatments a report names on a result whose class is not about treatment."""
    return CardSection(
        THERAPIES,
        _("Treatments named on the report"),
        (_("This app does not recommend treatments. Ask your care team what these mean for you."),),
        therapy_lists(result),
    )


def _relatives_section(family: LearnMore | None) -> CardSection:
    """Only for a change a germline test has confirmed."""
    paragraphs = (
        _(
            "Blood relatives, such as parents, brothers, sisters and children, may have the "
            "same change. Partners and relatives by marriage do not share it."
        ),
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


def _matters_for_relatives(result: TestResult, meaning: str) -> bool:
    """A class that would matter for relatives if the change is inherited."""
    return meaning == PATHOGENIC or (
        meaning in (ACTIONABLE, RESISTANCE) and result.origin in GERMLINE_ORIGINS
    )


def germline_test_first(result: TestResult) -> str:
    """The card's first sentence on testing before relatives are told, or "" when the
    change is confirmed, shown not germline, or of a class that does not concern them."""
    part = _classify(result)
    meaning = part.klass.meaning if part.klass else ""
    if (
        not _matters_for_relatives(result, meaning)
        or germline_confirmed(result)
        or result.confirmation is Confirmation.NOT_GERMLINE
    ):
        return ""
    return _germline_test_first_sentence(result)


def _germline_test_first_sentence(result: TestResult) -> str:
    if germline_question_open(result):
        return _(
            "This change may be inherited, but that is not confirmed. It needs a germline "
            "test, on blood or saliva, before relatives are told about it."
        )
    return _(
        "A tumour test can sometimes find a change that was inherited. Ask your care "
        "team whether a germline test, on blood or saliva, is advised."
    )


def _confirm_germline_section(result: TestResult, family: LearnMore | None) -> CardSection:
    """A change that may be inherited: the germline test comes before relatives."""
    return CardSection(
        CONFIRM_GERMLINE,
        _("Before relatives are told"),
        (
            _germline_test_first_sentence(result),
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
            _("Ask your care team whether a tissue test is possible or planned."),
        ),
    )


def _medicines_section(result: TestResult) -> CardSection:
    lasting = (
        _(
            "Tell every doctor and pharmacist who prescribes medicines for you about this "
            "result. It usually stays the same all your life."
        )
        if result.origin not in SOMATIC_ORIGINS
        else _(
            "This change was found in the tumour only. Ask your care team whether it says "
            "anything about how the rest of your body handles medicines."
        )
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
    )


def _is_negative(result: TestResult) -> bool:
    if result.kind is BiomarkerKind.NO_FINDING:
        return True
    return _clean(result.alteration).casefold() in _NEGATIVE_WORDS


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
    result: TestResult, part: _ClassPart, sections: Iterable[CardSection]
) -> list[str]:
    keys = {section.key for section in sections}
    meaning = part.klass.meaning if part.klass else ""
    ids: list[str] = []
    if meaning == ACTIONABLE:
        ids += ["targets-and-tumour-type", "targeted-therapy"]
    if meaning == RESISTANCE:
        ids += ["targets-and-tumour-type", "resistance-and-retesting"]
    if RELATIVES in keys or CONFIRM_GERMLINE in keys:
        ids.append(FAMILY_MODULE)
    if UNCERTAIN_RESULT in keys or NO_ACTIONABLE in keys:
        ids.append("vus-and-no-actionable-finding")
    if UNCERTAIN_RESULT in keys:
        ids.append("living-with-uncertainty")
    if MEDICINES in keys:
        ids.append("pharmacogenomics-dpyd")
    if result.kind is BiomarkerKind.SIGNATURE or _key(result.gene) == "PDL1":
        ids.append("immunotherapy-biomarkers")
    ids.append("germline-vs-somatic")
    if part.scheme is not None:
        ids.append("variant-classes" if part.scheme.origin == "germline" else "tiers-and-levels")
    elif result.scheme_id.strip() or result.class_code.strip():
        ids.append("classification-schemes")  # a class the app could not explain
    if NO_ACTIONABLE in keys or NEGATIVE_BLOOD in keys:
        ids += ["biomarker-testing", "clinical-trials"]
    ids.append("patient-communities")
    return ids


def _communities(
    library: ContentSource, locale: str, result: TestResult
) -> tuple[SupportEntry, ...]:
    names = community_names(result)
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


def explain(
    result: TestResult, condition: str, library: ContentSource, locale: str
) -> ExplanationCard:
    """The plain explanation of ``result`` for a patient with ``condition``.

    ``library`` is the content library (``storage.content_db.ContentLibrary``);
    module titles and communities are read in ``locale``. Never raises for odd or
    missing data: what the app cannot explain becomes an "ask your care team" note.
    """
    modules = _Modules(library, locale)
    part = _classify(result)
    meaning = part.klass.meaning if part.klass else ""
    scheme_origin = part.scheme.origin if part.scheme else ""
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

    somatic = result.origin in (Origin.SOMATIC, Origin.LIKELY_SOMATIC)
    if scheme_origin == "germline" and somatic:
        notes.append(
            _(
                "This classification scheme is made for inherited (germline) changes, but the "
                "result is reported as somatic. Ask your care team how to read it."
            )
        )

    sections: list[CardSection] = []
    resistant_therapy = any(t.direction is Direction.RESISTANT for t in result.therapies)
    if (meaning in (ACTIONABLE, RESISTANCE) and part.klass is not None) or resistant_therapy:
        sections.append(_target_section(part.klass, result, condition))
    elif result.therapies:
        sections.append(_therapies_section(result))
    # Relatives are addressed only for a change a germline test confirmed; a change that
    # may be inherited gets the germline test first (a germline BRCA2 can also carry a
    # tier for a medicine, so treatment classes count too).
    significant = _matters_for_relatives(result, meaning)
    family = modules.get(FAMILY_MODULE, GENERAL) if significant else None
    if significant and germline_confirmed(result):
        sections.append(_relatives_section(family))
    elif significant and result.confirmation is not Confirmation.NOT_GERMLINE:
        sections.append(_confirm_germline_section(result, family))
    if meaning == UNCERTAIN:
        sections.append(_uncertain_section(result, scheme_origin))
    if result.kind is BiomarkerKind.NO_FINDING:
        sections.append(_no_actionable_section())
    if result.sample is Sample.BLOOD and _is_negative(result):
        sections.append(_negative_blood_section())
    gene = _clean(result.gene)
    if result.kind is BiomarkerKind.PHARMACOGENOMIC or _key(gene) in _PHARMACOGENES:
        sections.append(_medicines_section(result))

    # Learn more: gene-and-tumour-specific, then gene, then general.
    candidates: list[tuple[str, int]] = [
        *((m, SPECIFIC) for m in specific_module_ids(result, condition)),
        *((m, GENE) for m in gene_module_ids(result)),
        *((m, GENERAL) for m in _general_module_ids(result, part, sections)),
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
                "The app has no page about {gene} yet. The general pages still apply; ask "
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

    finding = (*_origin_sentences(result), _kind_sentence(result))
    return ExplanationCard(
        heading=_heading(result),
        finding=finding,
        class_meaning=part.sentences,
        class_known=part.klass is not None,
        scheme_line=scheme_line,
        scheme_source=scheme_source,
        explainer=explainer,
        sections=tuple(sections),
        notes=tuple(notes),
        learn_more=tuple(learn_more),
        communities=_communities(library, locale, result),
        locale=locale,
        facts=tuple(report_facts(result, clinician=True)),
    )


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
    if card.notes:
        notes = (f'<p class="notice" dir="{ui}"><i>{escape(note)}</i></p>' for note in card.notes)
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
    parts.append("</div>")
    return "\n".join(part for part in parts if part)
