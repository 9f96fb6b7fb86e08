"""The bundled pack's clinical knowledge, read from its files, for tests that need
the real rules without building a content database."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sdm_app.content.knowledgefile import stored_knowledge
from sdm_app.content.validate import check_content
from sdm_app.core.knowledge import Knowledge

CORE = Path(__file__).resolve().parents[1] / "content" / "core"


@lru_cache(maxsize=4)
def bundled_knowledge(locale: str = "en") -> Knowledge:
    checked = check_content(CORE)
    stored = stored_knowledge(checked.packs[0], locale)
    assert stored is not None
    return Knowledge.from_mapping(stored)
