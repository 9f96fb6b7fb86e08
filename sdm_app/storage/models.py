"""ORM tables of user.db (SQLAlchemy 2.0 typed declarative mapping).

Enum-like columns hold the ``StrEnum`` values of ``core.consultation`` as text,
so a value added later never needs a schema change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """One user preference, stored as text and parsed by its owner."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)


class ConsultationRecord(Base):
    """The scalar part of a consultation; its lists live in the tables below."""

    __tablename__ = "consultations"
    # AUTOINCREMENT: an id is never reused, so a stale reference cannot open another one.
    __table_args__ = (
        Index("ix_consultations_updated_at", "updated_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    patient_label: Mapped[str] = mapped_column(Text, nullable=False, default="")
    condition: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision: Mapped[str] = mapped_column(Text, nullable=False, default="")
    present: Mapped[str] = mapped_column(Text, nullable=False, default="")
    materials_locale: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision_aid_id: Mapped[str] = mapped_column(Text, nullable=False, default="")
    leaning: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_steps: Mapped[str] = mapped_column(Text, nullable=False, default="")
    involve: Mapped[str] = mapped_column(Text, nullable=False, default="")
    family_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # JSON, as core.written_options and core.deliberation map them
    written_options: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    reasons: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    others_involved: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    decision_stage: Mapped[str] = mapped_column(Text, nullable=False, default="")
    clinician_notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    current_step: Mapped[str] = mapped_column(Text, nullable=False, default="visit")


class ResultRecord(Base):
    """One reported test result (named so pytest never collects it); ``position`` keeps order."""

    __tablename__ = "test_results"
    __table_args__ = (
        Index("ix_test_results_consultation_id", "consultation_id"),
        {"sqlite_autoincrement": True},  # ids stay stable and are never reused
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    gene: Mapped[str] = mapped_column(Text, nullable=False, default="")
    alteration: Mapped[str] = mapped_column(Text, nullable=False, default="")
    origin: Mapped[str] = mapped_column(Text, nullable=False)
    scheme_id: Mapped[str] = mapped_column(Text, nullable=False, default="")
    class_code: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sample: Mapped[str] = mapped_column(Text, nullable=False)
    lab: Mapped[str] = mapped_column(Text, nullable=False, default="")
    reported_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # JSON list of {name, direction, level, tumour_type}
    therapies: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    clinician_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    confirmation: Mapped[str] = mapped_column(Text, nullable=False, default="not_assessed")
    test_type: Mapped[str] = mapped_column(Text, nullable=False, default="unknown")
    test_name: Mapped[str] = mapped_column(Text, nullable=False, default="")
    test_method: Mapped[str] = mapped_column(Text, nullable=False, default="")
    genes_covered: Mapped[str] = mapped_column(Text, nullable=False, default="")
    specimen: Mapped[str] = mapped_column(Text, nullable=False, default="")
    collected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    accession: Mapped[str] = mapped_column(Text, nullable=False, default="")
    hgvs_c: Mapped[str] = mapped_column(Text, nullable=False, default="")
    hgvs_p: Mapped[str] = mapped_column(Text, nullable=False, default="")
    hgvs_g: Mapped[str] = mapped_column(Text, nullable=False, default="")
    transcript: Mapped[str] = mapped_column(Text, nullable=False, default="")
    genome_build: Mapped[str] = mapped_column(Text, nullable=False, default="")
    zygosity: Mapped[str] = mapped_column(Text, nullable=False, default="unknown")
    vaf: Mapped[str] = mapped_column(Text, nullable=False, default="")
    tumour_fraction: Mapped[str] = mapped_column(Text, nullable=False, default="")
    copy_number_change: Mapped[str] = mapped_column(Text, nullable=False, default="unknown")
    copy_number: Mapped[str] = mapped_column(Text, nullable=False, default="")
    partners: Mapped[str] = mapped_column(Text, nullable=False, default="[]")  # JSON list
    measure: Mapped[str] = mapped_column(Text, nullable=False, default="")
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")
    unit: Mapped[str] = mapped_column(Text, nullable=False, default="")
    diplotype: Mapped[str] = mapped_column(Text, nullable=False, default="")
    activity_score: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ValueRatingRecord(Base):
    """How much one value matters to the patient, 0..4."""

    __tablename__ = "value_ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 0 AND 4", name="ck_value_ratings_rating"),)

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    value_id: Mapped[str] = mapped_column(Text, primary_key=True)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)


class SureAnswerRecord(Base):
    """One answered SURE item; unanswered items have no row."""

    __tablename__ = "sure_answers"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(Text, primary_key=True)
    answer: Mapped[bool] = mapped_column(Boolean, nullable=False)


class QuestionRecord(Base):
    """A question to ask: a bank question id ('bank') or the patient's own text ('own')."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("kind IN ('bank', 'own')", name="ck_questions_kind"),
        Index("ix_questions_consultation_id", "consultation_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(4), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
