"""The database: one engine for a URL (a SQLite file in the data directory by default, checked
for WAL and ``synchronous=FULL`` on every connection, or PostgreSQL), the schema, and the
Alembic migrations that build it (accounts in ``schema``, what people keep in ``records``).

May import: voice.errors.
"""

from voice.db import records as _records  # noqa: F401  (every table joins the metadata)
from voice.db.engine import default_url, open_database

__all__ = ["default_url", "open_database"]
