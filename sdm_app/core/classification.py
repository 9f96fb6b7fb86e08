"""Classification schemes for test results, held as data with their versions.

The app never computes a class: it comes from the laboratory report. These
tables say what each class is called, what kind of statement it makes, and which
plain-language module explains it. Labels are marked for translation (``N_``)
and translated where they are shown.
"""

from __future__ import annotations

from typing import NamedTuple

from sdm_app.i18n import N_

# What a class says, which decides the explanation a patient sees.
PATHOGENIC = "pathogenic"  # causes disease (germline P/LP)
UNCERTAIN = "uncertain"  # not known (VUS, tier III)
BENIGN = "benign"  # harmless (LB/B, tier IV)
ACTIONABLE = "actionable"  # evidence links it to a treatment
RESISTANCE = "resistance"  # evidence links it to a treatment not working
DRUG_RESPONSE = "drug_response"  # how the body handles some medicines (pharmacogenomics)


class SchemeClass(NamedTuple):
    code: str
    label: str  # untranslated; pass through _() to show
    meaning: str
    explainer: str  # module id


class Scheme(NamedTuple):
    id: str
    name: str
    version: str
    origin: str  # "germline" or "somatic": what kind of finding it classifies
    citation: str
    classes: tuple[SchemeClass, ...]

    def find(self, code: str) -> SchemeClass | None:
        wanted = code.strip().upper()
        return next((c for c in self.classes if c.code.upper() == wanted), None)


ACMG_AMP_2015 = Scheme(
    id="acmg-amp-2015",
    name=N_("ACMG/AMP variant classes"),
    version="2015",
    origin="germline",
    citation="Richards S, et al. Genet Med. 2015;17(5):405-424. doi:10.1038/gim.2015.30",
    classes=(
        SchemeClass("P", N_("Pathogenic"), PATHOGENIC, "variant-classes"),
        SchemeClass("LP", N_("Likely pathogenic"), PATHOGENIC, "variant-classes"),
        SchemeClass(
            "VUS", N_("Uncertain significance"), UNCERTAIN, "vus-and-no-actionable-finding"
        ),
        SchemeClass("LB", N_("Likely benign"), BENIGN, "variant-classes"),
        SchemeClass("B", N_("Benign"), BENIGN, "variant-classes"),
    ),
)

AMP_ASCO_CAP_2017 = Scheme(
    id="amp-asco-cap-2017",
    name=N_("AMP/ASCO/CAP tiers"),
    version="2017",
    origin="somatic",
    citation="Li MM, et al. J Mol Diagn. 2017;19(1):4-23. doi:10.1016/j.jmoldx.2016.10.002",
    classes=(
        SchemeClass(
            "IA",
            N_("Tier I, level A: strong clinical significance"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "IB",
            N_("Tier I, level B: strong clinical significance"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "IIC",
            N_("Tier II, level C: potential clinical significance"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "IID",
            N_("Tier II, level D: potential clinical significance"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "III",
            N_("Tier III: unknown clinical significance"),
            UNCERTAIN,
            "vus-and-no-actionable-finding",
        ),
        SchemeClass("IV", N_("Tier IV: benign or likely benign"), BENIGN, "tiers-and-levels"),
    ),
)

ESMO_ESCAT_2018 = Scheme(
    id="esmo-escat-2018",
    name=N_("ESMO ESCAT tiers"),
    version="2018",
    origin="somatic",
    citation="Mateo J, et al. Ann Oncol. 2018;29(9):1895-1902. doi:10.1093/annonc/mdy263",
    classes=(
        SchemeClass("I-A", N_("Tier I-A: ready for routine use"), ACTIONABLE, "tiers-and-levels"),
        SchemeClass("I-B", N_("Tier I-B: ready for routine use"), ACTIONABLE, "tiers-and-levels"),
        SchemeClass("I-C", N_("Tier I-C: ready for routine use"), ACTIONABLE, "tiers-and-levels"),
        SchemeClass(
            "II-A",
            N_("Tier II-A: investigational, benefit not yet confirmed"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "II-B",
            N_("Tier II-B: investigational, benefit not yet confirmed"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "III-A",
            N_("Tier III-A: benefit shown in another cancer"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "III-B",
            N_("Tier III-B: benefit shown in another cancer"),
            ACTIONABLE,
            "tiers-and-levels",
        ),
        SchemeClass(
            "IV-A", N_("Tier IV-A: early laboratory evidence"), UNCERTAIN, "tiers-and-levels"
        ),
        SchemeClass(
            "IV-B", N_("Tier IV-B: early laboratory evidence"), UNCERTAIN, "tiers-and-levels"
        ),
        SchemeClass(
            "V", N_("Tier V: benefit not shown to help survival"), UNCERTAIN, "tiers-and-levels"
        ),
        SchemeClass(
            "X",
            N_("Tier X: no evidence for a treatment"),
            UNCERTAIN,
            "vus-and-no-actionable-finding",
        ),
    ),
)

ONCOKB = Scheme(
    id="oncokb",
    name=N_("OncoKB therapeutic levels"),
    version="2024",
    origin="somatic",
    # The current levels page, as the knowledge file's source 'oncokb-levels' cites it.
    citation=(
        "OncoKB. Therapeutic Levels of Evidence (web page, current version). Memorial Sloan "
        "Kettering Cancer Center. https://www.oncokb.org/levels (accessed 2026-12-08)"
    ),
    classes=(
        SchemeClass(
            "1", N_("Level 1: approved treatment for this cancer"), ACTIONABLE, "tiers-and-levels"
        ),
        SchemeClass(
            "2", N_("Level 2: standard care for this cancer"), ACTIONABLE, "tiers-and-levels"
        ),
        SchemeClass(
            "3A", N_("Level 3A: promising evidence in this cancer"), ACTIONABLE, "tiers-and-levels"
        ),
        SchemeClass(
            "3B", N_("Level 3B: evidence in another cancer"), ACTIONABLE, "tiers-and-levels"
        ),
        SchemeClass("4", N_("Level 4: early biological evidence"), UNCERTAIN, "tiers-and-levels"),
        SchemeClass(
            "R1", N_("Level R1: standard evidence of resistance"), RESISTANCE, "tiers-and-levels"
        ),
        SchemeClass(
            "R2", N_("Level R2: early evidence of resistance"), RESISTANCE, "tiers-and-levels"
        ),
    ),
)

# CPIC's standard phenotype terms for pharmacogenes (DPYD, UGT1A1, TPMT, NUDT15,
# CYP2D6, CYP2C19 ...). A phenotype is about medicines, not about disease.
CPIC_2017 = Scheme(
    id="cpic-2017",
    name=N_("CPIC pharmacogenomic phenotypes"),
    version="2017",
    origin="germline",
    citation=(
        "Caudle KE, et al. Standardizing terms for clinical pharmacogenetic test results: "
        "consensus terms from the Clinical Pharmacogenetics Implementation Consortium (CPIC). "
        "Genet Med. 2017;19(2):215-223. doi:10.1038/gim.2016.87"
    ),
    classes=(
        SchemeClass("UM", N_("Ultrarapid metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass("RM", N_("Rapid metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass("NM", N_("Normal metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass(
            "LIM", N_("Likely intermediate metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"
        ),
        SchemeClass("IM", N_("Intermediate metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass(
            "PIM",
            N_("Possible intermediate metabolizer"),
            DRUG_RESPONSE,
            "pharmacogenomics-dpyd",
        ),
        SchemeClass("LPM", N_("Likely poor metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass("PM", N_("Poor metabolizer"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
        SchemeClass("IND", N_("Indeterminate"), DRUG_RESPONSE, "pharmacogenomics-dpyd"),
    ),
)

SCHEMES: tuple[Scheme, ...] = (ACMG_AMP_2015, AMP_ASCO_CAP_2017, ESMO_ESCAT_2018, ONCOKB, CPIC_2017)


def scheme(scheme_id: str) -> Scheme | None:
    return next((s for s in SCHEMES if s.id == scheme_id), None)
