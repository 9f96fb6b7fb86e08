"""The simple results file (CSV and JSON): the templates, and clear refusals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sdm_app import paths
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestType,
    Therapy,
    Zygosity,
)
from sdm_app.services.lab_file import COLUMNS
from sdm_app.services.result_import import (
    LAB_CSV,
    LAB_JSON,
    Finding,
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
        BiomarkerKind.SEQUENCE_VARIANT,
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
    assert {(t.direction, t.level) for t in egfr.therapies} == {(Direction.SENSITIVE, "IA")}
    assert (egfr.vaf, egfr.tumour_fraction, egfr.test_type) == ("21.9", "60", TestType.TUMOUR_ONLY)
    assert example.findings[1].note == "Confirm with the genetics service"
    assert example.findings[2].gene == "TMB"  # named by its kind
    as_json = read_import_file(IMPORT / "results-example.json")
    assert as_json.format == LAB_JSON
    assert [f.gene for f in as_json.findings] == ["EGFR", "BRCA2", "TMB", "ALK", "KRAS", "DPYD"]
    assert as_json.findings[0].therapies == egfr.therapies
    assert as_json.findings[3].partners == ("EML4", "ALK")
    kinds = {f.kind for f in example.findings}
    assert kinds == {
        BiomarkerKind.SEQUENCE_VARIANT,
        BiomarkerKind.SIGNATURE,
        BiomarkerKind.FUSION,
        BiomarkerKind.COPY_NUMBER,
        BiomarkerKind.EXPRESSION,
        BiomarkerKind.PHARMACOGENOMIC,
    }


def test_the_template_names_every_column() -> None:
    header = (IMPORT / "results-template.csv").read_text(encoding="utf-8").strip().split(",")
    assert set(header) == set(COLUMNS)
    readme = (IMPORT / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in readme, column


def test_columns_in_any_order_some_left_out_aliases_and_case() -> None:
    text = "Gene,Class_Code,Scheme ID,ORIGIN\nBRCA1,lp,ACMG,Germline\n"
    assert csv(text) == [
        (BiomarkerKind.SEQUENCE_VARIANT, "BRCA1", "", Origin.GERMLINE, "acmg-amp-2015", "LP")
    ]


def test_semicolons_tabs_bom_utf16_comments_and_blank_lines() -> None:
    rows = [(BiomarkerKind.SEQUENCE_VARIANT, "KRAS", "p.G12C", Origin.SOMATIC, "oncokb", "1")]
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
        ("gene,vaf\nKRAS,twelve\n", "line 2, column vaf", "not a percentage"),
        ("gene,vaf\nKRAS,0.2\n", None, None),
        ("gene,vaf\nKRAS,120\n", "line 2, column vaf", "from 0 to 100"),
        ('gene,vaf\nKRAS,"21,9"\n', "line 2, column vaf", "not a percentage"),
        ("gene,tumour_fraction\nKRAS,-5\n", "line 2, column tumour_fraction", "from 0 to 100"),
        ("gene,copy_number\nMET,~8\n", "line 2, column copy_number", "not a number"),
        ("gene,activity_score\nDPYD,one\n", "line 2, column activity_score", "not a number"),
        ("gene,zygosity\nBRCA1,double\n", "line 2, column zygosity", "“double” is not one of"),
        ("gene,test_type\nBRCA1,blood\n", "line 2, column test_type", "“blood” is not one of"),
        ("gene,confirmation\nBRCA1,yes\n", "line 2, column confirmation", "not one of"),
        ("gene,copy_number_change\nMET,big\n", "line 2, column copy_number_change", "not one of"),
        ("gene,collected_on\nMET,2026/1/2\n", "line 2, column collected_on", "YYYY-MM-DD"),
        ("kind,partners\nvariant,EML4::ALK\n", "line 2, column partners", "kind “fusion”"),
        ("kind,partners\nfusion,EML4::\n", "line 2, column partners", "GENE1::GENE2"),
        ("gene,therapies\nKRAS,cetuximab [resisting]\n", "line 2, column therapies", "direction"),
        ("gene,therapies\nKRAS,cetuximab [R1]\n", "line 2, column therapies", "“R1”"),
        (
            "gene,therapies\nKRAS,cetuximab [resistant\n",
            "line 2, column therapies",
            "name [direction",
        ),
        (HEADER + "variant,,p.G12C\n", "line 2, column gene", "needs a gene"),
        ("gene,alteration\nA,B,C\n", "line 2", "3 cells"),
        ("gene\n" + "A" * 3000 + "\n", "line 2, column gene", "longer than"),
        ('gene\n"BRCA1\n', "line 2", "not readable as CSV"),
    ],
)
def test_csv_problems_name_the_line_and_column(
    text: str, where: str | None, problem: str | None
) -> None:
    if where is None or problem is None:  # a value that looks odd but is allowed
        assert parse_import(text.encode(), "results.csv").findings
        return
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
    assert "Imported from a report file (line 2)" in result.clinician_note
    assert "visit.csv" not in result.clinician_note


NEW_COLUMNS = (
    "kind,gene,alteration,origin,confirmation,test_type,test_name,method,genes_covered,"
    "specimen,collected_on,accession,hgvs_c,hgvs_p,hgvs_g,transcript,genome_build,zygosity,"
    "vaf,tumour_fraction,copy_number_change,copy_number,partners,measure,value,unit,"
    "diplotype,activity_score,therapies\n"
)


def one(row: str, name: str = "r.csv") -> Finding:
    report = parse_import((NEW_COLUMNS + row + "\n").encode("utf-8"), name)
    (finding,) = report.findings
    return finding


def test_a_row_with_every_new_column_of_a_sequence_variant() -> None:
    finding = one(
        "sequence_variant,EGFR,p.L858R,somatic,,tumour_normal,Lung panel,"
        '"NGS, hybrid capture",52 genes,FFPE lung biopsy,2026-10-20,MP-1,'
        "NM_005228.5:c.2573T>G,p.Leu858Arg,NC_000007.14:g.55191822T>G,NM_005228.5,GRCh38,"
        'heterozygous,12.30%,60,,,,,,,,,"osimertinib [sensitive, 1, NSCLC]"'
    )
    result = finding.to_test_result()
    assert (result.test_type, result.test_name, result.test_method) == (
        TestType.TUMOUR_NORMAL,
        "Lung panel",
        "NGS, hybrid capture",
    )
    assert (result.genes_covered, result.specimen, result.accession) == (
        "52 genes",
        "FFPE lung biopsy",
        "MP-1",
    )
    assert result.collected_on == date(2026, 10, 20)
    assert (result.hgvs_c, result.hgvs_p, result.hgvs_g) == (
        "NM_005228.5:c.2573T>G",
        "p.Leu858Arg",
        "NC_000007.14:g.55191822T>G",
    )
    assert (result.transcript, result.genome_build, result.zygosity) == (
        "NM_005228.5",
        "GRCh38",
        Zygosity.HETEROZYGOUS,
    )
    assert (result.vaf, result.tumour_fraction) == ("12.30", "60")  # digits kept as written
    # A somatic change found by a tumour-normal test is not inherited.
    assert result.confirmation is Confirmation.NOT_GERMLINE
    assert result.therapies == (Therapy("osimertinib", Direction.SENSITIVE, "1", "NSCLC"),)
    assert "12.30" not in result.clinician_note


def test_a_copy_number_loss_row() -> None:
    finding = one("copy_number,CDKN2A,deletion,somatic,,,,,,,,,,,,,,,,,deep_deletion,0,,,,,,,")
    assert (finding.kind, finding.copy_number_change, finding.copy_number) == (
        BiomarkerKind.COPY_NUMBER,
        CopyNumberChange.DEEP_DELETION,
        "0",
    )
    loss = one("cnv,PTEN,,somatic,,,,,,,,,,,,,,,,,loss,1.5,,,,,,,")
    assert (loss.kind, loss.copy_number_change, loss.copy_number) == (
        BiomarkerKind.COPY_NUMBER,
        CopyNumberChange.LOSS,
        "1.5",
    )
    amp = one("copy_number,MET,,somatic,,,,,,,,,,,,,,,,,amp,12,,,,,,,")
    assert amp.copy_number_change is CopyNumberChange.AMPLIFICATION


@pytest.mark.parametrize("written", ["EML4::ALK", "EML4;ALK", "EML4 :: ALK"])
def test_a_fusion_row_with_both_partners(written: str) -> None:
    finding = one(f",,,somatic,,,,,,,,,,,,,,,,,,,{written},,,,,,")
    assert (finding.kind, finding.partners, finding.gene, finding.alteration) == (
        BiomarkerKind.FUSION,
        ("EML4", "ALK"),
        "ALK",
        "EML4::ALK",
    )


def test_expression_and_signature_rows_keep_measure_value_and_unit() -> None:
    pdl1 = one("pd_l1,,TPS 60%,somatic,,,,,,,,,,,,,,,,,,,,TPS,60,%,,,")
    assert (pdl1.kind, pdl1.gene, pdl1.measure, pdl1.value, pdl1.unit) == (
        BiomarkerKind.EXPRESSION,
        "PD-L1",
        "TPS",
        "60",
        "%",
    )
    tmb = one("tmb,,,somatic,,,,,,,,,,,,,,,,,,,,,12.30,mut/Mb,,,")
    assert (tmb.kind, tmb.gene, tmb.measure, tmb.value, tmb.unit) == (
        BiomarkerKind.SIGNATURE,
        "TMB",
        "TMB",  # named by its 0.1.0 kind
        "12.30",
        "mut/Mb",
    )
    msi = one("signature,MSI,MSI-H,somatic,,,,,,,,,,,,,,,,,,,,MSI,MSI-H,,,,")
    assert (msi.kind, msi.value) == (BiomarkerKind.SIGNATURE, "MSI-H")


def test_a_pharmacogenomic_row_with_diplotype_phenotype_and_activity_score() -> None:
    text = (
        "kind,gene,origin,test_type,diplotype,activity_score,scheme,class,therapies\n"
        "pgx,DPYD,germline,germline,*1/*2A,1.0,cpic,im,"
        '"fluorouracil [other, A]; capecitabine"\n'
    )
    (finding,) = parse_import(text.encode(), "r.csv").findings
    result = finding.to_test_result()
    assert (result.kind, result.diplotype, result.activity_score) == (
        BiomarkerKind.PHARMACOGENOMIC,
        "*1/*2A",
        "1.0",
    )
    assert (result.scheme_id, result.class_code) == ("cpic-2017", "IM")
    assert result.confirmation is Confirmation.CONFIRMED  # germline test, germline change
    assert result.therapies == (
        Therapy("fluorouracil", Direction.OTHER, "A"),
        Therapy("capecitabine"),
    )


def test_resistance_therapies_with_their_level() -> None:
    text = (
        "gene,alteration,origin,therapies\n"
        'KRAS,p.G12D,somatic,"cetuximab [resistant, R1]; panitumumab [resistance, R1]"\n'
    )
    (finding,) = parse_import(text.encode(), "r.csv").findings
    assert [t.to_therapy() for t in finding.therapies] == [
        Therapy("cetuximab", Direction.RESISTANT, "R1"),
        Therapy("panitumumab", Direction.RESISTANT, "R1"),
    ]
    assert "R1" not in finding.clinician_note()


def test_a_tumour_type_may_hold_commas() -> None:
    text = 'gene,therapies\nKRAS,"sotorasib [sensitive, 1, NSCLC, stage IV]"\n'
    (finding,) = parse_import(text.encode(), "r.csv").findings
    assert finding.therapies[0].to_therapy() == Therapy(
        "sotorasib", Direction.SENSITIVE, "1", "NSCLC, stage IV"
    )


def test_the_confirmation_column_overrides_what_the_test_settles() -> None:
    text = "gene,origin,test_type,confirmation\nBRCA2,likely_germline,tumour_only,confirmed\n"
    (finding,) = parse_import(text.encode(), "r.csv").findings
    assert finding.to_test_result().confirmation is Confirmation.CONFIRMED
    text = "gene,origin,test_type\nBRCA2,likely_germline,tumour_only\n"
    (finding,) = parse_import(text.encode(), "r.csv").findings
    assert finding.to_test_result().confirmation is Confirmation.RECOMMENDED


def test_a_release_010_file_still_imports() -> None:
    text = (
        HEADER
        + "variant,EGFR,p.L858R,somatic,amp,IA,tissue,Lab,2026-11-02,osimertinib; gefitinib,\n"
        + "tmb,,12 mutations per megabase,somatic,,,tissue,,,,\n"
        + "msi,,MSS,somatic,,,tissue,,,,\n"
        + "pd_l1,,TPS 60%,somatic,,,tissue,,,,\n"
        + "no_actionable,,,,,,,,,,\n"
    )
    findings = parse_import(text.encode(), "old.csv").findings
    assert [(f.kind, f.gene) for f in findings] == [
        (BiomarkerKind.SEQUENCE_VARIANT, "EGFR"),
        (BiomarkerKind.SIGNATURE, "TMB"),
        (BiomarkerKind.SIGNATURE, "MSI"),
        (BiomarkerKind.EXPRESSION, "PD-L1"),
        (BiomarkerKind.NO_FINDING, ""),
    ]
    assert [t.to_therapy() for t in findings[0].therapies] == [
        Therapy("osimertinib"),
        Therapy("gefitinib"),
    ]


def test_json_therapy_objects_partners_lists_and_numbers() -> None:
    document = (
        '{"results": [{"kind": "fusion", "partners": ["EML4", "ALK"], "vaf": 12.30, '
        '"copy_number": 4, "therapies": [{"name": "alectinib", "direction": "sensitive", '
        '"level": "1", "tumour_type": "NSCLC"}, "lorlatinib [sensitive]"]}]}'
    )
    (finding,) = parse_import(document.encode(), "r.json").findings
    assert (finding.partners, finding.vaf, finding.copy_number) == (("EML4", "ALK"), "12.30", "4")
    assert [t.to_therapy() for t in finding.therapies] == [
        Therapy("alectinib", Direction.SENSITIVE, "1", "NSCLC"),
        Therapy("lorlatinib", Direction.SENSITIVE),
    ]


@pytest.mark.parametrize(
    ("document", "where", "problem"),
    [
        ({"results": [{"gene": "A", "vaf": "x"}]}, "results[0], column vaf", "percentage"),
        ({"results": [{"gene": "A", "vaf": True}]}, "results[0].vaf", "expected a number"),
        ({"results": [{"gene": "A", "therapies": [3]}]}, "results[0].therapies[0]", "text or"),
        (
            {"results": [{"gene": "A", "therapies": [{"direction": "resistant"}]}]},
            "results[0].therapies[0].name",
            "needs a name",
        ),
        (
            {"results": [{"gene": "A", "therapies": [{"name": "x", "dose": "1"}]}]},
            "results[0].therapies[0].dose",
            "unknown key",
        ),
        (
            {"results": [{"gene": "A", "therapies": [{"name": "x", "direction": "up"}]}]},
            "results[0].therapies[0].direction",
            "not one of",
        ),
        ({"results": [{"gene": "A", "partners": [1]}]}, "results[0].partners[0]", "expected text"),
    ],
)
def test_json_problems_with_new_columns_name_the_entry(
    document: object, where: str, problem: str
) -> None:
    message = refused(json.dumps(document), "results.json")
    assert f": {where}: " in message, message
    assert problem in message, message
