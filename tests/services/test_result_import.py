"""Reading FHIR genomics reports: the example bundles, references, codes, and the
clean errors for files the app cannot read."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sdm_app.core.consultation import BiomarkerKind, Origin
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
        assert tuple(t.name for t in finding.therapies) == wanted.therapies
        for part in wanted.alteration_has:
            assert part in finding.alteration, (part, finding.alteration)
        effects = tuple(e for t in finding.therapies for e in t.effects)
        assert set(wanted.effects) <= set(effects), effects
        assert finding.lab == expected.lab
        assert finding.reported_on == expected.reported_on
        assert finding.sample is expected.sample
    assert [s.where for s in report.skipped] == list(expected.skipped)
    assert all(s.reason for s in report.skipped)


def test_results_made_from_an_import_carry_therapies_and_a_clinician_note() -> None:
    report = read_import_file(FHIR / "Bundle-bundle-cgexample.json")
    acad9, _complex, genotype = report.test_results()
    assert acad9.id is None
    assert (acad9.scheme_id, acad9.class_code, acad9.origin) == (
        "acmg-amp-2015",
        "P",
        Origin.GERMLINE,
    )
    assert "Bundle-bundle-cgexample.json" in acad9.clinician_note
    assert "Observation/discrete-variant" in acad9.clinician_note
    assert "heterozygous" in acad9.clinician_note and "47%" in acad9.clinician_note
    assert genotype.therapies == ("Warfarin (Rapid metabolizer; Resistant; Low risk)",)


def test_variant_allele_fraction_is_read_as_a_fraction() -> None:
    cg = read_import_file(FHIR / "Bundle-bundle-cgexample.json").findings[0]
    assert cg.allele_fraction == pytest.approx(0.47)  # written 47 with the unit %
    onc = read_import_file(FHIR / "Bundle-bundle-oncology-report-example.json").findings[0]
    assert onc.allele_fraction == pytest.approx(0.2188)  # written 0.2188 with unit 1


def test_json_output_names_kind_gene_alteration_origin_classification_therapies() -> None:
    data = report_to_json(read_import_file(FHIR / "Bundle-bundle-cgexample.json"))
    first = data["results"][0]
    assert {"kind", "gene", "alteration", "origin", "classification", "therapies"} <= set(first)
    assert first["classification"] == {"scheme": "acmg-amp-2015", "code": "P"}
    assert first["origin"] == "germline"
    assert data["results"][2]["classification"] is None
    assert data["results"][2]["therapies"][0]["name"] == "Warfarin"
    assert data["results"][2]["therapies"][0]["response"] == "resistant"
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
    assert warfarin.response == result_import.RESISTANT
    assert "Resistant" in warfarin.as_text()


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
    assert [f.gene for f in found.findings] == ["ACAD9", "CYP2D6", "CYP2C9, VKORC1"]
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
    assert {BiomarkerKind.VARIANT, BiomarkerKind.TMB, BiomarkerKind.MSI} <= kinds
    assert BiomarkerKind.PHARMACOGENOMIC in kinds


def test_a_fusion_or_copy_number_change_is_read_from_its_sequence_ontology_code() -> None:
    document = bundle("Bundle-bundle-cgexample.json")
    variant = resource(document, "discrete-variant")
    change = component(variant, "48019-4")
    change["valueCodeableConcept"] = {
        "coding": [{"system": "http://www.sequenceontology.org", "code": "SO:0001565"}]
    }
    second_gene = copy.deepcopy(component(variant, "48018-6"))
    second_gene["valueCodeableConcept"]["coding"][0]["display"] = "ALK"
    variant["component"].append(second_gene)
    fusion = parse(document).findings[0]
    assert (fusion.kind, fusion.gene) == (BiomarkerKind.FUSION, "ACAD9::ALK")
    change["valueCodeableConcept"]["coding"][0]["code"] = "SO:0001742"  # copy number gain
    assert parse(document).findings[0].kind is BiomarkerKind.COPY_NUMBER
