"""Alembic environment for the clinic database, configured in code by actions.booking.db.

The engine to migrate is passed in ``config.attributes["engine"]``; without one the configured
database (CLINIC_DATABASE_URL) is used. SQLite gets batch mode so later migrations can alter tables.
"""

from alembic import context

from actions.booking.db import get_engine
from actions.booking.models import Base

config = context.config
engine = config.attributes.get("engine") or get_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
