"""The simple results file (CSV and JSON): the templates, and clear refusals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sdm_app import paths
from sdm_app.core.consultation import BiomarkerKind, Origin, Sample
from sdm_app.services.result_import import (
    LAB_CSV,
    LAB_JSON,
    ResultImportError,
    parse_import,
    read_import_file,
)

IMPORT = paths.resources_dir() / "import"
HEADER = "kind,gene,alteration,origin,scheme,class,sample,lab,date,therapies,note\n"


def csv(text: str, name: str = "results.csv") -> list[tuple[object, ...]]:
    report = parse_import(text.encode("utf-8"), name)
    return [
        (f.kind, f.gene, f.alteration, f.origin, f.scheme_id, f.class_code) for f in report.findings
    ]


def refused(content: str | bytes, name: str = "results.csv") -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with pytest.raises(ResultImportError) as caught:
        parse_import(data, name)
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    return message


def test_the_templates_and_examples_are_documented_and_read() -> None:
    readme = (IMPORT / "README.md").read_text(encoding="utf-8")
    for name in ("results-template.csv", "results-template.json", "results-example.csv"):
        assert name in readme
        assert (IMPORT / name).is_file()
    assert read_import_file(IMPORT / "results-template.csv").findings == ()
    assert read_import_file(IMPORT / "results-template.json").findings == ()
    example = read_import_file(IMPORT / "results-example.csv")
    assert example.format == LAB_CSV
    egfr = example.findings[0]
    assert (egfr.kind, egfr.gene, egfr.alteration) == (
        BiomarkerKind.VARIANT,
        "EGFR",
        "p.L858R (exon 21)",
    )
    assert (egfr.origin, egfr.scheme_id, egfr.class_code) == (
        Origin.SOMATIC,
        "amp-asco-cap-2017",
        "IA",
    )
    assert egfr.sample is Sample.TISSUE
    assert egfr.reported_on == date(2026, 11, 2)
    assert [t.name for t in egfr.therapies] == ["osimertinib", "gefitinib", "erlotinib"]
    assert example.findings[1].note == "Confirm with the genetics service"
    assert example.findings[2].gene == "TMB"  # named by its kind
    as_json = read_import_file(IMPORT / "results-example.json")
    assert as_json.format == LAB_JSON
    assert [f.gene for f in as_json.findings] == ["EGFR", "BRCA2", "TMB"]
    assert as_json.findings[0].therapies == egfr.therapies


def test_columns_in_any_order_some_left_out_aliases_and_case() -> None:
    text = "Gene,Class_Code,Scheme ID,ORIGIN\nBRCA1,lp,ACMG,Germline\n"
    assert csv(text) == [
        (BiomarkerKind.VARIANT, "BRCA1", "", Origin.GERMLINE, "acmg-amp-2015", "LP")
    ]


def test_semicolons_tabs_bom_utf16_comments_and_blank_lines() -> None:
    rows = [(BiomarkerKind.VARIANT, "KRAS", "p.G12C", Origin.SOMATIC, "oncokb", "1")]
    assert csv("gene;alteration;origin;scheme;class\nKRAS;p.G12C;somatic;oncokb;1\n") == rows
    assert (
        csv("gene\talteration\torigin\tscheme\tclass\nKRAS\tp.G12C\tsomatic\toncokb\t1\n") == rows
    )
    text = (
        "# exported by the lab\n\ngene,alteration,origin,scheme,class\n"
        "\n# note\nKRAS,p.G12C,somatic,oncokb,1\n"
    )
    assert csv(text) == rows
    bom = "\ufeffgene,alteration,origin,scheme,class\nKRAS,p.G12C,somatic,oncokb,1\n"
    assert csv(bom) == rows
    utf16 = "gene\talteration\nKRAS\tp.G12C\n".encode("utf-16")
    assert [f.gene for f in parse_import(utf16, "r.txt").findings] == ["KRAS"]


def test_empty_cells_after_the_last_column_are_allowed_but_not_values_in_them() -> None:
    assert [
        f.gene for f in parse_import(b"gene,alteration,,\nKRAS,p.G12C,,\n", "r.csv").findings
    ] == ["KRAS"]
    message = refused("gene,alteration,,\nKRAS,p.G12C,,oops\n")
    assert "line 2: a value in a column the first line does not name" in message
    # A value in an earlier unnamed column is not hidden by an empty later one.
    message = refused("gene,alteration,,\nKRAS,p.G12C,important note,\n")
    assert "line 2: a value in a column the first line does not name" in message


def test_quoted_cells_keep_commas_and_therapies_split_on_semicolons() -> None:
    text = (
        'gene,alteration,therapies\nEGFR,"p.L858R, exon 21","osimertinib; gefitinib | erlotinib"\n'
    )
    finding = parse_import(text.encode(), "r.csv").findings[0]
    assert finding.alteration == "p.L858R, exon 21"
    assert [t.name for t in finding.therapies] == ["osimertinib", "gefitinib", "erlotinib"]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("gene,orign\nBRCA1,germline\n", "line 1", "unknown column “orign”"),
        ("gene,gene\nA,B\n", "line 1", "appears twice"),
        ("alteration\np.G12C\n", "line 1", "among them “gene”"),
        (HEADER + "variant,BRCA1,,maternal\n", "line 2, column origin", "“maternal” is not one of"),
        (HEADER + "dna,BRCA1\n", "line 2, column kind", "“dna” is not one of"),
        (HEADER + "variant,BRCA1,,,,P\n", "line 2, column scheme", "needs its scheme"),
        (HEADER + "variant,BRCA1,,,acmg,IA\n", "line 2, column class", "not a class of"),
        (HEADER + "variant,BRCA1,,,nccn,1\n", "line 2, column scheme", "“nccn” is not one of"),
        (HEADER + "variant,BRCA1,,,,,,,02/11/2026\n", "line 2, column date", "YYYY-MM-DD"),
        (HEADER + "variant,BRCA1,,,,,,,20261102\n", "line 2, column date", "YYYY-MM-DD"),
        (HEADER + "variant,,p.G12C\n", "line 2, column gene", "needs a gene"),
        ("gene,alteration\nA,B,C\n", "line 2", "3 cells"),
        ("gene\n" + "A" * 3000 + "\n", "line 2, column gene", "longer than"),
        ('gene\n"BRCA1\n', "line 2", "not readable as CSV"),
    ],
)
def test_csv_problems_name_the_line_and_column(text: str, where: str, problem: str) -> None:
    message = refused(text)
    assert f": {where}: " in message, message
    assert problem in message, message


def test_a_bad_row_refuses_the_whole_file() -> None:
    message = refused(HEADER + "variant,KRAS\nvariant,BRCA1,,paternal\nvariant,TP53\n")
    assert "line 3, column origin" in message


def test_text_that_is_not_utf8_names_its_line() -> None:
    message = refused(b"gene,alteration\nEGFR,p.L858R\nM\xe9t,exon 14\n")
    assert "line 3" in message and "UTF-8" in message


def test_naughty_strings_import_or_are_refused_cleanly(blns: list[str]) -> None:
    imported = 0
    for text in blns:
        for name in ("r.csv", "r.json"):
            if name.endswith(".csv"):
                quoted = '"' + text.replace('"', '""') + '"'
                data = f"gene,alteration,note\nEGFR,{quoted},{quoted}\n"
            else:
                data = json.dumps({"results": [{"gene": text or "X", "alteration": text}]})
            try:
                report = parse_import(data.encode("utf-8", "surrogatepass"), name)
            except ResultImportError as error:
                assert str(error).startswith(f"{name}: ")
                continue
            imported += 1
            assert report.test_results()
    assert imported > len(blns)  # most of them are ordinary text to keep


@pytest.mark.parametrize(
    ("document", "where", "problem"),
    [
        ({"results": "EGFR"}, "results", "expected a list"),
        ({"results": [["EGFR"]]}, "results[0]", "expected an object"),
        ({"results": [{"gene": 7}]}, "results[0].gene", "expected text"),
        ({"results": [{"gene": "EGFR", "colour": "red"}]}, "results[0]", "unknown column"),
        (
            {"results": [{"gene": "EGFR", "therapies": [1]}]},
            "results[0].therapies[0]",
            "expected text",
        ),
        (
            {"results": [{"gene": "EGFR", "origin": "both"}]},
            "results[0], column origin",
            "not one of",
        ),
        ({"format": "other", "results": []}, "format", "sdm-app-results"),
        ({"version": 2, "results": []}, "version", "version 2"),
        ({"results": [], "extra": 1}, "extra", "unknown key"),
    ],
)
def test_json_problems_name_the_entry(document: object, where: str, problem: str) -> None:
    message = refused(json.dumps(document), "results.json")
    assert f": {where}: " in message, message
    assert problem in message, message


def test_a_bare_json_list_works_and_nulls_are_empty() -> None:
    data = json.dumps([{"gene": "ALK", "kind": "fusion", "alteration": None, "therapies": None}])
    finding = parse_import(data.encode(), "r.json").findings[0]
    assert (finding.kind, finding.gene, finding.alteration, finding.therapies) == (
        BiomarkerKind.FUSION,
        "ALK",
        "",
        (),
    )


def test_lab_file_results_become_test_results(tmp_path: Path) -> None:
    path = tmp_path / "visit.csv"
    path.write_text(
        HEADER + "variant,BRCA2,c.5946delT,germline,acmg,vus,blood,Lab,2026-11-10,,call\n"
    )
    result = read_import_file(path).test_results()[0]
    assert (result.gene, result.scheme_id, result.class_code) == ("BRCA2", "acmg-amp-2015", "VUS")
    assert result.reported_on == date(2026, 11, 10)
    assert result.clinician_note.endswith("call")
    assert "visit.csv (line 2)" in result.clinician_note
