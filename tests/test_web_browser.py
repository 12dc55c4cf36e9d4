"""End to end in a real headless Chromium (Debian's, driven by Playwright): the real CLI ingests the seed, the
real server (uvicorn, loopback) serves it, a user searches, reads, follows an entity and downloads the CSV;
hostile article text never executes.

Set ``MARSAD_SCREENSHOTS=docs/screenshots`` to also save screenshots of the main pages.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = "browser-test-token-31f5"
PEOPLE = {"بيني غانتس", "عبد الرحيم بيوض", "عبد اللطيف لوديي"}
GANTZ_QUOTE = "كان من دواعي سروري اليوم"
XSS_TITLE = "<script>window.__pwned=1;alert('t')</script> عنوان <img src=x onerror=\"window.__pwned=2;alert(1)\">"
XSS_TEXT = ("خبر فيه <img src=x onerror=\"window.__pwned=3;alert(2)\"> و <script>window.__pwned=4;alert(3)</script> "
            "و <svg onload=alert(4)> و <a href=\"javascript:alert(5)\">رابط</a> عن الرباط. "
            "وقال وزير الخارجية ناصر بوريطة “<img src=y onerror=\"window.__pwned=5;alert(7)\"> نحن مستعدون للحوار”.")
MARSAD = [sys.executable, "-m", "marsad"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[str]:
    if not Path(CHROMIUM).is_file():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api")
    db = str(tmp_path_factory.mktemp("browser") / "e2e.db")
    subprocess.run([*MARSAD, "ingest", str(seed_path), "--db", db, "-q"], check=True, timeout=300)
    port = _free_port()
    env = {**os.environ, "MARSAD_TOKEN": TOKEN}
    proc = subprocess.Popen([*MARSAD, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        record = json.dumps({"title": XSS_TITLE, "text": XSS_TEXT, "site": "<b>evil</b>", "date": "2022-01-02",
                             "url": "javascript:alert(6)"}, ensure_ascii=False).encode()
        r = httpx.post(f"{base}/api/ingest", files={"file": ("xss.jsonl", record)},
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120)
        assert r.status_code == 200 and r.json()["added"] == 1, r.text
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _shot(pg: object, name: str) -> None:
    folder = os.environ.get("MARSAD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(folder) / f"{name}.png"))  # type: ignore[attr-defined]


def test_search_read_follow_entity_and_download_csv(page: object, server: str) -> None:
    pg = page
    pg.goto(server + "/")
    pg.fill("header form.quick input[name=q]", "غانتس")
    pg.press("header form.quick input[name=q]", "Enter")
    pg.wait_for_url("**/search?q=*")
    assert "نتيجة" in pg.inner_text("#result-count")
    assert pg.locator("mark.hit").first.inner_text() == "غانتس"
    _shot(pg, "search")
    pg.click("ol.results a.title >> text=وزير الأمن الإسرائيلي")
    pg.wait_for_url("**/article/*")
    # the three people are marked PERSON, in the PERSON colour, in the text (this checks the page shows what
    # the analysis holds; NER precision itself is gated by tests/test_ner_*.py and measured in benchmarks)
    canonicals = set(pg.eval_on_selector_all(".article .text .ent-PERSON", "els => els.map(e => e.dataset.canonical)"))
    assert canonicals >= PEOPLE
    styles = pg.eval_on_selector_all(".article .text .ent-PERSON",
                                     "els => els.map(e => getComputedStyle(e).borderBottomColor)")
    assert len(set(styles)) == 1 and styles[0] not in ("rgba(0, 0, 0, 0)", "")
    assert pg.locator(".para.dup .dup-label").count() == 1
    assert pg.evaluate("document.fonts.check('16px \"Noto Naskh Arabic\"')")
    assert pg.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Noto Naskh Arabic"')
    # click a mention: the panel shows canonical name, role and confidence
    pg.click('.article .text .ent-PERSON[data-canonical="بيني غانتس"] >> nth=0')
    panel = pg.locator("#info-panel")
    assert panel.is_visible() and "بيني غانتس" in panel.inner_text() and "وزير الأمن الإسرائيلي" in panel.inner_text()
    _shot(pg, "article")
    panel.locator("a").click()
    pg.wait_for_url("**/entity/*")
    assert pg.inner_text("h1") == "بيني غانتس"
    assert GANTZ_QUOTE in pg.inner_text("#quotes")
    assert pg.locator("svg.network circle").count() >= 3
    _shot(pg, "entity")
    pg.goto(server + "/events")
    with pg.expect_download() as info:
        pg.click("#csv-download")
    path = info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8-sig"))))
    assert {"MEET", "SIGN_AGREEMENT", "ARMS_TRANSFER"} <= {r["type"] for r in rows}
    assert any("غانتس" in r["arguments"] and "بيوض" in r["arguments"] for r in rows if r["type"] == "MEET")
    _shot(pg, "events")
    assert pg.dialogs == []


def test_hostile_article_text_shows_as_text_and_never_runs(page: object, server: str) -> None:
    pg = page
    violations: list[str] = []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    items = httpx.get(server + "/api/articles", params={"source": "<b>evil</b>"}).json()["items"]
    assert len(items) == 1
    for url in (f"/article/{items[0]['id']}", "/search?q=الرباط", "/search?source=%3Cb%3Eevil%3C%2Fb%3E",
                "/events", "/", "/entities?q=%3Cscript%3E", "/quotes", "/search?q=%3Cscript%3E"):
        pg.goto(server + url)
        pg.wait_for_load_state("load")
        assert pg.evaluate("window.__pwned === undefined"), url
        assert pg.locator('main script:not([type="application/json"]), main img, main [onerror], main [onload]').count() == 0, url
    pg.goto(server + "/quotes")
    assert "<img src=y onerror=" in pg.inner_text("main")  # a quote carrying markup is shown as text
    pg.goto(server + f"/article/{items[0]['id']}")
    assert pg.inner_text("h1.headline") == XSS_TITLE
    body = pg.inner_text(".article .text")
    assert "<script>window.__pwned=4;alert(3)</script>" in body and "<img src=x onerror=" in body
    assert pg.locator('a[href^="javascript:"]').count() == 0
    pg.wait_for_timeout(300)
    assert pg.dialogs == [] and pg.evaluate("window.__pwned === undefined")
    _shot(pg, "xss-escaped")


def test_dashboard_charts_draw_under_the_csp(page: object, server: str) -> None:
    pg = page
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto(server + "/")
    pg.wait_for_load_state("networkidle")
    assert pg.locator("canvas#chart-per-source").count() == 1
    assert pg.evaluate("Chart.getChart('chart-per-source') !== undefined")
    _shot(pg, "dashboard")
    pg.goto(server + "/api/docs")
    pg.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert errors == [], errors
