"""Options written in the consultation and the patient's deliberation (the Ottawa
Personal Decision Guide): reasons for and against, others involved, decision stage.

Lists are JSON text, as ``core.written_options`` and ``core.deliberation`` map them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(
            sa.Column("written_options", sa.Text(), nullable=False, server_default="{}")
        )
        batch.add_column(sa.Column("reasons", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(
            sa.Column("others_involved", sa.Text(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("decision_stage", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("decision_stage")
        batch.drop_column("others_involved")
        batch.drop_column("reasons")
        batch.drop_column("written_options")
