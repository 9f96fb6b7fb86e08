"""Making the card: the parts in order, the modules to read, the communities, and
what the card says about its own texts (language, review, sources)."""

from __future__ import annotations

from collections.abc import Iterable

from sdm_app.core import knowledge as rules
from sdm_app.core.decision_aid import SupportEntry
from sdm_app.core.knowledge import Citation, Knowledge
from sdm_app.core.results import BiomarkerKind, TestResult, germline_confirmed
from sdm_app.i18n import _
from sdm_app.services.cards.facts import (
    GENE_KINDS,
    QUIET_EFFECTS,
    Facts,
    Modules,
    clean,
    community_names,
    gene_module_ids,
    read_knowledge,
    specific_module_ids,
)
from sdm_app.services.cards.model import (
    CONFIRM_GERMLINE,
    EARLY_EVIDENCE,
    FAMILY_MODULE,
    GENE,
    GENERAL,
    HEREDITARY_CHECK,
    INHERITED_SECTIONS,
    INHERITED_TOPIC,
    NEGATIVE,
    NEGATIVE_BLOOD,
    NO_ACTIONABLE,
    RELATIVES,
    SPECIFIC,
    UNCERTAIN_RESULT,
    CardSection,
    ContentSource,
    ExplanationCard,
    LearnMore,
)
from sdm_app.services.cards.sections import card_sections
from sdm_app.services.cards.words import (
    ClassPart,
    classify,
    heading,
    kind_sentence,
    origin_sentences,
)
from sdm_app.services.result_words import report_facts


def _general_module_ids(
    facts: Facts, part: ClassPart, sections: Iterable[CardSection]
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


def _status_notes(facts: Facts, locale: str) -> tuple[str, ...]:
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
    if any(text.status == "translated" for text in facts.texts):
        notes.append(_("Parts of this explanation are translations not yet checked by a reviewer."))
    if any(text.status == "draft" for text in facts.texts):
        notes.append(_("Parts of this explanation are drafts."))
    if any(item.review_status != "reviewed" for item in facts.used if item.sources):
        notes.append(_("A medical expert has not yet checked the rules behind this card."))
    return tuple(notes)


def _citations(facts: Facts) -> tuple[Citation, ...]:
    found: dict[str, Citation] = {}
    for provenance in facts.used:
        for citation in provenance.sources:
            found.setdefault(citation.id, citation)
    return tuple(found.values())


def explain(
    result: TestResult, condition: str, library: ContentSource, locale: str
) -> ExplanationCard:
    """The plain explanation of ``result`` for a patient with ``condition``.

    ``library`` is the content library (``storage.content_db.ContentLibrary``);
    knowledge, module titles and communities are read in ``locale``. Never raises
    for odd or missing data: what the app cannot explain becomes an "ask your care
    team" note.
    """
    knowledge = read_knowledge(library, locale)
    facts = Facts(result, knowledge, clean(condition))
    modules = Modules(library, locale)
    part = classify(result, facts)
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

    finding = (*origin_sentences(facts), kind_sentence(facts))
    sections, section_notes = card_sections(facts, part, modules)
    notes += section_notes

    # Learn more: gene-and-tumour-specific, then gene, then general.
    candidates: list[tuple[str, int]] = [
        *((m, SPECIFIC) for m in specific_module_ids(result, condition, knowledge)),
        *((m, GENE) for m in gene_module_ids(result, knowledge)),
        *((m, GENERAL) for m in _general_module_ids(facts, part, sections)),
    ]
    learn_more: list[LearnMore] = []
    listed = {explainer.module_id} if explainer else set()
    # A page about an inherited condition never sits beside a finding that is not (or
    # not yet shown to be) inherited and raises no inherited question.
    inherited_question = germline_confirmed(result) or any(
        section.key in INHERITED_SECTIONS for section in sections
    )
    for module_id, level in candidates:
        if module_id in listed:
            continue
        found = modules.get(module_id, level)
        if (
            found is not None
            and not inherited_question
            and modules.topic(module_id) == INHERITED_TOPIC
        ):
            continue
        if found is not None:
            listed.add(found.module_id)
            learn_more.append(found)

    if not result.genes and result.kind in GENE_KINDS:
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
    quiet = facts.negative or part.effect in QUIET_EFFECTS
    communities = () if quiet else _communities(library, locale, result, knowledge)
    return ExplanationCard(
        heading=heading(facts),
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
