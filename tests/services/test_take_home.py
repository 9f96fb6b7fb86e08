"""The take-home copy (``.sdmc``): it round-trips a whole consultation, carries no
clinician notes unless asked, and refuses a wrong passphrase, a file from a newer
format, and every damaged, truncated or tampered variant with a one-line message,
changing nothing."""

from __future__ import annotations

import hashlib
import json
import random
import struct
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from sdm_app import __version__
from sdm_app.core.consultation import NOT_SURE, Consultation, Step
from sdm_app.core.consultation_mapping import consultation_from_mapping, consultation_to_mapping
from sdm_app.core.deliberation import DecisionStage, OtherPerson, Reason, ReasonSide
from sdm_app.core.written_options import WrittenNumber, WrittenOption, WrittenOptions
from sdm_app.services.demo import load_demo
from sdm_app.services.take_home import (
    FORMAT_VERSION,
    MAGIC,
    ContentVersions,
    CopyError,
    CopyPassphraseError,
    DamagedCopyError,
    ItemVersion,
    NewerCopyError,
    NotACopyError,
    PackVersion,
    content_versions,
    decode_copy,
    encode_copy,
    make_copy,
    open_copy,
    read_header,
    save_as_new,
    source_in,
    write_copy,
)
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.content_db import ContentLibrary
from sdm_app.storage.encryption import WrongPassphraseError
from sdm_app.storage.user_db import UserDatabase

PASSPHRASE = "blue kettle on a Tuesday"
DEMO_AID = "egfr-alk-nsclc-first-treatment"
CONTENT = ContentVersions(
    (PackVersion("core", "Core content", "2026.1"),),
    ItemVersion(DEMO_AID, 3, "core", "2026.1"),
    (ItemVersion("what-is-a-biomarker", 2, "core", "2026.1"),),
)


def consultation() -> Consultation:
    """The demo consultation with every kind of field filled, clinician notes too."""
    demo = load_demo()
    return replace(
        demo,
        id=7,
        revision="2026-11-12 10:31:00.000000",
        created_at=datetime(2026, 11, 12, 10, 30, 15, 123456),
        value_ratings={"avoid-side-effects": 3, "live-longer": 4},
        sure={"sure_of_best": False, "knows_benefits_risks": True},
        bank_questions=("options-all", "family-risk"),
        own_questions=("Can I keep working?", "هل يمكنني السفر؟"),
        leaning=NOT_SURE,
        written_options=WrittenOptions(
            ("What does it involve?", "What are the harms?"),
            (
                WrittenOption(
                    "written:1",
                    "A trial drug",
                    ("Tablets daily", "Tiredness"),
                    (WrittenNumber("tumours shrink", "30", "100", "1 year", "Abstract", "low"),),
                ),
                WrittenOption("written:2", "Wait and scan", ("A scan every 3 months", "")),
            ),
        ),
        reasons=(
            Reason("written:1", ReasonSide.FOR, "It might work", 4),
            Reason("written:2", ReasonSide.AGAINST, "Waiting worries me", None),
        ),
        others=(OtherPerson("My daughter", "written:1", True),),
        decision_stage=DecisionStage.CONSIDERING.value,
        family_note="Please get tested.",
        clinician_notes="Discussed trial eligibility; check creatinine.",
        current_step=Step.SUMMARY,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConsultationStore]:
    database = UserDatabase(tmp_path / "clinic" / "user.db")
    yield ConsultationStore(database)
    database.close()


def test_a_copy_round_trips_the_whole_consultation() -> None:
    original = consultation()
    copy = make_copy(original, CONTENT, include_clinician_notes=True)
    back = decode_copy(encode_copy(copy, PASSPHRASE), PASSPHRASE)
    # Not tied to the clinic's database: no id, no revision; everything else exact.
    assert back.consultation == replace(
        original, id=None, results=tuple(replace(r, id=None) for r in original.results)
    )
    assert back.consultation.id is None and back.consultation.revision == ""
    assert back.consultation.created_at == original.created_at  # microseconds kept
    assert back.content == CONTENT
    assert back.made_at == copy.made_at
    assert back.app_version == __version__
    assert back.clinician_notes_included


def test_clinician_notes_stay_at_the_clinic_unless_asked_for() -> None:
    original = consultation()
    assert original.clinician_notes and any(r.clinician_note for r in original.results)
    data = encode_copy(make_copy(original, CONTENT), PASSPHRASE)
    back = decode_copy(data, PASSPHRASE)
    assert back.consultation.clinician_notes == ""
    assert all(result.clinician_note == "" for result in back.consultation.results)
    assert not back.clinician_notes_included
    # The patient's own words go with them.
    assert back.consultation.family_note == original.family_note
    assert back.consultation.own_questions == original.own_questions


def test_new_fields_travel_through_the_plain_mapping() -> None:
    """Every field of the consultation but its local id and revision is in the file,
    so a field added later travels without a change to the copy."""
    from dataclasses import fields

    mapping = consultation_to_mapping(consultation())
    names = {field.name for field in fields(Consultation)} - {"id", "revision"}
    assert set(mapping) == names
    json.dumps(mapping)  # plain data only


def test_the_plain_mapping_reads_leniently() -> None:
    mapping = consultation_to_mapping(consultation())
    mapping["a_field_from_a_newer_release"] = {"anything": [1, 2]}
    mapping["leaning"] = 42  # the wrong type: the default
    mapping["current_step"] = "a-step-not-known-here"
    mapping["value_ratings"] = {"ok": 2, "bad": "three"}
    mapping["reasons"].append({"option_id": "written:1", "side": "sideways"})
    read = consultation_from_mapping(mapping)
    assert read.leaning == ""
    assert read.current_step is Step.VISIT
    assert read.value_ratings == {"ok": 2}
    assert read.reasons == consultation().reasons
    del mapping["created_at"]
    with pytest.raises(ValueError, match="created_at"):
        consultation_from_mapping(mapping)


def test_the_content_versions_name_the_packs_aid_and_pages(
    bundled_library: ContentLibrary,
) -> None:
    demo = replace(
        load_demo(bundled_library.decision_aid(DEMO_AID, "en")), decision_aid_id=DEMO_AID
    )
    versions = content_versions(demo, bundled_library, "en")
    assert [pack.id for pack in versions.packs] == [p.id for p in bundled_library.packs()]
    aid = bundled_library.decision_aid(DEMO_AID, "en")
    assert aid is not None
    assert versions.decision_aid == ItemVersion(
        DEMO_AID, aid.source_version, aid.pack_id, aid.pack_version
    )
    assert versions.modules  # the results' explanation cards lead to library pages
    for item in versions.modules:
        module = bundled_library.module(item.id, "en")
        assert module is not None and module.source_version == item.version


def test_a_wrong_passphrase_is_told_apart() -> None:
    data = encode_copy(make_copy(consultation(), CONTENT), PASSPHRASE)
    with pytest.raises(CopyPassphraseError) as raised:
        decode_copy(data, "blue kettle on a Wednesday", "visit.sdmc")
    assert isinstance(raised.value, WrongPassphraseError)  # the dialogs' own handling
    assert str(raised.value) == "Wrong passphrase for visit.sdmc."


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(CopyError, match="at least 8"):
        encode_copy(make_copy(consultation(), CONTENT), "short")


def _with_digest(data: bytes) -> bytes:
    """``data`` (a file without its digest) as a deliberate forger would finish it."""
    return data + hashlib.sha256(data).digest()


def _header(data: bytes) -> tuple[int, dict[str, object]]:
    _magic, _version, length = struct.unpack_from(">8sHH", data)
    return length, json.loads(data[12 : 12 + length])


def test_a_file_from_a_newer_format_says_so() -> None:
    data = encode_copy(make_copy(consultation(), CONTENT), PASSPHRASE)
    body = data[:-32]
    newer = _with_digest(body[:8] + struct.pack(">H", FORMAT_VERSION + 1) + body[10:])
    with pytest.raises(NewerCopyError) as raised:
        decode_copy(newer, PASSPHRASE, "visit.sdmc")
    message = str(raised.value)
    assert "newer version of the app" in message and "format 2" in message
    assert "Update the app" in message
    # Refused before any passphrase is asked.
    with pytest.raises(NewerCopyError):
        read_header(newer)


def test_a_forged_header_or_body_is_refused_even_with_a_good_digest() -> None:
    data = encode_copy(make_copy(consultation(), CONTENT), PASSPHRASE)
    body = data[:-32]
    length, header = _header(body)
    # The app version changed (same length): authenticated as associated data.
    text = body[12 : 12 + length].decode()
    version = str(header["app_version"])
    forged = text.replace(f'"{version}"', '"' + "9" * len(version) + '"')
    assert forged != text and len(forged) == len(text)
    with pytest.raises(DamagedCopyError, match="changed after it was made"):
        decode_copy(_with_digest(body[:12] + forged.encode() + body[12 + length :]), PASSPHRASE)
    # One bit of the ciphertext.
    bits = bytearray(body)
    bits[12 + length + 5] ^= 0x01
    with pytest.raises(DamagedCopyError, match="changed after it was made"):
        decode_copy(_with_digest(bytes(bits)), PASSPHRASE)
    # A header asking Argon2id for 4 GiB is refused without running it.
    greedy = text.replace(f'"memory_kib": {header["memory_kib"]}', '"memory_kib": 4194304')
    greedy_body = body[:10] + struct.pack(">H", len(greedy)) + greedy.encode()
    with pytest.raises(DamagedCopyError):
        read_header(_with_digest(greedy_body + body[12 + length :]))


def _variants(data: bytes, count: int) -> Iterator[tuple[str, bytes]]:
    """``count`` damaged files, deterministically: bytes flipped in each part of the
    file (magic, version, header, ciphertext, tag, digest), truncations at many
    points, a wrong format version, forgeries with a recomputed digest, and bytes
    appended; each different from the others and from the genuine file."""
    rng = random.Random(20260611)
    length, _fields = _header(data)
    parts = {
        "magic": (0, 8),
        "version": (8, 10),
        "header length": (10, 12),
        "header": (12, 12 + length),
        "ciphertext": (12 + length, len(data) - 32 - 16),
        "tag": (len(data) - 32 - 16, len(data) - 32),
        "digest": (len(data) - 32, len(data)),
    }
    made = 0
    seen: set[bytes] = set()
    kinds = ["flip", "truncate", "forge", "version", "extend"]
    while made < count:
        kind = kinds[made % len(kinds)]
        if kind == "flip":
            name, (start, end) = rng.choice(list(parts.items()))
            changed = bytearray(data)
            changed[rng.randrange(start, end)] ^= 1 << rng.randrange(8)
            variant, name = bytes(changed), f"flip in {name}"
        elif kind == "truncate":
            cut = rng.randrange(0, len(data))
            variant, name = data[:cut], f"truncated at {cut}"
        elif kind == "forge":
            name, (start, end) = rng.choice(
                [(n, p) for n, p in parts.items() if n in ("header", "ciphertext", "tag")]
            )
            forged = bytearray(data[:-32])
            forged[rng.randrange(start, end)] ^= 1 << rng.randrange(8)
            variant, name = _with_digest(bytes(forged)), f"forged {name}"
        elif kind == "version":
            version = rng.choice([0, rng.randrange(FORMAT_VERSION + 1, 0x10000)])
            body = data[:8] + struct.pack(">H", version) + data[10:-32]
            variant = _with_digest(body)
            name = f"version {version}"
        else:
            extra = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
            variant, name = data + extra, "bytes appended"
        if variant != data and variant not in seen:
            seen.add(variant)
            made += 1
            yield name, variant


def test_two_hundred_damaged_copies_are_each_refused_with_a_message_and_change_nothing(
    tmp_path: Path, store: ConsultationStore
) -> None:
    stored = store.save(replace(consultation(), id=None, revision=""))
    before = (store.listing(), store.load(stored.id or 0))
    data = encode_copy(make_copy(stored, CONTENT), PASSPHRASE)
    seen_kinds: set[type[CopyError]] = set()
    variants = list(_variants(data, 200))
    assert len({variant for _name, variant in variants}) == 200
    for number, (name, variant) in enumerate(variants):
        path = tmp_path / f"variant-{number}.sdmc"
        path.write_bytes(variant)
        with pytest.raises(CopyError) as raised:
            copy = open_copy(path, PASSPHRASE)
            save_as_new(store, copy)  # never reached
        message = str(raised.value)
        assert message and "\n" not in message, (name, message)
        assert f"variant-{number}.sdmc" in message, (name, message)
        assert path.read_bytes() == variant  # the file is left as it was
        seen_kinds.add(type(raised.value))
    assert (store.listing(), store.load(stored.id or 0)) == before
    # Each way of refusing was met.
    assert {NotACopyError, DamagedCopyError, NewerCopyError} <= seen_kinds


def test_not_a_copy_and_unreadable_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.sdmc"
    text.write_text("just some notes", encoding="utf-8")
    with pytest.raises(NotACopyError, match=r"notes\.sdmc is not a consultation copy"):
        open_copy(text, PASSPHRASE)
    with pytest.raises(CopyError, match="could not be read"):
        open_copy(tmp_path / "missing.sdmc", PASSPHRASE)
    empty = tmp_path / "empty.sdmc"
    empty.write_bytes(b"")
    with pytest.raises(NotACopyError):
        open_copy(empty, PASSPHRASE)
    start = tmp_path / "start.sdmc"
    start.write_bytes(MAGIC[:5])
    with pytest.raises(DamagedCopyError):
        open_copy(start, PASSPHRASE)


def test_written_whole_and_opened_at_home_as_a_new_consultation(
    tmp_path: Path, store: ConsultationStore
) -> None:
    clinic = store.save(replace(consultation(), id=None, revision=""))
    path = write_copy(tmp_path / "copy.sdmc", make_copy(clinic, CONTENT), PASSPHRASE)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers
    home_database = UserDatabase(tmp_path / "home" / "user.db")
    try:
        home = ConsultationStore(home_database)
        opened = save_as_new(home, open_copy(path, PASSPHRASE))
        assert opened.id is not None
        notes_left_out = tuple(
            replace(result, id=mine.id, clinician_note="")
            for result, mine in zip(clinic.results, opened.results, strict=True)
        )
        assert home.load(opened.id) == replace(
            clinic,
            id=opened.id,
            updated_at=opened.updated_at,
            clinician_notes="",
            results=notes_left_out,
        )
        assert opened.created_at == clinic.created_at
        assert source_in(home, open_copy(path, PASSPHRASE)) == opened.id
    finally:
        home_database.close()
    # Back at the clinic, the copy is recognised as this consultation's.
    assert source_in(store, open_copy(path, PASSPHRASE)) == clinic.id
    other = replace(clinic, created_at=datetime(2020, 1, 1))
    assert source_in(store, make_copy(other, CONTENT)) is None
