"""A corpus of XSS payloads in titles, bodies, entity names, quotes, URLs, sites and query strings, served by
the real ``marsad serve`` and opened in Chromium: none may execute (no dialog, no ``window.__pwned``, no
injected element). tests/test_web_browser.py holds a handful of payloads inside its feature tests; this is
the corpus (run: ``.venv/bin/pytest -m browser tests/test_web_xss.py``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from marsad.model import Analysis, Document, Entity, Mention, Paragraph, Provenance, Quote
from marsad.store import open_store

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: Each payload, if it ran, would set window.__pwned and/or open a dialog. {n} numbers them.
TEMPLATES = (
    "<script>window.__pwned={n};alert({n})</script>", "<img src=x onerror=\"window.__pwned={n}\">",
    "<svg onload=window.__pwned={n}>", "<svg><script>window.__pwned={n}</script></svg>",
    "<body onload=window.__pwned={n}>", "<iframe src=\"javascript:window.parent.__pwned={n}\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__pwned={n}</script>\"></iframe>", "<a href=\"javascript:window.__pwned={n}\">x</a>",
    "\"><script>window.__pwned={n}</script>", "'><img src=x onerror=window.__pwned={n}>",
    "</textarea><script>window.__pwned={n}</script>", "</title><script>window.__pwned={n}</script>",
    "</script><script>window.__pwned={n}</script>", "<math><mtext></p><img src=x onerror=window.__pwned={n}>",
    "<details open ontoggle=window.__pwned={n}>", "<video><source onerror=\"window.__pwned={n}\"></video>",
    "<audio src=x onerror=window.__pwned={n}>", "<input autofocus onfocus=window.__pwned={n}>",
    "<marquee onstart=window.__pwned={n}>", "<object data=\"javascript:window.__pwned={n}\"></object>",
    "<embed src=\"javascript:window.__pwned={n}\">", "<form><button formaction=javascript:window.__pwned={n}>x",
    "<meta http-equiv=refresh content=\"0;url=javascript:window.__pwned={n}\">", "<base href=\"javascript:/\">",
    "<link rel=stylesheet href=\"javascript:window.__pwned={n}\">", "<style>@import 'javascript:x{n}';</style>",
    "<div style=\"background:url(javascript:window.__pwned={n})\">", "<img src=\"x\" onerror=\"&#119;indow.__pwned={n}\">",
    "<img src=x onerror=&#x77;indow.__pwned={n}>", "<scr<script>ipt>window.__pwned={n}</scr</script>ipt>",
    "<SCRIPT>window.__pwned={n}</SCRIPT>", "<script src=data:text/javascript,window.__pwned={n}></script>",
    "<img src=x:alert({n}) onerror=eval(src)>", "javascript:window.__pwned={n}", "data:text/html,<script>parent.__pwned={n}</script>",
    "{{{{constructor.constructor('window.__pwned={n}')()}}}}", "${{window.__pwned={n}}}",
    "<template><script>window.__pwned={n}</script></template>", "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned={n}>\">",
    "<svg><animate onbegin=window.__pwned={n} attributeName=x dur=1s>", "<x onclick=window.__pwned={n}>click",
    "\u202e<script>window.__pwned={n}</script>\u202c", "<img src=x onerror=window.__pwned={n}//", "<!--<img src=x onerror=window.__pwned={n}>-->",
    "<![CDATA[<script>window.__pwned={n}</script>]]>", "<select><style></select><img src=x onerror=window.__pwned={n}>",
    "<table><td background=\"javascript:window.__pwned={n}\">", "<isindex action=javascript:window.__pwned={n} type=image>",
    "\"onmouseover=\"window.__pwned={n}\" x=\"", "';window.__pwned={n};//", "</a><a href=javascript:window.__pwned={n}>",
    "<img/src=x/onerror=window.__pwned={n}>", "<svg/onload=window.__pwned={n}//",
)
PAYLOADS = [t.format(n=i + 1) for i, t in enumerate(TEMPLATES)]


def _analysis(i: int, payload: str) -> Analysis:
    """An article carrying the payload in its title, body, an entity name, a quote, its URL and site."""
    body = f"قال وزير الخارجية {payload} إن الاتفاق رقم {i} قائم.\nوأضاف «{payload}» في بيان."
    doc = Document(text=body, provenance=Provenance(source=f"xss/{i}.txt", format="jsonl"), title=f"خبر {payload}",
                   url=payload if i % 2 else f"https://example.org/{payload}", site=f"موقع {payload}",
                   published="2017-02-06", author=payload)
    a = Analysis(doc, title=doc.title)
    first_end = body.index("\n")
    a.paragraphs += [Paragraph(1, 0, first_end), Paragraph(2, first_end + 1, len(body))]
    start = body.index(payload)
    name = body[start:start + len(payload)]
    a.mentions.append(Mention("PERSON", start, start + len(payload), name, 1, name, entity_id=f"x{i}",
                              canonical=name, role=payload))
    a.entities.append(Entity(f"x{i}", "PERSON", name, [0], [name], roles=[payload], latin=payload))
    q_start = body.index("«") + 1
    a.quotes.append(Quote(payload, q_start, q_start + len(payload), 2, speaker=name, speaker_entity_id=f"x{i}",
                          verb="قال"))
    return a


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).is_file():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api")
    import httpx

    if request.param == "postgresql":  # the same corpus served from PostgreSQL
        from test_postgres import fresh_database  # tests/ is on sys.path

        dbs = fresh_database(os.environ.get("MARSAD_TEST_PG") or pytest.skip("MARSAD_TEST_PG not set"))
        db = next(dbs)
        request.addfinalizer(lambda: next(dbs, None))
    else:
        db = str(tmp_path_factory.mktemp("xss") / "xss.db")
    with open_store(db) as store:
        store.add([_analysis(i, p) for i, p in enumerate(PAYLOADS)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", db, "--host", "127.0.0.1", "--port",
                             str(port), "--log-level", "warning"], env={**os.environ, "MARSAD_TOKEN": "x" * 32})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_no_payload_executes_anywhere(server: str) -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    ids = [a["id"] for a in httpx.get(f"{server}/api/articles", params={"limit": 100}, timeout=30).json()["items"]]
    assert len(ids) == len(PAYLOADS)
    urls = ["/", "/entities", "/quotes", "/events", "/stories", "/brief"]
    urls += [f"/article/{i}" for i in ids]
    urls += [f"/entity/x{i}" for i in range(0, len(PAYLOADS), 5)]
    urls += [f"/search?q={quote(p)}" for p in PAYLOADS] + [f"/entities?q={quote(p)}" for p in PAYLOADS[::4]]
    urls += [f"/search?q=%D8%A7%D9%84%D8%A7%D8%AA%D9%81%D8%A7%D9%82&source={quote(p)}" for p in PAYLOADS[::7]]
    dialogs: list[str] = []
    statuses: dict[str, int] = {}
    shown = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in urls:
            r = page.goto(server + url, wait_until="load")
            statuses[url] = r.status if r else 0
            page.wait_for_timeout(30)
            page.mouse.move(5, 5)  # onmouseover / onfocus style payloads get their chance
            assert page.evaluate("window.__pwned === undefined"), url
            injected = page.locator("main script:not([type='application/json']), main img, main iframe, main svg "
                                    "[onload], main [onerror], main [onload], main object, main embed").count()
            assert injected == 0, url
            assert page.locator("a[href^='javascript:']").count() == 0, url
            if url.startswith("/article/"):
                shown += "__pwned" in page.inner_text("body")  # the payload is there, as text
        browser.close()
    assert dialogs == []
    assert all(s < 500 for s in statuses.values()), {u: s for u, s in statuses.items() if s >= 500}
    assert shown == sum("__pwned" in p for p in PAYLOADS)  # every payload is on its page, as text
    assert len(PAYLOADS) >= 50 and len(urls) >= 100
