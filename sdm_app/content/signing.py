"""Signed content packs: keys, the manifest, signing and verification.

A signed pack holds two more files at its top:

- ``manifest.json``: the pack id and version (as in pack.yaml), an expiry date,
  the id of the signing key, and every other file of the pack with its size and
  SHA-256, sorted by path. It is written in one canonical form (sorted keys, two
  spaces of indent, UTF-8, a final newline), and those exact bytes are signed.
- ``manifest.sig``: the Ed25519 signature of those bytes, in base64, one line.

A pack is accepted only when the signature is valid for a trusted key, every file
matches its size and hash, no file is missing or unlisted, the expiry date has not
passed, and the version is not older than the one already installed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from sdm_app.content.archive import name_problem
from sdm_app.i18n import _

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PACK_FILE = "pack.yaml"
MANIFEST_FORMAT = 1
PUBLIC_KEY_SUFFIX = ".pub"
PRIVATE_KEY_SUFFIX = ".key"
DEFAULT_VALIDITY_DAYS = 365
# A signature for ever would keep trusting a pack its publisher has long withdrawn.
MAX_VALIDITY_DAYS = 5 * 366

_MAX_MANIFEST_BYTES = 32 * 1024 * 1024
_MAX_SIGNATURE_BYTES = 1024
_MAX_KEY_BYTES = 64 * 1024
_MAX_PACK_FILE_BYTES = 1024 * 1024
_HASH_CHUNK = 1024 * 1024
_VERSION = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,9}){0,7}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_KEY_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?")
_PACK_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?")


class SigningError(Exception):
    """Keys or signing failed; the message says why, for the user."""


class PackProblem(NamedTuple):
    """One reason to refuse a pack, naming the file concerned."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {' '.join(self.message.split())}"


# Versions -----------------------------------------------------------------------------


def parse_version(text: str) -> tuple[int, ...] | None:
    """``"2026.11.1"`` as ``(2026, 11, 1)``; None when not dotted whole numbers.

    Trailing zeros do not count: 2026.11 and 2026.11.0 are the same version.
    """
    if not isinstance(text, str) or not _VERSION.fullmatch(text):
        return None
    numbers = [int(part) for part in text.split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def is_older(version: str, than: str) -> bool:
    """True when ``version`` comes before ``than`` (both dotted numbers)."""
    mine, theirs = parse_version(version), parse_version(than)
    if mine is None or theirs is None:
        raise ValueError(f"not a version: {version!r} or {than!r}")
    return mine < theirs


# Keys ---------------------------------------------------------------------------------


def key_id(public_raw: bytes) -> str:
    """A short name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


@dataclass(slots=True)
class TrustedKeys:
    """The public keys packs may be signed with, by key id."""

    keys: dict[str, bytes] = field(default_factory=dict)  # key id -> raw 32-byte key
    problems: list[PackProblem] = field(default_factory=list)  # key files not usable
    folder: Path | None = None


def _public_raw(pem: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_trusted_keys(folder: Path) -> TrustedKeys:
    """Every ``*.pub`` file in ``folder``; unreadable ones are listed as problems."""
    trusted = TrustedKeys(folder=folder)
    try:
        paths = sorted(folder.iterdir())
    except OSError:
        return trusted  # no folder: no trusted keys
    for path in paths:
        if path.suffix != PUBLIC_KEY_SUFFIX or path.name.startswith("."):
            continue
        try:
            if not path.is_file() or path.stat().st_size > _MAX_KEY_BYTES:
                raise ValueError("not a key file")
            raw = _public_raw(path.read_bytes())
        except (OSError, ValueError, TypeError):
            trusted.problems.append(
                PackProblem(str(path), _("not an Ed25519 public key in PEM form; ignored"))
            )
            continue
        trusted.keys[key_id(raw)] = raw
    return trusted


@dataclass(frozen=True, slots=True)
class KeyPair:
    private: Path
    public: Path
    key_id: str


def generate_key_pair(folder: Path, name: str = "pack-signing") -> KeyPair:
    """A new Ed25519 key pair as ``NAME.key`` (private, mode 0600) and ``NAME.pub``.

    Refuses to overwrite existing files: a lost private key cannot be recovered.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not _KEY_NAME.fullmatch(name):
        raise SigningError(
            _("'{name}' is not a usable key name (letters, digits, dots and dashes)").format(
                name=name
            )
        )
    private_path = folder / f"{name}{PRIVATE_KEY_SUFFIX}"
    public_path = folder / f"{name}{PUBLIC_KEY_SUFFIX}"
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise SigningError(
                _("{path} already exists; choose another --out folder or --name").format(path=path)
            )
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_key = key.public_key()
    public_pem = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(private_path, flags, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_pem)
        os.chmod(private_path, 0o600)  # whatever the umask did
        descriptor = os.open(public_path, flags, 0o644)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(public_pem)
    except OSError as error:
        raise SigningError(
            _("cannot write the key files in {folder}: {reason}").format(
                folder=folder, reason=error.strerror or error
            )
        ) from None
    return KeyPair(private_path, public_path, key_id(raw))


def _load_private_key(path: Path) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        # Checked first: a pipe would wait forever, /dev/zero would never end.
        if not path.is_file():
            raise SigningError(
                _("{path}: cannot read the private key: {reason}").format(
                    path=path, reason=_("not a regular file")
                )
            )
        with path.open("rb") as handle:
            data = handle.read(_MAX_KEY_BYTES + 1)
        if len(data) > _MAX_KEY_BYTES:
            raise SigningError(
                _(
                    "{path}: not an Ed25519 private key (make one with 'sdm-app content keygen')"
                ).format(path=path)
            )
    except OSError as error:
        raise SigningError(
            _("{path}: cannot read the private key: {reason}").format(
                path=path, reason=error.strerror or error
            )
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise SigningError(
            _("{path}: the private key is protected by a password, which is not supported").format(
                path=path
            )
        ) from None
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(
            _("{path}: not an Ed25519 private key (make one with 'sdm-app content keygen')").format(
                path=path
            )
        )
    if os.name == "posix" and path.stat().st_mode & 0o077:
        # Anyone who can read it can sign packs this app trusts.
        raise SigningError(
            _(
                "{path}: the private key can be read by other users; make it private "
                "(chmod 600) and sign again"
            ).format(path=path)
        )
    return key


# The manifest -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    pack_id: str
    version: str
    expires: date
    key_id: str
    files: tuple[ManifestEntry, ...]

    def to_bytes(self) -> bytes:
        """The canonical bytes: what is written to manifest.json and signed."""
        document = {
            "format": MANIFEST_FORMAT,
            "pack": self.pack_id,
            "version": self.version,
            "expires": self.expires.isoformat(),
            "key_id": self.key_id,
            "files": [
                {"path": entry.path, "sha256": entry.sha256, "size": entry.size}
                for entry in self.files
            ],
        }
        return canonical_json(document)


def canonical_json(document: object) -> bytes:
    return (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )


class ManifestError(ValueError):
    """manifest.json cannot be read as a manifest; the message says why."""


def parse_manifest(data: bytes) -> Manifest:
    """The manifest in ``data``; raises ManifestError unless it is exactly canonical."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ManifestError(_("not valid JSON ({reason})").format(reason=error)) from None
    if not isinstance(document, dict):
        raise ManifestError(_("not a JSON object"))
    expected = {"format", "pack", "version", "expires", "key_id", "files"}
    if set(document) != expected:
        raise ManifestError(
            _("the fields must be exactly: {fields}").format(fields=", ".join(sorted(expected)))
        )
    if document["format"] != MANIFEST_FORMAT or isinstance(document["format"], bool):
        raise ManifestError(
            _("format {found} is not supported (this app reads format {known})").format(
                found=document["format"], known=MANIFEST_FORMAT
            )
        )
    pack_id, version = document["pack"], document["version"]
    if not isinstance(pack_id, str) or not _PACK_ID.fullmatch(pack_id):
        raise ManifestError(_("'pack' is not a pack id"))
    if not isinstance(version, str) or parse_version(version) is None:
        raise ManifestError(_("'version' is not a version such as 2026.11.1"))
    try:
        expires = date.fromisoformat(document["expires"])
    except (TypeError, ValueError):
        raise ManifestError(_("'expires' is not a date (YYYY-MM-DD)")) from None
    signer = document["key_id"]
    if not isinstance(signer, str) or not _KEY_ID.fullmatch(signer):
        raise ManifestError(_("'key_id' is not a key id"))
    files = document["files"]
    if not isinstance(files, list):
        raise ManifestError(_("'files' is not a list"))
    entries: list[ManifestEntry] = []
    for item in files:
        if (
            not isinstance(item, dict)
            or set(item) != {"path", "sha256", "size"}
            or not isinstance(item["path"], str)
            or not isinstance(item["sha256"], str)
            or not _SHA256.fullmatch(item["sha256"])
            or not isinstance(item["size"], int)
            or isinstance(item["size"], bool)
            or item["size"] < 0
        ):
            raise ManifestError(_("an entry of 'files' is not a path, sha256 and size"))
        problem = name_problem(item["path"])
        if problem is not None or item["path"] in (MANIFEST_NAME, SIGNATURE_NAME):
            raise ManifestError(
                _("'files' lists a path that is not allowed: {path}").format(path=item["path"])
            )
        entries.append(ManifestEntry(item["path"], item["sha256"], item["size"]))
    paths = [entry.path for entry in entries]
    if paths != sorted(paths) or len(set(paths)) != len(paths):
        raise ManifestError(_("'files' is not sorted by path, or lists a path twice"))
    manifest = Manifest(pack_id, version, expires, signer, tuple(entries))
    if manifest.to_bytes() != data:
        raise ManifestError(_("not in the canonical form written by 'sdm-app content sign'"))
    return manifest


def encode_signature(signature: bytes) -> bytes:
    return base64.b64encode(signature) + b"\n"


def decode_signature(data: bytes) -> bytes | None:
    """The 64 signature bytes, or None unless ``data`` is exactly as ``sign`` wrote it."""
    try:
        signature = base64.b64decode(data.rstrip(b"\n"), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(signature) != 64 or encode_signature(signature) != data:
        return None
    return signature


# Reading a pack folder --------------------------------------------------------------------


class _Listing(NamedTuple):
    files: dict[str, Path]  # relative path -> file, every regular file
    problems: list[PackProblem]


def _list_files(folder: Path, display: str) -> _Listing:
    """Every file in the pack except the manifest and signature; links are problems."""
    files: dict[str, Path] = {}
    problems: list[PackProblem] = []

    def walk(current: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(current), key=lambda entry: entry.name)
        except OSError as error:
            problems.append(
                PackProblem(
                    f"{display}/{prefix}".rstrip("/"),
                    _("cannot be read ({reason})").format(reason=error.strerror or error),
                )
            )
            return
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            shown = f"{display}/{relative}"
            if entry.is_symlink():
                problems.append(PackProblem(shown, _("a link; a pack may not contain links")))
            elif entry.is_dir(follow_symlinks=False):
                walk(Path(entry.path), f"{relative}/")
            elif not entry.is_file(follow_symlinks=False):
                problems.append(PackProblem(shown, _("not a regular file")))
            elif prefix or entry.name not in (MANIFEST_NAME, SIGNATURE_NAME):
                problem = name_problem(relative)
                if problem is not None:
                    problems.append(PackProblem(shown, problem))
                else:
                    files[relative] = Path(entry.path)

    walk(folder, "")
    return _Listing(files, problems)


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def read_pack_header(folder: Path) -> tuple[str | None, str | None]:
    """``(id, version)`` from pack.yaml, each None when missing or unreadable."""
    import yaml

    path = folder / PACK_FILE
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_PACK_FILE_BYTES:
            return None, None
        document = yaml.safe_load(path.read_bytes())
    except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None, None
    if not isinstance(document, dict):
        return None, None
    pack_id, version = document.get("id"), document.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        version = str(version)
    return (
        pack_id if isinstance(pack_id, str) else None,
        version if isinstance(version, str) else None,
    )


def read_manifest_header(folder: Path) -> tuple[str, str] | None:
    """``(pack id, version)`` from an unverified manifest.json, or None if unreadable."""
    path = folder / MANIFEST_NAME
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_MANIFEST_BYTES:
            return None
        return _manifest_header(path.read_bytes())
    except OSError:
        return None


def _manifest_header(data: bytes) -> tuple[str, str] | None:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    pack_id, version = document.get("pack"), document.get("version")
    if not isinstance(pack_id, str) or not isinstance(version, str):
        return None
    if parse_version(version) is None:
        return None
    return pack_id, version


# Signing ---------------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)


def sign_pack(
    folder: Path, private_key: Path, *, expires: date | None = None, today: date | None = None
) -> Manifest:
    """Write manifest.json and manifest.sig into the pack ``folder``.

    ``expires`` defaults to a year from today. Raises SigningError with every
    reason the pack cannot be signed (links, unsafe names, a bad pack.yaml).
    """
    from cryptography.hazmat.primitives import serialization

    today = today or date.today()
    expires = expires or today + timedelta(days=DEFAULT_VALIDITY_DAYS)
    if expires < today:
        raise SigningError(
            _("the expiry date {date} has already passed").format(date=expires.isoformat())
        )
    if expires > today + timedelta(days=MAX_VALIDITY_DAYS):
        raise SigningError(
            _("the expiry date {date} is more than five years away").format(
                date=expires.isoformat()
            )
        )
    key = _load_private_key(private_key)
    if not (folder / PACK_FILE).is_file():
        raise SigningError(
            _("{folder}: no pack.yaml; is this a pack folder?").format(folder=folder)
        )
    pack_id, version = read_pack_header(folder)
    problems: list[str] = []
    if pack_id is None or not _PACK_ID.fullmatch(pack_id):
        problems.append(_("{file}: 'id' is missing or not a pack id").format(file=PACK_FILE))
    if version is None or parse_version(version) is None:
        problems.append(
            _("{file}: 'version' must be dotted numbers, such as 2026.11.1").format(file=PACK_FILE)
        )
    listing = _list_files(folder, str(folder))
    problems.extend(str(problem) for problem in listing.problems)
    keys: dict[str, str] = {}
    for relative in listing.files:
        folded = relative.casefold()
        if folded in keys:
            problems.append(
                _("{folder}/{path}: differs from {other} only in case").format(
                    folder=folder, path=relative, other=keys[folded]
                )
            )
        keys[folded] = relative
    if problems:
        raise SigningError("\n".join(problems))
    assert pack_id is not None and version is not None
    entries = []
    for relative in sorted(listing.files):
        digest, size = _hash_file(listing.files[relative])
        entries.append(ManifestEntry(relative, digest, size))
    public_raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    manifest = Manifest(pack_id, version, expires, key_id(public_raw), tuple(entries))
    data = manifest.to_bytes()
    try:
        _write_atomic(folder / MANIFEST_NAME, data)
        _write_atomic(folder / SIGNATURE_NAME, encode_signature(key.sign(data)))
    except OSError as error:
        raise SigningError(
            _("{folder}: cannot write the manifest: {reason}").format(
                folder=folder, reason=error.strerror or error
            )
        ) from None
    return manifest


# Verifying ---------------------------------------------------------------------------------


@dataclass(slots=True)
class PackVerdict:
    """What verification found; the pack is accepted only when ``problems`` is empty."""

    folder: Path
    pack_id: str | None = None
    version: str | None = None
    expires: date | None = None
    key_id: str | None = None
    files: int = 0
    problems: list[PackProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _read_limited(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when it is missing, a link, not a file or too big."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return None
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None


def verify_pack(
    folder: Path,
    trusted: TrustedKeys,
    *,
    installed_version: str | None = None,
    today: date | None = None,
    display: str | None = None,
) -> PackVerdict:
    """Check the pack in ``folder`` against its signed manifest; never raises for bad input.

    ``installed_version`` is the version already in use (installed, or shipped
    with the app); an older pack is refused. ``display`` is how the folder is
    named in messages (default: the folder path).
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    today = today or date.today()
    shown = (display or str(folder)).rstrip("/")
    verdict = PackVerdict(folder)
    problems = verdict.problems

    def problem(name: str, message: str) -> None:
        problems.append(PackProblem(f"{shown}/{name}" if name else shown, message))

    if not folder.is_dir() or folder.is_symlink():
        problem("", _("not a pack folder"))
        return verdict
    manifest_bytes = _read_limited(folder / MANIFEST_NAME, _MAX_MANIFEST_BYTES)
    signature_bytes = _read_limited(folder / SIGNATURE_NAME, _MAX_SIGNATURE_BYTES)
    if manifest_bytes is None:
        problem(MANIFEST_NAME, _("missing or unreadable: the pack is not signed"))
    if signature_bytes is None:
        problem(SIGNATURE_NAME, _("missing or unreadable: the pack is not signed"))
    manifest: Manifest | None = None
    if manifest_bytes is not None:
        try:
            manifest = parse_manifest(manifest_bytes)
        except ManifestError as error:
            problem(MANIFEST_NAME, _("damaged or changed: {reason}").format(reason=error))
    if manifest is not None:
        verdict.pack_id, verdict.version = manifest.pack_id, manifest.version
        verdict.expires, verdict.key_id = manifest.expires, manifest.key_id
        verdict.files = len(manifest.files)

    # The signature, over the exact bytes of manifest.json.
    if manifest is not None and signature_bytes is not None:
        raw_key = trusted.keys.get(manifest.key_id)
        signature = decode_signature(signature_bytes)
        if raw_key is None:
            problem(
                SIGNATURE_NAME,
                _("signed with key {key}, which is not a trusted key").format(key=manifest.key_id),
            )
        elif signature is None:
            problem(SIGNATURE_NAME, _("damaged: not a signature as 'sdm-app content sign' writes"))
        else:
            try:
                Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, manifest_bytes or b"")
            except InvalidSignature:
                problem(
                    SIGNATURE_NAME,
                    _(
                        "the signature does not match manifest.json: the manifest or the "
                        "signature was changed after signing"
                    ),
                )

    # Expiry and version.
    if manifest is not None:
        if manifest.expires < today:
            problem(
                MANIFEST_NAME,
                _("the pack expired on {date}; ask its publisher for a newer one").format(
                    date=manifest.expires.isoformat()
                ),
            )
        elif manifest.expires > today + timedelta(days=MAX_VALIDITY_DAYS):
            problem(
                MANIFEST_NAME,
                _("the expiry date {date} is more than five years away").format(
                    date=manifest.expires.isoformat()
                ),
            )
        if (
            installed_version is not None
            and parse_version(installed_version) is not None
            and is_older(manifest.version, installed_version)
        ):
            problem(
                MANIFEST_NAME,
                _("version {version} is older than the version in use, {installed}").format(
                    version=manifest.version, installed=installed_version
                ),
            )
        pack_id, version = read_pack_header(folder)
        if pack_id != manifest.pack_id or version is None or version != manifest.version:
            problem(
                PACK_FILE,
                _(
                    "its id and version ({id} {version}) differ from the manifest's ({mid} {mv})"
                ).format(
                    id=pack_id or "-",
                    version=version or "-",
                    mid=manifest.pack_id,
                    mv=manifest.version,
                ),
            )

    # Every file: listed, same size, same hash; nothing more, nothing less.
    listing = _list_files(folder, shown)
    problems.extend(listing.problems)
    listed = {entry.path: entry for entry in manifest.files} if manifest else {}
    for relative, path in sorted(listing.files.items()):
        entry = listed.get(relative)
        if entry is None:
            if manifest is not None:
                problem(relative, _("not listed in the manifest (added after signing)"))
            continue
        try:
            if path.stat().st_size != entry.size or _hash_file(path) != (entry.sha256, entry.size):
                problem(relative, _("changed after signing (its SHA-256 differs)"))
        except OSError as error:
            problem(relative, _("cannot be read ({reason})").format(reason=error.strerror or error))
    for relative in sorted(set(listed) - set(listing.files)):
        problem(relative, _("listed in the manifest but missing"))
    return verdict
