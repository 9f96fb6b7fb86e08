"""The sections of a card, each chosen by the result and the knowledge: tumour
context, target, early evidence, relatives, germline test first, medicines ..."""

from __future__ import annotations

from sdm_app.core import knowledge as rules
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.results import (
    GERMLINE_ORIGINS,
    SOMATIC_ORIGINS,
    BiomarkerKind,
    Confirmation,
    Direction,
    Origin,
    Sample,
    TestResult,
    TestType,
    germline_confirmed,
    germline_question_open,
)
from sdm_app.i18n import _
from sdm_app.services.cards.facts import (
    DNA_KINDS,
    HARMFUL_EFFECTS,
    MEASURE_KINDS,
    QUIET_EFFECTS,
    TUMOUR_TESTS,
    Facts,
    Modules,
    clean,
)
from sdm_app.services.cards.model import (
    BIOMARKER,
    CLONAL,
    CONFIRM_GERMLINE,
    EARLY_EVIDENCE,
    FAMILY_MODULE,
    GENERAL,
    HEREDITARY_CHECK,
    MEDICINES,
    NEGATIVE,
    NEGATIVE_BLOOD,
    NO_ACTIONABLE,
    RELATIVES,
    TARGET,
    THERAPIES,
    TUMOUR_CONTEXT,
    UNCERTAIN_RESULT,
    CardSection,
    ItemList,
    LearnMore,
)
from sdm_app.services.cards.words import ClassPart, classify
from sdm_app.services.result_words import therapy_groups

# Sections ----------------------------------------------------------------------


WORK = "work"  # the level is about a treatment: the report's "expected to work" stands
EARLY_LEAD = "early"  # early evidence only
NEUTRAL = "neutral"  # the class says nothing about treatment: named as written


def therapy_lists(result: TestResult, *, mode: str = WORK) -> tuple[ItemList, ...]:
    """The report's therapies, each group led by what the report says they do. Only
    a treatment level lets a treatment be said to be expected to work; with early
    evidence or a class that is not about treatment, they are named as written."""
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
            "The report names these treatments for this result. They are shown here as written "
            "on the report:"
        ),
    }
    if mode == EARLY_LEAD:
        leads[Direction.SENSITIVE] = _(
            "The report names these treatments. The evidence for them is early:"
        )
    elif mode == NEUTRAL:
        leads[Direction.SENSITIVE] = leads[Direction.OTHER]
    return tuple(
        ItemList(leads[direction], names, direction) for direction, names in therapy_groups(result)
    )


def _no_advice() -> str:
    return _(
        "This app does not recommend treatments. Whether a treatment fits you is a decision "
        "to make with your care team."
    )


def _context_section(facts: Facts, effect: str) -> CardSection | None:
    result = facts.result
    if facts.negative or effect in QUIET_EFFECTS:
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


def _biomarker_section(facts: Facts) -> CardSection | None:
    marker = facts.biomarker
    if marker is None or facts.result.kind not in MEASURE_KINDS:
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


def _lead_mode(effect: str) -> str:
    if effect == rules.TREATMENT:
        return WORK
    return EARLY_LEAD if effect == rules.EARLY else NEUTRAL


def _target_section(effect: str, result: TestResult, condition: str) -> CardSection:
    lists = therapy_lists(result, mode=_lead_mode(effect))
    resistant = effect == rules.RESISTANCE or any(
        group.direction is Direction.RESISTANT for group in lists
    )
    condition = clean(condition)
    if resistant:
        heading = _("What this result means for treatment, and what it does not")
        first = _(
            "Resistance means a treatment is expected not to work against this change. Or it is "
            "expected to work less well."
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


def _therapies_section(result: TestResult, mode: str) -> CardSection:
    """Treatments a report names on a result whose class is not about treatment."""
    return CardSection(
        THERAPIES,
        _("Treatments named on the report"),
        (_("This app does not recommend treatments. Ask your care team what these mean for you."),),
        therapy_lists(result, mode=mode),
    )


def _relatives_section(facts: Facts, family: LearnMore | None) -> CardSection:
    """Only for a change a germline test has confirmed."""
    blood = _(
        "Blood relatives, such as parents, brothers, sisters and children, may have the same "
        "change. Partners and relatives by marriage do not share it."
    )
    paragraphs: tuple[str, ...]
    if facts.knowledge.empty:
        # Without the content's gene rules the app cannot tell a medicine gene from a
        # cancer gene: nothing about risk or prevention is said.
        paragraphs = (
            blood,
            _(
                "A genetic counsellor can explain what this means for you and your family, and "
                "help you tell relatives. Whether and when to share is up to you."
            ),
        )
    elif facts.gene_with("pharmacogene") is not None and facts.gene_with("hereditary") is None:
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


def _germline_test_sentences(facts: Facts) -> list[str]:
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
    if hereditary is not None and result.test_type in TUMOUR_TESTS:
        facts.used.append(hereditary.provenance)
        if hereditary.follow_up == rules.FOLLOW_UP_ANY_TUMOUR:
            sentences.append(
                _(
                    "If a tumour test finds a harmful change in this gene, guidelines advise a "
                    "germline test, on blood or saliva. This is so whatever the type of cancer."
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


def _confirm_germline_section(facts: Facts, family: LearnMore | None) -> CardSection:
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
                "If a germline test confirms it, a genetic counsellor can help. They can tell you "
                "what it means for your blood relatives."
            ),
        ),
        links=(family,) if family else (),
    )


def _hereditary_check_section(facts: Facts, family: LearnMore | None) -> CardSection | None:
    marker = facts.biomarker
    if marker is None or marker.hereditary_check is None or facts.state != rules.POSITIVE:
        return None
    return CardSection(
        HEREDITARY_CHECK,
        _("Could the cause be inherited?"),
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
    return CardSection(UNCERTAIN_RESULT, _("What an uncertain result means"), tuple(paragraphs))


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
                "It does not mean there is no treatment. Standard treatments may still be "
                "options. These include surgery, chemotherapy, radiotherapy and immunotherapy. "
                "Clinical trials may be an option too."
            ),
            _(
                "It does not mean the tumour has no changes at all. A test looks only at the "
                "genes it covers. New targets are found over time. So testing again later can "
                "sometimes help."
            ),
            _(
                "A tumour test is not made to find inherited risk. It does so only if the report "
                "says it looked for inherited changes."
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
                "tumours put very little DNA into the blood. So a change can be missed."
            ),
            _(
                "A negative blood test does not rule out a change in the tumour. When a blood "
                "test finds nothing, a test on a tissue sample is often advised."
            ),
            _("Ask your care team if a tissue test is possible or planned."),
        ),
    )


def _per_cent(text: str) -> float | None:
    cleaned = clean(text).removesuffix("%").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _clonal_section(facts: Facts) -> CardSection | None:
    result = facts.result
    rule = facts.gene_with("clonal")
    in_blood = result.sample is Sample.BLOOD or result.test_type is TestType.CTDNA
    if rule is None or not in_blood or facts.negative or result.kind not in DNA_KINDS:
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
                "The change was found in a small share of the DNA tested ({vaf}%). So blood cells "
                "are a likely source."
            ).format(vaf=clean(result.vaf).removesuffix("%").strip())
        )
    paragraphs.append(
        _("Ask your care team if a test of a tumour sample or of blood cells is needed.")
    )
    return CardSection(CLONAL, _("A change that may come from blood cells"), tuple(paragraphs))


def _medicines_section(facts: Facts) -> CardSection:
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
            "Tell every doctor and pharmacist who gives you medicines about this result. It "
            "stays the same all your life."
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
                "With some results, the dose of a medicine may need to be lower. Or a different "
                "medicine may be used. This can lower the risk of serious side effects."
            ),
            _(
                "Your care team decides the dose. Do not change how you take any medicine on "
                "your own."
            ),
            lasting,
        ),
        lists,
    )


def _may_concern_relatives(facts: Facts, effect: str) -> bool:
    """A change that would matter for relatives if inherited."""
    result = facts.result
    if facts.negative or result.kind not in DNA_KINDS:
        return False  # nothing found, a fusion (arises in the tumour) or a measure
    if result.test_type is TestType.TUMOUR_NORMAL and result.origin in SOMATIC_ORIGINS:
        return False  # compared with the patient's normal sample: not inherited
    if effect == rules.PATHOGENIC:
        return True
    if effect not in HARMFUL_EFFECTS:
        return False
    return facts.gene_with("hereditary") is not None or result.origin in GERMLINE_ORIGINS


def germline_test_first(result: TestResult, knowledge: Knowledge | None = None) -> str:
    """The card's first sentence on testing before relatives are told, or "" when the
    change is confirmed, shown not germline, or of a class that does not concern them."""
    facts = Facts(result, knowledge or Knowledge(), "")
    part = classify(result, facts)
    if (
        not _may_concern_relatives(facts, part.effect)
        or germline_confirmed(result)
        or result.confirmation is Confirmation.NOT_GERMLINE
        or facts.gene_with("pharmacogene") is not None
    ):
        return ""
    return _germline_test_sentences(facts)[0]


def card_sections(
    facts: Facts, part: ClassPart, modules: Modules
) -> tuple[list[CardSection], list[str]]:
    result, effect = facts.result, part.effect
    notes: list[str] = []
    sections: list[CardSection] = []
    for optional in (_context_section(facts, effect), _biomarker_section(facts)):
        if optional is not None:
            sections.append(optional)
    resistant_therapy = any(t.direction is Direction.RESISTANT for t in result.therapies)
    if effect == rules.EARLY:
        sections.append(_early_section())  # kept, whatever else the report names
    if effect in (rules.TREATMENT, rules.RESISTANCE) or resistant_therapy:
        sections.append(_target_section(effect, result, facts.condition))
    elif result.therapies:
        sections.append(_therapies_section(result, _lead_mode(effect)))
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
