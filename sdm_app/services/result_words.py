"""A test result in words: names of its kinds and states, its name as a finding, and
the facts of the report, for the explanation card, the summary preview and the PDF.

Qt-free. Every value from the report (gene, variant, numbers, units, dates' text) is
copied as written; only the app's own words are translated.
"""

from __future__ import annotations

from sdm_app.core.classification import scheme
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    TestResult,
    TestType,
    Therapy,
    Zygosity,
)
from sdm_app.i18n import _, format_date, pgettext


def _clean(text: str) -> str:
    return " ".join(text.split())


def _per_cent(text: str) -> str:
    """A percentage as typed, without a "%" of its own: the sentence adds one."""
    return _clean(text).removesuffix("%").rstrip()


def kind_name(kind: BiomarkerKind) -> str:
    names = {
        BiomarkerKind.SEQUENCE_VARIANT: pgettext("biomarker kind", "Variant"),
        BiomarkerKind.FUSION: pgettext("biomarker kind", "Fusion"),
        BiomarkerKind.COPY_NUMBER: pgettext("biomarker kind", "Copy number change"),
        BiomarkerKind.EXPRESSION: pgettext("biomarker kind", "Expression"),
        BiomarkerKind.SIGNATURE: pgettext("biomarker kind", "Tumour signature"),
        BiomarkerKind.PHARMACOGENOMIC: pgettext("biomarker kind", "Medicine-gene result"),
        BiomarkerKind.NO_FINDING: pgettext("biomarker kind", "No finding"),
        BiomarkerKind.OTHER: pgettext("biomarker kind", "Other result"),
    }
    return names.get(kind, names[BiomarkerKind.OTHER])


def test_type_name(test_type: TestType) -> str:
    names = {
        TestType.GERMLINE: _("germline test (blood or saliva)"),
        TestType.TUMOUR_ONLY: _("tumour-only test"),
        TestType.TUMOUR_NORMAL: _("paired tumour and normal test"),
        TestType.CTDNA: _("blood test for tumour DNA (ctDNA)"),
        TestType.UNKNOWN: _("test type not stated"),
    }
    return names.get(test_type, names[TestType.UNKNOWN])


def origin_name(origin: Origin) -> str:
    """The origin as the report states it; never 'inherited' (see confirmation_name)."""
    names = {
        Origin.GERMLINE: _("reported as germline"),
        Origin.SOMATIC: _("somatic (in the tumour only)"),
        Origin.LIKELY_GERMLINE: _("reported as likely germline"),
        Origin.LIKELY_SOMATIC: _("likely somatic"),
        Origin.UNKNOWN: _("origin not stated"),
    }
    return names.get(origin, names[Origin.UNKNOWN])


def confirmation_name(confirmation: Confirmation) -> str:
    names = {
        Confirmation.NOT_ASSESSED: _("germline origin not assessed"),
        Confirmation.RECOMMENDED: _("a germline test is recommended to confirm it"),
        Confirmation.CONFIRMED: _("confirmed germline (inherited) by a germline test"),
        Confirmation.NOT_GERMLINE: _("shown not to be germline"),
    }
    return names.get(confirmation, names[Confirmation.NOT_ASSESSED])


def copy_number_change_name(change: CopyNumberChange) -> str:
    names = {
        CopyNumberChange.GAIN: _("gain"),
        CopyNumberChange.AMPLIFICATION: _("amplification"),
        CopyNumberChange.LOSS: _("loss"),
        CopyNumberChange.DEEP_DELETION: _("deep deletion"),
        CopyNumberChange.UNKNOWN: _("change not stated"),
    }
    return names.get(change, names[CopyNumberChange.UNKNOWN])


def zygosity_name(zygosity: Zygosity) -> str:
    names = {
        Zygosity.HETEROZYGOUS: _("heterozygous (one copy)"),
        Zygosity.HOMOZYGOUS: _("homozygous (both copies)"),
        Zygosity.HEMIZYGOUS: _("hemizygous (the only copy)"),
        Zygosity.UNKNOWN: _("not stated"),
    }
    return names.get(zygosity, names[Zygosity.UNKNOWN])


def direction_name(direction: Direction) -> str:
    names = {
        Direction.SENSITIVE: _("expected to work"),
        Direction.RESISTANT: _("expected not to work"),
        Direction.OTHER: _("no direction stated"),
    }
    return names.get(direction, names[Direction.OTHER])


def measured_value(result: TestResult) -> str:
    """Value and unit as written: "60%", "12.3 mut/Mb", "MSI-H"."""
    value, unit = _clean(result.value), _clean(result.unit)
    if not value:
        return ""
    if not unit:
        return value
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


def finding_name(result: TestResult) -> str:
    """What the result is called: gene and change as written, or the fusion's genes."""
    alteration = _clean(result.alteration)
    kind = result.kind
    if kind is BiomarkerKind.FUSION and result.fusion_name:
        name = result.fusion_name
        return f"{name} {alteration}" if alteration and alteration != name else name
    gene = _clean(result.gene)
    detail = alteration
    if not detail:
        if kind is BiomarkerKind.COPY_NUMBER and result.copy_number_change in (
            CopyNumberChange.GAIN,
            CopyNumberChange.AMPLIFICATION,
            CopyNumberChange.LOSS,
            CopyNumberChange.DEEP_DELETION,
        ):
            detail = copy_number_change_name(result.copy_number_change)
        elif kind in (BiomarkerKind.EXPRESSION, BiomarkerKind.SIGNATURE):
            detail = " ".join(p for p in (_clean(result.measure), measured_value(result)) if p)
        elif kind is BiomarkerKind.PHARMACOGENOMIC:
            detail = _clean(result.diplotype)
        elif kind is BiomarkerKind.SEQUENCE_VARIANT:
            detail = _clean(result.hgvs_p) or _clean(result.hgvs_c)
    if gene:
        return f"{gene} {detail}" if detail else gene
    if detail:
        return _("{biomarker} {value}").format(biomarker=kind_name(kind), value=detail)
    return kind_name(kind)


def therapy_text(therapy: Therapy) -> str:
    """A therapy with what the report says of it: "osimertinib (level 1; lung cancer)"."""
    extras = [
        _("level {level}").format(level=_clean(therapy.level)) if therapy.level.strip() else "",
        _clean(therapy.tumour_type),
    ]
    shown = [extra for extra in extras if extra]
    name = therapy.name.strip()  # as written: inner spacing kept
    return f"{name} ({'; '.join(shown)})" if shown else name


def class_text(result: TestResult) -> str:
    """The class as the report gives it, named in the scheme when the app knows it."""
    known = scheme(result.scheme_id)
    found = known.find(result.class_code) if known and result.class_code.strip() else None
    if found is not None:
        return _("{label} ({code})").format(label=_(found.label), code=found.code)
    return _clean(result.class_code)


def report_facts(result: TestResult, *, clinician: bool, with_class: bool = True) -> list[str]:
    """The report's facts about a result, one line each; ``clinician`` adds the
    laboratory detail patients rarely need (HGVS, transcript, VAF, copy number ...)."""
    facts: list[str] = []
    test = [test_type_name(result.test_type)] if result.test_type is not TestType.UNKNOWN else []
    test += [_clean(text) for text in (result.test_name, result.test_method) if text.strip()]
    if test:
        facts.append(_("Test: {test}").format(test="; ".join(test)))
    if result.genes_covered.strip():
        facts.append(_("Genes covered: {genes}").format(genes=_clean(result.genes_covered)))
    if result.specimen.strip() or result.collected_on is not None:
        facts.append(
            _("Specimen: {specimen}; collected {date}").format(
                specimen=_clean(result.specimen) or "-",
                date=format_date(result.collected_on) if result.collected_on else "-",
            )
        )
    if result.lab.strip() or result.reported_on is not None or result.accession.strip():
        facts.append(
            _("Laboratory: {lab}; report dated {date}; reference {accession}").format(
                lab=_clean(result.lab) or "-",
                date=format_date(result.reported_on) if result.reported_on else "-",
                accession=_clean(result.accession) or "-",
            )
        )
    facts.append(
        _("Origin: {origin}; {confirmation}").format(
            origin=origin_name(result.origin), confirmation=confirmation_name(result.confirmation)
        )
    )
    klass = class_text(result) if with_class else ""
    if klass:
        facts.append(_("Class on the report: {klass}").format(klass=klass))
    if result.kind is BiomarkerKind.COPY_NUMBER:
        change = copy_number_change_name(result.copy_number_change)
        if result.copy_number.strip():
            facts.append(
                _("Copy number: {change}; copies: {copies}").format(
                    change=change, copies=_clean(result.copy_number)
                )
            )
        else:
            facts.append(_("Copy number: {change}").format(change=change))
    if result.kind is BiomarkerKind.FUSION and result.fusion_name:
        facts.append(_("Genes joined: {fusion}").format(fusion=result.fusion_name))
    if result.kind in (BiomarkerKind.EXPRESSION, BiomarkerKind.SIGNATURE):
        measured = " ".join(p for p in (_clean(result.measure), measured_value(result)) if p)
        if measured:
            facts.append(_("Measured: {value}").format(value=measured))
    if result.kind is BiomarkerKind.PHARMACOGENOMIC:
        if result.diplotype.strip():
            facts.append(_("Diplotype: {diplotype}").format(diplotype=_clean(result.diplotype)))
        if result.activity_score.strip():
            facts.append(_("Activity score: {score}").format(score=_clean(result.activity_score)))
    if clinician:
        facts += _laboratory_detail(result)
    return facts


def _laboratory_detail(result: TestResult) -> list[str]:
    facts: list[str] = []
    hgvs = [_clean(text) for text in (result.hgvs_c, result.hgvs_p, result.hgvs_g) if text.strip()]
    if hgvs:
        facts.append(_("HGVS: {hgvs}").format(hgvs="; ".join(hgvs)))
    if result.transcript.strip() or result.genome_build.strip():
        facts.append(
            _("Transcript: {transcript}; genome build: {build}").format(
                transcript=_clean(result.transcript) or "-",
                build=_clean(result.genome_build) or "-",
            )
        )
    if result.zygosity is not Zygosity.UNKNOWN:
        facts.append(_("Zygosity: {zygosity}").format(zygosity=zygosity_name(result.zygosity)))
    if result.vaf.strip():
        facts.append(_("Variant allele fraction: {vaf}%").format(vaf=_per_cent(result.vaf)))
    if result.tumour_fraction.strip():
        facts.append(
            _("Tumour fraction: {fraction}%").format(fraction=_per_cent(result.tumour_fraction))
        )
    return facts


def therapy_groups(result: TestResult) -> list[tuple[Direction, tuple[str, ...]]]:
    """The report's therapies by direction: expected to work, expected not to work, other."""
    groups: list[tuple[Direction, tuple[str, ...]]] = []
    for direction in (Direction.SENSITIVE, Direction.RESISTANT, Direction.OTHER):
        names = tuple(
            therapy_text(therapy)
            for therapy in result.therapies
            if therapy.direction is direction and therapy.name.strip()
        )
        if names:
            groups.append((direction, names))
    return groups


def therapy_summary(result: TestResult) -> str:
    """All the report's therapies in one sentence, each group with its direction."""
    parts = [
        _("{direction}: {therapies}").format(
            direction=direction_name(direction), therapies=", ".join(names)
        )
        for direction, names in therapy_groups(result)
    ]
    if not parts:
        return ""
    return _("Treatments on the report: {groups}.").format(groups="; ".join(parts))
