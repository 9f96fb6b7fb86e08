"""``sdm-app import``, run as users run it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import sdm_app

FHIR = Path(__file__).resolve().parent / "fixtures" / "fhir"


def test_import_prints_what_it_found_and_what_it_skipped() -> None:
    result = sdm_app("import", str(FHIR / "Bundle-bundle-cgexample.json"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 results found" in out
    assert "ACAD9" in out and "germline" in out and "acmg-amp-2015 P" in out
    assert "cpic-2017 RM (Rapid metabolizer)" in out
    assert "Warfarin (expected not to work)" in out
    assert "heterozygous (one copy), VAF 47 %" in out
    assert "Not imported (1):" in out and "Task/usage" in out


def test_import_json_lists_results_and_skipped() -> None:
    result = sdm_app("import", str(FHIR / "Bundle-bundle-oncologyexamples-r4.json"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["gene"] for r in data["results"]] == ["JAK2", "KDR", "ERBB4", "TMB", "MSI"]
    jak2 = data["results"][0]
    for key in (
        "kind",
        "gene",
        "alteration",
        "origin",
        "confirmation",
        "classification",
        "test",
        "partners",
        "copy_number",
        "zygosity",
        "vaf",
        "therapies",
    ):
        assert key in jak2
    assert jak2["origin"] == "germline" and jak2["kind"] == "sequence_variant"
    assert jak2["confirmation"] == "recommended"  # not shown to be a germline test
    assert jak2["test"]["type"] == "unknown" and jak2["test"]["method"] == "Sequencing"
    assert [t["name"] for t in jak2["therapies"]] == ["Ruxolitinib", "AT9283", "SNX-5422", "TG02"]
    assert {(t["direction"], t["level"], t["tumour_type"]) for t in jak2["therapies"]} == {
        ("sensitive", "Very strong evidence pathogenic", "Polycythemia vera (PV)")
    }
    tmb = data["results"][3]
    assert (tmb["kind"], tmb["origin"], tmb["value"], tmb["unit"]) == (
        "signature",
        "somatic",
        "25",
        "mut/Mb",
    )
    assert data["results"][4]["kind"] == "signature"
    assert data["skipped"] == []


def test_import_json_of_a_lab_file_with_the_new_columns(tmp_path: Path) -> None:
    lab = tmp_path / "lab.csv"
    lab.write_text(
        "kind,gene,origin,vaf,partners,copy_number_change,copy_number,therapies\n"
        'fusion,,somatic,,EML4::ALK,,,"alectinib [sensitive, 1]"\n'
        "copy_number,CDKN2A,somatic,,,loss,1,\n"
        'variant,KRAS,somatic,8.40,,,,"cetuximab [resistant, R1]"\n'
        "no_finding,,,,,,,\n",
        encoding="utf-8",
    )
    result = sdm_app("import", str(lab), "--json")
    assert result.returncode == 0, result.stderr
    fusion, loss, kras, nothing = json.loads(result.stdout)["results"]
    assert (fusion["kind"], fusion["partners"], fusion["gene"]) == (
        "fusion",
        ["EML4", "ALK"],
        "ALK",
    )
    assert (loss["kind"], loss["copy_number_change"], loss["copy_number"]) == (
        "copy_number",
        "loss",
        "1",
    )
    assert kras["vaf"] == "8.40"
    assert kras["therapies"][0] | {"also_says": []} == {
        "name": "cetuximab",
        "direction": "resistant",
        "level": "R1",
        "tumour_type": None,
        "level_classification": None,
        "also_says": [],
    }
    assert nothing["kind"] == "no_finding"
    text = sdm_app("import", str(lab))
    assert text.returncode == 0, text.stderr
    assert "cetuximab (expected not to work, level R1)" in text.stdout
    assert "loss, copy number 1" in text.stdout


def test_import_refuses_an_unreadable_file_with_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"resourceType": "Bundle", "entry": [{"resource": 3}]}')
    result = sdm_app("import", str(broken))
    assert result.returncode == 1
    assert result.stdout == ""
    assert str(broken) in result.stderr
    assert "entry[0].resource" in result.stderr and "expected an object" in result.stderr
    assert "Traceback" not in result.stderr
    csv = tmp_path / "lab.csv"
    csv.write_text("gene,origin\nBRCA1,maternal\n")
    result = sdm_app("import", str(csv), "--json")
    assert result.returncode == 1
    assert "line 2, column origin" in result.stderr
    missing = sdm_app("import", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "none.json" in missing.stderr
