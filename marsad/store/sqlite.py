"""SQLite store: one file, WAL mode (readers never wait), one writer at a time (BEGIN IMMEDIATE), FTS5 search.

Each ``add`` is one transaction, so a crash (even SIGKILL) leaves the store as it was before the call or
after it, never in between. ``synchronous=NORMAL`` in WAL mode keeps that guarantee for process crashes; a
power cut may lose the last commits but never corrupts the file (pass ``durable=True`` for FULL).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from marsad.errors import MarsadError, StoreError
from marsad.model import Analysis
from marsad.store import read_conns
from marsad.store.base import MARKERS, AddReport, SearchResult, Store
from marsad.store.rows import INSERTS_SQLITE, Rows, copy_key, copy_label, copy_row, document_rows
from marsad.store.schema_sqlite import MIGRATIONS, SCHEMA_VERSION
from marsad.store.search_sqlite import run_search

if TYPE_CHECKING:
    from marsad.store.tracking import Tracking

_CHUNK = 500  # ids per IN (...) list
T = TypeVar("T")


def _chunks(seq: list[Any], n: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would COMMIT our transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


class SQLiteStore(Store):
    """The default store: a single SQLite file (or ``:memory:``)."""

    #: Duplicates and stories are kept in tables at ``add`` (``list_stories`` etc. are lookups, not replays).
    tracks_at_ingest = True

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True, busy_timeout_s: float = 30.0,
                 durable: bool = False, track: bool = True) -> None:
        self.path = str(path)
        #: Observe each new article for near-duplicates and stories at ``add`` (``marsad.store.tracking``).
        self.track = track
        self._tracking: Tracking | None = None  # rebuilt from the rows on first use
        self._lock = threading.RLock()  # one connection shared by threads: serialise its use
        self._readers: read_conns.SQLiteReaders | None = None  # per-thread read-only connections, on first read
        self._readers_lock = threading.Lock()
        memory = self.path == ":memory:"
        if not memory and not create and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no store here (ingest something first, or check --db)")
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout_s, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            self._db.execute("PRAGMA foreign_keys = ON")
            if not memory:
                mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"{self.path}: cannot switch the store to WAL mode (got {mode})")
            self._db.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self._db.execute("PRAGMA journal_size_limit = 67108864")  # shrink the WAL after big batches
            read_conns.add_fold_function(self._db)
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error("cannot open the store", exc) from exc
        except StoreError:
            self._db.close()
            raise

    # -- plumbing -------------------------------------------------------------------------------------

    def _error(self, doing: str, exc: sqlite3.Error) -> StoreError:
        msg = str(exc)
        if "locked" in msg or "busy" in msg:
            msg = "the store is busy (another process holds the write lock); try again when it finishes"
        elif "not a database" in msg:
            msg = "not a Marsad store (the file is not an SQLite database)"
        return StoreError(f"{self.path}: {doing}: {msg}")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: store schema v{version} is newer than this Marsad "
                             f"(v{SCHEMA_VERSION}); upgrade Marsad")
        if version == SCHEMA_VERSION:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]  # another opener may have won
            if version == 0 and self._db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchone()[0]:
                raise StoreError(f"{self.path}: not a Marsad store (it holds other tables)")
            for step in range(version, SCHEMA_VERSION):
                for stmt in _statements(MIGRATIONS[step]):
                    self._db.execute(stmt)
                self._db.execute(f"PRAGMA user_version = {step + 1}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _max_pk(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(pk), 0) FROM documents").fetchone()[0])

    def _known(self, shas: list[str]) -> dict[str, int]:
        known: dict[str, int] = {}
        for part in _chunks(shas):
            q = f"SELECT sha256, pk FROM documents WHERE sha256 IN ({','.join('?' * len(part))})"
            known.update(self._db.execute(q, part).fetchall())
        return known

    def _copies(self, pks: list[int]) -> set[tuple[int, str, str]]:
        out: set[tuple[int, str, str]] = set()
        for part in _chunks(pks):
            q = f"SELECT doc, source, record FROM copies WHERE doc IN ({','.join('?' * len(part))})"
            out.update(self._db.execute(q, part).fetchall())
        return out

    # -- writing --------------------------------------------------------------------------------------

    def _prepare(self, items: list[Analysis], shas: list[str], known: dict[str, int], base: int,
                 now: str, replace: bool) -> dict[str, Rows]:
        """Rows for each content not yet stored, pks base+1, base+2, … in order of first appearance
        (and, when replacing, for each stored content, under its own pk)."""
        rows: dict[str, Rows] = {}
        fresh = 0
        for analysis, sha in zip(items, shas):
            if sha in rows or (sha in known and not replace):
                continue
            if sha in known:
                pk = known[sha]
            else:
                fresh += 1
                pk = base + fresh
            try:
                rows[sha] = document_rows(pk, analysis, now, sha)
            except MarsadError:
                raise
            except Exception as exc:  # a malformed analysis must name itself, and stop the batch cleanly
                label = copy_label(*copy_key(analysis))
                raise StoreError(f"{label}: cannot store this analysis: {type(exc).__name__}: {exc}") from exc
        return rows

    def add(self, analyses: Iterable[Analysis], *, replace: bool = False) -> AddReport:
        items = list(analyses)
        if not items:
            return AddReport()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        shas = []
        for analysis in items:
            try:
                shas.append(analysis.document.sha256)
            except UnicodeEncodeError as exc:  # lone surrogates: cannot be hashed nor stored as UTF-8
                label = copy_label(*copy_key(analysis))
                raise StoreError(f"{label}: text is not valid Unicode ({exc.reason}); nothing stored") from exc
        with self._lock:
            try:
                # Heavy work (terms, JSON) happens before taking the write lock, on an optimistic pk base.
                base, known = self._max_pk(), self._known(shas)
                rows = self._prepare(items, shas, known, base, now, replace)
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error("cannot write", exc) from exc
            try:
                if self._max_pk() != base:  # another writer got in between: redo under the lock
                    base, known = self._max_pk(), self._known(shas)
                    rows = self._prepare(items, shas, known, base, now, replace)
                report, added = self._write(items, shas, known, rows, now, replace)
                if self.track and added:
                    self._observe(added)
                self._db.execute("COMMIT")
                return report
            except BaseException as exc:
                self._tracking = None  # its memory may hold articles the rollback removed: rebuild
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._error("cannot write (nothing from this batch was stored)", exc) from exc
                raise

    def _write(self, items: list[Analysis], shas: list[str], known: dict[str, int], rows: dict[str, Rows],
               now: str, replace: bool) -> tuple[AddReport, list[tuple[int, str, Analysis]]]:
        report = AddReport()
        added: list[tuple[int, str, Analysis]] = []  # (pk, id, analysis) of new contents, arrival order
        seen = self._copies(sorted(set(known.values())))
        pks = dict(known)
        new = Rows()
        replaced = Rows()
        copies: list[tuple[Any, ...]] = []
        for analysis, sha in zip(items, shas):
            source, record = copy_key(analysis)
            pk = pks.get(sha)
            if pk is None:
                doc_rows = rows[sha]
                pk = pks[sha] = doc_rows.documents[0][0]
                new.extend(doc_rows)
                report.added += 1
                added.append((pk, doc_rows.documents[0][1], analysis))
            elif replace and sha in rows:
                replaced.extend(rows.pop(sha))  # once per content and batch
                report.replaced += 1
                if (pk, source, record) in seen:
                    continue
            elif (pk, source, record) in seen:
                report.unchanged += 1
                continue
            else:
                report.duplicates += 1
                report.duplicate_of.append((sha[:16], copy_label(source, record)))
            seen.add((pk, source, record))
            copies.append(copy_row(pk, analysis, now))
        if replaced.documents:
            self._replace(replaced)
        for table, sql in INSERTS_SQLITE.items():
            values = getattr(new, table)
            if values:
                self._db.executemany(sql, values)
        self._db.executemany("INSERT INTO copies(doc, source, record, format, byte_start, byte_end, encoding, "
                             "url, ingested_at) VALUES (?,?,?,?,?,?,?,?,?)", copies)
        return report, added

    # -- ingest-time tracking (duplicates, stories) ----------------------------------------------------

    def _records(self, pks: list[int]) -> Iterator[tuple[int, str, dict[str, Any]]]:
        for part in _chunks(pks, 200):
            q = (f"SELECT c.doc, d.id, c.analysis, c.text FROM contents c JOIN documents d ON d.pk = c.doc "
                 f"WHERE c.doc IN ({','.join('?' * len(part))}) ORDER BY c.doc")
            for pk, doc_id, js, text in self._db.execute(q, part).fetchall():
                yield pk, doc_id, self._document(pk, js, text)

    def _observe(self, added: list[tuple[int, str, Analysis]]) -> None:
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        self._tracking = tracking.observe_added(self._db, self._tracking, added, self._records)

    def update_tracking(self) -> int:
        """Observe stored documents not yet tracked (a store upgraded from schema v2); returns how many."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import
        with self._lock:
            try:
                if not tracking.untracked(self._db):
                    return 0
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._tracking = tracking.load(self._db)
                    n = tracking.observe(self._db, self._tracking, self._records(tracking.untracked(self._db)))
                    self._db.execute("COMMIT")
                    return n
                except BaseException:
                    self._tracking = None
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise self._error("cannot update the duplicate and story tables", exc) from exc

    def _replace(self, rows: Rows) -> None:
        """Swap the analysis of stored documents for new rows, keeping their pk, id and sources."""
        pks = [(r[0],) for r in rows.documents]
        for table in ("paragraphs", "mentions", "entities", "events", "event_arguments", "quotes", "contents"):
            self._db.executemany(f"DELETE FROM {table} WHERE doc = ?", pks)
        self._db.executemany("DELETE FROM doc_fts WHERE rowid = ?", pks)
        # documents columns: pk id sha256 title published published_day site url source origin format
        # language ingested_at n_terms n_paragraphs n_mentions n_entities n_events n_quotes
        self._db.executemany(
            "UPDATE documents SET title = ?, published = ?, published_day = ?, site = ?, url = ?, language = ?, "
            "n_terms = ?, n_paragraphs = ?, n_mentions = ?, n_entities = ?, n_events = ?, n_quotes = ? "
            "WHERE pk = ?", [(*r[3:8], r[11], *r[13:19], r[0]) for r in rows.documents])
        for table, sql in INSERTS_SQLITE.items():
            values = getattr(rows, table)
            if values and table != "documents":
                self._db.executemany(sql, values)

    # -- reading --------------------------------------------------------------------------------------

    def _resolve(self, doc_id: str, db: sqlite3.Connection) -> int | None:
        doc_id = doc_id.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{1,64}", doc_id):  # ids are hex; anything else (even undecodable) is none
            return None
        row = db.execute("SELECT pk FROM documents WHERE id = ? OR sha256 = ?", (doc_id, doc_id)).fetchone()
        if row:
            return int(row[0])
        if len(doc_id) < 4:
            return None
        rows = db.execute("SELECT pk, id FROM documents WHERE id >= ? AND id < ? LIMIT 2",
                                (doc_id, doc_id + "g")).fetchall()
        if len(rows) > 1:
            raise StoreError(f"id prefix {doc_id!r} is ambiguous ({rows[0][1]}, {rows[1][1]}, …); give more digits")
        return int(rows[0][0]) if rows else None

    def _document(self, pk: int, analysis_json: str, text: str, db: sqlite3.Connection | None = None
                  ) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(analysis_json)
        for para in doc.get("paragraphs", []):
            if "text" not in para:  # stored without it (it is text[start:end]); keep the JSON key order
                items = list(para.items())
                items.insert(3, ("text", text[para["start"]:para["end"]]))
                para.clear()
                para.update(items)
        cols = ("source", "record", "format", "byte_start", "byte_end", "encoding", "url", "ingested_at")
        rows = (db or self._db).execute(f"SELECT {', '.join(cols)} FROM copies WHERE doc = ? ORDER BY ingested_at, "
                                "source, record", (pk,)).fetchall()
        doc["sources"] = [dict(zip(cols, r)) for r in rows]
        return doc

    def get(self, doc_id: str) -> dict[str, Any] | None:
        with self._read_db() as db:
            try:
                pk = self._resolve(doc_id, db)
                if pk is None:
                    return None
                row = db.execute("SELECT analysis, text FROM contents WHERE doc = ?", (pk,)).fetchone()
                return self._document(pk, row[0], row[1], db) if row else None
            except sqlite3.Error as exc:
                raise self._error("cannot read", exc) from exc

    @contextmanager
    def _read_db(self) -> Iterator[sqlite3.Connection]:
        """This thread's read-only connection to the file (searches and reads run side by side and never
        wait for this store's writer; WAL shows them every committed write); ``:memory:``: the store's own."""
        if self.path == ":memory:":
            with self._lock:
                yield self._db
            return
        with self._readers_lock:
            if self._readers is None:
                self._readers = read_conns.SQLiteReaders(self.path)
        yield self._readers.connection()

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            with self._lock:
                try:
                    rows = self._db.execute("SELECT doc, analysis, text FROM contents WHERE doc > ? ORDER BY doc "
                                            "LIMIT 200", (last,)).fetchall()
                    # the raw text too: an export must be able to re-create the document (marsad import)
                    docs = [{**self._document(pk, js, text), "text": text} for pk, js, text in rows]
                except sqlite3.Error as exc:
                    raise self._error("cannot read", exc) from exc
            if not rows:
                return
            last = rows[-1][0]
            yield from docs

    def _rows_db(self) -> Any:
        return self._db

    def _guarded(self, fn: Callable[[], T], doing: str = "cannot read") -> T:
        with self._lock:
            try:
                return fn()
            except sqlite3.Error as exc:
                raise self._error(doing, exc) from exc

    # -- entity table inputs and corrections ------------------------------------------------------------

    # -- layer queries (web app, CLI): marsad/store/reads.py ---------------------------------------------

    def _reads(self) -> Any:
        from marsad.store.reads import SQLITE, Reads

        return Reads(read_conns.locked(self._db.execute, self._lock, lambda e: self._error("cannot read", e),  # type: ignore[arg-type]
                                       sqlite3.Error), SQLITE)

    def reader(self) -> Any:
        """Listing queries on the per-thread read-only connections ``search``/``get`` use (a ``:memory:``
        store: its own connection); closed with the store."""
        from marsad.store.reads import SQLITE, Reads

        if self.path == ":memory:":
            return self._reads()
        with self._read_db():  # creates the per-thread connections
            pass
        assert self._readers is not None
        return Reads(self._readers.run, SQLITE)

    def search(self, query: str, *, source: str | None = None, since: str | None = None,
               until: str | None = None, entity: str | None = None, event_type: str | None = None,
               limit: int = 20, offset: int = 0, markers: tuple[str, str] = MARKERS,
               snippets: bool = True) -> SearchResult:
        with self._read_db() as db:
            try:
                return run_search(db, query, source=source, since=since, until=until, entity=entity,
                                  event_type=event_type, limit=limit, offset=offset, markers=markers,
                                  snippets=snippets)
            except sqlite3.Error as exc:
                raise self._error("search failed", exc) from exc

    def stats(self) -> dict[str, Any]:
        with self._lock:
            try:
                def one(sql: str) -> Any:
                    return self._db.execute(sql).fetchone()[0]

                first, last = self._db.execute("SELECT min(published_day), max(published_day) FROM documents"
                                               ).fetchone()
                per_source = dict(self._db.execute(
                    "SELECT origin, count(*) FROM documents GROUP BY origin ORDER BY count(*) DESC, origin"))
                out: dict[str, Any] = {
                    "documents": one("SELECT count(*) FROM documents"),
                    "sources": one("SELECT count(*) FROM copies"),
                }
                out["duplicates"] = out["sources"] - out["documents"]
                for table in ("paragraphs", "mentions", "entities", "events", "quotes"):
                    out[table] = one(f"SELECT count(*) FROM {table}")
                out.update(first_published=first, last_published=last, per_source=per_source,
                           schema_version=one("PRAGMA user_version"), db_bytes=self.size_bytes(), path=self.path)
                return out
            except sqlite3.Error as exc:
                raise self._error("cannot read", exc) from exc

    def size_bytes(self) -> int:
        """Bytes on disk: the database file plus its write-ahead log."""
        if self.path == ":memory:":
            return int(self._db.execute("PRAGMA page_count").fetchone()[0]) * int(
                self._db.execute("PRAGMA page_size").fetchone()[0])
        return sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))

    def verify(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks and the cross-table counts ([] = healthy)."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import
        problems: list[str] = []
        with self._lock:
            try:
                problems += [r[0] for r in self._db.execute("PRAGMA integrity_check") if r[0] != "ok"]
                self._db.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('integrity-check', 1)")
                counts = {t: self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("documents", "contents", "doc_fts")}
                if len(set(counts.values())) > 1:
                    problems.append(f"table counts disagree: {counts}")
                unindexed = self._db.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                             "(SELECT 1 FROM doc_fts f WHERE f.rowid = d.pk)").fetchone()[0]
                if unindexed:
                    problems.append(f"{unindexed} documents missing from the search index")
                for table, column in (("paragraphs", "n_paragraphs"), ("mentions", "n_mentions"),
                                      ("entities", "n_entities"), ("events", "n_events"), ("quotes", "n_quotes")):
                    half = self._db.execute(
                        f"SELECT count(*) FROM documents d WHERE {column} != "
                        f"(SELECT count(*) FROM {table} t WHERE t.doc = d.pk)").fetchone()[0]
                    if half:
                        problems.append(f"{half} documents with missing or extra {table}")
                orphans = self._db.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                           "(SELECT 1 FROM copies c WHERE c.doc = d.pk)").fetchone()[0]
                if orphans:
                    problems.append(f"{orphans} documents without a source")
                problems += tracking.problems(self._db)
                problems += [f"foreign key: {r}" for r in self._db.execute("PRAGMA foreign_key_check")]
            except sqlite3.Error as exc:
                problems.append(f"check failed: {exc}")
        return problems

    def optimize(self) -> None:
        """Merge the FTS index into one segment and refresh planner statistics (after a bulk load)."""
        with self._lock:
            try:
                self._db.execute("INSERT INTO doc_fts(doc_fts) VALUES ('optimize')")
                self._db.execute("PRAGMA optimize")
            except sqlite3.Error as exc:
                raise self._error("cannot optimise", exc) from exc

    def close(self) -> None:
        with self._lock:
            if self._readers is not None:
                self._readers.close()
            self._db.close()
