"""What the content's clinical knowledge says about one result, and the module
look-ups for its card. Names no gene: everything comes from ``core.knowledge``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sdm_app.core import knowledge as rules
from sdm_app.core.classification import (
    ACTIONABLE,
    BENIGN,
    DRUG_RESPONSE,
    PATHOGENIC,
    RESISTANCE,
    UNCERTAIN,
)
from sdm_app.core.knowledge import (
    BiomarkerRule,
    GeneRule,
    Knowledge,
    KnowledgeText,
    Provenance,
)
from sdm_app.core.library import Module
from sdm_app.core.results import BiomarkerKind, TestResult, TestType
from sdm_app.services.cards.model import ContentSource, LearnMore

# Kinds whose result is about a named gene: an empty gene leaves the card vague.
GENE_KINDS = frozenset(
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
DNA_KINDS = frozenset(
    {BiomarkerKind.SEQUENCE_VARIANT, BiomarkerKind.COPY_NUMBER, BiomarkerKind.OTHER}
)
# Kinds measured across the tumour or as a protein: never inherited as such.
MEASURE_KINDS = frozenset({BiomarkerKind.SIGNATURE, BiomarkerKind.EXPRESSION})
TUMOUR_TESTS = frozenset({TestType.TUMOUR_ONLY, TestType.CTDNA, TestType.UNKNOWN})

# A scheme class's meaning, when the knowledge has no entry for its level.
FALLBACK_EFFECTS = {
    PATHOGENIC: rules.PATHOGENIC,
    UNCERTAIN: rules.UNCERTAIN,
    BENIGN: rules.BENIGN,
    ACTIONABLE: rules.TREATMENT,
    RESISTANCE: rules.RESISTANCE,
    DRUG_RESPONSE: rules.DRUG_RESPONSE,
}
HARMFUL_EFFECTS = frozenset({rules.PATHOGENIC, rules.TREATMENT, rules.EARLY, rules.RESISTANCE})
QUIET_EFFECTS = frozenset({rules.UNCERTAIN, rules.BENIGN})


def clean(text: str) -> str:
    return " ".join(text.split())


def slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-")


# What the knowledge says about this result ----------------------------------------


@dataclass
class Facts:
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
        # A class that states a finding (a treatment level, pathogenic ...) means the
        # report found a change, whatever words its line also holds.
        level = knowledge.level(result.scheme_id.strip(), result.class_code)
        states_finding = level is not None and level.meaning.effect in HARMFUL_EFFECTS | {
            rules.DRUG_RESPONSE
        }
        self.negative = result.kind is BiomarkerKind.NO_FINDING or (
            result.kind not in MEASURE_KINDS
            and not states_finding
            and knowledge.says_nothing_found(clean(result.alteration))
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


def read_knowledge(library: ContentSource, locale: str) -> Knowledge:
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
        named = slug(gene)
        if named:
            ids.append(f"gene-{named}")
    marker = knowledge.biomarker(result.gene)
    if marker is not None:
        ids.extend(marker.modules)
    return tuple(dict.fromkeys(ids))


def specific_module_ids(
    result: TestResult, condition: str, knowledge: Knowledge | None = None
) -> tuple[str, ...]:
    """Candidate modules about this gene in this tumour type: ``gene-<gene>-<condition>``."""
    condition_slug = slug(condition)
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
        names.append(clean(gene))
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


# Modules ----


class Modules:
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

    def topic(self, module_id: str) -> str | None:
        """The topic of a module already asked for with ``get``."""
        module = self._seen.get(module_id)
        return module.topic_id if module is not None else None
