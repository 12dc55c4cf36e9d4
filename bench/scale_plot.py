"""A dependency-free SVG of the scale benchmark's growth curves (bench/scale_bench.py plot)."""

from __future__ import annotations

import math
from typing import Any

W, H, PAD = 300, 220, 52
COLOURS = {"sqlite": "#1f77b4", "postgres": "#d62728", "postgres COPY load": "#2ca02c"}


def _panel(x0: int, title: str, series: dict[str, list[tuple[float, float]]], ylabel: str) -> list[str]:
    pts = [p for s in series.values() for p in s]
    if not pts:
        return []
    xs = [math.log10(x) for x, _ in pts]
    ymax = max(y for _, y in pts) * 1.1 or 1.0
    xmin, xmax = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def sx(x: float) -> float:
        return x0 + PAD + (math.log10(x) - xmin) / (xmax - xmin) * (W - PAD - 30)

    def sy(y: float) -> float:
        return H - PAD + 10 - y / ymax * (H - PAD - 20)

    out = [f'<text x="{x0 + W / 2}" y="14" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<line x1="{x0 + PAD}" y1="{H - PAD + 10}" x2="{x0 + W - 10}" y2="{H - PAD + 10}" stroke="#333"/>',
           f'<line x1="{x0 + PAD}" y1="20" x2="{x0 + PAD}" y2="{H - PAD + 10}" stroke="#333"/>',
           (f'<text x="{x0 + 12}" y="{H / 2}" transform="rotate(-90 {x0 + 12} {H / 2})" '
            f'text-anchor="middle">{ylabel}</text>'),
           f'<text x="{x0 + W / 2}" y="{H - 4}" text-anchor="middle">documents (log)</text>']
    for frac in (0, 0.5, 1):
        y = ymax * frac
        label = f"{y:,.0f}" if y >= 100 else f"{y:.3g}"
        out.append(f'<text x="{x0 + PAD - 4}" y="{sy(y) + 4}" text-anchor="end">{label}</text>')
    for x in sorted({x for x, _ in pts}):
        out.append(f'<text x="{sx(x)}" y="{H - PAD + 24}" text-anchor="middle">{int(x):,}</text>')
    for i, (name, s) in enumerate(series.items()):
        s = sorted(s)
        colour = COLOURS.get(name, "#555")
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>')
        out += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in s]
        out.append(f'<text x="{x0 + PAD + 8}" y="{32 + 14 * i}" fill="{colour}">{name}</text>')
    return out


def write_svg(rows: list[dict[str, Any]], path: str) -> None:
    """Search p95, store size and ingest rate against store size, one line per backend (latest run wins)."""
    latest: dict[tuple[str, str, int], dict[str, Any]] = {}
    for r in rows:
        if r.get("phase") in ("store", "load"):
            latest[(r["phase"], r["backend"], r["size"])] = r

    def series(phase: str, key: str) -> dict[str, list[tuple[float, float]]]:
        """Per backend; a PostgreSQL size measured only after a COPY load counts as PostgreSQL."""
        out: dict[str, list[tuple[float, float]]] = {}
        for (ph, backend, size), r in latest.items():
            if key in r and (ph == phase or (ph == "load" and ("store", backend, size) not in latest)):
                out.setdefault(backend, []).append((size, float(r[key])))
        return out

    rate = series("store", "ingest_per_s")
    for size_rate in series("load", "load_per_s").get("postgres", []):
        rate.setdefault("postgres COPY load", []).append(size_rate)
    body = (_panel(0, "search p95 (ms, wall)", series("store", "search_p95_ms"), "ms")
            + _panel(W, "store size (MB)", series("store", "store_mb"), "MB")
            + _panel(2 * W, "ingest (documents/s, wall)", rate, "docs/s"))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{3 * W}" height="{H}" font-family="sans-serif" '
           f'font-size="11"><rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(svg)
