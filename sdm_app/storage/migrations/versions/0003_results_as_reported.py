"""Test results as reports state them: the test, germline confirmation, the alteration's
own fields, and therapies with a direction and an evidence level.

Rows written by 0.1.0 are carried over with nothing lost:

- kinds are renamed to the alteration kinds (variant -> sequence_variant; tmb and msi
  -> signature and pd_l1 -> expression, the biomarker's name going into ``gene``
  when it was empty; no_actionable -> no_finding);
- a "likely germline" change gets confirmation "recommended"; every other change
  "not assessed", a germline one included: 0.1.0 could not record which test found
  it, so nothing becomes "confirmed" (which alone lets the app address relatives)
  without a person saying so;
- therapies, a JSON list of names, become objects. Under an OncoKB level the level
  itself says what the evidence is (1-4 sensitivity, R1/R2 resistance), so those
  therapies get that direction and level; all others stay without a direction.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (
    "test_name",
    "test_method",
    "genes_covered",
    "specimen",
    "accession",
    "hgvs_c",
    "hgvs_p",
    "hgvs_g",
    "transcript",
    "genome_build",
    "vaf",
    "tumour_fraction",
    "copy_number",
    "measure",
    "value",
    "unit",
    "diplotype",
    "activity_score",
)
_ENUM_COLUMNS = {
    "confirmation": "not_assessed",
    "test_type": "unknown",
    "zygosity": "unknown",
    "copy_number_change": "unknown",
}
_KINDS = {
    "variant": ("sequence_variant", ""),
    "tmb": ("signature", "TMB"),
    "msi": ("signature", "MSI"),
    "pd_l1": ("expression", "PD-L1"),
    "no_actionable": ("no_finding", ""),
}
_ONCOKB_SENSITIVE = {"1", "2", "3A", "3B", "4"}
_ONCOKB_RESISTANT = {"R1", "R2"}


def _therapies(text: str, scheme_id: str, class_code: str) -> str:
    try:
        names = json.loads(text)
    except ValueError:
        names = []
    if not isinstance(names, list):
        names = []
    code = class_code.strip().upper()
    direction, level = "other", ""
    if scheme_id == "oncokb" and code in _ONCOKB_RESISTANT:
        direction, level = "resistant", code
    elif scheme_id == "oncokb" and code in _ONCOKB_SENSITIVE:
        direction, level = "sensitive", code
    therapies = [
        {"name": name, "direction": direction, "level": level, "tumour_type": ""}
        for name in names
        if isinstance(name, str)
    ]
    return json.dumps(therapies, ensure_ascii=False)


def upgrade() -> None:
    with op.batch_alter_table("test_results") as batch:
        for name, default in _ENUM_COLUMNS.items():
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=default))
        for name in _TEXT_COLUMNS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("collected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("partners", sa.Text(), nullable=False, server_default="[]"))

    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, kind, gene, origin, scheme_id, class_code, therapies FROM test_results")
    ).all()
    for row in rows:
        kind, gene = row.kind, row.gene
        if kind in _KINDS:
            kind, name = _KINDS[kind]
            if name and not gene.strip():
                gene = name
        confirmation = "recommended" if row.origin == "likely_germline" else "not_assessed"
        connection.execute(
            sa.text(
                "UPDATE test_results SET kind = :kind, gene = :gene, "
                "confirmation = :confirmation, therapies = :therapies WHERE id = :id"
            ),
            {
                "id": row.id,
                "kind": kind,
                "gene": gene,
                "confirmation": confirmation,
                "therapies": _therapies(row.therapies, row.scheme_id, row.class_code),
            },
        )


def downgrade() -> None:
    """Back to 0.1.0's columns: kinds renamed back, therapies as names only."""
    back = {"sequence_variant": "variant", "no_finding": "no_actionable"}
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, kind, gene, therapies FROM test_results")).all()
    for row in rows:
        kind = back.get(row.kind, row.kind)
        if row.kind == "signature":
            kind = {"TMB": "tmb", "MSI": "msi"}.get(row.gene.strip().upper(), "other")
        elif row.kind == "expression" and row.gene.strip().upper() in ("PD-L1", "PDL1"):
            kind = "pd_l1"
        try:
            therapies = json.loads(row.therapies)
        except ValueError:
            therapies = []
        names = [item["name"] for item in therapies if isinstance(item, dict) and "name" in item]
        connection.execute(
            sa.text("UPDATE test_results SET kind = :kind, therapies = :therapies WHERE id = :id"),
            {"id": row.id, "kind": kind, "therapies": json.dumps(names, ensure_ascii=False)},
        )
    with op.batch_alter_table("test_results") as batch:
        for name in (*_ENUM_COLUMNS, *_TEXT_COLUMNS, "collected_on", "partners"):
            batch.drop_column(name)
