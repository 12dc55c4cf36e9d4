"""Durability: hot backup and restore of a store, and re-import of an export without re-running the pipeline.

    backup("news.db", "news-2017-02-01.db")        # SQLite online backup API: consistent while ingests run
    restore("news-2017-02-01.db", "news.db")       # refuses a non-empty target unless force=True
    import_jsonl("articles.jsonl", store)         # `marsad export --to jsonl` -> the same stored analyses

PostgreSQL stores are dumped with ``pg_dump -Fc`` and restored with ``pg_restore`` (both must be on PATH).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from marsad.errors import IngestError, StoreError
from marsad.model import Analysis, Document, Provenance
from marsad.serialize import analysis_from_dict
from marsad.store.base import Store

_PG = ("postgresql://", "postgres://")


@dataclass(slots=True)
class ImportReport:
    """What one import did; ``problems`` holds one line per record that could not be imported."""

    read: int = 0
    added: int = 0
    unchanged: int = 0
    sources: int = 0  # further sources (copies) recorded for imported contents
    problems: list[str] = field(default_factory=list)


def _sqlite_path(url: str) -> str:
    for prefix in ("sqlite:///", "sqlite://"):
        if url.startswith(prefix):
            return url[len(prefix):]
    return url


def _documents_in(path: str) -> int:
    """Documents in an SQLite Marsad store (0 for an empty file); StoreError when it is not one."""
    if not os.path.getsize(path):
        return 0
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                return 0
            if "documents" not in tables:
                raise StoreError(f"{path}: not a Marsad store (no documents table)")
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: not a Marsad store ({exc})") from exc


def _copy_sqlite(src_path: str, dst_path: str) -> None:
    """Page-by-page online backup; readers and writers of the source may go on meanwhile."""
    try:
        src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(dst_path)
            try:
                with dst:
                    src.backup(dst, pages=1024)
                problems = [r[0] for r in dst.execute("PRAGMA integrity_check")]
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{src_path} -> {dst_path}: copy failed: {exc}") from exc
    if problems != ["ok"]:
        raise StoreError(f"{dst_path}: the copy fails its integrity check: {problems[:3]}")


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise StoreError(f"{name} not found on PATH: install the PostgreSQL client tools")
    return tool


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise StoreError(f"{what} failed (exit {proc.returncode}): {last}")


def backup(url: str, out: str | os.PathLike[str], *, force: bool = False) -> dict[str, Any]:
    """Copy the store at ``url`` to the file ``out``; returns {"documents", "bytes"}."""
    out = os.fspath(out)
    if os.path.exists(out) and os.path.getsize(out) and not force:
        raise StoreError(f"{out}: exists; choose a new file or pass --force to overwrite it")
    if url.startswith(_PG):
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={out}", url], "pg_dump")
        return {"documents": None, "bytes": os.path.getsize(out)}
    src = _sqlite_path(url)
    if not os.path.isfile(src):
        raise StoreError(f"{src}: no store here")
    documents = _documents_in(src)
    if os.path.exists(out):
        os.unlink(out)
    _copy_sqlite(src, out)
    return {"documents": documents, "bytes": os.path.getsize(out)}


def restore(backup_file: str | os.PathLike[str], url: str, *, force: bool = False) -> dict[str, Any]:
    """Replace the store at ``url`` by a backup; refuses a store holding documents unless ``force``."""
    src = os.fspath(backup_file)
    if not os.path.isfile(src):
        raise StoreError(f"{src}: no such backup file")
    if url.startswith(_PG):
        from marsad.store import open_store

        with open_store(url) as store:
            held = store.stats()["documents"]
        if held and not force:
            raise StoreError(f"the store holds {held} documents; pass --force to replace them")
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={url}", src],
             "pg_restore")
        return {"documents": None}
    dst = _sqlite_path(url)
    documents = _documents_in(src)
    if os.path.exists(dst) and _documents_in(dst) and not force:
        raise StoreError(f"{dst}: the store holds {_documents_in(dst)} documents; pass --force to replace them")
    _copy_sqlite(src, dst)
    from marsad.store import open_store

    with open_store(dst, create=False) as store:  # opens, migrates if the backup is older, checks
        problems = store.verify()
    if problems:
        raise StoreError(f"{dst}: restored store fails its checks: {problems[:3]}")
    return {"documents": documents}


def _copies(d: dict[str, Any], first: Analysis, name: str) -> Iterator[Analysis]:
    """One bare Analysis per further source of the content (the store records them as its copies)."""
    main = (first.document.provenance.source, first.document.provenance.record or "")
    for s in d.get("sources") or []:
        if (s.get("source"), s.get("record") or "") == main:
            continue
        try:
            prov = Provenance(source=s["source"], format=s["format"], record=s.get("record") or None,
                              byte_start=s.get("byte_start"), byte_end=s.get("byte_end"),
                              encoding=s.get("encoding") or "utf-8", ingested_at=s.get("ingested_at"))
        except (KeyError, TypeError) as exc:
            raise IngestError(name, f"malformed source entry ({exc})") from None
        doc = first.document
        yield Analysis(Document(text=doc.text, provenance=prov, title=doc.title, url=s.get("url")))


def import_jsonl(path: str | os.PathLike[str], store: Store, *, batch_size: int = 200) -> ImportReport:
    """Store the analyses of a ``marsad export --to jsonl`` file as they are (no pipeline run)."""
    path = os.fspath(path)
    report = ImportReport()
    batch: list[Analysis] = []

    def flush() -> None:
        if batch:
            result = store.add(batch)
            report.added += result.added
            report.unchanged += result.unchanged
            report.sources += result.duplicates
            batch.clear()

    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 — closed below
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            report.read += 1
            name = f"{path} [line {lineno}]"
            try:
                d = json.loads(line)
                analysis = analysis_from_dict(d, source=name)
                items = [analysis, *_copies(d, analysis, name)]
            except (json.JSONDecodeError, RecursionError) as exc:
                report.problems.append(f"{name}: malformed JSON ({exc})")
                continue
            except (IngestError, UnicodeEncodeError) as exc:
                report.problems.append(IngestError(path, str(exc), record=f"line {lineno}").one_line()
                                       if isinstance(exc, UnicodeEncodeError) else exc.one_line())
                continue
            batch.extend(items)
            if len(batch) >= batch_size:
                flush()
    flush()
    return report


def export_checksum(store: Store) -> tuple[int, str]:
    """(documents, sha256 of their export lines): equal for two stores holding the same analyses."""
    import hashlib

    h = hashlib.sha256()
    n = 0
    for doc in store.iter_documents():
        h.update(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        n += 1
    return n, h.hexdigest()


__all__ = ["ImportReport", "backup", "export_checksum", "import_jsonl", "restore"]
