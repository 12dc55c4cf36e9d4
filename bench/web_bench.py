"""Web load benchmark: requests/s and latency percentiles of the search and article pages (and their API
twins) under concurrent clients, on 127.0.0.1 only, bounded in time and request count.

    nice -n 10 .venv/bin/python bench/web_bench.py --db /tmp/webdemo.db --clients 16 --seconds 15
    nice -n 10 .venv/bin/python bench/web_bench.py --db postgresql://postgres@127.0.0.1:5432/news --clients 16

``--db`` is anything ``marsad serve --db`` takes: an SQLite file or a ``postgresql://`` URL. ``--compare DB2``
instead checks that the API answers the same over both stores (e.g. the same articles in SQLite and PostgreSQL).

It starts ``marsad serve`` on a free loopback port (or uses ``--url http://127.0.0.1:PORT``), draws search
words from stored titles and article ids from ``/api/articles`` (seeded), then runs each scenario with
``--clients`` concurrent httpx clients until ``--seconds`` or ``--max-requests`` is reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse

import httpx

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def run_scenario(base: str, paths: list[str], clients: int, seconds: float, max_requests: int
                       ) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.perf_counter() + seconds
    rng = random.Random(7)

    async def worker() -> None:
        nonlocal errors, issued
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline and issued < max_requests:
                issued += 1
                path = rng.choice(paths)
                start = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    wall = time.perf_counter() - started
    ms = [x * 1000 for x in latencies]
    return {"requests": len(latencies), "errors": errors, "seconds": wall, "rps": len(latencies) / wall,
            "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "mean": statistics.fmean(ms) if ms else float("nan")}


def sample_targets(base: str, n: int, seed: int) -> tuple[list[str], list[str]]:
    """Search words (from stored titles) and article ids, drawn with a fixed seed."""
    rng = random.Random(seed)
    items: list[dict[str, object]] = []
    with httpx.Client(base_url=base, timeout=60) as c:
        offset = 0
        while len(items) < 2000:
            page = c.get("/api/articles", params={"limit": 100, "offset": offset}).json()["items"]
            if not page:
                break
            items += page
            offset += 100
    ids = [str(a["id"]) for a in items]
    words = sorted({w for a in items for w in re.findall(r"[\u0621-\u064a]{4,}", str(a.get("title") or ""))})
    rng.shuffle(ids)
    rng.shuffle(words)
    return words[:n], ids[:n]


def time_routes(base: str, ids: list[str], n: int) -> None:
    """Median and worst latency of each page and listing route, one request at a time (warm caches)."""
    with httpx.Client(base_url=base, timeout=120) as c:
        story = c.get("/api/stories", params={"min_articles": 1, "limit": 1}).json()["items"]
        entity = c.get("/api/entities", params={"limit": 1}).json()["items"]
        routes = ["/", "/api/stats", "/entities", "/api/entities?q=تونس", "/events", "/api/events?limit=100",
                  "/api/events.csv", "/quotes", "/api/speakers", "/stories", "/api/stories", "/brief?since=7d"]
        routes += [f"/entity/{entity[0]['id']}"] if entity else []
        routes += [f"/story/{story[0]['id']}"] if story else []
        routes += [f"/api/articles/{ids[0]}/copies"] if ids else []
        print(f"\n{'route (one client, warm)':40s} {'median ms':>9s} {'max ms':>8s}")
        for route in routes:
            times = []
            for _ in range(n + 1):
                start = time.perf_counter()
                r = c.get(route)
                times.append((time.perf_counter() - start) * 1000)
                if r.status_code != 200:
                    print(f"{route:40s} HTTP {r.status_code}")
                    break
            else:
                times = times[1:]  # the first request fills caches
                print(f"{route:40s} {statistics.median(times):9.1f} {max(times):8.1f}")


COMPARED = [("/api/articles", {"limit": 100}), ("/api/articles", {"source": "marsum_goud", "limit": 50}),
            ("/api/articles", {"since": "2017-02", "until": "2017-03", "limit": 100}),
            ("/api/entities", {"limit": 100}), ("/api/entities", {"q": "تونس", "limit": 100}),
            ("/api/entities", {"type": "PLACE", "limit": 100}), ("/api/events", {"limit": 100}),
            ("/api/events", {"type": "MEET", "limit": 100}), ("/api/quotes", {"limit": 100}),
            ("/api/speakers", {"limit": 100}), ("/api/stories", {"limit": 100}), ("/api/stats", {}),
            ("/api/entities/تونس", {}), ("/api/brief", {"since": "7d"})]


def _comparable(value: object) -> object:
    """An API answer without what two stores of the same articles may differ in (ingest times, sizes, and
    the order of a story's tied key entities, which follows string hashing)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()
                if k not in ("ingested_at", "db_bytes", "schema_version", "key_entities")}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def compare(db: str, other: str) -> None:
    """Whether the API answers the same over two stores holding the same articles (in-process)."""
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    with TestClient(create_app(db)) as a, TestClient(create_app(other)) as b:
        same = 0
        for path, params in COMPARED:
            ra, rb = a.get(path, params=params), b.get(path, params=params)
            ok = ra.status_code == rb.status_code == 200 and _comparable(ra.json()) == _comparable(rb.json())
            same += ok
            print(f"{'same' if ok else 'DIFFERENT':9s} {path} {params}")
        print(f"{same}/{len(COMPARED)} routes answer the same")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="store to serve, an SQLite file or a postgresql:// URL (starts `marsad serve` on a "
                                 "free loopback port)")
    ap.add_argument("--url", help="an already running server on loopback, e.g. http://127.0.0.1:8000")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=15.0, help="per scenario (capped at 120)")
    ap.add_argument("--max-requests", type=int, default=20_000, help="per scenario (capped at 100,000)")
    ap.add_argument("--targets", type=int, default=200, help="distinct queries / articles to draw")
    ap.add_argument("--workers", type=int, default=1, help="server processes (with --db)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--routes", type=int, default=0, metavar="N",
                    help="also time every listing route N times, one request at a time (median ms)")
    ap.add_argument("--compare", metavar="DB2", help="only check that every listed API route answers the same over "
                                                     "--db and DB2 (the same articles in two stores)")
    args = ap.parse_args()
    if args.compare:
        compare(args.db, args.compare)
        return
    seconds, max_requests = min(args.seconds, 120.0), min(args.max_requests, 100_000)
    clients = max(1, min(args.clients, 256))
    proc = None
    if args.url:
        base = args.url.rstrip("/")
        if urlparse(base).hostname not in LOOPBACK:
            sys.exit("web_bench: only loopback servers (127.0.0.1) may be loaded")
    elif args.db:
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", args.db, "--host", "127.0.0.1",
                                 "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
                                env={**os.environ, "MARSAD_TOKEN": ""})
    else:
        sys.exit("web_bench: give --db or --url")
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            sys.exit("web_bench: server did not answer")
        # wait for the server's background warm-up (stories, copy index) so it does not compete with the load
        httpx.get(base + "/api/stories", params={"limit": 1}, timeout=600)
        stats = httpx.get(base + "/api/stats", timeout=30).json()
        words, ids = sample_targets(base, args.targets, args.seed)
        if ids:
            httpx.get(f"{base}/api/articles/{ids[0]}/copies", timeout=600)
        scenarios = {
            "search page  /search?q=": [f"/search?q={w}" for w in words],
            "search API   /api/search?q=": [f"/api/search?q={w}" for w in words],
            "article page /article/ID": [f"/article/{i}" for i in ids],
            "article API  /api/articles/ID": [f"/api/articles/{i}" for i in ids],
        }
        backend = "PostgreSQL" if (args.db or "").startswith(("postgresql://", "postgres://")) else "SQLite"
        print(f"store: {stats['documents']} articles ({backend if args.db else args.url}) · {clients} clients · ≤{seconds:.0f} s or ≤{max_requests} "
              f"requests per scenario · server workers {args.workers} · cpus {os.cpu_count()} · "
              f"load {os.getloadavg()[0]:.1f}")
        print(f"{'scenario':32s} {'requests':>8s} {'errors':>6s} {'req/s':>7s} {'p50 ms':>7s} {'p95 ms':>7s} "
              f"{'p99 ms':>7s} {'load':>5s}")
        for name, paths in scenarios.items():
            asyncio.run(run_scenario(base, paths[:5], 2, 1.0, 50))  # warm caches and connections
            r = asyncio.run(run_scenario(base, paths, clients, seconds, max_requests))
            # load: the machine's 1-minute load average at the end of the scenario (shared machine)
            print(f"{name:32s} {r['requests']:8d} {r['errors']:6d} {r['rps']:7.1f} {r['p50']:7.1f} {r['p95']:7.1f} "
                  f"{r['p99']:7.1f} {os.getloadavg()[0]:5.1f}")
        if args.routes:
            time_routes(base, ids, args.routes)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
