"""Alembic environment: always run on the connection handed over by user_db."""

from __future__ import annotations

from alembic import context

from sdm_app.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
