"""How a :class:`marsad.store.reads.Reads` fetches rows: ``run(sql, params) -> rows`` functions over a
store's own connection, per-thread read-only SQLite connections, or a small PostgreSQL connection pool.
Each turns backend errors into ``StoreError`` (the web app answers those with a 503, never a traceback)."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from marsad.errors import StoreError
from marsad.text import fold


def _fold(value: str | None) -> str:
    return fold(value) if value else ""


def add_fold_function(db: sqlite3.Connection) -> None:
    """``marsad_fold(text)`` in SQLite: the project's folding, so a name filter ignores hamza/alef/ya forms."""
    db.create_function("marsad_fold", 1, _fold, deterministic=True)


def locked(execute: Callable[[str, Sequence[Any]], Any], lock: Any, error: Callable[[Exception], StoreError],
           errors: type[Exception] | tuple[type[Exception], ...]) -> Callable[[str, Sequence[Any]], list[Any]]:
    """A run function over one shared connection (``execute(sql, params)`` returns a cursor), under ``lock``."""

    def run(sql: str, params: Sequence[Any]) -> list[Any]:
        with lock:
            try:
                return list(execute(sql, params).fetchall())
            except errors as exc:
                raise error(exc) from exc

    return run


class SQLiteReaders:
    """One read-only connection per thread to an SQLite file (WAL: readers never wait for the writer)."""

    def __init__(self, path: str) -> None:
        self.path = str(Path(path).resolve())
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30.0, check_same_thread=False)
                conn.execute("PRAGMA query_only = ON")
                add_fold_function(conn)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the store read-only: {exc}") from exc
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def run(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            return self.connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()


class PostgresPool:
    """At most ``size`` read-only PostgreSQL connections shared by threads (opened on demand, reused)."""

    def __init__(self, url: str, label: str, *, size: int = 8, connect_timeout_s: int = 10) -> None:
        self.url, self.label, self.timeout = url, label, connect_timeout_s
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout,
                                   options="-c default_transaction_read_only=on")
        except psycopg.Error as exc:
            raise StoreError(f"{self.label}: cannot connect: {str(exc).strip()}") from exc

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection for one read (waits while ``size`` are in use); a broken one is dropped after."""
        with self._slots:
            if self._closed:
                raise StoreError(f"{self.label}: the store is closed")
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                yield conn
            finally:
                if conn.closed or conn.broken or self._closed:
                    conn.close()
                else:
                    self._idle.put(conn)

    def run(self, sql: str, params: Sequence[Any]) -> list[Any]:
        import psycopg

        # PostgreSQL text cannot hold NUL, and no stored text contains one: such a value matches nothing, as
        # in SQLite, so it becomes a noncharacter that no stored text contains either (not an error)
        params = [p.replace("\x00", "\ufffe") if isinstance(p, str) else p for p in params]
        with self.connection() as conn:
            try:
                return conn.execute(sql, params).fetchall()  # type: ignore[no-any-return]
            except psycopg.Error as exc:
                raise StoreError(f"{self.label}: query failed: {str(exc).strip()}") from exc

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
