"""PostgreSQL store (psycopg 3): the Store contract of :mod:`marsad.store.base` on a shared server.

Same tables and row builder (:mod:`marsad.store.rows`) as SQLite; full-text search is a GIN-indexed
``tsvector`` over the same normalised, clitic-split term strings (:mod:`marsad.store.search_pg`).

Concurrency: every ``add`` is one transaction holding a transaction-scoped advisory lock, so concurrent
ingests (several processes or machines) serialise their short write phase while the heavy row building
happens before it; readers never wait (MVCC). Idempotence is by ``sha256`` (unique) and the
(doc, source, record) key of ``copies``. Migrations: ``migrations/postgres/NNNN_*.sql``, applied on open
under a session advisory lock and recorded in ``schema_version``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg

from marsad.errors import MarsadError, StoreError
from marsad.model import Analysis
from marsad.store.base import MARKERS, AddReport, SearchResult, Store
from marsad.store.reads import POSTGRES
from marsad.store.rows import INSERTS_SQLITE, Rows, copy_key, copy_label, copy_row, document_rows

if TYPE_CHECKING:
    from marsad.store.read_conns import PostgresPool
    from marsad.store.tracking import Tracking

T = TypeVar("T")
#: Advisory-lock keys (arbitrary constants): one for writers, one for migrations.
WRITE_LOCK = 0x4D415253  # "MARS"
MIGRATE_LOCK = 0x4D415254
_INSERT = re.compile(r"INSERT INTO (\w+)\((.*?)\) VALUES")

#: COPY column lists per Rows field, derived from the SQLite INSERTs so both stores write the same rows.
COLUMNS: dict[str, tuple[str, str]] = {}
for _field, _sql in INSERTS_SQLITE.items():
    _m = _INSERT.match(_sql)
    assert _m, _sql
    COLUMNS[_field] = (_m.group(1), _m.group(2).replace("rowid", "doc"))
COPY_COLUMNS = ("doc, source, record, format, byte_start, byte_end, encoding, url, ingested_at")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every shipped migration, in order."""
    folder = resources.files("marsad.store") / "migrations" / "postgres"
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        m = re.match(r"(\d+)_.*\.sql$", entry.name)
        if m:
            out.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return out


class TrackingDb:
    """sqlite3's ``execute``/``executemany`` face, ``?`` placeholders, over a psycopg connection: the tracking
    and correction SQL of :mod:`marsad.store.tracking` and the Store base runs unchanged on PostgreSQL."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(POSTGRES.sql(sql), params or None)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._conn.cursor() as cur:
                cur.executemany(POSTGRES.sql(sql), rows)


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


class PostgresStore(Store):
    """A store in a PostgreSQL database (``postgresql://user@host:port/db``)."""

    tracks_at_ingest = True  # schema v2: duplicates and stories kept in tables at ``add``, as in SQLite

    def __init__(self, url: str, *, create: bool = True, connect_timeout_s: int = 10, track: bool = True) -> None:
        #: Observe each new article for near-duplicates and stories at ``add`` (``marsad.store.tracking``).
        self.track = track
        self._tracking: Tracking | None = None  # rebuilt from the rows on first use
        #: Most read-only connections opened for searches and reads (``_read_db``), on first use.
        self.read_connections = 8
        self._pool: PostgresPool | None = None
        self._pool_lock = threading.Lock()
        self.url = url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
        self.label = "PostgreSQL " + _redact(self.url)
        self._lock = threading.RLock()  # one connection shared by threads: serialise its use
        try:
            self._db = psycopg.connect(self.url, autocommit=True, connect_timeout=connect_timeout_s)
        except psycopg.Error as exc:
            raise StoreError(f"{self.label}: cannot connect: {str(exc).strip()}") from exc
        try:
            self._migrate(create)
        except BaseException:
            self._db.close()
            raise

    # -- plumbing -------------------------------------------------------------------------------------

    def _error(self, doing: str, exc: psycopg.Error) -> StoreError:
        return StoreError(f"{self.label}: {doing}: {str(exc).strip()}")

    def _one(self, sql: str, params: Any = None) -> Any:
        row = self._db.execute(sql, params).fetchone()
        return row[0] if row else None

    def schema_version(self) -> int:
        if self._one("SELECT to_regclass('schema_version')") is None:
            return 0
        return int(self._one("SELECT coalesce(max(version), 0) FROM schema_version"))

    def _migrate(self, create: bool) -> None:
        steps = migrations()
        latest = steps[-1][0]
        try:
            version = self.schema_version()
            if version > latest:
                raise StoreError(f"{self.label}: store schema v{version} is newer than this Marsad (v{latest}); "
                                 "upgrade Marsad")
            if version == latest:
                return
            if not create and version == 0:
                raise StoreError(f"{self.label}: no Marsad store in this database (ingest something first)")
            self._db.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
            try:
                version = self.schema_version()  # another opener may have migrated meanwhile
                if version == 0 and self._one("SELECT to_regclass('documents')") is not None:
                    raise StoreError(f"{self.label}: not a Marsad store (it holds a documents table of its own)")
                for number, name, sql in steps:
                    if number <= version:
                        continue
                    with self._db.transaction():
                        self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                                         " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                        self._db.execute(sql)
                        self._db.execute("INSERT INTO schema_version(version, name) VALUES (%s, %s)",
                                         (number, name))
            finally:
                self._db.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
        except psycopg.Error as exc:
            raise self._error("cannot open the store", exc) from exc

    def _max_pk(self) -> int:
        return int(self._one("SELECT coalesce(max(pk), 0) FROM documents"))

    def _known(self, shas: list[str]) -> dict[str, int]:
        rows = self._db.execute("SELECT sha256, pk FROM documents WHERE sha256 = ANY(%s)", (shas,)).fetchall()
        return dict(rows)

    def _copies(self, pks: list[int]) -> set[tuple[int, str, str]]:
        rows = self._db.execute("SELECT doc, source, record FROM copies WHERE doc = ANY(%s)", (pks,)).fetchall()
        return {(int(d), s, r) for d, s, r in rows}

    def copy_rows(self, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        """COPY ``rows`` into ``table`` (the caller holds a transaction)."""
        if not rows:
            return
        with self._db.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)

    # -- writing --------------------------------------------------------------------------------------

    def _prepare(self, items: list[Analysis], shas: list[str], known: dict[str, int], base: int,
                 now: str, replace: bool) -> dict[str, Rows]:
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
            label = copy_label(*copy_key(analysis))
            if "\x00" in analysis.document.text or "\x00" in (analysis.document.title or ""):
                raise StoreError(f"{label}: text contains NUL characters, which PostgreSQL cannot store; "
                                 "nothing stored")
            try:
                rows[sha] = document_rows(pk, analysis, now, sha)
            except MarsadError:
                raise
            except Exception as exc:
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
            except UnicodeEncodeError as exc:
                label = copy_label(*copy_key(analysis))
                raise StoreError(f"{label}: text is not valid Unicode ({exc.reason}); nothing stored") from exc
        with self._lock:
            try:
                base, known = self._max_pk(), self._known(shas)  # optimistic: rows built outside the lock
                rows = self._prepare(items, shas, known, base, now, replace)
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    if self._max_pk() != base:  # another writer committed meanwhile: redo under the lock
                        base, known = self._max_pk(), self._known(shas)
                        rows = self._prepare(items, shas, known, base, now, replace)
                    report, added = self._write(items, shas, known, rows, now, replace)
                    if self.track and added:
                        self._observe(added)
                    return report
            except BaseException as exc:
                self._tracking = None  # its memory may hold articles the rollback removed: rebuild
                if isinstance(exc, psycopg.Error):
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
                replaced.extend(rows.pop(sha))
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
        for field, (table, columns) in COLUMNS.items():
            self.copy_rows(table, columns, getattr(new, field))
        self.copy_rows("copies", COPY_COLUMNS, copies)
        return report, added

    # -- ingest-time tracking (duplicates, stories): marsad/store/tracking.py ---------------------------

    def _records(self, pks: list[int]) -> Iterator[tuple[int, str, dict[str, Any]]]:
        for i in range(0, len(pks), 200):
            rows = self._db.execute("SELECT c.doc, c.analysis, c.text, d.id FROM contents c JOIN documents d "
                                    "ON d.pk = c.doc WHERE c.doc = ANY(%s) ORDER BY c.doc", (pks[i:i + 200],)).fetchall()
            docs = self._documents([(r[0], r[1], r[2]) for r in rows])
            yield from ((r[0], r[3], d) for r, d in zip(rows, docs, strict=True))

    def _observe(self, added: list[tuple[int, str, Analysis]]) -> None:
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        self._tracking = tracking.observe_added(TrackingDb(self._db), self._tracking, added, self._records)

    def update_tracking(self) -> int:
        """Observe stored documents not yet tracked (stored before schema v2, or by ``marsad load``)."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        db = TrackingDb(self._db)
        with self._lock:
            try:
                if not tracking.untracked(db):
                    return 0
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                    self._tracking = tracking.load(db)
                    return tracking.observe(db, self._tracking, self._records(tracking.untracked(db)))
            except BaseException as exc:
                self._tracking = None
                if isinstance(exc, psycopg.Error):
                    raise self._error("cannot update the duplicate and story tables", exc) from exc
                raise

    def _rows_db(self) -> Any:
        return TrackingDb(self._db)

    def _guarded(self, fn: Callable[[], T], doing: str = "cannot read") -> T:
        with self._lock:
            try:
                return fn()
            except psycopg.Error as exc:
                raise self._error(doing, exc) from exc

    def _replace(self, rows: Rows) -> None:
        pks = [r[0] for r in rows.documents]
        for table in ("paragraphs", "mentions", "entities", "events", "event_arguments", "quotes", "contents",
                      "doc_fts"):
            self._db.execute(f"DELETE FROM {table} WHERE doc = ANY(%s)", (pks,))
        with self._db.cursor() as cur:
            cur.executemany(
                "UPDATE documents SET title = %s, published = %s, published_day = %s, site = %s, url = %s, "
                "language = %s, n_terms = %s, n_paragraphs = %s, n_mentions = %s, n_entities = %s, "
                "n_events = %s, n_quotes = %s WHERE pk = %s",
                [(*r[3:8], r[11], *r[13:19], r[0]) for r in rows.documents])
        for field, (table, columns) in COLUMNS.items():
            if field != "documents":
                self.copy_rows(table, columns, getattr(rows, field))

    # -- reading --------------------------------------------------------------------------------------

    def _resolve(self, doc_id: str, db: psycopg.Connection) -> int | None:
        doc_id = doc_id.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{1,64}", doc_id):
            return None
        row = db.execute("SELECT pk FROM documents WHERE id = %s OR sha256 = %s", (doc_id, doc_id)).fetchone()
        if row is not None:
            return int(row[0])
        if len(doc_id) < 4:
            return None
        rows = db.execute("SELECT pk, id FROM documents WHERE id >= %s AND id < %s ORDER BY id LIMIT 2",
                          (doc_id, doc_id + "g")).fetchall()
        if len(rows) > 1:
            raise StoreError(f"id prefix {doc_id!r} is ambiguous ({rows[0][1]}, {rows[1][1]}, …); give more digits")
        return int(rows[0][0]) if rows else None

    @contextmanager
    def _read_db(self) -> Iterator[psycopg.Connection]:
        """A pooled read-only connection: searches and reads run side by side (the web app's threads) and
        never wait for this store's writer; they see every committed write."""
        if self._pool is None:
            from marsad.store.read_conns import PostgresPool

            with self._pool_lock:  # not the connection's lock: a writer may hold that for a long batch
                if self._pool is None:
                    self._pool = PostgresPool(self.url, self.label, size=self.read_connections)
        with self._pool.connection() as conn:
            yield conn

    _COPY_COLS = ("source", "record", "format", "byte_start", "byte_end", "encoding", "url", "ingested_at")

    def _documents(self, rows: list[tuple[int, str, str]], db: psycopg.Connection | None = None
                   ) -> list[dict[str, Any]]:
        pks = [r[0] for r in rows]
        sources: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
        for r in (db or self._db).execute(f"SELECT doc, {', '.join(self._COPY_COLS)} FROM copies WHERE doc = ANY(%s) "
                                  "ORDER BY doc, ingested_at, source, record", (pks,)):
            sources[r[0]].append(dict(zip(self._COPY_COLS, r[1:])))
        out = []
        for pk, analysis_json, text in rows:
            doc: dict[str, Any] = json.loads(analysis_json)
            for para in doc.get("paragraphs", []):
                if "text" not in para:  # stored without it (== text[start:end]); keep the JSON key order
                    items = list(para.items())
                    items.insert(3, ("text", text[para["start"]:para["end"]]))
                    para.clear()
                    para.update(items)
            doc["sources"] = sources[pk]
            out.append(doc)
        return out

    def get(self, doc_id: str) -> dict[str, Any] | None:
        try:
            with self._read_db() as db:
                pk = self._resolve(doc_id, db)
                if pk is None:
                    return None
                rows = db.execute("SELECT doc, analysis, text FROM contents WHERE doc = %s", (pk,)).fetchall()
                return self._documents(rows, db)[0] if rows else None
        except psycopg.Error as exc:
            raise self._error("cannot read", exc) from exc

    def get_many(self, ids: list[str]) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        try:
            with self._read_db() as db:
                for k in range(0, len(ids), 500):
                    rows = db.execute("SELECT c.doc, c.analysis, c.text, d.id FROM contents c JOIN documents d ON "
                                      "d.pk = c.doc WHERE d.id = ANY(%s)", (ids[k:k + 500],)).fetchall()
                    docs = self._documents([(r[0], r[1], r[2]) for r in rows], db)
                    found.update((r[3], d) for r, d in zip(rows, docs, strict=True))
        except psycopg.Error as exc:
            raise self._error("cannot read", exc) from exc
        return [found[i] for i in ids if i in found]

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        last = 0
        while True:
            with self._lock:
                try:
                    rows = self._db.execute("SELECT doc, analysis, text FROM contents WHERE doc > %s ORDER BY doc "
                                            "LIMIT 200", (last,)).fetchall()
                    docs = self._documents(rows)
                except psycopg.Error as exc:
                    raise self._error("cannot read", exc) from exc
            if not rows:
                return
            last = rows[-1][0]
            # like SQLiteStore: each document carries its raw text (tracking replays and exports read it)
            yield from ({**doc, "text": row[2]} for doc, row in zip(docs, rows, strict=True))

    def search(self, query: str, *, source: str | None = None, since: str | None = None,
               until: str | None = None, entity: str | None = None, event_type: str | None = None,
               limit: int = 20, offset: int = 0, markers: tuple[str, str] = MARKERS,
               snippets: bool = True) -> SearchResult:
        from marsad.store.search_pg import run_search

        try:
            with self._read_db() as db:
                return run_search(db, query, source=source, since=since, until=until, entity=entity,
                                  event_type=event_type, limit=limit, offset=offset, markers=markers,
                                  snippets=snippets)
        except psycopg.Error as exc:
            raise self._error("search failed", exc) from exc

    # -- layer queries (web app, CLI): marsad/store/reads.py ---------------------------------------------

    def _reads(self) -> Any:
        from marsad.store.read_conns import locked
        from marsad.store.reads import POSTGRES, Reads

        return Reads(locked(self._db.execute, self._lock, lambda e: self._error("cannot read", e),  # type: ignore[arg-type]
                            psycopg.Error), POSTGRES)

    def reader(self) -> Any:
        """Listing queries on the store's pool of read-only connections (shared with ``search``/``get``;
        closed with the store)."""
        from marsad.store.reads import POSTGRES, Reads

        with self._read_db():  # creates the pool (and checks a connection can be made)
            pass
        assert self._pool is not None
        return Reads(self._pool.run, POSTGRES)

    _TABLES = ("documents", "contents", "doc_fts", "copies", "paragraphs", "mentions", "entities", "events",
               "event_arguments", "quotes", "doc_signatures", "near_duplicates", "stories", "story_members",
               "story_df", "tracker_meta", "entity_overrides")

    def size_bytes(self) -> int:
        """Bytes on disk of the store's tables, their indexes and TOAST data."""
        return int(self._one("SELECT sum(pg_total_relation_size(to_regclass(t))) FROM unnest(%s::text[]) t",
                             (list(self._TABLES),)) or 0)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            try:
                first, last = self._db.execute(
                    "SELECT min(published_day), max(published_day) FROM documents").fetchone() or (None, None)
                per_source: dict[str, int] = dict(self._db.execute(
                    "SELECT origin, count(*) FROM documents GROUP BY origin ORDER BY count(*) DESC, origin"
                ).fetchall())
                out: dict[str, Any] = {"documents": self._one("SELECT count(*) FROM documents"),
                                       "sources": self._one("SELECT count(*) FROM copies")}
                out["duplicates"] = out["sources"] - out["documents"]
                for table in ("paragraphs", "mentions", "entities", "events", "quotes"):
                    out[table] = self._one(f"SELECT count(*) FROM {table}")
                out.update(first_published=first, last_published=last, per_source=per_source,
                           schema_version=self.schema_version(), db_bytes=self.size_bytes(), path=self.label)
                return out
            except psycopg.Error as exc:
                raise self._error("cannot read", exc) from exc

    def verify(self) -> list[str]:
        """Cross-table checks: every document has contents, an index row and a source; layer counts match."""
        problems: list[str] = []
        with self._lock:
            try:
                counts = {t: self._one(f"SELECT count(*) FROM {t}") for t in ("documents", "contents", "doc_fts")}
                if len(set(counts.values())) > 1:
                    problems.append(f"table counts disagree: {counts}")
                for table, column in (("paragraphs", "n_paragraphs"), ("mentions", "n_mentions"),
                                      ("entities", "n_entities"), ("events", "n_events"), ("quotes", "n_quotes")):
                    half = self._one(f"SELECT count(*) FROM documents d WHERE {column} != "
                                     f"(SELECT count(*) FROM {table} t WHERE t.doc = d.pk)")
                    if half:
                        problems.append(f"{half} documents with missing or extra {table}")
                orphans = self._one("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                    "(SELECT 1 FROM copies c WHERE c.doc = d.pk)")
                if orphans:
                    problems.append(f"{orphans} documents without a source")
                from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

                # documents bulk-loaded by `marsad load` are observed later: not a problem here
                problems += tracking.problems(TrackingDb(self._db), untracked_ok=True)
            except psycopg.Error as exc:
                problems.append(f"check failed: {exc}")
        return problems

    def optimize(self) -> None:
        """Refresh planner statistics and clean the GIN pending list (after a bulk load)."""
        with self._lock:
            try:
                self._db.execute("VACUUM ANALYZE")
            except psycopg.Error as exc:
                raise self._error("cannot optimise", exc) from exc

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            self._db.close()
