"""The take-home copy: one consultation in a single encrypted file (``.sdmc``).

The clinician gives the patient a copy; the patient opens it in their own copy of the
app, changes ratings, questions and reasons with their family, saves a copy back, and
the clinician imports it at the next visit after seeing what changed
(``services.take_home_diff``).

The file, all integers big-endian::

    magic            8 bytes   89 53 44 4D 43 0D 0A 1A  ("\\x89SDMC\\r\\n\\x1a")
    format version   2 bytes   1
    header length    2 bytes   N, 1 to 4096
    header           N bytes   UTF-8 JSON: app version, cipher, KDF (Argon2id), its
                               parameters, salt, nonce, and a key check value
    body             ...       AES-256-GCM ciphertext of the payload, its 16-byte tag
                               last; the associated data is every byte before the body
    digest           32 bytes  SHA-256 of every byte before it

The key is made from the patient's passphrase with Argon2id, with the parameters and
helpers user.db's key uses (``storage.encryption``) and a fresh salt; each file has a
fresh nonce. The header is authenticated as associated data, so no byte of the file
can change without the file being refused. The digest tells accidental damage (a
truncated download, a bad USB stick) from a wrong passphrase before any key is made,
and the key check value tells a wrong passphrase from a file changed on purpose.

The payload is UTF-8 JSON: the consultation (``core.consultation_mapping``, so new
fields travel without a change here), the content pack ids and versions, the decision
aid and library pages it refers to with their versions, the app version and when the
copy was made. Nothing about other patients; clinician notes only when asked for.

Reading never changes anything: every problem is a ``CopyError`` whose message is one
line fit for a dialog (it names the file, never what the file holds).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from sdm_app import __version__
from sdm_app.core.consultation import Consultation
from sdm_app.core.consultation_mapping import consultation_from_mapping, consultation_to_mapping
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.library import Module, PackInfo
from sdm_app.i18n import _
from sdm_app.services.cards import ContentSource
from sdm_app.storage import encryption
from sdm_app.storage.encryption import (
    SALT_BYTES,
    EncryptionError,
    KdfProfile,
    WrongPassphraseError,
    derive_key,
)

if TYPE_CHECKING:
    from sdm_app.storage.consultations import ConsultationStore

SUFFIX = ".sdmc"
MAGIC = b"\x89SDMC\r\n\x1a"
FORMAT_VERSION = 1
CIPHER = "AES-256-GCM"
KDF = "argon2id"
ARGON2_VERSION = 19  # 0x13, Argon2 version 1.3
NONCE_BYTES = 12
TAG_BYTES = 16
DIGEST_BYTES = 32
MAX_HEADER_BYTES = 4096
MAX_FILE_BYTES = 16 * 1024 * 1024  # a consultation is a few kilobytes
_PREFIX = struct.Struct(">8sHH")  # magic, format version, header length
_KEY_CHECK_MESSAGE = b"sdm-app take-home copy key check v1"
PAYLOAD_KIND = "sdm-app consultation copy"

# What a file may ask Argon2id for: a changed header must not make the app allocate
# gigabytes or run for minutes before it finds the file is not genuine.
MAX_TIME_COST = 10
MAX_MEMORY_KIB = 256 * 1024
MAX_PARALLELISM = 16


class CopyError(EncryptionError):
    """A copy that cannot be read or written; the message is one line and says why."""


class NotACopyError(CopyError):
    pass


class DamagedCopyError(CopyError):
    pass


class NewerCopyError(CopyError):
    """Made by a newer version of the app, in a format this one does not know."""


class CopyPassphraseError(WrongPassphraseError, CopyError):
    pass


class PackVersion(NamedTuple):
    id: str
    name: str
    version: str


class ItemVersion(NamedTuple):
    """A decision aid or a library page, and the version of its source text."""

    id: str
    version: int
    pack_id: str
    pack_version: str


class ContentVersions(NamedTuple):
    packs: tuple[PackVersion, ...] = ()
    decision_aid: ItemVersion | None = None
    modules: tuple[ItemVersion, ...] = ()


@dataclass(frozen=True, slots=True)
class TakeHomeCopy:
    consultation: Consultation  # not stored here: no id, no revision
    content: ContentVersions
    made_at: datetime
    app_version: str = __version__
    clinician_notes_included: bool = False


class CopyHeader(NamedTuple):
    format_version: int
    app_version: str
    profile: KdfProfile
    salt: bytes
    nonce: bytes
    key_check: bytes
    associated: bytes  # every byte before the body
    body: bytes  # ciphertext and tag


class CopyContent(ContentSource, Protocol):
    """What a copy reads from the content library (``ContentLibrary`` fits)."""

    def decision_aid(self, aid_id: str, locale: str) -> DecisionAid | None: ...

    def packs(self) -> list[PackInfo]: ...


# -- making a copy ----------------------------------------------------------------


def content_versions(
    consultation: Consultation, library: CopyContent, locale: str
) -> ContentVersions:
    """The packs, the decision aid and the library pages ``consultation`` shows."""
    from sdm_app.services.documents.summary import modules_shown

    packs = tuple(PackVersion(p.id, p.name, p.version) for p in library.packs())
    aid = (
        library.decision_aid(consultation.decision_aid_id, locale)
        if consultation.decision_aid_id
        else None
    )
    modules: list[Module] = modules_shown(consultation, library, locale)
    return ContentVersions(
        packs,
        _item_version(aid) if aid is not None else None,
        tuple(_item_version(module) for module in modules),
    )


def _item_version(item: DecisionAid | Module) -> ItemVersion:
    return ItemVersion(item.id, item.source_version, item.pack_id, item.pack_version)


def without_clinician_notes(consultation: Consultation) -> Consultation:
    """The consultation with the clinician's notes (its own and each result's) empty."""
    return replace(
        consultation,
        clinician_notes="",
        results=tuple(replace(result, clinician_note="") for result in consultation.results),
    )


def make_copy(
    consultation: Consultation,
    content: ContentVersions,
    *,
    include_clinician_notes: bool = False,
    now: datetime | None = None,
) -> TakeHomeCopy:
    """A copy of ``consultation`` to give away: not tied to this app's database (no
    ids, no revision), and without clinician notes unless ``include_clinician_notes``."""
    copied = replace(
        consultation,
        id=None,
        revision="",
        results=tuple(replace(result, id=None) for result in consultation.results),
    )
    if not include_clinician_notes:
        copied = without_clinician_notes(copied)
    return TakeHomeCopy(
        copied,
        content,
        now or datetime.now().replace(microsecond=0),
        __version__,
        include_clinician_notes,
    )


def encode_copy(copy: TakeHomeCopy, passphrase: str, *, profile: KdfProfile | None = None) -> bytes:
    """The file's bytes, encrypted with a key made from ``passphrase``."""
    if len(passphrase) < encryption.MIN_PASSPHRASE_LENGTH:
        raise CopyError(
            _("The passphrase needs at least {count} characters.").format(
                count=encryption.MIN_PASSPHRASE_LENGTH
            )
        )
    profile = profile or encryption.NEW_KEY_PROFILE
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = derive_key(passphrase, profile, salt)
    header = json.dumps(
        {
            "app_version": copy.app_version,
            "cipher": CIPHER,
            "kdf": KDF,
            "argon2_version": ARGON2_VERSION,
            "time_cost": profile.time_cost,
            "memory_kib": profile.memory_kib,
            "parallelism": profile.parallelism,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "key_check": _key_check(key).hex(),
        },
        sort_keys=True,
    ).encode("utf-8")
    associated = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(header)) + header
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = AESGCM(key).encrypt(nonce, _payload(copy), associated)
    data = associated + body
    return data + hashlib.sha256(data).digest()


def write_copy(path: Path, copy: TakeHomeCopy, passphrase: str) -> Path:
    """Write the copy to ``path`` whole or not at all; the path written is returned."""
    from sdm_app.services.atomic_write import write_atomically

    data = encode_copy(copy, passphrase)
    try:
        write_atomically(path, data)
    except OSError as error:
        raise CopyError(
            _("{name}: the copy could not be saved ({reason}).").format(
                name=path.name, reason=error.strerror or type(error).__name__
            )
        ) from error
    return path


def _key_check(key: bytes) -> bytes:
    return hmac.new(key, _KEY_CHECK_MESSAGE, hashlib.sha256).digest()


def _payload(copy: TakeHomeCopy) -> bytes:
    content = copy.content
    document = {
        "kind": PAYLOAD_KIND,
        "made_at": copy.made_at.isoformat(),
        "app_version": copy.app_version,
        "clinician_notes_included": copy.clinician_notes_included,
        "consultation": consultation_to_mapping(copy.consultation),
        "content": {
            "packs": [p._asdict() for p in content.packs],
            "decision_aid": content.decision_aid._asdict() if content.decision_aid else None,
            "modules": [m._asdict() for m in content.modules],
        },
    }
    # ASCII escapes: any text, even a lone surrogate, reads back exactly.
    return json.dumps(document, ensure_ascii=True, sort_keys=True).encode("ascii")


# -- reading a copy ---------------------------------------------------------------


def read_copy_file(path: Path) -> bytes:
    """The file's bytes; ``CopyError`` when it cannot be read or is far too large."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CopyError(
            _("{name}: the file could not be read ({reason}).").format(
                name=path.name, reason=error.strerror or type(error).__name__
            )
        ) from error
    if len(data) > MAX_FILE_BYTES:
        raise NotACopyError(
            _("{name} is too large to be a consultation copy.").format(name=path.name)
        )
    return data


def read_header(data: bytes, name: str = "") -> CopyHeader:
    """The header of a copy, checked: a file that is not a copy, is damaged, or comes
    from a newer format is refused here, before a passphrase is asked."""
    name = name or _("The copy")
    if len(data) < len(MAGIC):
        if MAGIC.startswith(data[: len(MAGIC)]) and data:
            raise _damaged(name)
        raise NotACopyError(_("{name} is not a consultation copy.").format(name=name))
    if data[: len(MAGIC)] != MAGIC:
        raise NotACopyError(_("{name} is not a consultation copy.").format(name=name))
    if len(data) < _PREFIX.size:
        raise _damaged(name)
    _magic, version, length = _PREFIX.unpack_from(data)
    if version > FORMAT_VERSION:
        raise NewerCopyError(
            _(
                "{name} was made by a newer version of the app (file format {found}); "
                "this version reads format {known}. Update the app to open it."
            ).format(name=name, found=version, known=FORMAT_VERSION)
        )
    if version < 1 or not 0 < length <= MAX_HEADER_BYTES:
        raise _damaged(name)
    end = _PREFIX.size + length
    if len(data) < end + TAG_BYTES + DIGEST_BYTES:
        raise _damaged(name)
    content, digest = data[:-DIGEST_BYTES], data[-DIGEST_BYTES:]
    if not hmac.compare_digest(hashlib.sha256(content).digest(), digest):
        raise _damaged(name)
    try:
        fields = json.loads(data[_PREFIX.size : end].decode("utf-8"))
        return CopyHeader(
            version,
            _text(fields, "app_version"),
            _profile(fields),
            _hex(fields, "salt", 8, 64),
            _hex(fields, "nonce", NONCE_BYTES, NONCE_BYTES),
            _hex(fields, "key_check", 32, 32),
            data[:end],
            content[end:],
        )
    except (ValueError, TypeError, KeyError) as error:
        raise _damaged(name) from error


def decode_copy(data: bytes, passphrase: str, name: str = "") -> TakeHomeCopy:
    """The copy in ``data``, decrypted with ``passphrase``."""
    header = read_header(data, name)
    name = name or _("The copy")
    key = derive_key(passphrase, header.profile, header.salt)
    if not hmac.compare_digest(_key_check(key), header.key_check):
        raise CopyPassphraseError(_("Wrong passphrase for {name}.").format(name=name))
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        payload = AESGCM(key).decrypt(header.nonce, header.body, header.associated)
    except InvalidTag:
        raise DamagedCopyError(
            _("{name} was changed after it was made and cannot be trusted.").format(name=name)
        ) from None
    try:
        return _copy_from(json.loads(payload.decode("utf-8")))
    except (ValueError, TypeError, KeyError) as error:
        raise _damaged(name) from error


def open_copy(path: Path, passphrase: str) -> TakeHomeCopy:
    return decode_copy(read_copy_file(path), passphrase, path.name)


def _damaged(name: str) -> DamagedCopyError:
    return DamagedCopyError(
        _("{name} is damaged or incomplete; it cannot be opened.").format(name=name)
    )


def _text(fields: Any, key: str) -> str:
    value = fields[key]
    if not isinstance(value, str):
        raise TypeError(key)
    return value


def _integer(fields: Any, key: str, low: int, high: int) -> int:
    value = fields[key]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(key)
    return value


def _hex(fields: Any, key: str, shortest: int, longest: int) -> bytes:
    value = bytes.fromhex(_text(fields, key))
    if not shortest <= len(value) <= longest:
        raise ValueError(key)
    return value


def _profile(fields: Any) -> KdfProfile:
    if fields["cipher"] != CIPHER or fields["kdf"] != KDF:
        raise ValueError("cipher")
    if fields["argon2_version"] != ARGON2_VERSION:
        raise ValueError("argon2_version")
    parallelism = _integer(fields, "parallelism", 1, MAX_PARALLELISM)
    return KdfProfile(
        _integer(fields, "time_cost", 1, MAX_TIME_COST),
        _integer(fields, "memory_kib", 8 * parallelism, MAX_MEMORY_KIB),
        parallelism,
    )


def _copy_from(document: Any) -> TakeHomeCopy:
    if not isinstance(document, dict) or document.get("kind") != PAYLOAD_KIND:
        raise ValueError("not a consultation copy")
    consultation = consultation_from_mapping(document["consultation"])
    # Ratings outside 0..4 are none the store would keep.
    ratings = {
        key: value
        for key, value in consultation.value_ratings.items()
        if isinstance(value, int) and 0 <= value <= 4
    }
    content = document.get("content") or {}
    aid = content.get("decision_aid")
    return TakeHomeCopy(
        replace(consultation, value_ratings=ratings),
        ContentVersions(
            tuple(_pack(item) for item in content.get("packs", ())),
            _item(aid) if aid else None,
            tuple(_item(item) for item in content.get("modules", ())),
        ),
        datetime.fromisoformat(_text(document, "made_at")),
        _text(document, "app_version"),
        document.get("clinician_notes_included") is True,
    )


def _pack(item: Any) -> PackVersion:
    return PackVersion(_text(item, "id"), _text(item, "name"), _text(item, "version"))


def _item(item: Any) -> ItemVersion:
    return ItemVersion(
        _text(item, "id"),
        _integer(item, "version", 0, 2**31),
        _text(item, "pack_id"),
        _text(item, "pack_version"),
    )


# -- the copy and this app's store ------------------------------------------------


def source_in(store: ConsultationStore, copy: TakeHomeCopy) -> int | None:
    """The stored consultation the copy was made from (the one started at the same
    moment; the most recently changed if several), or None."""
    started = copy.consultation.created_at
    return next((entry.id for entry in store.listing() if entry.created_at == started), None)


def save_as_new(store: ConsultationStore, copy: TakeHomeCopy) -> Consultation:
    """The copy stored as a new consultation of this app (the patient's at home): it
    keeps the moment it was started, so the clinic recognises it when it comes back."""
    return store.save(replace(copy.consultation, id=None, revision=""))
