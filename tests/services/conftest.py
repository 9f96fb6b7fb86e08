"""Fixtures for the services tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sdm_app import paths
from sdm_app.storage.content_db import ContentLibrary


@pytest.fixture(scope="session")
def bundled_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentLibrary]:
    """The bundled content, built once for the session."""
    from sdm_app.content.freshness import ensure_content_db

    cache = tmp_path_factory.mktemp("bundled")
    with ContentLibrary.open(ensure_content_db(paths.content_dir(), cache)) as opened:
        yield opened
