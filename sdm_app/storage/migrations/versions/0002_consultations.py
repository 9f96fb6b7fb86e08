"""Consultations, their test results, value ratings, SURE answers and questions.

Every child row references its consultation with ON DELETE CASCADE (user_db
turns foreign keys on), so deleting a consultation leaves nothing behind.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _consultation_fk() -> sa.Column[int]:
    return sa.Column(
        "consultation_id",
        sa.Integer(),
        sa.ForeignKey("consultations.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("patient_label", sa.Text(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("present", sa.Text(), nullable=False),
        sa.Column("materials_locale", sa.Text(), nullable=False),
        sa.Column("decision_aid_id", sa.Text(), nullable=False),
        sa.Column("leaning", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("involve", sa.Text(), nullable=False),
        sa.Column("clinician_notes", sa.Text(), nullable=False),
        sa.Column("current_step", sa.Text(), nullable=False),
        sqlite_autoincrement=True,  # ids are never reused after a delete
    )
    op.create_index("ix_consultations_updated_at", "consultations", ["updated_at"])

    op.create_table(
        "test_results",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _consultation_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("gene", sa.Text(), nullable=False),
        sa.Column("alteration", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("scheme_id", sa.Text(), nullable=False),
        sa.Column("class_code", sa.Text(), nullable=False),
        sa.Column("sample", sa.Text(), nullable=False),
        sa.Column("lab", sa.Text(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("therapies", sa.Text(), nullable=False),
        sa.Column("clinician_note", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_test_results_consultation_id", "test_results", ["consultation_id"])

    op.create_table(
        "value_ratings",
        sa.Column(
            "consultation_id",
            sa.Integer(),
            sa.ForeignKey("consultations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("value_id", sa.Text(), primary_key=True),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 0 AND 4", name="ck_value_ratings_rating"),
    )

    op.create_table(
        "sure_answers",
        sa.Column(
            "consultation_id",
            sa.Integer(),
            sa.ForeignKey("consultations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("item", sa.Text(), primary_key=True),
        sa.Column("answer", sa.Boolean(), nullable=False),
    )

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _consultation_fk(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('bank', 'own')", name="ck_questions_kind"),
    )
    op.create_index("ix_questions_consultation_id", "questions", ["consultation_id"])


def downgrade() -> None:
    op.drop_table("questions")
    op.drop_table("sure_answers")
    op.drop_table("value_ratings")
    op.drop_table("test_results")
    op.drop_table("consultations")
