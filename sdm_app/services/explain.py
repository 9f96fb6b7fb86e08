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
    PATHOGENIC,
    RESISTANCE,
    UNCERTAIN,
    Scheme,
    SchemeClass,
    scheme,
)
from sdm_app.core.consultation import BiomarkerKind, Origin, Sample, TestResult
from sdm_app.core.decision_aid import SupportEntry
from sdm_app.core.library import Module
from sdm_app.i18n import _, pgettext
from sdm_app.services.page_parts import direction, ui_direction

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


class CardSection(NamedTuple):
    key: str  # TARGET, RELATIVES, ...
    heading: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()  # texts as written on the report (therapies), shown as a list
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
    BiomarkerKind.MSI: ("gene-mmr-msi", "immunotherapy-biomarkers"),
    BiomarkerKind.TMB: ("immunotherapy-biomarkers",),
    BiomarkerKind.PD_L1: ("immunotherapy-biomarkers",),
}

_KIND_COMMUNITY_NAMES: dict[BiomarkerKind, tuple[str, ...]] = {
    BiomarkerKind.MSI: ("MSI", "MMR", "dMMR"),
    BiomarkerKind.TMB: ("TMB",),
    BiomarkerKind.PD_L1: ("PD-L1",),
}

_PHARMACOGENES = frozenset({"DPYD", "TPMT", "NUDT15", "UGT1A1", "CYP2D6", "CYP2C19"})

# Kinds whose result is about a named gene: an empty gene leaves the card vague.
_GENE_KINDS = frozenset(
    {
        BiomarkerKind.VARIANT,
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

_GERMLINE_ORIGINS = frozenset({Origin.GERMLINE, Origin.LIKELY_GERMLINE})


def _clean(text: str) -> str:
    return " ".join(text.split())


def _key(name: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", name.upper())


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


def gene_module_ids(result: TestResult) -> tuple[str, ...]:
    """Candidate modules about the gene or biomarker, most specific first."""
    ids: list[str] = []
    gene = _clean(result.gene)
    if gene:
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
    gene = _clean(result.gene)
    if gene:
        names.append(gene)
        alias = _GENE_MODULES.get(_key(gene))
        names.extend(_COMMUNITY_NAMES.get(alias or "", ()))
    names.extend(_KIND_COMMUNITY_NAMES.get(result.kind, ()))
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# Words -----------------------------------------------------------------------


def kind_name(kind: BiomarkerKind) -> str:
    names = {
        BiomarkerKind.VARIANT: pgettext("biomarker kind", "Variant"),
        BiomarkerKind.FUSION: pgettext("biomarker kind", "Fusion"),
        BiomarkerKind.COPY_NUMBER: pgettext("biomarker kind", "Copy number change"),
        BiomarkerKind.EXPRESSION: pgettext("biomarker kind", "Expression"),
        BiomarkerKind.TMB: pgettext("biomarker kind", "Tumour mutational burden (TMB)"),
        BiomarkerKind.MSI: pgettext("biomarker kind", "Mismatch repair / MSI"),
        BiomarkerKind.PD_L1: pgettext("biomarker kind", "PD-L1"),
        BiomarkerKind.PHARMACOGENOMIC: pgettext("biomarker kind", "Medicine-gene result"),
        BiomarkerKind.NO_ACTIONABLE: pgettext("biomarker kind", "No actionable finding"),
        BiomarkerKind.OTHER: pgettext("biomarker kind", "Other result"),
    }
    return names.get(kind, names[BiomarkerKind.OTHER])


def _finding_name(result: TestResult) -> str:
    gene, alteration = _clean(result.gene), _clean(result.alteration)
    if gene:
        return f"{gene} {alteration}" if alteration else gene
    if alteration:
        return _("{biomarker} {value}").format(biomarker=kind_name(result.kind), value=alteration)
    return kind_name(result.kind)


def _heading(result: TestResult) -> str:
    templates = {
        Origin.GERMLINE: _("{finding}: inherited (germline)"),
        Origin.SOMATIC: _("{finding}: in the tumour only (somatic)"),
        Origin.LIKELY_GERMLINE: _("{finding}: probably inherited (likely germline)"),
        Origin.LIKELY_SOMATIC: _("{finding}: probably in the tumour only (likely somatic)"),
        Origin.UNKNOWN: _("{finding}: origin not stated"),
    }
    return templates.get(result.origin, templates[Origin.UNKNOWN]).format(
        finding=_finding_name(result)
    )


def _origin_sentences(origin: Origin) -> tuple[str, ...]:
    if origin is Origin.GERMLINE:
        return (
            _(
                "This change is germline: it was inherited, and it is in every cell of the "
                "body. Blood relatives may have it too."
            ),
        )
    if origin is Origin.SOMATIC:
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
    if origin is Origin.LIKELY_GERMLINE:
        return (
            _(
                "The report says this change is likely germline: it was probably inherited. "
                "A germline test, often on blood or saliva, can confirm it."
            ),
        )
    if origin is Origin.LIKELY_SOMATIC:
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


def _kind_sentence(kind: BiomarkerKind) -> str:
    sentences = {
        BiomarkerKind.VARIANT: _("It is a variant: a change in the DNA code of a gene."),
        BiomarkerKind.FUSION: _(
            "It is a fusion: two genes have joined together. This can make a protein that "
            "helps the cancer grow."
        ),
        BiomarkerKind.COPY_NUMBER: _(
            "It is a copy number change: the cells have more or fewer copies of a gene than usual."
        ),
        BiomarkerKind.EXPRESSION: _(
            "It is an expression result: it measures how much of a gene's product, often a "
            "protein, the cells make."
        ),
        BiomarkerKind.TMB: _(
            "It is a tumour mutational burden (TMB) result: a count of how many DNA changes "
            "the tumour has."
        ),
        BiomarkerKind.MSI: _(
            "It is a mismatch repair (MMR) or microsatellite instability (MSI) result: it shows "
            "whether the tumour can repair mistakes in its DNA."
        ),
        BiomarkerKind.PD_L1: _(
            "It is a PD-L1 result: it measures a protein on cells that can hide the cancer "
            "from the immune system."
        ),
        BiomarkerKind.PHARMACOGENOMIC: _(
            "It is a medicine-gene (pharmacogenomic) result: it is about how the body handles "
            "some medicines, not about the cancer itself."
        ),
        BiomarkerKind.NO_ACTIONABLE: _(
            "The report found no actionable finding: no change that the lab links to a treatment."
        ),
        BiomarkerKind.OTHER: _(
            "The report lists another kind of result. Ask your care team what the test looked for."
        ),
    }
    return sentences.get(kind, sentences[BiomarkerKind.OTHER])


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
                "This class means there is evidence that the change can make a treatment work "
                "less well, or not at all."
            ),
        )
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


def _target_section(klass: SchemeClass, result: TestResult, condition: str) -> CardSection:
    therapies = tuple(t.strip() for t in result.therapies if t.strip())
    condition = _clean(condition)
    if klass.meaning == RESISTANCE:
        heading = _("What this result means for treatment, and what it does not")
        first = _(
            "Resistance means evidence that a treatment may work less well, or not at all, "
            "when the tumour has this change."
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
    # Last, so the list of therapies follows its sentence.
    if therapies:
        paragraphs.append(
            _(
                "The report names these treatments for this result, shown here as written on "
                "the report:"
            )
        )
    else:
        paragraphs.append(_("The report does not name a treatment for this result."))
    return CardSection(TARGET, heading, tuple(paragraphs), therapies)


def _relatives_section(origin: Origin, family: LearnMore | None) -> CardSection:
    paragraphs: list[str] = []
    if origin not in _GERMLINE_ORIGINS:
        paragraphs.append(
            _(
                "If this change was inherited, it matters for your family too. Ask your care "
                "team whether a germline test is needed."
            )
        )
    paragraphs.extend(
        (
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
    )
    return CardSection(
        RELATIVES,
        _("What it means for your blood relatives"),
        tuple(paragraphs),
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
    if scheme_origin == "germline" or result.origin in _GERMLINE_ORIGINS:
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


def _medicines_section() -> CardSection:
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
            _(
                "Tell every doctor and pharmacist who prescribes medicines for you about this "
                "result. It usually stays the same all your life."
            ),
        ),
    )


def _is_negative(result: TestResult) -> bool:
    if result.kind is BiomarkerKind.NO_ACTIONABLE:
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
    if RELATIVES in keys:
        ids.append(FAMILY_MODULE)
    if UNCERTAIN_RESULT in keys or NO_ACTIONABLE in keys:
        ids.append("vus-and-no-actionable-finding")
    if UNCERTAIN_RESULT in keys:
        ids.append("living-with-uncertainty")
    if MEDICINES in keys:
        ids.append("pharmacogenomics-dpyd")
    if result.kind in (BiomarkerKind.TMB, BiomarkerKind.MSI, BiomarkerKind.PD_L1):
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
    if meaning in (ACTIONABLE, RESISTANCE) and part.klass is not None:
        sections.append(_target_section(part.klass, result, condition))
    # An inherited change matters for relatives whatever the scheme says about
    # treatment (a germline BRCA2 can also carry a tier for a medicine).
    germline_and_significant = result.origin in _GERMLINE_ORIGINS and meaning in (
        ACTIONABLE,
        RESISTANCE,
    )
    if (
        meaning == PATHOGENIC and result.origin not in (Origin.SOMATIC, Origin.LIKELY_SOMATIC)
    ) or germline_and_significant:
        sections.append(_relatives_section(result.origin, modules.get(FAMILY_MODULE, GENERAL)))
    if meaning == UNCERTAIN:
        sections.append(_uncertain_section(result, scheme_origin))
    if result.kind is BiomarkerKind.NO_ACTIONABLE:
        sections.append(_no_actionable_section())
    if result.sample is Sample.BLOOD and _is_negative(result):
        sections.append(_negative_blood_section())
    gene = _clean(result.gene)
    if result.kind is BiomarkerKind.PHARMACOGENOMIC or _key(gene) in _PHARMACOGENES:
        sections.append(_medicines_section())

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

    if not gene and result.kind in _GENE_KINDS:
        notes.append(
            _(
                "The gene or biomarker name was not entered, so the app cannot show what is "
                "known about it. Ask your care team which gene this result is about."
            )
        )
    elif (
        gene
        and result.kind is not BiomarkerKind.NO_ACTIONABLE
        and not any(item.level in (SPECIFIC, GENE) for item in learn_more)
    ):
        notes.append(
            _(
                "The app has no page about {gene} yet. The general pages still apply; ask "
                "your care team what this gene means for you."
            ).format(gene=gene)
        )
    if not learn_more and explainer is None:
        notes.append(
            _(
                "No further reading is available in the library on this computer. Ask your care "
                "team for written information."
            )
        )

    finding = (*_origin_sentences(result.origin), _kind_sentence(result.kind))
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


def card_html(card: ExplanationCard) -> str:
    """The card as safe HTML: every string escaped, links only to ``module:`` ids,
    community names and addresses as plain text."""
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
        if section.items:
            items = "".join(f"<li>{escape(item)}</li>" for item in section.items)
            parts.append(f'<ul dir="{ui}">{items}</ul>')
        parts.append(_links_html(section.links))
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
