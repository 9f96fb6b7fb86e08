"""Every test runs against throw-away folders: no real user data is read or written."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdm_app.storage.encryption import KdfProfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
# Copies of the shared test inputs (blns.json: the big list of naughty strings, MIT).
FIXTURES = Path(__file__).resolve().parent / "fixtures"


TEST_PASSPHRASE = "test passphrase, not a real one"
# Argon2id's smallest settings: keys in microseconds (the real profile takes ~0.15 s).
FAST_KDF = KdfProfile(1, 8, 1)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder per test run, so the bundled content is compiled once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_user_folders(
    tmp_path: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv("SDM_APP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SDM_APP_CACHE_DIR", str(shared_cache))
    monkeypatch.delenv("SDM_APP_CONTENT_DB", raising=False)
    # user.db is encrypted: the app takes this passphrase instead of asking, new keys
    # are made with a fast Argon2id profile, and the real keychain is never touched.
    from sdm_app.storage import encryption

    monkeypatch.setenv("SDM_APP_PASSPHRASE", TEST_PASSPHRASE)
    monkeypatch.delenv("SDM_APP_PASSPHRASE_FILE", raising=False)
    monkeypatch.setattr(encryption, "NEW_KEY_PROFILE", FAST_KDF)
    encryption.use_keychain_backend(None)
    yield data_dir
    from sdm_app import i18n

    i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture(scope="session")
def blns() -> list[str]:
    import json

    return [
        s
        for s in json.loads((FIXTURES / "blns.json").read_text(encoding="utf-8"))
        if isinstance(s, str)
    ]
