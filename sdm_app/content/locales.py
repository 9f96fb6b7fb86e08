"""Which language codes the check accepts: the ones Babel knows, written its way."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def locale_error(code: str) -> str | None:
    """None when ``code`` is a known code in canonical form, else why it is not."""
    from babel import Locale  # deferred: Babel's data is only needed when checking

    try:
        canonical = str(Locale.parse(code, sep="_"))
    except Exception:  # Babel raises several kinds for unknown or malformed codes
        return f"'{code}' is not a known language code"
    if canonical != code:
        return f"'{code}' should be written '{canonical}'"
    return None
