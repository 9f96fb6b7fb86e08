"""Consultations in user.db: each change is written whole, in one short transaction.

The app saves after every answer, so ``save`` writes the complete consultation
(scalars, results, ratings, SURE answers, questions) atomically: after a crash
the database holds either the previous or the new consultation, never a mix.

Text round-trips exactly, including NUL characters. The one thing SQLite cannot
hold is a lone surrogate (a Python ``str`` that is not valid Unicode text):
``save`` refuses such a consultation with ``ConsultationNotSavedError`` whose
``reason`` is an ``UnstorableTextError`` naming the field, and writes nothing.
``make_storable`` replaces those characters with U+FFFD for a caller that
prefers to keep the rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sdm_app.core.consultation import Consultation, Context, Step
from sdm_app.core.deliberation import (
    deliberation_texts,
    map_other_texts,
    map_reason_texts,
    others_from_mapping,
    others_to_mapping,
    reasons_from_mapping,
    reasons_to_mapping,
)
from sdm_app.core.results import (
    RESULT_FIELDS,
    TestResult,
    result_from_mapping,
    result_to_mapping,
)
from sdm_app.core.written_options import (
    map_written_texts,
    written_options_from_mapping,
    written_options_to_mapping,
    written_texts,
)
from sdm_app.i18n import _
from sdm_app.storage.errors import storage_reason
from sdm_app.storage.user_db import (
    OPEN_CONSULTATION_KEY,
    UserDatabase,
    UserDatabaseError,
    read_settings_snapshot,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Settings-table keys of the folders last used to import and export (state, not a
# preference, like the consultation to reopen).
FOLDER_KEY_PREFIX = "folder."


_E = TypeVar("_E", bound=StrEnum)


class ConsultationListing(NamedTuple):
    id: int
    created_at: datetime
    updated_at: datetime
    patient_label: str
    condition: str
    decision: str
    damaged: bool = False  # a stored value could not be read; the rest can be


class ConsultationStoreError(Exception):
    """user.db could not be read or written; the message names the file and the reason,
    never the SQL or the values it held (``storage.errors``)."""

    def __init__(self, path: Path, reason: BaseException | str) -> None:
        # An UnstorableTextError names a field and a position, never the text itself.
        shown = str(reason) if isinstance(reason, UnstorableTextError) else storage_reason(reason)
        super().__init__(f"{path}: {shown}")
        self.path = path
        self.reason = reason


class ConsultationNotSavedError(ConsultationStoreError):
    """A write failed; what was stored before is unchanged."""


class ConsultationConflictError(ConsultationNotSavedError):
    """Another copy of the app saved the consultation after this copy read it."""


class ConsultationNotLoadedError(ConsultationStoreError):
    """A read failed; nothing was changed."""


class UnstorableTextError(ValueError):
    """A text holds a lone surrogate, which is not Unicode text and cannot be stored."""

    def __init__(self, field: str, position: int, character: str) -> None:
        super().__init__(
            f"{field}: character {position} (U+{ord(character):04X}) is not valid "
            "Unicode text and cannot be stored"
        )
        self.field = field
        self.position = position


def unstorable_text(
    consultation: Consultation, stored: frozenset[int] = frozenset()
) -> UnstorableTextError | None:
    """The first text of the consultation that SQLite cannot store, or None. Results
    whose positions are in ``stored`` are already stored as they are: not checked."""
    for field, text in _texts(consultation, stored):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            return UnstorableTextError(field, error.start, text[error.start])
    return None


def make_storable(consultation: Consultation) -> Consultation:
    """The consultation with lone surrogates replaced by U+FFFD (pairs are joined)."""

    def clean(text: str) -> str:
        # Through UTF-16: a split surrogate pair becomes its character, a lone one U+FFFD.
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

    context = consultation.context
    return replace(
        consultation,
        patient_label=clean(consultation.patient_label),
        context=Context(
            condition=clean(context.condition),
            decision=clean(context.decision),
            present=clean(context.present),
            materials_locale=clean(context.materials_locale),
        ),
        results=tuple(_clean_result(result, clean) for result in consultation.results),
        decision_aid_id=clean(consultation.decision_aid_id),
        value_ratings={clean(key): value for key, value in consultation.value_ratings.items()},
        sure={clean(key): value for key, value in consultation.sure.items()},
        bank_questions=tuple(clean(text) for text in consultation.bank_questions),
        own_questions=tuple(clean(text) for text in consultation.own_questions),
        leaning=clean(consultation.leaning),
        next_steps=clean(consultation.next_steps),
        involve=clean(consultation.involve),
        family_note=clean(consultation.family_note),
        written_options=map_written_texts(consultation.written_options, clean),
        reasons=map_reason_texts(consultation.reasons, clean),
        others=map_other_texts(consultation.others, clean),
        decision_stage=clean(consultation.decision_stage),
        clinician_notes=clean(consultation.clinician_notes),
    )


def _texts(
    consultation: Consultation, stored: frozenset[int] = frozenset()
) -> Iterator[tuple[str, str]]:
    context = consultation.context
    yield "patient_label", consultation.patient_label
    yield "context.condition", context.condition
    yield "context.decision", context.decision
    yield "context.present", context.present
    yield "context.materials_locale", context.materials_locale
    for index, result in enumerate(consultation.results):
        if index in stored:
            continue
        for name, text in _result_texts(result):
            yield f"results[{index}].{name}", text
    yield "decision_aid_id", consultation.decision_aid_id
    for key in consultation.value_ratings:
        yield "value_ratings (a value id)", key
    for key in consultation.sure:
        yield "sure (an item)", key
    for index, text in enumerate(consultation.bank_questions):
        yield f"bank_questions[{index}]", text
    for index, text in enumerate(consultation.own_questions):
        yield f"own_questions[{index}]", text
    yield "leaning", consultation.leaning
    yield "next_steps", consultation.next_steps
    yield "involve", consultation.involve
    yield "family_note", consultation.family_note
    yield from written_texts(consultation.written_options)
    yield from deliberation_texts(consultation.reasons, consultation.others)
    yield "decision_stage", consultation.decision_stage
    yield "clinician_notes", consultation.clinician_notes


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, StrEnum)


def _result_texts(result: TestResult) -> Iterator[tuple[str, str]]:
    for name in RESULT_FIELDS:
        value = getattr(result, name)
        if _is_text(value):
            yield name, value
    for number, partner in enumerate(result.partners):
        yield f"partners[{number}]", partner
    for number, therapy in enumerate(result.therapies):
        yield f"therapies[{number}].name", therapy.name
        yield f"therapies[{number}].level", therapy.level
        yield f"therapies[{number}].tumour_type", therapy.tumour_type


def _clean_result(result: TestResult, clean: Callable[[str], str]) -> TestResult:
    texts: dict[str, Any] = {
        name: clean(value) for name in RESULT_FIELDS if _is_text(value := getattr(result, name))
    }
    return replace(
        result,
        **texts,
        partners=tuple(clean(partner) for partner in result.partners),
        therapies=tuple(
            replace(
                therapy,
                name=clean(therapy.name),
                level=clean(therapy.level),
                tumour_type=clean(therapy.tumour_type),
            )
            for therapy in result.therapies
        ),
    )


def _local_naive(moment: datetime) -> datetime:
    """Stored times are naive local times; an aware one is converted, not truncated."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


def _parse_enum(enum: type[_E], text: str, fallback: _E) -> _E:
    # Lenient, like Settings: a value from a newer version must not stop loading.
    try:
        return enum(text)
    except ValueError:
        return fallback


def _json_list(text: str) -> list[Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _json_value(text: str, fallback: object) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return fallback


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _scalars(consultation: Consultation) -> dict[str, Any]:
    context = consultation.context
    return {
        "patient_label": consultation.patient_label,
        "condition": context.condition,
        "decision": context.decision,
        "present": context.present,
        "materials_locale": context.materials_locale,
        "decision_aid_id": consultation.decision_aid_id,
        "leaning": consultation.leaning,
        "next_steps": consultation.next_steps,
        "involve": consultation.involve,
        "family_note": consultation.family_note,
        "written_options": _json_text(written_options_to_mapping(consultation.written_options)),
        "reasons": _json_text(reasons_to_mapping(consultation.reasons)),
        "others_involved": _json_text(others_to_mapping(consultation.others)),
        "decision_stage": consultation.decision_stage,
        "clinician_notes": consultation.clinician_notes,
        "current_step": str(consultation.current_step),
    }


def _result_values(result: TestResult, consultation_id: int, position: int) -> dict[str, Any]:
    values: dict[str, Any] = {"consultation_id": consultation_id, "position": position}
    values.update(result_to_mapping(result))
    for name in ("therapies", "partners"):  # lists are JSON text columns
        values[name] = json.dumps(values[name], ensure_ascii=False)
    return values


_EPOCH = datetime(1970, 1, 1)


def _raw_rows(
    session: Session, table: str, where: str, parameters: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """Rows as the database holds them, without SQLAlchemy's type conversion (which
    raises on a damaged value). ``table`` and ``where`` are this module's own text."""
    cursor = session.connection().exec_driver_sql(
        f"SELECT * FROM {table} WHERE {where}", parameters
    )
    names = list(cursor.keys())
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(_text(value))
    except ValueError:
        return None


def _rating(value: object) -> int | None:
    try:
        rating = int(_text(value))
    except ValueError:
        return None
    return rating if 0 <= rating <= 4 else None


def _result_from_raw(row: dict[str, Any]) -> TestResult:
    values: dict[str, object] = {}
    for name in RESULT_FIELDS:
        if name in row:
            value = row[name]  # a BLOB (a damaged value) reads as text, not dropped
            values[name] = _text(value) if isinstance(value, bytes) else value
    for name in ("therapies", "partners"):  # lists are JSON text columns
        values[name] = _json_list(_text(values.get(name, "[]")))
    return result_from_mapping(values, row.get("id") if isinstance(row.get("id"), int) else None)


def _begin_read(session: Session) -> None:
    """Read several tables from one snapshot.

    Python's sqlite3 (legacy transaction mode) only opens a transaction before a
    write, so without this each SELECT could see a different commit.
    """
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


class ConsultationStore:
    """Consultations of user.db; every method is one short transaction."""

    def __init__(self, database: UserDatabase) -> None:
        self._database = database
        # Each consultation as this store last read or wrote it. A save from that same
        # version (the revision matches) writes only what changed: the autosave after
        # one answer must not rewrite thousands of imported results.
        self._known: dict[int, Consultation] = {}

    @property
    def path(self) -> Path:
        return self._database.path

    def create(self, now: datetime | None = None) -> Consultation:
        """A new, empty consultation, stored at once."""
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage.models import ConsultationRecord

        moment = _local_naive(now if now is not None else datetime.now())
        empty = Consultation(id=None, created_at=moment, updated_at=moment)
        try:
            with self._database.session() as session:
                record = ConsultationRecord(created_at=moment, updated_at=moment, **_scalars(empty))
                session.add(record)
                session.flush()
                new_id = record.id
                revision = _raw_rows(session, "consultations", "id = ?", (new_id,))[0]
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise ConsultationNotSavedError(self.path, error) from error
        return replace(empty, id=new_id, revision=_text(revision["updated_at"]))

    def listing(self) -> list[ConsultationListing]:
        """All consultations, the most recently changed first. Read leniently: a row
        with a damaged date is listed (marked ``damaged``), never hidden or fatal."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self._database.session() as session:
                rows = _raw_rows(
                    session, "consultations", "1 ORDER BY updated_at DESC, id DESC", ()
                )
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise ConsultationNotLoadedError(self.path, error) from error
        found = []
        for row in rows:
            if not isinstance(row.get("id"), int):
                continue
            created, updated = _moment(row.get("created_at")), _moment(row.get("updated_at"))
            found.append(
                ConsultationListing(
                    id=row["id"],
                    created_at=created or updated or _EPOCH,
                    updated_at=updated or created or _EPOCH,
                    patient_label=_text(row.get("patient_label")),
                    condition=_text(row.get("condition")),
                    decision=_text(row.get("decision")),
                    damaged=created is None or updated is None,
                )
            )
        return found

    def load(self, consultation_id: int) -> Consultation | None:
        """The stored consultation, or None when there is none with this id."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self._database.session() as session:
                _begin_read(session)
                loaded = self._read(session, consultation_id)
        except (SQLAlchemyError, OSError, UserDatabaseError, ValueError, TypeError) as error:
            # ValueError/TypeError: a stored value beyond lenient reading.
            self._known.pop(consultation_id, None)
            raise ConsultationNotLoadedError(self.path, error) from error
        if loaded is None:
            self._known.pop(consultation_id, None)
        else:
            self._known[consultation_id] = loaded
        return loaded

    def save(self, consultation: Consultation) -> Consultation:
        """Write all of the consultation at once and return it as stored.

        New results (id None) get their ids; results no longer present are
        deleted; ``updated_at`` becomes now. A consultation with id None is
        inserted. On any failure nothing changes and ConsultationNotSavedError
        is raised.
        """
        from sqlalchemy.exc import SQLAlchemyError

        problem = unstorable_text(consultation, self._stored_results(consultation))
        if problem is not None:
            raise ConsultationNotSavedError(self.path, problem)
        now = datetime.now()
        try:
            with self._database.session() as session:
                stored = self._write(session, consultation, now)
        except ConsultationStoreError:
            self._known.pop(consultation.id or -1, None)
            raise
        except (SQLAlchemyError, OSError, UserDatabaseError, ValueError, TypeError) as error:
            # ValueError/TypeError: a value of the wrong type reaching the driver.
            self._known.pop(consultation.id or -1, None)
            raise ConsultationNotSavedError(self.path, error) from error
        if stored.id is not None:
            # Committed: what is stored now (its own copies of the mutable parts, so a
            # caller changing the returned dicts cannot make a later save skip them).
            self._known[stored.id] = replace(
                stored, value_ratings=dict(stored.value_ratings), sure=dict(stored.sure)
            )
        return stored

    def delete(self, consultation_id: int) -> None:
        """Remove the consultation and every row that belongs to it."""
        self._known.pop(consultation_id, None)
        from sqlalchemy import delete
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage import models

        try:
            with self._database.session() as session:
                # Children first and explicitly: correct even if foreign keys were off.
                for child in (
                    models.ResultRecord,
                    models.ValueRatingRecord,
                    models.SureAnswerRecord,
                    models.QuestionRecord,
                ):
                    session.execute(delete(child).where(child.consultation_id == consultation_id))
                session.execute(
                    delete(models.ConsultationRecord).where(
                        models.ConsultationRecord.id == consultation_id
                    )
                )
                session.execute(
                    delete(models.Setting).where(
                        models.Setting.key == OPEN_CONSULTATION_KEY,
                        models.Setting.value == str(consultation_id),
                    )
                )
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise ConsultationNotSavedError(self.path, error) from error

    def remember_open(self, consultation_id: int | None) -> None:
        """Record which consultation the app reopens at start (None: none)."""
        from sqlalchemy import delete
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage.models import Setting

        try:
            with self._database.session() as session:
                if consultation_id is None:
                    session.execute(delete(Setting).where(Setting.key == OPEN_CONSULTATION_KEY))
                else:
                    session.merge(
                        Setting(
                            key=OPEN_CONSULTATION_KEY,
                            value=str(consultation_id),
                            updated_at=datetime.now(),
                        )
                    )
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise ConsultationNotSavedError(self.path, error) from error

    def remember_folder(self, kind: str, folder: str) -> None:
        """The folder last used to import or export (``kind``), kept in the encrypted
        database: a folder's name may name a patient, so it never goes to Qt's own
        settings file. Best effort: a folder not remembered is no error."""
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage.models import Setting

        try:
            with self._database.session() as session:
                session.merge(
                    Setting(
                        key=f"{FOLDER_KEY_PREFIX}{kind}", value=folder, updated_at=datetime.now()
                    )
                )
        except (SQLAlchemyError, OSError, UserDatabaseError):
            pass

    def folder(self, kind: str) -> str:
        """The folder last used for ``kind`` ('' when none)."""
        try:
            key = self._database.key
        except UserDatabaseError:  # locked
            return ""
        return read_settings_snapshot(self.path, key).get(f"{FOLDER_KEY_PREFIX}{kind}", "")

    def open_consultation_id(self) -> int | None:
        """The consultation to reopen, read with the DB-API module only (start-up).

        It may have been deleted by another copy of the app: ``load`` then gives None.
        """
        try:
            key = self._database.key
        except UserDatabaseError:  # locked
            return None
        text = read_settings_snapshot(self.path, key).get(OPEN_CONSULTATION_KEY)
        try:
            return int(text) if text is not None else None
        except ValueError:
            return None

    def _read(self, session: Session, consultation_id: int) -> Consultation | None:
        """The consultation from raw rows, each value read leniently: one damaged value
        (a date that is not a date, a rating that is not a number) must not make the
        whole consultation unreachable. A value that cannot be read is left empty."""
        rows = _raw_rows(session, "consultations", "id = ?", (consultation_id,))
        if not rows:
            return None
        record = rows[0]
        results = _raw_rows(
            session, "test_results", "consultation_id = ? ORDER BY position, id", (consultation_id,)
        )
        ratings = _raw_rows(session, "value_ratings", "consultation_id = ?", (consultation_id,))
        sure = _raw_rows(session, "sure_answers", "consultation_id = ?", (consultation_id,))
        questions = _raw_rows(
            session, "questions", "consultation_id = ? ORDER BY position, id", (consultation_id,)
        )
        created_at = _moment(record.get("created_at"))
        updated_at = _moment(record.get("updated_at"))
        return Consultation(
            id=consultation_id,
            created_at=created_at or updated_at or _EPOCH,
            updated_at=updated_at or created_at or _EPOCH,
            patient_label=_text(record.get("patient_label")),
            context=Context(
                condition=_text(record.get("condition")),
                decision=_text(record.get("decision")),
                present=_text(record.get("present")),
                materials_locale=_text(record.get("materials_locale")),
            ),
            results=tuple(_result_from_raw(row) for row in results),
            decision_aid_id=_text(record.get("decision_aid_id")),
            value_ratings={
                _text(row.get("value_id")): rating
                for row in ratings
                if (rating := _rating(row.get("rating"))) is not None
            },
            sure={_text(row.get("item")): bool(row.get("answer")) for row in sure},
            bank_questions=tuple(
                _text(row.get("text")) for row in questions if row.get("kind") == "bank"
            ),
            own_questions=tuple(
                _text(row.get("text")) for row in questions if row.get("kind") == "own"
            ),
            leaning=_text(record.get("leaning")),
            next_steps=_text(record.get("next_steps")),
            involve=_text(record.get("involve")),
            family_note=_text(record.get("family_note")),
            written_options=written_options_from_mapping(
                _json_value(_text(record.get("written_options")), {})
            ),
            reasons=reasons_from_mapping(_json_value(_text(record.get("reasons")), [])),
            others=others_from_mapping(_json_value(_text(record.get("others_involved")), [])),
            decision_stage=_text(record.get("decision_stage")),
            clinician_notes=_text(record.get("clinician_notes")),
            current_step=_parse_enum(Step, _text(record.get("current_step")), Step.VISIT),
            revision=_text(record.get("updated_at")),
        )

    def _write(self, session: Session, consultation: Consultation, now: datetime) -> Consultation:
        from sqlalchemy import String, select, type_coerce, update

        from sdm_app.storage import models

        created_at = _local_naive(consultation.created_at)
        # The first statement writes, so the transaction holds the write lock from
        # here on and the reads below cannot race another writer.
        if consultation.id is None:
            record = models.ConsultationRecord(
                created_at=created_at, updated_at=now, **_scalars(consultation)
            )
            session.add(record)
            session.flush()
            consultation_id = record.id
        else:
            consultation_id = consultation.id
            Record = models.ConsultationRecord
            statement = update(Record).where(Record.id == consultation_id)
            if consultation.revision:
                # Optimistic check: only the version this copy read may be replaced.
                statement = statement.where(
                    type_coerce(Record.updated_at, String) == consultation.revision
                )
            # created_at is never rewritten; the stored one is returned (read as text,
            # so a damaged value cannot stop the save).
            stored_created_at = session.execute(
                statement.values(updated_at=now, **_scalars(consultation))
                .returning(type_coerce(Record.created_at, String))
                .execution_options(synchronize_session=False)
            ).scalar_one_or_none()
            if stored_created_at is None:
                if session.get(Record, consultation_id) is not None:
                    raise ConsultationConflictError(
                        self.path,
                        _(
                            "another copy of the app changed this consultation after it was "
                            "opened here; open it again to see the stored version"
                        ),
                    )
                raise ConsultationNotSavedError(
                    self.path, f"consultation {consultation_id} no longer exists"
                )
            readable = _moment(stored_created_at)
            if readable is None:  # a damaged date: repaired with the one this copy shows
                session.execute(
                    update(Record)
                    .where(Record.id == consultation_id)
                    .values(created_at=created_at)
                    .execution_options(synchronize_session=False)
                )
            else:
                created_at = readable

        before = self._known.get(consultation_id)
        if before is None or not consultation.revision or before.revision != consultation.revision:
            before = None  # not the version this store knows: write everything
        stored_results = self._write_results(session, consultation, consultation_id, before)
        self._write_children(session, consultation, consultation_id, before)

        revision = session.execute(
            select(type_coerce(models.ConsultationRecord.updated_at, String)).where(
                models.ConsultationRecord.id == consultation_id
            )
        ).scalar_one()
        return replace(
            consultation,
            id=consultation_id,
            created_at=created_at,
            updated_at=now,
            revision=revision,
            results=stored_results,
            value_ratings=dict(consultation.value_ratings),
            sure=dict(consultation.sure),
        )

    def _stored_results(self, consultation: Consultation) -> frozenset[int]:
        """Positions of the results already stored exactly as they are (so they hold
        only storable text): checking thousands of unchanged results at every
        autosave would block the window."""
        before = self._known.get(consultation.id or -1)
        if before is None or not consultation.revision or before.revision != consultation.revision:
            return frozenset()
        stored = {r.id: r for r in before.results if r.id is not None}
        return frozenset(
            index
            for index, result in enumerate(consultation.results)
            if result.id is not None and stored.get(result.id) == result
        )

    def _write_results(
        self,
        session: Session,
        consultation: Consultation,
        consultation_id: int,
        before: Consultation | None,
    ) -> tuple[TestResult, ...]:
        """Insert new results, update changed ones, delete removed ones; with ``before``
        (what is stored), an unchanged result in the same place is not touched."""
        from sqlalchemy import delete, select, update

        from sdm_app.storage import models

        Result = models.ResultRecord
        if before is not None:
            existing = {r.id for r in before.results if r.id is not None}
            stored_at = {r.id: (n, r) for n, r in enumerate(before.results) if r.id is not None}
        else:
            existing = set(
                session.scalars(select(Result.id).where(Result.consultation_id == consultation_id))
            )
            stored_at = {}
        kept: set[int] = set()
        stored_results: list[TestResult] = []
        for position, result in enumerate(consultation.results):
            if result.id is not None and result.id in existing and result.id not in kept:
                if stored_at.get(result.id) != (position, result):
                    values = _result_values(result, consultation_id, position)
                    session.execute(
                        update(Result)
                        .where(Result.id == result.id)
                        .values(**values)
                        .execution_options(synchronize_session=False)
                    )
                result_id = result.id
            else:
                # New, or an id that is not this consultation's: stored as a new result.
                new_record = Result(**_result_values(result, consultation_id, position))
                session.add(new_record)
                session.flush()
                result_id = new_record.id
            kept.add(result_id)
            stored_results.append(
                result if result.id == result_id else replace(result, id=result_id)
            )
        removed = existing - kept
        if removed:
            session.execute(delete(Result).where(Result.id.in_(removed)))
        return tuple(stored_results)

    def _write_children(
        self,
        session: Session,
        consultation: Consultation,
        consultation_id: int,
        before: Consultation | None,
    ) -> None:
        """Ratings, SURE answers and questions: small, replaced whole when they changed."""
        from sqlalchemy import delete, insert

        from sdm_app.storage import models

        unchanged = before is not None and (
            before.value_ratings,
            before.sure,
            before.bank_questions,
            before.own_questions,
        ) == (
            consultation.value_ratings,
            consultation.sure,
            consultation.bank_questions,
            consultation.own_questions,
        )
        if unchanged:
            return
        for child in (models.ValueRatingRecord, models.SureAnswerRecord, models.QuestionRecord):
            session.execute(delete(child).where(child.consultation_id == consultation_id))
        ratings = [
            {"consultation_id": consultation_id, "value_id": value_id, "rating": rating}
            for value_id, rating in consultation.value_ratings.items()
        ]
        if ratings:
            session.execute(insert(models.ValueRatingRecord), ratings)
        answers = [
            {"consultation_id": consultation_id, "item": item, "answer": answer}
            for item, answer in consultation.sure.items()
        ]
        if answers:
            session.execute(insert(models.SureAnswerRecord), answers)
        questions = [
            {"consultation_id": consultation_id, "position": position, "kind": kind, "text": text}
            for kind, texts in (
                ("bank", consultation.bank_questions),
                ("own", consultation.own_questions),
            )
            for position, text in enumerate(texts)
        ]
        if questions:
            session.execute(insert(models.QuestionRecord), questions)
