"""Alembic migrations of user.db; ``HEAD_REVISION`` names the newest one."""

from __future__ import annotations

# Checked against the scripts by a test, so start-up can skip importing Alembic
# when the database is already current.
HEAD_REVISION = "0005"
