"""Getting the key of user.db at start: from the keychain, from a script's passphrase,
or by asking the person (the asking itself is the UI's, passed in as ``KeyPrompts``).

Also what each first start needs: a new key for a new user.db, and the encryption of
an unencrypted user.db left by an earlier release.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from sdm_app.i18n import _
from sdm_app.storage import encryption
from sdm_app.storage.encryption import (
    EncryptionError,
    KeyRecord,
    WrongPassphraseError,
    database_state,
)
from sdm_app.storage.user_db import UserDatabase, encrypt_plaintext, readable, rekey_backups

# For scripts and checks (the app and the command line): the passphrase itself, or
# better a file holding it (readable by its owner only). The keychain is preferred.
ENV_PASSPHRASE = "SDM_APP_PASSPHRASE"
ENV_PASSPHRASE_FILE = "SDM_APP_PASSPHRASE_FILE"

SetupMode = Literal["new", "plaintext"]
# Tries a passphrase: the key when it opens the data, else raises EncryptionError
# (WrongPassphraseError for a wrong one).
PassphraseTry = Callable[[str], bytes]


class KeyPrompts(Protocol):
    def choose(self, mode: SetupMode, keychain: bool) -> tuple[str, bool] | None:
        """A new passphrase, and whether to keep the key in the keychain; None: cancel."""

    def unlock(self, attempt: PassphraseTry) -> bytes | None:
        """Ask until ``attempt`` gives the key; None when the person cancels."""


def passphrase_from_environment() -> str | None:
    path = os.environ.get(ENV_PASSPHRASE_FILE)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EncryptionError(
                _("{path}: the passphrase file cannot be read ({reason})").format(
                    path=path, reason=type(error).__name__
                )
            ) from error
        return text.rstrip("\r\n")
    return os.environ.get(ENV_PASSPHRASE) or None


def unlock_with_passphrase(db_path: Path, passphrase: str) -> bytes:
    """The key of user.db made from ``passphrase``; finishes a passphrase change that
    was cut short. WrongPassphraseError when the passphrase makes no matching key."""
    current = encryption.read_record(db_path)
    pending = encryption.read_record(db_path, pending=True)
    records = [record for record in (current, pending) if record is not None]
    if not records:
        raise EncryptionError(
            _("{path}: the key information is missing, so the data cannot be unlocked.").format(
                path=encryption.record_path(db_path)
            )
        )
    matched = False
    for record in records:
        key = encryption.derive_key(passphrase, record.profile, record.salt)
        if not encryption.key_matches(record, key):
            continue
        matched = True
        # With no user.db (removed, to be restored from a backup) the record decides.
        if not db_path.exists() or readable(db_path, key):
            _settle_records(db_path, chosen=record, pending=pending)
            return key
    if matched and pending is not None:
        # The data was re-keyed to the new passphrase just before a crash.
        raise WrongPassphraseError(
            _("That passphrase was just replaced by a new one: type the new passphrase.")
        )
    if matched:
        raise EncryptionError(
            _("{path}: the passphrase is right but the file cannot be read (damaged).").format(
                path=db_path
            )
        )
    raise WrongPassphraseError(_("Wrong passphrase."))


def _settle_records(db_path: Path, chosen: KeyRecord, pending: KeyRecord | None) -> None:
    """After a cut-short passphrase change, keep the record that opened the data."""
    if pending is None:
        return
    if chosen == pending:
        encryption.promote_pending_record(db_path)
    else:
        encryption.pending_record_path(db_path).unlink(missing_ok=True)


def key_from_keychain(db_path: Path) -> bytes | None:
    key = encryption.key_from_keychain(db_path)
    if key is None or not readable(db_path, key):
        return None
    return key


def open_key(db_path: Path, prompts: KeyPrompts) -> bytes | None:
    """The key for user.db, making one (and encrypting an earlier release's file) on
    the first start. None when the person cancels. Raises EncryptionError (or
    UserDatabaseError while encrypting) with a message fit to show."""
    state = database_state(db_path)
    from_environment = passphrase_from_environment()
    if state == "encrypted":
        key = key_from_keychain(db_path)
        if key is None and not encryption.candidate_records(db_path):
            # No passphrase can help: say so rather than ask for one.
            raise EncryptionError(
                _(
                    "{path}: the key information is missing, so the data cannot be "
                    "unlocked. Put back user.db.kdf.json from a copy of this folder."
                ).format(path=encryption.record_path(db_path))
            )
        if key is None and from_environment is not None:
            try:
                key = unlock_with_passphrase(db_path, from_environment)
            except WrongPassphraseError as error:
                raise WrongPassphraseError(
                    _("The passphrase given in {variable} is wrong.").format(
                        variable=ENV_PASSPHRASE_FILE
                        if os.environ.get(ENV_PASSPHRASE_FILE)
                        else ENV_PASSPHRASE
                    )
                ) from error
        if key is None:
            key = prompts.unlock(lambda passphrase: unlock_with_passphrase(db_path, passphrase))
        return key
    keychain = False
    if from_environment is not None:
        passphrase, remember = from_environment, False
    else:
        keychain = encryption.keychain_available()  # asked only when it can be offered
        chosen = prompts.choose(state, keychain)
        if chosen is None:
            return None
        passphrase, remember = chosen
    return set_up_key(db_path, passphrase, remember=remember and keychain, state=state)


def set_up_key(
    db_path: Path, passphrase: str, *, remember: bool, state: SetupMode = "new"
) -> bytes:
    """A new key from ``passphrase``; an unencrypted user.db is encrypted with it."""
    record, key = encryption.new_key(passphrase, keychain=remember)
    # A key an earlier record kept in the keychain is wrong now. Asked only then: the
    # keychain's libraries are large, and a key the records do not name is never used.
    kept_before = any(old.keychain for old in encryption.candidate_records(db_path))
    if state == "plaintext":
        encrypt_plaintext(
            db_path, key, on_verified=lambda: encryption.write_record(db_path, record)
        )
    else:
        encryption.write_record(db_path, record)
        encryption.pending_record_path(db_path).unlink(missing_ok=True)
    if kept_before:
        encryption.forget_key(db_path)
    if remember:
        set_remembered(db_path, key, True)
    return key


def set_remembered(db_path: Path, key: bytes, remember: bool) -> None:
    """Keep the key in the keychain, or take it out; the record says which."""
    record = encryption.read_record(db_path)
    if record is None:
        raise EncryptionError(_("The key information is missing."))
    if remember:
        encryption.remember_key(db_path, key)
    else:
        encryption.forget_key(db_path)
    encryption.write_record(db_path, record._replace(keychain=remember))


def change_passphrase(database: UserDatabase, new_passphrase: str) -> list[Path]:
    """Re-encrypt user.db (and its backups) with the key of a new passphrase.

    The new record is written aside first, so that a change cut short by a crash
    leaves data that either passphrase opens (``unlock_with_passphrase`` settles it).
    Returns the backups that could not be re-encrypted (left with the old key)."""
    db_path = database.path
    current = encryption.read_record(db_path)
    if current is None:
        raise EncryptionError(_("The key information is missing."))
    old_key = database.key
    assert old_key is not None
    record, new_key = encryption.new_key(new_passphrase, keychain=current.keychain)
    encryption.write_record(db_path, record, pending=True)
    try:
        database.rekey(new_key)
    except BaseException:
        encryption.pending_record_path(db_path).unlink(missing_ok=True)
        raise
    encryption.promote_pending_record(db_path)
    left = rekey_backups(db_path, old_key, new_key)
    if record.keychain:
        with contextlib.suppress(EncryptionError):  # the passphrase still opens it
            encryption.remember_key(db_path, new_key)
    return left


class ThrowawayPrompts:
    """For data made only for the moment (screenshots): a random passphrase that is
    never shown, and nothing to unlock later."""

    def choose(self, mode: SetupMode, keychain: bool) -> tuple[str, bool] | None:
        import secrets

        return secrets.token_urlsafe(24), False

    def unlock(self, attempt: PassphraseTry) -> bytes | None:
        return None
