"""Why user.db could not be read or written, in words fit for a dialog or a log.

SQLAlchemy's own message carries the SQL statement and its parameters: a
consultation's label, notes and results. So only the database engine's message
(which names no stored value), sorted into a plain reason, or the kind of error
is ever shown or logged.
"""

from __future__ import annotations

import sqlite3

from sqlcipher3 import dbapi2

from sdm_app.i18n import N_, _

# Words of SQLite's own messages, and the reason to show for each.
_REASONS = (
    ("locked", N_("another copy of the app, or another program, is using it")),
    ("busy", N_("another copy of the app, or another program, is using it")),
    ("full", N_("the disk is full")),
    ("readonly", N_("the file or its folder is read-only")),
    ("read-only", N_("the file or its folder is read-only")),
    ("malformed", N_("the file is damaged")),
    ("not a database", N_("the file is damaged or is not a database")),
    ("unable to open", N_("the file could not be opened")),
    ("disk i/o", N_("the disk could not be read or written")),
    ("constraint", N_("a stored value was refused as invalid")),
)


def storage_reason(error: BaseException | str) -> str:
    """A short reason for ``error`` that never quotes SQL or stored values."""
    if isinstance(error, str):
        return error  # the store's own words
    original: BaseException = _engine_error(error)
    if isinstance(original, sqlite3.Error | dbapi2.Error):
        text = str(original).casefold()
        for words, reason in _REASONS:
            if words in text:
                return _(reason)
    if isinstance(original, OSError) and original.strerror:
        return original.strerror
    return _("an unexpected storage error ({kind})").format(kind=type(original).__name__)


def _engine_error(error: BaseException) -> BaseException:
    """The database engine's (or the system's) own error behind ``error``: SQLAlchemy
    keeps it as ``orig``, and the app's errors raised from it as their cause."""
    seen: BaseException | None = error
    for _depth in range(5):
        if seen is None:
            break
        original = getattr(seen, "orig", None) or seen
        if isinstance(original, sqlite3.Error | dbapi2.Error | OSError):
            return original
        seen = seen.__cause__
    return getattr(error, "orig", None) or error
