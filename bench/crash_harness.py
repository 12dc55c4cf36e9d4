"""Crash harness: SIGKILL ``marsad ingest`` at random moments over real articles, then check the store.

    nice -n 10 .venv/bin/python bench/crash_harness.py --trials 100          # ~15 min on a shared machine
    nice -n 10 .venv/bin/python bench/crash_harness.py --trials 5 --seed 3 -v

Each trial picks a random subset of ``../shared/data/news`` (ANT article files, and now and then a slice of
the Goud CSV written to a scratch file), runs the real CLI ingest into a fresh SQLite store with a random
batch size, and kills it with SIGKILL at a random moment of its run (calibrated on a full run). Then:

1. the store opens (``open_store(create=False)``) and ``PRAGMA integrity_check`` says ok;
2. the FTS index agrees with the documents table (same rowids, FTS5 'integrity-check' passes);
3. no article is half-written: for each stored article, the paragraphs, mentions, entities, events, event
   arguments and quotes rows equal the counts in its stored analysis JSON (and ``documents.n_*``);
4. the same ingest re-run (sometimes killed again first) completes the set: every content the readers yield
   is stored once, every (source, record) copy once, nothing else; ``Store.verify()`` is clean.

PostgreSQL trials run too (``--backend both``, the default) when ``MARSAD_TEST_PG`` gives a server URL: each
trial gets a fresh database; the checks are the same except SQLite's ``integrity_check``.
Exit status 1 if any check failed. Prints one summary table (``-v``: one line per trial).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEWS = Path(os.environ.get("MARSAD_DATA", REPO.parent / "shared" / "data")) / "news"
MARSAD = [sys.executable, "-m", "marsad"]

#: (table, key in the stored analysis JSON, documents column) for the half-written check.
LAYERS = (("paragraphs", "paragraphs", "n_paragraphs"), ("mentions", "entities", "n_mentions"),
          ("entities", "canonical_entities", "n_entities"), ("events", "events", "n_events"),
          ("quotes", "quotes", "n_quotes"))


@dataclass(slots=True)
class Trial:
    """One SIGKILL and what the checks found."""

    n: int
    inputs: int
    expected: int  # distinct contents the readers yield for this subset
    batch: int
    kill_at: float
    stored_at_kill: int = 0
    finished_before_kill: bool = False
    problems: list[str] = field(default_factory=list)
    lost: int = 0
    duplicates: int = 0
    resumed_kills: int = 0


def pick_subset(rng: random.Random, scratch: Path, n: int) -> list[str]:
    """Paths of ``n``-ish real articles: ANT files, sometimes plus a slice of the Goud CSV."""
    ant = sorted(p for p in (NEWS / "ant_jawharafm").rglob("*.txt"))
    paths = [str(p) for p in rng.sample(ant, k=min(n, len(ant)))]
    goud = NEWS / "marsum_goud" / "MArSum1_test.txt"
    if goud.is_file() and rng.random() < 0.3:
        data = goud.read_bytes()
        head = data[:data.index(b"\n") + 1]
        starts = [i + 1 for i, b in enumerate(data) if b == 0x0A]  # row starts (rows may hold newlines: the reader copes)
        a = rng.randrange(1, len(starts) - 12)
        rows = b"".join(data[s:e] for s, e in zip(starts[a:a + 10], starts[a + 1:a + 11]))
        part = scratch / f"goud_{a}.csv"
        part.write_bytes(head + rows)
        paths.append(str(part))
    return paths


def expected_set(paths: list[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """Content hashes and (source, record) copies the readers yield for the inputs (the pipeline never drops one)."""
    from marsad.ingest import read
    from marsad.model import Document

    shas, copies = set(), set()
    for item in read(paths):
        if isinstance(item, Document):
            shas.add(item.sha256)
            copies.add((item.provenance.source, item.provenance.record or ""))
    return shas, copies


def ingest_cmd(paths: list[str], db: Path | str, batch: int) -> list[str]:
    return [*MARSAD, "ingest", *paths, "--db", str(db), "-q", "--batch-size", str(batch)]


def _stored(db: Path | str) -> int:
    """Documents committed so far (0 while the store does not exist or is being created)."""
    try:
        con, _ = _connect(db)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except Exception:  # noqa: BLE001 — not there yet / schema being created: nothing committed
        return 0


def run_killed(cmd: list[str], kill_at: float, watch: Path | str | None = None, extra: float = 0.0) -> bool:
    """Run, SIGKILL after ``kill_at`` seconds — or, with ``watch``, ``extra`` seconds after the first batch is
    committed to that store (a kill inside the writing window, whatever the start-up costs); True if it
    finished first."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    if watch is not None:
        before = _stored(watch)
        while proc.poll() is None and _stored(watch) <= before:
            time.sleep(0.05)
        kill_at = extra
    try:
        proc.wait(timeout=kill_at)
        return True
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return False


def _connect(db: Path | str) -> tuple[object, bool]:
    """A read connection to the store's database (SQLite file or PostgreSQL URL), and whether it is PG."""
    if isinstance(db, str) and db.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(db, autocommit=True), True
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True), False


def check_store(db: Path | str) -> tuple[list[str], set[str], list[tuple[str, str]]]:
    """Problems found in a store just after a crash, its stored hashes and its copies."""
    from marsad.errors import StoreError
    from marsad.store import open_store

    problems: list[str] = []
    if isinstance(db, Path) and not db.exists():
        return problems, set(), []
    try:
        with open_store(db, create=False) as store:
            problems += store.verify()
    except StoreError as exc:
        return [f"store does not open: {exc}"], set(), []
    con, pg = _connect(db)
    try:
        if not pg:  # PostgreSQL has no integrity_check: its WAL makes a client kill a rolled-back transaction
            ok = [r[0] for r in con.execute("PRAGMA integrity_check")]
            if ok != ["ok"]:
                problems.append(f"integrity_check: {ok[:3]}")
        docs = {r[0] for r in con.execute("SELECT pk FROM documents")}
        fts = {r[0] for r in con.execute(f"SELECT {'doc' if pg else 'rowid'} FROM doc_fts")}
        if docs != fts:
            problems.append(f"FTS disagrees: {len(docs - fts)} documents unindexed, {len(fts - docs)} stray rows")
        counts = {t: dict(con.execute(f"SELECT doc, count(*) FROM {t} GROUP BY doc")) for t, _, _ in LAYERS}
        args = dict(con.execute("SELECT doc, count(*) FROM event_arguments GROUP BY doc"))
        cols = ", ".join(c for _, _, c in LAYERS)
        for pk, analysis, *declared in con.execute(
                f"SELECT d.pk, c.analysis, {cols} FROM documents d LEFT JOIN contents c ON c.doc = d.pk"):
            if analysis is None:
                problems.append(f"document {pk} has no contents row")
                continue
            data = json.loads(analysis)
            for (table, key, _), n_declared in zip(LAYERS, declared):
                stored, in_json = counts[table].get(pk, 0), len(data.get(key, []))
                if not stored == in_json == n_declared:
                    problems.append(f"document {pk}: {table} rows {stored}, JSON {in_json}, declared {n_declared}")
            n_args = sum(len(e.get("arguments", [])) for e in data.get("events", []))
            if args.get(pk, 0) != n_args:
                problems.append(f"document {pk}: event_arguments rows {args.get(pk, 0)}, JSON {n_args}")
        shas = {r[0] for r in con.execute("SELECT sha256 FROM documents")}
        copies = [(s, r) for s, r in con.execute("SELECT source, record FROM copies")]
    finally:
        con.close()
    return problems, shas, copies


def pg_database(base: str, name: str, *, drop: bool = False) -> str:
    """Create (or drop) database ``name`` on the server of ``base``; returns its URL."""
    import psycopg

    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop:
            con.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + "/" + name


def trial(n: int, rng: random.Random, scratch: Path, articles: int, verbose: bool, pg: str | None = None) -> Trial:
    paths = pick_subset(rng, scratch, rng.randint(articles // 2, articles))
    shas, copies = expected_set(paths)
    batch = rng.choice((1, 3, 10, 50))
    db: Path | str = pg_database(pg, f"marsad_crash_{n}") if pg else scratch / f"crash{n}.db"
    cmd = ingest_cmd(paths, db, batch)
    startup, per_article = CALIBRATION
    full = startup + per_article * len(shas)  # how long this ingest would run, as measured at the start
    t = Trial(n, len(paths), len(shas), batch, kill_at=rng.uniform(
        startup * (0.8 if rng.random() < 0.6 else 0.3), full))  # most kills while batches are being written
    if rng.random() < 0.5:  # half the trials: kill just after a first batch is committed
        t.kill_at = -rng.uniform(0.0, 0.5)  # negative: seconds after the first commit
        t.finished_before_kill = run_killed(cmd, 0, watch=db, extra=-t.kill_at)
    else:
        t.finished_before_kill = run_killed(cmd, t.kill_at)
    problems, stored, _ = check_store(db)
    t.stored_at_kill = len(stored)
    t.problems += problems
    if stored - shas:
        t.problems.append(f"{len(stored - shas)} stored contents the inputs do not hold")
    while rng.random() < 0.3 and t.resumed_kills < 3:  # crash the resumed run too
        t.resumed_kills += 1
        run_killed(cmd, rng.uniform(0.2, full))
        problems, _, _ = check_store(db)
        t.problems += [f"after kill {t.resumed_kills + 1}: {p}" for p in problems]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=REPO, timeout=600)
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        t.problems.append(f"re-run exit {done.returncode}: {done.stderr.strip()[-300:]}")
    problems, stored, stored_copies = check_store(db)
    t.problems += [f"after re-run: {p}" for p in problems]
    t.lost = len(shas - stored)
    dup = Counter(stored_copies)
    t.duplicates = sum(c - 1 for c in dup.values() if c > 1) + max(0, len(stored_copies) - len(copies))
    if set(stored_copies) != copies:
        t.problems.append(f"copies differ: {len(copies - set(stored_copies))} missing, "
                          f"{len(set(stored_copies) - copies)} unexpected")
    if pg:
        pg_database(pg, f"marsad_crash_{n}", drop=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if verbose:
        state = ("finished" if t.finished_before_kill else f"killed at {t.kill_at:.1f}s" if t.kill_at >= 0
                 else f"killed {-t.kill_at:.2f}s after the first commit")
        print(f"{'pg ' if pg else ''}trial {n:3d}: {len(paths):2d} inputs, {t.expected:2d} articles, batch {batch:2d}, {state}, "
              f"{t.stored_at_kill:2d} stored at kill, +{t.resumed_kills} resumed kills, lost {t.lost}, "
              f"dup {t.duplicates}, problems {len(t.problems)}", flush=True)
        for p in t.problems[:5]:
            print("   ", p, flush=True)
    return t


CALIBRATION = (2.0, 0.1)


def calibrate(scratch: Path, pg: str | None = None) -> tuple[float, float]:
    """Seconds of start-up and per article of a full ``marsad ingest`` on this machine, now."""
    ant = sorted((NEWS / "ant_jawharafm").rglob("*.txt"))
    times = []
    for k, n in enumerate((1, 21)):
        db: Path | str = pg_database(pg, f"marsad_calibrate{k}") if pg else scratch / f"calibrate{k}.db"
        t0 = time.perf_counter()
        subprocess.run(ingest_cmd([str(p) for p in ant[-n:]], db, 10), capture_output=True, cwd=REPO, check=False)
        times.append(time.perf_counter() - t0)
        if pg:
            pg_database(pg, f"marsad_calibrate{k}", drop=True)
    return times[0], max(0.02, (times[1] - times[0]) / 20)


def summarize(trials: list[Trial], seconds: float) -> list[tuple[str, str]]:
    kills = sum(1 + t.resumed_kills for t in trials if not t.finished_before_kill) + sum(
        t.resumed_kills for t in trials if t.finished_before_kill)
    mid = sum(1 for t in trials if not t.finished_before_kill and 0 < t.stored_at_kill < t.expected)
    return [
        ("trials", str(len(trials))),
        ("SIGKILLs delivered (incl. kills of resumed runs)", str(kills)),
        ("killed before the first commit", str(sum(1 for t in trials if not t.finished_before_kill
                                                   and t.stored_at_kill == 0))),
        ("killed mid-ingest (some batches stored)", str(mid)),
        ("killed after the last commit (before exit)", str(sum(1 for t in trials if not t.finished_before_kill
                                                                and t.stored_at_kill == t.expected))),
        ("finished before the kill", str(sum(t.finished_before_kill for t in trials))),
        ("articles expected (all trials)", str(sum(t.expected for t in trials))),
        ("stores that failed to open / integrity / FTS / half-written", str(sum(bool(t.problems) for t in trials))),
        ("records lost after re-run", str(sum(t.lost for t in trials))),
        ("duplicates after re-run", str(sum(t.duplicates for t in trials))),
        ("crashes survived (all checks passed)",
         f"{sum(not t.problems and not t.lost and not t.duplicates for t in trials)}/{len(trials)}"),
        ("wall time", f"{seconds:.0f} s"),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--articles", type=int, default=30, help="largest subset (files) per trial")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both",
                    help="PostgreSQL needs MARSAD_TEST_PG (a server URL whose user may create databases)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not (NEWS / "ant_jawharafm").is_dir():
        print(f"no news data at {NEWS}", file=sys.stderr)
        return 2
    backends = {"sqlite": ["sqlite"], "postgresql": ["postgresql"], "both": ["sqlite", "postgresql"]}[args.backend]
    pg_url = os.environ.get("MARSAD_TEST_PG")
    if "postgresql" in backends and not ((REPO / "marsad" / "store" / "postgres.py").is_file() and pg_url):
        print("PostgreSQL: skipped (no marsad/store/postgres.py or no MARSAD_TEST_PG)", file=sys.stderr)
        backends.remove("postgresql")
    global CALIBRATION
    status = 0
    for backend in backends:
        rng = random.Random(args.seed)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="marsad-crash-") as tmp:
            pg = pg_url if backend == "postgresql" else None
            CALIBRATION = calibrate(Path(tmp), pg)
            print(f"{backend} calibration: start-up {CALIBRATION[0]:.1f} s, {CALIBRATION[1]:.2f} s an article",
                  file=sys.stderr)
            trials = [trial(i + 1, rng, Path(tmp), args.articles, args.verbose, pg) for i in range(args.trials)]
        rows = summarize(trials, time.perf_counter() - started)
        width = max(len(k) for k, _ in rows)
        print(f"{backend + ' crash trials':<{width}}  value")
        for k, v in rows:
            print(f"{k:<{width}}  {v}")
        bad = [t for t in trials if t.problems or t.lost or t.duplicates]
        for t in bad[:10]:
            print(f"FAIL {backend} trial {t.n} (seed {args.seed}): lost {t.lost}, dup {t.duplicates}: {t.problems[:3]}")
        status = status or (1 if bad else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
