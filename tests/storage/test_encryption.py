"""user.db encrypted at rest: what is typed never reaches the disk readable, the key is
checked, changed and kept safely, and an earlier release's plain file is encrypted
without loss."""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from sdm_app.core.consultation import Consultation
from sdm_app.services import unlocking
from sdm_app.services.unlocking import (
    change_passphrase,
    open_key,
    set_remembered,
    set_up_key,
    unlock_with_passphrase,
)
from sdm_app.storage import encryption
from sdm_app.storage.consultations import ConsultationStore, ConsultationStoreError
from sdm_app.storage.encryption import (
    PLAIN_HEADER,
    EncryptionError,
    WrongPassphraseError,
    database_state,
)
from sdm_app.storage.settings import SettingsStore
from sdm_app.storage.user_db import (
    UserDatabase,
    UserDatabaseError,
    backup,
    backup_files,
    backups_dir,
    connect,
    current_revision,
    list_backups,
    migrate,
    readable,
    restore,
)
from tests.storage.test_consultations import _full

CANARY = "CANARY-q7Zx-ENCRYPTION-CHECK"
PASSPHRASE = "a long passphrase for tests"
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "userdb" / "user-0.1.0.db"


class MemoryKeyring(KeyringBackend):
    """A keychain in memory: tests never touch the computer's own."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class NoPrompts:
    """Start-up questions that must not be asked."""

    def choose(self, mode: str, keychain: bool) -> tuple[str, bool] | None:
        raise AssertionError("a passphrase was asked for")

    def unlock(self, attempt: object) -> bytes | None:
        raise AssertionError("a passphrase was asked for")


def _canaried(value: object, where: str = "") -> object:
    """Every text field of a consultation (and of its results, recursively) set to the
    canary; enumerations, dates and numbers keep their values."""
    if type(value) is str:
        return f"{CANARY}:{where}"
    if isinstance(value, tuple):
        return tuple(_canaried(item, f"{where}[{n}]") for n, item in enumerate(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _canaried(getattr(value, field.name), f"{where}.{field.name}")
            for field in dataclasses.fields(value)
            if field.init
            and field.name not in ("materials_locale", "scheme_id", "class_code", "revision")
        }
        return replace(value, **changes)  # type: ignore[type-var]
    if isinstance(value, enum.Enum):
        return value
    return value


def _needles() -> list[bytes]:
    return [CANARY.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")] + [
        CANARY[:12].encode("utf-8")
    ]


def _files_holding_canary(*roots: Path, since: float = 0.0) -> list[str]:
    found = []
    for root in roots:
        if not root.exists():
            continue
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in paths:
            try:
                if path.stat().st_mtime < since:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if any(needle in data for needle in _needles()):
                found.append(str(path))
    return found


def _fill(db_path: Path, key: bytes | None) -> tuple[UserDatabase, Consultation]:
    database = UserDatabase(db_path, key)
    store = ConsultationStore(database)
    created = store.create()
    full = _full(created)
    saved = store.save(_canaried(full))  # type: ignore[arg-type]
    assert saved.patient_label.startswith(CANARY)
    assert store.load(saved.id or 0) == saved
    settings = SettingsStore(database)
    settings.update(genetics_service=f"{CANARY} genetics service", text_scale=150)
    store.remember_open(saved.id)
    return database, saved


@pytest.fixture
def watched_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary folder everything in this process (and SQLite) would use."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain-control"])
def test_a_canary_typed_everywhere_never_reaches_the_disk_readable(
    tmp_path: Path, watched_tmp: Path, caplog: pytest.LogCaptureFixture, encrypted: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    data_dir = tmp_path / "data"
    db_path = data_dir / "user.db"
    data_dir.mkdir()
    key = set_up_key(db_path, PASSPHRASE, remember=False) if encrypted else None
    database, _saved = _fill(db_path, key)
    wal = db_path.with_name("user.db-wal")
    try:
        assert wal.is_file() and wal.stat().st_size > 0  # the write-ahead log is in use
        backup(db_path, "test", key)
        # While the database is open (the write-ahead log holds the latest pages) ...
        open_hits = _files_holding_canary(data_dir, watched_tmp)
        # ... and the system's temporary folder, for anything this test wrote there.
        open_hits += _files_holding_canary(Path(tempfile.gettempdir()), since=started)
    finally:
        database.close()
    closed_hits = _files_holding_canary(data_dir, watched_tmp)
    logged = any(CANARY[:12] in record.getMessage() for record in caplog.records)
    if encrypted:
        assert open_hits == [] and closed_hits == [], open_hits + closed_hits
        assert not logged
        assert database_state(db_path) == "encrypted"
        names = {path.name for path in data_dir.iterdir()}
        assert {"user.db.kdf.json", "preferences.json"} <= names
        assert len(list(backups_dir(db_path).glob("user-*.db"))) == 1
    else:
        # The control: the same scan finds the canary in an unencrypted database, so a
        # scan that finds nothing above means something.
        assert str(db_path) in open_hits + closed_hits or str(wal) in open_hits
        assert any("backups" in hit for hit in closed_hits)


def test_the_key_file_holds_no_key_and_files_are_private(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "user.db"
    db_path.parent.mkdir()
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, _saved = _fill(db_path, key)
    database.close()
    text = encryption.record_path(db_path).read_text()
    assert key.hex() not in text and PASSPHRASE not in text
    assert '"kdf": "argon2id"' in text
    if os.name == "posix":
        for path in [db_path.parent, *db_path.parent.rglob("*")]:
            if path.name.endswith(".lock"):
                continue
            mode = path.stat().st_mode & 0o777
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_a_wrong_passphrase_is_refused_and_a_wrong_key_reads_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, _saved = _fill(db_path, key)
    database.close()
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(db_path, PASSPHRASE + " ")
    assert unlock_with_passphrase(db_path, PASSPHRASE) == key
    assert not readable(db_path, bytes(32))
    assert not readable(db_path, None)  # nor can anything open it without a key
    with pytest.raises(ConsultationStoreError, match="damaged or is not a database"):
        ConsultationStore(UserDatabase(db_path, bytes(32))).listing()


def test_the_real_argon2id_profile_is_rfc_9106s_and_takes_a_moment(tmp_path: Path) -> None:
    profile = encryption.RFC9106_LOW_MEMORY
    assert profile == encryption.KdfProfile(3, 65536, 4)
    begun = time.perf_counter()
    key = encryption.derive_key(PASSPHRASE, profile, b"0" * 16)
    took = time.perf_counter() - begun
    assert len(key) == 32
    assert took < 5, took
    # The same passphrase composed differently (é as one or two code points) unlocks.
    assert encryption.derive_key("caf\u00e9 x", profile, b"1" * 16) == encryption.derive_key(
        "cafe\u0301 x", profile, b"1" * 16
    )


def test_a_passphrase_change_keeps_the_data_and_re_encrypts_the_backups(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, saved = _fill(db_path, key)
    old_backup = backup(db_path, "before-change", key)
    left = change_passphrase(database, "a brand new passphrase")
    assert left == []
    store = ConsultationStore(database)
    assert store.load(saved.id or 0) == saved
    database.close()
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(db_path, PASSPHRASE)
    new_key = unlock_with_passphrase(db_path, "a brand new passphrase")
    assert new_key != key
    assert not encryption.pending_record_path(db_path).exists()
    assert readable(old_backup, new_key) and not readable(old_backup, key)
    assert ConsultationStore(UserDatabase(db_path, new_key)).load(saved.id or 0) == saved


def test_a_passphrase_change_cut_short_leaves_data_either_passphrase_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, _saved = _fill(db_path, key)

    def crash(_db_path: Path) -> None:
        raise OSError("power lost")

    # The database is re-keyed, but the process dies before the new record is current.
    monkeypatch.setattr(encryption, "promote_pending_record", crash)
    with pytest.raises(OSError):
        change_passphrase(database, "the new passphrase")
    database.close()
    monkeypatch.undo()
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(db_path, PASSPHRASE)  # the file has the new key now
    new_key = unlock_with_passphrase(db_path, "the new passphrase")
    assert readable(db_path, new_key)
    assert not encryption.pending_record_path(db_path).exists()  # settled


def test_an_earlier_plain_user_db_is_encrypted_without_losing_a_row(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db_path = data_dir / "user.db"
    plain, saved = _fill(db_path, None)
    backup(db_path, "daily", None)
    store = ConsultationStore(plain)
    second = store.save(_canaried(_full(store.create())))  # type: ignore[arg-type]
    plain.close()

    def rows(key: bytes | None) -> dict[str, list[str]]:
        connection = connect(db_path, key)
        try:
            tables = [
                str(row[0])
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            return {
                table: sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
                for table in tables
            }
        finally:
            connection.close()

    before = rows(None)
    assert database_state(db_path) == "plaintext"
    assert _files_holding_canary(data_dir)  # the plain file and its backup hold it

    key = open_key_for_plaintext(db_path)

    assert database_state(db_path) == "encrypted"
    assert rows(key) == before
    assert _files_holding_canary(data_dir) == []  # no plain file, no plain backup left
    assert not any(
        path.read_bytes()[:16] == PLAIN_HEADER for path in data_dir.rglob("*") if path.is_file()
    )
    assert next(info.path.name for info in list_backups(db_path)).endswith("-encrypted.db")
    reopened = ConsultationStore(UserDatabase(db_path, key))
    assert reopened.load(saved.id or 0) == saved
    assert reopened.load(second.id or 0) == second


def open_key_for_plaintext(db_path: Path) -> bytes:
    """The app's own start-up path, with the passphrase a script would give."""
    key = open_key(db_path, NoPrompts())
    assert key is not None
    return key


def test_a_failed_encryption_leaves_the_plain_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "user.db"
    plain, _saved = _fill(db_path, None)
    plain.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    def refuse() -> None:
        raise OSError("disk full")

    from sdm_app.storage.user_db import encrypt_plaintext

    with pytest.raises(OSError):
        encrypt_plaintext(db_path, bytes(range(32)), on_verified=refuse)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not db_path.with_name("user.db.encrypting").exists()


def test_an_encrypted_database_migrates_and_a_failed_migration_restores_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    from sdm_app.storage.migrations import HEAD_REVISION
    from sdm_app.storage.user_db import encrypt_plaintext

    db_path = tmp_path / "user.db"
    shutil.copyfile(FIXTURE, db_path)
    key = bytes(range(32))
    encrypt_plaintext(db_path, key)
    old_revision = current_revision(db_path, key)
    assert old_revision is not None and old_revision != HEAD_REVISION
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()

    def upgrade_then_fail(config: object, revision: str) -> None:
        connection = config.attributes["connection"]  # type: ignore[attr-defined]
        connection.exec_driver_sql("DELETE FROM test_results")
        raise RuntimeError("the disk went away")

    with monkeypatch.context() as patch:
        patch.setattr(command, "upgrade", upgrade_then_fail)
        with pytest.raises(UserDatabaseError, match="unchanged"):
            migrate(db_path, key)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    made = [path for path in backup_files(db_path) if "before-" in path.name]
    assert made and all(readable(path, key) for path in made)  # the backup is encrypted
    assert not any(readable(path, None) for path in made)

    migrate(db_path, key)
    assert current_revision(db_path, key) == HEAD_REVISION
    assert database_state(db_path) == "encrypted"


def test_an_encrypted_backup_is_verified_and_restored(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, saved = _fill(db_path, key)
    made = backup(db_path, "test", key)
    ConsultationStore(database).delete(saved.id or 0)
    database.close()
    with pytest.raises(UserDatabaseError, match="not a readable"):
        restore(db_path, made, bytes(32))  # another key cannot restore it
    restore(db_path, made, key)
    assert ConsultationStore(UserDatabase(db_path, key)).load(saved.id or 0) == saved


def test_the_key_kept_in_a_keychain_opens_the_data_without_a_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keychain = MemoryKeyring()
    encryption.use_keychain_backend(keychain)
    monkeypatch.delenv(unlocking.ENV_PASSPHRASE)
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=True)
    database, _saved = _fill(db_path, key)
    database.close()
    assert list(keychain.entries.values()) == [key.hex()]
    assert open_key(db_path, NoPrompts()) == key

    set_remembered(db_path, key, False)
    assert keychain.entries == {}
    assert not encryption.read_record(db_path).keychain  # type: ignore[union-attr]

    class Asked(NoPrompts):
        def unlock(self, attempt: object) -> bytes | None:
            return attempt(PASSPHRASE)  # type: ignore[operator,no-any-return]

    assert open_key(db_path, Asked()) == key


def test_only_a_local_keychain_is_used_and_none_is_said_when_there_is_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import keyring

    class NetworkKeyring(MemoryKeyring):
        priority = 100  # type: ignore[assignment]

    # Even a keyring configured for the whole process is never consulted.
    keyring.set_keyring(NetworkKeyring())
    try:
        monkeypatch.setattr(encryption, "_backend_override", encryption._UNSET)
        backend = encryption.keychain_backend()
        assert not isinstance(backend, NetworkKeyring)
        if backend is not None:
            assert type(backend).__module__.startswith("keyring.backends.")
    finally:
        from keyring.backends import fail

        keyring.set_keyring(fail.Keyring())
    encryption.use_keychain_backend(None)
    assert not encryption.keychain_available()
    with pytest.raises(EncryptionError):
        encryption.remember_key(Path("user.db"), bytes(32))


def test_passphrase_from_a_file_or_a_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text("from a file\n", encoding="utf-8")
    monkeypatch.setenv(unlocking.ENV_PASSPHRASE_FILE, str(secret))
    assert unlocking.passphrase_from_environment() == "from a file"
    monkeypatch.setenv(unlocking.ENV_PASSPHRASE_FILE, str(tmp_path / "missing"))
    with pytest.raises(EncryptionError, match="missing"):
        unlocking.passphrase_from_environment()
    monkeypatch.delenv(unlocking.ENV_PASSPHRASE_FILE)
    monkeypatch.setenv(unlocking.ENV_PASSPHRASE, "from a variable")
    assert unlocking.passphrase_from_environment() == "from a variable"


def test_passphrase_strength_hints() -> None:
    assert encryption.passphrase_strength("short") == 0
    assert encryption.passphrase_strength("abcdefgh") == 1
    assert encryption.passphrase_strength("abcdefgh1234") == 2
    assert encryption.passphrase_strength("correct horse battery staple") == 3


def test_encrypted_data_without_its_key_information_is_a_clear_problem(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database, _saved = _fill(db_path, key)
    database.close()
    encryption.record_path(db_path).unlink()
    with pytest.raises(EncryptionError, match=r"user\.db\.kdf\.json"):
        open_key(db_path, NoPrompts())


def test_the_last_folders_are_kept_encrypted(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    key = set_up_key(db_path, PASSPHRASE, remember=False)
    database = UserDatabase(db_path, key)
    store = ConsultationStore(database)
    assert store.folder("import") == ""
    folder = f"/home/me/{CANARY} reports"
    store.remember_folder("import", folder)
    store.remember_folder("export", "/home/me/letters")
    assert (store.folder("import"), store.folder("export")) == (folder, "/home/me/letters")
    assert _files_holding_canary(tmp_path) == []
    database.lock_out()
    assert store.folder("import") == ""  # nothing is read while locked
    database.close()


def test_an_earlier_release_s_language_is_copied_out_for_the_next_unlock(tmp_path: Path) -> None:
    from sdm_app.storage.models import Setting
    from sdm_app.storage.settings import read_plain_settings

    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path, None)
    with database.session() as session:  # as an earlier release stored them
        session.merge(Setting(key="language", value="ar", updated_at=datetime.now()))
        session.merge(Setting(key="text_scale", value="160", updated_at=datetime.now()))
    assert read_plain_settings(db_path) == {}
    assert SettingsStore(database).settings.language == "ar"
    assert read_plain_settings(db_path) == {
        "language": "ar",
        "text_scale": "160",
        "high_contrast": "0",
    }
    database.close()
