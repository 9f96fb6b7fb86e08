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
    assert "Warfarin (Rapid metabolizer; Resistant; Low risk)" in out
    assert "Not imported (1):" in out and "Task/usage" in out


def test_import_json_lists_results_and_skipped() -> None:
    result = sdm_app("import", str(FHIR / "Bundle-bundle-oncologyexamples-r4.json"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["gene"] for r in data["results"]] == ["JAK2", "KDR", "ERBB4", "TMB", "MSI"]
    jak2 = data["results"][0]
    for key in ("kind", "gene", "alteration", "origin", "classification", "therapies"):
        assert key in jak2
    assert jak2["origin"] == "germline" and jak2["kind"] == "variant"
    assert [t["name"] for t in jak2["therapies"]] == ["Ruxolitinib", "AT9283", "SNX-5422", "TG02"]
    assert data["results"][3]["kind"] == "tmb" and data["results"][3]["origin"] == "somatic"
    assert data["skipped"] == []


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
