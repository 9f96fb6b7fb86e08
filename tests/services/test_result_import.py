"""Reading FHIR genomics reports: the example bundles, references, codes, and the
clean errors for files the app cannot read."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    TestType,
    Therapy,
    Zygosity,
)
from sdm_app.services import result_import
from sdm_app.services.result_import import (
    MAX_FILE_BYTES,
    MAX_TEXT,
    ResultImportError,
    parse_import,
    read_import_file,
    report_to_json,
)
from tests.services.fhir_expected import BUNDLES

FHIR = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
LOINC = "http://loinc.org"


def bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FHIR / name).read_text(encoding="utf-8"))
    return data


def parse(document: Any, name: str = "report.json") -> result_import.ImportReport:
    return parse_import(json.dumps(document).encode("utf-8"), name)


def resource(document: dict[str, Any], ident: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e["resource"] for e in document["entry"] if e["resource"].get("id") == ident
    )
    return found


def component(observation: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in observation["component"] if c["code"]["coding"][0]["code"] == code
    )
    return found


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_each_example_bundle_imports_what_it_holds(name: str) -> None:
    expected = BUNDLES[name]
    report = read_import_file(FHIR / name)
    assert report.format == result_import.FHIR
    assert [f.gene for f in report.findings] == [e.gene for e in expected.findings]
    for finding, wanted in zip(report.findings, expected.findings, strict=True):
        assert finding.kind is wanted.kind, finding
        assert finding.origin is wanted.origin, finding
        got_class = (finding.scheme_id, finding.class_code) if finding.scheme_id else None
        assert got_class == wanted.classification, finding
        therapies = tuple(
            (t.name, t.direction, t.level, "; ".join(t.tumour_types)) for t in finding.therapies
        )
        assert therapies == wanted.therapies
        for part in wanted.alteration_has:
            assert part in finding.alteration, (part, finding.alteration)
        for field, value in wanted.fields.items():
            assert getattr(finding, field) == value, (field, finding)
        assert finding.settled_confirmation is wanted.confirmation, finding
        assert finding.test_type is expected.test_type, finding
        for field, value in expected.test.items():
            assert getattr(finding, field) == value, (field, finding)
        assert finding.lab == expected.lab
        assert finding.reported_on == expected.reported_on
        assert finding.sample is expected.sample
    assert [s.where for s in report.skipped] == list(expected.skipped)
    assert all(s.reason for s in report.skipped)


def test_results_made_from_an_import_carry_every_field() -> None:
    report = read_import_file(FHIR / "Bundle-bundle-cgexample.json")
    acad9, _complex, genotype = report.test_results()
    assert acad9.id is None
    assert (acad9.scheme_id, acad9.class_code, acad9.origin) == (
        "acmg-amp-2015",
        "P",
        Origin.GERMLINE,
    )
    assert (acad9.test_type, acad9.confirmation) == (TestType.GERMLINE, Confirmation.CONFIRMED)
    assert (acad9.zygosity, acad9.vaf, acad9.transcript) == (
        Zygosity.HETEROZYGOUS,
        "47",
        "NM_014049.4",
    )
    assert acad9.hgvs_c == "NM_014049.4:c.1249C>T"
    assert "Bundle-bundle-cgexample.json" not in acad9.clinician_note
    assert "Observation/discrete-variant" in acad9.clinician_note
    # What has its own field is not repeated in the note.
    assert "eterozygous" not in acad9.clinician_note and "47" not in acad9.clinician_note
    assert genotype.therapies == (Therapy("Warfarin", Direction.RESISTANT),)
    assert (genotype.scheme_id, genotype.class_code, genotype.diplotype) == (
        "cpic-2017",
        "RM",
        "*2/*5",
    )
    # "Low risk" has no field of its own: the note keeps it.
    assert "Warfarin: Low risk" in genotype.clinician_note
    assert "Rapid metabolizer" not in genotype.clinician_note


def test_variant_allele_fraction_is_kept_exactly_in_per_cent() -> None:
    cg = read_import_file(FHIR / "Bundle-bundle-cgexample.json").findings[0]
    assert cg.vaf == "47"  # written 47 with the unit %
    onc = read_import_file(FHIR / "Bundle-bundle-oncology-report-example.json").findings
    assert [f.vaf for f in onc[:4]] == ["21.88", "17.93", "10.53", "18.8"]  # 0.2188 ...


@pytest.mark.parametrize(
    ("written", "unit", "vaf"),
    [
        ("0.2188", "1", "21.88"),
        ("0.1", "1", "10"),
        ("0.05", None, "5"),
        ("0.123456789", "1", "12.3456789"),
        ("1", "1", "100"),
        ("12.30", "%", "12.30"),
        ("0.5", "%", "0.5"),
        ("100", "%", "100"),
    ],
)
def test_vaf_numbers_are_never_rounded(written: str, unit: str | None, vaf: str) -> None:
    text = (FHIR / "Bundle-bundle-cgexample.json").read_text(encoding="utf-8")
    document = json.loads(text)
    quantity: dict[str, Any] = component(resource(document, "discrete-variant"), "81258-6")[
        "valueQuantity"
    ]
    quantity.pop("code")
    if unit is not None:
        quantity["code"] = unit
    # Put the number in the JSON as written, digits and all.
    encoded = json.dumps(document).replace('"value": 47', f'"value": {written}', 1)
    finding = parse_import(encoded.encode("utf-8"), "r.json").findings[0]
    assert finding.vaf == vaf


def test_a_vaf_out_of_range_is_left_out_with_a_reason() -> None:
    document = bundle("Bundle-bundle-oncology-report-example.json")
    variant = resource(document, "Inline-Instance-for-oncology-report-example-4")
    component(variant, "81258-6")["valueQuantity"]["value"] = 21.88  # a per cent, unit "1"
    report = parse(document)
    assert report.findings[0].vaf == ""
    assert any("81258-6" in s.where for s in report.skipped)


def test_tmb_and_msi_are_signatures_with_their_value_as_written() -> None:
    document = bundle("Bundle-bundle-oncologyexamples-r4.json")
    text = json.dumps(document).replace('"value": 25,', '"value": 12.30,', 1)
    report = parse_import(text.encode("utf-8"), "r.json")
    tmb, msi = report.findings[3], report.findings[4]
    assert (tmb.kind, tmb.measure, tmb.value, tmb.unit) == (
        BiomarkerKind.SIGNATURE,
        "TMB",
        "12.30",
        "mut/Mb",
    )
    assert tmb.alteration == "12.30 mut/Mb"
    assert (msi.kind, msi.measure, msi.value) == (BiomarkerKind.SIGNATURE, "MSI", "Stable")


def test_json_output_has_the_new_fields() -> None:
    data = report_to_json(read_import_file(FHIR / "Bundle-bundle-cgexample.json"))
    first = data["results"][0]
    for key in (
        "kind",
        "gene",
        "alteration",
        "origin",
        "confirmation",
        "classification",
        "therapies",
        "test",
        "partners",
        "copy_number",
        "zygosity",
        "vaf",
    ):
        assert key in first
    assert first["kind"] == "sequence_variant"
    assert first["classification"] == {"scheme": "acmg-amp-2015", "code": "P"}
    assert (first["origin"], first["confirmation"]) == ("germline", "confirmed")
    assert (first["zygosity"], first["vaf"], first["copy_number"]) == ("heterozygous", "47", "1")
    assert set(first["test"]) == {
        "type",
        "name",
        "method",
        "genes_covered",
        "specimen",
        "collected_on",
        "reported_on",
        "accession",
        "lab",
    }
    assert first["test"]["type"] == "germline" and first["test"]["lab"] == "Some lab"
    assert first["test"]["reported_on"] == "2016-09-06"
    genotype = data["results"][2]
    assert genotype["kind"] == "pharmacogenomic"
    assert genotype["classification"] == {"scheme": "cpic-2017", "code": "RM"}
    assert genotype["diplotype"] == "*2/*5"
    warfarin = genotype["therapies"][0]
    assert {k: warfarin[k] for k in ("name", "direction", "level")} == {
        "name": "Warfarin",
        "direction": "resistant",
        "level": None,
    }
    assert data["skipped"] == [{"where": "Task/usage", "reason": data["skipped"][0]["reason"]}]
    json.dumps(data)


# Codes, never display text ------------------------------------------------------------


def test_codes_decide_not_display_text() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    variant = resource(document, "discrete-variant")
    source = component(variant, "48002-0")["valueCodeableConcept"]["coding"][0]
    source["code"] = "LA6684-0"  # somatic ...
    source["display"] = "Germline"  # ... whatever the words say
    significance = component(resource(document, "dis-path"), "53037-8")
    significance["valueCodeableConcept"]["coding"][0].update(code="LA26333-7", display="Pathogenic")
    finding = parse(document).findings[0]
    assert finding.origin is Origin.SOMATIC
    assert (finding.scheme_id, finding.class_code) == ("acmg-amp-2015", "VUS")


def test_display_text_alone_classifies_nothing() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    source = component(resource(document, "discrete-variant"), "48002-0")
    source["valueCodeableConcept"] = {"text": "Germline"}
    significance = component(resource(document, "dis-path"), "53037-8")
    significance["valueCodeableConcept"] = {"text": "Likely pathogenic (lab's words)"}
    finding = parse(document).findings[0]
    assert finding.origin is Origin.UNKNOWN
    assert finding.scheme_id == ""
    assert finding.class_code == "Likely pathogenic (lab's words)"  # kept as written


def test_an_absent_variant_is_a_negative_finding_not_a_result() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    variant = resource(document, "discrete-variant")
    variant["valueCodeableConcept"] = {
        "coding": [{"system": LOINC, "code": "LA9634-2", "display": "Present"}]
    }
    report = parse(document)
    assert "ACAD9" not in [f.gene for f in report.findings]
    skipped = {s.where: s.reason for s in report.skipped}
    assert "absent" in skipped["Observation/discrete-variant"]


def test_a_resistance_is_named_with_the_therapy() -> None:
    report = read_import_file(FHIR / "Bundle-bundle-cgexample.json")
    warfarin = report.findings[2].therapies[0]
    assert warfarin.direction is Direction.RESISTANT
    assert warfarin.as_text() == "Warfarin (expected not to work)"


def test_resistance_therapies_keep_direction_level_and_tumour_type() -> None:
    document = bundle("Bundle-bundle-oncologyexamples-r4.json")
    variant = resource(document, "Inline-Instance-for-oncologyexamples-r4-6")
    component(variant, "48002-0")["valueCodeableConcept"]["coding"][0]["code"] = "LA6684-0"
    for ident in ("1bf9642d", "1301943b"):
        entry = next(e for e in document["entry"] if ident in e["fullUrl"])
        implication = entry["resource"]
        component(implication, "therapeutic-implication")["valueCodeableConcept"] = {
            "coding": [{"system": LOINC, "code": "LA6676-6", "display": "Resistant"}]
        }
        component(implication, "93044-6")["valueCodeableConcept"] = {
            "coding": [{"system": "https://www.oncokb.org/levels", "code": "LEVEL_R1"}]
        }
        component(implication, "81259-4")["valueCodeableConcept"] = {"text": "Colorectal cancer"}
    jak2 = parse(document).test_results()[0]
    assert jak2.therapies[:2] == (
        Therapy("Ruxolitinib", Direction.RESISTANT, "R1", "Colorectal cancer"),
        Therapy("AT9283", Direction.RESISTANT, "R1", "Colorectal cancer"),
    )
    assert jak2.therapies[2].direction is Direction.SENSITIVE
    assert jak2.therapies[2].level == "Very strong evidence pathogenic"  # as written
    # Neither the levels nor the tumour types are repeated in the clinician note.
    assert "R1" not in jak2.clinician_note and "Very strong" not in jak2.clinician_note
    assert "Polycythemia" not in jak2.clinician_note


def test_evidence_levels_map_to_a_scheme_only_when_coded_in_it() -> None:
    document = bundle("Bundle-bundle-oncologyexamples-r4.json")
    variant = resource(document, "Inline-Instance-for-oncologyexamples-r4-6")
    component(variant, "48002-0")["valueCodeableConcept"]["coding"][0]["code"] = "LA6684-0"
    for ident in ("1bf9642d", "1301943b", "05713d1c", "294f1401-e2eb-4df1-b6d2-09e1b7a6eca4"):
        entry = next(e for e in document["entry"] if ident in e["fullUrl"])
        level = component(entry["resource"], "93044-6")
        level["valueCodeableConcept"] = {
            "coding": [{"system": "https://www.oncokb.org/levels", "code": "LEVEL_1"}]
        }
    jak2 = parse(document).findings[0]
    assert jak2.origin is Origin.SOMATIC
    assert (jak2.scheme_id, jak2.class_code) == ("oncokb", "1")
    assert all((t.scheme_id, t.class_code) == ("oncokb", "1") for t in jak2.therapies)
    assert all(t.level == "1" for t in jak2.therapies)
    # The same level as text only is kept as written, not mapped.
    for entry in document["entry"]:
        for part in entry["resource"].get("component", []):
            if part["code"]["coding"][0]["code"] == "93044-6":
                part["valueCodeableConcept"] = {"text": "LEVEL_1"}
    jak2 = parse(document).findings[0]
    assert jak2.scheme_id == ""
    assert jak2.therapies[0].evidence == ("LEVEL_1",)


def test_different_levels_for_different_medicines_set_no_class() -> None:
    document = bundle("Bundle-bundle-oncologyexamples-r4.json")
    variant = resource(document, "Inline-Instance-for-oncologyexamples-r4-6")
    component(variant, "48002-0")["valueCodeableConcept"]["coding"][0]["code"] = "LA6684-0"
    levels = iter(["LEVEL_1", "LEVEL_3A", "LEVEL_1", "LEVEL_1"])
    for entry in document["entry"]:
        for part in entry["resource"].get("component", []):
            if part["code"]["coding"][0]["code"] == "93044-6":
                part["valueCodeableConcept"] = {
                    "coding": [{"system": "http://oncokb.org", "code": next(levels)}]
                }
    jak2 = parse(document).findings[0]
    assert jak2.scheme_id == ""
    assert {t.class_code for t in jak2.therapies} == {"1", "3A"}


# References ----------------------------------------------------------------------------


def test_a_lone_diagnostic_report_with_contained_observations() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    report = copy.deepcopy(resource(document, "report"))
    observations = [
        copy.deepcopy(e["resource"])
        for e in document["entry"]
        if e["resource"]["resourceType"] == "Observation"
    ]
    text = json.dumps(observations).replace('"Observation/', '"#')
    report["contained"] = json.loads(text)
    report["result"] = [
        {"reference": r["reference"].replace("Observation/", "#")} for r in report["result"]
    ]
    found = parse(report)
    assert [f.gene for f in found.findings] == ["ACAD9", "CYP2D6", "CYP2C9"]
    assert found.findings[0].scheme_id == "acmg-amp-2015"


def test_relative_references_resolve_through_full_url() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    # A second server's observation with the same type and id must not be picked.
    impostor = copy.deepcopy(
        next(e for e in document["entry"] if e["resource"]["id"] == "dis-path")
    )
    impostor["fullUrl"] = "http://other.example/fhir/Observation/dis-path"
    component(impostor["resource"], "53037-8")["valueCodeableConcept"]["coding"][0]["code"] = (
        "LA6675-8"
    )
    impostor["resource"]["derivedFrom"] = [{"reference": "Observation/nothing"}]
    document["entry"].append(impostor)
    finding = parse(document).findings[0]
    assert finding.class_code == "P"


def test_a_reference_to_something_not_in_the_file_is_listed() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    resource(document, "report")["result"].append({"reference": "Observation/elsewhere"})
    report = parse(document)
    assert "Observation/elsewhere" in [s.where for s in report.skipped]


def test_results_for_two_patients_are_refused() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    resource(document, "complex-variant")["subject"] = {"reference": "Patient/someone-else"}
    with pytest.raises(ResultImportError, match="more than one patient"):
        parse(document)


def test_reference_cycles_end() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    resource(document, "complex-component-D")["hasMember"] = [
        {"reference": "Observation/complex-variant"}
    ]
    resource(document, "haplotype")["derivedFrom"] = [{"reference": "Observation/genotype"}]
    report = parse(document)
    assert "CYP2D6" in [f.gene for f in report.findings]


# Clean errors ---------------------------------------------------------------------------


def test_a_wrong_type_names_the_resource_and_field() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    component(resource(document, "discrete-variant"), "48018-6")["valueCodeableConcept"] = "ACAD9"
    with pytest.raises(ResultImportError) as caught:
        parse(document, "lab.json")
    message = str(caught.value)
    assert message.startswith("lab.json: Observation/discrete-variant.component[1]")
    assert "expected an object" in message


def test_an_over_long_text_is_refused() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    gene = component(resource(document, "discrete-variant"), "48018-6")
    gene["valueCodeableConcept"]["coding"][0]["display"] = "A" * (MAX_TEXT + 1)
    with pytest.raises(ResultImportError, match="longer than"):
        parse(document)


def test_other_fhir_resources_are_refused() -> None:
    with pytest.raises(ResultImportError, match="Patient"):
        parse({"resourceType": "Patient", "id": "x"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"resourceType": "Bundle", "entry": [', "line 1, column"),
        (b'{"resourceType": "Bundle", "total": NaN}', "NaN"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b'{"resourceType": "Bundle", "entry": 5}', "expected a list"),
        (b'{"hello": "world"}', "neither a FHIR resource"),
        (b"\xff\xd8\xff\xe0 JPEG bytes", "not UTF-8"),
    ],
)
def test_unreadable_json_gives_a_clean_message(content: bytes, expected: str) -> None:
    with pytest.raises(ResultImportError, match=expected) as caught:
        parse_import(content, "file.json")
    assert str(caught.value).startswith("file.json: ")


def test_not_json_or_csv_is_refused(tmp_path: Path) -> None:
    picture = tmp_path / "scan.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ResultImportError, match="not a file the app can import"):
        read_import_file(picture)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(ResultImportError, match="not a file the app can import"):
        read_import_file(pdf)


def test_a_file_that_is_too_big_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ResultImportError, match="larger than 50 MB"):
        read_import_file(big)


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ResultImportError, match="cannot be read"):
        read_import_file(tmp_path / "nowhere.json")
    with pytest.raises(ResultImportError, match="not a file"):
        read_import_file(tmp_path)


def test_lone_surrogates_are_refused() -> None:
    text = (FHIR / "Bundle-bundle-cgexample.json").read_text(encoding="utf-8")
    assert '"display":"ACAD9"' in text
    text = text.replace('"display":"ACAD9"', '"display":"AC\\ud800AD9"', 1)
    with pytest.raises(ResultImportError, match="not valid Unicode"):
        parse_import(text.encode("utf-8"), "x.json")


def test_kinds_of_findings_in_the_examples() -> None:
    kinds = {finding.kind for name in BUNDLES for finding in read_import_file(FHIR / name).findings}
    assert {BiomarkerKind.SEQUENCE_VARIANT, BiomarkerKind.SIGNATURE} <= kinds
    assert BiomarkerKind.PHARMACOGENOMIC in kinds


def _with_change(document: dict[str, Any], code: str) -> dict[str, Any]:
    change = component(resource(document, "discrete-variant"), "48019-4")
    change["valueCodeableConcept"] = {
        "coding": [{"system": "http://www.sequenceontology.org", "code": code}]
    }
    return document


def test_a_fusion_has_both_genes_as_partners() -> None:
    document = _with_change(bundle("Bundle-bundle-cgexample.json"), "SO:0001565")
    variant = resource(document, "discrete-variant")
    gene = component(variant, "48018-6")
    gene["valueCodeableConcept"]["coding"][0]["display"] = "EML4"
    second_gene = copy.deepcopy(gene)
    second_gene["valueCodeableConcept"]["coding"][0]["display"] = "ALK"
    variant["component"].append(second_gene)
    fusion = parse(document).findings[0]
    assert (fusion.kind, fusion.partners, fusion.gene) == (
        BiomarkerKind.FUSION,
        ("EML4", "ALK"),
        "ALK",
    )
    assert "," not in fusion.gene
    assert fusion.to_test_result().fusion_name == "EML4::ALK"


def test_two_genes_in_one_variant_are_a_fusion_never_a_gene_list() -> None:
    document = bundle("Bundle-bundle-oncologyexamples-r4.json")
    variant = resource(document, "Inline-Instance-for-oncologyexamples-r4-7")
    for part in list(variant["component"]):
        if part["code"]["coding"][0]["code"] in ("81290-9", "48005-3"):
            variant["component"].remove(part)
    gene = component(variant, "48018-6")
    gene["valueCodeableConcept"]["coding"][0]["display"] = "MET"
    second_gene = copy.deepcopy(gene)
    second_gene["valueCodeableConcept"]["coding"][0]["display"] = "ALK"
    variant["component"].append(second_gene)
    finding = parse(document).findings[1]
    assert finding.kind is BiomarkerKind.FUSION
    assert (finding.partners, finding.gene, finding.alteration) == (
        ("MET", "ALK"),
        "ALK",
        "MET::ALK",
    )


@pytest.mark.parametrize(
    ("code", "change"),
    [
        ("SO:0001743", CopyNumberChange.LOSS),  # copy_number_loss
        ("SO:0001912", CopyNumberChange.LOSS),  # copy_number_decrease
        ("SO:0001742", CopyNumberChange.GAIN),  # copy_number_gain
        ("SO:0001911", CopyNumberChange.GAIN),  # copy_number_increase
        ("SO:0001019", CopyNumberChange.UNKNOWN),  # copy_number_variation
    ],
)
def test_copy_number_changes_are_read_from_sequence_ontology_codes(
    code: str, change: CopyNumberChange
) -> None:
    document = _with_change(bundle("Bundle-bundle-cgexample.json"), code)
    finding = parse(document).findings[0]
    assert (finding.kind, finding.copy_number_change) == (BiomarkerKind.COPY_NUMBER, change)
    assert finding.copy_number == "1"  # LOINC 82155-3, as written
    assert finding.partners == ()


def test_a_copy_number_loss_as_molecular_consequence() -> None:
    document = bundle("Bundle-bundle-oncology-report-example.json")
    variant = resource(document, "Inline-Instance-for-oncology-report-example-10")  # CDKN2A
    variant["component"] = [
        part
        for part in variant["component"]
        if part["code"]["coding"][0]["code"] not in ("48004-6", "48005-3", "48019-4")
    ]
    variant["component"].append(
        {
            "code": {"coding": [{"system": LOINC, "code": "48006-1"}]},
            "valueCodeableConcept": {
                "coding": [
                    {
                        "system": "http://www.sequenceontology.org",
                        "code": "SO:0001743",
                        "display": "copy_number_loss",
                    }
                ]
            },
        }
    )
    variant["component"].append(
        {
            "code": {"coding": [{"system": LOINC, "code": "82155-3"}]},
            "valueQuantity": {"value": 0},
        }
    )
    cdkn2a = parse(document).findings[6]
    assert (cdkn2a.gene, cdkn2a.kind, cdkn2a.copy_number_change, cdkn2a.copy_number) == (
        "CDKN2A",
        BiomarkerKind.COPY_NUMBER,
        CopyNumberChange.LOSS,
        "0",
    )
    assert cdkn2a.alteration == "copy_number_loss"  # the report's words


def test_other_change_types_leave_a_sequence_variant() -> None:
    document = _with_change(bundle("Bundle-bundle-cgexample.json"), "SO:0000159")  # deletion
    assert parse(document).findings[0].kind is BiomarkerKind.SEQUENCE_VARIANT


def test_a_phenotype_observation_is_the_cpic_class() -> None:
    document = bundle("Bundle-bundle-pgxexample.json")
    implication = resource(document, "med-impact-pgx-example")
    implication["component"] = [
        part for part in implication["component"] if part["code"]["coding"][0]["code"] == "51963-7"
    ]
    document["entry"].append(
        {
            "fullUrl": "http://example.org/fhir/Observation/phenotype",
            "resource": {
                "resourceType": "Observation",
                "id": "phenotype",
                "status": "final",
                "code": {"coding": [{"system": LOINC, "code": "53040-2"}]},
                "subject": {"reference": "Patient/ExamplePatient"},
                "valueCodeableConcept": {
                    "coding": [{"system": LOINC, "code": "LA9657-3", "display": "Poor metabolizer"}]
                },
                "derivedFrom": [{"reference": "Observation/genotype-pgx-example"}],
            },
        }
    )
    report = parse(document)
    (genotype,) = report.findings
    assert (genotype.kind, genotype.gene, genotype.diplotype) == (
        BiomarkerKind.PHARMACOGENOMIC,
        "CYP2C9",
        "*4/*35B",
    )
    assert (genotype.scheme_id, genotype.class_code) == ("cpic-2017", "PM")
    assert genotype.classification_text == "Poor metabolizer"
    assert "Observation/phenotype" not in [s.where for s in report.skipped]


def test_an_uncoded_phenotype_is_kept_as_written() -> None:
    document = bundle("Bundle-bundle-pgxexample.json")
    implication = resource(document, "med-impact-pgx-example")
    effect = component(implication, "therapeutic-implication")
    effect["valueCodeableConcept"] = {"text": "Decreased function (lab's words)"}
    (genotype,) = parse(document).findings
    assert genotype.scheme_id == ""
    assert genotype.therapies[0].effects == ("Decreased function (lab's words)",)


def test_germline_and_somatic_classes_make_a_tumour_normal_test() -> None:
    document = bundle("Bundle-bundle-oncology-report-example.json")
    variant = resource(document, "Inline-Instance-for-oncology-report-example-4")
    component(variant, "48002-0")["valueCodeableConcept"]["coding"][0]["code"] = "LA6683-2"
    findings = parse(document).findings
    assert {f.test_type for f in findings} == {TestType.TUMOUR_NORMAL}
    assert findings[0].settled_confirmation is Confirmation.CONFIRMED
    assert findings[1].settled_confirmation is Confirmation.NOT_GERMLINE


def test_region_studied_gives_the_genes_covered() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    document["entry"].append(
        {
            "fullUrl": "http://example.org/fhir/Observation/region",
            "resource": {
                "resourceType": "Observation",
                "id": "region",
                "status": "final",
                "code": {"coding": [{"system": LOINC, "code": "53041-0"}]},
                "subject": {"reference": "Patient/ExamplePatient"},
                "component": [
                    {
                        "code": {"coding": [{"system": LOINC, "code": "48018-6"}]},
                        "valueCodeableConcept": {"coding": [{"display": gene}]},
                    }
                    for gene in ("ACAD9", "CYP2D6")
                ],
            },
        }
    )
    report = parse(document)
    assert [f.gene for f in report.findings] == ["ACAD9", "CYP2D6", "CYP2C9"]
    assert {f.genes_covered for f in report.findings} == {"ACAD9, CYP2D6"}


def test_the_file_name_is_never_copied_into_a_result() -> None:
    # File names often hold the patient's name or date of birth.
    name = "Surname_DOB1970_BRCA_report.json"
    report = parse(bundle(next(iter(BUNDLES))), name)
    assert report.test_results()
    for result in report.test_results():
        assert "Surname" not in result.clinician_note and "1970" not in result.clinician_note
        assert "Imported from a report file" in result.clinician_note


def _lab_json(results: list[dict[str, Any]]) -> bytes:
    return json.dumps({"results": results}, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("finding", "words"),
    [
        ({"gene": "EGFR", "hgvs_p": "p.\u202eR858L"}, "U+202E"),
        ({"gene": "EGFR", "alteration": "p.L858R\u200b"}, "U+200B"),
        ({"gene": "BRCA\u200d2", "alteration": "c.5946del"}, "U+200D"),
        ({"gene": "\u0412RCA2", "alteration": "c.5946del"}, "only look Latin"),  # Cyrillic В
    ],
)
def test_a_coded_value_that_could_deceive_is_refused(finding: dict[str, str], words: str) -> None:
    with pytest.raises(ResultImportError, match=re.escape(words)) as caught:
        parse_import(_lab_json([finding]), "lab.json")
    assert "lab.json" in str(caught.value)


def test_a_key_given_twice_is_refused() -> None:
    text = b'{"results": [{"gene": "EGFR", "status": "present", "status": "absent"}]}'
    with pytest.raises(ResultImportError, match='"status" appears twice'):
        parse_import(text, "lab.json")


def test_two_contained_resources_with_one_id_are_refused() -> None:
    document = copy.deepcopy(bundle(next(iter(BUNDLES))))
    report = next(
        entry["resource"]
        for entry in document["entry"]
        if entry["resource"]["resourceType"] == "DiagnosticReport"
    )
    twin = {"resourceType": "Observation", "id": "twin", "status": "final", "code": {}}
    report["contained"] = [twin, dict(twin)]
    with pytest.raises(ResultImportError, match="two contained resources share the id twin"):
        parse(document)


@pytest.mark.parametrize(
    "finding",
    [
        {"gene": "TMB", "kind": "signature", "value": "\u202e12.5", "unit": "mut/Mb"},
        {"gene": "DPYD", "kind": "pharmacogenomic", "diplotype": "\u202e*1/*2A"},
        {"gene": "EGFR", "alteration": "p.L858R", "note": "see \u202dreport"},
    ],
)
def test_a_direction_override_in_any_field_is_refused(finding: dict[str, str]) -> None:
    with pytest.raises(ResultImportError, match="direction-changing"):
        parse_import(_lab_json([finding]), "lab.json")
