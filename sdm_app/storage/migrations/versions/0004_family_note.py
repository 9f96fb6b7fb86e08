"""The patient's own note for the family letter."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("family_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("family_note")
