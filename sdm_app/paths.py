"""Where the app finds its bundled files and keeps the user's data.

Every folder can be overridden by an environment variable; tests always set
``SDM_APP_DATA_DIR`` so they never touch a real user's folders.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from sdm_app import APP_NAME

ENV_DATA_DIR = "SDM_APP_DATA_DIR"
ENV_CACHE_DIR = "SDM_APP_CACHE_DIR"
ENV_ROOT = "SDM_APP_ROOT"
ENV_CONTENT_DB = "SDM_APP_CONTENT_DB"


def app_root() -> Path:
    """The folder holding content/, locales/ and resources/ (a checkout or a build)."""
    override = os.environ.get(ENV_ROOT)
    if override:
        return Path(override)
    return _installed_root()


@cache
def _installed_root() -> Path:
    # Resolved once: it cannot move while the app runs, and resolving touches the disk.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    return app_root() / "content"


def locales_dir() -> Path:
    return app_root() / "locales"


def resources_dir() -> Path:
    return app_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def user_data_dir() -> Path:
    """The user's private folder: user.db lives here."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override).resolve()
    else:
        import platformdirs  # deferred: only needed without the override

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def trusted_keys_dir() -> Path:
    """Public keys of the publishers whose signed packs the app accepts."""
    return resources_dir() / "keys"


def installed_packs_dir() -> Path:
    """Content packs the user installed (``sdm-app content install``)."""
    return user_data_dir() / "packs"


def user_cache_dir() -> Path:
    """Rebuildable files: the compiled content database and catalogues."""
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        path = Path(override).resolve()
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR]).resolve() / "cache"
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_db_path() -> Path:
    return user_data_dir() / "user.db"
