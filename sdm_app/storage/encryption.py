"""user.db encrypted at rest: the key, where it comes from, and where it may be kept.

The database (its write-ahead log and its backups too) is encrypted by SQLCipher 4
(AES-256, each page authenticated with HMAC-SHA512). Its key is 32 random-looking
bytes made from the user's passphrase with Argon2id, RFC 9106's second recommended
profile (3 passes over 64 MiB, 4 lanes), and a random salt. The key is handed to
SQLCipher raw (``PRAGMA key = "x'…'"``), so SQLCipher's own PBKDF2 is not run on top.

Beside user.db, ``user.db.kdf.json`` (0600) holds what is needed to make the key again
and nothing secret: the Argon2id parameters, the salt, and a check value (an HMAC of a
constant under the key) that tells a wrong passphrase from a damaged file without
opening the database. The passphrase itself is never stored.

When the user asks for it, the key (never the passphrase) is kept in the operating
system's keychain through ``keyring``. Only the keychains that live on this computer
are used (macOS Keychain, Windows Credential Locker, the Secret Service or KWallet over
the session's D-Bus): keyring's plug-ins and configuration file, which could name a
keychain on a network, are never consulted.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sdm_app.i18n import _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

KEY_BYTES = 32
SALT_BYTES = 16
# SQLCipher reads these first bytes in a plain SQLite file; an encrypted file starts
# with its random salt instead.
PLAIN_HEADER = b"SQLite format 3\x00"
KEYCHAIN_SERVICE = "sdm-app user.db"
_CHECK_MESSAGE = b"sdm-app user.db key check v1"
RECORD_FORMAT = 1
MIN_PASSPHRASE_LENGTH = 8


class KdfProfile(NamedTuple):
    time_cost: int  # passes
    memory_kib: int
    parallelism: int  # lanes


# RFC 9106, section 4, the second recommended option (for memory-constrained uses):
# t=3, 64 MiB, p=4. About 0.15 s on a 2-CPU virtual machine.
RFC9106_LOW_MEMORY = KdfProfile(3, 64 * 1024, 4)
# The profile new keys are made with. Tests put a fast one here; the profile of an
# existing key is always read from its record, so a key keeps its own.
NEW_KEY_PROFILE = RFC9106_LOW_MEMORY


class EncryptionError(Exception):
    """The data cannot be unlocked or re-keyed; the message names the file, never a key."""


class WrongPassphraseError(EncryptionError):
    pass


class KeyRecord(NamedTuple):
    """What ``user.db.kdf.json`` holds: how to make the key again, and how to check it."""

    profile: KdfProfile
    salt: bytes
    check: bytes
    keychain: bool = False  # the key is also kept in the operating system's keychain

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": RECORD_FORMAT,
                "kdf": "argon2id",
                "argon2_version": 19,
                "time_cost": self.profile.time_cost,
                "memory_kib": self.profile.memory_kib,
                "parallelism": self.profile.parallelism,
                "key_bytes": KEY_BYTES,
                "salt": self.salt.hex(),
                "key_check": self.check.hex(),
                "keychain": self.keychain,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> KeyRecord:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("kdf") != "argon2id":
            raise ValueError("not an Argon2id key record")
        profile = KdfProfile(
            int(data["time_cost"]), int(data["memory_kib"]), int(data["parallelism"])
        )
        return cls(
            profile,
            bytes.fromhex(str(data["salt"])),
            bytes.fromhex(str(data["key_check"])),
            bool(data.get("keychain", False)),
        )


def record_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".kdf.json")


def pending_record_path(db_path: Path) -> Path:
    """A new record written before a passphrase change; made current after it."""
    return db_path.with_name(db_path.name + ".kdf.json.new")


def normalized(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard or system may arrive composed
    # differently; NFC makes it the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, profile: KdfProfile, salt: bytes) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        normalized(passphrase),
        salt,
        time_cost=profile.time_cost,
        memory_cost=profile.memory_kib,
        parallelism=profile.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def check_value(key: bytes) -> bytes:
    return hmac.new(key, _CHECK_MESSAGE, hashlib.sha256).digest()


def key_matches(record: KeyRecord, key: bytes) -> bool:
    return hmac.compare_digest(record.check, check_value(key))


def new_key(passphrase: str, *, keychain: bool = False) -> tuple[KeyRecord, bytes]:
    """A fresh salt and the key the passphrase makes with it."""
    profile = NEW_KEY_PROFILE
    salt = secrets.token_bytes(SALT_BYTES)
    key = derive_key(passphrase, profile, salt)
    return KeyRecord(profile, salt, check_value(key), keychain), key


def key_pragma(key: bytes) -> str:
    """SQLCipher's statement for a raw 256-bit key (its own key derivation is skipped)."""
    if len(key) != KEY_BYTES:
        raise ValueError("a database key has 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def rekey_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key has 32 bytes")
    return f"PRAGMA rekey = \"x'{key.hex()}'\""


def read_record(db_path: Path, *, pending: bool = False) -> KeyRecord | None:
    path = pending_record_path(db_path) if pending else record_path(db_path)
    try:
        return KeyRecord.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EncryptionError(
            _("{path}: the key information is damaged ({kind})").format(
                path=path, kind=type(error).__name__
            )
        ) from error


def write_record(db_path: Path, record: KeyRecord, *, pending: bool = False) -> None:
    """Written whole or not at all (a temporary file, then a rename), readable by the
    owner only."""
    path = pending_record_path(db_path) if pending else record_path(db_path)
    write_private_text(path, record.to_json())


def promote_pending_record(db_path: Path) -> None:
    os.replace(pending_record_path(db_path), record_path(db_path))


def write_private_text(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


DatabaseState = Literal["new", "plaintext", "encrypted"]


def database_state(db_path: Path) -> DatabaseState:
    """Whether user.db is still to be made, an unencrypted file from an earlier
    release, or encrypted."""
    try:
        with db_path.open("rb") as handle:
            header = handle.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return "new"
    if not header:
        return "new"
    return "plaintext" if header == PLAIN_HEADER else "encrypted"


def candidate_records(db_path: Path) -> list[KeyRecord]:
    """The current key record, and the one of a passphrase change that was cut short
    (either may be the database's key until the change is finished)."""
    found = [read_record(db_path), read_record(db_path, pending=True)]
    return [record for record in found if record is not None]


# ---------------------------------------------------------------------------------
# The operating system's keychain


class _Unset:
    pass


_UNSET = _Unset()
_backend_override: KeyringBackend | _Unset | None = _UNSET


def use_keychain_backend(backend: KeyringBackend | None) -> None:
    """Use this keyring backend (tests), or none at all (None)."""
    global _backend_override
    _backend_override = backend


def _local_backend() -> KeyringBackend | None:
    """The operating system's own keychain, when it answers: never one from a plug-in
    or a configuration file, which might be reached over a network."""
    candidates: list[tuple[str, str]] = []
    if sys.platform == "darwin":
        candidates = [("keyring.backends.macOS", "Keyring")]
    elif sys.platform == "win32":
        candidates = [("keyring.backends.Windows", "WinVaultKeyring")]
    elif sys.platform.startswith(("linux", "freebsd", "openbsd")):
        candidates = [
            ("keyring.backends.SecretService", "Keyring"),
            ("keyring.backends.kwallet", "DBusKeyring"),
        ]
    import importlib

    for module_name, class_name in candidates:
        with contextlib.suppress(Exception):  # a backend that cannot load is no keychain
            backend_class = getattr(importlib.import_module(module_name), class_name)
            if backend_class.viable and backend_class.priority > 0:
                backend: KeyringBackend = backend_class()
                return backend
    return None


def keychain_backend() -> KeyringBackend | None:
    if not isinstance(_backend_override, _Unset):
        return _backend_override
    return _local_backend()


def keychain_available() -> bool:
    return keychain_backend() is not None


def _keychain_user(db_path: Path) -> str:
    return str(db_path.resolve())


def remember_key(db_path: Path, key: bytes) -> None:
    backend = keychain_backend()
    if backend is None:
        raise EncryptionError(_("No keychain is available on this computer."))
    try:
        backend.set_password(KEYCHAIN_SERVICE, _keychain_user(db_path), key.hex())
    except Exception as error:  # keyring raises its own errors and the system's
        raise EncryptionError(
            _("The keychain refused to keep the key ({kind}).").format(kind=type(error).__name__)
        ) from error


def recall_key(db_path: Path) -> bytes | None:
    """The key kept in the keychain, or None (none kept, or no keychain answers)."""
    backend = keychain_backend()
    if backend is None:
        return None
    try:
        text = backend.get_password(KEYCHAIN_SERVICE, _keychain_user(db_path))
        key = bytes.fromhex(text) if text else None
    except Exception:  # a locked or missing keychain: the passphrase is asked instead
        return None
    return key if key is not None and len(key) == KEY_BYTES else None


def forget_key(db_path: Path) -> None:
    backend = keychain_backend()
    if backend is None:
        return
    with contextlib.suppress(Exception):  # nothing kept is fine
        backend.delete_password(KEYCHAIN_SERVICE, _keychain_user(db_path))


def key_from_keychain(db_path: Path) -> bytes | None:
    """The remembered key when the record says it is kept and it still matches."""
    records = candidate_records(db_path)
    if not any(record.keychain for record in records):
        return None
    key = recall_key(db_path)
    if key is None:
        return None
    if any(key_matches(record, key) for record in records):
        return key
    return None


def passphrase_strength(passphrase: str) -> int:
    """0 (too short) to 3 (strong): a hint for the person choosing, not a guarantee."""
    length = len(passphrase)
    if length < MIN_PASSPHRASE_LENGTH:
        return 0
    kinds = sum(
        any(test(char) for char in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if length >= 20 or (length >= 16 and (kinds >= 3 or words >= 4)):
        return 3
    if length >= 12 or kinds >= 3:
        return 2
    return 1
