"""The clinical knowledge behind the explanation cards, as read from content packs.

Which genes are hereditary cancer genes, pharmacogenes or prone to clonal
haematopoiesis; what each level of each scheme means for a patient; what a finding
means in one type of cancer; which words say that nothing was found. Every rule
carries its sources and review. Nothing here names a gene: it all comes from the
packs' ``knowledge`` files (content/README.md, "Clinical knowledge").

``Knowledge.from_mapping`` reads the JSON the content build stores; an empty
``Knowledge()`` is valid and makes every look-up miss, so a library without
knowledge still explains results with the app's general wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# What a level means for the card: which sections follow.
TREATMENT = "treatment"
EARLY = "early"
RESISTANCE = "resistance"
UNCERTAIN = "uncertain"
BENIGN = "benign"
PATHOGENIC = "pathogenic"
DRUG_RESPONSE = "drug-response"
EFFECTS = (TREATMENT, EARLY, RESISTANCE, UNCERTAIN, BENIGN, PATHOGENIC, DRUG_RESPONSE)

# Germline follow-up after a harmful finding on a tumour test.
FOLLOW_UP_ANY_TUMOUR = "any-tumour"
FOLLOW_UP_DEPENDS = "depends"
FOLLOW_UPS = (FOLLOW_UP_ANY_TUMOUR, FOLLOW_UP_DEPENDS)

# How a harmful change in a gene is passed on, for the family letter.
DOMINANT = "dominant"  # one changed copy is enough: each child of a carrier, 1 in 2
RECESSIVE = "recessive"
INHERITANCES = (DOMINANT, RECESSIVE)

POSITIVE = "positive"
NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    citation: str
    date: str
    doi: str = ""
    pmid: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a rule comes from and how far it has been checked."""

    sources: tuple[Citation, ...] = ()
    reviewed_on: str = ""
    next_review: str = ""
    reviewer: str = ""
    review_status: str = ""  # "reviewed" or "needs clinical review"


@dataclass(frozen=True, slots=True)
class KnowledgeText:
    text: str
    locale: str  # the language of ``text``
    status: str  # source, reviewed, translated, machine-assisted or draft


@dataclass(frozen=True, slots=True)
class Meaning:
    id: str
    effect: str  # one of EFFECTS
    text: KnowledgeText
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class LevelRule:
    scheme_id: str
    code: str
    meaning: Meaning
    text: KnowledgeText
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class GeneRule:
    symbol: str
    aliases: tuple[str, ...]
    modules: tuple[str, ...]
    communities: tuple[str, ...]
    follow_up: str  # "" or one of FOLLOW_UPS
    drugs: tuple[str, ...]  # medicines a pharmacogene affects, in the card's language
    clonal_haematopoiesis: bool
    provenance: Provenance
    condition: KnowledgeText | None = None  # the inherited condition it causes
    inheritance: str = ""  # DOMINANT, RECESSIVE or "" when not given

    @property
    def hereditary(self) -> bool:
        return bool(self.follow_up)

    @property
    def pharmacogene(self) -> bool:
        return bool(self.drugs)


@dataclass(frozen=True, slots=True)
class BiomarkerRule:
    id: str
    names: tuple[str, ...]
    modules: tuple[str, ...]
    communities: tuple[str, ...]
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    about: KnowledgeText
    when_positive: KnowledgeText | None
    when_negative: KnowledgeText | None
    hereditary_check: KnowledgeText | None  # shown when positive
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ContextRule:
    id: str
    genes: tuple[str, ...]
    alterations: tuple[str, ...]  # empty: any
    kinds: tuple[str, ...]  # empty: any
    tumour_terms: tuple[str, ...]  # in every language the packs have
    text: KnowledgeText
    provenance: Provenance


def fold_name(name: str) -> str:
    """A gene or biomarker name as compared: upper case, letters and digits only."""
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", name).upper())


def fold_words(text: str) -> str:
    """Text as compared word by word: lower case, punctuation as spaces, padded."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " " + " ".join(re.sub(r"[^\w]+", " ", folded).split()) + " "


def has_phrase(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` as whole words (any case, any
    punctuation); in scripts written without spaces, anywhere."""
    wanted = fold_words(phrase).strip()
    if not wanted:
        return False
    if not wanted.isascii() and not any(char == " " for char in wanted):
        return wanted in fold_words(text)
    return f" {wanted} " in fold_words(text)


_CLAUSE_BREAKS = frozenset(";,/\uff1b\uff0c\u060c\u061b")
_NEGATIONS = ("not", "no", "without")
# A change named in a report line: HGVS (c./p./g.), a protein change (V600E,
# Leu858Arg), a star allele (*2A), an exon deletion or insertion.
_CHANGE = re.compile(
    r"(?<![A-Za-z])[cpgnmr]\.\S|(?<![A-Za-z0-9])[A-Z](?:[a-z]{2})?\d+(?:[A-Z](?:[a-z]{2})?|\*|fs|del|ins|dup)"
    r"|\*\d|exon\s*\d+\s*(?:del|ins|dup|skip)",
    re.IGNORECASE,
)


def _clauses(text: str) -> list[str]:
    """``text`` cut at semicolons, commas and slashes outside brackets: "No mutation
    detected (exons 2, 3, 4)" is one clause, "p.L858R; T790M negative" two."""
    clauses: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([{（":
            depth += 1
        elif char in ")]}）" and depth:
            depth -= 1
        if char in _CLAUSE_BREAKS and depth == 0:
            clauses.append("".join(current))
            current = []
        else:
            current.append(char)
    clauses.append("".join(current))
    return clauses


def _outside_brackets(text: str) -> str:
    """``text`` without what brackets enclose: an aside about another gene or variant."""
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in "([{（":
            depth += 1
        elif char in ")]}）" and depth:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


@dataclass(frozen=True)
class Knowledge:
    meanings: Mapping[str, Meaning] = field(default_factory=dict)
    levels: Mapping[tuple[str, str], LevelRule] = field(default_factory=dict)  # (scheme, CODE)
    genes: tuple[GeneRule, ...] = ()
    biomarkers: tuple[BiomarkerRule, ...] = ()
    contexts: tuple[ContextRule, ...] = ()
    negative_results: tuple[str, ...] = ()  # in every language the packs have
    clonal_low_vaf_percent: float | None = None
    clonal_provenance: Provenance = Provenance()
    _gene_index: dict[str, GeneRule] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for rule in self.genes:
            for name in (rule.symbol, *rule.aliases):
                self._gene_index.setdefault(fold_name(name), rule)

    @property
    def empty(self) -> bool:
        return not (self.meanings or self.levels or self.genes or self.biomarkers)

    def level(self, scheme_id: str, code: str) -> LevelRule | None:
        return self.levels.get((scheme_id, code.strip().upper()))

    def gene(self, name: str) -> GeneRule | None:
        return self._gene_index.get(fold_name(name))

    def biomarker(self, name: str) -> BiomarkerRule | None:
        key = fold_name(name)
        if not key:
            return None
        return next((b for b in self.biomarkers if key in {fold_name(n) for n in b.names}), None)

    def biomarker_state(self, rule: BiomarkerRule, texts: Iterable[str]) -> str:
        """POSITIVE or NEGATIVE when the report's words say so, else "". A negation
        ("... high not detected", "No loss of ... proteins", "not high") makes
        it unknown: the card then says what the measure is, not what it means."""
        joined = " ".join(texts)
        positive = any(has_phrase(joined, phrase) for phrase in rule.positive)
        negative = any(has_phrase(joined, phrase) for phrase in rule.negative)
        negated = any(has_phrase(joined, word) for word in _NEGATIONS) or self.says_nothing_found(
            joined, anywhere=True
        )
        if positive and (negated or negative):
            return ""  # a positive word negated, or words both ways: not clear
        if positive:
            return POSITIVE
        return NEGATIVE if negative else ""

    def says_nothing_found(self, text: str, *, anywhere: bool = False) -> bool:
        """Whether ``text`` says the test found nothing: every clause (cut at ";" and
        "," outside brackets) has a negative phrase outside brackets, and no clause
        names a change (an HGVS name, a protein change, a star allele, an exon
        deletion). "V600E not detected" and "No mutations found in exons 18-21" say
        so; "p.L858R; T790M negative" and "Exon 19 deletion (T790M not detected)"
        report a change and do not. When unsure, it is not negative: a card must never
        call a reported change absent. ``anywhere``: a negative phrase anywhere."""
        if anywhere:
            return any(has_phrase(text, phrase) for phrase in self.negative_results)
        clauses = [clause for clause in _clauses(_outside_brackets(text)) if clause.strip()]
        if not clauses:
            return False
        for clause in clauses:
            if not any(has_phrase(clause, phrase) for phrase in self.negative_results):
                return False
            # One change in a negative clause is the one not found ("V600E not
            # detected"); two ("p.L858R T790M negative") leave it unclear.
            if len(_CHANGE.findall(clause)) > 1:
                return False
        return True

    def contexts_for(
        self, genes: Iterable[str], alteration_texts: Iterable[str], kind: str, condition: str
    ) -> tuple[ContextRule, ...]:
        """The tumour-context rules that apply to this finding in this condition."""
        keys = {fold_name(gene) for gene in genes}
        alterations = " ".join(alteration_texts)
        found: list[ContextRule] = []
        for rule in self.contexts:
            if not keys & {fold_name(gene) for gene in rule.genes}:
                continue
            if rule.kinds and kind not in rule.kinds:
                continue
            if rule.alterations and not any(has_phrase(alterations, a) for a in rule.alterations):
                continue
            if not any(has_phrase(condition, term) for term in rule.tumour_terms):
                continue
            found.append(rule)
        return tuple(found)

    # Stored form ---------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Knowledge:
        """Read the build's JSON; raises KeyError, TypeError or ValueError when damaged."""
        meanings = {
            item["id"]: Meaning(
                item["id"], item["effect"], _text(item["text"]), _provenance(item["provenance"])
            )
            for item in data.get("meanings", ())
        }
        levels = {}
        for item in data.get("levels", ()):
            meaning = meanings[item["meaning"]]
            rule = LevelRule(
                item["scheme"],
                item["code"],
                meaning,
                _text(item["text"]),
                _provenance(item["provenance"]),
            )
            levels[(rule.scheme_id, rule.code.upper())] = rule
        genes = tuple(
            GeneRule(
                symbol=item["symbol"],
                aliases=tuple(item.get("aliases", ())),
                modules=tuple(item.get("modules", ())),
                communities=tuple(item.get("communities", ())),
                follow_up=str(item.get("follow_up", "")),
                drugs=tuple(item.get("drugs", ())),
                clonal_haematopoiesis=bool(item.get("clonal_haematopoiesis", False)),
                provenance=_provenance(item["provenance"]),
                condition=_optional_text(item.get("condition")),
                inheritance=str(item.get("inheritance", "")),
            )
            for item in data.get("genes", ())
        )
        biomarkers = tuple(
            BiomarkerRule(
                id=item["id"],
                names=tuple(item["names"]),
                modules=tuple(item.get("modules", ())),
                communities=tuple(item.get("communities", ())),
                positive=tuple(item.get("positive", ())),
                negative=tuple(item.get("negative", ())),
                about=_text(item["about"]),
                when_positive=_optional_text(item.get("when_positive")),
                when_negative=_optional_text(item.get("when_negative")),
                hereditary_check=_optional_text(item.get("hereditary_check")),
                provenance=_provenance(item["provenance"]),
            )
            for item in data.get("biomarkers", ())
        )
        contexts = tuple(
            ContextRule(
                id=item["id"],
                genes=tuple(item["genes"]),
                alterations=tuple(item.get("alterations", ())),
                kinds=tuple(item.get("kinds", ())),
                tumour_terms=tuple(item["tumour_terms"]),
                text=_text(item["text"]),
                provenance=_provenance(item["provenance"]),
            )
            for item in data.get("contexts", ())
        )
        clonal = data.get("clonal_haematopoiesis") or {}
        low = clonal.get("low_vaf_percent")
        return cls(
            meanings=meanings,
            levels=levels,
            genes=genes,
            biomarkers=biomarkers,
            contexts=contexts,
            negative_results=tuple(data.get("negative_results", ())),
            clonal_low_vaf_percent=float(low) if low is not None else None,
            clonal_provenance=_provenance(clonal.get("provenance", {})),
        )

    def merged_with(self, later: Knowledge) -> Knowledge:
        """This pack's knowledge with a later pack's on top: a later rule with the same
        id (gene symbol, level, biomarker, context) replaces the earlier one."""
        genes = {rule.symbol: rule for rule in self.genes}
        genes.update({rule.symbol: rule for rule in later.genes})
        biomarkers = {rule.id: rule for rule in self.biomarkers}
        biomarkers.update({rule.id: rule for rule in later.biomarkers})
        contexts = {rule.id: rule for rule in self.contexts}
        contexts.update({rule.id: rule for rule in later.contexts})
        low = later.clonal_low_vaf_percent
        return Knowledge(
            meanings={**self.meanings, **later.meanings},
            levels={**self.levels, **later.levels},
            genes=tuple(genes.values()),
            biomarkers=tuple(biomarkers.values()),
            contexts=tuple(contexts.values()),
            negative_results=tuple(
                dict.fromkeys((*self.negative_results, *later.negative_results))
            ),
            clonal_low_vaf_percent=low if low is not None else self.clonal_low_vaf_percent,
            clonal_provenance=later.clonal_provenance
            if low is not None
            else self.clonal_provenance,
        )


def _text(data: Mapping[str, Any]) -> KnowledgeText:
    return KnowledgeText(str(data["text"]), str(data["locale"]), str(data["status"]))


def _optional_text(data: Mapping[str, Any] | None) -> KnowledgeText | None:
    return _text(data) if data else None


def _provenance(data: Mapping[str, Any]) -> Provenance:
    return Provenance(
        sources=tuple(
            Citation(
                id=str(item["id"]),
                citation=str(item["citation"]),
                date=str(item.get("date", "")),
                doi=str(item.get("doi") or ""),
                pmid=str(item.get("pmid") or ""),
                url=str(item.get("url") or ""),
            )
            for item in data.get("sources", ())
        ),
        reviewed_on=str(data.get("reviewed_on", "")),
        next_review=str(data.get("next_review", "")),
        reviewer=str(data.get("reviewer", "")),
        review_status=str(data.get("review_status", "")),
    )
