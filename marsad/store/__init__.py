"""Where analyses live: ``open_store(url)`` returns a :class:`Store` (SQLite today; PostgreSQL later).

    from marsad.store import open_store
    with open_store("news.db") as store:
        store.add(analyses)                      # one transaction; re-adding is a no-op
        result = store.search('"الاتفاق الأمني" OR اسرائيل -غزة', since="2017-01-01")

Search syntax: :mod:`marsad.store.query`. The interface and its contract: :mod:`marsad.store.base`.
"""

from __future__ import annotations

import os

from marsad.errors import QueryError, StoreError
from marsad.store.base import MARKERS, AddReport, SearchHit, SearchResult, Store

__all__ = ["MARKERS", "AddReport", "QueryError", "SearchHit", "SearchResult", "Store", "StoreError",
           "default_url", "open_store"]


def default_url() -> str:
    """The store used when none is given: ``$MARSAD_DB``, else ``marsad.db`` in the working directory."""
    return os.environ.get("MARSAD_DB") or "marsad.db"


def open_store(url: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (and, unless ``create=False``, create) the store at a path, ``sqlite:///path`` or a PostgreSQL URL."""
    target = os.fspath(url) if url is not None else default_url()
    if not target.strip():
        raise StoreError("empty store path: give an SQLite file (e.g. marsad.db) or a postgresql:// URL")
    if target.startswith(("postgresql://", "postgres://")):
        from marsad.store.postgres import PostgresStore  # lazy: psycopg is only needed for PostgreSQL

        return PostgresStore(target, create=create)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///"):] or ":memory:"
    elif target.startswith("sqlite://"):
        target = target[len("sqlite://"):] or ":memory:"
    elif "://" in target:
        raise StoreError(f"unknown store URL {target!r}: give an SQLite path or a postgresql:// URL")
    from marsad.store.sqlite import SQLiteStore

    return SQLiteStore(target, create=create)
