"""Screenshots of the main web pages, taken with Debian's headless Chromium (the one the browser tests use).

    nice -n 10 .venv/bin/python bench/web_screenshots.py --db /tmp/webdemo.db --out docs/screenshots

The store should hold the seed article (its page is the "article" shot); the demo store in docs/benchmarks.md
("Web") is the seed plus ant_jawharafm/politic and internationalNews.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEED_ID = "bfab4527089b7e39"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", default="docs/screenshots")
    ap.add_argument("--query", default="الشاهد")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", args.db, "--port", str(port),
                             "--log-level", "warning"], env={**os.environ, "MARSAD_TOKEN": ""})
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        people = httpx.get(base + "/api/entities", params={"type": "PERSON", "limit": 1}, timeout=30).json()
        person = people["items"][0]["id"] if people["items"] else "a726e4f8c0648056"
        shots = [("dashboard", "/"), ("search", f"/search?q={args.query}"), ("article", f"/article/{SEED_ID}"),
                 ("entity", f"/entity/{person}"), ("events", "/events"), ("quotes", "/quotes"),
                 ("stories", "/stories"), ("brief", "/brief?since=2w"), ("api-docs", "/api/docs")]
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, timeout=300_000)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, url in shots:
                page.goto(base + url, timeout=120_000)
                page.wait_for_load_state("networkidle")
                if name == "article":  # show the info panel of a PERSON mention
                    page.click('.article .text .ent-PERSON >> nth=1')
                page.wait_for_timeout(400)
                page.screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
