"""A dependency-free SVG of the scale benchmark's growth curves (bench/scale_bench.py plot)."""

from __future__ import annotations

import math
from typing import Any

W, H, PAD = 300, 230, 52
COLOURS = {"sqlite": "#1f77b4", "postgres": "#d62728", "one process → SQLite": "#1f77b4",
           "Spark local[2] → Parquet": "#ff7f0e", "COPY load → PostgreSQL": "#2ca02c", "parquet": "#ff7f0e",
           "sqlite p50": "#9ecae1", "postgres p50": "#f4a6a6"}
Series = dict[str, list[tuple[float, float]]]


def _panel(x0: int, title: str, series: Series, ylabel: str) -> list[str]:
    pts = [p for s in series.values() for p in s]
    if not pts:
        return []
    xs = [math.log10(x) for x, _ in pts]
    ymax = max(y for _, y in pts) * 1.1 or 1.0
    xmin, xmax = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def sx(x: float) -> float:
        return x0 + PAD + (math.log10(x) - xmin) / (xmax - xmin) * (W - PAD - 30)

    def sy(y: float) -> float:
        return H - PAD + 10 - y / ymax * (H - PAD - 30)

    out = [f'<text x="{x0 + W / 2}" y="14" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<line x1="{x0 + PAD}" y1="{H - PAD + 10}" x2="{x0 + W - 10}" y2="{H - PAD + 10}" stroke="#333"/>',
           f'<line x1="{x0 + PAD}" y1="30" x2="{x0 + PAD}" y2="{H - PAD + 10}" stroke="#333"/>',
           (f'<text x="{x0 + 12}" y="{H / 2}" transform="rotate(-90 {x0 + 12} {H / 2})" '
            f'text-anchor="middle">{ylabel}</text>'),
           f'<text x="{x0 + W / 2}" y="{H - 4}" text-anchor="middle">articles (log)</text>']
    for frac in (0, 0.5, 1):
        y = ymax / 1.1 * frac
        label = f"{y:,.0f}" if y >= 100 else f"{y:.3g}"
        out.append(f'<text x="{x0 + PAD - 4}" y="{sy(y) + 4}" text-anchor="end">{label}</text>')
    for x in sorted({x for x, _ in pts}):
        out.append(f'<text x="{sx(x)}" y="{H - PAD + 24}" text-anchor="middle">{int(x):,}</text>')
    for i, (name, s) in enumerate(series.items()):
        s = sorted(s)
        colour = COLOURS.get(name, "#555")
        dash = ' stroke-dasharray="4 3"' if "p50" in name or "CPU" in name else ""
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{path}"/>')
        out += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in s]
        out.append(f'<text x="{x0 + PAD + 8}" y="{32 + 13 * i}" fill="{colour}">{name}</text>')
    return out


def _latest(rows: list[dict[str, Any]]) -> dict[tuple[str, str, int], dict[str, Any]]:
    """The last row per (phase, label or backend, size): a rerun replaces the earlier one."""
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    for r in rows:
        if r.get("phase") in ("cmd", "search", "parquet") and "size" in r and r.get("plot", True):
            out[(r["phase"], r.get("label") if r["phase"] == "cmd" else r.get("backend", ""), r["size"])] = r
    return out


def write_svg(rows: list[dict[str, Any]], path: str) -> None:
    """Four panels against articles: full-pipeline rate, search p50/p95, store size, peak RSS."""
    latest = _latest(rows)

    def pick(phase: str, who: str, key: str) -> list[tuple[float, float]]:
        return [(size, float(r[key])) for (ph, w, size), r in latest.items()
                if ph == phase and w == who and r.get(key) is not None]

    names = {"single ingest sqlite": "one process → SQLite", "spark-ingest local[2]": "Spark local[2] → Parquet",
             "load postgres": "COPY load → PostgreSQL"}
    rate: Series = {names[k]: pick("cmd", k, "articles_per_s") for k in list(names)[:2]}
    search: Series = {"sqlite": pick("search", "sqlite", "search_p95_ms"),
                      "postgres": pick("search", "postgres", "search_p95_ms"),
                      "sqlite p50": pick("search", "sqlite", "search_p50_ms"),
                      "postgres p50": pick("search", "postgres", "search_p50_ms")}
    size: Series = {"sqlite": pick("search", "sqlite", "store_mb"), "postgres": pick("search", "postgres", "store_mb"),
                    "parquet": pick("parquet", "", "parquet_mb")}
    rss: Series = {names[k]: pick("cmd", k, "peak_rss_largest_mb") for k in names}
    keep = (lambda s: {k: v for k, v in s.items() if v})
    body = (_panel(0, "full pipeline (articles/s, wall)", keep(rate), "articles/s")
            + _panel(W, "search p95, p50 dashed (ms)", keep(search), "ms")
            + _panel(2 * W, "store size (MB)", keep(size), "MB")
            + _panel(3 * W, "peak RSS, largest process (MB)", keep(rss), "MB"))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{4 * W}" height="{H}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(svg)
