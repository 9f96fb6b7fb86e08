"""Whether a decision aid was written for a consultation: its ``applies_to``
(conditions and biomarkers) against the consultation's condition and test results.

Qt-free and storage-free. It only orders the aids offered and says when one was
written for something else; it never hides an aid or judges a treatment. Where the
consultation says too little to tell (no condition, no results, a condition in words
this module does not know), the answer is "cannot tell", never "does not fit".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import NamedTuple, Protocol, TypeVar

from sdm_app.core.consultation import Consultation
from sdm_app.core.results import (
    GERMLINE_ORIGINS,
    BiomarkerKind,
    Confirmation,
    Direction,
    TestResult,
    TestType,
)


class Fit(IntEnum):
    """In the order the aids are offered."""

    FITS = 0  # written for this consultation's condition or biomarkers
    UNKNOWN = 1  # nothing to compare with, or nothing that disagrees
    OTHER = 2  # written for another condition or other biomarkers


class AidFit(NamedTuple):
    fit: Fit
    other_conditions: bool = False  # the aid names conditions and none fits
    other_biomarkers: bool = False  # the aid names biomarkers and none fits


class AppliesTo(Protocol):
    """A decision aid's ``applies_to`` (``DecisionAidSummary`` and ``DecisionAid`` fit)."""

    @property
    def conditions(self) -> tuple[str, ...]: ...

    @property
    def biomarkers(self) -> tuple[str, ...]: ...


# Conditions ------------------------------------------------------------------------

# Where a cancer starts, with the words that name it (English, and a few Spanish).
_SITES: dict[str, tuple[str, ...]] = {
    "lung": ("lung", "lungs", "nsclc", "sclc", "pulmonary", "pulmon", "pulmón"),
    "breast": ("breast", "mama"),
    "ovary": ("ovary", "ovarian", "fallopian", "peritoneal", "ovario"),
    "bowel": ("bowel", "colorectal", "colon", "rectal", "rectum", "crc", "colorrectal"),
    "prostate": ("prostate", "prostatic", "próstata", "prostata"),
    "pancreas": ("pancreas", "pancreatic", "páncreas"),
    "skin": ("melanoma", "skin"),
    "stomach": ("stomach", "gastric", "gastroesophageal", "gastrooesophageal"),
    "oesophagus": ("oesophagus", "oesophageal", "esophagus", "esophageal"),
    "womb": ("endometrial", "endometrium", "uterine", "uterus", "womb"),
    "thyroid": ("thyroid",),
    "brain": ("brain", "glioma", "glioblastoma", "astrocytoma", "oligodendroglioma"),
    "bladder": ("bladder", "urothelial"),
    "kidney": ("kidney", "renal"),
    "liver": ("liver", "hepatocellular"),
    "bile duct": ("cholangiocarcinoma", "biliary"),
    "head and neck": ("neck", "throat", "laryngeal", "oropharyngeal"),
    "blood": ("leukaemia", "leukemia", "lymphoma", "myeloma", "myeloid", "myelodysplastic"),
    "sarcoma": ("sarcoma", "gist"),
}
_SITE_OF = {word: site for site, words in _SITES.items() for word in words}
# Words that say a condition is a cancer without saying where it started.
_CANCER_WORDS = frozenset(
    {"cancer", "cancers", "cáncer", "tumour", "tumours", "tumor", "tumors", "tumores",
     "neoplasm", "malignancy", "solid"}
)  # fmt: skip
_CANCER_ENDINGS = ("carcinoma", "sarcoma", "blastoma", "carcinomas")
# A condition about inheritance (a syndrome, a family risk) is not a tumour type: an aid
# written for it may fit whatever cancer the person has, so it is not compared.
_INHERITED_WORDS = frozenset(
    {"hereditary", "inherited", "familial", "syndrome", "carrier", "carriers", "lynch"}
)
_WORD = re.compile(r"\w+")
_NON_SMALL = re.compile(r"\bnon[\s-]*small[\s-]*cell\b|\bnsclc\b")
_SMALL = re.compile(r"\bsmall[\s-]*cell\b|\bsclc\b")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _lung_type(text: str) -> str:
    """'nsclc', 'sclc' or '' for a condition's words."""
    folded = text.casefold()
    if _NON_SMALL.search(folded):
        return "nsclc"
    if _SMALL.search(folded):
        return "sclc"
    return ""


class _Condition(NamedTuple):
    sites: frozenset[str]
    cancer: bool  # names a cancer (a site or a word such as 'cancer')
    lung_type: str


def _condition(text: str) -> _Condition:
    words = _words(text)
    sites = frozenset(_SITE_OF[word] for word in words if word in _SITE_OF)
    cancer = bool(sites) or any(
        word in _CANCER_WORDS or word.endswith(_CANCER_ENDINGS) for word in words
    )
    return _Condition(sites, cancer, _lung_type(text))


def _condition_fit(aid_conditions: Iterable[str], condition_text: str) -> Fit:
    have = _condition(condition_text)
    if not have.cancer:
        return Fit.UNKNOWN  # nothing recorded, or words this module does not know
    compared = False
    for text in aid_conditions:
        words = _words(text)
        if not words or words[0] == "no" or any(w in _INHERITED_WORDS for w in words):
            continue  # "no cancer diagnosis", "hereditary breast and ovarian cancer"
        wanted = _condition(text)
        if not wanted.cancer:
            continue  # words this module does not know: no judgement
        if not wanted.sites:
            return Fit.FITS  # "cancer", "advanced cancer": any cancer
        if not have.sites:
            continue  # the consultation says "cancer" without where it started
        compared = True
        if wanted.sites & have.sites:
            if "lung" in wanted.sites & have.sites and {wanted.lung_type, have.lung_type} == {
                "nsclc",
                "sclc",
            }:
                continue  # small cell and non-small cell lung cancer differ
            return Fit.FITS
    return Fit.OTHER if compared else Fit.UNKNOWN


# Biomarkers ------------------------------------------------------------------------

# Names that mean the same biomarker, as written on reports and in aids.
_SAME_BIOMARKER = (
    frozenset({"her2", "erbb2"}),
    frozenset({"msi", "msih", "msihigh", "dmmr", "mmrd", "mismatchrepair",
               "microsatelliteinstability", "microsatelliteinstabilityhigh"}),
    frozenset({"pdl1", "cd274"}),
    frozenset({"tmb", "tmbhigh", "tumourmutationalburden", "tumormutationalburden"}),
    frozenset({"hrd", "homologousrecombinationdeficiency"}),
    frozenset({"alk", "eml4alk"}),
)  # fmt: skip
# A family name in an aid that stands for each of its genes.
_FAMILIES = {
    "brca": frozenset({"brca1", "brca2"}),
    "idh": frozenset({"idh1", "idh2"}),
    "ntrk": frozenset({"ntrk1", "ntrk2", "ntrk3"}),
    "mmr": frozenset({"mlh1", "msh2", "msh6", "pms2", "epcam"}),
}
_ANY = frozenset({"any", "all", "anybiomarker"})
_GERMLINE = frozenset({"germline", "inherited", "hereditary"})
_NO_FINDING = frozenset(
    {"noactionablefinding", "noactionablefindings", "notargetfound", "nofinding", "notarget"}
)


def _key(name: str) -> str:
    return "".join(_words(name)).replace("_", "")


def _names(key: str) -> frozenset[str]:
    """A biomarker name and the names that mean the same."""
    found = {key}
    for group in _SAME_BIOMARKER:
        if key in group:
            found |= group
    return frozenset(found | _FAMILIES.get(key, frozenset()))


def _result_names(results: Sequence[TestResult]) -> frozenset[str]:
    names: set[str] = set()
    for result in results:
        for name in (result.gene, *result.genes, result.fusion_name):
            key = _key(name)
            if key:
                names |= _names(key)
    return frozenset(names)


def _germline(result: TestResult) -> bool:
    return (
        result.test_type is TestType.GERMLINE
        or result.origin in GERMLINE_ORIGINS
        or result.confirmation in (Confirmation.RECOMMENDED, Confirmation.CONFIRMED)
    )


def _biomarker_fit(aid_biomarkers: Iterable[str], results: Sequence[TestResult]) -> Fit:
    if not results:
        return Fit.UNKNOWN
    have = _result_names(results)
    named = False  # the aid names a gene or biomarker (not only 'germline' ...)
    for text in aid_biomarkers:
        key = _key(text)
        if not key:
            continue
        if key in _ANY:
            return Fit.FITS
        if key in _GERMLINE:
            if any(_germline(result) for result in results):
                return Fit.FITS
            continue  # anyone may weigh germline testing: not a reason to warn
        if key in _NO_FINDING:
            if any(result.kind is BiomarkerKind.NO_FINDING for result in results):
                return Fit.FITS
            if any(
                therapy.direction is Direction.SENSITIVE
                for result in results
                for therapy in result.therapies
            ):
                named = True  # the report names a treatment expected to work
            continue
        named = True
        if _names(key) & have:
            return Fit.FITS
    return Fit.OTHER if named and have else Fit.UNKNOWN


# Both ------------------------------------------------------------------------------


def aid_fit(aid: AppliesTo, consultation: Consultation) -> AidFit:
    """How the aid's ``applies_to`` fits the consultation. It does not fit when either
    its conditions or its biomarkers are for something else; it fits when one of
    them matches and the other does not disagree."""
    conditions = _condition_fit(aid.conditions, consultation.context.condition)
    biomarkers = _biomarker_fit(aid.biomarkers, consultation.results)
    if Fit.OTHER in (conditions, biomarkers):
        return AidFit(Fit.OTHER, conditions is Fit.OTHER, biomarkers is Fit.OTHER)
    if Fit.FITS in (conditions, biomarkers):
        return AidFit(Fit.FITS)
    return AidFit(Fit.UNKNOWN)


_Aid = TypeVar("_Aid", bound=AppliesTo)


def order_aids(aids: Iterable[_Aid], consultation: Consultation) -> list[tuple[_Aid, AidFit]]:
    """The aids that fit first, then those it cannot tell, then the others; each
    group in the order given (the library's, by title)."""
    judged = [(aid, aid_fit(aid, consultation)) for aid in aids]
    return sorted(judged, key=lambda pair: pair[1].fit)
